//! The audit log, read a page at a time: the first page when a history is shown, the next
//! when the user asks for older entries. The API's pages are the organization's, so a
//! group's history reads on (a few pages at most per ask) until it finds its own.

use super::groups::{GroupsStore, Load, Read};
use crate::api::{AuditLog, AuditPage};
use crate::rules::history::{belongs, PAGE_SIZE};
use leptos::prelude::*;

/// Pages read for one ask while none of them has an entry to show.
const MAX_PAGES_PER_ASK: u32 = 5;

#[derive(Clone, Copy)]
pub struct History {
    /// The entries found so far, newest first.
    pub entries: RwSignal<Vec<AuditLog>>,
    /// The page being read, or why it could not be (its Retry asks it again).
    pub page: Read<AuditPage>,
    /// The page asked last (from 1): the read's key.
    asked: RwSignal<u32>,
    /// The pages there are, once one has answered.
    total: RwSignal<u32>,
    /// Pages read since the user last asked.
    read_on: StoredValue<u32>,
}

impl History {
    /// The group changes of `group`, or of the whole organization.
    pub fn new(store: GroupsStore, group: Option<String>) -> Self {
        let asked = RwSignal::new(1);
        let page = store.read(
            move || Some(asked.get()),
            |c, n| async move { c.list_audit_logs(n, PAGE_SIZE).await },
        );
        let this = History {
            entries: RwSignal::new(Vec::new()),
            page,
            asked,
            total: RwSignal::new(0),
            read_on: StoredValue::new(0),
        };
        Effect::new(move || {
            let Some((found, total)) = page.state.with(|state| match state {
                Load::Ready(answer) => Some((
                    answer
                        .entries
                        .iter()
                        .filter(|e| belongs(e, group.as_deref()))
                        .cloned()
                        .collect::<Vec<_>>(),
                    answer.total_pages,
                )),
                _ => None,
            }) else {
                return;
            };
            let nothing = found.is_empty();
            this.entries.update(|e| e.extend(found));
            this.total.set(total);
            this.read_on.update_value(|n| *n += 1);
            if nothing && this.read_on.get_value() < MAX_PAGES_PER_ASK {
                this.next();
            }
        });
        this
    }

    /// Whether there are older pages to read (tracked).
    pub fn has_older(&self) -> bool {
        self.asked.get() < self.total.get()
    }

    /// Reads the next page (the user's "Older").
    pub fn older(&self) {
        self.read_on.set_value(0);
        self.next();
    }

    fn next(&self) {
        if self.asked.get_untracked() < self.total.get_untracked() {
            self.asked.update(|n| *n += 1);
        }
    }
}

//! The changes this session made, for the Activity panel and its replay script. Kept as
//! long as the tab's session: in sessionStorage beside the session (requests and statuses
//! only, never a token nor an answer), restored on reload, wiped on sign-out.

use super::session::{session_storage, ACTIVITY_KEY};
use crate::api::Journal;
use crate::rules::activity::Entry;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// How long changes gather before the list is written again: writing the whole list for
/// each change of a 10,000-group bulk run would take time that grows with the square of it.
const SAVE_AFTER_MS: u32 = 1000;

#[derive(Clone, Copy)]
pub struct Activity {
    pub entries: RwSignal<Vec<Entry>>,
    /// A write is due.
    due: StoredValue<bool>,
}

impl Activity {
    /// The session's record, as stored in this tab (empty after sign-out or in a new tab).
    pub fn new() -> Self {
        let stored = session_storage()
            .and_then(|s| s.get_item(ACTIVITY_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok());
        let this = Activity {
            entries: RwSignal::new(stored.unwrap_or_default()),
            due: StoredValue::new(false),
        };
        // A reload (or closing the tab) writes what a due write has not yet.
        let listener = window_event_listener_untyped("pagehide", move |_| this.save());
        on_cleanup(move || listener.remove());
        this
    }

    /// Writes the list, while the session lasts: after sign-out it is gone, and so is what
    /// was stored.
    fn save(self) {
        let text = self.entries.try_with_untracked(serde_json::to_string);
        if let (Some(Ok(text)), Some(store)) = (text, session_storage()) {
            let _ = store.set_item(ACTIVITY_KEY, &text);
        }
    }

    /// What the API client tells of each change; an answer that comes after sign-out finds
    /// the list gone and is dropped.
    pub fn journal(self) -> Journal {
        Rc::new(move |request, status, error| {
            let now = js_sys::Date::new_0();
            let time = format!(
                "{:02}:{:02}:{:02}",
                now.get_hours(),
                now.get_minutes(),
                now.get_seconds()
            );
            let entry = Entry {
                time,
                request: request.clone(),
                status,
                message: error.map(ToString::to_string),
            };
            self.entries.try_update(|list| list.push(entry));
            if self.due.try_get_value() == Some(false) {
                self.due.set_value(true);
                spawn_local(async move {
                    TimeoutFuture::new(SAVE_AFTER_MS).await;
                    self.due.try_set_value(false);
                    self.save();
                });
            }
        })
    }
}

impl Default for Activity {
    fn default() -> Self {
        Self::new()
    }
}

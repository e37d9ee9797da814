//! The changes this session made, for the Activity panel and its replay script. Kept in
//! memory for the connection only: signing out drops it with everything else.

use crate::api::Journal;
use crate::rules::activity::Entry;
use leptos::prelude::*;
use std::rc::Rc;

#[derive(Clone, Copy)]
pub struct Activity {
    pub entries: RwSignal<Vec<Entry>>,
}

impl Activity {
    pub fn new() -> Self {
        Activity {
            entries: RwSignal::new(Vec::new()),
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
        })
    }
}

impl Default for Activity {
    fn default() -> Self {
        Self::new()
    }
}

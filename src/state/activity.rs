//! The changes this session made, for the Activity panel and its replay script. Kept as
//! long as the tab's session: in sessionStorage beside the session (requests and statuses
//! only, never a token nor an answer), restored on reload, wiped on sign-out.

use super::session::{session_storage, ACTIVITY_KEY};
use crate::api::Journal;
use crate::rules::activity::Entry;
use leptos::prelude::*;
use std::rc::Rc;

#[derive(Clone, Copy)]
pub struct Activity {
    pub entries: RwSignal<Vec<Entry>>,
}

impl Activity {
    /// The session's record, as stored in this tab (empty after sign-out or in a new tab).
    pub fn new() -> Self {
        let stored = session_storage()
            .and_then(|s| s.get_item(ACTIVITY_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok());
        Activity {
            entries: RwSignal::new(stored.unwrap_or_default()),
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
            // Stored only while the session lasts: after sign-out the list is gone.
            let stored = self.entries.try_update(|list| {
                list.push(entry);
                serde_json::to_string(list)
            });
            if let (Some(Ok(text)), Some(store)) = (stored, session_storage()) {
                let _ = store.set_item(ACTIVITY_KEY, &text);
            }
        })
    }
}

impl Default for Activity {
    fn default() -> Self {
        Self::new()
    }
}

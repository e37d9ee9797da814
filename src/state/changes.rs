//! The one path every change takes: connecting, creating a group, and each change to one.
//! A change is named by a typed key; while it is in flight its controls stay disabled, a
//! second start is ignored, and another change of the same group waits its turn. A refused
//! token signs the session out; an answer for a page that was closed is dropped.
//!
//! Every change carries the opening of the view that sent it (one opening of a dialog, one
//! bulk run). Its answer is split in two: what the server now holds always reaches the store,
//! while what the answer does to a view (show a token, a refusal, close, clear a field) happens
//! only if that same opening is still on screen.

use crate::api::{ApiError, ErrorKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};

use super::session::SessionState;

/// What a change does, and to which group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Connect,
    ResetSandbox,
    Create,
    Delete(String),
    Transfer(String),
    Version(String),
    Unarchive(String),
    Protection(String),
    /// Group, location code.
    AddLocation(String, String),
    /// Group, location code.
    RemoveLocation(String, String),
    Token(String),
    Rotate(String),
    /// The group's name now (the new one is in the request).
    Rename(String),
}

impl Change {
    /// The group the change is about, if any: one change at a time per group, so two dialogs
    /// cannot race (a location removed while the group is deleted).
    pub fn group(&self) -> Option<&str> {
        match self {
            Change::Connect | Change::ResetSandbox | Change::Create => None,
            Change::Delete(g)
            | Change::Transfer(g)
            | Change::Version(g)
            | Change::Unarchive(g)
            | Change::Protection(g)
            | Change::AddLocation(g, _)
            | Change::RemoveLocation(g, _)
            | Change::Token(g)
            | Change::Rotate(g)
            | Change::Rename(g) => Some(g),
        }
    }

    /// What happens to the change, in words, when its dialog is closed before the answer.
    pub fn in_flight(&self) -> String {
        match (self, self.group()) {
            (Change::Token(g), _) => format!(
                "The token for “{g}” is still being created. Its dialog is closed, so the token \
                 will not be shown; you will be told here once it exists."
            ),
            (_, Some(g)) => {
                format!("The change to “{g}” is still under way: its result will be shown here.")
            }
            (_, None) => {
                "The new group is still being created: the result will be shown here.".into()
            }
        }
    }

    /// What did not happen, in words: for a refusal whose dialog was closed.
    pub fn failed(&self) -> String {
        match self {
            Change::Connect => "Connecting failed.".into(),
            Change::ResetSandbox => "The sandbox could not be reset.".into(),
            Change::Create => "The group could not be created.".into(),
            Change::Delete(g) => format!("Group “{g}” could not be deleted."),
            Change::Transfer(g) => format!("Group “{g}” could not be transferred."),
            Change::Version(g) => format!("The version of “{g}” could not be updated."),
            Change::Unarchive(g) => format!("Group “{g}” could not be unarchived."),
            Change::Protection(g) => format!("Delete protection of “{g}” could not be changed."),
            Change::AddLocation(g, code) => format!("{code} could not be added to “{g}”."),
            Change::RemoveLocation(g, code) => format!("{code} could not be removed from “{g}”."),
            Change::Token(g) => format!("A token for “{g}” could not be created."),
            Change::Rotate(g) => format!("The tokens of “{g}” could not be invalidated."),
            Change::Rename(g) => format!("Group “{g}” could not be renamed."),
        }
    }
}

/// A view that opens again and again, each time for something else (a group's dialog, the
/// bulk dialog's runs): which of its openings is on screen, 0 while it is closed.
#[derive(Clone, Copy)]
pub struct Shown(RwSignal<u64>);

impl Shown {
    pub fn new() -> Self {
        Shown(RwSignal::new(0))
    }

    /// A new opening is on screen: answers sent from earlier ones no longer touch the view.
    pub fn open(&self) -> Opening {
        // Numbers are never reused, across views too; 0 means closed.
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        self.0.set(id);
        Opening {
            id,
            shown: Some(self.0),
        }
    }

    pub fn close(&self) {
        self.0.set(0);
    }

    /// The opening on screen now (untracked; a closed view gives one that is never shown).
    pub fn current(&self) -> Opening {
        Opening {
            id: self.0.get_untracked(),
            shown: Some(self.0),
        }
    }
}

impl Default for Shown {
    fn default() -> Self {
        Self::new()
    }
}

/// The opening a change was sent from.
#[derive(Clone, Copy)]
pub struct Opening {
    id: u64,
    /// `None`: the change comes from the page itself (a switch in the table, a chip), whose
    /// answers may always touch it while it exists.
    shown: Option<RwSignal<u64>>,
}

impl Opening {
    /// A change sent from the page itself, not from a dialog that could show something else.
    pub const PAGE: Opening = Opening { id: 0, shown: None };

    /// Whether this opening is still on screen (untracked; false once its view is gone).
    pub fn on_screen(&self) -> bool {
        match self.shown {
            None => true,
            Some(shown) => self.id != 0 && shown.try_get_untracked() == Some(self.id),
        }
    }
}

/// Why a change was not started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotStarted {
    /// The same change is already in flight (a double click).
    AlreadyRunning,
    /// Another change of this group is in flight.
    GroupBusy(String),
}

type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// Where a change's answer goes (see the module's documentation).
pub struct Landing<T> {
    /// The server's truth, for the store: runs on every success, on screen or not.
    pub confirmed: Box<dyn FnOnce(&T)>,
    /// What the answer does to the view that sent it: runs only while its opening is on screen.
    pub shown: Box<dyn FnOnce(Result<T, ApiError>)>,
    /// A refusal whose view is gone, to be said elsewhere (the page's banner).
    pub unseen: Box<dyn FnOnce(ApiError)>,
}

/// The changes in flight, in context for the whole panel.
#[derive(Clone, Copy)]
pub struct Changes {
    busy: RwSignal<Vec<Change>>,
    session: SessionState,
}

impl Changes {
    pub fn new(session: SessionState) -> Self {
        Changes {
            busy: RwSignal::new(Vec::new()),
            session,
        }
    }

    /// Whether `change` is in flight (tracked: a button's `disabled` follows it).
    pub fn is_busy(&self, change: &Change) -> bool {
        self.busy.with(|b| b.contains(change))
    }

    /// A change of `group` in flight, if any (untracked: for event handlers).
    pub fn of_group(&self, group: &str) -> Option<Change> {
        self.busy
            .with_untracked(|b| b.iter().find(|c| c.group() == Some(group)).cloned())
    }

    /// Whether `change` is in flight (untracked: for event handlers).
    pub fn is_busy_untracked(&self, change: &Change) -> bool {
        self.busy.with_untracked(|b| b.contains(change))
    }

    /// What `pick` takes from the changes in flight (tracked), e.g. the locations being
    /// added to one group.
    pub fn pick<R>(&self, pick: impl Fn(&Change) -> Option<R>) -> Vec<R> {
        self.busy.with(|b| b.iter().filter_map(pick).collect())
    }

    /// Sends `pending` as `change` from the opening `from`, then lands the answer as `landing`
    /// says, unless the request was cancelled because its page went away. The landing runs
    /// after an await, when its page may be gone: it may write signals (a write to a disposed
    /// signal is ignored) but must not run callbacks of a view.
    pub fn run<T: 'static>(
        &self,
        change: Change,
        from: Opening,
        pending: impl Future<Output = Result<T, ApiError>> + 'static,
        landing: Landing<T>,
    ) -> Result<(), NotStarted> {
        // Untracked: a change started from an effect must not make it rerun when the
        // busy list moves.
        let refused = self.busy.with_untracked(|busy| {
            if busy.contains(&change) {
                Some(NotStarted::AlreadyRunning)
            } else {
                let group = change.group()?;
                busy.iter()
                    .any(|c| c.group() == Some(group))
                    .then(|| NotStarted::GroupBusy(group.to_owned()))
            }
        });
        if let Some(refused) = refused {
            return Err(refused);
        }
        self.run_boxed(change, from, Box::pin(pending), landing);
        Ok(())
    }

    // Boxed, so the spawning code exists once per answer type, not once per call site.
    fn run_boxed<T: 'static>(
        &self,
        change: Change,
        from: Opening,
        pending: Pending<T>,
        landing: Landing<T>,
    ) {
        self.busy.update(|b| b.push(change.clone()));
        let this = *self;
        spawn_local(async move {
            let result = pending.await;
            this.busy.update(|b| b.retain(|c| *c != change));
            if let Err(e) = &result {
                if e.kind == ErrorKind::Cancelled {
                    return;
                }
                this.session.refused(e);
            }
            if let Ok(value) = &result {
                (landing.confirmed)(value);
            }
            match result {
                _ if from.on_screen() => (landing.shown)(result),
                Err(e) => (landing.unseen)(e),
                Ok(_) => {}
            }
        });
    }
}

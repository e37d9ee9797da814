//! The one path every change takes: connecting, creating a group, and each change to one.
//! A change is named by a typed key; while it is in flight its controls stay disabled, a
//! second start is ignored, and another change of the same group waits its turn. A refused
//! token signs the session out; an answer for a page that was closed is dropped.

use crate::api::{ApiError, ErrorKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;

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
            | Change::Rotate(g) => Some(g),
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

    /// What `pick` takes from the changes in flight (tracked), e.g. the locations being
    /// added to one group.
    pub fn pick<R>(&self, pick: impl Fn(&Change) -> Option<R>) -> Vec<R> {
        self.busy.with(|b| b.iter().filter_map(pick).collect())
    }

    /// Sends `pending` as `change`, then hands the answer to `done`, unless the request was
    /// cancelled because its page went away. `done` runs after an await, when the view that
    /// started the change may be gone: it may write signals (a write to a disposed signal is
    /// ignored) but must not read view state or run callbacks of the view.
    pub fn run<T: 'static>(
        &self,
        change: Change,
        pending: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(Result<T, ApiError>) + 'static,
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
        self.run_boxed(change, Box::pin(pending), Box::new(done));
        Ok(())
    }

    // Boxed, so the spawning code exists once per answer type, not once per call site.
    fn run_boxed<T: 'static>(
        &self,
        change: Change,
        pending: Pending<T>,
        done: Box<dyn FnOnce(Result<T, ApiError>)>,
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
            done(result);
        });
    }
}

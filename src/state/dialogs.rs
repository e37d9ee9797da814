//! Which group each group dialog is open for, and which opening of it is on screen. The
//! table and the group's page open them; a change sent from a dialog carries its opening, so
//! that a late answer never lands in the dialog opened after it (see `changes.rs`).

use super::changes::{Opening, Shown};
use super::groups::{GroupsStore, Outcome};
use leptos::prelude::*;

/// One dialog that opens for one group at a time.
#[derive(Clone, Copy)]
pub struct GroupDialog {
    group: RwSignal<Option<String>>,
    shown: Shown,
}

impl GroupDialog {
    pub fn new() -> Self {
        GroupDialog {
            group: RwSignal::new(None),
            shown: Shown::new(),
        }
    }

    /// Opens the dialog for `name`, as a new opening.
    pub fn open(&self, name: &str) {
        self.shown.open();
        self.group.set(Some(name.to_owned()));
    }

    /// A click handler that opens the dialog for `name`.
    pub fn opener(&self, name: &str) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let (this, name) = (*self, name.to_owned());
        move |_| this.open(&name)
    }

    pub fn close(&self) {
        self.shown.close();
        self.group.set(None);
    }

    /// A callback that closes the dialog as `close_during` does.
    pub fn closer(&self, store: GroupsStore) -> Callback<()> {
        let this = *self;
        Callback::new(move |_| this.close_during(store))
    }

    /// The group it is open for (tracked): the key of the dialog's reads.
    pub fn group(&self) -> Option<String> {
        self.group.get()
    }

    /// The group it is open for, or "" while closed (tracked).
    pub fn name(&self) -> String {
        self.group.get().unwrap_or_default()
    }

    /// The group it is open for, or "" (untracked: for event handlers).
    pub fn name_untracked(&self) -> String {
        self.group.get_untracked().unwrap_or_default()
    }

    pub fn is_open(&self) -> bool {
        self.group.with(Option::is_some)
    }

    /// The opening on screen now, which a change sent from the dialog carries.
    pub fn opening(&self) -> Opening {
        self.shown.current()
    }

    /// Closes the dialog; a change of its group still in flight goes on, and the banner says
    /// what will become of its answer.
    pub fn close_during(&self, store: GroupsStore) {
        let busy = self
            .group
            .get_untracked()
            .and_then(|name| store.changes().of_group(&name));
        if let Some(change) = busy {
            store.report(Outcome::Done(change.in_flight()));
        }
        self.close();
    }
}

impl Default for GroupDialog {
    fn default() -> Self {
        Self::new()
    }
}

/// The group dialogs of the connected pages.
#[derive(Clone, Copy, Default)]
pub struct GroupDialogs {
    pub delete: GroupDialog,
    pub transfer: GroupDialog,
    pub version: GroupDialog,
    pub token: GroupDialog,
    pub rotate: GroupDialog,
    pub rename: GroupDialog,
}

//! Which group each group dialog is open for, and the dialogs themselves, mounted once for
//! the connected pages. The table and the group's page open them; the dialogs live in
//! `actions.rs` and `tokens.rs`.

use crate::pages::actions::{DeleteDialog, TransferDialog, VersionDialog};
use crate::pages::tokens::{RotateDialog, TokenDialog};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct GroupDialogs {
    pub delete: RwSignal<Option<String>>,
    pub transfer: RwSignal<Option<String>>,
    pub version: RwSignal<Option<String>>,
    pub token: RwSignal<Option<String>>,
    pub rotate: RwSignal<Option<String>>,
}

impl GroupDialogs {
    pub fn new() -> Self {
        GroupDialogs {
            delete: RwSignal::new(None),
            transfer: RwSignal::new(None),
            version: RwSignal::new(None),
            token: RwSignal::new(None),
            rotate: RwSignal::new(None),
        }
    }
}

impl Default for GroupDialogs {
    fn default() -> Self {
        Self::new()
    }
}

/// A click handler that opens `dialog` for the group `name`.
pub fn opener(
    dialog: RwSignal<Option<String>>,
    name: &str,
) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    let name = name.to_owned();
    move |_| dialog.set(Some(name.clone()))
}

/// All the group dialogs.
#[component]
pub fn GroupDialogsView() -> impl IntoView {
    view! {
        <DeleteDialog />
        <TransferDialog />
        <VersionDialog />
        <TokenDialog />
        <RotateDialog />
    }
}

/// Closes the dialog that `target` opens.
pub fn close(target: RwSignal<Option<String>>) -> Callback<()> {
    Callback::new(move |_| target.set(None))
}

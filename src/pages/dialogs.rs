//! The group dialogs, mounted once for the connected pages. Which group each is open for
//! is state (`state::dialogs`); the table and the group's page open them.

use crate::pages::actions::{DeleteDialog, RenameDialog, TransferDialog, VersionDialog};
use crate::pages::tokens::{RotateDialog, TokenDialog};
use leptos::prelude::*;

/// All the group dialogs.
#[component]
pub fn GroupDialogsView() -> impl IntoView {
    view! {
        <DeleteDialog />
        <TransferDialog />
        <VersionDialog />
        <TokenDialog />
        <RotateDialog />
        <RenameDialog />
    }
}

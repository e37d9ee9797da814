//! Changes to a group that both the table and the group's page offer: the dialogs for
//! delete, transfer and version update (tokens are in `tokens.rs`), and the one-click
//! unarchive and delete protection.

use crate::api::{ApiError, Group};
use crate::components::{DialogActions, ErrorMessage, Modal};
use crate::rules::names::rename_problem;
use crate::state::changes::{Change, Opening};
use crate::state::dialogs::GroupDialogs;
use crate::state::groups::{GroupsStore, Load, Outcome};
use crate::state::route::{Route, Router};
use leptos::prelude::*;

/// After a group left the organization: off its page, if that is where the user was. A
/// redirect: Back must not lead to the page of a group that is gone.
fn leave_page_of(router: Router, name: &str) {
    if router.current.get_untracked() == Route::Group(name.to_owned()) {
        router.redirect(Route::Groups);
    }
}

#[component]
pub fn DeleteDialog() -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialog = expect_context::<GroupDialogs>().delete;
    let router = expect_context::<Router>();
    let typed = RwSignal::new(String::new());
    let refusal = RwSignal::new(None::<ApiError>);
    // What will be destroyed and whether the server will refuse, asked fresh on each opening,
    // for the group the dialog is open for.
    let databases = store.read(
        move || dialog.group(),
        |c, name| async move { c.list_databases(&name).await },
    );
    let protection = store.read(
        move || dialog.group(),
        |c, name| async move { c.get_group_configuration(&name).await },
    );
    Effect::new(move || {
        if dialog.is_open() {
            typed.set(String::new());
            refusal.set(None);
        }
    });
    let name = move || dialog.name();
    let busy = move || store.is_busy(&Change::Delete(name()));
    // `None` while unknown: the button stays disabled until the server has said "off".
    let protected = move || protection.state.with(|p| p.ready().copied().flatten());
    let turn_off = move |_| {
        // What the server answers reaches the table whatever happens; this dialog's state
        // only while this opening is on screen (not another group's delete dialog).
        store.set_protection(
            dialog.name_untracked(),
            false,
            dialog.opening(),
            move |result| match result {
                Ok(on) => protection.state.set(Load::Ready(Some(on))),
                Err(e) => refusal.set(Some(e)),
            },
        );
    };
    let delete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = dialog.name_untracked();
        let known = databases.state.with_untracked(|d| d.ready().is_some());
        if typed.get_untracked().trim() != name || protected() != Some(false) || !known {
            return;
        }
        refusal.set(None);
        store.change(
            Change::Delete(name.clone()),
            dialog.opening(),
            {
                let name = name.clone();
                move |c| async move { c.delete_group(&name).await }
            },
            move |_| {
                store.remove(&name);
                store.report(Outcome::Done(format!(
                    "Group “{name}” and its databases were deleted."
                )));
                leave_page_of(router, &name);
            },
            move |result| match result {
                Ok(_) => dialog.close(),
                Err(e) => refusal.set(Some(e)),
            },
        );
    };
    let close = dialog.closer(store);
    view! {
        <Modal id="delete-group" title=Signal::derive(move || format!("Delete “{}”", name())) open=Signal::derive(move || dialog.is_open()) on_close=close>
            <form on:submit=delete novalidate>
                <p>"This destroys the group, all its locations and every database in it. It cannot be undone."</p>
                {move || match databases.state.get() {
                    Load::Loading => view! { <p class="loading">"Listing the group's databases…"</p> }.into_any(),
                    Load::Failed(e) => view! { <p>"What would be destroyed could not be listed, so the group cannot be deleted now."</p><ErrorMessage error=e retry=Callback::new(move |_| databases.retry()) /> }.into_any(),
                    Load::Ready(list) if list.is_empty() => view! { <p>"The group has no databases."</p> }.into_any(),
                    Load::Ready(list) => view! {
                        <p>{format!("{} database(s) will be destroyed:", list.len())}</p>
                        <ul class="doomed">{list.into_iter().map(|d| view! { <li><code>{d.name}</code></li> }).collect_view()}</ul>
                    }.into_any(),
                }}
                {move || protection.state.with(|p| match p {
                    Load::Failed(e) => Some(view! { <p>"Whether delete protection is on could not be read."</p><ErrorMessage error=e.clone() retry=Callback::new(move |_| protection.retry()) /> }),
                    _ => None,
                })}
                {move || (protection.state.with(|p| p.ready() == Some(&None))).then(|| view! {
                    <p class="warning" role="alert">"The API did not say whether delete protection is on; the group cannot be deleted from here."</p>
                })}
                {move || (protected() == Some(true)).then(|| view! {
                    <div class="warning" role="alert">
                        <p>"Delete protection is on for this group, so the API will refuse to delete it."</p>
                        <button type="button" id="delete-unprotect" on:click=turn_off
                            disabled=move || store.is_busy(&Change::Protection(name()))>
                            "Turn delete protection off"
                        </button>
                    </div>
                })}
                <label for="delete-confirm">{move || format!("Type “{}” to confirm", name())}</label>
                <input id="delete-confirm" type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                <DialogActions submit_id="delete-submit" label="Delete group" busy_label="Deleting…" danger=true
                    busy=Signal::derive(busy) refusal on_cancel=close
                    blocked=Signal::derive(move || protected() != Some(false) || databases.state.with(|d| d.ready().is_none()) || typed.with(|t| t.trim() != name())) />
            </form>
        </Modal>
    }
}

#[component]
pub fn TransferDialog() -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialog = expect_context::<GroupDialogs>().transfer;
    let router = expect_context::<Router>();
    let current_org = store.client().org().to_owned();
    let destination = RwSignal::new(String::new());
    // The organizations the token sees, for the suggestions, asked on each opening; a failure
    // to list them only means the slug is typed.
    let organizations = store.read(
        move || dialog.group(),
        |c, _| async move { c.list_organizations().await },
    );
    let suggested = {
        let current_org = current_org.clone();
        move || {
            organizations.state.with(|o| {
                o.ready().map(|list| {
                    list.iter()
                        .filter(|o| o.slug != current_org)
                        .map(|o| view! { <option value=o.slug.clone()>{o.name.clone().unwrap_or_default()}</option> })
                        .collect_view()
                })
            })
        }
    };
    let problem = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<ApiError>);
    Effect::new(move || {
        if dialog.is_open() {
            problem.set(None);
            refusal.set(None);
        }
    });
    let name = move || dialog.name();
    let busy = move || store.is_busy(&Change::Transfer(name()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = dialog.name_untracked();
        let to = destination.get_untracked().trim().to_owned();
        if to.is_empty() {
            problem.set(Some(
                "Choose or type the organization to move the group to.".into(),
            ));
            return;
        }
        if to == current_org {
            problem.set(Some(format!("The group is already in “{to}”.")));
            return;
        }
        problem.set(None);
        refusal.set(None);
        store.change(
            Change::Transfer(name.clone()),
            dialog.opening(),
            {
                let (name, to) = (name.clone(), to.clone());
                move |c| async move { c.transfer_group(&name, &to).await }
            },
            move |_| {
                store.remove(&name);
                store.report(Outcome::Done(format!(
                    "Group “{name}” moved to organization “{to}”."
                )));
                leave_page_of(router, &name);
            },
            move |result| match result {
                Ok(_) => {
                    destination.set(String::new());
                    dialog.close();
                }
                Err(e) => refusal.set(Some(e)),
            },
        );
    };
    let close = dialog.closer(store);
    view! {
        <Modal id="transfer-group" title=Signal::derive(move || format!("Transfer “{}”", name())) open=Signal::derive(move || dialog.is_open()) on_close=close>
            <form on:submit=submit novalidate>
                <ul class="consequences">
                    <li>"The group and its databases move to the other organization; their hostnames change to that organization's."</li>
                    <li>"API tokens scoped to this group are revoked."</li>
                    <li>"You must be an owner or admin of the organization you move it to."</li>
                </ul>
                <label for="transfer-org">"Move to organization"</label>
                <input id="transfer-org" type="text" list="transfer-org-list" autocomplete="off"
                    placeholder="Choose or type an organization slug"
                    prop:value=move || destination.get() on:input=move |ev| destination.set(event_target_value(&ev)) />
                <datalist id="transfer-org-list">
                    {suggested}
                </datalist>
                {move || organizations.state.with(|o| match o {
                    Load::Failed(e) => Some(view! {
                        <p class="help">"Your organizations could not be listed; type the slug."</p>
                        <ErrorMessage error=e.clone() />
                    }),
                    _ => None,
                })}
                {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                <DialogActions submit_id="transfer-submit" label="Transfer group" busy_label="Transferring…"
                    busy=Signal::derive(busy) refusal on_cancel=close />
            </form>
        </Modal>
    }
}

#[component]
pub fn VersionDialog() -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialog = expect_context::<GroupDialogs>().version;
    let refusal = RwSignal::new(None::<ApiError>);
    Effect::new(move || {
        if dialog.is_open() {
            refusal.set(None);
        }
    });
    let name = move || dialog.name();
    let busy = move || store.is_busy(&Change::Version(name()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = dialog.name_untracked();
        refusal.set(None);
        // The update answers with no body, so the group is read again for its new version.
        store.change(
            Change::Version(name.clone()),
            dialog.opening(),
            {
                let name = name.clone();
                move |c| async move {
                    c.update_group_version(&name).await?;
                    c.get_group(&name).await
                }
            },
            move |group: &Group| {
                // `version` is deprecated and may be missing: never a blank in the message.
                let done = match &group.version {
                    Some(v) if !v.is_empty() => {
                        format!("Databases of “{name}” updated to {v}.")
                    }
                    _ => format!("Databases of “{name}” updated to the latest version."),
                };
                store.upsert(group.clone());
                store.report(Outcome::Done(done));
            },
            move |result| match result {
                Ok(_) => dialog.close(),
                Err(e) => refusal.set(Some(e)),
            },
        );
    };
    let close = dialog.closer(store);
    view! {
        <Modal id="version-group" title=Signal::derive(move || format!("Update “{}”", name())) open=Signal::derive(move || dialog.is_open()) on_close=close>
            <form on:submit=submit novalidate>
                <p>"Moves every database in the group to the latest server version."</p>
                <p class="warning">"The databases restart: expect a short downtime and dropped connections."</p>
                <p class="help">"This is a legacy API route; Turso may update groups on its own."</p>
                <DialogActions submit_id="version-submit" label="Update version" busy_label="Updating…"
                    busy=Signal::derive(busy) refusal on_cancel=close />
            </form>
        </Modal>
    }
}

#[component]
pub fn RenameDialog() -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let dialog = expect_context::<GroupDialogs>().rename;
    let router = expect_context::<Router>();
    let typed = RwSignal::new(String::new());
    let refusal = RwSignal::new(None::<ApiError>);
    Effect::new(move || {
        if let Some(name) = dialog.group() {
            typed.set(name);
            refusal.set(None);
        }
    });
    let name = move || dialog.name();
    // Checked as typed.
    let problem = move || typed.with(|t| rename_problem(t, &name()));
    let busy = move || store.is_busy(&Change::Rename(name()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let problem = typed.with_untracked(|t| rename_problem(t, &dialog.name_untracked()));
        if problem.is_some() {
            return;
        }
        let old = dialog.name_untracked();
        let new = typed.get_untracked().trim().to_owned();
        refusal.set(None);
        // The rename answers with no documented body, so the group is read again.
        store.change(
            Change::Rename(old.clone()),
            dialog.opening(),
            {
                let old = old.clone();
                move |c| async move {
                    c.rename_group(&old, &new).await?;
                    c.get_group(&new).await
                }
            },
            move |group: &Group| {
                store.rename(&old, group);
                store.report(Outcome::Done(format!(
                    "Group “{old}” is now “{}”.",
                    group.name
                )));
                // Its old page names a group that no longer exists: the new one replaces it.
                if router.current.get_untracked() == Route::Group(old.clone()) {
                    router.redirect(Route::Group(group.name.clone()));
                }
            },
            move |result| match result {
                Ok(_) => dialog.close(),
                Err(e) => refusal.set(Some(e)),
            },
        );
    };
    let close = dialog.closer(store);
    view! {
        <Modal id="rename-group" title=Signal::derive(move || format!("Rename “{}”", name())) open=Signal::derive(move || dialog.is_open()) on_close=close>
            <form on:submit=submit novalidate>
                <p>"The group keeps its databases, locations and tokens. Links and scripts that name the old name stop finding it."</p>
                <label for="rename-name">"New name"</label>
                <input id="rename-name" type="text" autocomplete="off" spellcheck="false"
                    aria-describedby="rename-hint"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                <p id="rename-hint" class=move || if problem().is_some() { "help warn" } else { "help" } aria-live="polite">
                    {move || problem().unwrap_or_else(|| "Lowercase letters, digits and dashes; unique in the organization.".into())}
                </p>
                <DialogActions submit_id="rename-submit" label="Rename group" busy_label="Renaming…"
                    busy=Signal::derive(busy) blocked=Signal::derive(move || problem().is_some())
                    refusal on_cancel=close />
            </form>
        </Modal>
    }
}

/// Unarchives the group; the table and the group's page show the server's answer.
#[component]
pub fn UnarchiveButton(name: String) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let key = Change::Unarchive(name.clone());
    view! {
        <button type="button" class="small" aria-label=format!("Unarchive {name}")
            disabled=move || store.is_busy(&key) on:click=move |_| store.unarchive(name.clone())>
            "Unarchive"
        </button>
    }
}

/// Delete protection as the server reports it. A click asks the server and the switch
/// shows its answer (through the store), not the click.
#[component]
pub fn ProtectionToggle(name: String, #[prop(into)] on: Signal<bool>) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let key = Change::Protection(name.clone());
    view! {
        <label class="switch">
            <input type="checkbox" role="switch" aria-label=format!("Delete protection for {name}")
                prop:checked=on
                disabled=move || store.is_busy(&key)
                on:change=move |ev| flip_protection(store, name.clone(), &event_target(&ev)) />
            {move || if on.get() { "On" } else { "Off" }}
        </label>
    }
}

/// The switch was flipped: it shows the server's state again until the server answers.
pub fn flip_protection(store: GroupsStore, name: String, switch: &web_sys::HtmlInputElement) {
    let wanted = switch.checked();
    switch.set_checked(!wanted);
    let change = Change::Protection(name.clone());
    store.set_protection(name, wanted, Opening::PAGE, move |result| {
        store.report_failure(&change, result)
    });
}

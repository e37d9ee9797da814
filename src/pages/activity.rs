//! The Activity panel: every change this session made, each with the `curl` command that
//! sends it again, and all the accepted ones as one shell script.

use crate::components::{CopyButton, Modal};
use crate::rules::activity::{script, Entry};
use crate::rules::cli::{turso_command, turso_script};
use crate::rules::curl::curl_command;
use crate::state::activity::Activity;
use crate::state::groups::GroupsStore;
use leptos::prelude::*;

/// The top bar's button, with the count of changes; it opens `ActivityPanel`.
#[component]
pub fn ActivityButton(open: RwSignal<bool>) -> impl IntoView {
    let activity = expect_context::<Activity>();
    let count = move || activity.entries.with(Vec::len);
    view! {
        <button id="activity-open" type="button" aria-haspopup="dialog" on:click=move |_| open.set(true)>
            "Activity" <span class="badge" aria-label=move || format!("{} changes", count())>{count}</span>
        </button>
    }
}

/// The changes of the session. Outside the top bar: a dialog's own header inside the page's
/// header would be a banner landmark within a banner.
#[component]
pub fn ActivityPanel(open: RwSignal<bool>) -> impl IntoView {
    let activity = expect_context::<Activity>();
    let store = expect_context::<GroupsStore>();
    let count = move || activity.entries.with(Vec::len);
    // The in-page sandbox has no URL that curl could reach: the commands name the real API.
    let base = move || {
        let client = store.client();
        if client.is_in_page() {
            "https://api.turso.tech/v1".to_owned()
        } else {
            client.base_url().to_owned()
        }
    };
    // The replay script with curl, or with the turso CLI.
    let with_cli = RwSignal::new(false);
    let all = move || {
        let org = store.client().org().to_owned();
        activity.entries.with(|e| {
            if with_cli.get() {
                turso_script(&org, e)
            } else {
                script(&base(), &org, e)
            }
        })
    };
    view! {
        <Modal id="activity" title="Activity in this session" open on_close=Callback::new(move |_| open.set(false))>
            {move || (count() == 0).then(|| view! { <p class="empty">"No changes yet in this session."</p> })}
            <ol class="activity-list">
                {move || activity.entries.get().into_iter().map(|entry| view! { <ActivityEntry entry base=base() /> }).collect_view()}
            </ol>
            {move || (count() > 0).then(|| view! {
                <fieldset class="script-form">
                    <legend>"Script the accepted changes with"</legend>
                    <div class="choices">
                        <label class="choice"><input type="radio" name="activity-script-form" id="activity-with-curl"
                            prop:checked=move || !with_cli.get() on:change=move |_| with_cli.set(false) />"curl"</label>
                        <label class="choice"><input type="radio" name="activity-script-form" id="activity-with-turso"
                            prop:checked=move || with_cli.get() on:change=move |_| with_cli.set(true) />"the turso CLI"</label>
                    </div>
                </fieldset>
                <details class="curl">
                    <summary>"The accepted changes as a shell script"</summary>
                    <pre><code id="activity-script">{all}</code></pre>
                </details>
                <div class="dialog-actions">
                    {move || view! { <CopyButton text=all() label="Copy all as a shell script" /> }}
                </div>
            })}
        </Modal>
    }
}

#[component]
fn ActivityEntry(entry: Entry, base: String) -> impl IntoView {
    let (action, group) = entry.describe();
    let command = curl_command(&base, &entry.request);
    let turso =
        turso_command(&entry.request).unwrap_or_else(|why| format!("# no turso command: {why}"));
    let status = match entry.status {
        Some(status) => status.to_string(),
        None => "no answer".to_owned(),
    };
    let class = if entry.accepted() {
        "activity-entry"
    } else {
        "activity-entry failed"
    };
    view! {
        <li class=class>
            <p>
                <time>{entry.time.clone()}</time>" "<strong>{action}</strong>
                {group.map(|g| view! { " "<code>{g}</code> })}
            </p>
            <p class="request"><code>{format!("{} /v{}{} → {status}", entry.request.method.as_str(), entry.request.version, entry.request.path_and_query())}</code></p>
            {entry.message.map(|m| view! { <p class="error">{m}</p> })}
            <details class="curl">
                <summary>"curl"</summary>
                <pre><code>{command.clone()}</code></pre>
                <CopyButton text=command label="Copy command" />
            </details>
            <details class="curl turso">
                <summary>"turso"</summary>
                <pre><code>{turso.clone()}</code></pre>
                <CopyButton text=turso label="Copy turso command" />
            </details>
        </li>
    }
}

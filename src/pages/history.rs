//! Who did what to the groups, from Turso's audit log: for one group on its page, and for
//! the whole organization beside Activity (which only knows this session).

use crate::api::{ApiError, AuditLog, ErrorKind};
use crate::components::{ErrorMessage, Modal};
use crate::rules::expiration::describe_span;
use crate::rules::history::{action, group_of, origin};
use crate::state::groups::{GroupsStore, Load};
use crate::state::history::History;
use leptos::prelude::*;

/// The group changes of `group`, or of the organization, newest first, with "Older".
#[component]
pub fn HistoryList(group: Option<String>) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let whole_org = group.is_none();
    let history = History::new(store, group);
    let entries = history.entries;
    view! {
        // Drawn again as a whole when a page is added: a few dozen short lines, and no keyed
        // list's code in the bundle for it.
        <ol class="history">
            {move || entries.get().into_iter().map(|entry| view! { <HistoryEntry entry whole_org /> }).collect_view()}
        </ol>
        {move || history.page.state.with(|state| match state {
            Load::Loading => view! { <p class="loading" aria-busy="true">"Reading the audit log…"</p> }.into_any(),
            Load::Failed(e) if is_plan_refusal(e) => view! {
                <p class="empty" id="history-plan">"The audit log is not part of this organization's plan, so who changed what is not known here. "
                    "Activity still lists this session's changes."</p>
            }.into_any(),
            Load::Failed(e) => view! { <ErrorMessage error=e.clone() retry=Callback::new(move |_| history.page.retry()) /> }.into_any(),
            Load::Ready(_) if entries.with(Vec::is_empty) && !history.has_older() => view! {
                <p class="empty">"No group changes in the audit log."</p>
            }.into_any(),
            Load::Ready(_) => ().into_any(),
        })}
        {move || history.has_older().then(|| view! {
            <button type="button" class="small history-older"
                disabled=move || history.page.state.with(|s| matches!(s, Load::Loading))
                on:click=move |_| history.older()>"Older"</button>
        })}
    }
}

/// A plan without audit logs: the API's refusal is the plan's, not a failure.
fn is_plan_refusal(e: &ApiError) -> bool {
    e.kind == ErrorKind::PaymentOrQuota
}

#[component]
fn HistoryEntry(entry: AuditLog, whole_org: bool) -> impl IntoView {
    // The browser reads the ISO time: the local time, and how long ago.
    let date = js_sys::Date::new(&entry.created_at.as_str().into());
    let at = date.get_time();
    let (local, ago) = if at.is_nan() {
        (entry.created_at.clone(), entry.created_at.clone())
    } else {
        let seconds = ((js_sys::Date::now() - at) / 1000.0).max(0.0) as u64;
        (
            String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)),
            format!("{} ago", describe_span(seconds)),
        )
    };
    let group = whole_org
        .then(|| group_of(&entry).map(str::to_owned))
        .flatten();
    view! {
        <li class="history-entry">
            <p>
                <strong>{action(&entry.code).to_owned()}</strong>
                {group.map(|g| view! { " "<code>{g}</code> })}
                " by "{entry.author.clone()}" from "{origin(&entry.origin).to_owned()}
            </p>
            <p class="help"><time datetime=entry.created_at.clone() title=local.clone()>{ago}</time>" · "{local}</p>
            {(!entry.message.is_empty()).then(|| view! { <p class="history-message">{entry.message.clone()}</p> })}
        </li>
    }
}

/// The top bar's button for the organization's history.
#[component]
pub fn HistoryButton(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button id="history-open" type="button" aria-haspopup="dialog" on:click=move |_| open.set(true)>"History"</button>
    }
}

/// The organization's group history, in a dialog beside Activity.
#[component]
pub fn HistoryPanel(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Modal id="history" title="History of the organization's groups" open on_close=Callback::new(move |_| open.set(false))>
            <p class="help">"From Turso's audit log: every group change, by anyone, from the CLI or the web."</p>
            <HistoryList group=None />
        </Modal>
    }
}

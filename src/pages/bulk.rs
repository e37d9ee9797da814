//! The bulk actions' views: the bar above the table and the dialog of a run. The selection
//! and the run are state (`state::bulk`), their transitions rules (`rules::bulk`).

use crate::components::{ErrorMessage, Modal};
use crate::rules::bulk::{summary, BulkAction, Step, Tally};
use crate::state::bulk::{Bulk, Selection};
use crate::state::groups::{GroupsStore, Load};
use leptos::prelude::*;

/// The selection's count and actions, above the table: always there, so the count is.
#[component]
pub fn BulkBar(selection: Selection, shown_names: Callback<(), Vec<String>>) -> impl IntoView {
    let bulk = Bulk::new(expect_context::<GroupsStore>(), selection);
    let count = move || selection.names.with(Vec::len);
    let none = move || count() == 0;
    let open = move |action: BulkAction| move |_| bulk.open(action);
    view! {
        // `data-none`: on a phone the actions stay out of the way until a group is selected.
        <div class="bulk-bar" role="group" aria-label="Selected groups" data-none=move || none().then_some("")>
            <span id="bulk-count">{move || format!("{} selected", count())}</span>
            <button type="button" id="bulk-select-all"
                on:click=move |_| selection.set(shown_names.run(()), true)>
                "Select all shown"
            </button>
            <button type="button" id="bulk-clear" class="bulk-action" disabled=none
                on:click=move |_| selection.names.set(Vec::new())>"Clear"</button>
            <button type="button" id="bulk-protect" class="bulk-action" disabled=none on:click=open(BulkAction::Protect(true))>"Protect…"</button>
            <button type="button" id="bulk-unprotect" class="bulk-action" disabled=none on:click=open(BulkAction::Protect(false))>"Unprotect…"</button>
            <button type="button" id="bulk-rotate" class="bulk-action" disabled=none on:click=open(BulkAction::Rotate)>"Invalidate tokens…"</button>
            <button type="button" id="bulk-transfer" class="bulk-action" disabled=none on:click=open(BulkAction::Transfer)>"Transfer…"</button>
            <button type="button" id="bulk-delete" class="bulk-action danger-text" disabled=none on:click=open(BulkAction::Delete)>"Delete…"</button>
        </div>
        <BulkDialog bulk />
    }
}

#[component]
fn BulkDialog(bulk: Bulk) -> impl IntoView {
    let store = expect_context::<GroupsStore>();
    let typed = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    // Which run is open: changes only when the dialog opens or closes, not on each step.
    let opened = Memo::new(move |_| bulk.opened.with(|o| o.as_ref().map(|o| (o.id, o.action))));
    let action = move || opened.get().map(|(_, a)| a);
    let progress = bulk.progress;
    let t = move |f: fn(&Tally) -> usize| progress.with(|p| f(&p.tally));
    let running = move || progress.with(|p| p.running);
    // Once Run is pressed the input is the run's: what it was checked as is what is sent.
    let locked = move || progress.with(|p| p.started);
    let deleting = move || action() == Some(BulkAction::Delete);
    let doomed_count = move || bulk.opened.with(|o| o.as_ref().map_or(0, |o| o.doomed));
    // What a bulk delete destroys: each group's databases, listed before anything is sent.
    // Keyed on the run, so every opening asks afresh (the databases may have changed since).
    let databases = store.read(
        move || {
            let (id, action) = opened.get()?;
            (action == BulkAction::Delete).then_some((id, untrack(|| bulk.doomed())?))
        },
        |c, (_, doomed): (u64, String)| async move {
            let mut all = Vec::new();
            for name in doomed.lines() {
                all.extend(c.list_databases(name).await?);
            }
            Ok(all)
        },
    );
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let said = bulk
            .start(&to.get_untracked(), &typed.get_untracked())
            .err();
        problem.set(said);
    };
    let close = move || {
        typed.set(String::new());
        to.set(String::new());
        problem.set(None);
        bulk.close();
    };
    let title = Memo::new(move |_| {
        let n = bulk
            .opened
            .with(|o| o.as_ref().map_or(0, |o| o.lines.len()));
        action().map(|a| a.title(n)).unwrap_or_default()
    });
    // One line per group and run, each with its own signal: a step change redraws that line.
    let lines = move || -> Vec<Line> {
        bulk.opened.with(|o| {
            o.as_ref()
                .map(|o| {
                    o.lines
                        .iter()
                        .map(|(n, s)| (o.id, n.clone(), s.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    };
    let line = move |(_, name, step): Line| {
        let class = {
            let step = step.clone();
            move || {
                step.with(|s| match s {
                    Step::Done => "done",
                    Step::Skipped(_) => "skipped",
                    Step::Failed(_) => "failed",
                    _ => "",
                })
            }
        };
        view! {
            <li data-group=name.clone() class=class>
                <code>{name.clone()}</code>" "
                {move || match step.get() {
                    Step::Waiting => view! { <span class="bulk-step">"waiting"</span> }.into_any(),
                    Step::Sending => view! { <span class="bulk-step">"sending…"</span> }.into_any(),
                    Step::Done => view! { <span class="bulk-step">"done"</span> }.into_any(),
                    Step::Skipped(why) => view! { <span class="bulk-step">{format!("skipped: {why}")}</span> }.into_any(),
                    Step::Failed(error) => view! {
                        <span class="bulk-step">"failed"</span>
                        <ErrorMessage error />
                    }.into_any(),
                }}
            </li>
        }
    };
    view! {
        <Modal id="bulk" title open=Signal::derive(move || action().is_some()) on_close=Callback::new(move |_| close())>
            <form on:submit=start novalidate>
                <ul class="bulk-list">
                    <For each=lines key=|(id, name, _): &Line| (*id, name.clone()) children=line />
                </ul>
                {move || deleting().then(|| view! {
                    <p>{move || match databases.state.get() {
                        Load::Ready(all) => format!("This destroys {} groups and {} databases in all. It cannot be undone.", doomed_count(), all.len()),
                        Load::Loading => "Counting the databases…".to_owned(),
                        Load::Failed(_) => "The databases could not be counted.".to_owned(),
                    }}</p>
                    {move || databases.state.with(|d| match d {
                        Load::Failed(e) => Some(view! { <ErrorMessage error=e.clone() retry=Callback::new(move |_| databases.retry()) /> }),
                        _ => None,
                    })}
                    <label for="bulk-confirm">{move || format!("Type {} to confirm", doomed_count())}</label>
                    <input id="bulk-confirm" type="text" inputmode="numeric" autocomplete="off" readonly=locked
                        prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                })}
                {move || (action() == Some(BulkAction::Transfer)).then(|| view! {
                    <label for="bulk-to">"Move to organization"</label>
                    <input id="bulk-to" type="text" autocomplete="off" placeholder="Organization slug" readonly=locked
                        prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                })}
                {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                {move || progress.with(|p| p.paused).map(|secs| view! { <p class="warning">{format!("The API asked to slow down: sending again in {secs} s.")}</p> })}
                <p role="status" id="bulk-summary">{move || locked().then(|| summary(t(|t| t.done), t(Tally::failed), t(|t| t.skipped)))}</p>
                {move || (t(|t| t.final_failures) > 0 && !running()).then(|| view! {
                    <p id="bulk-not-retried">{move || not_retried(t(|t| t.final_failures))}</p>
                })}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| close()>"Close"</button>
                    {move || (t(|t| t.retryable) > 0 && !running()).then(|| view! {
                        <button type="button" id="bulk-retry" on:click=move |_| bulk.retry()>
                            {move || format!("Retry the failed ones ({})", t(|t| t.retryable))}
                        </button>
                    })}
                    <button id="bulk-run" type="submit" class=move || if deleting() { "danger" } else { "primary" }
                        disabled=move || running() || t(|t| t.waiting) == 0 || (deleting() && databases.state.with(|d| d.ready().is_none()))>
                        {move || if running() { "Working…" } else { "Run" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

/// A line of the dialog: its run, its group, its step.
type Line = (u64, String, ArcRwSignal<Step>);

/// Why some failures get no Retry: the API refused them as asked, and would again.
fn not_retried(n: usize) -> String {
    let (groups, them) = if n == 1 {
        ("1 group".to_owned(), "it")
    } else {
        (format!("{n} groups"), "them")
    };
    format!(
        "{groups} failed for a reason a retry cannot fix (the API refused the request itself, \
         e.g. not found, a conflict, the plan or the input): change what it says, then run \
         {them} again from a new selection."
    )
}

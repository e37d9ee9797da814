//! Bulk actions: a selection of groups kept by name, so it survives filtering, sorting and
//! scrolling, and a run that changes each selected group through the one change path, a few
//! at a time, waiting out the API's "too many requests", each group's outcome on its line.

use crate::api::{ApiError, ErrorKind};
use crate::components::{ErrorMessage, Modal};
use crate::rules::bulk::{rate_limit_wait_ms, summary, BulkAction, CONCURRENCY, MAX_RATE_LIMITED};
use crate::state::changes::{Change, NotStarted, Opening};
use crate::state::groups::{GroupsStore, Load};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;

/// The selected groups, by name in name order, and where the last click on a box was (a
/// position in the table as shown), for Shift-click ranges. A sorted list rather than a set
/// type: the same operations, and 5 KB less bundle than `BTreeSet`'s code.
#[derive(Clone, Copy)]
pub struct Selection {
    pub names: RwSignal<Vec<String>>,
    pub anchor: StoredValue<Option<usize>>,
}

impl Selection {
    pub fn new() -> Self {
        Selection {
            names: RwSignal::new(Vec::new()),
            anchor: StoredValue::new(None),
        }
    }

    /// Whether `name` is selected (tracked).
    pub fn has(&self, name: &str) -> bool {
        self.names
            .with(|s| s.binary_search_by(|n| n.as_str().cmp(name)).is_ok())
    }

    /// Selects (`on`) or unselects each of `names`.
    pub fn set(&self, names: impl IntoIterator<Item = String>, on: bool) {
        self.names.try_update(|s| {
            for name in names {
                match (s.binary_search(&name), on) {
                    (Err(at), true) => s.insert(at, name),
                    (Ok(at), false) => drop(s.remove(at)),
                    _ => {}
                }
            }
        });
    }
}

/// Where one group is in a run.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Waiting,
    Sending,
    Done,
    /// Not sent, and why.
    Skipped(&'static str),
    /// What happened, the status and the API's words, on one line.
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
struct Item {
    name: String,
    step: Step,
    /// Times the API answered 429 for it in this run.
    limited: u8,
}

/// A bulk dialog's state, in one signal (each signal type adds its own code to the bundle).
#[derive(Clone, Debug, Default, PartialEq)]
struct BulkState {
    /// The dialog is open for this action.
    action: Option<BulkAction>,
    items: Vec<Item>,
    /// Seconds left of a 429's wait: nothing new is sent meanwhile.
    paused: Option<u32>,
    /// Input that stops the run from starting.
    problem: Option<&'static str>,
    /// The groups a delete would destroy, one per line, fixed when the dialog opens: the
    /// key of the databases count, which must not move while the run removes them.
    doomed: String,
}

impl BulkState {
    fn count(&self, step: fn(&Step) -> bool) -> usize {
        self.items.iter().filter(|i| step(&i.step)).count()
    }
}

/// One bulk dialog's run.
#[derive(Clone, Copy)]
struct Run {
    store: GroupsStore,
    selection: Selection,
    state: RwSignal<BulkState>,
    /// The organization a transfer goes to.
    to: RwSignal<String>,
}

type Pending = Pin<Box<dyn Future<Output = Result<(), ApiError>>>>;

impl Run {
    /// Opens the dialog for `action` on the selected groups; a delete skips the protected
    /// ones, said up front.
    fn open(self, action: BulkAction) {
        let names = self.selection.names.get_untracked();
        let items: Vec<Item> = names
            .into_iter()
            .map(|name| {
                let protected =
                    action == BulkAction::Delete && untrack(|| self.store.is_protected(&name));
                Item {
                    step: if protected {
                        Step::Skipped("delete protection is on")
                    } else {
                        Step::Waiting
                    },
                    name,
                    limited: 0,
                }
            })
            .collect();
        let doomed = if action == BulkAction::Delete {
            let waiting = items.iter().filter(|i| i.step == Step::Waiting);
            waiting
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            String::new()
        };
        self.state.set(BulkState {
            action: Some(action),
            items,
            doomed,
            ..BulkState::default()
        });
    }

    /// Sends the next waiting groups until `CONCURRENCY` are in flight. Every write is a
    /// `try_`: an answer may come after the page (and this run) is gone.
    fn pump(self) {
        loop {
            let next = self.state.try_update(|s| {
                let action = s.action.filter(|_| s.paused.is_none())?;
                let sending = s.count(|step| *step == Step::Sending);
                let at = s.items.iter().position(|i| i.step == Step::Waiting)?;
                (sending < CONCURRENCY).then(|| {
                    s.items[at].step = Step::Sending;
                    (action, at, s.items[at].name.clone())
                })
            });
            let Some(Some((action, at, name))) = next else {
                return;
            };
            self.send(action, at, name);
        }
    }
    fn send(self, action: BulkAction, at: usize, name: String) {
        let client = self.store.client();
        let (change, pending): (Change, Pending) = {
            let name = name.clone();
            match action {
                BulkAction::Protect(on) => (
                    Change::Protection(name.clone()),
                    Box::pin(
                        async move { client.set_delete_protection(&name, on).await.map(drop) },
                    ),
                ),
                BulkAction::Rotate => (
                    Change::Rotate(name.clone()),
                    Box::pin(async move { client.rotate_group_tokens(&name).await }),
                ),
                BulkAction::Transfer => {
                    let to = self.to.get_untracked();
                    (
                        Change::Transfer(name.clone()),
                        Box::pin(async move { client.transfer_group(&name, &to).await.map(drop) }),
                    )
                }
                BulkAction::Delete => (
                    Change::Delete(name.clone()),
                    Box::pin(async move { client.delete_group(&name).await.map(drop) }),
                ),
            }
        };
        let landing = self.store.landing(
            change.clone(),
            |_| {},
            move |result| self.answered(action, at, &name, result),
        );
        let refused = self
            .store
            .changes()
            .run(change, Opening::PAGE, pending, landing);
        if let Err(NotStarted::GroupBusy(_) | NotStarted::AlreadyRunning) = refused {
            self.set(
                at,
                Step::Skipped("another change of this group was in flight"),
            );
        }
    }

    fn answered(self, action: BulkAction, at: usize, name: &str, result: Result<(), ApiError>) {
        let step = match result {
            Ok(()) => {
                match action {
                    BulkAction::Protect(on) => self.store.set_protected(name, on),
                    BulkAction::Rotate => {}
                    BulkAction::Transfer | BulkAction::Delete => {
                        self.store.remove(name);
                        self.selection.set([name.to_owned()], false);
                    }
                }
                Step::Done
            }
            Err(e) if e.kind == ErrorKind::RateLimited => {
                let limited = self
                    .state
                    .try_with_untracked(|s| s.items.get(at).map_or(MAX_RATE_LIMITED, |i| i.limited))
                    .unwrap_or(MAX_RATE_LIMITED);
                match rate_limit_wait_ms(e.retry_after, limited) {
                    Some(ms) => {
                        self.state.try_update(|s| {
                            if let Some(item) = s.items.get_mut(at) {
                                item.limited += 1;
                            }
                        });
                        self.wait(ms);
                        Step::Waiting
                    }
                    None => Step::Failed(failure(&e)),
                }
            }
            Err(e) => Step::Failed(failure(&e)),
        };
        self.set(at, step);
        self.pump();
    }

    fn set(self, at: usize, step: Step) {
        self.state.try_update(|s| {
            if let Some(item) = s.items.get_mut(at) {
                item.step = step;
            }
        });
    }

    /// Holds new sends for `ms` (what the API asked).
    fn wait(self, ms: u32) {
        if self.state.try_with_untracked(|s| s.paused.is_some()) != Some(false) {
            return; // already waiting, or the page is gone
        }
        self.state.update(|s| s.paused = Some(ms.div_ceil(1000)));
        spawn_local(async move {
            TimeoutFuture::new(ms).await;
            if self.state.try_update(|s| s.paused = None).is_some() {
                self.pump();
            }
        });
    }
}

/// The selection's count and actions, above the table: always there, so the count is.
#[component]
pub fn BulkBar(selection: Selection, shown_names: Callback<(), Vec<String>>) -> impl IntoView {
    let run = Run {
        store: expect_context::<GroupsStore>(),
        selection,
        state: RwSignal::new(BulkState::default()),
        to: RwSignal::new(String::new()),
    };
    let count = move || selection.names.with(Vec::len);
    let none = move || count() == 0;
    let open = move |action: BulkAction| move |_| run.open(action);
    view! {
        <div class="bulk-bar" role="group" aria-label="Selected groups">
            <span id="bulk-count">{move || format!("{} selected", count())}</span>
            <button type="button" id="bulk-select-all"
                on:click=move |_| selection.set(shown_names.run(()), true)>
                "Select all shown"
            </button>
            <button type="button" id="bulk-clear" disabled=none
                on:click=move |_| selection.names.set(Vec::new())>"Clear"</button>
            <button type="button" id="bulk-protect" disabled=none on:click=open(BulkAction::Protect(true))>"Protect…"</button>
            <button type="button" id="bulk-unprotect" disabled=none on:click=open(BulkAction::Protect(false))>"Unprotect…"</button>
            <button type="button" id="bulk-rotate" disabled=none on:click=open(BulkAction::Rotate)>"Invalidate tokens…"</button>
            <button type="button" id="bulk-transfer" disabled=none on:click=open(BulkAction::Transfer)>"Transfer…"</button>
            <button type="button" id="bulk-delete" class="danger-text" disabled=none on:click=open(BulkAction::Delete)>"Delete…"</button>
        </div>
        <BulkDialog run />
    }
}

#[component]
fn BulkDialog(run: Run) -> impl IntoView {
    let (store, state) = (run.store, run.state);
    let typed = RwSignal::new(String::new());
    let count = move |step: fn(&Step) -> bool| state.with(|s| s.count(step));
    let waiting = move || count(|s| *s == Step::Waiting);
    let failed = move || count(|s| matches!(s, Step::Failed(_)));
    let started = move || count(|s| !matches!(s, Step::Waiting | Step::Skipped(_))) > 0;
    let running = move || count(|s| *s == Step::Sending) > 0 || state.with(|s| s.paused.is_some());
    let action = move || state.with(|s| s.action);
    let deleting = move || action() == Some(BulkAction::Delete);
    let doomed_count = move || state.with(|s| s.doomed.lines().count());
    // What a bulk delete destroys: each group's databases, listed before anything is sent.
    // Keyed on the names as one string and answered as one list, like the single-group
    // reads: no new read types in the bundle.
    let databases = store.read(
        move || state.with(|s| (!s.doomed.is_empty()).then(|| s.doomed.clone())),
        |c, doomed| async move {
            let mut all = Vec::new();
            for name in doomed.lines() {
                all.extend(c.list_databases(name).await?);
            }
            Ok(all)
        },
    );
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = run.to.get_untracked();
        let to = to.trim();
        let problem = match action() {
            Some(BulkAction::Transfer) if to.is_empty() => {
                Some("Type the organization to move the groups to.")
            }
            Some(BulkAction::Transfer) if to == store.client().org() => {
                Some("The groups are already in that organization.")
            }
            Some(BulkAction::Delete)
                if typed.get_untracked().trim() != doomed_count().to_string() =>
            {
                Some("Type the number of groups to delete, as shown.")
            }
            _ => None,
        };
        state.update(|s| s.problem = problem);
        if problem.is_none() {
            run.pump();
        }
    };
    let retry_failed = move |_| {
        state.update(|s| {
            for item in s
                .items
                .iter_mut()
                .filter(|i| matches!(i.step, Step::Failed(_)))
            {
                item.step = Step::Waiting;
                item.limited = 0;
            }
        });
        run.pump();
    };
    let close = move || {
        typed.set(String::new());
        state.update(|s| s.action = None);
    };
    let title = Signal::derive(move || {
        state.with(|s| s.action.map(|a| a.title(s.items.len())).unwrap_or_default())
    });
    let lines = move || {
        state.with(|s| s.items.iter().map(|item| {
            let (class, said) = match &item.step {
                Step::Waiting => ("", "waiting".to_owned()),
                Step::Sending => ("", "sending…".to_owned()),
                Step::Done => ("done", "done".to_owned()),
                Step::Skipped(why) => ("skipped", format!("skipped: {why}")),
                Step::Failed(said) => ("failed", said.clone()),
            };
            view! { <li data-group=item.name.clone() class=class><code>{item.name.clone()}</code>" "<span class="bulk-step">{said}</span></li> }
        }).collect_view())
    };
    view! {
        <Modal id="bulk" title open=Signal::derive(move || action().is_some()) on_close=Callback::new(move |_| close())>
            <form on:submit=start novalidate>
                <ul class="bulk-list">{lines}</ul>
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
                    <input id="bulk-confirm" type="text" inputmode="numeric" autocomplete="off"
                        prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                })}
                {move || (action() == Some(BulkAction::Transfer)).then(|| view! {
                    <label for="bulk-to">"Move to organization"</label>
                    <input id="bulk-to" type="text" autocomplete="off" placeholder="Organization slug"
                        prop:value=move || run.to.get() on:input=move |ev| run.to.set(event_target_value(&ev)) />
                })}
                {move || state.with(|s| s.problem).map(|p| view! { <p class="error" role="alert">{p}</p> })}
                {move || state.with(|s| s.paused).map(|secs| view! { <p class="warning">{format!("The API asked to slow down: sending again after {secs} s.")}</p> })}
                <p role="status" id="bulk-summary">{move || started().then(|| summary(count(|s| *s == Step::Done), failed(), count(|s| matches!(s, Step::Skipped(_)))))}</p>
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| close()>"Close"</button>
                    {move || (failed() > 0 && !running()).then(|| view! {
                        <button type="button" id="bulk-retry" on:click=retry_failed>"Retry the failed ones"</button>
                    })}
                    <button id="bulk-run" type="submit" class=move || if deleting() { "danger" } else { "primary" }
                        disabled=move || running() || waiting() == 0 || (deleting() && databases.state.with(|d| d.ready().is_none()))>
                        {move || if running() { "Working…" } else { "Run" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}

/// A group's failure on one line: what happened, the status, and the API's own words.
fn failure(e: &ApiError) -> String {
    let mut out = format!("failed: {}", e.headline());
    if let Some(status) = e.status {
        out.push_str(&format!(" (HTTP {status})"));
    }
    if !e.message.is_empty() {
        out.push_str(": ");
        out.push_str(&e.message);
    }
    out
}

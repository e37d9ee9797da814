//! Bulk actions: a selection of groups kept by name, so it survives filtering, sorting and
//! scrolling, and a run that changes each selected group through the one change path, a few
//! at a time, waiting out the API's "too many requests". The run's transitions are the pure
//! rules of `rules::bulk`; this holds them in a signal and sends what they say.
//!
//! Each opening of the bulk dialog is a run of its own, with its own id and its own `Opening`:
//! the server's truth of an answer always reaches the store, but only the run that sent it
//! marks its line or sends more, and only while it is on screen.

use crate::api::ApiError;
use crate::rules::bulk::{check_start, Answered, BulkAction, Progress, Run, Step, Tick};
use crate::state::changes::{Change, NotStarted, Opening, Shown};
use crate::state::groups::{GroupsStore, Outcome};
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

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}

type Pending = Pin<Box<dyn Future<Output = Result<(), ApiError>>>>;

/// What the dialog shows of an open run: which one, and a signal per line, keyed by group.
#[derive(Clone)]
pub struct Opened {
    pub id: u64,
    pub action: BulkAction,
    pub lines: Vec<(String, ArcRwSignal<Step>)>,
    /// How many groups a delete destroys (see `Run::doomed`).
    pub doomed: usize,
}

/// The bulk dialog's run. The run itself is plain data kept out of the reactive graph; after
/// each transition only the lines whose step changed are written, so that a step change
/// redraws its own line only (a run of 1,000 groups makes thousands of transitions).
#[derive(Clone, Copy)]
pub struct Bulk {
    store: GroupsStore,
    pub selection: Selection,
    run: StoredValue<Option<Run>>,
    /// `None` while the dialog is closed.
    pub opened: RwSignal<Option<Opened>>,
    pub progress: RwSignal<Progress>,
    /// Which run is on screen: answers of a closed one land in the store only.
    shown: Shown,
    opening: StoredValue<Opening>,
    /// The last run's id.
    last: StoredValue<u64>,
}

impl Bulk {
    pub fn new(store: GroupsStore, selection: Selection) -> Self {
        Bulk {
            store,
            selection,
            run: StoredValue::new(None),
            opened: RwSignal::new(None),
            progress: RwSignal::new(Progress::default()),
            shown: Shown::new(),
            opening: StoredValue::new(Opening::PAGE),
            last: StoredValue::new(0),
        }
    }

    /// Opens the dialog for `action` on the selected groups, as a new run.
    pub fn open(self, action: BulkAction) {
        let id = self.last.get_value() + 1;
        self.last.set_value(id);
        let names = self.selection.names.get_untracked();
        let store = self.store;
        let run = Run::open(id, action, names, |n| untrack(|| store.is_protected(n)));
        let lines = run.lines.iter();
        let lines = lines.map(|l| (l.name.clone(), ArcRwSignal::new(l.step.clone())));
        let opened = Opened {
            id,
            action,
            lines: lines.collect(),
            doomed: run.doomed.len(),
        };
        self.opening.set_value(self.shown.open());
        self.progress.set(run.progress());
        self.run.set_value(Some(run));
        self.opened.set(Some(opened));
    }

    /// Closes the dialog: nothing more is sent; what is in flight still reaches the table,
    /// and a refusal the banner, as the banner says when a run is cut short.
    pub fn close(self) {
        let stopped = self.run.with_value(|r| r.as_ref().and_then(Run::stopped));
        if let Some(said) = stopped {
            self.store.report(Outcome::Done(said));
        }
        self.shown.close();
        self.run.set_value(None);
        self.opened.set(None);
    }

    /// The groups a delete destroys, one per line (the databases count's question).
    pub fn doomed(self) -> Option<String> {
        self.run
            .try_with_value(|r| r.as_ref().map(|r| r.doomed.join("\n")))
            .flatten()
    }

    /// Applies a transition to the run, then shows what changed. Every write is a `try_`:
    /// an answer may come after the page (and this run) is gone.
    fn update<R>(self, transition: impl FnOnce(&mut Run) -> R) -> Option<R> {
        let out = self
            .run
            .try_update_value(|r| r.as_mut().map(transition))
            .flatten()?;
        self.run.try_with_value(|r| {
            let Some(r) = r else { return };
            self.opened.try_with_untracked(|o| {
                let Some(o) = o.as_ref().filter(|o| o.id == r.id) else {
                    return;
                };
                for (line, (_, step)) in r.lines.iter().zip(&o.lines) {
                    if step.with_untracked(|s| *s != line.step) {
                        step.set(line.step.clone());
                    }
                }
            });
            let progress = r.progress();
            if self.progress.try_with_untracked(|p| *p != progress) == Some(true) {
                self.progress.try_set(progress);
            }
        });
        Some(out)
    }

    /// Run: checks the input once, fixes it for the run, and starts sending.
    pub fn start(self, to: &str, typed_count: &str) -> Result<(), &'static str> {
        let org = self.store.client().org().to_owned();
        let checked = self.run.with_value(|r| {
            let r = r.as_ref().ok_or("The dialog is closed.")?;
            check_start(r.action, to, &org, typed_count, r.doomed.len())
        })?;
        self.update(|r| r.start(checked));
        self.pump();
        Ok(())
    }

    /// "Retry the failed ones": those a retry can fix are sent again.
    pub fn retry(self) {
        self.update(Run::retry);
        self.pump();
    }

    /// Sends what the run says is next.
    fn pump(self) {
        loop {
            let next = self.update(|r| {
                let names = r.to_send();
                (!names.is_empty()).then(|| (r.id, r.action, r.to.clone(), names))
            });
            let Some(Some((id, action, to, names))) = next else {
                return;
            };
            for name in names {
                self.send(id, action, &to, name);
            }
        }
    }

    fn send(self, id: u64, action: BulkAction, to: &str, name: String) {
        let (store, selection) = (self.store, self.selection);
        let client = store.client();
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
                    let to = to.to_owned();
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
        // The server's truth, whether or not the run is still on screen.
        let confirmed = {
            let name = name.clone();
            move |_: &()| match action {
                BulkAction::Protect(on) => store.set_protected(&name, on),
                BulkAction::Rotate => {}
                BulkAction::Transfer | BulkAction::Delete => {
                    store.remove(&name);
                    selection.set([name], false);
                }
            }
        };
        let landing = store.landing(change.clone(), confirmed, move |result| {
            self.answered(id, &name, result)
        });
        let from = self.opening.get_value();
        let refused = store.changes().run(change.clone(), from, pending, landing);
        if let Err(NotStarted::GroupBusy(_) | NotStarted::AlreadyRunning) = refused {
            let group = change.group().unwrap_or_default().to_owned();
            self.update(|r| r.skip(id, &group, "another change of this group was in flight"));
        }
    }

    fn answered(self, id: u64, name: &str, result: Result<(), ApiError>) {
        match self.update(|r| r.answered(id, name, result)) {
            Some(Answered::Landed) => self.pump(),
            Some(Answered::Wait(secs)) => self.wait(id, secs),
            Some(Answered::Ignored) | None => {}
        }
    }

    /// Counts a 429's wait down a second at a time (the dialog shows it), then sends again;
    /// stops as soon as run `id` is gone.
    fn wait(self, id: u64, secs: u32) {
        spawn_local(async move {
            for _ in 0..secs {
                TimeoutFuture::new(1000).await;
                match self.update(|r| r.tick(id)).unwrap_or(Tick::Stale) {
                    Tick::Left(_) => {}
                    Tick::Stale => return,
                    Tick::Resume => return self.pump(),
                }
            }
        });
    }
}

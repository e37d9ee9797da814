//! The one way the panel reads: a `Read` holds the answer to the latest question it was
//! asked. Asking again makes earlier requests stale, so their answers are dropped by
//! construction: a dialog opened for one group never shows another group's databases, and an
//! answer that arrives after its view is gone is dropped without touching it.

use crate::api::{ApiError, ErrorKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;

use super::session::SessionState;

#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

impl<T> Load<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(value) => Some(value),
            _ => None,
        }
    }

    pub fn ready_mut(&mut self) -> Option<&mut T> {
        match self {
            Load::Ready(value) => Some(value),
            _ => None,
        }
    }
}

type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

pub struct Read<T: Send + Sync + 'static> {
    /// What the view shows: loading, the answer, or why there is none.
    pub state: RwSignal<Load<T>>,
    /// Counts the questions; an answer to any but the last is stale.
    asked: RwSignal<u64>,
    /// Bumped by `retry`: a keyed read asks its key again.
    retries: RwSignal<u32>,
    session: SessionState,
}

impl<T: Send + Sync + 'static> Clone for Read<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Read<T> {}

impl<T: Send + Sync + 'static> Read<T> {
    /// A read that has not asked anything yet (it shows "loading").
    pub fn new() -> Self {
        Self::into_state(RwSignal::new(Load::Loading))
    }

    /// A read whose answers land in `state`, which others may also write (a store whose
    /// list follows the answers of changes).
    pub fn into_state(state: RwSignal<Load<T>>) -> Self {
        Read {
            state,
            asked: RwSignal::new(0),
            retries: RwSignal::new(0),
            session: expect_context::<SessionState>(),
        }
    }

    /// A read that asks `fetch(key)` whenever `key` names something new, and nothing while
    /// it is `None` (a closed dialog).
    pub fn keyed<K, Fut>(
        key: impl Fn() -> Option<K> + Send + Sync + 'static,
        fetch: impl Fn(K) -> Fut + 'static,
    ) -> Self
    where
        K: PartialEq + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let read = Read::new();
        let key = Memo::new(move |_| key());
        Effect::new(move || {
            read.retries.track();
            if let Some(k) = key.get() {
                read.ask(fetch(k));
            }
        });
        read
    }

    /// Asks a keyed read's current key again (the Retry of its error message).
    pub fn retry(&self) {
        self.retries.update(|n| *n += 1);
    }

    /// Asks (again): shows "loading" until this question's answer comes.
    pub fn ask(&self, pending: impl Future<Output = Result<T, ApiError>> + 'static) {
        self.ask_boxed(Box::pin(pending));
    }

    fn ask_boxed(&self, pending: Pending<T>) {
        let this = *self;
        let question = self.asked.get_untracked() + 1;
        self.asked.set(question);
        self.state.set(Load::Loading);
        spawn_local(async move {
            let answer = pending.await;
            // Stale (asked again since) or orphaned (its view is gone): dropped.
            if this.asked.try_get_untracked() != Some(question) {
                return;
            }
            let load = match answer {
                Ok(value) => Load::Ready(value),
                Err(e) if e.kind == ErrorKind::Cancelled => return,
                Err(e) => {
                    this.session.refused(&e);
                    Load::Failed(e)
                }
            };
            this.state.set(load);
        });
    }

    /// The answer, when there is one (tracked).
    pub fn with_ready<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.state.with(|l| l.ready().map(f))
    }
}

impl<T: Send + Sync + 'static> Default for Read<T> {
    fn default() -> Self {
        Self::new()
    }
}

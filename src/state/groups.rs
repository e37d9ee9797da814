//! The organization's groups and the locations list, loaded once per connection and then
//! kept up to date from mutation responses: no refetch of the list after a change whose
//! answer carries the group.

use crate::api::{ApiError, Client, Database, ErrorKind, Group, Location};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use std::future::Future;
use std::pin::Pin;
use web_sys::AbortController;

use super::session::SessionState;

type Pending<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

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
}

/// What a group's page and its delete dialog show, read together: the group, delete
/// protection (from the configuration endpoint) and its databases.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupInfo {
    pub group: Group,
    pub delete_protection: bool,
    pub databases: Vec<Database>,
}

/// The outcome of the last change, shown at the top of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Done(String),
    Failed { what: String, error: ApiError },
}

#[derive(Clone, Copy)]
pub struct GroupsStore {
    pub groups: RwSignal<Load<Vec<Group>>>,
    pub locations: RwSignal<Load<Vec<Location>>>,
    pub outcome: RwSignal<Option<Outcome>>,
    /// Changes in flight, as `"<what>:<group>"`, so their buttons stay disabled.
    busy: RwSignal<Vec<String>>,
    client: StoredValue<SendWrapper<Client>>,
    session: SessionState,
}

impl GroupsStore {
    /// A store for the connection: its requests are cancelled when its owner goes away.
    pub fn new(session: SessionState, client: Client) -> Self {
        let client = client.with_signal(page_signal());
        let store = GroupsStore {
            groups: RwSignal::new(Load::Loading),
            locations: RwSignal::new(Load::Loading),
            outcome: RwSignal::new(None),
            busy: RwSignal::new(Vec::new()),
            client: StoredValue::new(SendWrapper::new(client)),
            session,
        };
        store.load_groups();
        store.load_locations();
        store
    }

    pub fn client(&self) -> Client {
        self.client.with_value(|c| (**c).clone())
    }

    pub fn load_groups(&self) {
        self.load_into(
            self.groups,
            |client| async move { client.list_groups().await },
        );
    }

    pub fn load_group_info(&self, target: RwSignal<Load<GroupInfo>>, name: String) {
        self.load_into(target, move |c| async move {
            let (group, protection, databases) = futures::join!(
                c.get_group(&name),
                c.get_group_configuration(&name),
                c.list_databases(&name)
            );
            Ok(GroupInfo {
                group: group?,
                delete_protection: protection?,
                databases: databases?,
            })
        });
    }

    pub fn load_locations(&self) {
        self.load_into(self.locations, |client| async move {
            client.list_locations().await
        });
    }

    /// Loads into `target`, which shows Loading until the answer comes.
    pub fn load_into<T, F, Fut>(&self, target: RwSignal<Load<T>>, request: F)
    where
        T: Send + Sync + 'static,
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        self.load_boxed(target, Box::pin(request(self.client())));
    }

    // The boxed halves keep one copy of the spawning code per result type, not one per
    // call site: the difference is several KB of wasm.
    fn load_boxed<T: Send + Sync + 'static>(&self, target: RwSignal<Load<T>>, pending: Pending<T>) {
        let this = *self;
        target.set(Load::Loading);
        spawn_local(async move {
            match pending.await {
                Ok(value) => {
                    let _ = target.try_set(Load::Ready(value));
                }
                Err(e) if e.kind == ErrorKind::Cancelled => {}
                Err(e) => {
                    this.check_unauthorized(&e);
                    let _ = target.try_set(Load::Failed(e));
                }
            }
        });
    }

    /// Runs a change once (a second call while it is in flight does nothing), then hands
    /// the answer to `done`. Keys are `"<what>:<group>[:<more>]"`: one change at a time per
    /// group, so two dialogs cannot race (a location removed while the group is deleted).
    pub fn change<T, Fut>(
        &self,
        key: String,
        request: impl FnOnce(Client) -> Fut,
        done: impl FnOnce(Result<T, ApiError>) + 'static,
    ) where
        T: 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        // Untracked: a change started from an effect must not make it rerun when the
        // busy list moves.
        if self.busy.with_untracked(|b| b.contains(&key)) {
            return;
        }
        if let Some(group) = group_of(&key) {
            if self
                .busy
                .with_untracked(|b| b.iter().any(|k| group_of(k) == Some(group)))
            {
                self.report(Outcome::Done(format!(
                    "“{group}” is still being changed; try again once that change is done."
                )));
                return;
            }
        }
        self.change_boxed(key, Box::pin(request(self.client())), Box::new(done));
    }

    fn change_boxed<T: 'static>(
        &self,
        key: String,
        pending: Pending<T>,
        done: Box<dyn FnOnce(Result<T, ApiError>)>,
    ) {
        self.busy.update(|b| b.push(key.clone()));
        let this = *self;
        spawn_local(async move {
            let result = pending.await;
            let _ = this.busy.try_update(|b| b.retain(|k| *k != key));
            if let Err(e) = &result {
                if e.kind == ErrorKind::Cancelled {
                    return;
                }
                this.check_unauthorized(e);
            }
            done(result);
        });
    }

    pub fn is_busy(&self, key: &str) -> bool {
        self.busy.with(|b| b.iter().any(|k| k == key))
    }

    /// A refused token ends the session: back to the connect page, with the reason.
    pub fn check_unauthorized(&self, error: &ApiError) {
        if error.kind == ErrorKind::Unauthorized {
            self.session.sign_out(Some(format!(
                "The API refused the token ({}). Connect again with a valid token.",
                error.message
            )));
        }
    }

    pub fn group(&self, name: &str) -> Option<Group> {
        self.groups.with(|l| {
            l.ready()
                .and_then(|g| g.iter().find(|g| g.name == name).cloned())
        })
    }

    /// Puts a group the server confirmed into the table, replacing one of the same name.
    pub fn upsert(&self, group: Group) {
        self.groups.update(|load| {
            if let Load::Ready(list) = load {
                match list.iter_mut().find(|g| g.name == group.name) {
                    Some(existing) => *existing = group,
                    None => list.push(group),
                }
            }
        });
    }

    /// Changes a group in the table the way the server said it changed.
    pub fn patch(&self, name: &str, change: impl FnOnce(&mut Group)) {
        self.groups.update(|load| {
            if let Some(group) = load_mut(load).and_then(|l| l.iter_mut().find(|g| g.name == name))
            {
                change(group);
            }
        });
    }

    /// Takes a group the server deleted or moved away out of the table.
    pub fn remove(&self, name: &str) {
        self.groups.update(|load| {
            if let Load::Ready(list) = load {
                list.retain(|g| g.name != name);
            }
        });
    }

    pub fn report(&self, outcome: Outcome) {
        self.outcome.set(Some(outcome));
    }
}

fn load_mut<T>(load: &mut Load<T>) -> Option<&mut T> {
    match load {
        Load::Ready(value) => Some(value),
        _ => None,
    }
}

/// An abort signal that fires when the current reactive owner is cleaned up.
/// The group a change key names: `"delete:billing"` → `billing`; keys without one → `None`.
fn group_of(key: &str) -> Option<&str> {
    key.split(':').nth(1)
}

pub fn page_signal() -> web_sys::AbortSignal {
    let controller = AbortController::new().expect("AbortController is available in browsers");
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    on_cleanup(move || controller.abort());
    signal
}

//! The organization's groups and the locations list, read once per connection and then
//! kept up to date from the answers of changes: no refetch of the list after a change whose
//! answer carries the group.

use crate::api::{ApiError, Client, Group, Location};
use crate::rules::table::{GroupList, LocationNames};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::future::Future;
use web_sys::AbortController;

use super::changes::{Change, Changes, NotStarted};
pub use super::read::{Load, Read};

/// The outcome of the last change, shown at the top of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Done(String),
    Failed { what: String, error: ApiError },
}

#[derive(Clone, Copy)]
pub struct GroupsStore {
    /// The list as the server last said it is: read once, then changed by answers.
    pub groups: RwSignal<Load<GroupList>>,
    pub locations: RwSignal<Load<Vec<Location>>>,
    /// Location names by code, built once per locations answer.
    pub names: Memo<LocationNames>,
    /// The locations answer as a list (empty until there is one), shared by the pickers.
    pub location_list: Signal<Vec<Location>>,
    pub outcome: RwSignal<Option<Outcome>>,
    groups_read: Read<GroupList>,
    locations_read: Read<Vec<Location>>,
    changes: Changes,
    client: StoredValue<SendWrapper<Client>>,
}

impl GroupsStore {
    /// A store for the connection: its requests are cancelled when its owner goes away.
    pub fn new(client: Client) -> Self {
        let client = client.with_signal(page_signal());
        let groups = RwSignal::new(Load::Loading);
        let locations = RwSignal::new(Load::Loading);
        let store = GroupsStore {
            groups,
            locations,
            names: Memo::new(move |_| {
                locations.with(|l| LocationNames::new(l.ready().map_or(&[], Vec::as_slice)))
            }),
            location_list: Memo::new(move |_| {
                locations.with(|l| l.ready().cloned().unwrap_or_default())
            })
            .into(),
            outcome: RwSignal::new(None),
            groups_read: Read::into_state(groups),
            locations_read: Read::into_state(locations),
            changes: expect_context::<Changes>(),
            client: StoredValue::new(SendWrapper::new(client)),
        };
        store.load_groups();
        store.load_locations();
        store
    }

    pub fn client(&self) -> Client {
        self.client.with_value(|c| (**c).clone())
    }

    pub fn load_groups(&self) {
        let c = self.client();
        self.groups_read
            .ask(async move { c.list_groups().await.map(GroupList::new) });
    }

    pub fn load_locations(&self) {
        let c = self.client();
        self.locations_read
            .ask(async move { c.list_locations().await });
    }

    /// A read of this connection that asks `fetch(client, key)` whenever `key` names
    /// something new (see `Read::keyed`).
    pub fn read<K, T, Fut>(
        &self,
        key: impl Fn() -> Option<K> + Send + Sync + 'static,
        fetch: impl Fn(Client, K) -> Fut + 'static,
    ) -> Read<T>
    where
        K: PartialEq + Clone + Send + Sync + 'static,
        T: Send + Sync + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let this = *self;
        Read::keyed(key, move |k| fetch(this.client(), k))
    }

    /// Runs `change` through the one change path (see `Changes::run`); says so when another
    /// change of the same group is still in flight.
    pub fn change<T, Fut>(
        &self,
        change: Change,
        request: impl FnOnce(Client) -> Fut,
        done: impl FnOnce(Result<T, ApiError>) + 'static,
    ) where
        T: 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        if let Err(NotStarted::GroupBusy(group)) =
            self.changes.run(change, request(self.client()), done)
        {
            self.report(Outcome::Done(format!(
                "“{group}” is still being changed; try again once that change is done."
            )));
        }
    }

    /// Whether `change` is in flight (tracked).
    pub fn is_busy(&self, change: &Change) -> bool {
        self.changes.is_busy(change)
    }

    /// The changes in flight, for views that look for a family of them.
    pub fn changes(&self) -> Changes {
        self.changes
    }

    pub fn group(&self, name: &str) -> Option<Group> {
        self.groups
            .with(|l| l.ready().and_then(|g| g.get(name)).map(|g| (**g).clone()))
    }

    /// Whether the list says the group is delete protected (tracked).
    pub fn is_protected(&self, name: &str) -> bool {
        self.groups.with(|l| {
            l.ready()
                .and_then(|g| g.get(name))
                .is_some_and(|g| g.is_delete_protected())
        })
    }

    /// Puts a group the server confirmed into the table, replacing one of the same name.
    pub fn upsert(&self, group: Group) {
        self.change_list(|list| list.upsert(group));
    }

    /// Delete protection of a group as the server answered it.
    pub fn set_protected(&self, name: &str, on: bool) {
        self.change_list(|list| list.set_protected(name, on));
    }

    /// Takes a group the server deleted or moved away out of the table.
    pub fn remove(&self, name: &str) {
        self.change_list(|list| list.remove(name));
    }

    fn change_list(&self, change: impl FnOnce(&mut GroupList)) {
        self.groups.update(|load| {
            if let Some(list) = load.ready_mut() {
                change(list);
            }
        });
    }

    pub fn report(&self, outcome: Outcome) {
        self.outcome.set(Some(outcome));
    }
}

/// An abort signal that fires when the current reactive owner is cleaned up.
pub fn page_signal() -> web_sys::AbortSignal {
    let controller = AbortController::new().expect("AbortController is available in browsers");
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    on_cleanup(move || controller.abort());
    signal
}

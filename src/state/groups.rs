//! The organization's groups and the locations list, read once per connection and then
//! kept up to date from the answers of changes: no refetch of the list after a change whose
//! answer carries the group.

use crate::api::{ApiError, Client, Group, Location};
use crate::rules::names::follow_renames;
use crate::rules::table::{answered_list, GroupList, ListChange, LocationNames};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::future::Future;
use web_sys::AbortController;

use super::changes::{Change, Changes, Landing, NotStarted, Opening};
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
    /// Groups renamed in this session, old name then new: a link to the old name says where
    /// the group went.
    renamed: RwSignal<Vec<(String, String)>>,
    groups_read: Read<GroupList>,
    /// The changes confirmed since the list was last asked for, laid on its answer.
    since_asked: StoredValue<Vec<ListChange>>,
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
            renamed: RwSignal::new(Vec::new()),
            groups_read: Read::into_state(groups),
            since_asked: StoredValue::new(Vec::new()),
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
        let since_asked = self.since_asked;
        since_asked.set_value(Vec::new());
        self.groups_read.ask(async move {
            let groups = c.list_groups().await?;
            // Cloned, not taken: a later question's answer needs them too if this one is stale.
            let since = since_asked.try_get_value().unwrap_or_default();
            Ok(answered_list(groups, since))
        });
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

    /// Runs `change`, sent from the opening `from`, through the one change path (see
    /// `Changes::run`): `confirmed` puts the server's truth in the store on success, `shown`
    /// lands the answer in the view only while `from` is on screen, and a refusal whose view
    /// is gone is said in the banner. Says so when another change of the group is in flight.
    pub fn change<T, Fut>(
        &self,
        change: Change,
        from: Opening,
        request: impl FnOnce(Client) -> Fut,
        confirmed: impl FnOnce(&T) + 'static,
        shown: impl FnOnce(Result<T, ApiError>) + 'static,
    ) where
        T: 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let refused = self.changes.run(
            change.clone(),
            from,
            request(self.client()),
            self.landing(change, confirmed, shown),
        );
        if let Err(NotStarted::GroupBusy(group)) = refused {
            self.report(Outcome::Done(format!(
                "“{group}” is still being changed; try again once that change is done."
            )));
        }
    }

    /// The landing of a change of this store: a refusal whose view is gone goes to the banner.
    pub fn landing<T: 'static>(
        &self,
        change: Change,
        confirmed: impl FnOnce(&T) + 'static,
        shown: impl FnOnce(Result<T, ApiError>) + 'static,
    ) -> Landing<T> {
        let this = *self;
        Landing {
            confirmed: Box::new(confirmed),
            shown: Box::new(shown),
            unseen: Box::new(move |error| {
                this.report(Outcome::Failed {
                    what: change.failed(),
                    error,
                })
            }),
        }
    }

    /// Unarchives the group; the table and the group's page show the server's answer.
    pub fn unarchive(&self, name: String) {
        let this = *self;
        let change = Change::Unarchive(name.clone());
        self.change(
            change.clone(),
            Opening::PAGE,
            move |c| async move { c.unarchive_group(&name).await },
            move |group: &Group| {
                this.upsert(group.clone());
                this.report(Outcome::Done(format!("Group “{}” unarchived.", group.name)));
            },
            move |result| this.report_failure(&change, result),
        );
    }

    /// Turns delete protection of `name` on or off from the opening `from`; the table and the
    /// group's page follow the server's answer, and `shown` gets it while `from` is on screen.
    pub fn set_protection(
        &self,
        name: String,
        on: bool,
        from: Opening,
        shown: impl FnOnce(Result<bool, ApiError>) + 'static,
    ) {
        let this = *self;
        self.change(
            Change::Protection(name.clone()),
            from,
            {
                let name = name.clone();
                move |c| async move { c.set_delete_protection(&name, on).await }
            },
            move |state: &bool| this.set_protected(&name, *state),
            shown,
        );
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
        self.change_list(ListChange::Upsert(group));
    }

    /// Delete protection of a group as the server answered it.
    pub fn set_protected(&self, name: &str, on: bool) {
        self.change_list(ListChange::Protected(name.to_owned(), on));
    }

    /// The server renamed `old`: the table shows `group` in its place.
    pub fn rename(&self, old: &str, group: &Group) {
        self.remove(old);
        self.upsert(group.clone());
        self.renamed
            .try_update(|r| r.push((old.to_owned(), group.name.clone())));
    }

    /// What `name` was renamed to in this session, following every later rename (tracked).
    pub fn renamed_to(&self, name: &str) -> Option<String> {
        self.renamed.with(|r| follow_renames(r, name))
    }

    /// Takes a group the server deleted or moved away out of the table.
    pub fn remove(&self, name: &str) {
        self.change_list(ListChange::Removed(name.to_owned()));
    }

    /// Every write is a `try_`: the answer of a change may come after sign-out.
    fn change_list(&self, change: ListChange) {
        // A list on screen takes the change now; one still being read takes it when its
        // answer lands (so nothing is kept, or cloned, while no list read is in flight).
        let waiting = self.groups.try_update(|load| match load.ready_mut() {
            Some(list) => {
                list.apply(change);
                None
            }
            None => Some(change),
        });
        if let Some(Some(change)) = waiting {
            self.since_asked.try_update_value(|c| c.push(change));
        }
    }

    /// A refusal of a change sent from the page itself, in the banner.
    pub fn report_failure<T>(&self, change: &Change, result: Result<T, ApiError>) {
        if let Err(error) = result {
            self.report(Outcome::Failed {
                what: change.failed(),
                error,
            });
        }
    }

    pub fn report(&self, outcome: Outcome) {
        self.outcome.try_set(Some(outcome));
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

//! The organization's groups and the locations list, loaded once per page and then kept
//! up to date from mutation responses (no refetch after a create).

use crate::api::{ApiError, Client, ErrorKind, Group, Location};
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use web_sys::AbortController;

use super::session::SessionState;

#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

#[derive(Clone, Copy)]
pub struct GroupsStore {
    pub groups: RwSignal<Load<Vec<Group>>>,
    pub locations: RwSignal<Load<Vec<Location>>>,
    client: StoredValue<SendWrapper<Client>>,
    session: SessionState,
}

impl GroupsStore {
    /// A store for the current page: its requests are cancelled when the page goes away.
    pub fn new(session: SessionState, client: Client) -> Self {
        let client = client.with_signal(page_signal());
        let store = GroupsStore {
            groups: RwSignal::new(Load::Loading),
            locations: RwSignal::new(Load::Loading),
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
        let this = *self;
        this.groups.set(Load::Loading);
        spawn_local(async move {
            let result = this.client().list_groups().await;
            this.settle(this.groups, result);
        });
    }

    pub fn load_locations(&self) {
        let this = *self;
        this.locations.set(Load::Loading);
        spawn_local(async move {
            let result = this.client().list_locations().await;
            this.settle(this.locations, result);
        });
    }

    fn settle<T: Send + Sync + 'static>(
        &self,
        target: RwSignal<Load<T>>,
        result: Result<T, ApiError>,
    ) {
        match result {
            Ok(value) => {
                let _ = target.try_set(Load::Ready(value));
            }
            Err(e) if e.kind == ErrorKind::Cancelled => {}
            Err(e) => {
                self.check_unauthorized(&e);
                let _ = target.try_set(Load::Failed(e));
            }
        }
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
}

/// An abort signal that fires when the current reactive owner (the page) is cleaned up.
pub fn page_signal() -> web_sys::AbortSignal {
    let controller = AbortController::new().expect("AbortController is available in browsers");
    let signal = controller.signal();
    let controller = SendWrapper::new(controller);
    on_cleanup(move || controller.abort());
    signal
}

//! The connection: API base URL, organization and token. The token lives in memory and in
//! sessionStorage, or in localStorage only when the user ticks "remember on this device";
//! signing out wipes both. The base URL and organization (never the token) are remembered
//! separately so the connect form can offer them again.

use crate::api::Client;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use web_sys::Storage;

const SESSION_KEY: &str = "groups-console.session";
const LAST_KEY: &str = "groups-console.last-connection";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub base_url: String,
    pub org: String,
    pub token: String,
    pub remember: bool,
}

impl Session {
    pub fn client(&self) -> Client {
        Client::new(&self.base_url, &self.org, &self.token)
    }
}

/// What the connect form starts from: the last base URL and organization, without a token.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastConnection {
    pub base_url: String,
    pub org: String,
}

/// The session in context, with a message to show on the connect page after a sign-out
/// that the user did not ask for (a refused token, say).
#[derive(Clone, Copy)]
pub struct SessionState {
    pub session: RwSignal<Option<Session>>,
    pub notice: RwSignal<Option<String>>,
}

impl SessionState {
    pub fn load() -> Self {
        let stored = [session_storage(), local_storage()]
            .into_iter()
            .flatten()
            .find_map(|s| s.get_item(SESSION_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<Session>(&json).ok());
        SessionState {
            session: RwSignal::new(stored),
            notice: RwSignal::new(None),
        }
    }

    pub fn sign_in(&self, session: Session) {
        wipe_stored_session();
        let store = if session.remember {
            local_storage()
        } else {
            session_storage()
        };
        if let (Some(store), Ok(json)) = (store, serde_json::to_string(&session)) {
            let _ = store.set_item(SESSION_KEY, &json);
        }
        Self::remember_connection(&session);
        self.notice.set(None);
        self.session.set(Some(session));
    }

    fn remember_connection(session: &Session) {
        let last = LastConnection {
            base_url: session.base_url.clone(),
            org: session.org.clone(),
        };
        if let (Some(store), Ok(json)) = (local_storage(), serde_json::to_string(&last)) {
            let _ = store.set_item(LAST_KEY, &json);
        }
    }

    /// Forgets the token everywhere. `notice` explains why, when the user did not ask.
    pub fn sign_out(&self, notice: Option<String>) {
        if let Some(session) = self.session.get_untracked() {
            Self::remember_connection(&session);
        }
        wipe_stored_session();
        self.notice.set(notice);
        self.session.set(None);
    }

    pub fn client(&self) -> Option<Client> {
        self.session
            .with_untracked(|s| s.as_ref().map(Session::client))
    }

    pub fn last_connection() -> LastConnection {
        local_storage()
            .and_then(|s| s.get_item(LAST_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }
}

fn wipe_stored_session() {
    for store in [session_storage(), local_storage()].into_iter().flatten() {
        let _ = store.remove_item(SESSION_KEY);
    }
}

fn session_storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The API base URL to offer: the serving origin's `/v1` when the panel is served by the
/// local server (which also answers the API), else Turso's.
pub fn default_base_url() -> String {
    let location = web_sys::window().map(|w| w.location());
    let origin = location
        .as_ref()
        .and_then(|l| l.origin().ok())
        .unwrap_or_default();
    let host = location
        .as_ref()
        .and_then(|l| l.hostname().ok())
        .unwrap_or_default();
    if matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]") {
        format!("{origin}/v1")
    } else {
        "https://api.turso.tech/v1".to_owned()
    }
}

//! The connection: API base URL, organization and token. The token lives in memory and in
//! sessionStorage, or in localStorage only when the user ticks "remember on this device";
//! signing out wipes both. The base URL and organization (never the token) are remembered
//! separately so the connect form can offer them again.

use crate::api::{ApiError, Client, ErrorKind, IN_PAGE_SANDBOX};
use leptos::prelude::*;
use web_sys::Storage;

const SESSION_KEY: &str = "groups-console.session";
const LAST_KEY: &str = "groups-console.last-connection";
/// The session's Activity (`state::activity`), in sessionStorage beside the session.
pub const ACTIVITY_KEY: &str = "groups-console.activity";

#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Session {
    pub base_url: String,
    pub org: String,
    pub token: String,
    pub remember: bool,
}

impl Session {
    /// A connection to the sandbox inside the page: its module sits beside `index.html`,
    /// and it accepts the sandbox's own token (not a secret).
    pub fn in_page_sandbox() -> Session {
        let base = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.base_uri().ok().flatten())
            .unwrap_or_default();
        let dir = base.rsplit_once('/').map_or("", |(dir, _)| dir);
        Session {
            base_url: format!("{IN_PAGE_SANDBOX}{dir}/sandbox-web.js"),
            org: "acme".into(),
            token: "sandbox-token".into(),
            remember: false,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base_url, &self.org, &self.token)
    }

    /// As kept in storage: JSON.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `None` for anything that is not a whole session (an older format, a hand edit).
    pub fn decode(text: &str) -> Option<Session> {
        serde_json::from_str(text).ok()
    }
}

/// Never prints the token: a session may end up in a log or a panic message.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("base_url", &self.base_url)
            .field("org", &self.org)
            .field("remember", &self.remember)
            .finish_non_exhaustive()
    }
}

/// What the connect form starts from: the last base URL and organization, without a token.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
        SessionState {
            session: RwSignal::new(stored_session()),
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
        if let Some(store) = store {
            let _ = store.set_item(SESSION_KEY, &session.encode());
        }
        Self::remember_connection(&session);
        self.notice.set(None);
        self.session.set(Some(session));
    }

    fn remember_connection(session: &Session) {
        // The connect form should offer the last real API, not the in-page sandbox.
        if session.base_url.starts_with(IN_PAGE_SANDBOX) {
            return;
        }
        if let Some(store) = local_storage() {
            let last = LastConnection {
                base_url: session.base_url.clone(),
                org: session.org.clone(),
            };
            let _ = store.set_item(LAST_KEY, &serde_json::to_string(&last).unwrap_or_default());
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

    /// A refused token ends the session: back to the connect page, with the reason. Only a
    /// session can end (a refused connect attempt just says so); safe after the panel is gone.
    pub fn refused(&self, error: &ApiError) {
        if error.kind == ErrorKind::Unauthorized
            && self.session.try_with_untracked(Option::is_some) == Some(true)
        {
            self.sign_out(Some(format!(
                "The API refused the token ({}). Connect again with a valid token.",
                error.message
            )));
        }
    }

    pub fn client(&self) -> Option<Client> {
        self.session
            .with_untracked(|s| s.as_ref().map(Session::client))
    }

    pub fn last_connection() -> LastConnection {
        local_storage()
            .and_then(|s| s.get_item(LAST_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }
}

/// The session kept in this browser, read from storage rather than from the reactive state (the
/// crash screen reads it while a panic may have left that state half-changed).
pub fn stored_session() -> Option<Session> {
    [session_storage(), local_storage()]
        .into_iter()
        .flatten()
        .find_map(|s| s.get_item(SESSION_KEY).ok().flatten())
        .and_then(|text| Session::decode(&text))
}

/// Everything kept for the session: the token, and the record of its changes.
fn wipe_stored_session() {
    for store in [session_storage(), local_storage()].into_iter().flatten() {
        let _ = store.remove_item(SESSION_KEY);
        let _ = store.remove_item(ACTIVITY_KEY);
    }
}

pub fn session_storage() -> Option<Storage> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_survive_storage() {
        for remember in [false, true] {
            let session = Session {
                base_url: "https://api.turso.tech/v1".into(),
                org: "acme".into(),
                token: "a.b.c".into(),
                remember,
            };
            assert_eq!(Session::decode(&session.encode()), Some(session));
        }
        assert_eq!(Session::decode(""), None);
        assert_eq!(
            Session::decode("a\nb\nc\ntab"),
            None,
            "the older line format"
        );
        assert_eq!(Session::decode("{\"base_url\":\"x\"}"), None);
    }

    #[test]
    fn debug_output_leaves_the_token_out() {
        let session = Session {
            base_url: "https://api.turso.tech/v1".into(),
            org: "acme".into(),
            token: "secret-token".into(),
            remember: true,
        };
        let shown = format!("{session:?}");
        assert!(
            shown.contains("acme") && !shown.contains("secret-token"),
            "{shown}"
        );
    }
}

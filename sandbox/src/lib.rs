//! An in-memory stand-in for the group routes of Turso's Platform API.
//!
//! The library is a pure request handler: HTTP-shaped values in, HTTP-shaped values out,
//! no I/O and no clock (the caller passes the time). That keeps it usable both behind the
//! `sandbox-server` binary and inside a browser page (wasm32). Behaviour follows the API
//! contract in `shared/docs/turso-api-contract.md`: paths, status codes, body shapes and odd
//! cases (bare arrays, a bare group from transfer, empty 200 bodies) are the real API's.

mod body;
mod expiration;
mod jwt;
mod model;
mod routes;
mod seed;
mod text;

/// The HTTP server that both binaries run, `sandbox-server` and `groups-console-relay` (the
/// `server` feature: the library itself stays I/O-free so that it also builds for wasm32).
#[cfg(feature = "server")]
pub mod server;

/// Base64url without padding, as JWTs use it (tests forge tokens with it).
pub use jwt::encode as base64url_encode;
pub use routes::REGION_PATH;
pub use text::{parse_query, percent_decode};

/// One HTTP request as the handler sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// Raw, still percent-encoded path, e.g. `/v1/organizations/acme/groups/my%20g`.
    pub path: String,
    /// Query parameters, already decoded, in order.
    pub query: Vec<(String, String)>,
    /// The whole `Authorization` header value, e.g. `Bearer sandbox-token`.
    pub authorization: Option<String>,
    /// The `x-turso-organization` header, which the CLI sends on `GET /v1/locations` to get
    /// that organization's list instead of the default one.
    pub turso_organization: Option<String>,
    /// The `User-Agent` header: the audit log's `origin` is `cli` for the CLI's.
    pub user_agent: Option<String>,
    pub body: Option<String>,
}

/// One HTTP response. `body` is JSON text, or empty for the routes that answer 200 with no body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
    /// Extra headers the route wants (e.g. `Allow` on a 405). Transport headers such as
    /// `Content-Type` and CORS are the server's business.
    pub headers: Vec<(String, String)>,
}

/// The whole simulated platform: locations, organizations, their groups and databases.
#[derive(Clone)]
pub struct Platform {
    /// The one Platform API token that is accepted.
    token: String,
    /// Every location of every platform; each organization sees those of its own platforms.
    locations: Vec<model::Location>,
    orgs: Vec<model::Org>,
    /// Source of deterministic ids and of the databases' creation order.
    next_id: u64,
}

impl Request {
    /// A request with no query, no body and no authorization.
    pub fn new(method: &str, path: &str) -> Request {
        Request {
            method: method.to_string(),
            path: path.to_string(),
            ..Request::default()
        }
    }

    /// Sets `Authorization: Bearer <token>`.
    pub fn bearer(mut self, token: &str) -> Request {
        self.authorization = Some(format!("Bearer {token}"));
        self
    }

    /// Sets `x-turso-organization: <slug>`.
    pub fn organization_header(mut self, slug: &str) -> Request {
        self.turso_organization = Some(slug.to_string());
        self
    }

    pub fn user_agent(mut self, agent: &str) -> Request {
        self.user_agent = Some(agent.to_string());
        self
    }

    pub fn query(mut self, name: &str, value: &str) -> Request {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: &str) -> Request {
        self.body = Some(body.to_string());
        self
    }
}

impl Response {
    /// The body parsed as JSON; `Value::Null` when it is empty or not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Leaves the token out, so a debug print never leaks it.
impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform")
            .field(
                "orgs",
                &self.orgs.iter().map(|o| &o.slug).collect::<Vec<_>>(),
            )
            .field("next_id", &self.next_id)
            .finish_non_exhaustive()
    }
}

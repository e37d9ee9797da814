//! Models exactly as the Platform API sends them. Every field but a group's `name` may be
//! missing, and unknown fields are ignored, because the API has dropped and renamed fields
//! before (`archived`, `version`, `locations` are deprecated but still sent).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub struct Group {
    pub name: String,
    #[serde(default)]
    pub uuid: Option<String>,
    #[serde(default)]
    pub primary: Option<String>,
    #[serde(default)]
    pub locations: Option<Vec<String>>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub archived: Option<bool>,
    #[serde(default)]
    pub delete_protection: Option<bool>,
}

impl Group {
    pub fn locations(&self) -> &[String] {
        self.locations.as_deref().unwrap_or(&[])
    }
    pub fn is_archived(&self) -> bool {
        self.archived.unwrap_or(false)
    }
    pub fn is_delete_protected(&self) -> bool {
        self.delete_protection.unwrap_or(false)
    }
}

/// One entry of `GET /v1/locations`, which the API sends as a `{code: name}` map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Organization {
    #[serde(default)]
    pub name: Option<String>,
    pub slug: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub plan_id: Option<String>,
}

/// A database as listed by `GET /v1/organizations/{org}/databases`; the API mixes
/// `PascalCase` and `snake_case` keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Database {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(default, rename = "DbId")]
    pub id: Option<String>,
    #[serde(default, rename = "Hostname")]
    pub hostname: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default, rename = "primaryRegion")]
    pub primary_region: Option<String>,
}

/// Extensions chosen at group creation; the API takes `"all"` or a list of names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Extensions {
    #[default]
    None,
    All,
    Some(Vec<String>),
}

/// The extension names the API accepts (OpenAPI `NewGroup.extensions`).
pub const EXTENSION_NAMES: [&str; 10] = [
    "vector", "crypto", "fuzzy", "math", "stats", "text", "unicode", "uuid", "regexp", "vec",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewGroup {
    pub name: String,
    pub location: String,
    pub extensions: Extensions,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Access {
    #[default]
    FullAccess,
    ReadOnly,
}

/// The choices behind `POST …/auth/tokens`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenRequest {
    /// The API's own form (`never`, `2w1d30m`); `None` leaves the server default (never).
    pub expiration: Option<String>,
    pub access: Access,
    /// Databases the token may read through ATTACH.
    pub read_attach: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct DatabasePage {
    #[serde(default)]
    pub databases: Vec<Database>,
    #[serde(default)]
    pub next: Option<String>,
}

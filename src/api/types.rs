//! Models exactly as the Platform API sends them. Every field but a group's `name` may be
//! missing, and unknown fields are ignored, because the API has dropped and renamed fields
//! before (`archived`, `version`, `locations` are deprecated but still sent).

use super::json::{FromJson, Json};

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Group {
    pub name: String,
    pub uuid: Option<String>,
    pub primary: Option<String>,
    pub locations: Option<Vec<String>>,
    pub version: Option<String>,
    pub archived: Option<bool>,
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Organization {
    pub name: Option<String>,
    pub slug: String,
    pub kind: Option<String>,
    pub plan_id: Option<String>,
}

/// A database as listed by `GET /v1/organizations/{org}/databases`; the API mixes
/// `PascalCase` and `snake_case` keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Database {
    pub name: String,
    pub id: Option<String>,
    pub hostname: Option<String>,
    pub group: Option<String>,
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

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DatabasePage {
    pub databases: Vec<Database>,
    pub next: Option<String>,
}

impl FromJson for Group {
    fn from_json(value: &Json) -> Result<Self, String> {
        let v = value.object()?;
        Ok(Group {
            name: v.required("name")?,
            uuid: v.field("uuid")?,
            primary: v.field("primary")?,
            locations: v.field("locations")?,
            version: v.field("version")?,
            archived: v.field("archived")?,
            delete_protection: v.field("delete_protection")?,
        })
    }
}

impl FromJson for Organization {
    fn from_json(value: &Json) -> Result<Self, String> {
        let v = value.object()?;
        Ok(Organization {
            name: v.field("name")?,
            slug: v.required("slug")?,
            kind: v.field("type")?,
            plan_id: v.field("plan_id")?,
        })
    }
}

impl FromJson for Database {
    fn from_json(value: &Json) -> Result<Self, String> {
        let v = value.object()?;
        Ok(Database {
            name: v.required("Name")?,
            id: v.field("DbId")?,
            hostname: v.field("Hostname")?,
            group: v.field("group")?,
            primary_region: v.field("primaryRegion")?,
        })
    }
}

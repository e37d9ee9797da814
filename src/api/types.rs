//! Models exactly as the Platform API sends them. Every field but a group's `name` may be
//! missing or `null`, and unknown fields are ignored, because the API has dropped and renamed
//! fields before (`archived`, `version`, `locations` are deprecated but still sent) and its Go
//! servers send `null` for an empty list.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
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

/// The `{code: name}` map of a locations answer, as a list in the API's order (the picker
/// sorts by name itself). A repeated code keeps its last name, as a JSON object member does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocationMap(pub Vec<Location>);

impl<'de> Deserialize<'de> for LocationMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = LocationMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of location codes and names")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LocationMap, A::Error> {
                let mut list: Vec<Location> = Vec::new();
                while let Some((code, name)) = map.next_entry::<String, String>()? {
                    match list.iter_mut().find(|l| l.code == code) {
                        Some(l) => l.name = name,
                        None => list.push(Location { code, name }),
                    }
                }
                Ok(LocationMap(list))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
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

impl Extensions {
    fn is_none(&self) -> bool {
        *self == Extensions::None
    }
}

impl Serialize for Extensions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Extensions::Some(list) => list.serialize(serializer),
            // `None` is never sent (skipped in `NewGroup`).
            _ => serializer.serialize_str("all"),
        }
    }
}

/// The extension names the API accepts (OpenAPI `NewGroup.extensions`).
pub const EXTENSION_NAMES: [&str; 10] = [
    "vector", "crypto", "fuzzy", "math", "stats", "text", "unicode", "uuid", "regexp", "vec",
];

/// The body of `POST /v1/organizations/{org}/groups`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewGroup {
    pub name: String,
    pub location: String,
    #[serde(skip_serializing_if = "Extensions::is_none")]
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
    /// Fine-grained permissions: what the token may do, table by table.
    pub table_rules: Vec<TableRule>,
}

/// One fine-grained permission of a group token, as the CLI sends it (undocumented in the
/// OpenAPI document; DOCS fine-grained-permissions): `{"t": [tables], "a": [actions]}`, `t`
/// left out for every table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRule {
    /// `None`: every table.
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<Vec<String>>,
    #[serde(rename = "a")]
    pub actions: Vec<String>,
}

/// One entry of an organization's audit log (OAS `AuditLog`): who did what, from where.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AuditLog {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    /// `cli` or `web`, from the User-Agent of the change.
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub author: String,
    /// ISO 8601, e.g. `2023-12-20T09:46:08Z`.
    #[serde(default)]
    pub created_at: String,
    /// "The payload of the action performed": only the group it names is read.
    #[serde(default)]
    pub data: AuditData,
}

/// What the panel reads of an entry's payload. Turso documents no field of it; the group's
/// name is looked for under the keys that name one (the sandbox writes `group`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct AuditData {
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub group_name: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// One page of the audit log, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditLog>,
    pub page: u32,
    pub total_pages: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DatabasePage {
    pub databases: Vec<Database>,
    pub next: Option<String>,
}

/// A list the API may send as `null` (Go's empty slice) reads as empty; a missing one is
/// still an error where the field has no `default`.
pub(crate) fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

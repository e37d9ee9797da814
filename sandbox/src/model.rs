//! The platform's data and its JSON shapes (field names exactly as the API spells them).

use serde::Serialize;
use sha2::{Digest, Sha512};

/// The libSQL version a group gets when it is created or updated.
pub(crate) const LATEST_VERSION: &str = "v0.24.31";

/// Extension names accepted at group creation (OAS `Extensions`).
pub(crate) const EXTENSIONS: [&str; 10] = [
    "vector", "crypto", "fuzzy", "math", "stats", "text", "unicode", "uuid", "regexp", "vec",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    Starter,
    Scaler,
}

impl Plan {
    pub(crate) fn id(self) -> &'static str {
        match self {
            Plan::Starter => "starter",
            Plan::Scaler => "scaler",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Org {
    pub name: String,
    pub slug: String,
    /// `personal` or `team`.
    pub kind: &'static str,
    pub plan: Plan,
    /// Whether the configured token belongs to this organization.
    pub member: bool,
    /// Whether adding locations (edge replicas) is refused, as it is for newer orgs.
    pub replicas_disabled: bool,
    pub group_limit: usize,
    /// The location platforms (`aws`, `fly`) this organization may place groups on.
    pub platforms: &'static [&'static str],
    /// In creation order (the order the list route returns).
    pub groups: Vec<Group>,
    /// Oldest first; the route lists them newest first.
    pub audit_logs: Vec<AuditLog>,
}

/// The user the sandbox's Platform API token belongs to: the author of every change it
/// makes. `jane` owns the personal organization of that name and is a member of the teams.
pub(crate) const TOKEN_USER: &str = "jane";

/// The fine-grained permission actions a group token may carry (DOCS
/// fine-grained-permissions; the CLI's `-p` flag).
pub(crate) const PERMISSION_ACTIONS: [&str; 7] = [
    "data_read",
    "data_add",
    "data_update",
    "data_delete",
    "schema_add",
    "schema_update",
    "schema_delete",
];

/// One entry of an organization's audit log (OAS `AuditLog`). `data` is the sandbox's own
/// choice, as Turso documents only that it is "the payload of the action": the group's name
/// as `group`, and what the change asked for.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AuditLog {
    pub code: &'static str,
    pub message: String,
    /// `cli` when the request's User-Agent is the CLI's, else `web` (OAS).
    pub origin: &'static str,
    pub author: String,
    /// ISO 8601, e.g. `2023-12-20T09:46:08Z`.
    pub created_at: String,
    pub data: serde_json::Value,
}

/// Unix seconds as the audit log writes them, `2023-12-20T09:46:08Z`.
pub(crate) fn iso_time(unix: u64) -> String {
    let at = i64::try_from(unix)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// One location an organization may see, on one platform.
#[derive(Clone, Debug)]
pub(crate) struct Location {
    /// `aws` (today's `aws-*` codes) or `fly` (the older three-letter codes).
    pub platform: &'static str,
    pub code: &'static str,
    /// The display name, in the style Turso lists it (`AWS EU West (Ireland)`, `London, United Kingdom`).
    pub name: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Group {
    pub name: String,
    pub uuid: String,
    pub version: String,
    pub primary: String,
    pub locations: Vec<String>,
    pub archived: bool,
    pub delete_protection: bool,
    /// Bumped by rotate and transfer; part of the signing key, so older tokens stop verifying.
    #[serde(skip)]
    pub key_generation: u32,
    #[serde(skip)]
    pub databases: Vec<Database>,
}

#[derive(Clone, Debug)]
pub(crate) struct Database {
    pub name: String,
    pub id: String,
    /// Position in the platform-wide creation order; list order and pagination cursors use it.
    pub seq: u64,
}

/// The API's database object, with its mixed-case field names.
#[derive(Serialize)]
pub(crate) struct DatabaseView<'a> {
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "DbId")]
    db_id: &'a str,
    #[serde(rename = "Hostname")]
    hostname: String,
    block_reads: bool,
    block_writes: bool,
    allow_attach: bool,
    regions: &'a [String],
    #[serde(rename = "primaryRegion")]
    primary_region: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    version: &'a str,
    group: &'a str,
    sleeping: bool,
    archived: bool,
    delete_protection: bool,
    is_schema: bool,
    schema: &'static str,
    parent: Option<()>,
}

impl<'a> DatabaseView<'a> {
    pub(crate) fn new(org_slug: &str, group: &'a Group, db: &'a Database) -> DatabaseView<'a> {
        DatabaseView {
            name: &db.name,
            db_id: &db.id,
            // The region part keeps the `aws-` prefix, as real hostnames do.
            hostname: format!("{}-{}.{}.turso.io", db.name, org_slug, group.primary),
            block_reads: false,
            block_writes: false,
            allow_attach: true,
            regions: &group.locations,
            primary_region: &group.primary,
            kind: "logical",
            version: &group.version,
            group: &group.name,
            sleeping: false,
            // A database sleeps and wakes with its group.
            archived: group.archived,
            delete_protection: false,
            is_schema: false,
            schema: "",
            parent: None,
        }
    }
}

/// The API's organization object.
#[derive(Serialize)]
pub(crate) struct OrgView<'a> {
    name: &'a str,
    slug: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    overages: bool,
    require_mfa: bool,
    blocked_reads: bool,
    blocked_writes: bool,
    plan_id: &'static str,
    plan_timeline: &'static str,
    /// OAS: "the external platform this organization is managed by; empty for Turso managed
    /// organizations". All seeded organizations are Turso managed.
    platform: &'static str,
}

impl<'a> OrgView<'a> {
    pub(crate) fn new(org: &'a Org) -> OrgView<'a> {
        OrgView {
            name: &org.name,
            slug: &org.slug,
            kind: org.kind,
            overages: false,
            require_mfa: false,
            blocked_reads: false,
            blocked_writes: false,
            plan_id: org.plan.id(),
            plan_timeline: "monthly",
            platform: "",
        }
    }
}

/// A UUID-looking id (version 4 layout) derived from a counter, so runs are reproducible.
pub(crate) fn uuid_from_counter(counter: u64) -> String {
    let digest = Sha512::new()
        .chain_update(b"groups-console-sandbox/id")
        .chain_update(counter.to_be_bytes())
        .finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_v4_uuids_and_differ() {
        let a = uuid_from_counter(1);
        let b = uuid_from_counter(2);
        assert_ne!(a, b);
        assert_eq!(a, uuid_from_counter(1));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }
}

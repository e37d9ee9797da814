//! Every endpoint as a pure value: the request to send and how to read the answer. No I/O
//! here, so native tests can check each request and parse each documented response.

use super::error::ApiError;
use super::types::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request relative to the API base URL (which ends in `/v1`). Serializable, so Activity
/// can keep it for the tab's session; it never holds the API token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRequest {
    pub method: Method,
    /// 1, or 2 for the undocumented `/v2` routes: the base URL's `/v1` becomes `/v2`;
    /// `REGION_SERVICE` for the closest-region service, which is outside the API.
    pub version: u8,
    /// Starts with `/`; every segment taken from user data is percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// JSON text.
    pub body: Option<String>,
}

impl ApiRequest {
    fn new(method: Method, path: String) -> Self {
        ApiRequest {
            method,
            version: 1,
            path,
            query: Vec::new(),
            body: None,
        }
    }
    fn json(mut self, body: &impl Serialize) -> Self {
        // Plain structs of strings, bools and lists: serializing them cannot fail.
        self.body = serde_json::to_string(body).ok();
        self
    }
    fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_owned(), value.into()));
        self
    }

    /// Path and encoded query, e.g. `/organizations/acme/groups?x=1`.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (k, v)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode_component(k));
            out.push('=');
            out.push_str(&encode_component(v));
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<String>,
}

/// A typed endpoint: what to send, and how to read what comes back.
pub struct Call<T> {
    pub request: ApiRequest,
    pub parse: fn(&RawResponse) -> Result<T, ApiError>,
}

/// Reads (GET) that meet a 429 or 503 are asked again this many times at most.
pub const MAX_RETRIES: u32 = 2;
/// A Retry-After longer than this is not waited out: the user sees the refusal instead.
const MAX_RETRY_AFTER_SECS: u32 = 5;

/// How long to wait before asking again, or `None` to take the answer as it is. Only reads
/// are retried, never changes: a change may have happened even though the answer failed.
/// The wait is what `Retry-After` asks (in seconds), else 0.5 s, then 1 s.
pub fn retry_delay_ms(
    attempt: u32,
    method: Method,
    status: u16,
    retry_after: Option<&str>,
) -> Option<u32> {
    if method != Method::Get || !matches!(status, 429 | 503) || attempt >= MAX_RETRIES {
        return None;
    }
    match retry_after.and_then(|v| v.trim().parse::<u32>().ok()) {
        Some(secs) if secs <= MAX_RETRY_AFTER_SECS => Some(secs * 1000),
        Some(_) => None,
        None => Some(500 << attempt),
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters. Written out, though the
/// percent-encoding crate is in the build (`rules::cli` decodes with it): its
/// `utf8_percent_encode` with the same set measured 655 bytes more of the first load after
/// brotli, for the same output.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn org_path(org: &str) -> String {
    format!("/organizations/{}", encode_component(org))
}

fn group_path(org: &str, group: &str) -> String {
    format!("{}/groups/{}", org_path(org), encode_component(group))
}

fn success(res: &RawResponse) -> Result<(), ApiError> {
    if (200..300).contains(&res.status) {
        Ok(())
    } else {
        Err(ApiError::from_status(
            res.status,
            &res.body,
            res.retry_after.as_deref(),
        ))
    }
}

/// The body of a successful answer, read as `T`.
fn read<T: DeserializeOwned>(res: &RawResponse) -> Result<T, ApiError> {
    success(res)?;
    serde_json::from_str(&res.body).map_err(|e| ApiError::bad_response(res.status, e))
}

/// `{"group": Group}`, the answer of most group routes.
#[derive(Deserialize)]
struct GroupAnswer {
    group: Group,
}

fn wrapped_group(res: &RawResponse) -> Result<Group, ApiError> {
    read::<GroupAnswer>(res).map(|a| a.group)
}

/// Transfer answers with a bare group per the OpenAPI document; accept the wrapped form too.
fn bare_or_wrapped_group(res: &RawResponse) -> Result<Group, ApiError> {
    wrapped_group(res).or_else(|_| read(res))
}

/// Routes documented as "No Content": any success body is ignored.
fn no_content(res: &RawResponse) -> Result<(), ApiError> {
    success(res)
}

#[derive(Deserialize)]
struct GroupsAnswer {
    #[serde(deserialize_with = "null_as_empty")]
    groups: Vec<Shared>,
}

/// A group read straight into the allocation it is shared from, so a list of 10,000 is
/// never also one contiguous `Vec<Group>` (a megabyte, and more while it grows).
struct Shared(Arc<Group>);

impl<'de> Deserialize<'de> for Shared {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Group::deserialize(deserializer).map(|g| Shared(Arc::new(g)))
    }
}

/// The body of `PATCH …/configuration`, and its answer.
#[derive(Serialize, Deserialize)]
struct Configuration {
    delete_protection: bool,
}

/// The answer of `GET …/configuration`; the CLI reads a missing value as off, the panel as
/// unknown.
#[derive(Deserialize)]
struct ConfigurationAnswer {
    #[serde(default)]
    delete_protection: Option<bool>,
}

#[derive(Serialize)]
struct Transfer<'a> {
    organization: &'a str,
}

/// The CLI sends `{"Name": …}` from an untagged Go struct; Go reads keys case-insensitively,
/// so the panel sends the lowercase key the other routes use.
#[derive(Serialize)]
struct Rename<'a> {
    name: &'a str,
}

/// `{"permissions":{"read_attach":{"databases":[…]}},"fine_grained_permissions":[…]}`, each
/// part only when chosen: an empty `read_attach.databases` list is refused by the API.
#[derive(Serialize)]
struct TokenBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions: Option<TokenPermissions<'a>>,
    #[serde(skip_serializing_if = "<[TableRule]>::is_empty")]
    fine_grained_permissions: &'a [TableRule],
}

#[derive(Serialize)]
struct TokenPermissions<'a> {
    read_attach: ReadAttach<'a>,
}

#[derive(Serialize)]
struct ReadAttach<'a> {
    databases: &'a [String],
}

#[derive(Deserialize)]
struct TokenAnswer {
    jwt: String,
}

#[derive(Deserialize)]
struct LocationsAnswer {
    locations: LocationMap,
}

/// `{"locations": {"aws": {code: name}, "fly": {code: name}}}`, keyed by platform.
#[derive(Deserialize)]
struct PlatformLocationsAnswer {
    locations: std::collections::BTreeMap<String, LocationMap>,
}

#[derive(Deserialize)]
struct OrganizationsAnswer {
    #[serde(deserialize_with = "null_as_empty")]
    organizations: Vec<Organization>,
}

#[derive(Deserialize)]
struct DatabasesAnswer {
    #[serde(deserialize_with = "null_as_empty")]
    databases: Vec<Database>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

#[derive(Deserialize)]
struct Pagination {
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct ValidateAnswer {
    exp: i64,
}

pub fn list_groups(org: &str) -> Call<Vec<Arc<Group>>> {
    Call {
        request: ApiRequest::new(Method::Get, format!("{}/groups", org_path(org))),
        parse: |res| read::<GroupsAnswer>(res).map(|a| a.groups.into_iter().map(|g| g.0).collect()),
    }
}

pub fn create_group(org: &str, new: &NewGroup) -> Call<Group> {
    Call {
        request: ApiRequest::new(Method::Post, format!("{}/groups", org_path(org))).json(new),
        parse: wrapped_group,
    }
}

pub fn get_group(org: &str, group: &str) -> Call<Group> {
    Call {
        request: ApiRequest::new(Method::Get, group_path(org, group)),
        parse: wrapped_group,
    }
}

pub fn delete_group(org: &str, group: &str) -> Call<Group> {
    Call {
        request: ApiRequest::new(Method::Delete, group_path(org, group)),
        parse: wrapped_group,
    }
}

/// Legacy: moves every database of the group to the latest server version.
pub fn update_group_version(org: &str, group: &str) -> Call<()> {
    Call {
        request: ApiRequest::new(Method::Post, format!("{}/update", group_path(org, group))),
        parse: no_content,
    }
}

pub fn transfer_group(org: &str, group: &str, target_org: &str) -> Call<Group> {
    Call {
        request: ApiRequest::new(Method::Post, format!("{}/transfer", group_path(org, group)))
            .json(&Transfer {
                organization: target_org,
            }),
        parse: bare_or_wrapped_group,
    }
}

/// Undocumented in OAS (the CLI's `turso group rename`): its answer's body is unknown, so it
/// is not read; the group is read again under its new name.
pub fn rename_group(org: &str, group: &str, new_name: &str) -> Call<()> {
    Call {
        request: ApiRequest::new(Method::Post, format!("{}/rename", group_path(org, group)))
            .json(&Rename { name: new_name }),
        parse: no_content,
    }
}

pub fn unarchive_group(org: &str, group: &str) -> Call<Group> {
    Call {
        request: ApiRequest::new(
            Method::Post,
            format!("{}/unarchive", group_path(org, group)),
        ),
        parse: wrapped_group,
    }
}

fn location_path(org: &str, group: &str, location: &str) -> String {
    format!(
        "{}/locations/{}",
        group_path(org, group),
        encode_component(location)
    )
}

pub fn add_location(org: &str, group: &str, location: &str) -> Call<Group> {
    Call {
        request: ApiRequest::new(Method::Post, location_path(org, group, location)),
        parse: wrapped_group,
    }
}

pub fn remove_location(org: &str, group: &str, location: &str) -> Call<Group> {
    Call {
        request: ApiRequest::new(Method::Delete, location_path(org, group, location)),
        parse: wrapped_group,
    }
}

/// Reads delete protection from the configuration endpoint (the group object may omit it):
/// `None` when the answer does not say, which must not be shown as "off".
pub fn get_group_configuration(org: &str, group: &str) -> Call<Option<bool>> {
    Call {
        request: ApiRequest::new(
            Method::Get,
            format!("{}/configuration", group_path(org, group)),
        ),
        parse: |res| read::<ConfigurationAnswer>(res).map(|c| c.delete_protection),
    }
}

pub fn set_delete_protection(org: &str, group: &str, on: bool) -> Call<bool> {
    Call {
        request: ApiRequest::new(
            Method::Patch,
            format!("{}/configuration", group_path(org, group)),
        )
        .json(&Configuration {
            delete_protection: on,
        }),
        // The answer of a change must say the state it left.
        parse: |res| read::<Configuration>(res).map(|c| c.delete_protection),
    }
}

pub fn create_group_token(org: &str, group: &str, token: &TokenRequest) -> Call<String> {
    let mut request = ApiRequest::new(
        Method::Post,
        format!("{}/auth/tokens", group_path(org, group)),
    );
    if let Some(expiration) = &token.expiration {
        request = request.query("expiration", expiration.clone());
    }
    if token.access == Access::ReadOnly {
        request = request.query("authorization", "read-only");
    }
    if !token.read_attach.is_empty() || !token.table_rules.is_empty() {
        let read_attach = (!token.read_attach.is_empty()).then(|| TokenPermissions {
            read_attach: ReadAttach {
                databases: &token.read_attach,
            },
        });
        request = request.json(&TokenBody {
            permissions: read_attach,
            fine_grained_permissions: &token.table_rules,
        });
    }
    Call {
        request,
        parse: |res| read::<TokenAnswer>(res).map(|a| a.jwt),
    }
}

/// Invalidates every token of the group and its databases.
pub fn rotate_group_tokens(org: &str, group: &str) -> Call<()> {
    Call {
        request: ApiRequest::new(
            Method::Post,
            format!("{}/auth/rotate", group_path(org, group)),
        ),
        parse: no_content,
    }
}

/// Locations in the API's order (the picker sorts them by name); the API sends them as a
/// `{code: name}` map.
pub fn list_locations() -> Call<Vec<Location>> {
    Call {
        request: ApiRequest::new(Method::Get, "/locations".into()),
        parse: |res| read::<LocationsAnswer>(res).map(|a| a.locations.0),
    }
}

/// The locations this organization may use, as Turso's CLI reads them: the undocumented
/// org-scoped route, keyed by platform (an older organization may still have the Fly.io-era
/// three-letter codes). A code listed under two platforms is kept once.
pub fn list_org_locations(org: &str) -> Call<Vec<Location>> {
    let mut request = ApiRequest::new(Method::Get, format!("{}/locations", org_path(org)));
    request.version = 2;
    Call {
        request,
        parse: |res| {
            let answer = read::<PlatformLocationsAnswer>(res)?;
            let mut all: Vec<Location> = Vec::new();
            for location in answer.locations.into_values().flat_map(|m| m.0) {
                if !all.iter().any(|l| l.code == location.code) {
                    all.push(location);
                }
            }
            Ok(all)
        },
    }
}

/// The OpenAPI document says a bare array; other clients read `{"organizations": [...]}`.
pub fn list_organizations() -> Call<Vec<Organization>> {
    Call {
        request: ApiRequest::new(Method::Get, "/organizations".into()),
        parse: |res| {
            read(res).or_else(|_| read::<OrganizationsAnswer>(res).map(|a| a.organizations))
        },
    }
}

/// One page of a group's databases; follow `next` for the rest.
pub fn list_databases_page(org: &str, group: &str, cursor: Option<&str>) -> Call<DatabasePage> {
    let mut request =
        ApiRequest::new(Method::Get, format!("{}/databases", org_path(org))).query("group", group);
    if let Some(cursor) = cursor {
        request = request.query("cursor", cursor);
    }
    Call {
        request,
        parse: |res| {
            let answer = read::<DatabasesAnswer>(res)?;
            Ok(DatabasePage {
                databases: answer.databases,
                next: answer
                    .pagination
                    .and_then(|p| p.next)
                    .filter(|n| !n.is_empty()),
            })
        },
    }
}

#[derive(Deserialize)]
struct AuditAnswer {
    #[serde(deserialize_with = "null_as_empty")]
    audit_logs: Vec<AuditLog>,
    #[serde(default)]
    pagination: Option<AuditPagination>,
}

#[derive(Deserialize)]
struct AuditPagination {
    #[serde(default)]
    page: u32,
    #[serde(default)]
    total_pages: u32,
}

/// Page `page` (from 1) of the organization's audit log, `page_size` entries, newest first.
pub fn list_audit_logs(org: &str, page: u32, page_size: u32) -> Call<AuditPage> {
    Call {
        request: ApiRequest::new(Method::Get, format!("{}/audit-logs", org_path(org)))
            .query("page", page.to_string())
            .query("page_size", page_size.to_string()),
        parse: |res| {
            let answer = read::<AuditAnswer>(res)?;
            let pagination = answer.pagination.unwrap_or(AuditPagination {
                page: 1,
                total_pages: 1,
            });
            Ok(AuditPage {
                entries: answer.audit_logs,
                page: pagination.page,
                total_pages: pagination.total_pages,
            })
        },
    }
}

/// `ApiRequest::version` of a request to the closest-region service (`https://region.turso.io`,
/// or the sandbox's `/region`): not under the API's base URL, and sent without the token.
pub const REGION_SERVICE: u8 = 0;

#[derive(Deserialize)]
struct RegionAnswer {
    server: String,
}

/// The location closest to the user, as Turso's region service says (`{"server": code,
/// "client": code}`; DOCS closest-region). Only a hint: the code may not be one the
/// organization offers.
pub fn closest_region() -> Call<String> {
    let mut request = ApiRequest::new(Method::Get, String::new());
    request.version = REGION_SERVICE;
    Call {
        request,
        parse: |res| read::<RegionAnswer>(res).map(|a| a.server),
    }
}

/// Checks the token itself; answers its expiry in unix seconds, `-1` for never.
pub fn validate_token() -> Call<i64> {
    Call {
        request: ApiRequest::new(Method::Get, "/auth/validate".into()),
        parse: |res| read::<ValidateAnswer>(res).map(|a| a.exp),
    }
}

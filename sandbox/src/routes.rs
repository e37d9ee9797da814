//! Routing and the behaviour of each `/v1` route.
//!
//! Order of checks for every request: route (404/405), token (401), organization (404/403),
//! group (404), then the route's own checks in the order the contract lists them.

use serde_json::{json, Map, Value};

use crate::body::{self, BadBody};
use crate::model::{
    iso_time, AuditLog, DatabaseView, Group, OrgView, Plan, EXTENSIONS, LATEST_VERSION,
    PERMISSION_ACTIONS, TOKEN_USER,
};
use crate::seed::DEFAULT_PLATFORMS;
use crate::{expiration, jwt, percent_decode, Platform, Request, Response};

/// Databases listed per page when `limit` is absent, and the largest `limit` accepted.
const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 1000;
/// The sandbox's stand-in for `https://region.turso.io/`, which is another host than the
/// API: answered without a token, like Turso's (the panel asks it in sandbox mode).
pub const REGION_PATH: &str = "/region";

/// `GET /region`: the DOCS example, verbatim (`lhr`, a Fly-era code: `acme` and `jane` offer
/// it, `globex` does not, so both of the panel's cases happen in the sandbox).
fn closest_region(req: &Request) -> Response {
    if req.method != "GET" {
        let mut response = error_response(error(405, "method not allowed"));
        response.headers.push(("Allow".into(), "GET".into()));
        return response;
    }
    Response {
        status: 200,
        body: json!({"server": "lhr", "client": "lhr"}).to_string(),
        headers: Vec::new(),
    }
}

/// Audit log entries per page when `page_size` is absent (OAS), and the largest served: a
/// larger `page_size` is served as this many (the real cap is undocumented).
const AUDIT_PAGE_SIZE: usize = 100;

/// A refusal: status, `error` message and optional `code`.
#[derive(Debug)]
struct ApiError {
    status: u16,
    message: String,
    /// Sent as `"code"` when set, even when empty (the spec prints `"code":""` on one refusal).
    code: Option<&'static str>,
    /// The body is the message as a bare JSON string instead of `{"error": …}`.
    bare: bool,
}

fn error(status: u16, message: impl Into<String>) -> ApiError {
    ApiError {
        status,
        message: message.into(),
        code: None,
        bare: false,
    }
}

impl ApiError {
    fn with_code(self, code: &'static str) -> ApiError {
        ApiError {
            code: Some(code),
            ..self
        }
    }

    /// The turso CLI decodes the errors of `/v2/organizations/{org}/locations` as a bare JSON
    /// string (`unmarshal[string]`, internal/turso/organizations.go), so that route sends one.
    fn bare(self) -> ApiError {
        ApiError { bare: true, ..self }
    }
}

impl From<BadBody> for ApiError {
    fn from(_: BadBody) -> ApiError {
        error(400, "invalid request body")
    }
}

fn group_not_found() -> ApiError {
    error(404, "group not found")
}

type Outcome = Result<Response, ApiError>;

fn ok_json(value: &impl serde::Serialize) -> Outcome {
    Ok(Response {
        status: 200,
        body: serde_json::to_string(value).expect("response serializes"),
        headers: Vec::new(),
    })
}

/// `{"<key>": value}`, keeping the value's own field order (a `json!` map would sort it).
fn ok_wrapped<T: serde::Serialize + ?Sized>(key: &str, value: &T) -> Outcome {
    let key = serde_json::to_string(key).expect("key serializes");
    let value = serde_json::to_string(value).expect("response serializes");
    Ok(Response {
        status: 200,
        body: format!("{{{key}:{value}}}"),
        headers: Vec::new(),
    })
}

/// Success with no body, as `update` and `auth/rotate` answer ("No Content" with status 200).
fn ok_empty() -> Outcome {
    Ok(Response {
        status: 200,
        body: String::new(),
        headers: Vec::new(),
    })
}

/// Every route, with its percent-decoded path parameters.
enum Route {
    Validate,
    Organizations,
    Locations,
    /// `/v2/organizations/{org}/locations` (undocumented, read by the CLI), or `/v2/locations`
    /// (`org` is `None`), keyed by platform.
    PlatformLocations {
        org: Option<String>,
    },
    Groups {
        org: String,
    },
    Group {
        org: String,
        group: String,
    },
    Update {
        org: String,
        group: String,
    },
    Transfer {
        org: String,
        group: String,
    },
    Unarchive {
        org: String,
        group: String,
    },
    GroupLocation {
        org: String,
        group: String,
        location: String,
    },
    Configuration {
        org: String,
        group: String,
    },
    Tokens {
        org: String,
        group: String,
    },
    Rotate {
        org: String,
        group: String,
    },
    /// Undocumented in OAS; the CLI's `turso group rename`.
    Rename {
        org: String,
        group: String,
    },
    Databases {
        org: String,
    },
    AuditLogs {
        org: String,
    },
}

impl Route {
    /// `None` for paths outside the API. `segments` are the decoded parts after `/v1` or `/v2`.
    fn parse(version: ApiVersion, segments: &[String]) -> Option<Route> {
        let s: Vec<&str> = segments.iter().map(String::as_str).collect();
        let owned = |i: usize| segments[i].clone();
        if version == ApiVersion::V2 {
            // Of `/v2`, only the locations the CLI reads exist here.
            return match s.as_slice() {
                ["locations"] => Some(Route::PlatformLocations { org: None }),
                ["organizations", _, "locations"] => Some(Route::PlatformLocations {
                    org: Some(owned(1)),
                }),
                _ => None,
            };
        }
        Some(match s.as_slice() {
            ["auth", "validate"] => Route::Validate,
            ["organizations"] => Route::Organizations,
            ["locations"] => Route::Locations,
            ["organizations", _, "groups"] => Route::Groups { org: owned(1) },
            ["organizations", _, "databases"] => Route::Databases { org: owned(1) },
            ["organizations", _, "audit-logs"] => Route::AuditLogs { org: owned(1) },
            ["organizations", _, "groups", _, rest @ ..] => {
                let (org, group) = (owned(1), owned(3));
                match rest {
                    [] => Route::Group { org, group },
                    ["update"] => Route::Update { org, group },
                    ["transfer"] => Route::Transfer { org, group },
                    ["unarchive"] => Route::Unarchive { org, group },
                    ["locations", _] => Route::GroupLocation {
                        org,
                        group,
                        location: owned(5),
                    },
                    ["configuration"] => Route::Configuration { org, group },
                    ["auth", "tokens"] => Route::Tokens { org, group },
                    ["auth", "rotate"] => Route::Rotate { org, group },
                    ["rename"] => Route::Rename { org, group },
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    fn methods(&self) -> &'static [&'static str] {
        match self {
            Route::Validate
            | Route::Organizations
            | Route::Locations
            | Route::PlatformLocations { .. }
            | Route::Databases { .. }
            | Route::AuditLogs { .. } => &["GET"],
            Route::Groups { .. } => &["GET", "POST"],
            Route::Group { .. } => &["GET", "DELETE"],
            Route::GroupLocation { .. } => &["POST", "DELETE"],
            Route::Configuration { .. } => &["GET", "PATCH"],
            Route::Update { .. }
            | Route::Transfer { .. }
            | Route::Unarchive { .. }
            | Route::Tokens { .. }
            | Route::Rotate { .. }
            | Route::Rename { .. } => &["POST"],
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ApiVersion {
    V1,
    V2,
}

/// Splits `/v1/a/b%2Fc` into `(V1, ["a", "b/c"])`; `None` unless under `/v1/` or `/v2/` with
/// no empty segment.
fn api_segments(raw_path: &str) -> Option<(ApiVersion, Vec<String>)> {
    let (version, rest) = if let Some(rest) = raw_path.strip_prefix("/v1/") {
        (ApiVersion::V1, rest)
    } else {
        (ApiVersion::V2, raw_path.strip_prefix("/v2/")?)
    };
    let segments: Vec<String> = rest.split('/').map(percent_decode).collect();
    if segments.iter().any(String::is_empty) {
        return None;
    }
    Some((version, segments))
}

/// The first value of a query parameter. Like Go's `Query().Get`, an empty value counts as
/// absent, so defaults apply to `?expiration=` as to a missing parameter.
fn query<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.query
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.is_empty())
}

impl Platform {
    /// Answers one request under `/v1` (or `/v2` for the locations keyed by platform).
    /// `now_unix` is the current time in unix seconds.
    pub fn handle(&mut self, req: &Request, now_unix: u64) -> Response {
        if req.path == REGION_PATH {
            return closest_region(req);
        }
        let Some(route) = api_segments(&req.path).and_then(|(v, s)| Route::parse(v, &s)) else {
            return error_response(error(404, "not found"));
        };
        let methods = route.methods();
        if !methods.contains(&req.method.as_str()) {
            let mut response = error_response(error(405, "method not allowed"));
            response
                .headers
                .push(("Allow".to_string(), methods.join(", ")));
            return response;
        }
        let outcome = self
            .authenticate(req)
            .and_then(|()| self.dispatch(route, req, now_unix));
        outcome.unwrap_or_else(error_response)
    }

    fn authenticate(&self, req: &Request) -> Result<(), ApiError> {
        let token = req.authorization.as_deref().and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            let token = token.trim();
            (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
        });
        match token {
            None => Err(error(401, "Unauthorized")),
            Some(token) if token == self.token => Ok(()),
            // Platform tokens are JWTs, so the real validator first counts segments.
            Some(token) if token.split('.').count() != 3 => {
                Err(error(401, "token contains an invalid number of segments"))
            }
            Some(_) => Err(error(401, "token is invalid")),
        }
    }

    fn dispatch(&mut self, route: Route, req: &Request, now: u64) -> Outcome {
        let method = req.method.as_str();
        match route {
            // The sandbox token never expires.
            Route::Validate => ok_json(&json!({ "exp": -1 })),
            Route::Organizations => {
                let orgs: Vec<OrgView> = self
                    .orgs
                    .iter()
                    .filter(|org| org.member)
                    .map(OrgView::new)
                    .collect();
                ok_json(&orgs)
            }
            Route::Locations => {
                // The CLI names its organization in a header here (only some organizations
                // may use the Fly-era locations). An unknown slug, or one the token is not a
                // member of, is not refused: the default list comes back, as with no header.
                let platforms = req
                    .turso_organization
                    .as_deref()
                    .and_then(|slug| self.orgs.iter().find(|o| o.slug == slug && o.member))
                    .map_or(DEFAULT_PLATFORMS, |org| org.platforms);
                let locations: Map<String, Value> = self
                    .locations_on(platforms)
                    .map(|l| (l.code.to_string(), l.name.into()))
                    .collect();
                ok_json(&json!({ "locations": locations }))
            }
            Route::PlatformLocations { org } => {
                let platforms = match org {
                    Some(slug) => {
                        self.orgs[self.org_index(&slug).map_err(ApiError::bare)?].platforms
                    }
                    None => DEFAULT_PLATFORMS,
                };
                let mut by_platform = Map::new();
                for platform in platforms {
                    let codes: Map<String, Value> = self
                        .locations_on(&[platform])
                        .map(|l| (l.code.to_string(), l.name.into()))
                        .collect();
                    by_platform.insert(platform.to_string(), codes.into());
                }
                ok_json(&json!({ "locations": by_platform }))
            }
            Route::Groups { org } => {
                let o = self.org_index(&org)?;
                if method == "GET" {
                    ok_wrapped("groups", &self.orgs[o].groups)
                } else {
                    let answer = self.create_group(o, req)?;
                    let group = self.orgs[o].groups.last().expect("just created");
                    let data = json!({ "group": group.name, "location": group.primary });
                    let message = format!("created group {}", group.name);
                    self.audit(o, req, now, "group-create", message, data);
                    Ok(answer)
                }
            }
            Route::Databases { org } => {
                let o = self.org_index(&org)?;
                self.list_databases(o, req)
            }
            Route::Group { org, group } => {
                let (o, g) = self.group_index(&org, &group)?;
                if method == "GET" {
                    ok_wrapped("group", &self.orgs[o].groups[g])
                } else {
                    let answer = self.delete_group(o, g)?;
                    let message = format!("deleted group {group}");
                    self.audit(
                        o,
                        req,
                        now,
                        "group-delete",
                        message,
                        json!({ "group": group }),
                    );
                    Ok(answer)
                }
            }
            Route::Update { org, group } => {
                let (o, g) = self.group_index(&org, &group)?;
                // Legacy route: any body is ignored, the answer has none.
                self.orgs[o].groups[g].version = LATEST_VERSION.to_string();
                ok_empty()
            }
            Route::Transfer { org, group } => {
                let (o, g) = self.group_index(&org, &group)?;
                self.transfer_group(o, g, req)
            }
            Route::Unarchive { org, group } => {
                let (o, g) = self.group_index(&org, &group)?;
                self.orgs[o].groups[g].archived = false;
                let answer = ok_wrapped("group", &self.orgs[o].groups[g]);
                let message = format!("unarchived group {group}");
                self.audit(
                    o,
                    req,
                    now,
                    "group-unarchive",
                    message,
                    json!({ "group": group }),
                );
                answer
            }
            Route::GroupLocation {
                org,
                group,
                location,
            } => {
                let (o, g) = self.group_index(&org, &group)?;
                if method == "POST" {
                    self.add_location(o, g, &location)
                } else {
                    self.remove_location(o, g, &location)
                }
            }
            Route::Configuration { org, group } => {
                let (o, g) = self.group_index(&org, &group)?;
                if method == "PATCH" {
                    let obj = body::object(req.body.as_deref())?;
                    // Go decodes into `*bool`: an absent value changes nothing.
                    if let Some(on) = body::boolean(&obj, "delete_protection")? {
                        self.orgs[o].groups[g].delete_protection = on;
                        let (code, turned) = if on {
                            ("group-protect", "on")
                        } else {
                            ("group-unprotect", "off")
                        };
                        let message = format!("turned {turned} delete protection of group {group}");
                        let data = json!({ "group": group, "delete_protection": on });
                        self.audit(o, req, now, code, message, data);
                    }
                }
                let on = self.orgs[o].groups[g].delete_protection;
                ok_json(&json!({ "delete_protection": on }))
            }
            Route::Tokens { org, group } => {
                let (o, g) = self.group_index(&org, &group)?;
                let answer = self.create_token(o, g, req, now)?;
                // What was asked, never the token.
                let data = json!({
                    "group": group,
                    "authorization": query(req, "authorization").unwrap_or("full-access"),
                    "expiration": query(req, "expiration").unwrap_or("never"),
                });
                let message = format!("created a token for group {group}");
                self.audit(o, req, now, "group-token-create", message, data);
                Ok(answer)
            }
            Route::Rotate { org, group } => {
                let (o, g) = self.group_index(&org, &group)?;
                self.orgs[o].groups[g].key_generation += 1;
                ok_empty()
            }
            Route::Rename { org, group } => {
                let (o, g) = self.group_index(&org, &group)?;
                self.rename_group(o, g, req)
            }
            Route::AuditLogs { org } => {
                let o = self.org_index(&org)?;
                self.list_audit_logs(o, req)
            }
        }
    }

    /// Notes a change in the organization's audit log, by the token's user, from the CLI
    /// or the web as the User-Agent says.
    fn audit(
        &mut self,
        o: usize,
        req: &Request,
        now: u64,
        code: &'static str,
        message: String,
        data: Value,
    ) {
        let cli = req
            .user_agent
            .as_deref()
            .is_some_and(|agent| agent.starts_with("turso-cli"));
        self.orgs[o].audit_logs.push(AuditLog {
            code,
            message,
            origin: if cli { "cli" } else { "web" },
            author: TOKEN_USER.to_string(),
            created_at: iso_time(now),
            data,
        });
    }

    /// `{"Name": "new"}` as the CLI sends it. The answer's body is undocumented (the CLI
    /// ignores it): the sandbox answers the renamed group, as the other group routes do.
    fn rename_group(&mut self, o: usize, g: usize, req: &Request) -> Outcome {
        let obj = body::object(req.body.as_deref())?;
        let name = body::string(&obj, "name")?.ok_or(BadBody)?;
        check_group_name(&name)?;
        if self.orgs[o].groups.iter().any(|other| other.name == name) {
            return Err(error(409, "group already exists"));
        }
        let group = &mut self.orgs[o].groups[g];
        group.name = name;
        ok_wrapped("group", group)
    }

    /// Newest first, `page` (from 1) and `page_size` as OAS documents them. Audit logs are
    /// a paid feature: the starter plan is refused with the one `code` the CLI checks for.
    fn list_audit_logs(&self, o: usize, req: &Request) -> Outcome {
        let org = &self.orgs[o];
        if org.plan == Plan::Starter {
            // Status and wording are the sandbox's choice; the code is the CLI's.
            return Err(error(
                403,
                "audit logs are not available on the starter plan: upgrade to use them",
            )
            .with_code("feature_not_available_for_starter_plan"));
        }
        let number = |name: &str, default: usize| match query(req, name) {
            None => Ok(default),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| error(400, format!("invalid {name}"))),
        };
        let page = number("page", 1)?;
        let page_size = number("page_size", AUDIT_PAGE_SIZE)?.min(AUDIT_PAGE_SIZE);
        let total = org.audit_logs.len();
        let shown: Vec<&AuditLog> = org
            .audit_logs
            .iter()
            .rev()
            .skip((page - 1).saturating_mul(page_size))
            .take(page_size)
            .collect();
        ok_json(&json!({
            "audit_logs": shown,
            "pagination": {
                "page": page,
                "page_size": page_size,
                "total_pages": total.div_ceil(page_size),
                "total_rows": total,
            }
        }))
    }

    /// The organization the token may act in.
    fn org_index(&self, slug: &str) -> Result<usize, ApiError> {
        let index = self
            .orgs
            .iter()
            .position(|org| org.slug == slug)
            .ok_or_else(|| error(404, "organization not found"))?;
        if !self.orgs[index].member {
            return Err(error(403, "not a member of this organization"));
        }
        Ok(index)
    }

    fn group_index(&self, org: &str, group: &str) -> Result<(usize, usize), ApiError> {
        let o = self.org_index(org)?;
        let g = self.orgs[o]
            .groups
            .iter()
            .position(|g| g.name == group)
            .ok_or_else(group_not_found)?;
        Ok((o, g))
    }

    /// The locations of the given platforms, in seed order.
    fn locations_on<'a>(
        &'a self,
        platforms: &'a [&str],
    ) -> impl Iterator<Item = &'a crate::model::Location> + 'a {
        self.locations
            .iter()
            .filter(move |l| platforms.contains(&l.platform))
    }

    /// Whether `code` is one of the organization's own locations (the list it is offered).
    fn is_location(&self, o: usize, code: &str) -> bool {
        self.locations_on(self.orgs[o].platforms)
            .any(|l| l.code == code)
    }

    fn create_group(&mut self, o: usize, req: &Request) -> Outcome {
        let obj = body::object(req.body.as_deref())?;
        let (Some(name), Some(location)) =
            (body::string(&obj, "name")?, body::string(&obj, "location")?)
        else {
            return Err(BadBody.into());
        };
        // `"all"` or a list of names (OAS `Extensions`); the first unknown name, if any.
        let bad_extension = match body::field(&obj, "extensions") {
            None => None,
            Some(Value::String(s)) => (s != "all").then(|| s.clone()),
            Some(Value::Array(_)) => body::strings(&obj, "extensions")?
                .unwrap_or_default()
                .into_iter()
                .find(|e| !EXTENSIONS.contains(&e.as_str())),
            Some(_) => return Err(BadBody.into()),
        };

        check_group_name(&name)?;
        if !self.is_location(o, &location) {
            return Err(error(400, format!("invalid location: {location}")));
        }
        if let Some(bad) = bad_extension {
            return Err(error(400, format!("invalid extension: {bad}")));
        }
        if self.orgs[o].groups.iter().any(|g| g.name == name) {
            return Err(error(409, "group already exists"));
        }
        self.check_group_quota(o)?;

        // Extensions are accepted but never returned by the API, so they are not stored.
        let group = self.new_group(&name, &location);
        let answer = ok_wrapped("group", &group);
        self.orgs[o].groups.push(group);
        answer
    }

    fn check_group_quota(&self, o: usize) -> Result<(), ApiError> {
        let limit = self.orgs[o].group_limit;
        if self.orgs[o].groups.len() < limit {
            return Ok(());
        }
        // Body exactly as the spec prints it. It prints no status; 403 is this sandbox's
        // choice: the caller is known and the request well formed, but the plan forbids it.
        // Not 402 (documented for "no active subscription"), 409 (documented for "already
        // exists"), 422 (the CLI reports it as "name not available") or 429 (a retry will
        // not help).
        Err(
            error(403, format!("maximum group count of {limit} reached"))
                .with_code("group_quota_exceeded"),
        )
    }

    fn delete_group(&mut self, o: usize, g: usize) -> Outcome {
        let group = &self.orgs[o].groups[g];
        if group.delete_protection {
            // The real body is undocumented (OAS only says the group cannot be deleted);
            // this message is the sandbox's choice.
            return Err(error(
                403,
                format!(
                    "group {} has delete protection enabled: disable it before deleting the group",
                    group.name
                ),
            ));
        }
        // Its databases go with it; its tokens die because their `gid` no longer resolves.
        let group = self.orgs[o].groups.remove(g);
        ok_wrapped("group", &group)
    }

    fn transfer_group(&mut self, o: usize, g: usize, req: &Request) -> Outcome {
        let obj = body::object(req.body.as_deref())?;
        let target = body::string(&obj, "organization")?
            .filter(|slug| !slug.is_empty())
            .ok_or(BadBody)?;
        let t = self
            .orgs
            .iter()
            .position(|org| org.slug == target)
            .ok_or_else(|| error(404, "organization not found"))?;
        if !self.orgs[t].member {
            return Err(error(
                403,
                "you must be an owner or admin of the target organization",
            ));
        }
        if t == o {
            return Err(error(
                400,
                format!("group is already in organization {target}"),
            ));
        }
        let group = &self.orgs[o].groups[g];
        let target_org = &self.orgs[t];
        if target_org
            .groups
            .iter()
            .any(|other| other.name == group.name)
        {
            // Body exactly as the spec prints it, empty `code` included. The spec prints no
            // status; 409 is what DOCS response-codes.mdx lists for "already exists".
            return Err(error(
                409,
                format!(
                    "group with name {} already exists in new organization",
                    group.name
                ),
            )
            .with_code(""));
        }
        // Database names are unique per organization, so a clash blocks the move too.
        if let Some(db) = group.databases.iter().find(|db| {
            target_org
                .groups
                .iter()
                .flat_map(|other| &other.databases)
                .any(|other| other.name == db.name)
        }) {
            return Err(error(409, format!("database {} already exists", db.name)));
        }
        self.check_group_quota(t)?;

        let mut group = self.orgs[o].groups.remove(g);
        // Transfer revokes the group's tokens (DOCS authentication.mdx).
        group.key_generation += 1;
        // Transfer answers a bare group, unlike every other group route (OAS).
        let answer = ok_json(&group);
        self.orgs[t].groups.push(group);
        answer
    }

    fn add_location(&mut self, o: usize, g: usize, location: &str) -> Outcome {
        if !self.is_location(o, location) {
            return Err(error(400, format!("invalid location: {location}")));
        }
        if self.orgs[o].replicas_disabled {
            // Mirrors the 2026 notice that new users can no longer add replicas.
            return Err(error(
                403,
                "Turso Cloud no longer supports adding replicas for new users",
            ));
        }
        let group = &mut self.orgs[o].groups[g];
        if group.locations.iter().any(|l| l == location) {
            return Err(error(
                409,
                format!("location {location} already exists in group"),
            ));
        }
        group.locations.push(location.to_string());
        ok_wrapped("group", group)
    }

    fn remove_location(&mut self, o: usize, g: usize, location: &str) -> Outcome {
        if !self.is_location(o, location) {
            return Err(error(400, "Invalid location code"));
        }
        let group = &mut self.orgs[o].groups[g];
        if group.primary == location {
            return Err(error(400, "cannot remove the primary location of a group"));
        }
        let Some(index) = group.locations.iter().position(|l| l == location) else {
            return Err(error(
                400,
                format!("location {location} is not part of group"),
            ));
        };
        group.locations.remove(index);
        ok_wrapped("group", group)
    }

    fn create_token(&mut self, o: usize, g: usize, req: &Request, now: u64) -> Outcome {
        let lifetime = match query(req, "expiration") {
            None => None,
            Some(text) => {
                expiration::parse(text).map_err(|()| error(400, "Invalid expiration format"))?
            }
        };
        let access = match query(req, "authorization") {
            None | Some("full-access") => "rw",
            Some("read-only") => "ro",
            Some(other) => return Err(error(400, format!("invalid authorization: {other}"))),
        };
        // Any content type; the body may be absent or blank (TS sends text/plain JSON).
        let obj = body::optional_object(req.body.as_deref())?;
        let attach = match body::nested(&obj, "permissions")? {
            Some(permissions) => match body::nested(permissions, "read_attach")? {
                Some(read_attach) => body::strings(read_attach, "databases")?.unwrap_or_default(),
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        // Nothing in Turso's documents says the server checks that ATTACH databases exist, and
        // the spec's own example names made-up ones (`db1`…), so only the form is checked.
        if let Some(bad) = attach.iter().find(|name| !is_database_name(name)) {
            return Err(error(400, format!("invalid database name: {bad}")));
        }
        let rules = fine_grained_permissions(&obj)?;

        let group = &self.orgs[o].groups[g];
        let mut claims = Map::new();
        claims.insert("a".into(), access.into());
        claims.insert("iat".into(), now.into());
        if let Some(seconds) = lifetime {
            let exp = now
                .checked_add(seconds)
                .ok_or_else(|| error(400, "Invalid expiration format"))?;
            claims.insert("exp".into(), exp.into());
        }
        // libsql-server's newer permission claim; an empty list grants nothing, so it is left out.
        if !attach.is_empty() {
            claims.insert("p".into(), json!({ "roa": { "ns": attach } }));
        }
        // The real claim is undocumented: the sandbox keeps the rules as they were asked,
        // under `fgp` (sandbox/README.md).
        if !rules.is_empty() {
            claims.insert("fgp".into(), rules.into());
        }
        claims.insert("gid".into(), group.uuid.clone().into());
        claims.insert("rot".into(), group.key_generation.into());
        let key = jwt::signing_key(&group.uuid, group.key_generation);
        ok_json(&json!({ "jwt": jwt::mint(&claims, &key) }))
    }

    fn list_databases(&self, o: usize, req: &Request) -> Outcome {
        let limit = match query(req, "limit") {
            None => DEFAULT_PAGE_SIZE,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                .ok_or_else(|| {
                    error(
                        400,
                        format!("invalid limit: must be between 1 and {MAX_PAGE_SIZE}"),
                    )
                })?,
        };
        let start = match query(req, "cursor") {
            None => 0,
            Some(cursor) => decode_cursor(cursor).ok_or_else(|| error(400, "invalid cursor"))?,
        };
        let org = &self.orgs[o];
        let group_filter = query(req, "group");
        let parent_filter = query(req, "parent");
        let schema_filter = query(req, "schema");

        let mut rows: Vec<(&Group, &crate::model::Database)> = org
            .groups
            .iter()
            .filter(|group| group_filter.is_none_or(|name| group.name == name))
            .flat_map(|group| group.databases.iter().map(move |db| (group, db)))
            // No seeded database is a branch or belongs to a schema database.
            .filter(|_| parent_filter.is_none() && schema_filter.is_none())
            .filter(|(_, db)| db.seq >= start)
            .collect();
        rows.sort_by_key(|(_, db)| db.seq);

        let next = rows.get(limit).map(|(_, db)| encode_cursor(db.seq));
        let databases: Vec<DatabaseView> = rows
            .iter()
            .take(limit)
            .map(|(group, db)| DatabaseView::new(&org.slug, group, db))
            .collect();
        #[derive(serde::Serialize)]
        struct Page<'a> {
            databases: Vec<DatabaseView<'a>>,
            pagination: Value,
        }
        ok_json(&Page {
            databases,
            pagination: json!({ "next": next }),
        })
    }

    /// Checks a group token: signed with the group's current key, group still there, not expired.
    pub fn verify_db_token(&self, jwt: &str, now_unix: u64) -> Result<Value, String> {
        let parsed = jwt::parse(jwt).map_err(str::to_string)?;
        let gid = parsed
            .claims
            .get("gid")
            .and_then(Value::as_str)
            .ok_or("malformed token")?;
        let Some(group) = self
            .orgs
            .iter()
            .flat_map(|org| &org.groups)
            .find(|group| group.uuid == gid)
        else {
            // Deleted group: all its tokens died with it.
            return Err("token has been invalidated".to_string());
        };
        if !parsed.signed_by(&jwt::signing_key(&group.uuid, group.key_generation)) {
            let minted_before_rotation = parsed
                .claims
                .get("rot")
                .and_then(Value::as_u64)
                .is_some_and(|rot| rot < u64::from(group.key_generation));
            return Err(if minted_before_rotation {
                "token has been invalidated".to_string()
            } else {
                "invalid signature".to_string()
            });
        }
        if let Some(exp) = parsed.claims.get("exp") {
            let exp = exp.as_u64().ok_or("malformed token")?;
            if exp <= now_unix {
                return Err("token expired".to_string());
            }
        }
        Ok(Value::Object(parsed.claims))
    }
}

/// Opaque-looking cursor naming the first database of the next page by creation order, so a
/// deletion between two pages neither skips nor repeats anything.
fn encode_cursor(seq: u64) -> String {
    jwt::encode(format!("db:{seq}").as_bytes())
}

fn decode_cursor(cursor: &str) -> Option<u64> {
    let bytes = jwt::decode(cursor)?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("db:")?
        .parse()
        .ok()
}

/// A well-formed database name (OAS `CreateDatabaseInput.name`): 1 to 64 lowercase letters,
/// digits and dashes.
fn is_database_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The old client-side rule (turso-cli `CheckName`, 2023-2024), which the server's messages echo.
/// The CLI's undocumented `"fine_grained_permissions": [{"t": [tables], "a": [actions]}]`,
/// `t` left out for all tables; checked, then returned as asked.
fn fine_grained_permissions(obj: &body::Object) -> Result<Vec<Value>, ApiError> {
    let rules = match body::field(obj, "fine_grained_permissions") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(rules)) => rules,
        Some(_) => return Err(BadBody.into()),
    };
    let mut checked = Vec::new();
    for rule in rules {
        let rule = rule.as_object().ok_or(BadBody)?;
        let actions = body::strings(rule, "a")?.unwrap_or_default();
        if actions.is_empty() {
            return Err(error(
                400,
                "invalid permission: a rule needs at least one action",
            ));
        }
        if let Some(bad) = actions
            .iter()
            .find(|a| !PERMISSION_ACTIONS.contains(&a.as_str()))
        {
            return Err(error(400, format!("invalid permission action: {bad}")));
        }
        let mut kept = Map::new();
        if let Some(tables) = body::strings(rule, "t")? {
            if tables.is_empty() || tables.iter().any(String::is_empty) {
                return Err(error(
                    400,
                    "invalid permission: a table list cannot be empty",
                ));
            }
            kept.insert("t".into(), tables.into());
        }
        kept.insert("a".into(), actions.into());
        checked.push(Value::Object(kept));
    }
    Ok(checked)
}

fn check_group_name(name: &str) -> Result<(), ApiError> {
    let length = name.chars().count();
    if !(1..=32).contains(&length) {
        return Err(error(
            400,
            "invalid group name: name must contain between 1 and 32 characters",
        ));
    }
    let allowed = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !allowed || name.starts_with('-') || name.ends_with('-') {
        return Err(error(
            400,
            "invalid group name: name can only contain lowercase letters, numbers and dashes, and cannot start or end with a dash",
        ));
    }
    Ok(())
}

fn error_response(err: ApiError) -> Response {
    if err.bare {
        return Response {
            status: err.status,
            body: Value::String(err.message).to_string(),
            headers: Vec::new(),
        };
    }
    let mut body = Map::new();
    body.insert("error".into(), err.message.into());
    if let Some(code) = err.code {
        body.insert("code".into(), code.into());
    }
    Response {
        status: err.status,
        body: Value::Object(body).to_string(),
        headers: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transfer_refuses_a_database_name_the_target_already_uses() {
        let mut p = Platform::seeded("t", 0);
        // No seeded names clash across organizations, so make one: globex gets a `sessions`.
        let globex = p.orgs.iter().position(|o| o.slug == "globex").unwrap();
        let mut clash = p.orgs[0].groups[1].databases[1].clone();
        assert_eq!(clash.name, "sessions");
        clash.seq = 999;
        p.orgs[globex].groups[1].databases.push(clash);

        let req = Request::new(
            "POST",
            "/v1/organizations/acme/groups/eu-replicated/transfer",
        )
        .bearer("t")
        .body(r#"{"organization":"globex"}"#);
        let response = p.handle(&req, 0);
        assert_eq!(response.status, 409);
        assert_eq!(
            response.json(),
            json!({"error": "database sessions already exists"})
        );
        assert_eq!(p.orgs[0].groups.len(), 4, "nothing moved");
    }
}

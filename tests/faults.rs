//! The fault matrix: every endpoint the panel calls, against every kind of failure the sandbox
//! server can inject, through the UI. For each cell: the message says what happened in words;
//! the page shows only what the server confirmed; what the user typed is still there; once the
//! fault is lifted, a second attempt (or, after a timeout, a refresh) shows the server's state.
//! Each suite prints its table of cells and fails if any cell failed.
#![cfg(target_arch = "wasm32")]

use gloo_net::http::Request;
use gloo_timers::future::TimeoutFuture;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

/// The panel's timeout in these tests, and the delay that outlasts it. Short, to keep the
/// matrix quick, yet far above what a request to the local sandbox takes on a busy machine.
const TIMEOUT_MS: u32 = 2000;
const DELAY_MS: u32 = 3500;
/// How long a cell may wait for any one thing (retries after 429/503 take 1.5 s; a delayed
/// change lands 3.5 s after it was sent).
const PATIENCE_MS: u32 = 8000;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Unprocessable,
    RateLimitedWithRetryAfter,
    RateLimited,
    Internal,
    BadGateway,
    Unavailable,
    Timeout,
    Dropped,
    EmptyBody,
    HtmlBody,
    WrongShape,
}

const FAULTS: [Fault; 15] = [
    Fault::Unauthorized,
    Fault::Forbidden,
    Fault::NotFound,
    Fault::Conflict,
    Fault::Unprocessable,
    Fault::RateLimitedWithRetryAfter,
    Fault::RateLimited,
    Fault::Internal,
    Fault::BadGateway,
    Fault::Unavailable,
    Fault::Timeout,
    Fault::Dropped,
    Fault::EmptyBody,
    Fault::HtmlBody,
    Fault::WrongShape,
];

const HTML_PAGE: &str = "<!doctype html><title>502</title><h1>Bad Gateway</h1><p>nginx</p>";

impl Fault {
    fn label(self) -> &'static str {
        match self {
            Fault::Unauthorized => "401",
            Fault::Forbidden => "403",
            Fault::NotFound => "404",
            Fault::Conflict => "409",
            Fault::Unprocessable => "422",
            Fault::RateLimitedWithRetryAfter => "429+RA",
            Fault::RateLimited => "429",
            Fault::Internal => "500",
            Fault::BadGateway => "502",
            Fault::Unavailable => "503",
            Fault::Timeout => "slow",
            Fault::Dropped => "drop",
            Fault::EmptyBody => "empty",
            Fault::HtmlBody => "html",
            Fault::WrongShape => "shape",
        }
    }

    /// The fault as the sandbox server takes it, until it is cleared.
    fn spec(self, method: &str, path: &str) -> Value {
        let mut spec = json!({"method": method, "path": path});
        let error = |status: u16, message: &str| json!({"status": status, "body": json!({"error": message}).to_string()});
        let extra = match self {
            Fault::Unauthorized => error(401, "token has been revoked"),
            Fault::Forbidden => error(403, "you are not allowed to do that"),
            Fault::NotFound => error(404, "group not found"),
            Fault::Conflict => error(409, "already exists"),
            Fault::Unprocessable => error(422, "cannot process that"),
            Fault::RateLimitedWithRetryAfter => {
                let mut e = error(429, "rate limit exceeded");
                e["headers"] = json!({"Retry-After": "30"});
                e
            }
            Fault::RateLimited => error(429, "rate limit exceeded"),
            Fault::Internal => error(500, "internal error"),
            Fault::BadGateway => {
                json!({"status": 502, "body": HTML_PAGE, "content_type": "text/html"})
            }
            Fault::Unavailable => error(503, "service unavailable"),
            Fault::Timeout => json!({"delay_ms": DELAY_MS}),
            Fault::Dropped => json!({"drop": true}),
            Fault::EmptyBody => json!({"status": 200, "body": ""}),
            Fault::HtmlBody => {
                json!({"status": 200, "body": HTML_PAGE, "content_type": "text/html"})
            }
            Fault::WrongShape => json!({"status": 200, "body": "{\"unexpected\":true}"}),
        };
        for (k, v) in extra.as_object().unwrap() {
            spec[k] = v.clone();
        }
        spec
    }

    /// The words the panel must show, or `None` when this answer is a success for the
    /// endpoint (a route documented to answer with no body ignores the body).
    fn says(self, ep: Ep) -> Option<&'static str> {
        Some(match self {
            Fault::Unauthorized => "refused the token",
            // A token that may not list organizations still connects to a typed one.
            Fault::Forbidden | Fault::NotFound if ep == Ep::Organizations => return None,
            Fault::Forbidden => "not allowed",
            Fault::NotFound => "Not found",
            Fault::Conflict => "conflicts",
            Fault::Unprocessable => "did not accept",
            Fault::RateLimitedWithRetryAfter | Fault::RateLimited => "Too many requests",
            Fault::Internal | Fault::BadGateway | Fault::Unavailable => "internal problem",
            Fault::Timeout => "did not answer in time",
            Fault::Dropped => "No answer from the API",
            Fault::EmptyBody | Fault::HtmlBody | Fault::WrongShape if ep.no_content() => {
                return None
            }
            // An object without the field: the server did not say, and the panel says so.
            Fault::WrongShape if ep == Ep::Configuration => "did not say whether",
            Fault::EmptyBody | Fault::HtmlBody | Fault::WrongShape => "unexpected form",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ep {
    Validate,
    Organizations,
    Groups,
    Locations,
    Group,
    Configuration,
    Databases,
    Create,
    Delete,
    Transfer,
    Unarchive,
    Protection,
    Version,
    AddLocation,
    RemoveLocation,
    Token,
    Rotate,
}

const G: &str = "/v1/organizations/acme/groups";
const ORG_LOCATIONS: &str = "/v2/organizations/acme/locations";

impl Ep {
    fn target(self) -> (&'static str, String) {
        match self {
            Ep::Validate => ("GET", "/v1/auth/validate".into()),
            Ep::Organizations => ("GET", "/v1/organizations".into()),
            Ep::Groups => ("GET", G.into()),
            Ep::Locations => ("GET", "/v1/locations".into()),
            Ep::Group => ("GET", format!("{G}/eu-replicated")),
            Ep::Configuration => ("GET", format!("{G}/eu-replicated/configuration")),
            Ep::Databases => ("GET", "/v1/organizations/acme/databases".into()),
            Ep::Create => ("POST", G.into()),
            Ep::Delete => ("DELETE", format!("{G}/default")),
            Ep::Transfer => ("POST", format!("{G}/eu-replicated/transfer")),
            Ep::Unarchive => ("POST", format!("{G}/legacy/unarchive")),
            Ep::Protection => ("PATCH", format!("{G}/default/configuration")),
            Ep::Version => ("POST", format!("{G}/legacy/update")),
            Ep::AddLocation => ("POST", format!("{G}/default/locations/aws-eu-west-1")),
            Ep::RemoveLocation => (
                "DELETE",
                format!("{G}/eu-replicated/locations/aws-us-east-1"),
            ),
            Ep::Token => ("POST", format!("{G}/eu-replicated/auth/tokens")),
            Ep::Rotate => ("POST", format!("{G}/eu-replicated/auth/rotate")),
        }
    }

    /// Documented as "No Content": any success body is ignored.
    fn no_content(self) -> bool {
        matches!(self, Ep::Version | Ep::Rotate)
    }

    /// Reads that happen as the page loads, so the fault is set before it opens.
    fn is_load(self) -> bool {
        matches!(
            self,
            Ep::Groups | Ep::Locations | Ep::Group | Ep::Configuration | Ep::Databases
        )
    }

    /// A change the server makes after a delay even though the panel gave up waiting.
    fn visible_change(self) -> bool {
        !self.is_load()
            && !matches!(
                self,
                Ep::Validate | Ep::Organizations | Ep::Token | Ep::Rotate
            )
    }

    /// Where the message appears.
    fn region(self) -> &'static str {
        match self {
            Ep::Validate | Ep::Organizations | Ep::Groups | Ep::Group | Ep::Databases => "main",
            // The group object carries protection; the delete dialog asks the endpoint.
            Ep::Configuration => "dialog#delete-group",
            Ep::Locations => ".locations-error",
            Ep::Create => "dialog#create-group",
            Ep::Delete => "dialog#delete-group",
            Ep::Transfer => "dialog#transfer-group",
            Ep::Version => "dialog#version-group",
            Ep::Token => "dialog#create-token",
            Ep::Rotate => "dialog#rotate-tokens",
            Ep::Unarchive | Ep::Protection => ".outcome",
            Ep::AddLocation | Ep::RemoveLocation => ".location-editor",
        }
    }
}

type Check = Result<(), String>;

/// Polls `check` until it holds, or says what it was waiting for.
async fn until(what: &str, check: impl Fn() -> bool) -> Check {
    for _ in 0..PATIENCE_MS / 20 {
        if check() {
            return Ok(());
        }
        TimeoutFuture::new(20).await;
    }
    Err(format!("gave up waiting for {what}"))
}

async fn until_text(selector: &str, needle: &str) -> Check {
    until(&format!("{selector} to say {needle:?}"), || {
        text(selector).contains(needle)
    })
    .await
    .map_err(|e| format!("{e}; it says {:?}", text(selector)))
}

async fn until_element(selector: &str) -> Check {
    until(selector, || find(selector).is_some()).await
}

fn holds(what: &str, ok: bool) -> Check {
    if ok {
        Ok(())
    } else {
        Err(what.to_string())
    }
}

fn checked(selector: &str) -> bool {
    find(selector).is_some_and(|e| e.unchecked_into::<HtmlInputElement>().checked())
}

async fn clear_faults() {
    Request::delete(&format!("{SANDBOX}/__sandbox/faults"))
        .send()
        .await
        .unwrap();
}

type Mounted = Box<dyn std::any::Any>;

/// Mounts the page where the endpoint's request starts, as a fresh load would.
fn mount_for(ep: Ep) -> Mounted {
    match ep {
        Ep::Validate | Ep::Organizations => {
            fresh_page("/");
            Box::new(mount())
        }
        Ep::Groups
        | Ep::Locations
        | Ep::Create
        | Ep::Delete
        | Ep::Transfer
        | Ep::Unarchive
        | Ep::Protection => Box::new(mount_connected("acme", TOKEN)),
        Ep::Group
        | Ep::Configuration
        | Ep::Databases
        | Ep::RemoveLocation
        | Ep::Token
        | Ep::Rotate => Box::new(mount_connected_at("/groups/eu-replicated", "acme", TOKEN)),
        Ep::Version => Box::new(mount_connected_at("/groups/legacy", "acme", TOKEN)),
        Ep::AddLocation => Box::new(mount_connected_at("/groups/default", "acme", TOKEN)),
    }
}

/// Mounts the page the endpoint needs and gets to the moment just before its request.
async fn open(ep: Ep) -> Result<Mounted, String> {
    let app = mount_for(ep);
    match ep {
        Ep::Validate | Ep::Organizations => {
            until_element("#connect-submit").await?;
            type_into("#connect-base-url", &format!("{SANDBOX}/v1"));
            type_into("#connect-token", TOKEN);
            type_into("#connect-org", "acme");
        }
        Ep::Create => {
            until_element("tr[data-group='default']").await?;
            click("#new-group");
            until_element("#create-location-list [data-code='aws-eu-west-1']").await?;
            type_into("#create-name", "matrix");
            type_into("#create-location", "ireland");
            press("#create-location", "Enter");
            until_text(".picker-chosen", "Chosen").await?;
        }
        Ep::Delete => {
            until_element("tr[data-group='default']").await?;
            click("button[aria-label='Delete default']");
            until_text("dialog#delete-group", "database(s) will be destroyed").await?;
            type_into("#delete-confirm", "default");
            until("delete enabled", || !is_disabled("#delete-submit")).await?;
        }
        Ep::Transfer => {
            until_element("tr[data-group='eu-replicated']").await?;
            click("button[aria-label='Transfer eu-replicated']");
            until("the transfer dialog", || {
                find("dialog#transfer-group").is_some_and(|d| d.has_attribute("open"))
            })
            .await?;
            type_into("#transfer-org", "globex");
        }
        Ep::Unarchive | Ep::Protection => until_element("tr[data-group='legacy']").await?,
        Ep::Configuration => {
            until_element("#group-delete").await?;
            click("#group-delete");
            let open = || find("dialog#delete-group").is_some_and(|d| d.has_attribute("open"));
            // A refused token may sign out before the dialog is seen open.
            until("the delete dialog", || {
                open() || find("#connect-submit").is_some()
            })
            .await?;
            if open() {
                type_into("#delete-confirm", "eu-replicated");
            }
        }
        Ep::Version => {
            until_element("#group-version").await?;
            click("#group-version");
            until("the version dialog", || {
                find("dialog#version-group").is_some_and(|d| d.has_attribute("open"))
            })
            .await?;
        }
        Ep::AddLocation => {
            until_element("#add-location-list [role='option']").await?;
            type_into("#add-location", "ireland");
            press("#add-location", "Enter");
            until("the add button", || !is_disabled("#add-location-submit")).await?;
        }
        Ep::RemoveLocation => {
            until_element("#group-locations .chip[data-code='aws-us-east-1'] .chip-remove").await?;
        }
        Ep::Token => {
            until_element("#group-token").await?;
            click("#group-token");
            until_element("#token-attach").await?;
            click("#token-exp-custom");
            type_into("#token-expiration", "2w1d30m");
            until_text("#token-expiry-preview", "15 days").await?;
        }
        Ep::Rotate => {
            until_element("#group-rotate").await?;
            click("#group-rotate");
            until("the rotate dialog", || {
                find("dialog#rotate-tokens").is_some_and(|d| d.has_attribute("open"))
            })
            .await?;
        }
        _ => {}
    }
    Ok(app)
}

/// Sends the endpoint's request from the UI (loads send theirs as the page opens).
async fn act(ep: Ep) -> Check {
    match ep {
        Ep::Validate | Ep::Organizations => click("#connect-submit"),
        Ep::Create => click("#create-submit"),
        Ep::Delete => click("#delete-submit"),
        Ep::Transfer => click("#transfer-submit"),
        Ep::Unarchive => click("button[aria-label='Unarchive legacy']"),
        Ep::Protection => click("input[aria-label='Delete protection for default']"),
        Ep::Version => click("#version-submit"),
        Ep::AddLocation => click("#add-location-submit"),
        Ep::RemoveLocation => {
            click("#group-locations .chip[data-code='aws-us-east-1'] .chip-remove");
            until("the remove dialog", || {
                find("dialog#remove-location").is_some_and(|d| d.has_attribute("open"))
            })
            .await?;
            click("#remove-location-submit");
        }
        Ep::Token => click("#token-submit"),
        Ep::Rotate => click("#rotate-submit"),
        _ => {}
    }
    Ok(())
}

/// After a failure: nothing the server did not confirm, and what was typed is still there.
fn unchanged(ep: Ep, fault: Fault) -> Check {
    match ep {
        Ep::Validate | Ep::Organizations => {
            holds("no table", find("#groups-table").is_none())?;
            holds(
                "the token stays typed",
                input_value("#connect-token") == TOKEN,
            )
        }
        Ep::Groups => holds("no rows", find("tr[data-group]").is_none()),
        Ep::Locations => holds(
            "rows without location names",
            find("tr[data-group='default']").is_some()
                && !text("tr[data-group='default']").contains("Virginia"),
        ),
        // The server says the group is gone: its fields go too.
        Ep::Group if fault == Fault::NotFound => {
            holds("no group fields", find("#group-uuid").is_none())
        }
        // The list confirmed the group, so its fields stay, next to a Retry.
        Ep::Group => holds("a Retry", find("main [role='alert'] button").is_some()),
        Ep::Configuration => holds(
            "delete stays disabled",
            is_disabled("#delete-submit") && input_value("#delete-confirm") == "eu-replicated",
        ),
        Ep::Databases => holds("no databases listed", find("#databases-table").is_none()),
        Ep::Create => {
            holds("no new row", find("tr[data-group='matrix']").is_none())?;
            holds("the name stays", input_value("#create-name") == "matrix")
        }
        Ep::Delete => {
            holds("the row stays", find("tr[data-group='default']").is_some())?;
            holds(
                "the confirmation stays",
                input_value("#delete-confirm") == "default",
            )
        }
        Ep::Transfer => {
            holds(
                "the row stays",
                find("tr[data-group='eu-replicated']").is_some(),
            )?;
            holds(
                "the destination stays",
                input_value("#transfer-org") == "globex",
            )
        }
        Ep::Unarchive => holds(
            "still archived",
            find("button[aria-label='Unarchive legacy']").is_some(),
        ),
        Ep::Protection => holds(
            "the switch shows the server's off",
            !checked("input[aria-label='Delete protection for default']"),
        ),
        Ep::Version => holds("the old version", text(".fields").contains("v0.24.14")),
        Ep::AddLocation => {
            holds(
                "no new chip",
                chip_codes("#group-locations") == ["aws-us-east-1"],
            )?;
            holds("the choice stays", !is_disabled("#add-location-submit"))
        }
        Ep::RemoveLocation => holds(
            "the chip stays",
            chip_codes("#group-locations").contains(&"aws-us-east-1".to_string()),
        ),
        Ep::Token => {
            holds("no token shown", find("#token-value").is_none())?;
            holds(
                "the expiration stays",
                input_value("#token-expiration") == "2w1d30m",
            )
        }
        Ep::Rotate => holds("no success", !text(".outcome").contains("stopped working")),
    }
}

/// The server's change (or the loaded page) is on screen.
async fn done(ep: Ep) -> Check {
    match ep {
        Ep::Validate | Ep::Organizations | Ep::Groups => {
            until_element("tr[data-group='default']").await
        }
        Ep::Locations => until_text("tr[data-group='default']", "Virginia").await,
        Ep::Group | Ep::Databases => {
            until_element("#databases-table tr[data-database='catalog']").await
        }
        Ep::Configuration => {
            until_text("dialog#delete-group", "2 database(s) will be destroyed").await?;
            until("delete enabled", || !is_disabled("#delete-submit")).await
        }
        Ep::Create => until_element("tr[data-group='matrix']").await,
        Ep::Delete => {
            until_element("tr[data-group='billing']").await?;
            until("the row to go", || {
                find("tr[data-group='default']").is_none()
            })
            .await
        }
        Ep::Transfer => {
            until_element("tr[data-group='billing']").await?;
            until("the row to go", || {
                find("tr[data-group='eu-replicated']").is_none()
            })
            .await
        }
        Ep::Unarchive => {
            until_element("tr[data-group='legacy']").await?;
            until("unarchived", || {
                find("button[aria-label='Unarchive legacy']").is_none()
            })
            .await
        }
        Ep::Protection => {
            until("protection on", || {
                checked("input[aria-label='Delete protection for default']")
            })
            .await
        }
        Ep::Version => until_text(".fields", "v0.24.31").await,
        Ep::AddLocation => {
            until("the new chip", || {
                chip_codes("#group-locations") == ["aws-us-east-1", "aws-eu-west-1"]
            })
            .await
        }
        Ep::RemoveLocation => {
            until("the chip to go", || {
                chip_codes("#group-locations") == ["aws-eu-west-1", "aws-eu-central-1"]
            })
            .await
        }
        Ep::Token => until_element("#token-claims").await,
        Ep::Rotate => until_text(".outcome", "stopped working").await,
    }
}

/// Polls the server itself (over HTTP, not through the page) until `ep`'s change is made.
async fn server_made(ep: Ep) -> Check {
    let api = client("acme");
    for _ in 0..PATIENCE_MS / 100 {
        let made = match ep {
            Ep::Create | Ep::Delete | Ep::Transfer => {
                let names: Vec<String> = api
                    .list_groups()
                    .await
                    .map(|g| g.iter().map(|g| g.name.clone()).collect())
                    .unwrap_or_default();
                let has = |n: &str| names.iter().any(|g| g == n);
                match ep {
                    Ep::Create => has("matrix"),
                    Ep::Delete => !has("default") && has("billing"),
                    _ => !has("eu-replicated") && has("billing"),
                }
            }
            Ep::Unarchive => api
                .get_group("legacy")
                .await
                .is_ok_and(|g| !g.is_archived()),
            Ep::Protection => api.get_group_configuration("default").await == Ok(Some(true)),
            Ep::Version => api
                .get_group("legacy")
                .await
                .is_ok_and(|g| g.version.as_deref() == Some("v0.24.31")),
            Ep::AddLocation => api
                .get_group("default")
                .await
                .is_ok_and(|g| g.locations().len() == 2),
            Ep::RemoveLocation => api
                .get_group("eu-replicated")
                .await
                .is_ok_and(|g| g.locations().len() == 2),
            _ => true,
        };
        if made {
            return Ok(());
        }
        TimeoutFuture::new(100).await;
    }
    Err(format!("the server never made the delayed {ep:?}"))
}

/// The second attempt, once the fault is lifted: Retry where the page offers one, the same
/// control again for changes, a reload otherwise.
async fn again(ep: Ep, app: &mut Mounted) -> Check {
    let retry = format!("{} [role='alert'] button", ep.region());
    if ep.is_load() {
        if find(&retry).is_some() {
            click(&retry);
        } else {
            *app = open(ep).await?;
        }
        return Ok(());
    }
    act(ep).await
}

/// One cell; `Ok` when every check held.
async fn cell(ep: Ep, fault: Fault) -> Check {
    reset_sandbox().await;
    let (method, path) = ep.target();
    if ep.is_load() {
        inject_fault(fault.spec(method, &path)).await;
        if ep == Ep::Locations {
            // The org's own list comes first, the documented one when it fails: both fail.
            inject_fault(fault.spec(method, ORG_LOCATIONS)).await;
        }
    }
    let mut app = open(ep).await?;
    if !ep.is_load() {
        inject_fault(fault.spec(method, &path)).await;
        act(ep).await?;
    }
    let Some(words) = fault.says(ep) else {
        // Not a failure for this endpoint: the answer is taken as a success.
        if ep == Ep::Version {
            // The fault stood in for the server, which changed nothing: the page says so.
            until("the dialog to close", || {
                find("dialog#version-group").is_some_and(|d| !d.has_attribute("open"))
            })
            .await?;
            let version = client("acme")
                .get_group("legacy")
                .await
                .map_err(|e| e.to_string())?;
            return until_text(".fields", version.version.as_deref().unwrap_or("?")).await;
        }
        return done(ep).await;
    };
    if fault == Fault::Unauthorized && !matches!(ep, Ep::Validate | Ep::Organizations) {
        // Back to the connect page, with a message, the organization kept, and no loop.
        until_element("#connect-submit").await?;
        until_text("main", words).await?;
        holds(
            "the organization stays",
            input_value("#connect-org") == "acme",
        )?;
        let sent = requests().await.len();
        holds(&format!("no loop ({sent} requests)"), sent < 12)?;
        drop(app);
        return Ok(());
    }
    let region = ep.region();
    until_text(region, words).await?;
    let shown = text(region);
    for raw in ["undefined", "JsValue", "Error {", "[object"] {
        holds(&format!("no {raw:?} in {shown:?}"), !shown.contains(raw))?;
    }
    if fault == Fault::Timeout && ep.visible_change() {
        // The server makes the change after the panel stopped waiting; once it has, a
        // reload shows it.
        drop(app);
        server_made(ep).await?;
        let _app = mount_for(ep);
        return done(ep).await;
    }
    unchanged(ep, fault)?;
    clear_faults().await;
    again(ep, &mut app).await?;
    done(ep).await
}

/// Runs the cells of `endpoints`, prints them as a table, and fails if any failed.
async fn matrix(endpoints: &[Ep]) {
    groups_console::api::set_request_timeout_ms(TIMEOUT_MS);
    let mut table = format!("{:<15}", "endpoint");
    for fault in FAULTS {
        table.push_str(&format!("{:>7}", fault.label()));
    }
    let mut failures = Vec::new();
    let mut passed = 0;
    for &ep in endpoints {
        table.push_str(&format!("\n{:<15}", format!("{ep:?}")));
        for fault in FAULTS {
            let mark = match cell(ep, fault).await {
                Ok(()) => {
                    passed += 1;
                    "ok"
                }
                Err(why) => {
                    failures.push(format!("{ep:?} × {}: {why}", fault.label()));
                    "FAIL"
                }
            };
            table.push_str(&format!("{mark:>7}"));
        }
    }
    console_log!(
        "fault matrix: {passed} cells passed, {} failed\n{table}",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "failed cells:\n{}",
        failures.join("\n")
    );
}

#[wasm_bindgen_test]
async fn fault_matrix_connect_and_loads() {
    matrix(&[
        Ep::Validate,
        Ep::Organizations,
        Ep::Groups,
        Ep::Locations,
        Ep::Group,
        Ep::Configuration,
        Ep::Databases,
    ])
    .await;
}

#[wasm_bindgen_test]
async fn fault_matrix_table_changes() {
    matrix(&[
        Ep::Create,
        Ep::Delete,
        Ep::Transfer,
        Ep::Unarchive,
        Ep::Protection,
    ])
    .await;
}

#[wasm_bindgen_test]
async fn fault_matrix_group_page_changes() {
    matrix(&[
        Ep::Version,
        Ep::AddLocation,
        Ep::RemoveLocation,
        Ep::Token,
        Ep::Rotate,
    ])
    .await;
}

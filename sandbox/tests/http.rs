//! HTTP-level tests: the real `sandbox-server` binary on 127.0.0.1 port 0, over real sockets
//! (helpers in `common`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

mod common;

use common::{assert_cors, Reply, Server, AUTH};

#[test]
fn startup_line_and_auth_over_http() {
    let server = Server::start(&[]);
    let bare = server.call("GET", "/v1/organizations", &[], None);
    assert_eq!(
        (bare.status, bare.json()),
        (401, json!({"error": "Unauthorized"}))
    );
    assert_cors(&bare);
    assert_eq!(bare.header("content-type"), Some("application/json"));

    let wrong = server.call(
        "GET",
        "/v1/organizations",
        &[("Authorization", "Bearer abc")],
        None,
    );
    assert_eq!(
        (wrong.status, wrong.json()),
        (
            401,
            json!({"error": "token contains an invalid number of segments"})
        )
    );

    let ok = server.api("GET", "/v1/organizations", None);
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json().as_array().map(Vec::len), Some(3));
    assert_cors(&ok);
    // Every connection is closed after one answer (what makes `drop` faults reliable).
    assert_eq!(ok.header("connection"), Some("close"));
}

#[test]
fn create_then_list_round_trip() {
    let server = Server::start(&[]);
    let created = server.api(
        "POST",
        "/v1/organizations/acme/groups",
        Some(r#"{"name":"over-http","location":"aws-eu-west-1"}"#),
    );
    assert_eq!(created.status, 200, "{}", created.text());
    let group = created.json()["group"].clone();
    assert_eq!(group["name"], "over-http");

    let listed = server
        .api("GET", "/v1/organizations/acme/groups", None)
        .json();
    let groups = listed["groups"].as_array().unwrap();
    assert_eq!(groups.last(), Some(&group));

    // A query string reaches the handler decoded.
    let page = server.api(
        "GET",
        "/v1/organizations/acme/databases?group=bill%69ng&limit=2",
        None,
    );
    let names: Vec<Value> = page.json()["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["Name"].clone())
        .collect();
    assert_eq!(names, [json!("invoices"), json!("payments")]);
}

#[test]
fn empty_bodies_have_no_content_type() {
    let server = Server::start(&[]);
    let rotated = server.api(
        "POST",
        "/v1/organizations/acme/groups/default/auth/rotate",
        None,
    );
    assert_eq!((rotated.status, rotated.body.len()), (200, 0));
    assert_eq!(rotated.header("content-type"), None);
    assert_eq!(rotated.header("content-length"), Some("0"));
    assert_cors(&rotated);
}

#[test]
fn cors_preflight_is_answered_and_not_logged() {
    let server = Server::start(&[]);
    let preflight = server.call(
        "OPTIONS",
        "/v1/organizations/acme/groups/default/configuration",
        &[
            ("Origin", "http://localhost:8080"),
            ("Access-Control-Request-Method", "PATCH"),
            (
                "Access-Control-Request-Headers",
                "authorization, content-type",
            ),
        ],
        None,
    );
    assert_eq!(preflight.status, 204);
    assert_cors(&preflight);
    assert_eq!(
        preflight.header("access-control-allow-methods"),
        Some("GET, POST, PATCH, DELETE, OPTIONS")
    );
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("authorization, content-type, accept, x-turso-organization")
    );
    assert!(preflight.header("access-control-max-age").is_some());
    assert!(preflight.body.is_empty());
    assert_eq!(server.control("GET", "requests", None).json(), json!([]));
}

#[test]
fn request_log_records_v1_requests_until_cleared_or_reset() {
    let server = Server::start(&[]);
    server.api("GET", "/v1/locations", None);
    server.call(
        "POST",
        "/v1/organizations/acme/groups/default/auth/tokens?expiration=1d&authorization=read-only",
        &[
            AUTH,
            ("Content-Type", "text/plain;charset=UTF-8"),
            ("X-Extra", "1"),
        ],
        Some(r#"{"permissions":{"read_attach":{"databases":[]}}}"#),
    );
    server.control("GET", "faults", None); // control routes are not logged

    let log = server.control("GET", "requests", None);
    assert_eq!(log.status, 200);
    assert_cors(&log);
    let log = log.json();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log:#}");
    assert_eq!(entries[0]["method"], "GET");
    assert_eq!(entries[0]["path"], "/v1/locations");
    assert_eq!(entries[0]["query"], "");
    assert_eq!(entries[0]["body"], Value::Null);
    assert_eq!(
        entries[0]["headers"]["authorization"],
        "Bearer sandbox-token"
    );
    assert_eq!(entries[1]["method"], "POST");
    assert_eq!(
        entries[1]["path"],
        "/v1/organizations/acme/groups/default/auth/tokens"
    );
    assert_eq!(entries[1]["query"], "expiration=1d&authorization=read-only");
    assert_eq!(
        entries[1]["body"],
        r#"{"permissions":{"read_attach":{"databases":[]}}}"#
    );
    assert_eq!(
        entries[1]["headers"]["content-type"],
        "text/plain;charset=UTF-8"
    );
    assert_eq!(entries[1]["headers"]["x-extra"], "1");

    assert_eq!(server.control("DELETE", "requests", None).status, 200);
    assert_eq!(server.control("GET", "requests", None).json(), json!([]));

    // Reset re-seeds and forgets the log and the faults.
    server.api(
        "POST",
        "/v1/organizations/acme/groups",
        Some(r#"{"name":"temp","location":"aws-us-east-1"}"#),
    );
    server.control(
        "POST",
        "faults",
        Some(r#"{"path":"/v1/locations","status":500}"#),
    );
    assert_eq!(server.control("POST", "reset", None).status, 200);
    assert_eq!(server.control("GET", "requests", None).json(), json!([]));
    assert_eq!(server.control("GET", "faults", None).json(), json!([]));
    let groups = server
        .api("GET", "/v1/organizations/acme/groups", None)
        .json();
    assert_eq!(groups["groups"].as_array().unwrap().len(), 4);
    assert_eq!(server.api("GET", "/v1/locations", None).status, 200);

    // `?groups=N` seeds a long table once; the next plain reset goes back to the seed.
    assert_eq!(server.control("POST", "reset?groups=250", None).status, 200);
    let groups = server
        .api("GET", "/v1/organizations/acme/groups", None)
        .json();
    let groups = groups["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 254);
    assert_eq!(groups[253]["name"], "tenant-00250");
    assert_eq!(
        server.control("POST", "reset?groups=many", None).status,
        400
    );
    server.control("POST", "reset", None);
    let groups = server
        .api("GET", "/v1/organizations/acme/groups", None)
        .json();
    assert_eq!(groups["groups"].as_array().unwrap().len(), 4);
}

#[test]
fn status_fault_with_retry_after_applies_once_then_passes() {
    let server = Server::start(&[]);
    let added = server.control(
        "POST",
        "faults",
        Some(
            r#"{"method":"GET","path":"/v1/organizations/acme/groups","status":503,
                "body":"<h1>busy</h1>","content_type":"text/html",
                "headers":{"Retry-After":"2"},"times":1}"#,
        ),
    );
    assert_eq!(added.status, 200, "{}", added.text());

    // Another method on the same path is not affected.
    let post = server.api("POST", "/v1/organizations/acme/groups", Some("{}"));
    assert_eq!(post.status, 400);

    let faulted = server.api("GET", "/v1/organizations/acme/groups", None);
    assert_eq!(faulted.status, 503);
    assert_eq!(faulted.text(), "<h1>busy</h1>");
    assert_eq!(faulted.header("content-type"), Some("text/html"));
    assert_eq!(faulted.header("retry-after"), Some("2"));
    assert_cors(&faulted);

    let normal = server.api("GET", "/v1/organizations/acme/groups", None);
    assert_eq!(normal.status, 200);
    assert_eq!(normal.json()["groups"].as_array().unwrap().len(), 4);

    // Faulted requests are still logged.
    let log = server.control("GET", "requests", None).json();
    assert_eq!(log.as_array().unwrap().len(), 3);
}

#[test]
fn prefix_faults_last_until_cleared() {
    let server = Server::start(&[]);
    server.control(
        "POST",
        "faults",
        Some(r#"{"path":"/v1/organizations/*","status":500,"body":"{\"error\":\"boom\"}"}"#),
    );
    for path in [
        "/v1/organizations/acme/groups",
        "/v1/organizations/jane/databases",
    ] {
        let reply = server.api("GET", path, None);
        assert_eq!(
            (reply.status, reply.json()),
            (500, json!({"error": "boom"}))
        );
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
    assert_eq!(server.api("GET", "/v1/locations", None).status, 200);
    assert_eq!(
        server
            .control("GET", "faults", None)
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(server.control("DELETE", "faults", None).status, 200);
    assert_eq!(
        server
            .api("GET", "/v1/organizations/acme/groups", None)
            .status,
        200
    );
}

#[test]
fn bad_faults_are_refused() {
    let server = Server::start(&[]);
    for body in [
        "nope",
        r#"{"status":503}"#,
        r#"{"path":"/v1/x","delay":10}"#,
    ] {
        let reply = server.control("POST", "faults", Some(body));
        assert_eq!(reply.status, 400, "{body}");
        assert!(reply.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("invalid fault"));
    }
    assert_eq!(server.control("GET", "faults", None).json(), json!([]));
    assert_eq!(server.control("PUT", "faults", None).status, 405);
    assert_eq!(server.control("GET", "nope", None).status, 404);
}

#[test]
fn delay_fault_waits_then_answers_normally() {
    let server = Server::start(&[]);
    server.control(
        "POST",
        "faults",
        Some(r#"{"path":"/v1/locations","delay_ms":400,"times":1}"#),
    );
    let started = Instant::now();
    let delayed = server.api("GET", "/v1/locations", None);
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(delayed.status, 200);
    assert_eq!(delayed.json()["locations"].as_object().unwrap().len(), 12);
    assert_eq!(
        server.control("GET", "faults", None).json(),
        json!([]),
        "used up"
    );
}

#[test]
fn drop_fault_closes_the_connection_without_an_answer() {
    let server = Server::start(&[]);
    server.control(
        "POST",
        "faults",
        Some(r#"{"path":"/v1/organizations/acme/groups","drop":true,"times":1}"#),
    );
    let dropped = server.try_call("GET", "/v1/organizations/acme/groups", &[AUTH], None);
    assert!(
        dropped.is_err(),
        "expected a connection error, got {dropped:?}"
    );
    // Same with a status also set: drop wins.
    server.control(
        "POST",
        "faults",
        Some(r#"{"path":"/v1/locations","drop":true,"status":500,"times":1}"#),
    );
    assert!(server
        .try_call("GET", "/v1/locations", &[AUTH], None)
        .is_err());

    assert_eq!(
        server
            .api("GET", "/v1/organizations/acme/groups", None)
            .status,
        200
    );
    assert_eq!(server.api("GET", "/v1/locations", None).status, 200);
    let log = server.control("GET", "requests", None).json();
    assert_eq!(
        log.as_array().unwrap().len(),
        4,
        "dropped requests are logged too"
    );
}

#[test]
fn verify_token_route_reports_claims_and_rotation() {
    let server = Server::start(&[]);
    let group = server
        .api("GET", "/v1/organizations/acme/groups/default", None)
        .json()["group"]
        .clone();
    let minted = server.api(
        "POST",
        "/v1/organizations/acme/groups/default/auth/tokens?expiration=1h",
        None,
    );
    let jwt = minted.json()["jwt"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {jwt}");

    let valid = server.call(
        "GET",
        "/__sandbox/verify-token",
        &[("Authorization", &bearer)],
        None,
    );
    assert_eq!(valid.status, 200);
    let body = valid.json();
    assert_eq!(body["valid"], true);
    assert_eq!(body["claims"]["gid"], group["uuid"]);
    assert_eq!(body["claims"]["a"], "rw");
    assert!(body["claims"]["exp"].as_u64().unwrap() > body["claims"]["iat"].as_u64().unwrap());

    server.api(
        "POST",
        "/v1/organizations/acme/groups/default/auth/rotate",
        None,
    );
    let rotated = server.call(
        "GET",
        "/__sandbox/verify-token",
        &[("Authorization", &bearer)],
        None,
    );
    assert_eq!(
        (rotated.status, rotated.json()),
        (
            401,
            json!({"valid": false, "error": "token has been invalidated"})
        )
    );
    let missing = server.call("GET", "/__sandbox/verify-token", &[], None);
    assert_eq!(missing.status, 401);
    assert_eq!(missing.json()["valid"], false);
}

#[test]
fn extra_groups_flag_seeds_tenants() {
    let server = Server::start(&["--groups", "30"]);
    let groups = server
        .api("GET", "/v1/organizations/acme/groups", None)
        .json();
    let groups = groups["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 34);
    assert_eq!(groups[33]["name"], "tenant-00030");
    // Reset keeps the flag.
    server.control("POST", "reset", None);
    let again = server
        .api("GET", "/v1/organizations/acme/groups", None)
        .json();
    assert_eq!(again["groups"].as_array().unwrap().len(), 34);
}

/// A dist directory removed when dropped.
struct TempDist(PathBuf);

impl TempDist {
    fn new(files: &[(&str, &[u8])]) -> TempDist {
        let dir = std::env::temp_dir().join(format!(
            "sandbox-dist-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, content) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        TempDist(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDist {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn dist_files_are_served_with_an_spa_fallback() {
    let index = b"<!doctype html><title>Groups Console</title>";
    let wasm = b"\0asm\x01\0\0\0";
    let dist = TempDist::new(&[
        ("index.html", index),
        ("groups-console-abc_bg.wasm", wasm),
        ("groups-console-abc.js", b"export default 1;"),
        ("style-123.css", b"body{}"),
        ("assets/logo.svg", b"<svg/>"),
    ]);
    let server = Server::start(&["--dist", dist.path().to_str().unwrap()]);

    for (path, content_type, body) in [
        ("/", "text/html; charset=utf-8", &index[..]),
        ("/groups-console-abc_bg.wasm", "application/wasm", &wasm[..]),
        (
            "/groups-console-abc.js",
            "text/javascript",
            b"export default 1;",
        ),
        ("/style-123.css", "text/css", b"body{}"),
        ("/assets/logo.svg", "image/svg+xml", b"<svg/>"),
        // Deep links fall back to index.html.
        (
            "/orgs/acme/groups/default",
            "text/html; charset=utf-8",
            &index[..],
        ),
        (
            "/orgs/acme/groups/default?tab=tokens",
            "text/html; charset=utf-8",
            &index[..],
        ),
        ("/../../etc/passwd", "text/html; charset=utf-8", &index[..]),
    ] {
        let reply = server.call("GET", path, &[], None);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
        assert_eq!(reply.body, body, "{path}");
    }
    // The API and control routes are never shadowed by the fallback.
    let api = server.call("GET", "/v1/nope", &[AUTH], None);
    assert_eq!(
        (api.status, api.json()),
        (404, json!({"error": "not found"}))
    );
    assert_eq!(server.call("GET", "/__sandbox/nope", &[], None).status, 404);
}

#[test]
fn without_dist_other_paths_are_404() {
    let server = Server::start(&[]);
    let reply = server.call("GET", "/", &[], None);
    assert_eq!(
        (reply.status, reply.json()),
        (404, json!({"error": "not found"}))
    );
    assert_cors(&reply);
}

#[test]
fn relay_mode_carries_requests_and_errors_through_unchanged() {
    let upstream = Server::start(&[]);
    let relay = Server::start_relay(&format!("http://{}", upstream.addr));

    // The same answers as the upstream, status and body.
    let direct = upstream.api("GET", "/v1/organizations/acme/groups", None);
    let relayed = relay.api("GET", "/v1/organizations/acme/groups", None);
    assert_eq!(
        (relayed.status, relayed.json()),
        (direct.status, direct.json())
    );
    assert_eq!(relayed.header("content-type"), Some("application/json"));
    assert_cors(&relayed);

    // A body and a query cross; so does the caller's Authorization, and nothing else of it.
    let created = relay.call(
        "POST",
        "/v1/organizations/acme/groups",
        &[
            AUTH,
            ("Content-Type", "application/json"),
            ("Cookie", "c=1"),
        ],
        Some(r#"{"name":"relayed","location":"aws-us-east-1"}"#),
    );
    assert_eq!(created.status, 200, "{}", created.text());
    assert_eq!(created.json()["group"]["name"], "relayed");
    let tokens = relay.api(
        "POST",
        "/v1/organizations/acme/groups/relayed/auth/tokens?expiration=1d&authorization=read-only",
        None,
    );
    assert_eq!(tokens.status, 200, "{}", tokens.text());
    let log = upstream.control("GET", "requests", None).json();
    let post = log
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["method"] == "POST" && r["path"] == "/v1/organizations/acme/groups")
        .expect("the create reached the upstream");
    assert_eq!(post["headers"]["authorization"], "Bearer sandbox-token");
    assert!(post["headers"].get("cookie").is_none(), "{post}");
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["query"] == "expiration=1d&authorization=read-only"));

    // Errors come back as the upstream sent them: a refusal, and a 429 with Retry-After.
    let refused = relay.call("GET", "/v1/organizations/acme/groups", &[], None);
    let refused_direct = upstream.call("GET", "/v1/organizations/acme/groups", &[], None);
    assert_eq!(refused.status, 401);
    assert_eq!(refused.text(), refused_direct.text());
    upstream.control(
        "POST",
        "faults",
        Some(r#"{"path":"/v1/locations","status":429,"headers":{"Retry-After":"7"},"body":"{\"error\":\"slow down\"}","times":1}"#),
    );
    let limited = relay.api("GET", "/v1/locations", None);
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("7"));
    assert_eq!(limited.json(), json!({"error": "slow down"}));

    // The relay is not a sandbox: no control routes.
    assert_eq!(relay.control("GET", "requests", None).status, 404);
    // Nor does it answer the closest region itself: the browser is sent to Turso's service,
    // which sees where the user is; the upstream is never asked.
    let before = upstream.control("GET", "requests", None).json();
    let region = relay.call("GET", "/region", &[], None);
    assert_eq!(region.status, 307, "{region:?}");
    assert_eq!(region.header("location"), Some("https://region.turso.io/"));
    assert_eq!(upstream.control("GET", "requests", None).json(), before);

    // An upstream that is gone is a 502 that says so.
    let gone = upstream.addr;
    drop(upstream);
    let unreachable = relay.api("GET", "/v1/locations", None);
    assert_eq!(unreachable.status, 502);
    assert_eq!(
        unreachable.json()["error"],
        format!("the relay could not reach http://{gone}")
    );
}

#[test]
fn relay_answers_preflights_itself_and_never_forwards_them() {
    let upstream = Server::start(&[]);
    let relay = Server::start_relay(&format!("http://{}", upstream.addr));
    let preflight = |path: &str, method: &str| {
        relay.call(
            "OPTIONS",
            path,
            &[
                ("Origin", "https://panel.example"),
                ("Access-Control-Request-Method", method),
                (
                    "Access-Control-Request-Headers",
                    "authorization, content-type, accept",
                ),
            ],
            None,
        )
    };
    let check = |reply: &Reply| {
        assert_eq!(reply.status, 204, "{reply:?}");
        assert_cors(reply);
        let methods = reply.header("access-control-allow-methods").unwrap_or("");
        for method in ["GET", "POST", "PATCH", "DELETE"] {
            assert!(methods.contains(method), "{method} in {methods:?}");
        }
        let headers = reply
            .header("access-control-allow-headers")
            .unwrap_or("")
            .to_ascii_lowercase();
        for header in ["authorization", "content-type", "accept"] {
            assert!(headers.contains(header), "{header} in {headers:?}");
        }
        assert!(reply.body.is_empty());
    };
    check(&preflight(
        "/v1/organizations/acme/groups/default/configuration",
        "PATCH",
    ));
    check(&preflight("/v2/organizations/acme/locations", "GET"));

    // The real request that follows still crosses, with the CORS headers.
    let listed = relay.call(
        "GET",
        "/v1/organizations/acme/groups",
        &[AUTH, ("Origin", "https://panel.example")],
        None,
    );
    assert_eq!(listed.status, 200);
    assert_cors(&listed);

    // Answered locally: with the upstream gone, a preflight is still a 204, not a 502.
    drop(upstream);
    check(&preflight(
        "/v1/organizations/acme/groups/default",
        "DELETE",
    ));
}

#[test]
fn locations_by_organization_header_and_v2_route_over_http() {
    let server = Server::start(&[]);
    let count = |reply: &Reply| reply.json()["locations"].as_object().unwrap().len();
    assert_eq!(count(&server.api("GET", "/v1/locations", None)), 12);
    let acme = server.call(
        "GET",
        "/v1/locations",
        &[AUTH, ("x-turso-organization", "acme")],
        None,
    );
    assert_eq!(count(&acme), 43);
    let v2 = server.api("GET", "/v2/organizations/globex/locations", None);
    assert_eq!(v2.status, 200);
    assert_eq!(v2.json()["locations"]["aws"].as_object().unwrap().len(), 12);
    assert_cors(&v2);
    // /v2 requests are logged like /v1 ones.
    let log = server.control("GET", "requests", None).json();
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["path"] == "/v2/organizations/globex/locations"));
}

/// The audit log's origin comes from the real User-Agent header: the CLI's is `cli`.
#[test]
fn the_user_agent_header_sets_the_audit_origin() {
    let server = Server::start(&[]);
    let path = "/v1/organizations/acme/groups/default/configuration";
    let body = Some(r#"{"delete_protection":true}"#);
    let cli = [AUTH, ("User-Agent", "turso-cli/1.0.0 (linux/amd64)")];
    assert_eq!(server.call("PATCH", path, &cli, body).status, 200);
    let browser = [AUTH, ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)")];
    assert_eq!(server.call("PATCH", path, &browser, body).status, 200);
    let log = server
        .api("GET", "/v1/organizations/acme/audit-logs?page_size=2", None)
        .json();
    let origins: Vec<&str> = log["audit_logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["origin"].as_str().unwrap())
        .collect();
    assert_eq!(origins, ["web", "cli"], "newest first: {log}");
}

//! The HTTP side of both binaries, `sandbox-server` and `groups-console-relay`: one hyper
//! HTTP/1.1 connection task per socket, all sharing one `App`.

mod faults;
mod files;
mod relay;

use std::fmt;
use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::{parse_query, Platform, Request};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Map, Value};

use faults::Fault;

/// Bodies above this are refused; the panel never sends anything close.
const MAX_BODY_BYTES: usize = 1 << 20;
/// The most extra groups `POST /__sandbox/reset?groups=N` seeds.
const MAX_EXTRA_GROUPS: usize = 99_999;

pub struct Config {
    pub token: String,
    pub extra_groups: usize,
    pub dist: Option<PathBuf>,
    /// Relay mode: forward `/v1` to this API instead of answering from the sandbox.
    pub relay: Option<String>,
}

pub struct App {
    config: Config,
    state: Mutex<State>,
    relay: Option<relay::Relay>,
}

/// Everything `/__sandbox/reset` puts back.
struct State {
    platform: Platform,
    /// Requests that reached `/v1`, as `GET /__sandbox/requests` returns them.
    requests: Vec<Value>,
    /// Matched in the order they were added.
    faults: Vec<Fault>,
}

impl App {
    pub fn new(config: Config) -> Result<App, String> {
        let state = Mutex::new(State::fresh(&config));
        let relay = config.relay.as_deref().map(relay::Relay::new).transpose()?;
        Ok(App {
            config,
            state,
            relay,
        })
    }

    /// The upstream in relay mode.
    pub fn relay_upstream(&self) -> Option<&str> {
        self.relay.as_ref().map(relay::Relay::upstream)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    fn fresh(config: &Config) -> State {
        State::seeded(config, config.extra_groups)
    }

    fn seeded(config: &Config, extra_groups: usize) -> State {
        State {
            platform: Platform::seeded(&config.token, extra_groups),
            requests: Vec::new(),
            faults: Vec::new(),
        }
    }
}

/// A response before the transport headers (CORS, length) are added.
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    pub(crate) fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: value.to_string().into_bytes(),
        }
    }

    pub(crate) fn error(status: u16, message: &str) -> Reply {
        Reply::json(status, &json!({ "error": message }))
    }
}

/// The service's only error: hang up without answering (an injected `drop` fault). hyper then
/// closes the socket without writing a byte, so the browser's fetch fails with a network error.
#[derive(Debug)]
struct HangUp;

impl fmt::Display for HangUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for HangUp {}

/// `host:port`; a name such as `localhost:0` resolves to its first address.
pub fn parse_addr(value: &str) -> Result<SocketAddr, String> {
    value
        .to_socket_addrs()
        .map_err(|e| format!("--addr {value}: {e}"))?
        .next()
        .ok_or_else(|| format!("--addr {value}: no address"))
}

/// A binary's `main`: `parsed` is its command line (an empty error: `--help`), then `run`.
pub fn main(
    bin: &str,
    usage: &str,
    name: &str,
    parsed: Result<(SocketAddr, Config), String>,
) -> ExitCode {
    match parsed {
        Ok((addr, config)) => run(name, addr, config),
        Err(message) if message.is_empty() => {
            println!("{usage}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{bin}: {message}\n{usage}");
            ExitCode::from(2)
        }
    }
}

/// Listen on `addr` and serve until killed. `name` starts the startup line, `<name> listening
/// on http://<addr>`, which the tests and xtask wait for to learn the port.
fn run(name: &str, addr: SocketAddr, config: Config) -> ExitCode {
    // One thread is plenty for a local test server, and leaves the second core to the tests.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("{name}: cannot listen on {addr}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let app = match App::new(config) {
            Ok(app) => Arc::new(app),
            Err(e) => {
                eprintln!("{name}: {e}");
                return ExitCode::from(2);
            }
        };
        let local = listener.local_addr().expect("bound address");
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "{name} listening on http://{local}");
        if let Some(upstream) = app.relay_upstream() {
            let _ = writeln!(stdout, "relay: /v1/... goes to {upstream}/v1/...");
        }
        let _ = stdout.flush();
        serve(listener, app).await
    })
}

async fn serve(listener: tokio::net::TcpListener, app: Arc<App>) -> ExitCode {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Usually out of file descriptors: back off instead of spinning.
                eprintln!("accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| respond(app.clone(), req));
            // Keep-alive off: a client may silently re-send an idempotent request whose *reused*
            // connection closes without an answer (RFC 9112 §9.3.1), which would turn a `drop`
            // fault into a success. With a fresh connection per request, a drop always reaches
            // the page as a network error (checked in headless Chromium: "Failed to fetch").
            let _ = http1::Builder::new()
                .keep_alive(false)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn respond(
    app: Arc<App>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, HangUp> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(finish(Reply::error(413, "request body too large"))),
    };
    let path = parts.uri.path().to_string();
    let to_api = ["/v1", "/v2"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    // The closest-region stand-in: logged and faulted like the API. A relay sends the
    // browser on to Turso's own service instead (never asking it itself: the answer is
    // where the asker is, and that must be the user, not the relay).
    let to_region = path == crate::REGION_PATH;
    // Preflights are answered here in every mode. A relay must not forward them: the
    // upstream's answer would come back without the CORS headers the browser needs.
    let reply = if parts.method == Method::OPTIONS {
        preflight()
    } else if let (Some(relay), true) = (&app.relay, to_api) {
        relay.forward(&parts, body).await
    } else if let (Some(_), true) = (&app.relay, to_region) {
        relay::to_region_service()
    } else if to_api || to_region {
        // In a task of its own, so that a request whose caller gave up (a timeout) still
        // completes, as it would on a real server.
        let app = app.clone();
        tokio::spawn(async move { api(&app, &parts, &path, &body).await })
            .await
            .map_err(|_| HangUp)??
    } else if let (None, Some(route)) = (&app.relay, path.strip_prefix("/__sandbox/")) {
        control(&app, &parts, route, &body)
    } else {
        files::serve(app.config.dist.as_deref(), &parts.method, &path)
    };
    Ok(finish(reply))
}

/// CORS preflight for any path: every panel call needs one (Authorization header, JSON bodies,
/// `x-turso-organization` on the locations list). Retry-After is exposed by `finish`.
fn preflight() -> Reply {
    Reply {
        status: 204,
        headers: vec![
            (
                "Access-Control-Allow-Methods".into(),
                "GET, POST, PATCH, DELETE, OPTIONS".into(),
            ),
            (
                "Access-Control-Allow-Headers".into(),
                "authorization, content-type, accept, x-turso-organization".into(),
            ),
            ("Access-Control-Max-Age".into(), "600".into()),
        ],
        body: Vec::new(),
    }
}

/// Adds the CORS headers every answer carries, errors and injected faults included.
fn finish(reply: Reply) -> hyper::Response<Full<Bytes>> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    for (name, value) in &reply.headers {
        // Fault headers were validated when the fault was added; skip anything else odd.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(name, value);
        }
    }
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("Retry-After"),
    );
    response
}

fn header_text(value: &HeaderValue) -> String {
    String::from_utf8_lossy(value.as_bytes()).into_owned()
}

async fn api(app: &App, parts: &Parts, path: &str, body: &[u8]) -> Result<Reply, HangUp> {
    let raw_query = parts.uri.query().unwrap_or("");
    let body_text = (!body.is_empty()).then(|| String::from_utf8_lossy(body).into_owned());
    let method = parts.method.as_str();

    let fault = {
        let mut state = app.state();
        let mut headers = Map::new();
        for name in parts.headers.keys() {
            let values: Vec<String> = parts
                .headers
                .get_all(name)
                .iter()
                .map(header_text)
                .collect();
            headers.insert(name.as_str().to_string(), values.join(", ").into());
        }
        state.requests.push(json!({
            "method": method,
            "path": path,
            "query": raw_query,
            "body": body_text,
            "headers": headers,
        }));
        faults::take(&mut state.faults, method, path)
    };

    if let Some(fault) = fault {
        if fault.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
        }
        if fault.drop {
            return Err(HangUp);
        }
        if let Some(reply) = fault.reply() {
            return Ok(reply);
        }
        // Neither drop nor status: a pure delay, then the normal answer.
    }

    let request = Request {
        method: method.to_string(),
        path: path.to_string(),
        query: parse_query(raw_query),
        authorization: parts.headers.get("authorization").map(header_text),
        turso_organization: parts.headers.get("x-turso-organization").map(header_text),
        user_agent: parts.headers.get("user-agent").map(header_text),
        body: body_text,
    };
    let response = app.state().platform.handle(&request, unix_now());
    let mut headers = response.headers;
    if !response.body.is_empty() {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    Ok(Reply {
        status: response.status,
        headers,
        body: response.body.into_bytes(),
    })
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Test-control routes: no auth, never logged, never faulted.
fn control(app: &App, parts: &Parts, route: &str, body: &[u8]) -> Reply {
    let ok = || Reply::json(200, &json!({ "ok": true }));
    match (parts.method.as_str(), route) {
        ("POST", "reset") => {
            // `?groups=N` seeds N extra groups this time (a test of a long table), instead of
            // the server's `--groups`.
            let query = parse_query(parts.uri.query().unwrap_or(""));
            let extra = match query.iter().find(|(k, _)| k == "groups") {
                None => app.config.extra_groups,
                Some((_, n)) => match n.parse::<usize>() {
                    Ok(n) if n <= MAX_EXTRA_GROUPS => n,
                    _ => {
                        return Reply::error(
                            400,
                            &format!("groups must be a number up to {MAX_EXTRA_GROUPS}"),
                        )
                    }
                },
            };
            *app.state() = State::seeded(&app.config, extra);
            ok()
        }
        ("GET", "requests") => Reply::json(200, &Value::Array(app.state().requests.clone())),
        ("DELETE", "requests") => {
            app.state().requests.clear();
            ok()
        }
        ("GET", "faults") => {
            let listed: Vec<Value> = app.state().faults.iter().map(Fault::to_json).collect();
            Reply::json(200, &Value::Array(listed))
        }
        ("POST", "faults") => match Fault::parse(body) {
            Ok(fault) => {
                let answer = fault.to_json();
                app.state().faults.push(fault);
                Reply::json(200, &answer)
            }
            Err(message) => Reply::error(400, &format!("invalid fault: {message}")),
        },
        ("DELETE", "faults") => {
            app.state().faults.clear();
            ok()
        }
        ("GET", "verify-token") => {
            let token = parts
                .headers
                .get("authorization")
                .map(header_text)
                .and_then(|value| {
                    let (scheme, token) = value.split_once(' ')?;
                    scheme
                        .eq_ignore_ascii_case("bearer")
                        .then(|| token.trim().to_string())
                });
            let Some(token) = token else {
                return Reply::json(
                    401,
                    &json!({ "valid": false, "error": "missing authorization header" }),
                );
            };
            match app.state().platform.verify_db_token(&token, unix_now()) {
                Ok(claims) => Reply::json(200, &json!({ "valid": true, "claims": claims })),
                Err(error) => Reply::json(401, &json!({ "valid": false, "error": error })),
            }
        }
        (_, "reset" | "requests" | "faults" | "verify-token") => {
            Reply::error(405, "method not allowed")
        }
        _ => Reply::error(404, "not found"),
    }
}

//! End-to-end tests: the release build of Groups Console, served by the sandbox, driven in
//! headless Chromium through chromedriver.
//!
//! `cargo xtask test` sets everything up and runs these with
//! `E2E_BASE_URL` (the sandbox serving dist/ and /v1), `WEBDRIVER_URL` (chromedriver) and
//! `E2E_SCREENSHOT` (where to save a screenshot of the groups page). Without `E2E_BASE_URL`
//! every test prints a note and passes, so a plain `cargo test --workspace` needs no browser.
//!
//! Tests never sleep to synchronise: every wait polls for a condition with a deadline and,
//! when it runs out, says what it was waiting for and what the page showed.

use std::ops::AsyncFnOnce;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// How long any single wait may take.
const TIMEOUT: Duration = Duration::from_secs(15);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);
const TOKEN: &str = "sandbox-token";
const ORG: &str = "acme";
const GROUPS_PATH: &str = "/v1/organizations/acme/groups";

/// The tests share one sandbox, whose state they reset: one at a time, also when the harness
/// runs them on several threads.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

type Res<T = ()> = Result<T, String>;

// ---------------------------------------------------------------------------------------------
// The scenarios
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn connect_create_reload() {
    e2e("connect_create_reload", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.goto("/").await?;

        let base_url = b.value("#connect-base-url").await?;
        let expected = format!("{}/v1", b.base);
        if base_url != expected {
            return Err(format!(
                "#connect-base-url should be prefilled with `{expected}` when served from \
                 127.0.0.1, but holds `{base_url}`"
            ));
        }
        b.fill("#connect-token", TOKEN).await?;
        b.fill("#connect-org", ORG).await?;
        b.click("#connect-submit").await?;
        b.wait_for(r#"table#groups-table tbody tr[data-group="default"]"#)
            .await?;
        b.wait_for_path("/groups").await?;

        let log = b.sandbox_requests().await?;
        for path in ["/v1/auth/validate", GROUPS_PATH] {
            let hit = find_request(&log, "GET", path)
                .ok_or_else(|| format!("no GET {path} in the sandbox log:\n{}", brief(&log)))?;
            expect_bearer(hit, TOKEN)?;
        }

        b.click("#new-group").await?;
        b.wait_for("dialog#create-group[open]").await?;
        b.fill("#create-name", "e2e-group").await?;
        b.fill("#create-location", "ireland").await?;
        b.click(r#"#create-location-list [role="option"][data-code="aws-eu-west-1"]"#)
            .await?;
        b.click("#create-submit").await?;
        b.wait_for_text(r#"tr[data-group="e2e-group"]"#, "aws-eu-west-1")
            .await?;
        b.wait_gone("dialog#create-group[open]").await?;

        let log = b.sandbox_requests().await?;
        let posts: Vec<(usize, &Value)> = log
            .iter()
            .enumerate()
            .filter(|(_, r)| is_request(r, "POST", GROUPS_PATH))
            .collect();
        let [(post_at, post)] = posts[..] else {
            return Err(format!(
                "expected exactly one POST {GROUPS_PATH}, the sandbox saw {}:\n{}",
                posts.len(),
                brief(&log)
            ));
        };
        expect_bearer(post, TOKEN)?;
        let body = body_json(post);
        let wanted = json!({"name": "e2e-group", "location": "aws-eu-west-1"});
        if body != wanted {
            return Err(format!(
                "POST {GROUPS_PATH} sent {body}, expected exactly {wanted}"
            ));
        }
        if let Some(later) = log[post_at + 1..]
            .iter()
            .find(|r| is_request(r, "GET", GROUPS_PATH))
        {
            return Err(format!(
                "the groups list was fetched again after the create ({}); the new row should \
                 come from the create response",
                summary(later)
            ));
        }

        b.client
            .refresh()
            .await
            .map_err(|e| format!("reload: {e}"))?;
        b.wait_for_text(r#"tr[data-group="e2e-group"]"#, "aws-eu-west-1")
            .await?;
        b.wait_for_path("/groups").await?;

        if let Some(path) = std::env::var_os("E2E_SCREENSHOT").filter(|p| !p.is_empty()) {
            b.save_screenshot(Path::new(&path)).await?;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn bad_token_is_refused() {
    e2e("bad_token_is_refused", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.goto("/").await?;
        b.fill("#connect-token", "nope").await?;
        b.fill("#connect-org", ORG).await?;
        b.click("#connect-submit").await?;
        b.wait_for_text(r#"[role="alert"]"#, "invalid number of segments")
            .await?;

        let org = b.value("#connect-org").await?;
        if org != ORG {
            return Err(format!(
                "after the refusal #connect-org holds `{org}`, expected what was typed (`{ORG}`)"
            ));
        }
        let path = b.path().await?;
        if path != "/" {
            return Err(format!(
                "after the refusal the URL path is `{path}`, expected `/`"
            ));
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn deep_link_reload() {
    e2e("deep_link_reload", async |b: &Browser| {
        b.sandbox_reset().await?;
        b.goto("/").await?;
        b.fill("#connect-token", TOKEN).await?;
        b.fill("#connect-org", ORG).await?;
        b.click("#connect-submit").await?;
        b.wait_for(r#"tr[data-group="default"]"#).await?;

        // A fresh page load of the deep link: the server's SPA fallback plus the stored session.
        b.goto("/groups").await?;
        b.wait_for(r#"table#groups-table tbody tr[data-group="default"]"#)
            .await?;
        b.wait_for_path("/groups").await?;
        Ok(())
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------------

/// Run one scenario in a fresh browser session, or print a note and pass when the environment
/// was not set up (plain `cargo test`). On failure, save a screenshot and the page's HTML to
/// e2e/artifacts/ before panicking; the session is closed in every case.
async fn e2e(name: &str, scenario: impl AsyncFnOnce(&Browser) -> Res) {
    let Some(base) = std::env::var("E2E_BASE_URL").ok().filter(|s| !s.is_empty()) else {
        println!(
            "note: E2E_BASE_URL is not set, so `{name}` did nothing; \
             `cargo xtask test` runs the end-to-end tests"
        );
        return;
    };
    let webdriver =
        std::env::var("WEBDRIVER_URL").unwrap_or_else(|_| "http://127.0.0.1:4444".into());
    let _one_at_a_time = ONE_AT_A_TIME.lock().await;

    let browser = Browser::connect(base.trim_end_matches('/'), &webdriver)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let result = scenario(&browser).await;
    let artifacts = match &result {
        Ok(()) => String::new(),
        Err(_) => browser.save_failure_artifacts(name).await,
    };
    let _ = browser.client.close().await;
    if let Err(message) = result {
        panic!("{name} failed: {message}{artifacts}");
    }
}

/// A WebDriver session on the app.
struct Browser {
    client: Client,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    base: String,
}

impl Browser {
    async fn connect(base: &str, webdriver: &str) -> Res<Self> {
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1280,800",
                ],
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(webdriver)
            .await
            .map_err(|e| {
                format!("cannot start Chromium through the WebDriver at {webdriver}: {e}")
            })?;
        Ok(Browser {
            client,
            base: base.to_string(),
        })
    }

    /// Load `path` of the app (a full page load).
    async fn goto(&self, path: &str) -> Res {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .map_err(|e| format!("opening {url}: {e}"))
    }

    /// The first element matching `css`, once there is one.
    async fn wait_for(&self, css: &str) -> Res<Element> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.client.find(Locator::Css(css)).await {
                Ok(element) => return Ok(element),
                Err(e) if e.is_no_such_element() => {}
                Err(e) => return Err(format!("looking for `{css}`: {e}")),
            }
            if Instant::now() > deadline {
                return Err(self.timed_out(&format!("`{css}` to appear")).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The first element matching `css` whose text contains `text`, once there is one.
    async fn wait_for_text(&self, css: &str, text: &str) -> Res<Element> {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        loop {
            seen.clear();
            let elements = self
                .client
                .find_all(Locator::Css(css))
                .await
                .map_err(|e| format!("looking for `{css}`: {e}"))?;
            for element in elements {
                match element.text().await {
                    Ok(t) if t.contains(text) => return Ok(element),
                    Ok(t) => seen.push(t),
                    Err(e) if e.is_stale_element_reference() => {}
                    Err(e) => return Err(format!("reading the text of `{css}`: {e}")),
                }
            }
            if Instant::now() > deadline {
                let what = format!("`{css}` containing {text:?} (matching elements had: {seen:?})");
                return Err(self.timed_out(&what).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until nothing matches `css`.
    async fn wait_gone(&self, css: &str) -> Res {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let found = self
                .client
                .find_all(Locator::Css(css))
                .await
                .map_err(|e| format!("looking for `{css}`: {e}"))?;
            if found.is_empty() {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(self.timed_out(&format!("`{css}` to go away")).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Wait until the URL's path is `path`.
    async fn wait_for_path(&self, path: &str) -> Res {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if self.path().await? == path {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(self
                    .timed_out(&format!("the URL path to be `{path}`"))
                    .await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Type `text` into the field `css` (emptied first).
    async fn fill(&self, css: &str, text: &str) -> Res {
        let field = self.wait_for(css).await?;
        field
            .clear()
            .await
            .map_err(|e| format!("clearing `{css}`: {e}"))?;
        field
            .send_keys(text)
            .await
            .map_err(|e| format!("typing {text:?} into `{css}`: {e}"))
    }

    /// Click the element `css`, retrying while it is missing, hidden, covered or re-rendered.
    async fn click(&self, css: &str) -> Res {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let attempt = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.click().await,
                Err(e) => Err(e),
            };
            let last = match attempt {
                Ok(()) => return Ok(()),
                Err(e) if retry_click(&e) => e,
                Err(e) => return Err(format!("clicking `{css}`: {e}")),
            };
            if Instant::now() > deadline {
                return Err(self
                    .timed_out(&format!("`{css}` to be clickable (last error: {last})"))
                    .await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The `value` property of the field `css`.
    async fn value(&self, css: &str) -> Res<String> {
        let field = self.wait_for(css).await?;
        field
            .prop("value")
            .await
            .map(Option::unwrap_or_default)
            .map_err(|e| format!("reading the value of `{css}`: {e}"))
    }

    async fn path(&self) -> Res<String> {
        self.client
            .current_url()
            .await
            .map(|url| url.path().to_string())
            .map_err(|e| format!("reading the URL: {e}"))
    }

    /// A timeout message: what was awaited and what the page showed instead.
    async fn timed_out(&self, awaited: &str) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map_or_else(|e| format!("? ({e})"), |u| u.to_string());
        let text = self
            .client
            .execute(
                "return document.body ? document.body.innerText : '(no body)';",
                vec![],
            )
            .await
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|e| format!("(could not read the page: {e})"));
        format!(
            "timed out after {} s waiting for {awaited}; the page at {url} shows:\n{}",
            TIMEOUT.as_secs(),
            clip(&text, 2000)
        )
    }

    async fn save_screenshot(&self, path: &Path) -> Res {
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| format!("taking a screenshot: {e}"))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        std::fs::write(path, png).map_err(|e| format!("writing {}: {e}", path.display()))?;
        println!("screenshot saved to {}", path.display());
        Ok(())
    }

    /// Screenshot and HTML of the page into e2e/artifacts/; returns a note for the panic message.
    async fn save_failure_artifacts(&self, name: &str) -> String {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("artifacts");
        let png = dir.join(format!("{name}.png"));
        let html = dir.join(format!("{name}.html"));
        let shot = self.save_screenshot(&png).await;
        let source = match self.client.source().await {
            Ok(source) => std::fs::write(&html, source).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match (shot, source) {
            (Ok(()), Ok(())) => format!(
                "\n(the page is saved in {} and {})",
                png.display(),
                html.display()
            ),
            (shot, source) => format!("\n(could not save the page: {shot:?} {source:?})"),
        }
    }

    // --- the sandbox's test hooks -------------------------------------------------------------

    /// Every request that reached /v1 since the last reset, oldest first.
    async fn sandbox_requests(&self) -> Res<Vec<Value>> {
        let (status, body) = self.sandbox_call("GET", "/__sandbox/requests").await?;
        if status != 200 {
            return Err(format!("GET /__sandbox/requests answered {status}: {body}"));
        }
        match serde_json::from_str(&body) {
            Ok(Value::Array(requests)) => Ok(requests),
            _ => Err(format!(
                "GET /__sandbox/requests did not answer a JSON array: {}",
                clip(&body, 500)
            )),
        }
    }

    /// Back to the seed data, with an empty request log.
    async fn sandbox_reset(&self) -> Res {
        let (status, body) = self.sandbox_call("POST", "/__sandbox/reset").await?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(format!("POST /__sandbox/reset answered {status}: {body}"))
        }
    }

    /// `method path` on the sandbox, sent by `fetch` in the browser: status and body text.
    async fn sandbox_call(&self, method: &str, path: &str) -> Res<(u16, String)> {
        // Chromium refuses a fetch to 127.0.0.1 from a fresh session's `data:,` page: before the
        // app is loaded, open a sandbox page (the log as JSON, which touches no /v1 state).
        let here = self.client.current_url().await;
        if !here.is_ok_and(|u| u.as_str().starts_with(&format!("{}/", self.base))) {
            self.goto("/__sandbox/requests").await?;
        }
        const FETCH: &str = "const [url, method, done] = arguments;
            fetch(url, {method, cache: 'no-store', headers: {Accept: 'application/json'}})
                .then(r => r.text().then(t => done([r.status, t])))
                .catch(e => done([null, String(e)]));";
        let url = format!("{}{path}", self.base);
        let answer = self
            .client
            .execute_async(FETCH, vec![json!(url), json!(method)])
            .await
            .map_err(|e| format!("{method} {url} from the browser: {e}"))?;
        let status = answer[0].as_u64().and_then(|s| u16::try_from(s).ok());
        match (status, answer[1].as_str()) {
            (Some(status), Some(body)) => Ok((status, body.to_string())),
            _ => Err(format!(
                "{method} {url} failed in the browser: {}",
                answer[1]
            )),
        }
    }
}

/// Errors after which a click is worth another try.
fn retry_click(e: &CmdError) -> bool {
    e.is_no_such_element()
        || e.is_element_not_interactable()
        || e.is_stale_element_reference()
        || matches!(e, CmdError::Standard(w) if w.error.to_string().contains("intercepted"))
}

// ---------------------------------------------------------------------------------------------
// The sandbox's request log
// ---------------------------------------------------------------------------------------------

fn is_request(entry: &Value, method: &str, path: &str) -> bool {
    entry["method"]
        .as_str()
        .is_some_and(|m| m.eq_ignore_ascii_case(method))
        && entry["path"].as_str() == Some(path)
}

fn find_request<'a>(log: &'a [Value], method: &str, path: &str) -> Option<&'a Value> {
    log.iter().find(|r| is_request(r, method, path))
}

/// A header of a logged request, by case-insensitive name. Accepts headers logged as an object
/// (`{"name": "value"}` or `{"name": ["value"]}`), as `[name, value]` pairs or as
/// `{"name", "value"}` objects.
fn header(entry: &Value, name: &str) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(values) => values.first().and_then(|v| v.as_str()).map(str::to_string),
        _ => None,
    };
    match &entry["headers"] {
        Value::Object(map) => map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| text(v)),
        Value::Array(items) => items.iter().find_map(|item| match item {
            Value::Array(pair) if pair.len() == 2 => pair[0]
                .as_str()
                .filter(|k| k.eq_ignore_ascii_case(name))
                .and_then(|_| text(&pair[1])),
            Value::Object(o) => o
                .get("name")
                .and_then(Value::as_str)
                .filter(|k| k.eq_ignore_ascii_case(name))
                .and_then(|_| o.get("value").and_then(text)),
            _ => None,
        }),
        _ => None,
    }
}

fn expect_bearer(entry: &Value, token: &str) -> Res {
    let wanted = format!("Bearer {token}");
    match header(entry, "authorization") {
        Some(value) if value == wanted => Ok(()),
        other => Err(format!(
            "{} was sent with authorization {other:?}, expected {wanted:?}",
            summary(entry)
        )),
    }
}

/// The logged body as JSON: the sandbox may log it as a string of JSON or as JSON itself.
fn body_json(entry: &Value) -> Value {
    match &entry["body"] {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())),
        other => other.clone(),
    }
}

fn summary(entry: &Value) -> String {
    let query = entry["query"].as_str().filter(|q| !q.is_empty());
    format!(
        "{} {}{}",
        entry["method"].as_str().unwrap_or("?"),
        entry["path"].as_str().unwrap_or("?"),
        query.map(|q| format!("?{q}")).unwrap_or_default()
    )
}

fn brief(log: &[Value]) -> String {
    log.iter()
        .map(|r| format!("  {}\n", summary(r)))
        .collect::<String>()
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[test]
fn reads_logged_requests_in_every_shape() {
    let object = json!({"method": "GET", "path": GROUPS_PATH, "query": "",
        "headers": {"Authorization": "Bearer t"}, "body": null});
    let pairs = json!({"method": "post", "path": GROUPS_PATH,
        "headers": [["authorization", "Bearer t"]], "body": "{\"name\":\"x\"}"});
    let named = json!({"method": "GET", "path": "/v1/auth/validate",
        "headers": [{"name": "authorization", "value": "Bearer t"}]});
    for entry in [&object, &pairs, &named] {
        assert_eq!(expect_bearer(entry, "t"), Ok(()), "{entry}");
    }
    assert!(is_request(&pairs, "POST", GROUPS_PATH));
    assert_eq!(body_json(&pairs), json!({"name": "x"}));
}

//! The client every view uses: one async method per endpoint. It knows the connection
//! (base URL, organization, token) and sends through `fetch`; it never touches the DOM.

use super::calls::{self, Call, RawResponse};
use super::error::{ApiError, ErrorKind};
use super::in_page;
use super::types::*;
use web_sys::AbortSignal;

use std::sync::atomic::{AtomicU32, Ordering};

/// Requests that take longer than this are abandoned with `ErrorKind::Timeout`.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;
static TIMEOUT_MS: AtomicU32 = AtomicU32::new(DEFAULT_TIMEOUT_MS);

/// Sets the timeout of the clients made from now on (the tests use a short one).
pub fn set_request_timeout_ms(ms: u32) {
    TIMEOUT_MS.store(ms, Ordering::Relaxed);
}

/// A file of the site itself (`config.json`), revalidated on every start because it changes
/// without a rebuild. The error says why, for the console.
pub async fn fetch_file(url: &str) -> Result<String, String> {
    let failed = |_| format!("{url} could not be fetched");
    let response = gloo_net::http::Request::get(url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(failed)?;
    if !response.ok() {
        return Err(format!("no {url} (HTTP {})", response.status()));
    }
    response.text().await.map_err(failed)
}

#[derive(Clone)]
pub struct Client {
    base_url: String,
    org: String,
    token: String,
    timeout_ms: u32,
    /// Aborts the client's requests when the page that owns them goes away.
    signal: Option<AbortSignal>,
    /// Told of every change request and what came of it (the session's activity).
    journal: Option<Journal>,
}

/// Receives each change request (not reads) with the answer's status, if one came, and the
/// error, if it failed. It never sees the token (added only when sending) or an answer body.
pub type Journal = std::rc::Rc<dyn Fn(&calls::ApiRequest, Option<u16>, Option<&ApiError>)>;

/// Never prints the token: a `Client` may end up in a log or a panic message.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("org", &self.org)
            .field("timeout_ms", &self.timeout_ms)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(base_url: &str, org: &str, token: &str) -> Self {
        Client {
            base_url: base_url.trim_end_matches('/').to_owned(),
            org: org.to_owned(),
            token: token.to_owned(),
            timeout_ms: TIMEOUT_MS.load(Ordering::Relaxed),
            signal: None,
            journal: None,
        }
    }

    /// The same connection, telling `journal` of every change request.
    pub fn with_journal(&self, journal: Journal) -> Self {
        Client {
            journal: Some(journal),
            ..self.clone()
        }
    }

    /// The same connection, with requests cancelled when `signal` aborts.
    pub fn with_signal(&self, signal: AbortSignal) -> Self {
        Client {
            signal: Some(signal),
            ..self.clone()
        }
    }

    pub fn with_timeout(&self, timeout_ms: u32) -> Self {
        Client {
            timeout_ms,
            ..self.clone()
        }
    }

    pub fn org(&self) -> &str {
        &self.org
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether requests go to the sandbox inside the page rather than over the network.
    pub fn is_in_page(&self) -> bool {
        self.base_url.starts_with(in_page::IN_PAGE_SANDBOX)
    }

    /// Puts the in-page sandbox back to its first state; an error for other connections.
    pub async fn reset_in_page_sandbox(&self) -> Result<(), ApiError> {
        match self.base_url.strip_prefix(in_page::IN_PAGE_SANDBOX) {
            Some(module) => in_page::reset(module).await,
            None => Err(ApiError::new(ErrorKind::Other, "not the in-page sandbox")),
        }
    }

    pub async fn run<T>(&self, call: Call<T>) -> Result<T, ApiError> {
        let sent = self.send_retrying(&call.request).await;
        let status = sent.as_ref().ok().map(|r| r.status);
        let result = sent.and_then(|response| (call.parse)(&response));
        if let Some(journal) = self.journal.as_ref() {
            if call.request.method != calls::Method::Get {
                journal(&call.request, status, result.as_ref().err());
            }
        }
        result
    }

    /// A server that echoes the token back must not get it shown on screen: a refusal's body
    /// loses the token before it is read (and perhaps truncated) into a message.
    fn without_token(&self, mut response: RawResponse) -> RawResponse {
        if !(200..300).contains(&response.status) && !self.token.is_empty() {
            response.body = response.body.replace(&self.token, "[your token]");
        }
        response
    }

    /// `send`, asking a read again after a 429 or 503 within the bound of `retry_delay_ms`.
    async fn send_retrying(&self, request: &calls::ApiRequest) -> Result<RawResponse, ApiError> {
        let mut attempt = 0;
        loop {
            let response = self.without_token(self.send(request).await?);
            let retry_after = response.retry_after.as_deref();
            match calls::retry_delay_ms(attempt, request.method, response.status, retry_after) {
                Some(ms) => gloo_timers::future::TimeoutFuture::new(ms).await,
                None => return Ok(response),
            }
            attempt += 1;
        }
    }

    pub async fn validate_token(&self) -> Result<i64, ApiError> {
        self.run(calls::validate_token()).await
    }
    pub async fn list_organizations(&self) -> Result<Vec<Organization>, ApiError> {
        self.run(calls::list_organizations()).await
    }
    /// The organization's own locations (`/v2`, as Turso's CLI reads them), or the documented
    /// `/v1/locations` where that route fails; a refused token is not asked twice.
    pub async fn list_locations(&self) -> Result<Vec<Location>, ApiError> {
        match self.run(calls::list_org_locations(&self.org)).await {
            Err(e) if matches!(e.kind, ErrorKind::Unauthorized | ErrorKind::Cancelled) => Err(e),
            Err(_) => self.run(calls::list_locations()).await,
            found => found,
        }
    }
    pub async fn list_groups(&self) -> Result<Vec<std::sync::Arc<Group>>, ApiError> {
        self.run(calls::list_groups(&self.org)).await
    }
    pub async fn create_group(&self, new: &NewGroup) -> Result<Group, ApiError> {
        self.run(calls::create_group(&self.org, new)).await
    }
    pub async fn get_group(&self, group: &str) -> Result<Group, ApiError> {
        self.run(calls::get_group(&self.org, group)).await
    }
    pub async fn delete_group(&self, group: &str) -> Result<Group, ApiError> {
        self.run(calls::delete_group(&self.org, group)).await
    }
    pub async fn update_group_version(&self, group: &str) -> Result<(), ApiError> {
        self.run(calls::update_group_version(&self.org, group))
            .await
    }
    pub async fn transfer_group(&self, group: &str, target_org: &str) -> Result<Group, ApiError> {
        self.run(calls::transfer_group(&self.org, group, target_org))
            .await
    }
    pub async fn closest_region(&self) -> Result<String, ApiError> {
        self.run(calls::closest_region()).await
    }
    pub async fn list_audit_logs(&self, page: u32, page_size: u32) -> Result<AuditPage, ApiError> {
        self.run(calls::list_audit_logs(&self.org, page, page_size))
            .await
    }
    pub async fn rename_group(&self, group: &str, new_name: &str) -> Result<(), ApiError> {
        self.run(calls::rename_group(&self.org, group, new_name))
            .await
    }
    pub async fn unarchive_group(&self, group: &str) -> Result<Group, ApiError> {
        self.run(calls::unarchive_group(&self.org, group)).await
    }
    pub async fn add_location(&self, group: &str, location: &str) -> Result<Group, ApiError> {
        self.run(calls::add_location(&self.org, group, location))
            .await
    }
    pub async fn remove_location(&self, group: &str, location: &str) -> Result<Group, ApiError> {
        self.run(calls::remove_location(&self.org, group, location))
            .await
    }
    pub async fn get_group_configuration(&self, group: &str) -> Result<Option<bool>, ApiError> {
        self.run(calls::get_group_configuration(&self.org, group))
            .await
    }
    pub async fn set_delete_protection(&self, group: &str, on: bool) -> Result<bool, ApiError> {
        self.run(calls::set_delete_protection(&self.org, group, on))
            .await
    }
    pub async fn create_group_token(
        &self,
        group: &str,
        token: &TokenRequest,
    ) -> Result<String, ApiError> {
        self.run(calls::create_group_token(&self.org, group, token))
            .await
    }
    pub async fn rotate_group_tokens(&self, group: &str) -> Result<(), ApiError> {
        self.run(calls::rotate_group_tokens(&self.org, group)).await
    }

    /// Every database of a group, following `pagination.next` to the last page.
    pub async fn list_databases(&self, group: &str) -> Result<Vec<Database>, ApiError> {
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .run(calls::list_databases_page(
                    &self.org,
                    group,
                    cursor.as_deref(),
                ))
                .await?;
            all.extend(page.databases);
            match page.next {
                // A server that repeats a cursor would loop forever; stop instead.
                Some(next) if cursor.as_deref() != Some(next.as_str()) => cursor = Some(next),
                _ => return Ok(all),
            }
        }
    }

    /// The only place that talks to the network: `fetch` through gloo-net, with a timeout
    /// and the page's abort signal.
    async fn send(&self, request: &calls::ApiRequest) -> Result<RawResponse, ApiError> {
        use gloo_net::http::{Method as HttpMethod, RequestBuilder};

        if let Some(module) = self.base_url.strip_prefix(in_page::IN_PAGE_SANDBOX) {
            return in_page::send(module, &self.token, request).await;
        }

        let timeout = AbortSignal::timeout_with_u32(self.timeout_ms);
        let signal = match &self.signal {
            Some(page) if has_abort_any() => AbortSignal::any(&js_sys::Array::of2(&timeout, page)),
            // Without AbortSignal.any (Safari before 17.4) the timeout alone aborts; an answer
            // for a page that is gone is still dropped by the read or change that asked.
            _ => timeout.clone(),
        };
        let no_answer = |_| {
            if timeout.aborted() {
                let ms = self.timeout_ms;
                // A change may have been made all the same; only the server can say.
                let unsure = if request.method == calls::Method::Get {
                    ""
                } else {
                    ", so the change may or may not have been made: refresh to see"
                };
                ApiError::new(
                    ErrorKind::Timeout,
                    format!("no answer within {ms} ms{unsure}"),
                )
            } else if self.signal.as_ref().is_some_and(|s| s.aborted()) {
                ApiError::new(
                    ErrorKind::Cancelled,
                    "the page that asked for it was closed",
                )
            } else {
                ApiError::new(
                    ErrorKind::Network,
                    format!("could not reach {}", self.base_url),
                )
            }
        };
        let method = match request.method {
            calls::Method::Get => HttpMethod::GET,
            calls::Method::Post => HttpMethod::POST,
            calls::Method::Patch => HttpMethod::PATCH,
            calls::Method::Delete => HttpMethod::DELETE,
        };
        let base = match request.version {
            calls::REGION_SERVICE => region_service(&self.base_url),
            1 => self.base_url.clone(),
            // Only a base URL that names its version can be moved to another one.
            v => match self.base_url.strip_suffix("/v1") {
                Some(root) => format!("{root}/v{v}"),
                None => return Err(ApiError::new(ErrorKind::NotFound, "no /v2 route here")),
            },
        };
        let mut builder = RequestBuilder::new(&format!("{base}{}", request.path))
            .method(method)
            .query(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .abort_signal(Some(&signal));
        // The region service needs no token, and gets none: it is another host.
        if request.version != calls::REGION_SERVICE {
            builder = builder.header("Authorization", &format!("Bearer {}", self.token));
        }
        let sent = match &request.body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.as_str()),
            None => builder.build(),
        }
        .map_err(no_answer)?;
        let response = sent.send().await.map_err(no_answer)?;
        Ok(RawResponse {
            status: response.status(),
            retry_after: response.headers().get("retry-after"),
            body: response.text().await.map_err(no_answer)?,
        })
    }
}

/// Where the closest-region service is for an API base URL: Turso's own beside Turso's API,
/// else the serving origin's `/region` (the sandbox server answers it).
fn region_service(base_url: &str) -> String {
    if base_url.starts_with("https://api.turso.tech") {
        "https://region.turso.io/".to_owned()
    } else {
        let root = base_url.strip_suffix("/v1").unwrap_or(base_url);
        format!("{root}/region")
    }
}

/// Whether the browser has `AbortSignal.any` (Chrome 116, Firefox 124, Safari 17.4).
fn has_abort_any() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"AbortSignal".into())
        .and_then(|ctor| js_sys::Reflect::has(&ctor, &"any".into()))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_service_is_turso_s_own_or_the_sandbox_s() {
        assert_eq!(
            region_service("https://api.turso.tech/v1"),
            "https://region.turso.io/"
        );
        assert_eq!(
            region_service("http://127.0.0.1:8080/v1"),
            "http://127.0.0.1:8080/region"
        );
    }

    #[test]
    fn an_echoed_token_is_redacted_before_the_message_is_cut() {
        let token = "tok_0123456789abcdefghijklmnopqrstuvwxyz";
        let client = Client::new("https://api.example.com/v1/", "acme", token);
        // Plain text long enough to be truncated in the middle of the token.
        let body = format!("{}{token}{}", "x".repeat(180), "y".repeat(100));
        let refused = client.without_token(RawResponse {
            status: 500,
            body,
            retry_after: None,
        });
        let err = (calls::get_group("acme", "g").parse)(&refused).unwrap_err();
        assert!(!err.message.contains("tok_01"), "{}", err.message);
        assert!(err.message.contains("[your token]"), "{}", err.message);
        // A success body is left alone: it is read, never shown.
        let ok = client.without_token(RawResponse {
            status: 200,
            body: token.into(),
            retry_after: None,
        });
        assert_eq!(ok.body, token);
    }

    #[test]
    fn debug_output_leaves_the_token_out() {
        let shown = format!("{:?}", Client::new("https://x/v1", "acme", "secret-token"));
        assert!(
            shown.contains("acme") && !shown.contains("secret-token"),
            "{shown}"
        );
    }
}

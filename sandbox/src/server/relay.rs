//! Relay mode (`--relay URL`): the server serves the panel and forwards `/v1/...` (and the
//! `/v2/.../locations` the panel may read) to a real Platform API. On the panel's own origin
//! no CORS is involved; from another origin the browser's preflights are answered by the
//! local server, never forwarded, and every answer carries the local CORS headers. Only the
//! method, path, query, body and the headers the API needs cross; answers come back as they
//! are, errors included. Nothing is logged, so no token is written anywhere.

use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::http::request::Parts;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;

use super::Reply;

/// The request headers that cross; everything else (cookies, origin, …) stays here.
const FORWARDED: [&str; 4] = [
    "authorization",
    "content-type",
    "accept",
    "x-turso-organization",
];
/// The answer headers that come back; CORS headers are the local server's own.
const RETURNED: [&str; 2] = ["content-type", "retry-after"];
/// Longer than the panel's own timeout, so the panel reports a slow API itself.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_ANSWER_BYTES: usize = 16 << 20;

/// Turso's closest-region service, which the panel asks beside Turso's API.
const REGION_SERVICE: &str = "https://region.turso.io/";

/// `GET /region` behind a relay: a redirect to Turso's service, so the browser asks it and
/// the answer names the location closest to the user (the panel's Content-Security-Policy
/// allows that origin).
pub(crate) fn to_region_service() -> Reply {
    Reply {
        status: 307,
        headers: vec![("Location".into(), REGION_SERVICE.into())],
        body: Vec::new(),
    }
}

pub(crate) struct Relay {
    /// Scheme and host, e.g. `https://api.turso.tech`, without a trailing slash.
    upstream: String,
    client: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl Relay {
    pub(crate) fn new(upstream: &str) -> Result<Relay, String> {
        let upstream = upstream.trim_end_matches('/').to_string();
        if !(upstream.starts_with("https://") || upstream.starts_with("http://")) {
            return Err(format!(
                "--relay {upstream}: give an http:// or https:// URL"
            ));
        }
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| format!("TLS setup failed: {e}"))?
            .https_or_http()
            .enable_http1()
            .build();
        let client = Client::builder(TokioExecutor::new()).build(connector);
        Ok(Relay { upstream, client })
    }

    pub(crate) fn upstream(&self) -> &str {
        &self.upstream
    }

    /// Forwards one `/v1` request and answers with the upstream's answer, or a 502 that says
    /// the upstream could not be reached.
    pub(crate) async fn forward(&self, parts: &Parts, body: Bytes) -> Reply {
        let target = format!(
            "{}{}",
            self.upstream,
            parts.uri.path_and_query().map_or("/", |pq| pq.as_str())
        );
        let mut request = hyper::Request::builder()
            .method(parts.method.clone())
            .uri(&target);
        for name in FORWARDED {
            if let Some(value) = parts.headers.get(name) {
                request = request.header(name, value);
            }
        }
        let Ok(request) = request.body(Full::new(body)) else {
            return Reply::error(400, "the relay could not forward this request");
        };
        let unreachable =
            || Reply::error(502, &format!("the relay could not reach {}", self.upstream));
        let answer =
            match tokio::time::timeout(UPSTREAM_TIMEOUT, self.client.request(request)).await {
                Ok(Ok(answer)) => answer,
                Ok(Err(_)) => return unreachable(),
                Err(_) => {
                    return Reply::error(
                        504,
                        &format!(
                            "{} did not answer within {} s",
                            self.upstream,
                            UPSTREAM_TIMEOUT.as_secs()
                        ),
                    )
                }
            };
        let (head, body) = answer.into_parts();
        let Ok(body) = Limited::new(body, MAX_ANSWER_BYTES).collect().await else {
            return unreachable();
        };
        let headers = RETURNED
            .iter()
            .filter_map(|name| {
                let value = head.headers.get(*name)?.to_str().ok()?;
                Some((name.to_string(), value.to_string()))
            })
            .collect();
        Reply {
            status: head.status.as_u16(),
            headers,
            body: body.to_bytes().to_vec(),
        }
    }
}

//! The transport to the in-page sandbox: the same requests as over HTTP, handed as JSON to
//! the sandbox module (`sandbox/src/web.rs`), which is imported the first time it is needed.

use super::calls::{ApiRequest, RawResponse, REGION_SERVICE};
use super::error::{ApiError, ErrorKind};
use js_sys::{Function, Promise, Reflect};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The base URL of a connection to the in-page sandbox, followed by the module's URL.
pub const IN_PAGE_SANDBOX: &str = "sandbox:";

#[wasm_bindgen(inline_js = "export function import_module(url) { return import(url); }")]
extern "C" {
    fn import_module(url: &str) -> Promise;
}

thread_local! {
    /// The module last imported, by URL (another URL is another instance, with its own state).
    static MODULE: RefCell<Option<(String, JsValue)>> = const { RefCell::new(None) };
}

fn unavailable(_: JsValue) -> ApiError {
    ApiError::new(
        ErrorKind::Network,
        "the in-page sandbox could not be loaded from this site",
    )
}

/// The module's exported function `name`.
fn function(module: &JsValue, name: &str) -> Result<Function, ApiError> {
    Reflect::get(module, &name.into())
        .map_err(unavailable)?
        .dyn_into()
        .map_err(unavailable)
}

/// The sandbox module, imported and started once.
async fn module(url: &str) -> Result<JsValue, ApiError> {
    let cached = MODULE.with(|m| m.borrow().clone());
    if let Some((_, module)) = cached.filter(|(cached, _)| cached == url) {
        return Ok(module);
    }
    let module = JsFuture::from(import_module(url))
        .await
        .map_err(unavailable)?;
    let started: Promise = function(&module, "default")?
        .call0(&module)
        .map_err(unavailable)?
        .dyn_into()
        .map_err(unavailable)?;
    JsFuture::from(started).await.map_err(unavailable)?;
    MODULE.with(|m| *m.borrow_mut() = Some((url.to_owned(), module.clone())));
    Ok(module)
}

/// Calls the module's function `name` with `argument`.
async fn call(url: &str, name: &str, argument: &str) -> Result<JsValue, ApiError> {
    let module = module(url).await?;
    function(&module, name)?
        .call1(&module, &argument.into())
        .map_err(unavailable)
}

/// A request as the module takes it: `{"method", "path", "query", "authorization", "body"}`.
#[derive(Serialize)]
struct SandboxRequest<'a> {
    method: &'a str,
    path: String,
    query: &'a str,
    authorization: String,
    body: Option<&'a str>,
}

/// `{"status", "body", "headers": [[name, value], …]}`.
#[derive(Deserialize)]
struct SandboxAnswer {
    status: u16,
    body: String,
    #[serde(default)]
    headers: Vec<(String, String)>,
}

pub async fn send(url: &str, token: &str, request: &ApiRequest) -> Result<RawResponse, ApiError> {
    let query = request.path_and_query();
    let sent = SandboxRequest {
        method: request.method.as_str(),
        path: match request.version {
            REGION_SERVICE => "/region".to_owned(),
            v => format!("/v{v}{}", request.path),
        },
        query: query.split_once('?').map_or("", |(_, q)| q),
        authorization: format!("Bearer {token}"),
        body: request.body.as_deref(),
    };
    let sent = serde_json::to_string(&sent).unwrap_or_default();
    let answer = call(url, "handle", &sent)
        .await?
        .as_string()
        .unwrap_or_default();
    let answer: SandboxAnswer =
        serde_json::from_str(&answer).map_err(|e| ApiError::bad_response(0, e))?;
    let retry_after = answer
        .headers
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("retry-after"))
        .map(|(_, value)| value);
    Ok(RawResponse {
        status: answer.status,
        body: answer.body,
        retry_after,
    })
}

/// Puts the sandbox back to its seed and forgets what was kept in storage.
pub async fn reset(url: &str) -> Result<(), ApiError> {
    call(url, "reset", "").await.map(|_| ())
}

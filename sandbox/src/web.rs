//! `sandbox-web`: the sandbox as a JavaScript module, for the panel's "Try the sandbox". The
//! panel loads it only when asked (trunk builds it beside the panel, not into it) and hands it
//! each request as JSON, the way it would send it over HTTP.
//!
//! The platform lives in the page's memory. It survives a reload because every change that
//! succeeded is kept, with its time, in localStorage and replayed onto a fresh seed when the
//! module starts: the seed, ids and signing keys are deterministic, so the replay rebuilds the
//! same groups and the same tokens.

#[cfg(target_arch = "wasm32")]
mod module {
    use sandbox::{parse_query, Platform, Request};
    use serde_json::{json, Value};
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;

    /// The Platform API token the in-page sandbox accepts.
    const TOKEN: &str = "sandbox-token";
    /// Where the changes are kept, as a JSON array of `{"request": …, "now": …}`.
    const LOG_KEY: &str = "groups-console.sandbox-log";

    thread_local! {
        static PLATFORM: RefCell<Option<Platform>> = const { RefCell::new(None) };
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn saved_log() -> Vec<Value> {
        storage()
            .and_then(|s| s.get_item(LOG_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// `{"method", "path", "query", "authorization", "body"}` as the panel sends it, plus an
    /// optional `"x-turso-organization"` (the header of the same name).
    fn request_from(value: &Value) -> Request {
        let text = |key: &str| value[key].as_str().map(str::to_string);
        Request {
            method: text("method").unwrap_or_default(),
            path: text("path").unwrap_or_default(),
            query: parse_query(&text("query").unwrap_or_default()),
            authorization: text("authorization"),
            turso_organization: text("x-turso-organization"),
            // The page itself: the audit log says `web`.
            user_agent: None,
            body: text("body"),
        }
    }

    fn with_platform<T>(f: impl FnOnce(&mut Platform) -> T) -> T {
        PLATFORM.with(|cell| {
            let mut slot = cell.borrow_mut();
            let platform = slot.get_or_insert_with(|| {
                let mut platform = Platform::seeded(TOKEN, 0);
                for change in saved_log() {
                    let now = change["now"].as_u64().unwrap_or(0);
                    platform.handle(&request_from(&change["request"]), now);
                }
                platform
            });
            f(platform)
        })
    }

    /// Answers one request: `{"status", "body", "headers": [[name, value], …]}`.
    #[wasm_bindgen]
    pub fn handle(request: &str) -> String {
        let value: Value = serde_json::from_str(request).unwrap_or(Value::Null);
        let now = (js_sys::Date::now() / 1000.0) as u64;
        let response = with_platform(|p| p.handle(&request_from(&value), now));
        let changed = value["method"] != "GET" && (200..300).contains(&response.status);
        if changed {
            let mut log = saved_log();
            log.push(json!({ "request": value, "now": now }));
            if let Some(s) = storage() {
                // A full storage only means the change will not survive a reload.
                let _ = s.set_item(LOG_KEY, &Value::Array(log).to_string());
            }
        }
        json!({
            "status": response.status,
            "body": response.body,
            "headers": response.headers,
        })
        .to_string()
    }

    /// Back to the seed: forgets every change, here and in storage.
    #[wasm_bindgen]
    pub fn reset() {
        if let Some(s) = storage() {
            let _ = s.remove_item(LOG_KEY);
        }
        PLATFORM.with(|cell| *cell.borrow_mut() = None);
    }
}

fn main() {}

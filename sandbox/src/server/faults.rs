//! Injected faults: `POST /__sandbox/faults` adds one, the first match applies to a `/v1` request.

use std::collections::BTreeMap;

use hyper::header::{HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Reply;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)] // a typo such as "delay" must not silently do nothing
pub(crate) struct Fault {
    /// Any method when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Exact raw path, or a prefix when it ends with `*`.
    pub path: String,
    /// Answer this status instead of the handler (unless `drop`).
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub delay_ms: u64,
    /// Close the connection without any answer.
    #[serde(default)]
    pub drop: bool,
    /// Matches left; until cleared when absent.
    #[serde(default)]
    pub times: Option<u32>,
}

impl Fault {
    pub(crate) fn parse(body: &[u8]) -> Result<Fault, String> {
        let fault: Fault = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        if !fault.path.starts_with('/') {
            return Err("path must start with /".into());
        }
        if let Some(status) = fault.status {
            if !(200..=599).contains(&status) {
                return Err(format!("status {status} is not between 200 and 599"));
            }
        }
        if fault.times == Some(0) {
            return Err("times must be at least 1".into());
        }
        let content_type = fault.content_type.iter().map(|v| ("Content-Type", v));
        for (name, value) in fault
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v))
            .chain(content_type)
        {
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("bad header {name}"))?;
            HeaderValue::from_str(value).map_err(|_| format!("bad value for header {name}"))?;
        }
        Ok(fault)
    }

    pub(crate) fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("fault serializes")
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method));
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == self.path,
        };
        method_ok && path_ok
    }

    /// The injected answer, when the fault sets a status.
    pub(crate) fn reply(&self) -> Option<Reply> {
        let status = self.status?;
        let body = self.body.clone().unwrap_or_default();
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        // API bodies are JSON, so that is the default type of an injected body.
        let content_type = match (&self.content_type, body.is_empty()) {
            (Some(content_type), _) => Some(content_type.clone()),
            (None, false) => Some("application/json".to_string()),
            (None, true) => None,
        };
        if let Some(content_type) = content_type {
            headers.push(("Content-Type".into(), content_type));
        }
        Some(Reply {
            status,
            headers,
            body: body.into_bytes(),
        })
    }
}

/// Finds the first fault matching this request and uses up one of its `times`.
pub(crate) fn take(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<Fault> {
    let index = faults.iter().position(|f| f.matches(method, path))?;
    let fault = faults[index].clone();
    match &mut faults[index].times {
        Some(1) => {
            faults.remove(index);
        }
        Some(left) => *left -= 1,
        None => {}
    }
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(json: &str) -> Fault {
        Fault::parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn matches_exact_paths_prefixes_and_methods() {
        let exact = fault(r#"{"path":"/v1/organizations/acme/groups","method":"get"}"#);
        assert!(exact.matches("GET", "/v1/organizations/acme/groups"));
        assert!(!exact.matches("POST", "/v1/organizations/acme/groups"));
        assert!(!exact.matches("GET", "/v1/organizations/acme/groups/default"));
        let prefix = fault(r#"{"path":"/v1/organizations/*"}"#);
        assert!(prefix.matches("DELETE", "/v1/organizations/acme/groups/default"));
        assert!(!prefix.matches("GET", "/v1/locations"));
    }

    #[test]
    fn times_count_down_and_remove_the_fault() {
        let mut faults = vec![
            fault(r#"{"path":"/v1/locations","status":503,"times":2}"#),
            fault(r#"{"path":"/v1/*","status":500}"#),
        ];
        for _ in 0..2 {
            assert_eq!(
                take(&mut faults, "GET", "/v1/locations").unwrap().status,
                Some(503)
            );
        }
        assert_eq!(faults.len(), 1);
        assert_eq!(
            take(&mut faults, "GET", "/v1/locations").unwrap().status,
            Some(500)
        );
        assert_eq!(faults.len(), 1, "a fault without times stays");
        assert!(take(&mut faults, "GET", "/elsewhere").is_none());
    }

    #[test]
    fn refuses_bad_faults() {
        for bad in [
            r#"{}"#,
            r#"{"path":"v1/x"}"#,
            r#"{"path":"/v1/x","status":42}"#,
            r#"{"path":"/v1/x","times":0}"#,
            r#"{"path":"/v1/x","delay":5}"#,
            r#"{"path":"/v1/x","headers":{"Bad Name":"1"}}"#,
            r#"{"path":"/v1/x","content_type":"a\nb"}"#,
        ] {
            assert!(Fault::parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn injected_replies_default_to_json() {
        let reply =
            fault(r#"{"path":"/v1/x","status":503,"body":"{}","headers":{"Retry-After":"2"}}"#)
                .reply()
                .unwrap();
        assert_eq!(reply.status, 503);
        assert!(reply.headers.contains(&("Retry-After".into(), "2".into())));
        assert!(reply
            .headers
            .contains(&("Content-Type".into(), "application/json".into())));
        assert!(fault(r#"{"path":"/v1/x","delay_ms":5}"#).reply().is_none());
    }
}

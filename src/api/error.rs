//! One error type for every API call, and the rules for reading the odd error bodies the
//! Platform API sends (`{"error": …, "code": …}`, a bare JSON string, or plain text).

use serde_json::value::RawValue;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: the token is missing, malformed, expired or revoked.
    Unauthorized,
    /// 403: the token may not do this.
    Forbidden,
    NotFound,
    Conflict,
    /// 402, or a plan limit (a 403 whose `code` names the plan or a limit).
    PaymentOrQuota,
    /// 400 or 422.
    InvalidInput,
    RateLimited,
    /// 5xx.
    Server,
    Timeout,
    /// No response at all: the network failed or the browser refused the request (CORS).
    Network,
    /// The page that made the request went away.
    Cancelled,
    /// A success status with a body that is not what the API documents.
    BadResponse,
    /// Any other status.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    /// The server's own message, or ours when there was no server answer.
    pub message: String,
    pub code: Option<String>,
    /// Seconds from a `Retry-After` header, when the server sent one.
    pub retry_after: Option<u32>,
}

/// Longest stretch of a non-JSON body worth showing (an HTML error page can be huge).
const MAX_RAW_MESSAGE: usize = 200;

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            kind,
            status: None,
            message: message.into(),
            code: None,
            retry_after: None,
        }
    }

    /// Builds the error for a non-2xx response.
    pub fn from_status(status: u16, body: &str, retry_after: Option<&str>) -> Self {
        let (message, code) = parse_error_body(body);
        let kind = match status {
            // A plan or quota refusal, whatever status the server chose for it.
            400..=499 if code.as_deref().is_some_and(is_plan_code) => ErrorKind::PaymentOrQuota,
            400 | 422 => ErrorKind::InvalidInput,
            401 => ErrorKind::Unauthorized,
            402 => ErrorKind::PaymentOrQuota,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            408 => ErrorKind::Timeout,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::Other,
        };
        ApiError {
            kind,
            status: Some(status),
            message,
            code,
            retry_after: retry_after.and_then(|v| v.trim().parse().ok()),
        }
    }

    /// A success status whose body could not be read as documented.
    pub fn bad_response(status: u16, detail: impl fmt::Display) -> Self {
        ApiError {
            status: Some(status),
            ..ApiError::new(
                ErrorKind::BadResponse,
                format!("the server's answer was not in the expected form ({detail})"),
            )
        }
    }

    /// What happened, in words, for the person using the panel.
    pub fn headline(&self) -> &'static str {
        match self.kind {
            ErrorKind::Unauthorized => "The API refused the token",
            ErrorKind::Forbidden => "The token is not allowed to do this",
            ErrorKind::NotFound => "Not found",
            ErrorKind::Conflict => "That conflicts with something that already exists",
            ErrorKind::PaymentOrQuota => "Your plan does not allow this",
            ErrorKind::InvalidInput => "The API did not accept the request",
            ErrorKind::RateLimited => "Too many requests: the API asks to slow down",
            ErrorKind::Server => "The API had an internal problem",
            ErrorKind::Timeout => "The API did not answer in time",
            ErrorKind::Network => {
                "No answer from the API: the network failed, or the browser refused the request (cross-origin policy)"
            }
            ErrorKind::Cancelled => "The request was cancelled",
            ErrorKind::BadResponse => "The API answered in an unexpected form",
            ErrorKind::Other => "The request failed",
        }
    }
}

impl ApiError {
    /// What the user can do about a plan refusal: "your plan allows N groups" when the
    /// server says its limit (`maximum group count of N reached`), and where to go next.
    pub fn plan_advice(&self) -> Option<String> {
        if self.kind != ErrorKind::PaymentOrQuota {
            return None;
        }
        let limit = self
            .message
            .strip_prefix("maximum group count of ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse::<u32>().ok());
        let upgrade = "Upgrade the organization's plan (Scaler, Pro or Enterprise) in Turso's dashboard, or delete a group first.";
        Some(match limit {
            Some(1) => format!("Your plan allows 1 group. {upgrade}"),
            Some(n) => format!("Your plan allows {n} groups. {upgrade}"),
            None => "Upgrade the organization's plan in Turso's dashboard to do this.".to_owned(),
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Codes that name the plan (`feature_not_available_for_starter_plan`) or a quota
/// (`group_quota_exceeded`). A rate limit (`rate_limit_exceeded`) is not a plan refusal.
fn is_plan_code(code: &str) -> bool {
    let code = code.to_ascii_lowercase();
    ["plan", "quota", "billing", "payment"]
        .iter()
        .any(|w| code.contains(w))
        || (code.contains("limit") && !code.contains("rate"))
}

/// The fields of an error body, kept as the JSON they are: `error` is usually a string, but
/// anything else is shown as sent. (Raw values, not `serde_json::Value`: measured 3,165 bytes
/// smaller after brotli with the claims reader done alike, as nothing else needs `Value`.)
#[derive(serde::Deserialize)]
struct ErrorFields<'a> {
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
    #[serde(borrow, default)]
    message: Option<&'a RawValue>,
    #[serde(borrow, default)]
    code: Option<&'a RawValue>,
}

/// A JSON string as its text; anything else as the JSON it is.
fn as_text(raw: &RawValue) -> String {
    serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| raw.get().to_owned())
}

/// Reads `{"error": …, "code": …}`, then a bare JSON string, then plain text (truncated).
/// Redact secrets from `body` before calling this: truncation could cut one in half.
pub fn parse_error_body(body: &str) -> (String, Option<String>) {
    let trimmed = body.trim();
    // Only an object has fields (a derived struct would also read an array, by position).
    if trimmed.starts_with('{') {
        if let Ok(fields) = serde_json::from_str::<ErrorFields>(trimmed) {
            let message = fields
                .error
                .or(fields.message)
                .map_or_else(|| trimmed.to_owned(), as_text);
            return (message, fields.code.map(as_text).filter(|c| !c.is_empty()));
        }
    } else if let Ok(text) = serde_json::from_str::<String>(trimmed) {
        return (text, None);
    }
    let mut text: String = trimmed.chars().take(MAX_RAW_MESSAGE).collect();
    if text.len() < trimmed.len() {
        text.push('…');
    }
    (text, None)
}

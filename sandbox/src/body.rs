//! Request-body decoding that mimics Go's `encoding/json` on the real server: keys match
//! case-insensitively (the CLI sends `{"Name","Location"}`), unknown keys are ignored, `null`
//! leaves a field unset, and a value of the wrong type fails the whole body.

use serde_json::{Map, Value};

/// The decoder refused the body (not JSON, not an object, a field of the wrong type, or a
/// required field missing). Routes answer it with 400 `invalid request body`.
#[derive(Debug)]
pub(crate) struct BadBody;

pub(crate) type Object = Map<String, Value>;

/// Parses a body that must be a JSON object.
pub(crate) fn object(body: Option<&str>) -> Result<Object, BadBody> {
    match serde_json::from_str(body.unwrap_or("")) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(BadBody),
    }
}

/// Parses a body that may be absent or blank (then it counts as `{}`).
pub(crate) fn optional_object(body: Option<&str>) -> Result<Object, BadBody> {
    match body {
        Some(text) if !text.trim().is_empty() => object(Some(text)),
        _ => Ok(Map::new()),
    }
}

/// The value under `key`: an exact match wins, else the first case-insensitive one.
/// `null` counts as absent.
pub(crate) fn field<'a>(obj: &'a Object, key: &str) -> Option<&'a Value> {
    let found = obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    });
    found.filter(|v| !v.is_null())
}

pub(crate) fn string(obj: &Object, key: &str) -> Result<Option<String>, BadBody> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(BadBody),
    }
}

pub(crate) fn boolean(obj: &Object, key: &str) -> Result<Option<bool>, BadBody> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(BadBody),
    }
}

pub(crate) fn nested<'a>(obj: &'a Object, key: &str) -> Result<Option<&'a Object>, BadBody> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::Object(inner)) => Ok(Some(inner)),
        Some(_) => Err(BadBody),
    }
}

pub(crate) fn strings(obj: &Object, key: &str) -> Result<Option<Vec<String>>, BadBody> {
    match field(obj, key) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_string).ok_or(BadBody))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(BadBody),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_case_insensitively_with_exact_match_first() {
        let obj = object(Some(r#"{"Name":"a","name":"b","LOCATION":"x"}"#)).unwrap();
        assert_eq!(string(&obj, "name").unwrap().as_deref(), Some("b"));
        assert_eq!(string(&obj, "location").unwrap().as_deref(), Some("x"));
        assert_eq!(string(&obj, "missing").unwrap(), None);
    }

    #[test]
    fn wrong_types_and_non_objects_are_refused() {
        let obj = object(Some(r#"{"name":5,"flag":null}"#)).unwrap();
        assert!(string(&obj, "name").is_err());
        assert_eq!(boolean(&obj, "flag").unwrap(), None);
        assert!(object(Some("[1]")).is_err());
        assert!(object(Some("not json")).is_err());
        assert!(object(None).is_err());
        assert!(optional_object(Some("  ")).unwrap().is_empty());
        assert!(optional_object(None).unwrap().is_empty());
    }
}

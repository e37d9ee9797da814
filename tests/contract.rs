//! The Prism-style contract: every request the panel sends to a documented endpoint matches
//! Turso's OpenAPI document: a documented method and path, only documented query parameters,
//! and a body that its schema accepts. The few undocumented parts the panel sends knowingly
//! (each one from Turso's own CLI, see shared/docs/turso-api-contract.md) are listed below
//! with the reason; anything else undocumented fails.
//!
//! The document is read from Turso's copy beside the project (`../shared/turso-openapi.json`,
//! or the path in `TURSO_OPENAPI`), never copied into it; `cargo xtask test` says so and
//! skips this suite when the document is not there.
#![cfg(not(target_arch = "wasm32"))]

use groups_console::api::calls::{self, ApiRequest, REGION_SERVICE};
use groups_console::api::{Access, Extensions, NewGroup, TableRule, TokenRequest};
use serde_json::Value;

fn document() -> Value {
    let path = std::env::var("TURSO_OPENAPI").unwrap_or_else(|_| {
        format!(
            "{}/../shared/turso-openapi.json",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("Turso's OpenAPI document is not at {path} ({e}): set TURSO_OPENAPI to its path")
    });
    serde_json::from_str(&text).expect("the OpenAPI document is JSON")
}

/// Undocumented in the OpenAPI document, sent knowingly: (method, path template, what).
const UNDOCUMENTED_ROUTES: [(&str, &str, &str); 2] = [
    (
        "POST",
        "/v1/organizations/{org}/groups/{group}/rename",
        "the CLI's `group rename`",
    ),
    (
        "GET",
        "/v2/organizations/{org}/locations",
        "the CLI's locations keyed by platform",
    ),
];
/// Query parameters the document does not declare: (path template end, name, why).
const UNDOCUMENTED_QUERY: [(&str, &str, &str); 1] = [(
    "/databases",
    "cursor",
    "the answer's pagination.next, followed as the API pages",
)];
/// Body fields the document does not declare: (path template end, field, why).
const UNDOCUMENTED_BODY: [(&str, &str, &str); 1] = [(
    "/auth/tokens",
    "fine_grained_permissions",
    "the CLI's `-p` (DOCS fine-grained-permissions)",
)];

/// Every request the panel can send, with arguments that use every option.
fn every_request() -> Vec<ApiRequest> {
    let new = NewGroup {
        name: "fresh".into(),
        location: "aws-eu-west-1".into(),
        extensions: Extensions::Some(vec!["vector".into(), "uuid".into()]),
    };
    let all = NewGroup {
        extensions: Extensions::All,
        ..new.clone()
    };
    let token = TokenRequest {
        expiration: Some("2w1d30m".into()),
        access: Access::ReadOnly,
        read_attach: vec!["db1".into()],
        table_rules: vec![TableRule {
            tables: Some(vec!["comments".into()]),
            actions: vec!["data_read".into()],
        }],
    };
    vec![
        calls::list_groups("acme").request,
        calls::create_group("acme", &new).request,
        calls::create_group("acme", &all).request,
        calls::get_group("acme", "g").request,
        calls::delete_group("acme", "g").request,
        calls::update_group_version("acme", "g").request,
        calls::transfer_group("acme", "g", "globex").request,
        calls::rename_group("acme", "g", "h").request,
        calls::unarchive_group("acme", "g").request,
        calls::add_location("acme", "g", "ams").request,
        calls::remove_location("acme", "g", "ams").request,
        calls::get_group_configuration("acme", "g").request,
        calls::set_delete_protection("acme", "g", true).request,
        calls::create_group_token("acme", "g", &token).request,
        calls::create_group_token("acme", "g", &TokenRequest::default()).request,
        calls::rotate_group_tokens("acme", "g").request,
        calls::list_locations().request,
        calls::list_org_locations("acme").request,
        calls::list_organizations().request,
        calls::list_databases_page("acme", "g", None).request,
        calls::list_databases_page("acme", "g", Some("next")).request,
        calls::list_audit_logs("acme", 2, 50).request,
        calls::validate_token().request,
    ]
}

/// The document's path template that `path` fills (`{…}` stands for one segment).
fn template_for<'a>(doc: &'a Value, path: &str) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    doc["paths"]
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|t| {
            let parts: Vec<&str> = t.split('/').collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
        })
}

/// Follows `$ref`s within the document.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(doc, doc.pointer(pointer).expect("a $ref that resolves"))
        }
        None => value,
    }
}

/// What in `value` the schema does not accept, as paths; empty when it all fits. `allowed`
/// names top-level fields sent knowingly without a schema.
fn mismatches(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    allowed: &[&str],
) -> Vec<String> {
    let schema = resolve(doc, schema);
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let fits = options
            .iter()
            .any(|o| mismatches(doc, o, value, at, allowed).is_empty());
        return if fits {
            vec![]
        } else {
            vec![format!("{at}: fits no oneOf/anyOf option")]
        };
    }
    let kind = schema["type"].as_str();
    let fits_type = matches!(
        (kind, value),
        (None, _)
            | (Some("object"), Value::Object(_))
            | (Some("array"), Value::Array(_))
            | (Some("string"), Value::String(_))
            | (Some("boolean"), Value::Bool(_))
            | (Some("integer" | "number"), Value::Number(_))
    );
    if !fits_type {
        return vec![format!("{at}: {value} is not {}", kind.unwrap_or("?"))];
    }
    if let Some(allowed_values) = schema["enum"].as_array() {
        if !allowed_values.contains(value) {
            return vec![format!("{at}: {value} is not one of {allowed_values:?}")];
        }
    }
    let mut out = Vec::new();
    match value {
        Value::Object(fields) => {
            let properties = schema["properties"].as_object();
            for (name, field) in fields {
                match properties.and_then(|p| p.get(name)) {
                    Some(property) => out.extend(mismatches(
                        doc,
                        property,
                        field,
                        &format!("{at}.{name}"),
                        &[],
                    )),
                    None if allowed.contains(&name.as_str()) => {}
                    None if properties.is_some() => out.push(format!("{at}.{name}: undocumented")),
                    None => {}
                }
            }
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !fields.contains_key(name) {
                    out.push(format!("{at}.{name}: required, missing"));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                out.extend(mismatches(
                    doc,
                    &schema["items"],
                    item,
                    &format!("{at}[{i}]"),
                    &[],
                ));
            }
        }
        _ => {}
    }
    out
}

#[test]
fn every_request_the_panel_sends_matches_turso_s_openapi_document() {
    let doc = document();
    let mut problems = Vec::new();
    for request in every_request() {
        let path = format!("/v{}{}", request.version, request.path);
        let method = request.method.as_str();
        let Some(template) = template_for(&doc, &path) else {
            let known = UNDOCUMENTED_ROUTES.iter().any(|(m, t, _)| {
                *m == method
                    && t.split('/').count() == path.split('/').count()
                    && t.split('/')
                        .zip(path.split('/'))
                        .all(|(t, p)| t == p || t.starts_with('{'))
            });
            if !known {
                problems.push(format!("{method} {path}: no such path in the document"));
            }
            continue;
        };
        let Some(operation) = doc["paths"][template].get(method.to_lowercase()) else {
            problems.push(format!("{method} {template}: no such operation"));
            continue;
        };
        let parameters: Vec<String> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(&doc, p))
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        for (name, _) in &request.query {
            let known = UNDOCUMENTED_QUERY
                .iter()
                .any(|(end, n, _)| template.ends_with(end) && n == name);
            if !parameters.contains(name) && !known {
                problems.push(format!(
                    "{method} {template}: query `{name}` is not documented"
                ));
            }
        }
        let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
        match (&request.body, schema.is_null()) {
            (None, _) => {}
            (Some(body), true) => problems.push(format!(
                "{method} {template}: a body where none is documented: {body}"
            )),
            (Some(body), false) => {
                let value: Value = serde_json::from_str(body).expect("bodies are JSON");
                let allowed: Vec<&str> = UNDOCUMENTED_BODY
                    .iter()
                    .filter(|(end, _, _)| template.ends_with(end))
                    .map(|(_, field, _)| *field)
                    .collect();
                for problem in mismatches(&doc, schema, &value, "body", &allowed) {
                    problems.push(format!("{method} {template}: {problem}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "off the contract:\n{}",
        problems.join("\n")
    );
}

/// The checker itself catches what it is there for.
#[test]
fn the_contract_check_refuses_what_is_not_documented() {
    let doc = document();
    let schema = &doc["paths"]["/v1/organizations/{organizationSlug}/groups"]["post"]
        ["requestBody"]["content"]["application/json"]["schema"];
    let good: Value = serde_json::json!({"name": "g", "location": "aws-eu-west-1"});
    assert_eq!(
        mismatches(&doc, schema, &good, "body", &[]),
        Vec::<String>::new()
    );
    let odd: Value = serde_json::json!({"name": "g", "location": 3, "colour": "red"});
    let found = mismatches(&doc, schema, &odd, "body", &[]);
    assert!(
        found.iter().any(|p| p.starts_with("body.location")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p == "body.colour: undocumented"),
        "{found:?}"
    );
    assert_eq!(
        template_for(&doc, "/v1/organizations/acme/groups/g/transfer"),
        Some("/v1/organizations/{organizationSlug}/groups/{groupName}/transfer")
    );
    assert_eq!(
        template_for(&doc, "/v1/organizations/acme/groups/g/rename"),
        None
    );
    // The region service is another host, outside the document.
    assert_eq!(calls::closest_region().request.version, REGION_SERVICE);
}

//! Native tests: for each endpoint, the exact request sent, and the parsing of the
//! documented example responses and error bodies (../shared/docs/turso-api-contract.md).

use super::calls::*;
use super::error::{parse_error_body, ApiError, ErrorKind};
use super::types::*;
use serde_json::{json, Value};

fn ok(body: &str) -> RawResponse {
    RawResponse {
        status: 200,
        body: body.into(),
        retry_after: None,
    }
}

fn status(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        body: body.into(),
        retry_after: None,
    }
}

fn body_json(request: &ApiRequest) -> Value {
    serde_json::from_str(request.body.as_deref().expect("a body")).unwrap()
}

const GROUP_EXAMPLE: &str = r#"{"group":{"archived":false,"locations":["aws-us-east-1","aws-eu-west-1"],"name":"default","primary":"aws-us-east-1","uuid":"0a28102d-6906-11ee-8553-eaa7715aeaf2","version":"v0.23.7","delete_protection":false,"unknown_field":{"x":1}}}"#;

fn example_group() -> Group {
    Group {
        name: "default".into(),
        uuid: Some("0a28102d-6906-11ee-8553-eaa7715aeaf2".into()),
        primary: Some("aws-us-east-1".into()),
        locations: Some(vec!["aws-us-east-1".into(), "aws-eu-west-1".into()]),
        version: Some("v0.23.7".into()),
        archived: Some(false),
        delete_protection: Some(false),
    }
}

#[test]
fn list_groups_request_and_parse() {
    let call = list_groups("acme");
    assert_eq!(call.request.method, Method::Get);
    assert_eq!(call.request.path_and_query(), "/organizations/acme/groups");
    assert_eq!(call.request.body, None);
    let groups = (call.parse)(&ok(&format!(
        r#"{{"groups":[{}]}}"#,
        &GROUP_EXAMPLE[9..GROUP_EXAMPLE.len() - 1]
    )))
    .unwrap();
    assert_eq!(groups, vec![std::sync::Arc::new(example_group())]);
    // Only `name` is required.
    let groups = (call.parse)(&ok(r#"{"groups":[{"name":"bare"}]}"#)).unwrap();
    assert_eq!(
        *groups[0],
        Group {
            name: "bare".into(),
            ..Group::default()
        }
    );
    assert_eq!(groups[0].locations(), &[] as &[String]);
    assert!((call.parse)(&ok(r#"{"groups":[{"primary":"x"}]}"#)).is_err());
}

#[test]
fn create_group_sends_the_documented_body() {
    let mut new = NewGroup {
        name: "new-group".into(),
        location: "aws-us-east-1".into(),
        extensions: Extensions::None,
    };
    let call = create_group("acme", &new);
    assert_eq!(call.request.method, Method::Post);
    assert_eq!(call.request.path, "/organizations/acme/groups");
    assert_eq!(
        body_json(&call.request),
        json!({"name":"new-group","location":"aws-us-east-1"})
    );
    new.extensions = Extensions::All;
    assert_eq!(
        body_json(&create_group("acme", &new).request)["extensions"],
        json!("all")
    );
    new.extensions = Extensions::Some(vec!["vector".into(), "uuid".into()]);
    assert_eq!(
        body_json(&create_group("acme", &new).request)["extensions"],
        json!(["vector", "uuid"])
    );
    assert_eq!((call.parse)(&ok(GROUP_EXAMPLE)).unwrap(), example_group());
    let err = (call.parse)(&status(409, r#"{"error":"group already exists"}"#)).unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str(), err.status),
        (ErrorKind::Conflict, "group already exists", Some(409))
    );
    let err = (call.parse)(&status(400, r#"{"error":"invalid location: amss"}"#)).unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ErrorKind::InvalidInput, "invalid location: amss")
    );
    let err = (call.parse)(&status(422, "{}")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidInput);
}

#[test]
fn path_segments_are_percent_encoded() {
    let call = get_group("my org", "a/b?c#d é");
    assert_eq!(
        call.request.path,
        "/organizations/my%20org/groups/a%2Fb%3Fc%23d%20%C3%A9"
    );
    assert_eq!(
        add_location("o", "g", "x/y").request.path,
        "/organizations/o/groups/g/locations/x%2Fy"
    );
}

#[test]
fn group_routes() {
    let cases: Vec<(Call<Group>, Method, &str)> = vec![
        (
            get_group("acme", "default"),
            Method::Get,
            "/organizations/acme/groups/default",
        ),
        (
            delete_group("acme", "default"),
            Method::Delete,
            "/organizations/acme/groups/default",
        ),
        (
            unarchive_group("acme", "default"),
            Method::Post,
            "/organizations/acme/groups/default/unarchive",
        ),
        (
            add_location("acme", "default", "aws-eu-west-1"),
            Method::Post,
            "/organizations/acme/groups/default/locations/aws-eu-west-1",
        ),
        (
            remove_location("acme", "default", "aws-eu-west-1"),
            Method::Delete,
            "/organizations/acme/groups/default/locations/aws-eu-west-1",
        ),
    ];
    for (call, method, path) in cases {
        assert_eq!(
            (
                call.request.method,
                call.request.path_and_query().as_str(),
                &call.request.body
            ),
            (method, path, &None)
        );
        assert_eq!((call.parse)(&ok(GROUP_EXAMPLE)).unwrap(), example_group());
        let err = (call.parse)(&status(404, r#"{"error":"group not found"}"#)).unwrap_err();
        assert_eq!(
            (err.kind, err.message.as_str()),
            (ErrorKind::NotFound, "group not found")
        );
    }
    let err = (remove_location("a", "b", "c").parse)(&status(
        400,
        r#"{"error":"Invalid location code"}"#,
    ))
    .unwrap_err();
    assert_eq!(err.message, "Invalid location code");
}

#[test]
fn transfer_accepts_bare_and_wrapped_groups() {
    let call = transfer_group("acme", "default", "globex");
    assert_eq!(
        (call.request.method, call.request.path.as_str()),
        (Method::Post, "/organizations/acme/groups/default/transfer")
    );
    assert_eq!(body_json(&call.request), json!({"organization":"globex"}));
    let bare = &GROUP_EXAMPLE[9..GROUP_EXAMPLE.len() - 1];
    assert_eq!((call.parse)(&ok(bare)).unwrap(), example_group());
    assert_eq!((call.parse)(&ok(GROUP_EXAMPLE)).unwrap(), example_group());
}

#[test]
fn table_rules_are_sent_as_the_cli_sends_them_and_no_empty_attach_list() {
    let token = TokenRequest {
        table_rules: vec![
            TableRule {
                tables: None,
                actions: vec!["data_read".into()],
            },
            TableRule {
                tables: Some(vec!["comments".into()]),
                actions: vec!["data_add".into(), "data_update".into()],
            },
        ],
        ..TokenRequest::default()
    };
    let call = create_group_token("acme", "g", &token);
    assert_eq!(
        body_json(&call.request),
        json!({"fine_grained_permissions": [
            {"a": ["data_read"]},
            {"t": ["comments"], "a": ["data_add", "data_update"]}
        ]}),
        "no read_attach without databases: the API refuses an empty list"
    );
    let both = TokenRequest {
        read_attach: vec!["db1".into()],
        ..token
    };
    let body = body_json(&create_group_token("acme", "g", &both).request);
    assert_eq!(
        body["permissions"]["read_attach"]["databases"],
        json!(["db1"])
    );
    assert_eq!(
        body["fine_grained_permissions"][1]["t"],
        json!(["comments"])
    );
}

#[test]
fn audit_logs_are_asked_by_page_and_read_as_documented() {
    let call = list_audit_logs("acme", 2, 50);
    assert_eq!(
        call.request.path_and_query(),
        "/organizations/acme/audit-logs?page=2&page_size=50"
    );
    // OAS's example entry and pagination.
    let page = (call.parse)(&ok(r#"{"audit_logs":[{"code":"db-create","message":"","origin":"cli","author":"iku","created_at":"2023-12-20T09:46:08Z","data":{}}],"pagination":{"page":1,"page_size":10,"total_pages":1,"total_rows":1}}"#)).unwrap();
    assert_eq!((page.page, page.total_pages), (1, 1));
    assert_eq!(page.entries[0].author, "iku");
    assert_eq!(page.entries[0].created_at, "2023-12-20T09:46:08Z");
    assert_eq!(page.entries[0].data.group, None);
    let named = (call.parse)(&ok(r#"{"audit_logs":[{"code":"group-create","data":{"group":"g","location":"ams"}}],"pagination":null}"#)).unwrap();
    assert_eq!(named.entries[0].data.group.as_deref(), Some("g"));
    let empty = (call.parse)(&ok(r#"{"audit_logs":null}"#)).unwrap();
    assert!(empty.entries.is_empty());
    let starter = (call.parse)(&status(
        403,
        r#"{"error":"not on your plan","code":"feature_not_available_for_starter_plan"}"#,
    ))
    .unwrap_err();
    assert_eq!(starter.kind, ErrorKind::PaymentOrQuota);
}

#[test]
fn rename_sends_the_new_name_and_reads_no_body() {
    let call = rename_group("acme", "my group", "main");
    assert_eq!(
        (call.request.method, call.request.path.as_str()),
        (Method::Post, "/organizations/acme/groups/my%20group/rename")
    );
    assert_eq!(body_json(&call.request), json!({"name": "main"}));
    // Whatever the answer's body, a 200 is a rename.
    assert_eq!((call.parse)(&ok("")), Ok(()));
    assert_eq!((call.parse)(&ok(GROUP_EXAMPLE)), Ok(()));
    let clash = (call.parse)(&status(409, r#"{"error":"group already exists"}"#)).unwrap_err();
    assert_eq!(
        (clash.kind, clash.message.as_str()),
        (ErrorKind::Conflict, "group already exists")
    );
}

#[test]
fn no_content_routes_ignore_the_body() {
    for (call, path) in [
        (
            update_group_version("acme", "g"),
            "/organizations/acme/groups/g/update",
        ),
        (
            rotate_group_tokens("acme", "g"),
            "/organizations/acme/groups/g/auth/rotate",
        ),
    ] {
        assert_eq!(
            (
                call.request.method,
                call.request.path.as_str(),
                &call.request.body
            ),
            (Method::Post, path, &None)
        );
        assert_eq!((call.parse)(&ok("")), Ok(()));
        assert_eq!((call.parse)(&ok("{}")), Ok(()));
        assert_eq!(
            (call.parse)(&status(404, r#"{"error":"group not found"}"#))
                .unwrap_err()
                .kind,
            ErrorKind::NotFound
        );
    }
}

#[test]
fn configuration_get_and_patch() {
    let get = get_group_configuration("acme", "g");
    assert_eq!(
        (get.request.method, get.request.path.as_str()),
        (Method::Get, "/organizations/acme/groups/g/configuration")
    );
    assert_eq!(
        (get.parse)(&ok(r#"{"delete_protection":true}"#)),
        Ok(Some(true))
    );
    assert_eq!(
        (get.parse)(&ok("{}")),
        Ok(None),
        "an answer that does not say is unknown, not off"
    );
    assert_eq!(
        (get.parse)(&ok("")).unwrap_err().kind,
        ErrorKind::BadResponse
    );
    let patch = set_delete_protection("acme", "g", true);
    assert_eq!(patch.request.method, Method::Patch);
    assert_eq!(
        (patch.parse)(&ok(r#"{"delete_protection":true}"#)),
        Ok(true)
    );
    assert_eq!(
        (patch.parse)(&ok("{}")).unwrap_err().kind,
        ErrorKind::BadResponse,
        "a change's answer must say the state it left"
    );
    assert_eq!(
        body_json(&patch.request),
        json!({"delete_protection": true})
    );
}

#[test]
fn token_options_reach_query_and_body() {
    let call = create_group_token("acme", "g", &TokenRequest::default());
    assert_eq!(
        call.request.path_and_query(),
        "/organizations/acme/groups/g/auth/tokens"
    );
    assert_eq!(call.request.body, None);
    let call = create_group_token(
        "acme",
        "g",
        &TokenRequest {
            expiration: Some("2w1d30m".into()),
            access: Access::ReadOnly,
            read_attach: vec!["db1".into(), "db 2".into()],
            table_rules: Vec::new(),
        },
    );
    assert_eq!(
        call.request.path_and_query(),
        "/organizations/acme/groups/g/auth/tokens?expiration=2w1d30m&authorization=read-only"
    );
    assert_eq!(
        body_json(&call.request),
        json!({"permissions":{"read_attach":{"databases":["db1","db 2"]}}})
    );
    assert_eq!((call.parse)(&ok(r#"{"jwt":"a.b.c"}"#)).unwrap(), "a.b.c");
    let err = (call.parse)(&status(400, r#"{"error":"Invalid expiration format"}"#)).unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ErrorKind::InvalidInput, "Invalid expiration format")
    );
}

#[test]
fn locations_map_becomes_a_sorted_list() {
    let call = list_locations();
    assert_eq!(
        (call.request.method, call.request.path.as_str()),
        (Method::Get, "/locations")
    );
    let list = (call.parse)(&ok(r#"{"locations":{"aws-us-east-1":"AWS US East (Virginia)","aws-ap-south-1":"AWS AP South (Mumbai)","aws-us-east-1":"Virginia"}}"#)).unwrap();
    assert_eq!(
        list,
        vec![
            Location {
                code: "aws-us-east-1".into(),
                name: "Virginia".into()
            },
            Location {
                code: "aws-ap-south-1".into(),
                name: "AWS AP South (Mumbai)".into()
            },
        ]
    );
    let wrong = (call.parse)(&ok(r#"{"locations":{"lhr":1}}"#)).unwrap_err();
    assert_eq!(wrong.kind, ErrorKind::BadResponse);
    assert!(wrong.message.contains("expected a string"), "{wrong}");
}

#[test]
fn org_locations_from_every_platform() {
    let call = list_org_locations("acme");
    assert_eq!(
        (
            call.request.method,
            call.request.version,
            call.request.path.as_str()
        ),
        (Method::Get, 2, "/organizations/acme/locations")
    );
    let list = (call.parse)(&ok(r#"{"locations":{"fly":{"lhr":"London, United Kingdom","ams":"Amsterdam, Netherlands"},"aws":{"aws-us-east-1":"AWS US East (Virginia)"},"local":{"lhr":"again"}}}"#)).unwrap();
    let codes: Vec<&str> = list.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["aws-us-east-1", "lhr", "ams"]);
    assert_eq!(list[1].name, "London, United Kingdom");
    // This route answers errors as a bare JSON string.
    let err = (call.parse)(&status(404, r#""organization not found""#)).unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (ErrorKind::NotFound, "organization not found")
    );
    assert_eq!(list_locations().request.version, 1);
}

#[test]
fn organizations_as_array_or_wrapped() {
    let call = list_organizations();
    assert_eq!(call.request.path, "/organizations");
    let array = r#"[{"name":"Acme","slug":"acme","type":"team","overages":false,"blocked_reads":false,"blocked_writes":false,"plan_id":"scaler","plan_timeline":"monthly","platform":"aws"}]"#;
    let orgs = (call.parse)(&ok(array)).unwrap();
    assert_eq!(orgs[0].slug, "acme");
    assert_eq!(orgs[0].kind.as_deref(), Some("team"));
    assert_eq!(
        (call.parse)(&ok(&format!(r#"{{"organizations":{array}}}"#))).unwrap(),
        orgs
    );
    assert_eq!(
        (call.parse)(&ok(r#"{"x":1}"#)).unwrap_err().kind,
        ErrorKind::BadResponse
    );
}

#[test]
fn databases_page_with_cursor() {
    let call = list_databases_page("acme", "my group", None);
    assert_eq!(
        call.request.path_and_query(),
        "/organizations/acme/databases?group=my%20group"
    );
    let call = list_databases_page("acme", "g", Some("abc=="));
    assert_eq!(
        call.request.path_and_query(),
        "/organizations/acme/databases?group=g&cursor=abc%3D%3D"
    );
    let page = (call.parse)(&ok(r#"{"databases":[{"Name":"users","DbId":"1","Hostname":"users-acme.turso.io","group":"g","primaryRegion":"aws-us-east-1","block_reads":false}],"pagination":{"next":"n1"}}"#)).unwrap();
    assert_eq!(page.databases[0].name, "users");
    assert_eq!(page.next.as_deref(), Some("n1"));
    let page = (call.parse)(&ok(r#"{"databases":[]}"#)).unwrap();
    assert_eq!(page, DatabasePage::default());
    let page = (call.parse)(&ok(r#"{"databases":[],"pagination":{"next":null}}"#)).unwrap();
    assert_eq!(page.next, None);
}

#[test]
fn validate_reads_exp() {
    let call = validate_token();
    assert_eq!(
        (call.request.method, call.request.path.as_str()),
        (Method::Get, "/auth/validate")
    );
    assert_eq!((call.parse)(&ok(r#"{"exp":-1}"#)), Ok(-1));
    let err = (call.parse)(&status(
        401,
        r#"{"error":"token contains an invalid number of segments"}"#,
    ))
    .unwrap_err();
    assert_eq!(
        (err.kind, err.message.as_str()),
        (
            ErrorKind::Unauthorized,
            "token contains an invalid number of segments"
        )
    );
}

#[test]
fn error_bodies_in_every_form() {
    assert_eq!(
        parse_error_body(r#"{"error":"group not found"}"#),
        ("group not found".into(), None)
    );
    assert_eq!(
        parse_error_body(r#"{"error":"nope","code":"feature_not_available_for_starter_plan"}"#),
        (
            "nope".into(),
            Some("feature_not_available_for_starter_plan".into())
        )
    );
    assert_eq!(
        parse_error_body(r#"{"error":{"detail":"x"}}"#).0,
        r#"{"detail":"x"}"#
    );
    assert_eq!(parse_error_body(r#""bare string""#).0, "bare string");
    assert_eq!(parse_error_body("plain text\n").0, "plain text");
    let long = "x".repeat(1000);
    assert!(parse_error_body(&long).0.chars().count() <= 201);
    assert_eq!(parse_error_body("").0, "");
}

#[test]
fn statuses_map_to_kinds() {
    let kind = |s, body: &str| ApiError::from_status(s, body, None).kind;
    assert_eq!(kind(401, ""), ErrorKind::Unauthorized);
    assert_eq!(kind(402, ""), ErrorKind::PaymentOrQuota);
    assert_eq!(
        kind(
            403,
            r#"{"error":"x","code":"feature_not_available_for_starter_plan"}"#
        ),
        ErrorKind::PaymentOrQuota
    );
    assert_eq!(kind(403, r#"{"error":"x"}"#), ErrorKind::Forbidden);
    assert_eq!(kind(404, ""), ErrorKind::NotFound);
    assert_eq!(kind(409, ""), ErrorKind::Conflict);
    assert_eq!(kind(429, ""), ErrorKind::RateLimited);
    assert_eq!(kind(502, "<html>Bad Gateway</html>"), ErrorKind::Server);
    assert_eq!(
        ApiError::from_status(429, "", Some("7")).retry_after,
        Some(7)
    );
    let shown = ApiError::from_status(409, r#"{"error":"group already exists"}"#, None).to_string();
    assert!(
        shown.contains("409") && shown.contains("group already exists"),
        "{shown}"
    );
}

#[test]
fn a_success_with_the_wrong_shape_is_a_bad_response() {
    for body in ["", "<html></html>", r#"{"groups":"nope"}"#] {
        let err = (list_groups("acme").parse)(&ok(body)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::BadResponse, "{body}");
    }
}

#[test]
fn bodies_escape_what_json_needs() {
    let tricky = "q\"uote \\ back\nline\ttab \u{1} é ✓ </script>";
    let new = NewGroup {
        name: tricky.into(),
        location: "aws-us-east-1".into(),
        extensions: Extensions::None,
    };
    let body = body_json(&create_group("acme", &new).request);
    assert_eq!(body, json!({"name": tricky, "location": "aws-us-east-1"}));
    let token = TokenRequest {
        read_attach: vec![tricky.into(), "db".into()],
        ..TokenRequest::default()
    };
    let body = body_json(&create_group_token("acme", "g", &token).request);
    assert_eq!(
        body["permissions"]["read_attach"]["databases"],
        json!([tricky, "db"])
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_name_reaches_the_body_as_typed(name in any::<String>(), db in any::<String>()) {
            let new = NewGroup { name: name.clone(), location: "lhr".into(), extensions: Extensions::None };
            let body = body_json(&create_group("acme", &new).request);
            prop_assert_eq!(body["name"].as_str(), Some(name.as_str()));
            let token = TokenRequest { read_attach: vec![db.clone()], ..TokenRequest::default() };
            let body = body_json(&create_group_token("acme", "g", &token).request);
            prop_assert_eq!(body["permissions"]["read_attach"]["databases"][0].as_str(), Some(db.as_str()));
        }
    }
}

#[test]
fn null_lists_read_as_empty() {
    // Go servers send `null` for an empty slice.
    assert_eq!(
        (list_groups("acme").parse)(&ok(r#"{"groups":null}"#)),
        Ok(vec![])
    );
    let page = (list_databases_page("acme", "g", None).parse)(&ok(
        r#"{"databases":null,"pagination":null}"#,
    ))
    .unwrap();
    assert_eq!(page, DatabasePage::default());
    assert_eq!(
        (list_organizations().parse)(&ok(r#"{"organizations":null}"#)),
        Ok(vec![])
    );
    let group = (get_group("acme", "g").parse)(&ok(
        r#"{"group":{"name":"g","locations":null,"primary":null,"archived":null}}"#,
    ))
    .unwrap();
    assert_eq!(group.locations(), &[] as &[String]);
    assert!(!group.is_archived());
    assert_eq!(group.primary, None);
}

#[test]
fn missing_optional_fields_and_unknown_fields() {
    let group = (get_group("acme", "g").parse)(&ok(
        r#"{"group":{"name":"g","status":{"locations":[{"name":"lhr","status":"up"}]},"extra":[1,2.5,null,{"x":true}]},"more":"ignored"}"#,
    ))
    .unwrap();
    assert_eq!(
        group,
        Group {
            name: "g".into(),
            ..Group::default()
        }
    );
    let orgs = (list_organizations().parse)(&ok(r#"[{"slug":"acme","future":{"a":1}}]"#)).unwrap();
    assert_eq!(orgs[0].name, None);
    let page = (list_databases_page("acme", "g", None).parse)(&ok(
        r#"{"databases":[{"Name":"users","allow_attach":true,"parent":{"id":"x"}}]}"#,
    ))
    .unwrap();
    assert_eq!(page.databases[0].name, "users");
    assert_eq!(page.databases[0].hostname, None);
}

#[test]
fn quota_refusals_whatever_their_status_and_rate_limits_apart() {
    let quota = r#"{"code":"group_quota_exceeded","error":"maximum group count of 1 reached"}"#;
    for status in [400, 403, 409, 422, 429] {
        let err = ApiError::from_status(status, quota, None);
        assert_eq!(err.kind, ErrorKind::PaymentOrQuota, "{status}");
        assert_eq!(err.message, "maximum group count of 1 reached");
        assert_eq!(err.code.as_deref(), Some("group_quota_exceeded"));
    }
    assert_eq!(
        ApiError::from_status(400, quota, None).plan_advice().unwrap(),
        "Your plan allows 1 group. Upgrade the organization's plan (Scaler, Pro or Enterprise) in Turso's dashboard, or delete a group first."
    );
    let scaler = r#"{"code":"group_quota_exceeded","error":"maximum group count of 100 reached"}"#;
    let advice = ApiError::from_status(403, scaler, None)
        .plan_advice()
        .unwrap();
    assert!(
        advice.starts_with("Your plan allows 100 groups."),
        "{advice}"
    );
    let starter = r#"{"code":"feature_not_available_for_starter_plan","error":"no"}"#;
    assert!(ApiError::from_status(403, starter, None)
        .plan_advice()
        .is_some());
    assert_eq!(
        ApiError::from_status(409, r#"{"error":"x"}"#, None).plan_advice(),
        None
    );
    let rate = r#"{"code":"rate_limit_exceeded","error":"slow down"}"#;
    assert_eq!(
        ApiError::from_status(429, rate, None).kind,
        ErrorKind::RateLimited
    );
    assert_eq!(
        ApiError::from_status(403, rate, None).kind,
        ErrorKind::Forbidden
    );
    // The spec prints an empty code on a transfer refusal: no code at all.
    let (_, code) = parse_error_body(
        r#"{"code":"","error":"group with name default already exists in new organization"}"#,
    );
    assert_eq!(code, None);
}

#[test]
fn only_reads_are_retried_and_within_a_bound() {
    use crate::api::calls::{retry_delay_ms, MAX_RETRIES};
    assert_eq!(retry_delay_ms(0, Method::Get, 503, None), Some(500));
    assert_eq!(retry_delay_ms(1, Method::Get, 429, None), Some(1000));
    assert_eq!(retry_delay_ms(MAX_RETRIES, Method::Get, 429, None), None);
    assert_eq!(retry_delay_ms(0, Method::Get, 429, Some("2")), Some(2000));
    assert_eq!(retry_delay_ms(0, Method::Get, 429, Some(" 0 ")), Some(0));
    assert_eq!(
        retry_delay_ms(0, Method::Get, 429, Some("60")),
        None,
        "too long to wait"
    );
    assert_eq!(
        retry_delay_ms(0, Method::Get, 503, Some("Wed, 21 Oct 2026 07:28:00 GMT")),
        Some(500),
        "a date is not read; the usual backoff applies"
    );
    for method in [Method::Post, Method::Patch, Method::Delete] {
        assert_eq!(retry_delay_ms(0, method, 503, None), None, "{method:?}");
    }
    for status in [200, 401, 404, 500, 502] {
        assert_eq!(
            retry_delay_ms(0, Method::Get, status, None),
            None,
            "{status}"
        );
    }
}

#[test]
fn lists_without_their_member_are_bad_responses_not_empty_lists() {
    let wrong = ok(r#"{"unexpected": true}"#);
    assert_eq!(
        (list_groups("acme").parse)(&wrong).unwrap_err().kind,
        ErrorKind::BadResponse
    );
    assert_eq!(
        (list_databases_page("acme", "g", None).parse)(&wrong)
            .unwrap_err()
            .kind,
        ErrorKind::BadResponse
    );
    assert_eq!(
        (list_groups("acme").parse)(&ok(r#"{"groups":[]}"#)),
        Ok(vec![])
    );
}

//! Handler tests: every route and refusal against the documented bodies
//! (shared/docs/turso-api-contract.md), through the public `Platform::handle`.

use sandbox::{Platform, Request, Response};
use serde_json::{json, Value};

const TOKEN: &str = "sandbox-token";
const NOW: u64 = 1_800_000_000;
const HEADER_SEGMENT: &str = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9"; // {"alg":"EdDSA","typ":"JWT"}

fn platform() -> Platform {
    Platform::seeded(TOKEN, 0)
}

fn send(p: &mut Platform, req: Request) -> Response {
    p.handle(&req, NOW)
}

fn get(p: &mut Platform, path: &str) -> Response {
    send(p, Request::new("GET", path).bearer(TOKEN))
}

fn with_body(p: &mut Platform, method: &str, path: &str, body: &str) -> Response {
    send(p, Request::new(method, path).bearer(TOKEN).body(body))
}

fn no_body(p: &mut Platform, method: &str, path: &str) -> Response {
    send(p, Request::new(method, path).bearer(TOKEN))
}

#[track_caller]
fn assert_reply(response: &Response, status: u16, body: Value) {
    assert_eq!(
        (response.status, response.json()),
        (status, body),
        "raw body: {}",
        response.body
    );
}

#[track_caller]
fn assert_ok(response: &Response) -> Value {
    assert_eq!(response.status, 200, "body: {}", response.body);
    response.json()
}

fn group_names(p: &mut Platform, org: &str) -> Vec<String> {
    let body = assert_ok(&get(p, &format!("/v1/organizations/{org}/groups")));
    body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_string())
        .collect()
}

fn group(p: &mut Platform, org: &str, name: &str) -> Value {
    assert_ok(&get(p, &format!("/v1/organizations/{org}/groups/{name}")))["group"].clone()
}

fn create(p: &mut Platform, org: &str, body: &str) -> Response {
    with_body(p, "POST", &format!("/v1/organizations/{org}/groups"), body)
}

fn mint(
    p: &mut Platform,
    group_path: &str,
    query: &[(&str, &str)],
    body: Option<&str>,
) -> Response {
    let mut req = Request::new("POST", &format!("{group_path}/auth/tokens")).bearer(TOKEN);
    for (name, value) in query {
        req = req.query(name, value);
    }
    if let Some(body) = body {
        req = req.body(body);
    }
    send(p, req)
}

fn jwt_of(response: &Response) -> String {
    assert_ok(response)["jwt"].as_str().unwrap().to_string()
}

/// The claims of a group token.
fn claims_of(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&b64url_decode(payload)).unwrap()
}

fn b64url_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let value = ALPHABET
            .iter()
            .position(|a| *a == c)
            .expect("base64url char") as u32;
        bits = bits << 6 | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

const DEFAULT: &str = "/v1/organizations/acme/groups/default";

// ---------------------------------------------------------------- auth and routing

#[test]
fn missing_or_non_bearer_authorization_is_unauthorized() {
    let mut p = platform();
    let bare = send(&mut p, Request::new("GET", "/v1/organizations"));
    assert_reply(&bare, 401, json!({"error": "Unauthorized"}));
    let mut basic = Request::new("GET", "/v1/organizations");
    basic.authorization = Some("Basic c2FuZGJveA==".into());
    assert_reply(&send(&mut p, basic), 401, json!({"error": "Unauthorized"}));
}

#[test]
fn wrong_tokens_get_the_jwt_validator_wording() {
    let mut p = platform();
    // The live TS test: token `abc` → 401 "token contains an invalid number of segments".
    let abc = send(
        &mut p,
        Request::new("GET", "/v1/organizations").bearer("abc"),
    );
    assert_reply(
        &abc,
        401,
        json!({"error": "token contains an invalid number of segments"}),
    );
    let three = send(
        &mut p,
        Request::new("GET", "/v1/organizations").bearer("a.b.c"),
    );
    assert_reply(&three, 401, json!({"error": "token is invalid"}));
    let four = send(
        &mut p,
        Request::new("GET", "/v1/organizations").bearer("a.b.c.d"),
    );
    assert_reply(
        &four,
        401,
        json!({"error": "token contains an invalid number of segments"}),
    );
}

#[test]
fn the_configured_token_is_compared_before_counting_segments() {
    let mut p = platform();
    let mut lower = Request::new("GET", "/v1/auth/validate");
    lower.authorization = Some(format!("bearer {TOKEN}"));
    assert_ok(&send(&mut p, lower));

    let mut jwt_like = Platform::seeded("x.y.z", 0);
    assert_ok(&send(
        &mut jwt_like,
        Request::new("GET", "/v1/organizations").bearer("x.y.z"),
    ));
    let wrong = send(
        &mut jwt_like,
        Request::new("GET", "/v1/organizations").bearer(TOKEN),
    );
    assert_reply(
        &wrong,
        401,
        json!({"error": "token contains an invalid number of segments"}),
    );
}

#[test]
fn unknown_routes_are_404_and_wrong_methods_405() {
    let mut p = platform();
    for path in [
        "/v1/nope",
        "/v1/organizations/acme/groups/default/bogus",
        "/v1/organizations/",
        "/v1/organizations/acme/groups/",
        "/v2/organizations/acme/groups",
        "/v1",
    ] {
        assert_reply(&get(&mut p, path), 404, json!({"error": "not found"}));
    }
    // Routing comes before auth.
    assert_eq!(send(&mut p, Request::new("GET", "/v1/nope")).status, 404);

    let put = no_body(&mut p, "PUT", "/v1/organizations/acme/groups");
    assert_reply(&put, 405, json!({"error": "method not allowed"}));
    assert!(put.headers.contains(&("Allow".into(), "GET, POST".into())));
    let get_rotate = get(&mut p, &format!("{DEFAULT}/auth/rotate"));
    assert_reply(&get_rotate, 405, json!({"error": "method not allowed"}));
}

#[test]
fn validate_says_the_token_never_expires() {
    let mut p = platform();
    assert_reply(&get(&mut p, "/v1/auth/validate"), 200, json!({"exp": -1}));
}

// ---------------------------------------------------------------- organizations and locations

#[test]
fn organizations_are_a_bare_array_of_the_tokens_orgs() {
    let mut p = platform();
    let body = assert_ok(&get(&mut p, "/v1/organizations"));
    let orgs = body.as_array().expect("a bare JSON array, per OAS");
    let slugs: Vec<&str> = orgs.iter().map(|o| o["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        ["acme", "globex", "jane"],
        "initech is not the token's"
    );
    assert_eq!(
        orgs[0],
        json!({
            "name": "Acme Corp", "slug": "acme", "type": "team", "overages": false,
            "require_mfa": false, "blocked_reads": false, "blocked_writes": false,
            "plan_id": "scaler", "plan_timeline": "monthly", "platform": ""
        })
    );
    assert_eq!(orgs[2]["type"], "personal");
    assert_eq!(orgs[2]["plan_id"], "starter");
}

#[test]
fn locations_are_a_map_of_code_to_name() {
    let mut p = platform();
    let body = assert_ok(&get(&mut p, "/v1/locations"));
    let locations = body["locations"].as_object().expect("a map");
    assert_eq!(locations.len(), 12);
    assert_eq!(locations["aws-us-east-1"], "AWS US East (Virginia)");
    assert_eq!(locations["aws-sa-east-1"], "AWS SA East (São Paulo)");
    assert_eq!(locations["aws-ap-northeast-1"], "AWS AP NorthEast (Tokyo)");
}

#[test]
fn the_organization_header_picks_that_organizations_locations() {
    let mut p = platform();
    let listed = |p: &mut Platform, slug: &str| {
        let req = Request::new("GET", "/v1/locations")
            .bearer(TOKEN)
            .organization_header(slug);
        assert_ok(&send(p, req))["locations"]
            .as_object()
            .unwrap()
            .clone()
    };
    // Older organizations see both families, newer ones only AWS.
    for slug in ["acme", "jane"] {
        let both = listed(&mut p, slug);
        assert_eq!(both.len(), 12 + 31, "{slug}");
        assert_eq!(both["lhr"], "London, United Kingdom");
        assert_eq!(both["bog"], "Bogotá, Colombia");
        assert_eq!(both["aws-eu-west-2"], "AWS EU West (London)");
    }
    let aws_only = listed(&mut p, "globex");
    assert_eq!(aws_only.len(), 12);
    assert!(aws_only.keys().all(|code| code.starts_with("aws-")));
    // A slug the token cannot use is no refusal: the default list, as without the header.
    assert_eq!(listed(&mut p, "initech").len(), 12);
    assert_eq!(listed(&mut p, "nope").len(), 12);
}

#[test]
fn v2_locations_are_keyed_by_platform() {
    let mut p = platform();
    let acme = assert_ok(&get(&mut p, "/v2/organizations/acme/locations"));
    let platforms = acme["locations"].as_object().unwrap();
    assert_eq!(platforms.keys().collect::<Vec<_>>(), ["aws", "fly"]);
    assert_eq!(platforms["aws"].as_object().unwrap().len(), 12);
    assert_eq!(platforms["fly"].as_object().unwrap().len(), 31);
    assert_eq!(platforms["fly"]["ams"], "Amsterdam, Netherlands");
    assert_eq!(platforms["aws"]["aws-us-east-1"], "AWS US East (Virginia)");

    let globex = assert_ok(&get(&mut p, "/v2/organizations/globex/locations"));
    assert_eq!(
        globex["locations"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["aws"]
    );
    // With no organization (the CLI's `/v2/locations`), the default platforms.
    let none = assert_ok(&get(&mut p, "/v2/locations"));
    assert_eq!(none["locations"], globex["locations"]);

    // Errors are bare JSON strings here, as the CLI decodes them; auth is shared and is not.
    let missing = get(&mut p, "/v2/organizations/nope/locations");
    assert_eq!(
        (missing.status, missing.body.as_str()),
        (404, r#""organization not found""#)
    );
    let foreign = get(&mut p, "/v2/organizations/initech/locations");
    assert_eq!(
        (foreign.status, foreign.body.as_str()),
        (403, r#""not a member of this organization""#)
    );
    let anonymous = send(
        &mut p,
        Request::new("GET", "/v2/organizations/acme/locations"),
    );
    assert_reply(&anonymous, 401, json!({"error": "Unauthorized"}));
    // Nothing else lives under /v2 here.
    assert_reply(
        &get(&mut p, "/v2/organizations/acme/groups"),
        404,
        json!({"error": "not found"}),
    );
    let post = with_body(&mut p, "POST", "/v2/organizations/acme/locations", "{}");
    assert_eq!(post.status, 405);
}

#[test]
fn each_organization_places_groups_on_its_own_locations_only() {
    let mut p = platform();
    // acme sees the Fly-era codes: create, add and remove take them.
    let created = assert_ok(&create(
        &mut p,
        "acme",
        r#"{"name":"london","location":"lhr"}"#,
    ));
    assert_eq!(created["group"]["primary"], "lhr");
    let london = "/v1/organizations/acme/groups/london";
    let added = assert_ok(&no_body(&mut p, "POST", &format!("{london}/locations/ams")));
    assert_eq!(added["group"]["locations"], json!(["lhr", "ams"]));
    let mixed = assert_ok(&no_body(
        &mut p,
        "POST",
        &format!("{london}/locations/aws-eu-west-1"),
    ));
    assert_eq!(
        mixed["group"]["locations"],
        json!(["lhr", "ams", "aws-eu-west-1"])
    );
    let removed = assert_ok(&no_body(
        &mut p,
        "DELETE",
        &format!("{london}/locations/ams"),
    ));
    assert_eq!(
        removed["group"]["locations"],
        json!(["lhr", "aws-eu-west-1"])
    );

    // globex does not: the same codes are invalid there, with each route's wording.
    assert_reply(
        &create(&mut p, "globex", r#"{"name":"london","location":"lhr"}"#),
        400,
        json!({"error": "invalid location: lhr"}),
    );
    let analytics = "/v1/organizations/globex/groups/analytics";
    assert_reply(
        &no_body(&mut p, "POST", &format!("{analytics}/locations/ams")),
        400,
        json!({"error": "invalid location: ams"}),
    );
    assert_reply(
        &no_body(&mut p, "DELETE", &format!("{analytics}/locations/ams")),
        400,
        json!({"error": "Invalid location code"}),
    );
}

#[test]
fn unknown_and_foreign_organizations_are_refused() {
    let mut p = platform();
    for path in [
        "/v1/organizations/nope/groups",
        "/v1/organizations/nope/groups/default",
        "/v1/organizations/nope/databases",
    ] {
        assert_reply(
            &get(&mut p, path),
            404,
            json!({"error": "organization not found"}),
        );
    }
    for path in [
        "/v1/organizations/initech/groups",
        "/v1/organizations/initech/groups/default",
        "/v1/organizations/initech/databases",
    ] {
        assert_reply(
            &get(&mut p, path),
            403,
            json!({"error": "not a member of this organization"}),
        );
    }
}

// ---------------------------------------------------------------- groups: list and get

#[test]
fn seeded_groups_list_in_creation_order_with_the_group_shape() {
    let mut p = platform();
    assert_eq!(
        group_names(&mut p, "acme"),
        ["default", "eu-replicated", "legacy", "billing"]
    );
    assert_eq!(group_names(&mut p, "globex"), ["default", "analytics"]);
    assert_eq!(group_names(&mut p, "jane"), ["default"]);

    let eu = group(&mut p, "acme", "eu-replicated");
    let keys: Vec<&str> = eu.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "archived",
            "delete_protection",
            "locations",
            "name",
            "primary",
            "uuid",
            "version"
        ]
    );
    assert_eq!(eu["primary"], "aws-eu-west-1");
    assert_eq!(
        eu["locations"],
        json!(["aws-eu-west-1", "aws-eu-central-1", "aws-us-east-1"])
    );
    assert_eq!(group(&mut p, "acme", "legacy")["archived"], true);
    assert_eq!(group(&mut p, "acme", "billing")["delete_protection"], true);
    assert_eq!(
        group(&mut p, "globex", "analytics")["locations"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn extra_groups_are_numbered_and_cycle_through_locations() {
    let mut p = Platform::seeded(TOKEN, 14);
    let names = group_names(&mut p, "acme");
    assert_eq!(names.len(), 18);
    assert_eq!(names[4], "tenant-00001");
    assert_eq!(names[17], "tenant-00014");
    assert_eq!(
        group(&mut p, "acme", "tenant-00001")["primary"],
        "aws-ap-northeast-1"
    );
    assert_eq!(
        group(&mut p, "acme", "tenant-00012")["primary"],
        "aws-us-west-2"
    );
    assert_eq!(
        group(&mut p, "acme", "tenant-00013")["primary"],
        "aws-ap-northeast-1"
    );
    // Deterministic: the same seed gives the same ids.
    let again = group(&mut Platform::seeded(TOKEN, 14), "acme", "tenant-00007");
    assert_eq!(group(&mut p, "acme", "tenant-00007"), again);
}

#[test]
fn unknown_groups_are_404_on_every_group_route() {
    let mut p = platform();
    let base = "/v1/organizations/acme/groups/ghost";
    for (method, path) in [
        ("GET", base.to_string()),
        ("DELETE", base.to_string()),
        ("POST", format!("{base}/update")),
        ("POST", format!("{base}/transfer")),
        ("POST", format!("{base}/unarchive")),
        ("POST", format!("{base}/locations/aws-us-east-1")),
        ("DELETE", format!("{base}/locations/aws-us-east-1")),
        ("GET", format!("{base}/configuration")),
        ("PATCH", format!("{base}/configuration")),
        ("POST", format!("{base}/auth/tokens")),
        ("POST", format!("{base}/auth/rotate")),
    ] {
        let response = with_body(&mut p, method, &path, r#"{"organization":"globex"}"#);
        assert_reply(&response, 404, json!({"error": "group not found"}));
    }
}

#[test]
fn path_segments_are_percent_decoded() {
    let mut p = platform();
    assert_eq!(
        group(&mut p, "acme", "eu%2Dreplicated")["name"],
        "eu-replicated"
    );
    assert_eq!(group(&mut p, "%61cme", "default")["name"], "default");
    let spaced = get(&mut p, "/v1/organizations/acme/groups/my%20g");
    assert_reply(&spaced, 404, json!({"error": "group not found"}));
}

// ---------------------------------------------------------------- groups: create

#[test]
fn create_returns_the_new_group_and_lists_it_last() {
    let mut p = platform();
    let response = create(
        &mut p,
        "acme",
        r#"{"name":"new-group","location":"aws-us-east-1"}"#,
    );
    let created = assert_ok(&response)["group"].clone();
    assert_eq!(created["name"], "new-group");
    assert_eq!(created["primary"], "aws-us-east-1");
    assert_eq!(created["locations"], json!(["aws-us-east-1"]));
    assert_eq!(created["version"], "v0.24.31");
    assert_eq!(created["archived"], false);
    assert_eq!(created["delete_protection"], false);
    let uuid = created["uuid"].as_str().unwrap();
    assert_eq!(uuid.len(), 36);
    assert!(group_names(&mut p, "acme").ends_with(&["new-group".to_string()]));
    assert_eq!(group(&mut p, "acme", "new-group"), created);

    let other = create(
        &mut p,
        "acme",
        r#"{"name":"another","location":"aws-us-east-1"}"#,
    );
    assert_ne!(assert_ok(&other)["group"]["uuid"], uuid);
}

#[test]
fn create_decodes_keys_like_go() {
    let mut p = platform();
    // The CLI sends untagged Go struct fields; unknown keys are ignored.
    let cli = create(
        &mut p,
        "acme",
        r#"{"Name":"from-cli","Location":"aws-eu-west-1","Version":"latest"}"#,
    );
    assert_eq!(assert_ok(&cli)["group"]["primary"], "aws-eu-west-1");
}

#[test]
fn create_refuses_bodies_it_cannot_decode() {
    let mut p = platform();
    for body in [
        "",
        "not json",
        "[]",
        r#"{"location":"aws-us-east-1"}"#,
        r#"{"name":"x"}"#,
        r#"{"name":7,"location":"aws-us-east-1"}"#,
        r#"{"name":"x","location":"aws-us-east-1","extensions":5}"#,
        r#"{"name":"x","location":"aws-us-east-1","extensions":[1]}"#,
    ] {
        assert_reply(
            &create(&mut p, "acme", body),
            400,
            json!({"error": "invalid request body"}),
        );
    }
    let no_body = no_body(&mut p, "POST", "/v1/organizations/acme/groups");
    assert_eq!(no_body.status, 400);
}

#[test]
fn create_checks_the_group_name() {
    let mut p = platform();
    let length =
        json!({"error": "invalid group name: name must contain between 1 and 32 characters"});
    let chars = json!({"error": "invalid group name: name can only contain lowercase letters, numbers and dashes, and cannot start or end with a dash"});
    let long = "a".repeat(33);
    for (name, expected) in [
        ("", &length),
        (long.as_str(), &length),
        ("Upper", &chars),
        ("under_score", &chars),
        ("-lead", &chars),
        ("trail-", &chars),
        ("dot.ted", &chars),
        ("ünï", &chars),
    ] {
        let body = json!({"name": name, "location": "aws-us-east-1"}).to_string();
        assert_reply(&create(&mut p, "acme", &body), 400, expected.clone());
    }
    let max = json!({"name": "a".repeat(32), "location": "aws-us-east-1"}).to_string();
    assert_ok(&create(&mut p, "acme", &max));
    assert_ok(&create(
        &mut p,
        "acme",
        r#"{"name":"a-1-b","location":"aws-us-east-1"}"#,
    ));
}

#[test]
fn create_checks_location_then_extensions() {
    let mut p = platform();
    assert_reply(
        &create(&mut p, "acme", r#"{"name":"g1","location":"amss"}"#),
        400,
        json!({"error": "invalid location: amss"}),
    );
    assert_reply(
        &create(
            &mut p,
            "acme",
            r#"{"name":"g1","location":"aws-us-east-1","extensions":["vector","bogus"]}"#,
        ),
        400,
        json!({"error": "invalid extension: bogus"}),
    );
    assert_reply(
        &create(
            &mut p,
            "acme",
            r#"{"name":"g1","location":"aws-us-east-1","extensions":"vector"}"#,
        ),
        400,
        json!({"error": "invalid extension: vector"}),
    );
    // Order: name before location before extensions.
    assert_eq!(
        create(&mut p, "acme", r#"{"name":"BAD","location":"amss","extensions":["x"]}"#).json()["error"],
        "invalid group name: name can only contain lowercase letters, numbers and dashes, and cannot start or end with a dash"
    );
    assert_eq!(
        create(
            &mut p,
            "acme",
            r#"{"name":"ok","location":"amss","extensions":["x"]}"#
        )
        .json()["error"],
        "invalid location: amss"
    );
    assert_ok(&create(
        &mut p,
        "acme",
        r#"{"name":"g1","location":"aws-us-east-1","extensions":"all"}"#,
    ));
    assert_ok(&create(
        &mut p,
        "acme",
        r#"{"name":"g2","location":"aws-us-east-1","extensions":["vector","crypto","fuzzy","math","stats","text","unicode","uuid","regexp","vec"]}"#,
    ));
}

#[test]
fn create_refuses_an_existing_name_with_409() {
    let mut p = platform();
    assert_reply(
        &create(
            &mut p,
            "acme",
            r#"{"name":"default","location":"aws-us-east-1"}"#,
        ),
        409,
        json!({"error": "group already exists"}),
    );
    // Extensions are checked before the conflict.
    assert_eq!(
        create(
            &mut p,
            "acme",
            r#"{"name":"default","location":"aws-us-east-1","extensions":["x"]}"#
        )
        .status,
        400
    );
    // Names are per organization.
    assert_ok(&create(
        &mut p,
        "globex",
        r#"{"name":"billing","location":"aws-us-east-1"}"#,
    ));
}

#[test]
fn starter_plans_stop_at_one_group() {
    let mut p = platform();
    // The conflict is reported before the quota.
    assert_eq!(
        create(
            &mut p,
            "jane",
            r#"{"name":"default","location":"aws-us-east-1"}"#
        )
        .status,
        409
    );
    assert_reply(
        &create(
            &mut p,
            "jane",
            r#"{"name":"second","location":"aws-us-east-1"}"#,
        ),
        403,
        json!({"code": "group_quota_exceeded", "error": "maximum group count of 1 reached"}),
    );
    assert_eq!(group_names(&mut p, "jane"), ["default"]);
}

#[test]
fn paid_plans_stop_at_their_limit() {
    let mut p = platform();
    for n in 0..96 {
        let body = json!({"name": format!("g{n}"), "location": "aws-us-east-1"}).to_string();
        assert_ok(&create(&mut p, "acme", &body));
    }
    let full = create(
        &mut p,
        "acme",
        r#"{"name":"one-more","location":"aws-us-east-1"}"#,
    );
    assert_reply(
        &full,
        403,
        json!({"code": "group_quota_exceeded", "error": "maximum group count of 100 reached"}),
    );

    // The extra-groups seed raises the limit to extra + 100.
    let mut big = Platform::seeded(TOKEN, 10);
    for n in 0..96 {
        let body = json!({"name": format!("g{n}"), "location": "aws-us-east-1"}).to_string();
        assert_ok(&create(&mut big, "acme", &body));
    }
    let full = create(
        &mut big,
        "acme",
        r#"{"name":"one-more","location":"aws-us-east-1"}"#,
    );
    assert_eq!(full.json()["error"], "maximum group count of 110 reached");
}

// ---------------------------------------------------------------- groups: delete, update, unarchive

#[test]
fn delete_returns_the_group_and_removes_it_with_its_databases() {
    let mut p = platform();
    let before = group(&mut p, "acme", "eu-replicated");
    let path = "/v1/organizations/acme/groups/eu-replicated";
    let response = no_body(&mut p, "DELETE", path);
    assert_reply(&response, 200, json!({ "group": before }));
    assert_reply(&get(&mut p, path), 404, json!({"error": "group not found"}));
    assert_eq!(
        group_names(&mut p, "acme"),
        ["default", "legacy", "billing"]
    );
    let dbs = assert_ok(&get(&mut p, "/v1/organizations/acme/databases"));
    let names: Vec<&str> = dbs["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["Name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"catalog") && !names.contains(&"sessions"),
        "{names:?}"
    );
    // The name is free again.
    assert_ok(&create(
        &mut p,
        "acme",
        r#"{"name":"eu-replicated","location":"aws-eu-west-1"}"#,
    ));
}

#[test]
fn delete_protection_blocks_delete_until_turned_off() {
    let mut p = platform();
    let path = "/v1/organizations/acme/groups/billing";
    assert_reply(
        &no_body(&mut p, "DELETE", path),
        403,
        json!({"error": "group billing has delete protection enabled: disable it before deleting the group"}),
    );
    assert_eq!(group(&mut p, "acme", "billing")["name"], "billing");
    let patch = with_body(
        &mut p,
        "PATCH",
        &format!("{path}/configuration"),
        r#"{"delete_protection":false}"#,
    );
    assert_reply(&patch, 200, json!({"delete_protection": false}));
    assert_ok(&no_body(&mut p, "DELETE", path));
}

#[test]
fn update_answers_an_empty_200_and_moves_to_the_latest_version() {
    let mut p = platform();
    let response = with_body(
        &mut p,
        "POST",
        "/v1/organizations/acme/groups/legacy/update",
        r#"{"Version":"canary","Extensions":"all"}"#,
    );
    assert_eq!((response.status, response.body.as_str()), (200, ""));
    assert_eq!(group(&mut p, "acme", "legacy")["version"], "v0.24.31");
    let dbs = assert_ok(&list_dbs(&mut p, "acme", &[("group", "legacy")]));
    assert_eq!(dbs["databases"][0]["version"], "v0.24.31");
}

#[test]
fn unarchive_wakes_the_group_and_is_harmless_when_awake() {
    let mut p = platform();
    let response = no_body(
        &mut p,
        "POST",
        "/v1/organizations/acme/groups/legacy/unarchive",
    );
    let body = assert_ok(&response);
    assert_eq!(body["group"]["name"], "legacy");
    assert_eq!(body["group"]["archived"], false);
    assert_eq!(group(&mut p, "acme", "legacy")["archived"], false);
    let awake = no_body(&mut p, "POST", &format!("{DEFAULT}/unarchive"));
    assert_eq!(assert_ok(&awake)["group"]["archived"], false);
}

// ---------------------------------------------------------------- groups: transfer

#[test]
fn transfer_answers_a_bare_group_and_moves_it_with_its_databases() {
    let mut p = platform();
    let before = group(&mut p, "acme", "eu-replicated");
    let response = with_body(
        &mut p,
        "POST",
        "/v1/organizations/acme/groups/eu-replicated/transfer",
        r#"{"organization":"globex"}"#,
    );
    // OAS: a bare Group, not {"group": …}.
    assert_reply(&response, 200, before.clone());
    assert_eq!(
        group_names(&mut p, "acme"),
        ["default", "legacy", "billing"]
    );
    assert_eq!(
        group_names(&mut p, "globex"),
        ["default", "analytics", "eu-replicated"]
    );
    assert_eq!(group(&mut p, "globex", "eu-replicated"), before);

    let dbs = assert_ok(&send(
        &mut p,
        Request::new("GET", "/v1/organizations/globex/databases")
            .bearer(TOKEN)
            .query("group", "eu-replicated"),
    ));
    let hostnames: Vec<&str> = dbs["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["Hostname"].as_str().unwrap())
        .collect();
    assert_eq!(
        hostnames,
        [
            "catalog-globex.aws-eu-west-1.turso.io",
            "sessions-globex.aws-eu-west-1.turso.io"
        ]
    );
}

#[test]
fn transfer_refusals() {
    let mut p = platform();
    let path = "/v1/organizations/acme/groups/eu-replicated/transfer";
    let bad_body = json!({"error": "invalid request body"});
    for body in [
        "",
        "nope",
        "{}",
        r#"{"organization":""}"#,
        r#"{"organization":3}"#,
    ] {
        assert_reply(
            &with_body(&mut p, "POST", path, body),
            400,
            bad_body.clone(),
        );
    }
    assert_reply(
        &with_body(&mut p, "POST", path, r#"{"organization":"nope"}"#),
        404,
        json!({"error": "organization not found"}),
    );
    assert_reply(
        &with_body(&mut p, "POST", path, r#"{"organization":"initech"}"#),
        403,
        json!({"error": "you must be an owner or admin of the target organization"}),
    );
    assert_reply(
        &with_body(&mut p, "POST", path, r#"{"organization":"acme"}"#),
        400,
        json!({"error": "group is already in organization acme"}),
    );
    assert_reply(
        &with_body(
            &mut p,
            "POST",
            &format!("{DEFAULT}/transfer"),
            r#"{"Organization":"globex"}"#,
        ),
        409,
        json!({"code": "", "error": "group with name default already exists in new organization"}),
    );
    let to_starter = with_body(&mut p, "POST", path, r#"{"organization":"jane"}"#);
    assert_reply(
        &to_starter,
        403,
        json!({"code": "group_quota_exceeded", "error": "maximum group count of 1 reached"}),
    );
    // Nothing moved.
    assert_eq!(group_names(&mut p, "acme").len(), 4);
}

// ---------------------------------------------------------------- locations

#[test]
fn add_location_appends_it() {
    let mut p = platform();
    let response = no_body(
        &mut p,
        "POST",
        &format!("{DEFAULT}/locations/aws-eu-west-2"),
    );
    let body = assert_ok(&response);
    assert_eq!(
        body["group"]["locations"],
        json!(["aws-us-east-1", "aws-eu-west-2"])
    );
    assert_eq!(body["group"]["primary"], "aws-us-east-1");
    assert_eq!(
        group(&mut p, "acme", "default")["locations"],
        json!(["aws-us-east-1", "aws-eu-west-2"])
    );
}

#[test]
fn add_location_refusals() {
    let mut p = platform();
    assert_reply(
        &no_body(&mut p, "POST", &format!("{DEFAULT}/locations/amss")),
        400,
        json!({"error": "invalid location: amss"}),
    );
    assert_reply(
        &no_body(
            &mut p,
            "POST",
            &format!("{DEFAULT}/locations/aws-us-east-1"),
        ),
        409,
        json!({"error": "location aws-us-east-1 already exists in group"}),
    );
    assert_reply(
        &no_body(
            &mut p,
            "POST",
            "/v1/organizations/globex/groups/default/locations/aws-us-east-1",
        ),
        403,
        json!({"error": "Turso Cloud no longer supports adding replicas for new users"}),
    );
}

#[test]
fn remove_location_drops_it() {
    let mut p = platform();
    let path = "/v1/organizations/acme/groups/eu-replicated/locations/aws-eu-central-1";
    let body = assert_ok(&no_body(&mut p, "DELETE", path));
    assert_eq!(
        body["group"]["locations"],
        json!(["aws-eu-west-1", "aws-us-east-1"])
    );
    // Works for globex too: only adding is refused there.
    let analytics = "/v1/organizations/globex/groups/analytics/locations/aws-ap-southeast-2";
    assert_eq!(
        assert_ok(&no_body(&mut p, "DELETE", analytics))["group"]["locations"],
        json!(["aws-ap-southeast-1"])
    );
}

#[test]
fn remove_location_refusals() {
    let mut p = platform();
    let base = "/v1/organizations/acme/groups/eu-replicated/locations";
    assert_reply(
        &no_body(&mut p, "DELETE", &format!("{base}/amss")),
        400,
        json!({"error": "Invalid location code"}),
    );
    assert_reply(
        &no_body(&mut p, "DELETE", &format!("{base}/aws-eu-west-1")),
        400,
        json!({"error": "cannot remove the primary location of a group"}),
    );
    assert_reply(
        &no_body(&mut p, "DELETE", &format!("{base}/aws-sa-east-1")),
        400,
        json!({"error": "location aws-sa-east-1 is not part of group"}),
    );
}

// ---------------------------------------------------------------- configuration

#[test]
fn configuration_reads_and_patches_delete_protection() {
    let mut p = platform();
    let path = format!("{DEFAULT}/configuration");
    assert_reply(
        &get(&mut p, &path),
        200,
        json!({"delete_protection": false}),
    );
    assert_reply(
        &get(
            &mut p,
            "/v1/organizations/acme/groups/billing/configuration",
        ),
        200,
        json!({"delete_protection": true}),
    );
    let on = with_body(&mut p, "PATCH", &path, r#"{"delete_protection":true}"#);
    assert_reply(&on, 200, json!({"delete_protection": true}));
    assert_eq!(group(&mut p, "acme", "default")["delete_protection"], true);
    // An absent value changes nothing (Go `*bool`).
    assert_reply(
        &with_body(&mut p, "PATCH", &path, "{}"),
        200,
        json!({"delete_protection": true}),
    );
    for bad in ["", "nope", r#"{"delete_protection":"yes"}"#, "[true]"] {
        assert_reply(
            &with_body(&mut p, "PATCH", &path, bad),
            400,
            json!({"error": "invalid request body"}),
        );
    }
    assert_eq!(group(&mut p, "acme", "default")["delete_protection"], true);
}

// ---------------------------------------------------------------- tokens

#[test]
fn default_tokens_are_full_access_ed25519_jwts_that_never_expire() {
    let mut p = platform();
    let uuid = group(&mut p, "acme", "default")["uuid"].clone();
    let jwt = jwt_of(&mint(&mut p, DEFAULT, &[], None));
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[0], HEADER_SEGMENT);
    assert!(!jwt.contains('='), "no padding");
    assert_eq!(b64url_decode(parts[2]).len(), 64, "an Ed25519 signature");
    let claims: Value = serde_json::from_slice(&b64url_decode(parts[1])).unwrap();
    assert_eq!(
        claims,
        json!({"a": "rw", "iat": NOW, "gid": uuid, "rot": 0})
    );
    assert_eq!(p.verify_db_token(&jwt, NOW + 10 * 365 * 86400), Ok(claims));
}

#[test]
fn signatures_check_out_with_plain_ed25519() {
    use ed25519_dalek::{Signature, SigningKey, Verifier};
    use sha2::{Digest, Sha512};
    let mut p = platform();
    let uuid = group(&mut p, "acme", "default")["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let jwt = jwt_of(&mint(&mut p, DEFAULT, &[], None));
    // The documented derivation: sha512(seed label ‖ uuid ‖ generation), first 32 bytes.
    let digest = Sha512::new()
        .chain_update(b"groups-console-sandbox/group-key")
        .chain_update(uuid.as_bytes())
        .chain_update(0u32.to_be_bytes())
        .finalize();
    let key = SigningKey::from_bytes(digest[..32].try_into().unwrap()).verifying_key();
    let (input, signature) = jwt.rsplit_once('.').unwrap();
    let signature = Signature::from_bytes(b64url_decode(signature).as_slice().try_into().unwrap());
    assert!(key.verify(input.as_bytes(), &signature).is_ok());
    assert!(key.verify(b"something else", &signature).is_err());
}

#[test]
fn expiration_and_authorization_shape_the_claims() {
    let mut p = platform();
    let jwt = jwt_of(&mint(
        &mut p,
        DEFAULT,
        &[("expiration", "2w1d30m"), ("authorization", "read-only")],
        None,
    ));
    let claims = p.verify_db_token(&jwt, NOW).unwrap();
    assert_eq!(claims["a"], "ro");
    assert_eq!(claims["exp"], NOW + 2 * 604800 + 86400 + 1800);

    let full = jwt_of(&mint(
        &mut p,
        DEFAULT,
        &[("authorization", "full-access"), ("expiration", "never")],
        None,
    ));
    let claims = p.verify_db_token(&full, NOW).unwrap();
    assert_eq!(claims["a"], "rw");
    assert!(claims.get("exp").is_none());

    // Go reads an empty parameter as absent: defaults apply.
    let empty = jwt_of(&mint(
        &mut p,
        DEFAULT,
        &[("expiration", ""), ("authorization", "")],
        None,
    ));
    assert!(p.verify_db_token(&empty, NOW).unwrap().get("exp").is_none());
}

#[test]
fn bad_expirations_and_authorizations_are_400() {
    let mut p = platform();
    for bad in ["7x", "1d2", "d", "-1d", "none", "1D", "tomorrow"] {
        assert_reply(
            &mint(&mut p, DEFAULT, &[("expiration", bad)], None),
            400,
            json!({"error": "Invalid expiration format"}),
        );
    }
    assert_reply(
        &mint(&mut p, DEFAULT, &[("authorization", "admin")], None),
        400,
        json!({"error": "invalid authorization: admin"}),
    );
}

#[test]
fn read_attach_databases_become_the_roa_claim() {
    let mut p = platform();
    let body = r#"{"permissions":{"read_attach":{"databases":["users","catalog"]}}}"#;
    let jwt = jwt_of(&mint(&mut p, DEFAULT, &[], Some(body)));
    let claims = p.verify_db_token(&jwt, NOW).unwrap();
    assert_eq!(claims["p"], json!({"roa": {"ns": ["users", "catalog"]}}));

    // TS always sends the list, often empty: no permission claim then.
    let empty = r#"{"permissions":{"read_attach":{"databases":[]}}}"#;
    let jwt = jwt_of(&mint(&mut p, DEFAULT, &[], Some(empty)));
    assert!(p.verify_db_token(&jwt, NOW).unwrap().get("p").is_none());
    // Absent, blank, `{}` and the CLI's extra field are all fine.
    for body in [
        None,
        Some(""),
        Some("{}"),
        Some(r#"{"fine_grained_permissions":[{"a":["data_read"]}]}"#),
    ] {
        assert_ok(&mint(&mut p, DEFAULT, &[], body));
    }
}

#[test]
fn read_attach_takes_any_well_formed_name_and_refuses_the_rest() {
    let mut p = platform();
    // No existence check: made-up names, and another organization's database, are fine.
    let body = r#"{"permissions":{"read_attach":{"databases":["db1","db2","db3","inventory"]}}}"#;
    let jwt = jwt_of(&mint(&mut p, DEFAULT, &[], Some(body)));
    assert_eq!(
        p.verify_db_token(&jwt, NOW).unwrap()["p"],
        json!({"roa": {"ns": ["db1", "db2", "db3", "inventory"]}})
    );
    let longest = "a".repeat(64);
    let body = json!({"permissions": {"read_attach": {"databases": [longest]}}}).to_string();
    assert_ok(&mint(&mut p, DEFAULT, &[], Some(&body)));
    for bad in ["Users", "my_db", "", "a b", &"a".repeat(65)] {
        let body = json!({"permissions": {"read_attach": {"databases": ["users", bad]}}});
        assert_reply(
            &mint(&mut p, DEFAULT, &[], Some(&body.to_string())),
            400,
            json!({"error": format!("invalid database name: {bad}")}),
        );
    }
    for bad in [
        "nope",
        "[]",
        r#"{"permissions":{"read_attach":{"databases":"users"}}}"#,
    ] {
        assert_reply(
            &mint(&mut p, DEFAULT, &[], Some(bad)),
            400,
            json!({"error": "invalid request body"}),
        );
    }
}

#[test]
fn tokens_expire() {
    let mut p = platform();
    let jwt = jwt_of(&mint(&mut p, DEFAULT, &[("expiration", "1h")], None));
    assert!(p.verify_db_token(&jwt, NOW + 3599).is_ok());
    assert_eq!(
        p.verify_db_token(&jwt, NOW + 3600),
        Err("token expired".to_string())
    );
}

#[test]
fn rotate_answers_empty_and_invalidates_earlier_tokens_of_that_group_only() {
    let mut p = platform();
    let old = jwt_of(&mint(&mut p, DEFAULT, &[], None));
    let other_path = "/v1/organizations/acme/groups/eu-replicated";
    let other = jwt_of(&mint(&mut p, other_path, &[], None));

    let response = no_body(&mut p, "POST", &format!("{DEFAULT}/auth/rotate"));
    assert_eq!((response.status, response.body.as_str()), (200, ""));

    assert_eq!(
        p.verify_db_token(&old, NOW),
        Err("token has been invalidated".to_string())
    );
    assert!(p.verify_db_token(&other, NOW).is_ok());
    let fresh = jwt_of(&mint(&mut p, DEFAULT, &[], None));
    assert_ne!(fresh, old);
    assert_eq!(p.verify_db_token(&fresh, NOW).unwrap()["rot"], 1);
}

#[test]
fn delete_and_transfer_invalidate_the_groups_tokens() {
    let mut p = platform();
    let deleted = jwt_of(&mint(
        &mut p,
        "/v1/organizations/acme/groups/legacy",
        &[],
        None,
    ));
    assert_ok(&no_body(
        &mut p,
        "DELETE",
        "/v1/organizations/acme/groups/legacy",
    ));
    assert_eq!(
        p.verify_db_token(&deleted, NOW),
        Err("token has been invalidated".to_string())
    );

    let moved_path = "/v1/organizations/acme/groups/eu-replicated";
    let moved = jwt_of(&mint(&mut p, moved_path, &[], None));
    let transfer = with_body(
        &mut p,
        "POST",
        &format!("{moved_path}/transfer"),
        r#"{"organization":"globex"}"#,
    );
    assert_ok(&transfer);
    assert_eq!(
        p.verify_db_token(&moved, NOW),
        Err("token has been invalidated".to_string())
    );
    let fresh = jwt_of(&mint(
        &mut p,
        "/v1/organizations/globex/groups/eu-replicated",
        &[],
        None,
    ));
    assert!(p.verify_db_token(&fresh, NOW).is_ok());
}

#[test]
fn forged_and_malformed_tokens_are_refused() {
    let mut p = platform();
    let jwt = jwt_of(&mint(
        &mut p,
        DEFAULT,
        &[("authorization", "read-only")],
        None,
    ));
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&b64url_decode(parts[1])).unwrap();
    claims["a"] = json!("rw");
    let forged_claims = sandbox::base64url_encode(claims.to_string().as_bytes());
    let forged = format!("{}.{}.{}", parts[0], forged_claims, parts[2]);
    assert_eq!(
        p.verify_db_token(&forged, NOW),
        Err("invalid signature".to_string())
    );
    for bad in [
        "",
        "abc",
        "a.b.c",
        &format!("{}.{}", parts[0], parts[1]),
        TOKEN,
    ] {
        assert_eq!(
            p.verify_db_token(bad, NOW),
            Err("malformed token".to_string()),
            "{bad:?}"
        );
    }
}

// ---------------------------------------------------------------- databases

fn list_dbs(p: &mut Platform, org: &str, query: &[(&str, &str)]) -> Response {
    let mut req = Request::new("GET", &format!("/v1/organizations/{org}/databases")).bearer(TOKEN);
    for (name, value) in query {
        req = req.query(name, value);
    }
    send(p, req)
}

fn db_names(body: &Value) -> Vec<String> {
    body["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["Name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn databases_list_in_creation_order_with_the_api_shape() {
    let mut p = platform();
    let body = assert_ok(&list_dbs(&mut p, "acme", &[]));
    assert_eq!(
        db_names(&body),
        [
            "users",
            "orders",
            "catalog",
            "sessions",
            "old-reports",
            "invoices",
            "payments",
            "ledger"
        ]
    );
    assert_eq!(body["pagination"], json!({"next": null}));
    let catalog = &body["databases"][2];
    let id = catalog["DbId"].clone();
    assert_eq!(
        *catalog,
        json!({
            "Name": "catalog", "DbId": id, "Hostname": "catalog-acme.aws-eu-west-1.turso.io",
            "block_reads": false, "block_writes": false, "allow_attach": true,
            "regions": ["aws-eu-west-1", "aws-eu-central-1", "aws-us-east-1"],
            "primaryRegion": "aws-eu-west-1", "type": "logical", "version": "v0.24.31",
            "group": "eu-replicated", "sleeping": false, "archived": false,
            "delete_protection": false, "is_schema": false, "schema": "", "parent": null
        })
    );
    assert_eq!(
        body["databases"][4]["archived"], true,
        "old-reports sleeps with legacy"
    );
}

#[test]
fn databases_filter_by_group() {
    let mut p = platform();
    let billing = assert_ok(&list_dbs(&mut p, "acme", &[("group", "billing")]));
    assert_eq!(db_names(&billing), ["invoices", "payments", "ledger"]);
    let none = assert_ok(&list_dbs(&mut p, "acme", &[("group", "ghost")]));
    assert_eq!(db_names(&none), Vec::<String>::new());
    assert_eq!(
        db_names(&assert_ok(&list_dbs(&mut p, "jane", &[]))),
        ["notes"]
    );
}

#[test]
fn databases_paginate_with_an_opaque_cursor() {
    let mut p = platform();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut query = vec![("limit", "3")];
        if let Some(c) = &cursor {
            query.push(("cursor", c));
        }
        let body = assert_ok(&list_dbs(&mut p, "acme", &query));
        let names = db_names(&body);
        assert!(names.len() <= 3);
        seen.extend(names);
        pages += 1;
        match body["pagination"]["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
        assert!(pages < 10, "pagination must end");
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen,
        [
            "users",
            "orders",
            "catalog",
            "sessions",
            "old-reports",
            "invoices",
            "payments",
            "ledger"
        ]
    );
}

#[test]
fn a_deletion_between_pages_skips_nothing() {
    let mut p = platform();
    let first = assert_ok(&list_dbs(&mut p, "acme", &[("limit", "2")]));
    let next = first["pagination"]["next"].as_str().unwrap().to_string();
    assert_ok(&no_body(&mut p, "DELETE", DEFAULT));
    let second = assert_ok(&list_dbs(
        &mut p,
        "acme",
        &[("limit", "100"), ("cursor", &next)],
    ));
    assert_eq!(
        db_names(&second),
        [
            "catalog",
            "sessions",
            "old-reports",
            "invoices",
            "payments",
            "ledger"
        ]
    );
}

#[test]
fn bad_limits_and_cursors_are_400() {
    let mut p = platform();
    for limit in ["0", "-1", "abc", "1001", "2.5"] {
        let response = list_dbs(&mut p, "acme", &[("limit", limit)]);
        assert_reply(
            &response,
            400,
            json!({"error": "invalid limit: must be between 1 and 1000"}),
        );
    }
    assert_ok(&list_dbs(&mut p, "acme", &[("limit", "1000")]));
    // An empty value is the default (50), as with Go's `Query().Get`.
    let all = assert_ok(&list_dbs(&mut p, "acme", &[("limit", ""), ("group", "")]));
    assert_eq!(db_names(&all).len(), 8);
    let response = list_dbs(&mut p, "acme", &[("cursor", "garbage!")]);
    assert_reply(&response, 400, json!({"error": "invalid cursor"}));
}

// ---- rename (the CLI's `turso group rename`) ----

fn rename(p: &mut Platform, org: &str, group: &str, body: &str) -> Response {
    let path = format!("/v1/organizations/{org}/groups/{group}/rename");
    with_body(p, "POST", &path, body)
}

#[test]
fn rename_takes_the_clis_body_and_moves_the_group_with_its_databases() {
    let mut p = platform();
    // The CLI sends an untagged Go struct: `Name`, capitalised.
    let response = rename(&mut p, "acme", "default", r#"{"Name":"main"}"#);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        group_names(&mut p, "acme"),
        ["main", "eu-replicated", "legacy", "billing"]
    );
    assert_eq!(group(&mut p, "acme", "main")["primary"], "aws-us-east-1");
    let dbs = assert_ok(&list_dbs(&mut p, "acme", &[("group", "main")]));
    assert_eq!(db_names(&dbs), ["users", "orders"]);
    let old = get(&mut p, "/v1/organizations/acme/groups/default");
    assert_reply(&old, 404, json!({"error": "group not found"}));
    // The lowercase key is read too (Go decodes keys case-insensitively).
    let back = rename(&mut p, "acme", "main", r#"{"name":"default"}"#);
    assert_eq!(back.status, 200, "{}", back.body);
}

#[test]
fn rename_refuses_a_taken_or_bad_name_and_an_unknown_group() {
    let mut p = platform();
    let taken = rename(&mut p, "acme", "default", r#"{"Name":"billing"}"#);
    assert_reply(&taken, 409, json!({"error": "group already exists"}));
    let unknown = rename(&mut p, "acme", "nope", r#"{"Name":"other"}"#);
    assert_reply(&unknown, 404, json!({"error": "group not found"}));
    let bad = rename(&mut p, "acme", "default", r#"{"Name":"Not OK"}"#);
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("invalid group name"));
    let missing = rename(&mut p, "acme", "default", "{}");
    assert_eq!(missing.status, 400);
    let get_it = get(&mut p, "/v1/organizations/acme/groups/default/rename");
    assert_eq!(get_it.status, 405);
    assert_eq!(group_names(&mut p, "acme")[0], "default", "nothing renamed");
}

// ---- fine-grained permissions on group tokens ----

#[test]
fn fine_grained_permissions_are_accepted_and_recorded_in_the_claims() {
    let mut p = platform();
    let body = json!({"fine_grained_permissions": [
        {"t": ["comments"], "a": ["data_add", "data_update"]},
        {"a": ["data_read"]}
    ], "permissions": {"read_attach": {"databases": ["orders"]}}});
    let response = mint(
        &mut p,
        "/v1/organizations/acme/groups/default",
        &[("authorization", "read-only")],
        Some(&body.to_string()),
    );
    let claims = claims_of(&jwt_of(&response));
    assert_eq!(
        claims["fgp"],
        json!([
            {"t": ["comments"], "a": ["data_add", "data_update"]},
            {"a": ["data_read"]}
        ])
    );
    assert_eq!(claims["a"], "ro", "read-only stays");
    assert_eq!(
        claims["p"]["roa"]["ns"],
        json!(["orders"]),
        "read ATTACH stays"
    );
    // No rule, no claim.
    let plain = mint(&mut p, "/v1/organizations/acme/groups/default", &[], None);
    assert!(claims_of(&jwt_of(&plain)).get("fgp").is_none());
}

#[test]
fn an_unknown_action_or_an_empty_rule_is_400() {
    let mut p = platform();
    let path = "/v1/organizations/acme/groups/default";
    for (rules, message) in [
        (
            json!([{"a": ["data_read", "data_nuke"]}]),
            "invalid permission action: data_nuke",
        ),
        (
            json!([{"t": ["comments"], "a": []}]),
            "invalid permission: a rule needs at least one action",
        ),
        (
            json!([{"t": [], "a": ["data_read"]}]),
            "invalid permission: a table list cannot be empty",
        ),
        (
            json!([{"t": [""], "a": ["data_read"]}]),
            "invalid permission: a table list cannot be empty",
        ),
    ] {
        let body = json!({ "fine_grained_permissions": rules }).to_string();
        let response = mint(&mut p, path, &[], Some(&body));
        assert_reply(&response, 400, json!({ "error": message }));
    }
    let not_a_list = json!({"fine_grained_permissions": {"a": ["data_read"]}}).to_string();
    assert_eq!(mint(&mut p, path, &[], Some(&not_a_list)).status, 400);
}

// ---- audit logs ----

fn audit(p: &mut Platform, org: &str, query: &[(&str, &str)]) -> Response {
    let mut req = Request::new("GET", &format!("/v1/organizations/{org}/audit-logs")).bearer(TOKEN);
    for (name, value) in query {
        req = req.query(name, value);
    }
    send(p, req)
}

fn codes(body: &Value) -> Vec<String> {
    body["audit_logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn group_changes_are_audited_newest_first_with_author_and_origin() {
    let mut p = platform();
    let seeded = assert_ok(&audit(&mut p, "acme", &[]))["pagination"]["total_rows"]
        .as_u64()
        .unwrap();
    assert_eq!(
        create(&mut p, "acme", r#"{"name":"fresh","location":"lhr"}"#).status,
        200
    );
    let cli = Request::new("PATCH", "/v1/organizations/acme/groups/fresh/configuration")
        .bearer(TOKEN)
        .user_agent("turso-cli/1.0.0 (linux/amd64)")
        .body(r#"{"delete_protection":true}"#);
    assert_eq!(send(&mut p, cli).status, 200);
    mint(&mut p, "/v1/organizations/acme/groups/fresh", &[], None);

    let page = assert_ok(&audit(&mut p, "acme", &[("page_size", "2")]));
    assert_eq!(codes(&page), ["group-token-create", "group-protect"]);
    assert_eq!(
        page["pagination"],
        json!({"page": 1, "page_size": 2, "total_pages": (seeded + 3).div_ceil(2), "total_rows": seeded + 3})
    );
    let token = &page["audit_logs"][0];
    assert_eq!(token["author"], "jane");
    assert_eq!(token["origin"], "web", "no CLI User-Agent");
    assert_eq!(token["data"]["group"], "fresh");
    assert_eq!(token["created_at"], "2027-01-15T08:00:00Z");
    assert!(!token.to_string().contains("ey"), "never the token itself");
    assert_eq!(page["audit_logs"][1]["origin"], "cli");
    let next = assert_ok(&audit(&mut p, "acme", &[("page_size", "2"), ("page", "2")]));
    assert_eq!(codes(&next)[0], "group-create");
    assert_eq!(next["audit_logs"][0]["data"]["group"], "fresh");
    assert_eq!(next["pagination"]["page"], 2);
}

#[test]
fn every_group_change_has_its_code() {
    let mut p = platform();
    let g = "/v1/organizations/acme/groups";
    no_body(&mut p, "POST", &format!("{g}/legacy/unarchive"));
    with_body(
        &mut p,
        "PATCH",
        &format!("{g}/billing/configuration"),
        r#"{"delete_protection":false}"#,
    );
    no_body(&mut p, "DELETE", &format!("{g}/billing"));
    let page = assert_ok(&audit(&mut p, "acme", &[("page_size", "3")]));
    assert_eq!(
        codes(&page),
        ["group-delete", "group-unprotect", "group-unarchive"]
    );
    let groups: Vec<&str> = page["audit_logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["data"]["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["billing", "billing", "legacy"]);
}

#[test]
fn a_seeded_history_spans_pages_and_a_page_past_the_end_is_empty() {
    let mut p = Platform::seeded(TOKEN, 30);
    let all = assert_ok(&audit(&mut p, "acme", &[]));
    let total = all["pagination"]["total_rows"].as_u64().unwrap();
    assert!(total > 30, "one entry per seeded group at least: {total}");
    assert_eq!(
        all["pagination"]["page_size"], 100,
        "the documented default"
    );
    let times: Vec<&str> = all["audit_logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["created_at"].as_str().unwrap())
        .collect();
    let mut newest_first = times.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, newest_first);
    let past = assert_ok(&audit(
        &mut p,
        "acme",
        &[("page", "99"), ("page_size", "20")],
    ));
    assert_eq!(codes(&past), Vec::<String>::new());
    assert_eq!(past["pagination"]["total_pages"], total.div_ceil(20));
}

#[test]
fn audit_logs_are_refused_on_the_starter_plan_and_bad_pages_are_400() {
    let mut p = platform();
    let jane = audit(&mut p, "jane", &[]);
    assert_eq!(jane.status, 403);
    assert_eq!(
        jane.json()["code"],
        "feature_not_available_for_starter_plan"
    );
    for (name, value) in [
        ("page", "0"),
        ("page", "x"),
        ("page_size", "0"),
        ("page_size", "-3"),
    ] {
        let response = audit(&mut p, "acme", &[(name, value)]);
        assert_reply(
            &response,
            400,
            json!({ "error": format!("invalid {name}") }),
        );
    }
    let foreign = audit(&mut p, "initech", &[]);
    assert_eq!(foreign.status, 403);
}

// ---- the closest region (region.turso.io's stand-in) ----

#[test]
fn the_closest_region_is_the_docs_example_and_needs_no_token() {
    let mut p = platform();
    let answer = send(&mut p, Request::new("GET", "/region"));
    assert_reply(&answer, 200, json!({"server": "lhr", "client": "lhr"}));
    let post = send(&mut p, Request::new("POST", "/region"));
    assert_eq!(post.status, 405);
}

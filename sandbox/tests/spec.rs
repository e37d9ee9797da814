//! The spec's Groups chapter, replayed: every example request is written here as the curl
//! command the spec prints (organization and group filled in), sent over HTTP exactly as curl
//! sends it (its default headers; `-d` without a Content-Type header is
//! `application/x-www-form-urlencoded`), against a started `sandbox-server`. Each answer must
//! have the printed status (or status class, where the spec prints only a body) and the
//! printed body, field for field. Values that differ per server (`uuid`, `version`, `jwt`) are
//! compared by presence and type only. The examples run in order against one server, `acme`
//! (paid, holds a `default` group) and `jane` (free plan, one group).

mod common;

use common::{Reply, Server, TOKEN};
use serde_json::{json, Map, Value};

/// What the spec prints for one example.
struct Printed {
    status: Status,
    /// `None`: the spec prints no body (200 "No Content"), so the answer must have none.
    body: Option<Value>,
}

#[derive(Debug)]
enum Status {
    Exact(u16),
    /// The spec prints only a body; any 4xx fits.
    ClientError,
}

fn printed(status: u16, body: Value) -> Printed {
    Printed {
        status: Status::Exact(status),
        body: Some(body),
    }
}

fn refused(body: Value) -> Printed {
    Printed {
        status: Status::ClientError,
        body: Some(body),
    }
}

fn no_content() -> Printed {
    Printed {
        status: Status::Exact(200),
        body: None,
    }
}

/// Keys whose value is per server: only presence and a string value are checked.
const PER_SERVER: [&str; 3] = ["uuid", "version", "jwt"];

/// The words of a shell command line as the spec prints it: `\` line continuations, single
/// quotes (no escapes inside), whitespace between words.
fn shell_words(command: &str) -> Vec<String> {
    let joined = command.replace("\\\n", " ");
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in joined.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    assert!(!quoted, "unbalanced quote in {command}");
    words.extend(word);
    words
}

/// Sends a `curl` command line as curl would, to `server` instead of api.turso.tech, with the
/// sandbox token in place of the spec's `TOKEN`.
fn curl(server: &Server, command: &str) -> Reply {
    let words = shell_words(command);
    assert_eq!(words.first().map(String::as_str), Some("curl"), "{command}");
    let mut method = None;
    let mut url = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut data = None;
    let mut rest = words[1..].iter();
    while let Some(word) = rest.next() {
        let mut value = || rest.next().expect("flag value").clone();
        match word.as_str() {
            "-L" => {}
            "-X" => method = Some(value()),
            "-H" => {
                let header = value();
                let (name, text) = header.split_once(':').expect("Name: value");
                let text = text
                    .trim()
                    .replace("Bearer TOKEN", &format!("Bearer {TOKEN}"));
                headers.push((name.trim().to_string(), text));
            }
            "-d" => data = Some(value()),
            other if other.starts_with('-') => panic!("flag {other} not replayed: {command}"),
            other => url = Some(other.to_string()),
        }
    }
    let url = url.expect("a URL");
    let path = url
        .strip_prefix("https://api.turso.tech")
        .unwrap_or_else(|| panic!("not an API URL: {url}"));
    // curl's own headers, unless the command sets them.
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    let mut sent = vec![
        ("User-Agent".to_string(), "curl/8.5.0".to_string()),
        ("Accept".to_string(), "*/*".to_string()),
    ];
    sent.retain(|(name, _)| !has(&headers, name));
    sent.extend(headers);
    if data.is_some() && !has(&sent, "content-type") {
        sent.push((
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        ));
    }
    let method = method.unwrap_or_else(|| if data.is_some() { "POST" } else { "GET" }.into());
    let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    server.call(&method, path, &sent, data.as_deref())
}

/// Compares an answer with the printed body: same keys, same values, except `PER_SERVER` keys
/// (any string).
fn same_as_printed(answer: &Value, printed: &Value, at: &str) -> Result<(), String> {
    match (answer, printed) {
        (Value::Object(got), Value::Object(want)) => {
            let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
            if keys(got) != keys(want) {
                return Err(format!(
                    "{at}: keys {:?}, printed {:?}",
                    keys(got),
                    keys(want)
                ));
            }
            for (key, want) in want {
                let here = format!("{at}.{key}");
                if PER_SERVER.contains(&key.as_str()) {
                    if !got[key].is_string() || got[key] == "" {
                        return Err(format!("{here}: {} is not a non-empty string", got[key]));
                    }
                } else {
                    same_as_printed(&got[key], want, &here)?;
                }
            }
            Ok(())
        }
        (Value::Array(got), Value::Array(want)) if got.len() == want.len() => got
            .iter()
            .zip(want)
            .enumerate()
            .try_for_each(|(i, (g, w))| same_as_printed(g, w, &format!("{at}[{i}]"))),
        _ if answer == printed => Ok(()),
        _ => Err(format!("{at}: {answer}, printed {printed}")),
    }
}

#[track_caller]
fn replay(server: &Server, command: &str, expected: Printed) -> Reply {
    let reply = curl(server, command);
    let status_ok = match expected.status {
        Status::Exact(status) => reply.status == status,
        Status::ClientError => (400..500).contains(&reply.status),
    };
    assert!(
        status_ok,
        "{command}\nstatus {} ({:?} printed): {}",
        reply.status,
        expected.status,
        reply.text()
    );
    match &expected.body {
        None => assert!(reply.body.is_empty(), "{command}\nbody {}", reply.text()),
        Some(body) => {
            assert_eq!(
                reply.header("content-type"),
                Some("application/json"),
                "{command}"
            );
            if let Err(difference) = same_as_printed(&reply.json(), body, "body") {
                panic!("{command}\n{difference}\nanswer: {}", reply.text());
            }
        }
    }
    reply
}

/// A group object as the spec prints it (per-server fields filled in with placeholders).
fn group(name: &str, locations: &[&str], archived: bool, delete_protection: bool) -> Value {
    json!({
        "archived": archived,
        "delete_protection": delete_protection,
        "locations": locations,
        "name": name,
        "primary": locations[0],
        "uuid": "0a28102d-6906-11ee-8553-eaa7715aeaf2",
        "version": "v0.23.7",
    })
}

/// The spec's create example; run twice, while `default` exists and after it is deleted.
const CREATE_DEFAULT_IN_LHR: &str = r#"curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups' \
-H 'Authorization: Bearer TOKEN' \
-H 'Content-Type: application/json' \
-d '{
    "name": "default",
    "location": "lhr"
}'"#;

/// The abbreviated group the location examples print (no `version`, no `delete_protection`).
fn location_answer(locations: &[&str]) -> Value {
    json!({"group": {
        "archived": false,
        "locations": locations,
        "name": "default",
        "primary": "lhr",
        "uuid": "f1dec998-8f7f-11ee-907d-a2a821fd08b9",
    }})
}

#[test]
fn every_example_of_the_groups_chapter_answers_as_printed() {
    let server = Server::start(&[]);

    // List groups.
    replay(
        &server,
        "curl -L https://api.turso.tech/v1/organizations/acme/groups \\
  -H 'Authorization: Bearer TOKEN'",
        printed(
            200,
            json!({"groups": [
                group("default", &["aws-us-east-1"], false, false),
                group("eu-replicated", &["aws-eu-west-1", "aws-eu-central-1", "aws-us-east-1"], false, false),
                group("legacy", &["aws-us-west-2"], true, false),
                group("billing", &["aws-us-east-2"], false, true),
            ]}),
        ),
    );

    // Retrieve a group.
    replay(
        &server,
        "curl -L 'https://api.turso.tech/v1/organizations/acme/groups/default' \\
-H 'Authorization: Bearer TOKEN'",
        printed(
            200,
            json!({"group": group("default", &["aws-us-east-1"], false, false)}),
        ),
    );

    // A second group on a free plan.
    replay(
        &server,
        r#"curl -L -X POST 'https://api.turso.tech/v1/organizations/jane/groups' \
-H 'Authorization: Bearer TOKEN' \
-H 'Content-Type: application/json' \
-d '{
    "name": "new-group",
    "location": "lhr"
}'"#,
        refused(
            json!({"code": "group_quota_exceeded", "error": "maximum group count of 1 reached"}),
        ),
    );

    // Transfer into an organization that already has a `default` group. The spec's curl sets
    // no Content-Type, so the JSON goes as application/x-www-form-urlencoded.
    replay(
        &server,
        r#"curl -L -X POST 'https://api.turso.tech/v1/organizations/jane/groups/default/transfer' \
-H 'Authorization: Bearer TOKEN' \
-d '{
    "organization": "acme"
}'"#,
        refused(json!({
            "code": "",
            "error": "group with name default already exists in new organization"
        })),
    );

    // Creating a name the organization already uses.
    replay(
        &server,
        CREATE_DEFAULT_IN_LHR,
        printed(409, json!({"error": "group already exists"})),
    );

    // Delete a group: acme's `default` goes, so the spec's create can make it again in `lhr`.
    replay(
        &server,
        "curl -L -X DELETE 'https://api.turso.tech/v1/organizations/acme/groups/default' \\
-H 'Authorization: Bearer TOKEN'",
        printed(
            200,
            json!({"group": group("default", &["aws-us-east-1"], false, false)}),
        ),
    );

    // Create a group.
    replay(
        &server,
        CREATE_DEFAULT_IN_LHR,
        printed(
            200,
            json!({"group": group("default", &["lhr"], false, false)}),
        ),
    );

    // Add a location: the printed answer, as printed (it leaves out `version` and
    // `delete_protection`, which the other group answers print).
    let added = replay(
        &server,
        "curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups/default/locations/ams' \\
-H 'Authorization: Bearer TOKEN'",
        printed(200, location_answer(&["lhr", "ams"]))
        .allowing_group_fields(),
    );
    assert_eq!(added.json()["group"]["delete_protection"], false);

    replay(
        &server,
        "curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups/default/locations/amss' \\
-H 'Authorization: Bearer TOKEN'",
        printed(400, json!({"error": "invalid location: amss"})),
    );

    // Remove a location. The spec prints the add example's body here too (`ams` still listed);
    // the answer is the group after the removal.
    replay(
        &server,
        "curl -L -X DELETE 'https://api.turso.tech/v1/organizations/acme/groups/default/locations/ams' \\
-H 'Authorization: Bearer TOKEN'",
        printed(200, location_answer(&["lhr"]))
        .allowing_group_fields(),
    );
    replay(
        &server,
        "curl -L -X DELETE 'https://api.turso.tech/v1/organizations/acme/groups/default/locations/amss' \\
-H 'Authorization: Bearer TOKEN'",
        printed(400, json!({"error": "Invalid location code"})),
    );

    // Create a group token.
    replay(
        &server,
        "curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups/default/auth/tokens?expiration=2w&authorization=full-access' \\
-H 'Authorization: Bearer TOKEN'",
        printed(200, json!({"jwt": "TOKEN"})),
    );

    // A token that may read-ATTACH made-up databases; the names end up in its claims.
    let attach = replay(
        &server,
        r#"curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups/default/auth/tokens' \
-H 'Authorization: Bearer TOKEN' \
-H 'Content-Type: application/json' \
-d '{
    "permissions": {
        "read_attach": {
            "databases": ["db1", "db2", "db3"]
        }
    }
}'"#,
        printed(200, json!({"jwt": "TOKEN"})),
    );
    let jwt = attach.json()["jwt"].as_str().unwrap().to_string();
    let verified = server.call(
        "GET",
        "/__sandbox/verify-token",
        &[("Authorization", &format!("Bearer {jwt}"))],
        None,
    );
    assert_eq!(
        verified.json()["claims"]["p"],
        json!({"roa": {"ns": ["db1", "db2", "db3"]}})
    );

    replay(
        &server,
        "curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups/default/auth/tokens?expiration=soon' \\
-H 'Authorization: Bearer TOKEN'",
        printed(400, json!({"error": "Invalid expiration format"})),
    );

    // Invalidate all tokens, update the databases' version: 200 with no body.
    replay(
        &server,
        "curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups/default/auth/rotate' \\
-H 'Authorization: Bearer TOKEN'",
        no_content(),
    );
    replay(
        &server,
        "curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups/default/update' \\
-H 'Authorization: Bearer TOKEN'",
        no_content(),
    );

    // Unarchive a group (the spec's curl ends with a stray `\`).
    replay(
        &server,
        "curl -L -X POST 'https://api.turso.tech/v1/organizations/acme/groups/legacy/unarchive' \\
-H 'Authorization: Bearer TOKEN' \\
",
        printed(
            200,
            json!({"group": group("legacy", &["aws-us-west-2"], false, false)}),
        ),
    );

    // Group configuration.
    replay(
        &server,
        "curl -L -X GET 'https://api.turso.tech/v1/organizations/acme/groups/billing/configuration' \\
  -H 'Authorization: Bearer TOKEN'",
        printed(200, json!({"delete_protection": true})),
    );
    replay(
        &server,
        r#"curl -L -X PATCH 'https://api.turso.tech/v1/organizations/acme/groups/default/configuration' \
  -H 'Authorization: Bearer TOKEN' \
  -H 'Content-Type: application/json' \
  -d '{
      "delete_protection": true
  }'"#,
        printed(200, json!({"delete_protection": true})),
    );

    // A group that does not exist.
    replay(
        &server,
        "curl -L 'https://api.turso.tech/v1/organizations/acme/groups/new-group' \\
-H 'Authorization: Bearer TOKEN'",
        printed(404, json!({"error": "group not found"})),
    );
}

impl Printed {
    /// For the abbreviated group the location examples print: the answer may also carry the
    /// group fields the other answers print (`version`, `delete_protection`), and nothing else.
    fn allowing_group_fields(self) -> Printed {
        Printed {
            status: self.status,
            body: self.body.map(|mut body| {
                let group = body["group"].as_object_mut().expect("a group body");
                group.insert("version".into(), json!("v0.23.7"));
                group.insert("delete_protection".into(), json!(false));
                body
            }),
        }
    }
}

#[test]
fn curl_command_lines_split_like_a_shell() {
    assert_eq!(
        shell_words("curl -L -X POST 'https://x/y' \\\n-H 'A: b c' \\\n-d '{\n  \"k\": 1\n}'"),
        [
            "curl",
            "-L",
            "-X",
            "POST",
            "https://x/y",
            "-H",
            "A: b c",
            "-d",
            "{\n  \"k\": 1\n}"
        ]
    );
    assert_eq!(shell_words("curl ''"), ["curl", ""]);
}

//! The session's changes as the user can read and replay them: a name for each change
//! request, and a shell script that sends the ones the API accepted again, in order. Neither
//! ever holds the API token (the script names `$TURSO_API_TOKEN`) nor a minted token (answers
//! are not kept).

use crate::api::calls::{encode_component, ApiRequest, Method};
use crate::api::Group;
use crate::rules::curl::{single_quote, AUTHORIZATION_ARGUMENT};

/// One change request and what came of it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// When it was sent, as the user's clock shows it.
    pub time: String,
    pub request: ApiRequest,
    /// `None` when no answer came (timeout, network).
    pub status: Option<u16>,
    /// The API's words (or the panel's) when it failed.
    pub message: Option<String>,
}

impl Entry {
    /// The API accepted it: a replay would send it again.
    pub fn accepted(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// What it does, in words, and the group it is about.
    pub fn describe(&self) -> (&'static str, Option<String>) {
        describe(&self.request)
    }
}

/// What a change request does, in words, and the group it is about: from its path
/// (`/organizations/{org}/groups/{group}/…`), or for a new group from its body.
pub fn describe(request: &ApiRequest) -> (&'static str, Option<String>) {
    let segments: Vec<&str> = request.path.split('/').skip(1).collect();
    let group = segments.get(3).map(|g| (*g).to_owned());
    let action = match (request.method, segments.get(4..).unwrap_or_default()) {
        (Method::Post, []) if group.is_none() => "Create group",
        (Method::Delete, []) => "Delete group",
        (Method::Post, ["update"]) => "Update version",
        (Method::Post, ["transfer"]) => "Transfer",
        (Method::Post, ["unarchive"]) => "Unarchive",
        (Method::Post, ["rename"]) => "Rename group",
        (Method::Post, ["locations", _]) => "Add location",
        (Method::Delete, ["locations", _]) => "Remove location",
        (Method::Patch, ["configuration"]) => "Set delete protection",
        (Method::Post, ["auth", "tokens"]) => "Create token",
        (Method::Post, ["auth", "rotate"]) => "Invalidate tokens",
        _ => "Change",
    };
    // A new group's body has its name: read as a `Group` (every other field is optional),
    // whose reader the bundle already has; a struct of its own measured 235 bytes more.
    let group = group.or_else(|| {
        let body = request.body.as_deref()?;
        serde_json::from_str::<Group>(body).ok().map(|g| g.name)
    });
    (action, group)
}

/// A bash script that sends the accepted changes again, in order, with the API's base URL and
/// the organization as variables at the top and the token taken from the environment.
pub fn script(base_url: &str, org: &str, entries: &[Entry]) -> String {
    let own_org = format!("/organizations/{}", encode_component(org));
    let mut out = format!(
        "#!/usr/bin/env bash\n\
         # The changes Groups Console made in one session, those the API accepted, in order.\n\
         # Run with TURSO_API_TOKEN set to a Platform API token of the organization.\n\
         set -euo pipefail\n\
         : \"${{TURSO_API_TOKEN:?set TURSO_API_TOKEN to a Platform API token}}\"\n\
         TURSO_API_URL={}\n\
         TURSO_ORG={}\n",
        single_quote(base_url.trim_end_matches('/')),
        single_quote(org),
    );
    for entry in entries.iter().filter(|e| e.accepted()) {
        let (action, group) = entry.describe();
        let path = entry.request.path_and_query();
        let path = match path.strip_prefix(&own_org) {
            Some(rest) => format!("/organizations/$TURSO_ORG{}", double_quoted(rest)),
            None => double_quoted(&path),
        };
        out.push_str(&format!(
            "\n# {} {action}{}\ncurl -fsS",
            entry.time,
            group.map(|g| format!(" {g}")).unwrap_or_default()
        ));
        if entry.request.method != Method::Get {
            out.push_str(" -X ");
            out.push_str(entry.request.method.as_str());
        }
        out.push_str(&format!(
            " \"$TURSO_API_URL{path}\" -H {AUTHORIZATION_ARGUMENT}"
        ));
        if let Some(body) = &entry.request.body {
            out.push_str(" -H 'Content-Type: application/json' --data-raw ");
            out.push_str(&single_quote(body));
        }
        out.push('\n');
    }
    out
}

/// Text for inside double quotes: only `$`, `` ` ``, `"` and `\` are special there.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '`' | '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::calls;
    use crate::api::types::{Extensions, NewGroup};

    fn entry(request: ApiRequest, status: Option<u16>) -> Entry {
        Entry {
            time: "12:00:00".into(),
            request,
            status,
            message: None,
        }
    }

    #[test]
    fn entries_survive_storage_as_they_were() {
        let mut failed = entry(calls::delete_group("acme", "a b").request, Some(403));
        failed.message = Some("no \"way\"".into());
        let token = calls::create_group_token("acme", "g", &Default::default()).request;
        let entries = vec![failed, entry(token, None)];
        let stored = serde_json::to_string(&entries).unwrap();
        let back: Vec<Entry> = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, entries);
    }

    #[test]
    fn every_change_has_a_name_and_its_group() {
        let new = NewGroup {
            name: "fresh".into(),
            location: "lhr".into(),
            extensions: Extensions::default(),
        };
        let cases = [
            (calls::create_group("acme", &new).request, "Create group"),
            (calls::delete_group("acme", "g").request, "Delete group"),
            (
                calls::update_group_version("acme", "g").request,
                "Update version",
            ),
            (
                calls::transfer_group("acme", "g", "globex").request,
                "Transfer",
            ),
            (calls::unarchive_group("acme", "g").request, "Unarchive"),
            (
                calls::rename_group("acme", "g", "h").request,
                "Rename group",
            ),
            (
                calls::add_location("acme", "g", "ams").request,
                "Add location",
            ),
            (
                calls::remove_location("acme", "g", "ams").request,
                "Remove location",
            ),
            (
                calls::set_delete_protection("acme", "g", true).request,
                "Set delete protection",
            ),
            (
                calls::rotate_group_tokens("acme", "g").request,
                "Invalidate tokens",
            ),
        ];
        for (request, action) in cases {
            let (said, group) = describe(&request);
            assert_eq!(said, action, "{request:?}");
            let expected = if action == "Create group" {
                "fresh"
            } else {
                "g"
            };
            assert_eq!(group.as_deref(), Some(expected), "{request:?}");
        }
    }

    #[test]
    fn the_script_replays_what_was_accepted_with_variables_and_no_token() {
        let new = NewGroup {
            name: "it's".into(),
            location: "lhr".into(),
            extensions: Extensions::default(),
        };
        let entries = [
            entry(calls::create_group("acme", &new).request, Some(200)),
            entry(calls::delete_group("acme", "old").request, Some(403)),
            entry(calls::add_location("acme", "x", "ams").request, None),
            entry(
                calls::set_delete_protection("acme", "x", true).request,
                Some(200),
            ),
        ];
        let script = script("https://api.turso.tech/v1/", "acme", &entries);
        assert!(script.starts_with("#!/usr/bin/env bash\n"));
        assert!(script.contains("\nset -euo pipefail\n"));
        assert!(script.contains("\nTURSO_API_URL='https://api.turso.tech/v1'\nTURSO_ORG='acme'\n"));
        let curls: Vec<&str> = script.lines().filter(|l| l.starts_with("curl")).collect();
        assert_eq!(
            curls,
            [
                r#"curl -fsS -X POST "$TURSO_API_URL/organizations/$TURSO_ORG/groups" -H "Authorization: Bearer $TURSO_API_TOKEN" -H 'Content-Type: application/json' --data-raw '{"name":"it'\''s","location":"lhr"}'"#,
                r#"curl -fsS -X PATCH "$TURSO_API_URL/organizations/$TURSO_ORG/groups/x/configuration" -H "Authorization: Bearer $TURSO_API_TOKEN" -H 'Content-Type: application/json' --data-raw '{"delete_protection":true}'"#,
            ]
        );
        assert!(script.contains("\n# 12:00:00 Create group it's\n"));
        assert!(
            !script.contains("old") && !script.contains("ams"),
            "refused and unanswered changes are left out"
        );
    }

    #[test]
    fn odd_characters_stay_literal_inside_double_quotes() {
        assert_eq!(double_quoted(r#"a$b`c"d\e"#), r#"a\$b\`c\"d\\e"#);
    }
}

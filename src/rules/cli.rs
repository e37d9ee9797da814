//! Each change as the `turso` command that makes it, for people who know the CLI: from the
//! request the panel sent, so Activity can show it for every change of the session, and the
//! token generator for the token it would create. Where the CLI has no equivalent, the reason
//! is given instead of an invented command. Commands name no organization: the CLI acts in
//! the one chosen with `turso org switch`.
//!
//! The CLI's flags, from its source (`internal/cmd`, `internal/flags`): `group create
//! --location`, `group destroy --yes`, `group wakeup`, `group transfer --yes`, `group rename
//! --yes`, `group update --yes`, `group protection enable|disable`, `group locations
//! add|remove`, `group tokens create -e -r --attach -p`, `group tokens invalidate --yes`.

use crate::api::calls::{ApiRequest, Method};
use crate::api::TableRule;
use crate::rules::activity::Entry;
use crate::rules::curl::single_quote;
use crate::rules::expiration::{parse_expiration, Expiration};
use serde::de::IgnoredAny;
use serde::Deserialize;

/// What the commands read of a change's body: the fields the panel's requests carry. Typed,
/// not `serde_json::Value` (about 3 KB of the bundle, see `api::error`).
#[derive(Default, Deserialize)]
struct Body {
    name: Option<String>,
    location: Option<String>,
    /// Any value: the CLI cannot choose a group's extensions at all.
    extensions: Option<IgnoredAny>,
    organization: Option<String>,
    delete_protection: Option<bool>,
    permissions: Option<Permissions>,
    #[serde(default)]
    fine_grained_permissions: Vec<TableRule>,
}

#[derive(Deserialize)]
struct Permissions {
    read_attach: Option<ReadAttach>,
}

#[derive(Deserialize)]
struct ReadAttach {
    #[serde(default)]
    databases: Vec<String>,
}

/// The `turso` command for `request`, or why there is none.
pub fn turso_command(request: &ApiRequest) -> Result<String, &'static str> {
    let segments: Vec<String> = request
        .path
        .split('/')
        .skip(1)
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let rest: Vec<&str> = segments.iter().skip(4).map(String::as_str).collect();
    let group = segments.get(3).map(|g| word(g));
    let body: Body = request
        .body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or_default();
    let text = |field: &Option<String>| field.as_deref().map(word);
    let command = match (request.method, group, rest.as_slice()) {
        (Method::Post, None, []) => {
            if body.extensions.is_some() {
                return Err("the CLI's `group create` cannot choose extensions");
            }
            let (name, location) = text(&body.name).zip(text(&body.location)).ok_or(NO_BODY)?;
            format!("turso group create {name} --location {location}")
        }
        (Method::Delete, Some(g), []) => format!("turso group destroy {g} --yes"),
        (Method::Post, Some(g), ["unarchive"]) => format!("turso group wakeup {g}"),
        (Method::Post, Some(g), ["transfer"]) => {
            let to = text(&body.organization).ok_or(NO_BODY)?;
            format!("turso group transfer {g} {to} --yes")
        }
        (Method::Post, Some(g), ["rename"]) => {
            let new = text(&body.name).ok_or(NO_BODY)?;
            format!("turso group rename {g} {new} --yes")
        }
        (Method::Post, Some(g), ["update"]) => format!("turso group update {g} --yes"),
        (Method::Patch, Some(g), ["configuration"]) => {
            match body.delete_protection.ok_or(NO_BODY)? {
                true => format!("turso group protection enable {g}"),
                false => format!("turso group protection disable {g}"),
            }
        }
        (Method::Post, Some(g), ["locations", code]) => {
            format!("turso group locations add {g} {}", word(code))
        }
        (Method::Delete, Some(g), ["locations", code]) => {
            format!("turso group locations remove {g} {}", word(code))
        }
        (Method::Post, Some(g), ["auth", "rotate"]) => {
            format!("turso group tokens invalidate {g} --yes")
        }
        (Method::Post, Some(g), ["auth", "tokens"]) => token_command(&g, request, &body)?,
        _ => return Err("the CLI has no command for this request"),
    };
    Ok(command)
}

const NO_BODY: &str = "the request's body does not say what was asked";

/// `turso group tokens create`: `-e` takes `never` or whole days only.
fn token_command(group: &str, request: &ApiRequest, body: &Body) -> Result<String, &'static str> {
    let query = |key: &str| {
        request
            .query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let mut out = format!("turso group tokens create {group}");
    match query("expiration").map(parse_expiration) {
        None | Some(Ok(Expiration::Never)) => {}
        Some(Ok(Expiration::After(seconds))) if seconds % 86_400 == 0 => {
            out.push_str(&format!(" -e {}d", seconds / 86_400));
        }
        Some(_) => return Err("the CLI's `-e` takes whole days only (e.g. 7d)"),
    }
    if query("authorization") == Some("read-only") {
        out.push_str(" -r");
    }
    let attach = body
        .permissions
        .as_ref()
        .and_then(|p| p.read_attach.as_ref())
        .map_or(&[][..], |r| r.databases.as_slice());
    if !attach.is_empty() {
        out.push_str(" --attach ");
        out.push_str(&word(&attach.join(",")));
    }
    for rule in &body.fine_grained_permissions {
        let actions = rule.actions.join(",");
        match &rule.tables {
            None => out.push_str(&format!(" -p {}", word(&format!("all:{actions}")))),
            // The CLI's `-p` names one table per rule.
            Some(tables) => {
                for table in tables {
                    out.push_str(&format!(" -p {}", word(&format!("{table}:{actions}"))));
                }
            }
        }
    }
    Ok(out)
}

/// A bash script that makes the accepted changes again with the CLI, in order; a change the
/// CLI cannot make is named in a comment with the reason.
pub fn turso_script(org: &str, entries: &[Entry]) -> String {
    let mut out = format!(
        "#!/usr/bin/env bash\n\
         # The changes Groups Console made in one session, those the API accepted, in order,\n\
         # as turso CLI commands. Run after `turso auth login`.\n\
         set -euo pipefail\n\
         turso org switch {}\n",
        word(org)
    );
    for entry in entries.iter().filter(|e| e.accepted()) {
        let (action, group) = entry.describe();
        let group = group.map(|g| format!(" {g}")).unwrap_or_default();
        out.push_str(&format!("\n# {} {action}{group}\n", entry.time));
        match turso_command(&entry.request) {
            Ok(command) => out.push_str(&command),
            Err(why) => out.push_str(&format!("# no turso command: {why}")),
        }
        out.push('\n');
    }
    out
}

/// One shell word: as it is when plainly safe, else single-quoted.
fn word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ',' | ':' | '/'));
    if plain {
        text.to_owned()
    } else {
        single_quote(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::calls;
    use crate::api::types::{Access, Extensions, NewGroup, TokenRequest};

    #[test]
    fn every_group_change_has_its_command() {
        let new = NewGroup {
            name: "fresh".into(),
            location: "aws-eu-west-1".into(),
            extensions: Extensions::None,
        };
        let cases = [
            (
                calls::create_group("acme", &new).request,
                "turso group create fresh --location aws-eu-west-1",
            ),
            (
                calls::delete_group("acme", "g").request,
                "turso group destroy g --yes",
            ),
            (
                calls::unarchive_group("acme", "g").request,
                "turso group wakeup g",
            ),
            (
                calls::transfer_group("acme", "g", "globex").request,
                "turso group transfer g globex --yes",
            ),
            (
                calls::rename_group("acme", "g", "h").request,
                "turso group rename g h --yes",
            ),
            (
                calls::update_group_version("acme", "g").request,
                "turso group update g --yes",
            ),
            (
                calls::set_delete_protection("acme", "g", true).request,
                "turso group protection enable g",
            ),
            (
                calls::set_delete_protection("acme", "g", false).request,
                "turso group protection disable g",
            ),
            (
                calls::add_location("acme", "g", "ams").request,
                "turso group locations add g ams",
            ),
            (
                calls::remove_location("acme", "g", "ams").request,
                "turso group locations remove g ams",
            ),
            (
                calls::rotate_group_tokens("acme", "g").request,
                "turso group tokens invalidate g --yes",
            ),
            (
                calls::create_group_token("acme", "g", &TokenRequest::default()).request,
                "turso group tokens create g",
            ),
        ];
        for (request, command) in cases {
            assert_eq!(
                turso_command(&request).as_deref(),
                Ok(command),
                "{request:?}"
            );
        }
    }

    #[test]
    fn token_flags_follow_the_request() {
        let token = TokenRequest {
            expiration: Some("2w".into()),
            access: Access::ReadOnly,
            read_attach: vec!["users".into(), "orders".into()],
            table_rules: Vec::new(),
        };
        let request = calls::create_group_token("acme", "default", &token).request;
        assert_eq!(
            turso_command(&request).as_deref(),
            Ok("turso group tokens create default -e 14d -r --attach users,orders")
        );
        let minutes = TokenRequest {
            expiration: Some("2w1d30m".into()),
            ..TokenRequest::default()
        };
        let request = calls::create_group_token("acme", "default", &minutes).request;
        assert_eq!(
            turso_command(&request),
            Err("the CLI's `-e` takes whole days only (e.g. 7d)")
        );
    }

    #[test]
    fn fine_grained_rules_become_one_p_flag_per_table() {
        let mut request = calls::create_group_token("acme", "g", &TokenRequest::default()).request;
        request.body = Some(
            r#"{"fine_grained_permissions":[{"a":["data_read"]},{"t":["comments","posts"],"a":["data_add","data_update"]}]}"#
                .into(),
        );
        assert_eq!(
            turso_command(&request).as_deref(),
            Ok("turso group tokens create g -p all:data_read -p comments:data_add,data_update -p posts:data_add,data_update")
        );
    }

    #[test]
    fn the_script_switches_to_the_organization_and_names_what_it_cannot_do() {
        let entry = |request: ApiRequest, status| Entry {
            time: "12:00:00".into(),
            request,
            status: Some(status),
            message: None,
        };
        let minutes = TokenRequest {
            expiration: Some("30m".into()),
            ..TokenRequest::default()
        };
        let entries = [
            entry(calls::delete_group("acme", "a").request, 200),
            entry(calls::delete_group("acme", "refused").request, 403),
            entry(
                calls::create_group_token("acme", "b", &minutes).request,
                200,
            ),
        ];
        let script = turso_script("acme", &entries);
        assert!(
            script.contains("set -euo pipefail\nturso org switch acme\n"),
            "{script}"
        );
        let commands: Vec<&str> = script
            .lines()
            .filter(|l| l.starts_with("turso group"))
            .collect();
        assert_eq!(commands, ["turso group destroy a --yes"], "{script}");
        assert!(script.contains("# no turso command: the CLI's `-e` takes whole days only"));
        assert!(!script.contains("refused"), "only accepted changes");
    }

    #[test]
    fn odd_names_are_quoted_and_extensions_have_no_command() {
        let request = calls::delete_group("acme", "it's mine").request;
        assert_eq!(
            turso_command(&request).as_deref(),
            Ok(r"turso group destroy 'it'\''s mine' --yes")
        );
        let new = NewGroup {
            name: "fresh".into(),
            location: "ams".into(),
            extensions: Extensions::All,
        };
        assert!(turso_command(&calls::create_group("acme", &new).request).is_err());
        let list = calls::list_groups("acme").request;
        assert!(turso_command(&list).is_err());
    }
}

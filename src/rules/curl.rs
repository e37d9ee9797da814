//! The `curl` command that sends the same request as the panel, for users to copy into a
//! POSIX shell. It never holds the API token: the header names `$TURSO_API_TOKEN` in double
//! quotes, so the user's shell fills it in and a copied command leaks nothing.

use crate::api::calls::{ApiRequest, Method};

/// The header as written in the command; the shell expands the variable.
pub const AUTHORIZATION_ARGUMENT: &str = "\"Authorization: Bearer $TURSO_API_TOKEN\"";

/// One line, so it pastes as a single command anywhere; arguments in the order
/// `curl [-X METHOD] [-g] URL -H auth [-H content-type --data-raw BODY]`. Headers match what
/// the panel sends: `Content-Type` only with a body. The base URL is joined as the client
/// joins it (trailing slashes dropped).
pub fn curl_command(base_url: &str, request: &ApiRequest) -> String {
    let url = format!(
        "{}{}",
        base_url.trim_end_matches('/'),
        request.path_and_query()
    );
    let mut parts = vec!["curl".to_owned()];
    if request.method != Method::Get {
        parts.push("-X".to_owned());
        parts.push(request.method.as_str().to_owned());
    }
    // curl reads [] and {} in a URL as glob patterns, e.g. an IPv6 host such as [::1].
    if url.contains(['[', ']', '{', '}']) {
        parts.push("-g".to_owned());
    }
    parts.push(single_quote(&url));
    parts.push("-H".to_owned());
    parts.push(AUTHORIZATION_ARGUMENT.to_owned());
    if let Some(body) = &request.body {
        parts.push("-H".to_owned());
        parts.push(single_quote("Content-Type: application/json"));
        // Unlike -d, --data-raw sends a body starting with @ as text, not as a file name.
        parts.push("--data-raw".to_owned());
        parts.push(single_quote(body));
    }
    parts.join(" ")
}

/// Quotes for POSIX shells: inside single quotes nothing is special but the quote itself,
/// which is closed, escaped and reopened as `'\''`.
pub fn single_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::calls::create_group_token;
    use crate::api::types::{Access, TokenRequest};

    /// Splits a command into words as a POSIX shell would, without expanding anything: enough
    /// to check the quoting that `curl_command` writes.
    fn shell_words(command: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut chars = command.chars();
        while let Some(c) = chars.next() {
            match c {
                ' ' | '\t' | '\n' => words.extend(word.take()),
                '\'' => {
                    let w = word.get_or_insert_with(String::new);
                    loop {
                        match chars.next() {
                            Some('\'') => break,
                            Some(c) => w.push(c),
                            None => panic!("unclosed single quote in {command:?}"),
                        }
                    }
                }
                '"' => {
                    let w = word.get_or_insert_with(String::new);
                    loop {
                        match chars.next() {
                            Some('"') => break,
                            Some('\\') => match chars.next() {
                                Some(c @ ('$' | '`' | '"' | '\\')) => w.push(c),
                                Some('\n') => {}
                                Some(c) => {
                                    w.push('\\');
                                    w.push(c);
                                }
                                None => panic!("unclosed double quote in {command:?}"),
                            },
                            Some(c) => w.push(c),
                            None => panic!("unclosed double quote in {command:?}"),
                        }
                    }
                }
                '\\' => match chars.next() {
                    Some('\n') => {}
                    Some(c) => word.get_or_insert_with(String::new).push(c),
                    None => panic!("trailing backslash in {command:?}"),
                },
                c => word.get_or_insert_with(String::new).push(c),
            }
        }
        words.extend(word);
        words
    }

    fn request(method: Method, path: &str) -> ApiRequest {
        ApiRequest {
            method,
            version: 1,
            path: path.to_owned(),
            query: vec![],
            body: None,
        }
    }

    #[test]
    fn a_token_request_reads_as_documented() {
        let token = TokenRequest {
            expiration: Some("2w".into()),
            access: Access::ReadOnly,
            read_attach: vec!["db1".into()],
            table_rules: Vec::new(),
        };
        let call = create_group_token("acme", "default", &token);
        assert_eq!(
            curl_command("https://api.turso.tech/v1", &call.request),
            "curl -X POST 'https://api.turso.tech/v1/organizations/acme/groups/default/auth/tokens?expiration=2w&authorization=read-only' \
             -H \"Authorization: Bearer $TURSO_API_TOKEN\" -H 'Content-Type: application/json' \
             --data-raw '{\"permissions\":{\"read_attach\":{\"databases\":[\"db1\"]}}}'"
        );
    }

    #[test]
    fn get_has_no_method_flag_and_no_content_type() {
        let command = curl_command(
            "https://api.turso.tech/v1/",
            &request(Method::Get, "/locations"),
        );
        assert_eq!(
            command,
            "curl 'https://api.turso.tech/v1/locations' -H \"Authorization: Bearer $TURSO_API_TOKEN\""
        );
        assert_eq!(
            curl_command("http://x/v1", &request(Method::Delete, "/a")),
            "curl -X DELETE 'http://x/v1/a' -H \"Authorization: Bearer $TURSO_API_TOKEN\""
        );
        assert!(curl_command("http://x/v1", &request(Method::Patch, "/a"))
            .starts_with("curl -X PATCH "));
    }

    #[test]
    fn quotes_what_the_shell_would_read() {
        let mut r = request(Method::Post, "/organizations/o'neil/groups");
        r.body = Some(r#"{"name":"it's $HOME `x` \n"}"#.to_owned());
        let command = curl_command("https://api.turso.tech/v1", &r);
        assert!(
            command.contains(r#"--data-raw '{"name":"it'\''s $HOME `x` \n"}'"#),
            "{command}"
        );
        assert_eq!(
            shell_words(&command),
            [
                "curl",
                "-X",
                "POST",
                "https://api.turso.tech/v1/organizations/o'neil/groups",
                "-H",
                "Authorization: Bearer $TURSO_API_TOKEN",
                "-H",
                "Content-Type: application/json",
                "--data-raw",
                r#"{"name":"it's $HOME `x` \n"}"#,
            ]
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        let mut r = request(Method::Get, "/organizations/acme/databases");
        r.query = vec![
            ("group".into(), "it's a $group".into()),
            ("cursor".into(), "a&b=c".into()),
        ];
        assert_eq!(
            shell_words(&curl_command("https://api.turso.tech/v1", &r))[1],
            format!("https://api.turso.tech/v1{}", r.path_and_query())
        );
        assert!(curl_command("https://api.turso.tech/v1", &r).contains(
            "'https://api.turso.tech/v1/organizations/acme/databases?group=it%27s%20a%20%24group&cursor=a%26b%3Dc'"
        ));
    }

    #[test]
    fn bracketed_hosts_turn_globbing_off() {
        let command = curl_command("http://[::1]:8080/v1", &request(Method::Get, "/locations"));
        assert!(
            command.starts_with("curl -g 'http://[::1]:8080/v1/locations' "),
            "{command}"
        );
        let plain = curl_command(
            "http://127.0.0.1:8080/v1",
            &request(Method::Get, "/locations"),
        );
        assert!(!plain.contains(" -g "), "{plain}");
    }

    #[test]
    fn the_token_is_only_ever_a_placeholder() {
        let token = TokenRequest {
            expiration: None,
            access: Access::FullAccess,
            read_attach: vec![],
            table_rules: Vec::new(),
        };
        let command = curl_command(
            "https://api.turso.tech/v1",
            &create_group_token("acme", "g", &token).request,
        );
        assert_eq!(command.matches("Bearer").count(), 1, "{command}");
        assert!(command.contains(AUTHORIZATION_ARGUMENT), "{command}");
        // In double quotes, so the shell expands the variable rather than sending its name.
        assert!(!command.contains("'Authorization"), "{command}");
        assert!(!command.contains('\n'), "{command}");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::super::*;
        use super::{request, shell_words};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_body_comes_back_from_the_shell(body in any::<String>().prop_filter("argv has no NUL", |b| !b.contains('\0'))) {
                let mut r = request(Method::Post, "/x");
                r.body = Some(body.clone());
                let words = shell_words(&curl_command("https://api.turso.tech/v1", &r));
                prop_assert_eq!(words.len(), 10);
                prop_assert_eq!(&words[8], "--data-raw");
                prop_assert_eq!(&words[9], &body);
            }

            #[test]
            fn any_path_and_query_come_back_from_the_shell(
                path in "/\\PC*",
                value in any::<String>(),
            ) {
                let mut r = request(Method::Get, &path);
                r.query = vec![("v".into(), value)];
                let words = shell_words(&curl_command("https://api.turso.tech/v1", &r));
                let url = format!("https://api.turso.tech/v1{}", r.path_and_query());
                let at = words.iter().position(|w| *w == url);
                prop_assert!(at == Some(1) || at == Some(2), "{:?}", words);
            }
        }
    }
}

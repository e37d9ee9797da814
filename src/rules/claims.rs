//! What a group token says about itself, read from its JWT payload. The signature is not
//! checked: the panel only shows what a token it was just handed claims, it never trusts it.
//! The claim names come from the open-source server (contract section 4.3); Turso Cloud may
//! add undocumented claims of its own, which are ignored.

use crate::api::TableRule;
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenClaims {
    pub read_only: bool,
    /// Unix seconds, from `exp`; `None` for a token that never expires.
    pub expires_at: Option<u64>,
    /// Databases the token may `ATTACH` to read, from `p.roa.ns`.
    pub read_attach: Vec<String>,
    /// Unix seconds, from `iat`.
    pub issued_at: Option<u64>,
    /// Fine-grained table permissions, from `fgp`: the sandbox's name for a claim Turso does
    /// not document (sandbox/README.md). A real token may carry them under another name,
    /// which is then not shown.
    pub table_rules: Vec<TableRule>,
}

/// The payload's claims that the panel reads; the rest are ignored.
#[derive(Deserialize)]
struct Payload<'a> {
    /// Legacy permission: `ro`, `rw` or `roa`.
    #[serde(default)]
    a: Option<String>,
    /// Legacy namespace.
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    p: Option<Scopes>,
    /// Kept as JSON text (no `serde_json::Value` in the bundle, see `api::error`): a time
    /// may have a fraction, and a wrong one is shown as sent.
    #[serde(borrow, default)]
    exp: Option<&'a RawValue>,
    #[serde(borrow, default)]
    iat: Option<&'a RawValue>,
    #[serde(default)]
    fgp: Option<Vec<TableRule>>,
}

/// The permission scopes present, each with its databases.
#[derive(Deserialize)]
struct Scopes {
    #[serde(default)]
    ro: Option<Scope>,
    #[serde(default)]
    rw: Option<Scope>,
    #[serde(default)]
    roa: Option<Scope>,
    #[serde(default)]
    rwa: Option<Scope>,
}

#[derive(Deserialize)]
struct Scope {
    #[serde(default, deserialize_with = "crate::api::null_as_empty")]
    ns: Vec<String>,
}

/// Reads the claims of a JWT (`header.payload.signature`). Surrounding whitespace from a
/// paste is ignored.
pub fn decode_claims(jwt: &str) -> Result<TokenClaims, String> {
    let jwt = jwt.trim();
    if jwt.is_empty() {
        return Err("The token is empty.".to_owned());
    }
    let parts: Vec<&str> = jwt.split('.').collect();
    let [_, payload, _] = parts[..] else {
        return Err(format!(
            "A token has three parts separated by dots; this one has {}.",
            parts.len()
        ));
    };
    let bytes = decode_base64url(payload)
        .ok_or_else(|| "The token's middle part is not base64url text.".to_owned())?;
    let payload: Payload = serde_json::from_slice(&bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data if bytes.trim_ascii_start().starts_with(b"{") => {
                format!("The token's claims are not those of a group token: {e}.")
            }
            Category::Data => "The token's claims are not a JSON object.".to_owned(),
            _ => format!("The token's claims are not JSON: {e}."),
        }
    })?;
    let scopes = payload.p.map_or([None, None, None, None], |p| {
        [p.ro, p.rw, p.roa, p.rwa].map(|scope| scope.map(|s| s.ns))
    });
    let [ro, rw, roa, rwa] = scopes;
    let reads = ro.is_some() || roa.is_some();
    let writes = rw.is_some() || rwa.is_some();
    let legacy = payload.a.as_deref();
    // A legacy `rw` keeps write access even when `p` only adds read ATTACH rights.
    let read_only =
        matches!(legacy, Some("ro" | "roa")) || (reads && !writes && legacy != Some("rw"));

    let mut read_attach = roa.unwrap_or_default();
    // The server reads a legacy `roa` as read ATTACH on the `id` namespace.
    if let (Some("roa"), Some(id)) = (legacy, payload.id) {
        if !read_attach.contains(&id) {
            read_attach.push(id);
        }
    }

    Ok(TokenClaims {
        read_only,
        expires_at: seconds("exp", payload.exp)?,
        read_attach,
        issued_at: seconds("iat", payload.iat)?,
        table_rules: payload.fgp.unwrap_or_default(),
    })
}

/// JWT times are numbers of seconds and may have a fraction, which is dropped.
fn seconds(claim: &str, value: Option<&RawValue>) -> Result<Option<u64>, String> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = value.get();
    let whole = serde_json::from_str::<u64>(text).ok().or_else(|| {
        serde_json::from_str::<f64>(text)
            .ok()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f as u64)
    });
    match whole {
        Some(whole) => Ok(Some(whole)),
        None => Err(format!("The token's “{claim}” is not a time: {text}.")),
    }
}

/// Base64url as JWTs use it (RFC 4648 §5). Padding is not expected, but tolerated.
fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    let text = text.strip_suffix('=').unwrap_or(text);
    let text = text.strip_suffix('=').unwrap_or(text);
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Base64url without padding, written independently of the decoder.
    fn encode(bytes: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    fn token(payload: &str) -> String {
        format!(
            "{}.{}.c2lnbmF0dXJl",
            encode(br#"{"alg":"EdDSA","typ":"JWT"}"#),
            encode(payload.as_bytes())
        )
    }

    #[test]
    fn the_test_encoder_matches_rfc_4648() {
        // RFC 4648 §10 vectors, without padding; and the two url-safe characters.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode_base64url(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode_base64url("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64url("Zg=="), Some(b"f".to_vec()));
    }

    #[test]
    fn full_access_that_never_expires() {
        let claims = decode_claims(&token(r#"{"iat":1700000000,"id":"3c1f","gid":"x"}"#));
        assert_eq!(
            claims,
            Ok(TokenClaims {
                read_only: false,
                expires_at: None,
                read_attach: vec![],
                issued_at: Some(1_700_000_000),
                table_rules: vec![],
            })
        );
        assert_eq!(decode_claims(&token("{}")), Ok(TokenClaims::default()));
        let legacy = decode_claims(&token(r#"{"a":"rw","id":"db"}"#)).unwrap();
        assert!(!legacy.read_only);
    }

    #[test]
    fn read_only_with_an_expiry() {
        let claims =
            decode_claims(&token(r#"{"a":"ro","exp":1700003600,"iat":1700000000}"#)).unwrap();
        assert!(claims.read_only);
        assert_eq!(claims.expires_at, Some(1_700_003_600));
        assert_eq!(claims.issued_at, Some(1_700_000_000));
        // A fractional time is read to the second.
        let fraction = decode_claims(&token(r#"{"exp":1700003600.75}"#)).unwrap();
        assert_eq!(fraction.expires_at, Some(1_700_003_600));
    }

    #[test]
    fn read_only_from_the_permissions_claim() {
        let read = |payload| decode_claims(&token(payload)).unwrap().read_only;
        assert!(read(r#"{"p":{"ro":{"ns":["db"]}}}"#));
        assert!(read(r#"{"p":{"roa":{"ns":["db"]}}}"#));
        assert!(read(r#"{"a":"roa","id":"db"}"#));
        assert!(!read(r#"{"p":{"ro":{"ns":["a"]},"rw":{"ns":["b"]}}}"#));
        assert!(!read(r#"{"p":{"roa":{"ns":["a"]},"rwa":{"ns":["b"]}}}"#));
        assert!(!read(r#"{"p":{"rw":{}}}"#));
        assert!(!read(r#"{"a":"rw","p":{"roa":{"ns":["other"]}}}"#));
        assert!(!read(r#"{"p":{}}"#));
    }

    #[test]
    fn table_rules_from_the_sandboxs_claim() {
        let claims = decode_claims(&token(
            r#"{"a":"rw","fgp":[{"a":["data_read"]},{"t":["comments"],"a":["data_add"]}]}"#,
        ))
        .unwrap();
        assert_eq!(
            claims.table_rules,
            [
                TableRule {
                    tables: None,
                    actions: vec!["data_read".into()]
                },
                TableRule {
                    tables: Some(vec!["comments".into()]),
                    actions: vec!["data_add".into()]
                },
            ]
        );
        assert!(decode_claims(&token(r#"{"a":"rw"}"#))
            .unwrap()
            .table_rules
            .is_empty());
    }

    #[test]
    fn read_attach_on_two_databases() {
        let claims = decode_claims(&token(
            r#"{"a":"rw","p":{"roa":{"ns":["db1","db2"]}},"x":[1]}"#,
        ))
        .unwrap();
        assert_eq!(claims.read_attach, ["db1", "db2"]);
        assert!(!claims.read_only);
        let legacy = decode_claims(&token(r#"{"a":"roa","id":"db3"}"#)).unwrap();
        assert_eq!(legacy.read_attach, ["db3"]);
        let scope_without_names = decode_claims(&token(r#"{"p":{"roa":{}}}"#)).unwrap();
        assert!(scope_without_names.read_attach.is_empty());
    }

    #[test]
    fn malformed_tokens_are_explained() {
        let payload = encode(b"{}");
        let cases = [
            ("", "The token is empty."),
            (
                "abc",
                "A token has three parts separated by dots; this one has 1.",
            ),
            (
                &format!("h.{payload}"),
                "A token has three parts separated by dots; this one has 2.",
            ),
            (
                &format!("h.{payload}.s.x"),
                "A token has three parts separated by dots; this one has 4.",
            ),
            ("h.e30!.s", "The token's middle part is not base64url text."),
            ("h.e30+.s", "The token's middle part is not base64url text."),
            (
                "h.e30aa.s",
                "The token's middle part is not base64url text.",
            ),
            (
                &format!("h.{}.s", encode(b"[1]")),
                "The token's claims are not a JSON object.",
            ),
        ];
        for (jwt, message) in cases {
            assert_eq!(decode_claims(jwt), Err(message.to_owned()), "{jwt:?}");
        }
        let not_json = decode_claims(&format!("h.{}.s", encode(b"hello"))).unwrap_err();
        assert!(
            not_json.starts_with("The token's claims are not JSON"),
            "{not_json}"
        );
        let soon = decode_claims(&token(r#"{"exp":"soon"}"#)).unwrap_err();
        assert_eq!(soon, "The token's “exp” is not a time: \"soon\".");
        for payload in [r#"{"a":1}"#, r#"{"p":{"ro":{"ns":"db"}}}"#] {
            let wrong = decode_claims(&token(payload)).unwrap_err();
            assert!(wrong.contains("not those of a group token"), "{wrong}");
        }
        let negative = decode_claims(&token(r#"{"exp":-5}"#)).unwrap_err();
        assert_eq!(negative, "The token's “exp” is not a time: -5.");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::super::*;
        use super::{encode, token};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_text_decodes_or_explains(text in "\\PC*") {
                if let Err(message) = decode_claims(&text) {
                    prop_assert!(!message.is_empty());
                }
            }

            #[test]
            fn any_payload_bytes_decode_or_explain(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
                if let Err(message) = decode_claims(&format!("h.{}.s", encode(&bytes))) {
                    prop_assert!(!message.is_empty());
                }
            }

            #[test]
            fn base64url_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
                prop_assert_eq!(decode_base64url(&encode(&bytes)), Some(bytes));
            }

            #[test]
            fn times_and_names_come_back(
                exp in any::<u64>(),
                names in prop::collection::vec("[a-z0-9-]{1,12}", 0..4),
            ) {
                let payload = serde_json::json!({"exp": exp, "p": {"roa": {"ns": names}}});
                let claims = decode_claims(&token(&payload.to_string())).unwrap();
                prop_assert_eq!(claims.expires_at, Some(exp));
                prop_assert_eq!(claims.read_attach, names);
            }
        }
    }
}

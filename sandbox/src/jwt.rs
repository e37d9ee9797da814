//! Group database tokens: compact JWTs signed with Ed25519 (EdDSA), as libsql-server checks.
//!
//! Each group's signing key is derived from a fixed seed, the group's uuid and its key
//! generation, so rotating (or transferring) the group changes the key and every token minted
//! before stops verifying. No randomness is involved, which keeps the crate wasm-friendly.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use serde_json::{Map, Value};
use sha2::{Digest, Sha512};

/// The only header this platform issues.
const HEADER: &str = r#"{"alg":"EdDSA","typ":"JWT"}"#;

pub(crate) fn signing_key(group_uuid: &str, generation: u32) -> SigningKey {
    let digest = Sha512::new()
        .chain_update(b"groups-console-sandbox/group-key")
        .chain_update(group_uuid.as_bytes())
        .chain_update(generation.to_be_bytes())
        .finalize();
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&digest[..32]);
    SigningKey::from_bytes(&seed)
}

pub(crate) fn mint(claims: &Map<String, Value>, key: &SigningKey) -> String {
    let claims = serde_json::to_string(claims).expect("claims serialize");
    let signing_input = format!(
        "{}.{}",
        encode(HEADER.as_bytes()),
        encode(claims.as_bytes())
    );
    let signature = key.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", encode(&signature.to_bytes()))
}

/// A token split and decoded, signature not yet checked.
pub(crate) struct Parsed {
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: Signature,
}

pub(crate) fn parse(jwt: &str) -> Result<Parsed, &'static str> {
    const MALFORMED: &str = "malformed token";
    let mut parts = jwt.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(MALFORMED);
    };
    let header: Value = decode(header)
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or(MALFORMED)?;
    if header.get("alg").and_then(Value::as_str) != Some("EdDSA") {
        return Err(MALFORMED);
    }
    let Some(Value::Object(claims_map)) =
        decode(claims).and_then(|bytes| serde_json::from_slice(&bytes).ok())
    else {
        return Err(MALFORMED);
    };
    let signature_bytes: [u8; 64] = decode(signature)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(MALFORMED)?;
    Ok(Parsed {
        claims: claims_map,
        signing_input: jwt[..jwt.len() - signature.len() - 1].to_string(),
        signature: Signature::from_bytes(&signature_bytes),
    })
}

impl Parsed {
    pub(crate) fn signed_by(&self, key: &SigningKey) -> bool {
        key.verifying_key()
            .verify(self.signing_input.as_bytes(), &self.signature)
            .is_ok()
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 7515 §2).
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
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

/// Inverse of [`encode`]; `None` on padding, foreign characters or an impossible length.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let value = ALPHABET.iter().position(|a| a == c)? as u32;
            n |= value << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_known_vectors() {
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
            assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(
            encode(HEADER.as_bytes()),
            "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9"
        );
        assert!(decode("Zg==").is_none());
        assert!(decode("Z").is_none());
        assert!(decode("Zm9+").is_none());
    }

    #[test]
    fn minted_tokens_verify_only_with_their_key() {
        let key = signing_key("uuid-1", 0);
        let mut claims = Map::new();
        claims.insert("a".into(), "rw".into());
        let token = mint(&claims, &key);
        let parsed = parse(&token).unwrap();
        assert_eq!(parsed.claims, claims);
        assert!(parsed.signed_by(&key));
        assert!(!parsed.signed_by(&signing_key("uuid-1", 1)));
        assert!(!parsed.signed_by(&signing_key("uuid-2", 0)));

        // Changing the claims breaks the signature.
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], encode(br#"{"a":"ro"}"#), parts[2]);
        assert!(!parse(&forged).unwrap().signed_by(&key));
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in ["", "a.b", "a.b.c.d", "eyJ.e30.AAAA", "!!.e30.AAAA"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}

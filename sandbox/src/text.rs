//! Percent-decoding and query-string parsing, shared by the handler and the server.

/// Decodes `%XX` escapes. Invalid escapes are kept as they are; invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(raw: &str) -> String {
    decode(raw, false)
}

/// Splits a raw query string (`a=1&b=x%20y`) into decoded pairs, `+` meaning a space,
/// the way Go's `url.ParseQuery` does.
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name, true), decode(value, true)),
            None => (decode(pair, true), String::new()),
        })
        .collect()
}

fn decode(raw: &str, plus_is_space: bool) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_and_keeps_bad_ones() {
        assert_eq!(percent_decode("my%20g"), "my g");
        assert_eq!(percent_decode("a%2Fb"), "a/b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("S%C3%A3o"), "São");
        assert_eq!(percent_decode("a+b"), "a+b");
    }

    #[test]
    fn parses_queries_like_go() {
        assert_eq!(
            parse_query("expiration=2w&authorization=read-only&x=a+b%21&flag"),
            vec![
                ("expiration".to_string(), "2w".to_string()),
                ("authorization".to_string(), "read-only".to_string()),
                ("x".to_string(), "a b!".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
        assert!(parse_query("").is_empty());
    }
}

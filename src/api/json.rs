//! A small JSON reader for the API's answers and the claims of a token. serde and
//! serde_json cost about 7 KB of the brotli bundle for the few shapes the panel reads;
//! this reads RFC 8259 JSON into a tree, and `types.rs` picks the fields out by hand.
//! The tests check it against serde_json.

/// A parsed JSON value. Numbers keep their text, so integers of any size stay exact.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in document order; a repeated key answers its last value, as serde_json does.
    Object(Vec<(String, Json)>),
}

/// Deeper nesting than any API answer, shallow enough that a hostile body cannot exhaust
/// the stack.
const MAX_DEPTH: usize = 128;

impl Json {
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = reader.value(0)?;
        reader.skip_space();
        if reader.at < reader.bytes.len() {
            return Err(reader.fail("trailing characters"));
        }
        Ok(value)
    }

    /// The member `key` of an object; `None` for a missing member, a null one, or a value
    /// that is not an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .filter(|v| **v != Json::Null),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A whole number; a fraction is dropped, as for JWT times. Exponents are not read:
    /// float parsing would bring kilobytes of tables into the bundle for numbers the API
    /// never sends.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) if !n.contains(['e', 'E']) => {
                n.split('.').next().and_then(|whole| whole.parse().ok())
            }
            _ => None,
        }
    }

    /// The value as JSON text again, for showing an unexpected value as it came.
    pub fn to_text(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::Number(n) => n.clone(),
            Json::String(s) => crate::api::calls::json_string(s),
            Json::Array(items) => {
                let items: Vec<String> = items.iter().map(Json::to_text).collect();
                format!("[{}]", items.join(","))
            }
            Json::Object(members) => {
                let members: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{}:{}", crate::api::calls::json_string(k), v.to_text()))
                    .collect();
                format!("{{{}}}", members.join(","))
            }
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn fail(&self, what: &str) -> String {
        format!("{what} at character {}", self.at + 1)
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.fail("expected a value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(self.fail("nested too deeply"));
        }
        match self.peek() {
            None => Err(self.fail("unexpected end")),
            Some(b'n') => self.word("null", Json::Null),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.fail("expected `,` or `]`"));
                        }
                    }
                }
                Ok(Json::Array(items))
            }
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        if self.peek() != Some(b'"') {
                            return Err(self.fail("expected a member name"));
                        }
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return Err(self.fail("expected `:`"));
                        }
                        members.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.fail("expected `,` or `}`"));
                        }
                    }
                }
                Ok(Json::Object(members))
            }
            Some(_) => Err(self.fail("expected a value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        let leading_zero = self.bytes.get(self.at) == Some(&b'0');
        let whole = self.digits();
        if whole == 0 || (leading_zero && whole > 1) {
            return Err(self.fail("invalid number"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        // The bytes matched above are ASCII, so this slice is on character boundaries.
        let text = std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or_default();
        Ok(Json::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let hex = self
            .bytes
            .get(self.at..self.at + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.fail("invalid \\u escape"))?;
        self.at += 4;
        Ok(hex)
    }

    /// Reads a string literal; the reader stands on its opening quote.
    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err(self.fail("unterminated string"));
            };
            self.at += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(&escape) = self.bytes.get(self.at) else {
                        return Err(self.fail("unterminated string"));
                    };
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code)
                                && self.bytes[self.at..].starts_with(b"\\u")
                            {
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.fail("invalid surrogate pair"));
                                }
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                            }
                            char::from_u32(code).ok_or_else(|| self.fail("lone surrogate"))?
                        }
                        _ => return Err(format!("invalid escape at character {}", self.at)),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1F => {
                    return Err(format!(
                        "control character in string at character {}",
                        self.at
                    ))
                }
                _ => out.push(byte),
            }
        }
        // The input was a `&str` and escapes push whole characters, so this is UTF-8.
        String::from_utf8(out).map_err(|_| self.fail("invalid UTF-8"))
    }
}

/// Reads one field of an API object into a Rust value, with a message naming the field when
/// it has the wrong type. Missing and null fields are `None`.
pub trait FromJson: Sized {
    fn from_json(value: &Json) -> Result<Self, String>;
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, String> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| "not a string".into())
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Bool(b) => Ok(*b),
            _ => Err("not true or false".into()),
        }
    }
}

impl FromJson for i64 {
    fn from_json(value: &Json) -> Result<Self, String> {
        value.as_i64().ok_or_else(|| "not a number".into())
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Array(items) => items.iter().map(T::from_json).collect(),
            _ => Err("not a list".into()),
        }
    }
}

impl Json {
    /// The member `key` read as `T`; `None` when missing or null.
    pub fn field<T: FromJson>(&self, key: &str) -> Result<Option<T>, String> {
        self.get(key)
            .map(|v| T::from_json(v).map_err(|e| format!("`{key}` is {e}")))
            .transpose()
    }

    /// Like `field`, for a member that must be there.
    pub fn required<T: FromJson>(&self, key: &str) -> Result<T, String> {
        self.field(key)?.ok_or_else(|| format!("no `{key}`"))
    }

    /// Fails unless the value is an object, naming what it is instead.
    pub fn object(&self) -> Result<&Json, String> {
        match self {
            Json::Object(_) => Ok(self),
            _ => Err("not an object".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's reading of the same text, in this module's terms.
    #[cfg(not(target_arch = "wasm32"))]
    fn from_serde(value: &serde_json::Value) -> Json {
        match value {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(n.to_string()),
            serde_json::Value::String(s) => Json::String(s.clone()),
            serde_json::Value::Array(items) => Json::Array(items.iter().map(from_serde).collect()),
            serde_json::Value::Object(members) => Json::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), from_serde(v)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn reads_what_the_api_sends() {
        let text = r#" {"group": {"name": "a\"b\u00e9\ud83d\ude00", "locations": ["lhr", "ams"],
            "archived": false, "n": -1.5e3, "x": null}} "#;
        let v = Json::parse(text).unwrap();
        let group = v.get("group").unwrap();
        assert_eq!(group.field::<String>("name").unwrap().unwrap(), "a\"bé😀");
        assert_eq!(
            group.field::<Vec<String>>("locations").unwrap().unwrap(),
            ["lhr", "ams"]
        );
        assert_eq!(group.field::<bool>("archived").unwrap(), Some(false));
        assert_eq!(group.get("n"), Some(&Json::Number("-1.5e3".into())));
        assert_eq!(group.field::<String>("x").unwrap(), None);
        assert_eq!(group.field::<String>("missing").unwrap(), None);
        assert_eq!(
            group.field::<String>("archived").unwrap_err(),
            "`archived` is not a string"
        );
        assert_eq!(group.required::<String>("uuid").unwrap_err(), "no `uuid`");
    }

    #[test]
    fn a_repeated_key_answers_its_last_value() {
        let v = Json::parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert_eq!(v.field::<i64>("a").unwrap(), Some(2));
    }

    #[test]
    fn malformed_text_is_refused_with_a_position() {
        for (text, message) in [
            ("", "unexpected end at character 1"),
            ("<html>", "expected a value at character 1"),
            ("{\"a\" 1}", "expected `:` at character 6"),
            ("[1 2]", "expected `,` or `]` at character 4"),
            ("{\"a\":1,}", "expected a member name at character 8"),
            ("01", "invalid number at character 3"),
            ("1.", "invalid number at character 3"),
            ("\"\\x\"", "invalid escape at character 3"),
            ("\"abc", "unterminated string at character 5"),
            ("\"\\udc00\"", "lone surrogate at character 8"),
            ("\"a\nb\"", "control character in string at character 3"),
            ("nul", "expected a value at character 1"),
            ("{} x", "trailing characters at character 4"),
        ] {
            assert_eq!(Json::parse(text), Err(message.to_owned()), "{text:?}");
        }
        let deep = "[".repeat(10_000);
        assert!(Json::parse(&deep)
            .unwrap_err()
            .starts_with("nested too deeply"));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn any_json() -> impl Strategy<Value = serde_json::Value> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::from),
                any::<i64>().prop_map(serde_json::Value::from),
                any::<u64>().prop_map(serde_json::Value::from),
                // Binary fractions: serde_json's default float reading is not exact for every text.
                (-1_000_000i32..1_000_000)
                    .prop_map(|n| serde_json::Value::from(f64::from(n) / 64.0)),
                "\\PC*".prop_map(serde_json::Value::from),
                any::<String>().prop_map(serde_json::Value::from),
            ];
            leaf.prop_recursive(4, 64, 8, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::from),
                    prop::collection::btree_map(any::<String>(), inner, 0..8)
                        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            /// Whatever serde_json writes, compact or pretty, reads back as serde_json reads it.
            #[test]
            fn agrees_with_serde_json(value in any_json()) {
                let expected = from_serde(&value);
                prop_assert_eq!(Json::parse(&value.to_string()), Ok(expected.clone()));
                let pretty = serde_json::to_string_pretty(&value).unwrap();
                prop_assert_eq!(Json::parse(&pretty), Ok(expected.clone()));
                // Written back out, the text means the same to serde_json.
                let again: serde_json::Value = serde_json::from_str(&expected.to_text()).unwrap();
                prop_assert_eq!(again, value);
            }

            /// Random text never panics; it parses exactly when serde_json accepts it.
            #[test]
            fn refuses_what_serde_json_refuses(text in "[\\[\\]{}\":,0-9a-z\\\\. -]{0,24}") {
                let ours = Json::parse(&text);
                let theirs = serde_json::from_str::<serde_json::Value>(&text);
                prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?}", text, ours);
            }
        }
    }
}

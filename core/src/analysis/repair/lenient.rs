//! A lenient, linear-time JSON reader for what models really write: trailing commas, single
//! quotes, unquoted keys and words, `//` and `/* */` comments, missing commas between members,
//! raw newlines in strings, Python's `True`/`False`/`None`, and (optionally) output cut short.
//!
//! Every byte is looked at a bounded number of times; nesting is limited; nothing panics.

use serde_json::{Map, Number, Value};

use super::ParseError;

/// Parse one value at the start of `text` (after whitespace and comments).
///
/// `allow_truncated`: at the end of input, close open strings, arrays and objects instead of
/// failing (a reply cut off by a token limit keeps the fields it finished).
/// Returns the value and the byte offset just past it.
pub(crate) fn parse_value_prefix(
    text: &str,
    max_depth: usize,
    allow_truncated: bool,
) -> Result<(Value, usize), ParseError> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
        depth: 0,
        max_depth,
        allow_truncated,
    };
    p.skip_ws();
    let v = p.value()?;
    Ok((v, p.pos))
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
    allow_truncated: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn at_eof(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn syntax(&self, expected: &'static str) -> ParseError {
        ParseError::Syntax {
            offset: self.pos,
            expected,
            found: self.found(),
        }
    }

    fn found(&self) -> String {
        match self.s.get(self.pos..) {
            None | Some([]) => "end of input".to_string(),
            Some(rest) => {
                let take = rest.len().min(12);
                let lossy = String::from_utf8_lossy(rest.get(..take).unwrap_or_default());
                format!("{lossy:?}")
            }
        }
    }

    /// Whitespace, `//` line comments, `/* */` block comments and `#` line comments.
    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c => self.pos += 1,
                b'/' if self.s.get(self.pos + 1) == Some(&b'/') => self.skip_line(),
                b'#' => self.skip_line(),
                b'/' if self.s.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    loop {
                        match self.peek() {
                            None => break,
                            Some(b'*') if self.s.get(self.pos + 1) == Some(&b'/') => {
                                self.pos += 2;
                                break;
                            }
                            Some(_) => self.pos += 1,
                        }
                    }
                }
                // A non-breaking space (U+00A0) or BOM (U+FEFF) between tokens.
                0xC2 if self.s.get(self.pos + 1) == Some(&0xA0) => self.pos += 2,
                0xEF if self.s.get(self.pos + 1..self.pos + 3) == Some(&[0xBB, 0xBF][..]) => {
                    self.pos += 3
                }
                _ => break,
            }
        }
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == b'\n' {
                break;
            }
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(ParseError::TooDeep {
                offset: self.pos,
                limit: self.max_depth,
            });
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        match self.peek() {
            None => Err(self.syntax("a value")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(q @ (b'"' | b'\'')) => self.string(q).map(Value::String),
            // Curly quotes used as string delimiters: “…”.
            Some(0xE2) if self.curly_open() => self.curly_string().map(Value::String),
            Some(b'-' | b'+' | b'.' | b'0'..=b'9') => self.number(),
            Some(_) => self.bare_word(),
        }
    }

    fn object(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        self.pos += 1; // '{'
        let mut map = Map::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None if self.allow_truncated => break,
                None => return Err(self.syntax("a key or '}'")),
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                Some(_) => {}
            }
            let key = self.key()?;
            self.skip_ws();
            match self.peek() {
                Some(b':' | b'=') => self.pos += 1,
                None if self.allow_truncated => break,
                _ => return Err(self.syntax("':' after a key")),
            }
            self.skip_ws();
            if self.at_eof() && self.allow_truncated {
                break;
            }
            let v = self.value()?;
            map.insert(key, v);
        }
        self.depth -= 1;
        Ok(Value::Object(map))
    }

    fn array(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        self.pos += 1; // '['
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None if self.allow_truncated => break,
                None => return Err(self.syntax("a value or ']'")),
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                Some(_) => items.push(self.value()?),
            }
        }
        self.depth -= 1;
        Ok(Value::Array(items))
    }

    fn key(&mut self) -> Result<String, ParseError> {
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => self.string(q),
            Some(0xE2) if self.curly_open() => self.curly_string(),
            Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric()
                        || matches!(c, b'_' | b'$' | b'-' | b' ')
                        || c >= 0x80
                    {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                Ok(self.lossy(start, self.pos).trim_end().to_string())
            }
            _ => Err(self.syntax("a key")),
        }
    }

    fn lossy(&self, start: usize, end: usize) -> String {
        String::from_utf8_lossy(self.s.get(start..end).unwrap_or_default()).into_owned()
    }

    fn string(&mut self, quote: u8) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                if self.allow_truncated {
                    break;
                }
                return Err(self.syntax("the closing quote of a string"));
            };
            self.pos += 1;
            if c == quote {
                break;
            }
            if c != b'\\' {
                out.push(c);
                continue;
            }
            let Some(e) = self.peek() else { continue };
            self.pos += 1;
            match e {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'b' => out.push(0x08),
                b'f' => out.push(0x0c),
                b'u' => {
                    let ch = self.unicode_escape();
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                other => out.push(other),
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.pos..self.pos + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        let v = u32::from_str_radix(text, 16).ok()?;
        self.pos += 4;
        Some(v)
    }

    /// After `\u`: one code point, pairing surrogates; anything invalid becomes U+FFFD.
    fn unicode_escape(&mut self) -> char {
        let Some(hi) = self.hex4() else {
            return char::REPLACEMENT_CHARACTER;
        };
        if (0xD800..0xDC00).contains(&hi) {
            if self.s.get(self.pos..self.pos + 2) == Some(&b"\\u"[..]) {
                let save = self.pos;
                self.pos += 2;
                if let Some(lo) = self.hex4().filter(|lo| (0xDC00..0xE000).contains(lo)) {
                    let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
                }
                self.pos = save;
            }
            return char::REPLACEMENT_CHARACTER;
        }
        char::from_u32(hi).unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    /// “ (E2 80 9C) opens a curly-quoted string.
    fn curly_open(&self) -> bool {
        self.s.get(self.pos..self.pos + 3) == Some(&[0xE2, 0x80, 0x9C][..])
    }

    fn curly_string(&mut self) -> Result<String, ParseError> {
        self.pos += 3;
        let start = self.pos;
        loop {
            match self.s.get(self.pos..self.pos + 3) {
                Some([0xE2, 0x80, 0x9D]) => {
                    let s = self.lossy(start, self.pos);
                    self.pos += 3;
                    return Ok(s);
                }
                _ if self.at_eof() => {
                    if self.allow_truncated {
                        return Ok(self.lossy(start, self.pos));
                    }
                    return Err(self.syntax("a closing ” quote"));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'-' | b'+') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let raw = self.lossy(start, self.pos);
        let text = raw.trim_start_matches('+');
        // A number directly followed by letters or a slash ("4/5", "2k") is a word, not a number.
        if let Some(c) = self.peek()
            && (c.is_ascii_alphabetic() || c == b'/' || c == b'%')
        {
            self.pos = start;
            return self.bare_word();
        }
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = text.parse::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        match text.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Ok(Value::Number(n)),
            None => {
                self.pos = start;
                Err(self.syntax("a number"))
            }
        }
    }

    /// An unquoted word: `true`, `None`, or text up to the next delimiter (kept as a string).
    fn bare_word(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if matches!(c, b',' | b'}' | b']' | b'\n' | b'\r') {
                break;
            }
            if c == b'/' && matches!(self.s.get(self.pos + 1), Some(b'/' | b'*')) {
                break;
            }
            self.pos += 1;
        }
        let word = self.lossy(start, self.pos);
        let word = word.trim();
        if word.is_empty() {
            return Err(self.syntax("a value"));
        }
        Ok(match word {
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            "null" | "Null" | "NULL" | "None" | "nil" | "undefined" => Value::Null,
            other => Value::String(other.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(s: &str) -> Value {
        parse_value_prefix(s, 32, false)
            .map(|(v, _)| v)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn model_style_json_is_read() {
        let v = parse(
            "{\n  // the type\n  response_type: 'high_value', /* score */ \"score\": 4,\n  'tags': ['a', 'b',],\n  ok: True, none: None,\n}",
        );
        assert_eq!(
            v,
            json!({"response_type": "high_value", "score": 4, "tags": ["a", "b"], "ok": true, "none": null})
        );
    }

    #[test]
    fn escapes_and_surrogates_decode() {
        assert_eq!(parse(r#""a\nb\u00e9\ud83d\ude00""#), json!("a\nbé😀"));
        assert_eq!(parse(r#""\ud83d""#), json!("\u{FFFD}"));
    }

    #[test]
    fn number_followed_by_slash_is_a_word() {
        assert_eq!(parse("{s: 4/5}"), json!({"s": "4/5"}));
        assert_eq!(parse("[2k, 4.0, -3]"), json!(["2k", 4.0, -3]));
    }

    #[test]
    fn truncated_output_keeps_finished_fields() {
        let (v, _) = parse_value_prefix(r#"{"a": 1, "b": ["x", "y"#, 32, true).unwrap_or_default();
        assert_eq!(v, json!({"a": 1, "b": ["x", "y"]}));
        assert!(parse_value_prefix(r#"{"a": 1, "b": ["x""#, 32, false).is_err());
    }

    #[test]
    fn nesting_is_limited() {
        let deep = "[".repeat(100);
        assert!(matches!(
            parse_value_prefix(&deep, 32, true),
            Err(ParseError::TooDeep { limit: 32, .. })
        ));
    }
}

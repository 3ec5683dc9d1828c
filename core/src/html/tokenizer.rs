//! A small, tolerant HTML tokenizer: one pass over the input, never backtracking.
//!
//! It yields text runs, start tags (with attributes) and end tags; comments, doctypes and
//! processing instructions are skipped. The content of raw-text elements (`script`, `style`,
//! `title`, `textarea`, `xmp`, `noframes`) is returned as one [`Token::RawText`] so the renderer can
//! drop it. Malformed markup degrades to text, as a browser would show it, and never panics.

/// Longest tag or attribute name kept; longer names are cut (they match nothing we look for).
const MAX_NAME_LEN: usize = 64;

/// One attribute of a start tag: lowercase name and raw (entity-encoded) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attr<'a> {
    pub name: String,
    pub value: &'a str,
}

/// One token of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// Character data, still entity-encoded.
    Text(&'a str),
    /// The content of a raw-text element (script, style, title, …).
    RawText,
    /// `<name attr=value …>`; `self_closing` for `<name/>`.
    Start {
        name: String,
        attrs: Vec<Attr<'a>>,
        self_closing: bool,
    },
    /// `</name>`.
    End { name: String },
}

/// Elements whose content is not markup and runs to the matching end tag.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "title" | "textarea" | "xmp" | "noframes" | "iframe" | "noembed"
    )
}

/// The tokenizer: an iterator over [`Token`]s.
#[derive(Debug)]
pub(crate) struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    /// Set after a raw-text start tag: the element whose end tag closes the raw text.
    raw_until: Option<String>,
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer over `src`.
    pub(crate) fn new(src: &'a str) -> Self {
        Self {
            src,
            pos: 0,
            raw_until: None,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    /// Index of the next `needle` byte at or after `from`, or the end of input.
    fn find_byte(&self, from: usize, needle: u8) -> usize {
        self.bytes()
            .get(from..)
            .and_then(|rest| rest.iter().position(|&b| b == needle))
            .map_or(self.src.len(), |i| from + i)
    }

    /// Index just past the next occurrence of `needle` at or after `from`, or the end of input.
    fn skip_past(&self, from: usize, needle: &str) -> usize {
        match self.src.get(from..).and_then(|rest| rest.find(needle)) {
            Some(i) => from + i + needle.len(),
            None => self.src.len(),
        }
    }

    /// Skip a raw-text element's content: up to (not including) `</name`, case-insensitively.
    fn raw_text(&mut self, name: &str) -> Token<'a> {
        let bytes = self.bytes();
        let mut i = self.pos;
        loop {
            i = self.find_byte(i, b'<');
            if i >= bytes.len() {
                break;
            }
            let after = i + 2;
            if bytes.get(i + 1) == Some(&b'/')
                && bytes
                    .get(after..after + name.len())
                    .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
                && !bytes
                    .get(after + name.len())
                    .is_some_and(|b| b.is_ascii_alphanumeric())
            {
                break;
            }
            i += 1;
        }
        self.pos = i;
        Token::RawText
    }

    /// Read a name (tag or attribute) starting at `i`: returns the lowercase name and the end.
    fn read_name(&self, mut i: usize, stop_at_eq: bool) -> (String, usize) {
        let bytes = self.bytes();
        let start = i;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_whitespace() || b == b'>' || b == b'/' || (stop_at_eq && b == b'=') {
                break;
            }
            i += 1;
        }
        let raw = self.src.get(start..i).unwrap_or_default();
        let mut name = String::with_capacity(raw.len().min(MAX_NAME_LEN));
        for c in raw.chars().take(MAX_NAME_LEN) {
            name.extend(c.to_lowercase());
        }
        (name, i)
    }

    /// Parse a start tag whose name starts at `i` (just after `<`).
    fn start_tag(&mut self, i: usize) -> Token<'a> {
        let bytes = self.bytes();
        let (name, mut i) = self.read_name(i, false);
        let mut attrs = Vec::new();
        let mut self_closing = false;
        loop {
            while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
                i += 1;
            }
            match bytes.get(i) {
                None => break,
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'/') => {
                    i += 1;
                    if bytes.get(i) == Some(&b'>') {
                        self_closing = true;
                    }
                    continue;
                }
                Some(_) => {}
            }
            let (attr_name, after_name) = self.read_name(i, true);
            i = after_name;
            if attr_name.is_empty() {
                // A stray `=` or similar: step over it.
                i += 1;
                continue;
            }
            while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
                i += 1;
            }
            let mut value = "";
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let end = self.find_byte(i + 1, q);
                        value = self.src.get(i + 1..end).unwrap_or_default();
                        i = (end + 1).min(bytes.len());
                    }
                    _ => {
                        let start = i;
                        while let Some(&b) = bytes.get(i) {
                            if b.is_ascii_whitespace() || b == b'>' {
                                break;
                            }
                            i += 1;
                        }
                        value = self.src.get(start..i).unwrap_or_default();
                    }
                }
            }
            if attrs.len() < 64 {
                attrs.push(Attr {
                    name: attr_name,
                    value,
                });
            }
        }
        self.pos = i;
        if is_raw_text(&name) && !self_closing {
            self.raw_until = Some(name.clone());
        }
        Token::Start {
            name,
            attrs,
            self_closing,
        }
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        if let Some(name) = self.raw_until.take()
            && self.pos < self.src.len()
        {
            return Some(self.raw_text(&name));
        }
        let bytes = self.bytes();
        loop {
            let start = self.pos;
            if start >= bytes.len() {
                return None;
            }
            if bytes.get(start) != Some(&b'<') {
                let end = self.find_byte(start, b'<');
                self.pos = end;
                return Some(Token::Text(self.src.get(start..end).unwrap_or_default()));
            }
            // At a `<`.
            match bytes.get(start + 1) {
                Some(b'!') => {
                    self.pos = if bytes.get(start + 2..start + 4) == Some(b"--") {
                        self.skip_past(start + 4, "-->")
                    } else {
                        self.skip_past(start + 2, ">")
                    };
                }
                Some(b'?') => self.pos = self.skip_past(start + 2, ">"),
                Some(b'/') if bytes.get(start + 2).is_some_and(u8::is_ascii_alphabetic) => {
                    let (name, _) = self.read_name(start + 2, false);
                    self.pos = self.skip_past(start + 2, ">");
                    return Some(Token::End { name });
                }
                // `</>` or `</ …`: a bogus comment in HTML terms.
                Some(b'/') => self.pos = self.skip_past(start + 2, ">"),
                Some(b) if b.is_ascii_alphabetic() => return Some(self.start_tag(start + 1)),
                _ => {
                    // A lone `<`: it is text.
                    let end = self.find_byte(start + 1, b'<');
                    self.pos = end;
                    return Some(Token::Text(self.src.get(start..end).unwrap_or_default()));
                }
            }
        }
    }
}

/// The value of attribute `name` among `attrs`, if present.
pub(crate) fn attr<'a>(attrs: &[Attr<'a>], name: &str) -> Option<&'a str> {
    attrs.iter().find(|a| a.name == name).map(|a| a.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<Token<'_>> {
        Tokenizer::new(s).collect()
    }

    #[test]
    fn start_tag_attributes_are_read_with_and_without_quotes() {
        let t = tokens(r#"<DIV Class="a b" id=x data-q='1>2'>hi</div>"#);
        let Some(Token::Start { name, attrs, .. }) = t.first() else {
            panic!("no start tag: {t:?}");
        };
        assert_eq!(name, "div");
        assert_eq!(attr(attrs, "class"), Some("a b"));
        assert_eq!(attr(attrs, "id"), Some("x"));
        assert_eq!(attr(attrs, "data-q"), Some("1>2"));
        assert_eq!(t.get(1), Some(&Token::Text("hi")));
        assert_eq!(t.get(2), Some(&Token::End { name: "div".into() }));
    }

    #[test]
    fn comments_and_doctype_are_skipped() {
        let t = tokens("<!DOCTYPE html><!-- <b>x</b> -->a<?xml x?>b");
        assert_eq!(t, vec![Token::Text("a"), Token::Text("b")]);
    }

    #[test]
    fn script_content_is_raw_text_up_to_its_end_tag() {
        let t = tokens("<script>if (a<b) {}</b></SCRIPT >x");
        assert_eq!(t.get(1), Some(&Token::RawText));
        assert_eq!(
            t.get(2),
            Some(&Token::End {
                name: "script".into()
            })
        );
        assert_eq!(t.get(3), Some(&Token::Text("x")));
    }

    #[test]
    fn lone_angle_brackets_are_text() {
        let t = tokens("a < b <3 <");
        let text: String = t
            .iter()
            .map(|t| match t {
                Token::Text(s) => *s,
                _ => "",
            })
            .collect();
        assert_eq!(text, "a < b <3 <");
    }

    #[test]
    fn unterminated_constructs_end_at_input_end() {
        assert_eq!(tokens("<!-- never closed").len(), 0);
        assert_eq!(tokens("<div class=\"open").len(), 1);
        assert_eq!(tokens("<style>body{}").len(), 2);
    }
}

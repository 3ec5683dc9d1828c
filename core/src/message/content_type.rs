//! `Content-Type` and `Content-Disposition` values, with RFC 2231 parameters.

use std::collections::HashMap;

use super::charset;
use super::encoded_word::decode_words;
use super::transfer::hex_value;

/// A parsed `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContentType {
    /// The type, lowercase (`text`).
    pub main: String,
    /// The subtype, lowercase (`plain`).
    pub sub: String,
    /// Parameters: names lowercase, values decoded (quotes, RFC 2231 and RFC 2047 undone).
    pub params: Vec<(String, String)>,
}

impl ContentType {
    /// `text/plain`, the default of RFC 2045 §5.2.
    pub fn text_plain() -> Self {
        Self::new("text", "plain")
    }

    /// `message/rfc822`, the default inside `multipart/digest`.
    pub fn message_rfc822() -> Self {
        Self::new("message", "rfc822")
    }

    fn new(main: &str, sub: &str) -> Self {
        Self {
            main: main.to_string(),
            sub: sub.to_string(),
            params: Vec::new(),
        }
    }

    /// Whether this is `main/sub`.
    pub fn is(&self, main: &str, sub: &str) -> bool {
        self.main == main && self.sub == sub
    }

    /// A parameter by (lowercase) name.
    pub fn param(&self, name: &str) -> Option<&str> {
        param(&self.params, name)
    }

    /// `main/sub`.
    pub fn mime(&self) -> String {
        format!("{}/{}", self.main, self.sub)
    }

    /// `main/sub; name=value; …`, values quoted where they need it.
    pub fn render(&self) -> String {
        let mut out = self.mime();
        for (name, value) in &self.params {
            out.push_str("; ");
            out.push_str(name);
            out.push('=');
            let plain = !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?=".contains(c));
            if plain {
                out.push_str(value);
            } else {
                out.push('"');
                out.push_str(&value.replace('\\', "\\\\").replace('"', "\\\""));
                out.push('"');
            }
        }
        out
    }
}

/// A parsed `Content-Disposition`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Disposition {
    /// `inline`, `attachment`, … (lowercase).
    pub kind: String,
    /// Parameters, as for [`ContentType::params`].
    pub params: Vec<(String, String)>,
}

impl Disposition {
    /// A parameter by (lowercase) name.
    pub fn param(&self, name: &str) -> Option<&str> {
        param(&self.params, name)
    }
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Parse a `Content-Type` value (unfolded). `None` when there is no `type/subtype`.
pub(crate) fn parse_content_type(value: &str, notes: &mut Vec<String>) -> Option<ContentType> {
    let (mime, rest) = value.split_once(';').unwrap_or((value, ""));
    let (main, sub) = mime.split_once('/')?;
    let main = main.trim().trim_matches('"').to_ascii_lowercase();
    let sub = sub.trim().trim_matches('"').to_ascii_lowercase();
    let token = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '/');
    if !token(&main) || !token(&sub) {
        return None;
    }
    Some(ContentType {
        main,
        sub,
        params: parse_params(rest, notes),
    })
}

/// Parse a `Content-Disposition` value (unfolded).
pub(crate) fn parse_disposition(value: &str, notes: &mut Vec<String>) -> Disposition {
    let (kind, rest) = value.split_once(';').unwrap_or((value, ""));
    Disposition {
        kind: kind.trim().trim_matches('"').to_ascii_lowercase(),
        params: parse_params(rest, notes),
    }
}

/// Split `name=value; name="quoted value"; …` into raw pairs.
fn raw_params(input: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ';').is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && *c != ';') {
            name.push(c);
        }
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    c => value.push(c),
                }
            }
            // Anything between the closing quote and the next `;` is dropped.
            while chars.next_if(|c| *c != ';').is_some() {}
        } else {
            while let Some(c) = chars.next_if(|c| *c != ';') {
                value.push(c);
            }
            value = value.trim().to_string();
        }
        let name = name.trim().to_ascii_lowercase();
        if !name.is_empty() {
            pairs.push((name, value));
        }
    }
    pairs
}

/// One piece of an RFC 2231 parameter.
struct Section {
    base: String,
    index: Option<usize>,
    extended: bool,
    value: String,
}

fn section(name: String, value: String) -> Section {
    let (stem, extended) = match name.strip_suffix('*') {
        Some(stem) => (stem.to_string(), true),
        None => (name, false),
    };
    if let Some((base, index)) = stem.rsplit_once('*')
        && let Ok(index) = index.parse::<usize>()
    {
        return Section {
            base: base.to_string(),
            index: Some(index),
            extended,
            value,
        };
    }
    Section {
        base: stem,
        index: None,
        extended,
        value,
    }
}

/// `%XX` escapes to bytes; a stray `%` is kept.
fn percent_decode(value: &str, out: &mut Vec<u8>) {
    let bytes = value.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex_value),
                bytes.get(i + 2).copied().and_then(hex_value),
            )
        {
            out.push(hi << 4 | lo);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
}

/// Decode parameters: quoted strings, RFC 2231 charsets and continuations, and (as mailers send
/// them) RFC 2047 encoded words inside plain values. An extended value wins over a plain one.
fn parse_params(input: &str, notes: &mut Vec<String>) -> Vec<(String, String)> {
    let mut groups: Vec<(String, Vec<Section>)> = Vec::new();
    let mut slots: HashMap<String, usize> = HashMap::new();
    for (name, value) in raw_params(input) {
        let piece = section(name, value);
        let slot = *slots.entry(piece.base.clone()).or_insert_with(|| {
            groups.push((piece.base.clone(), Vec::new()));
            groups.len() - 1
        });
        if let Some((_, pieces)) = groups.get_mut(slot) {
            pieces.push(piece);
        }
    }
    groups
        .into_iter()
        .map(|(base, pieces)| {
            let (mut extended, plain): (Vec<Section>, Vec<Section>) = pieces
                .into_iter()
                .partition(|s| s.extended || s.index.is_some());
            let value = if extended.is_empty() {
                let plain = plain.first().map(|s| s.value.as_str()).unwrap_or_default();
                let decoded = decode_words(plain);
                notes.extend(decoded.note);
                decoded.text
            } else {
                extended.sort_by_key(|s| s.index.unwrap_or(0));
                join_2231(&extended, notes)
            };
            (base, value)
        })
        .collect()
}

/// Join RFC 2231 pieces (sorted by index) into text.
fn join_2231(pieces: &[Section], notes: &mut Vec<String>) -> String {
    let mut bytes = Vec::new();
    let mut charset_label: Option<String> = None;
    for (i, piece) in pieces.iter().enumerate() {
        if piece.extended {
            let mut value = piece.value.as_str();
            if i == 0 {
                let mut parts = value.splitn(3, '\'');
                if let (Some(cs), Some(_lang), Some(rest)) =
                    (parts.next(), parts.next(), parts.next())
                {
                    charset_label = Some(cs.to_string()).filter(|c| !c.is_empty());
                    value = rest;
                }
            }
            percent_decode(value, &mut bytes);
        } else {
            bytes.extend_from_slice(piece.value.as_bytes());
        }
    }
    let decoded = charset::decode(&bytes, charset_label.as_deref());
    notes.extend(decoded.note);
    decoded.text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ct(value: &str) -> ContentType {
        parse_content_type(value, &mut Vec::new()).unwrap()
    }

    #[test]
    fn type_and_quoted_parameters_are_read() {
        let c = ct("Multipart/Report; report-type=delivery-status;\tboundary=\"a;b c\"");
        assert!(c.is("multipart", "report"));
        assert_eq!(c.param("report-type"), Some("delivery-status"));
        assert_eq!(c.param("boundary"), Some("a;b c"));
        assert_eq!(
            c.render(),
            "multipart/report; report-type=delivery-status; boundary=\"a;b c\""
        );
    }

    #[test]
    fn rfc2231_charset_and_continuations_are_joined() {
        let d = parse_disposition(
            "attachment; filename*0*=utf-8''r%C3%A9sum; filename*1*=%C3%A9; filename*2=.pdf",
            &mut Vec::new(),
        );
        assert_eq!(d.kind, "attachment");
        assert_eq!(d.param("filename"), Some("résumé.pdf"));
    }

    #[test]
    fn extended_value_wins_over_plain_one() {
        let d = parse_disposition(
            "inline; filename=\"fallback.txt\"; filename*=iso-8859-1'fr'caf%E9.txt",
            &mut Vec::new(),
        );
        assert_eq!(d.param("filename"), Some("café.txt"));
    }

    #[test]
    fn encoded_words_in_quoted_names_are_decoded() {
        let c = ct("application/pdf; name=\"=?UTF-8?B?w6l0w6kucGRm?=\"");
        assert_eq!(c.param("name"), Some("été.pdf"));
    }

    #[test]
    fn values_without_a_subtype_are_not_content_types() {
        assert!(parse_content_type("text", &mut Vec::new()).is_none());
        assert!(parse_content_type("/plain", &mut Vec::new()).is_none());
    }
}

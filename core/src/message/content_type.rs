//! `Content-Type` and `Content-Disposition` values, with RFC 2231 parameters.

use std::collections::HashMap;

use super::charset;
use super::encoded_word::decode_words;
use super::transfer::unescape_hex;

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

/// The `name=value` pairs of a parameter list (`name=value; name="quoted value"; …`), in one
/// pass: names trimmed, values trimmed or unquoted, backslash escapes in quoted values left as
/// written (see [`unescape`]). A parameter without `=` is skipped, and so is anything between a
/// closing quote and the next `;`.
fn raw_params(input: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = input;
    std::iter::from_fn(move || {
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
            if rest.is_empty() {
                return None;
            }
            let Some(eq) = rest
                .find(['=', ';'])
                .filter(|&i| rest.as_bytes().get(i) == Some(&b'='))
            else {
                rest = rest
                    .find(';')
                    .map_or("", |i| rest.get(i..).unwrap_or_default());
                continue;
            };
            let name = rest.get(..eq).unwrap_or_default().trim();
            let after = rest
                .get(eq + 1..)
                .unwrap_or_default()
                .trim_start_matches([' ', '\t']);
            let value = if let Some(quoted) = after.strip_prefix('"') {
                let end = quoted_end(quoted);
                let tail = quoted.get(end + 1..).unwrap_or_default();
                rest = tail
                    .find(';')
                    .map_or("", |i| tail.get(i..).unwrap_or_default());
                quoted.get(..end).unwrap_or_default()
            } else {
                let end = after.find(';').unwrap_or(after.len());
                rest = after.get(end..).unwrap_or_default();
                after.get(..end).unwrap_or_default().trim()
            };
            if !name.is_empty() {
                return Some((name, value));
            }
        }
    })
}

/// Byte index of the closing quote of a quoted string's content (or its end), past escapes.
fn quoted_end(s: &str) -> usize {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i,
            _ => {}
        }
    }
    s.len()
}

/// A quoted string's content with its backslash escapes undone.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// The value of parameter `name` (ASCII case-insensitive) in a whole header value such as
/// `multipart/form-data; boundary="x"`, without its quotes, backslash escapes as written; no
/// RFC 2231 or RFC 2047 decoding. For the request headers of a webhook, where only plain tokens
/// (`boundary`, `charset`) are looked up.
pub(crate) fn raw_param<'h>(value: &'h str, name: &str) -> Option<&'h str> {
    let params = value.split_once(';').map_or("", |(_, rest)| rest);
    raw_params(params)
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
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

/// Decode parameters: quoted strings, RFC 2231 charsets and continuations, and (as mailers send
/// them) RFC 2047 encoded words inside plain values. An extended value wins over a plain one.
fn parse_params(input: &str, notes: &mut Vec<String>) -> Vec<(String, String)> {
    let mut groups: Vec<(String, Vec<Section>)> = Vec::new();
    let mut slots: HashMap<String, usize> = HashMap::new();
    for (name, value) in raw_params(input) {
        let piece = section(name.to_ascii_lowercase(), unescape(value));
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
            unescape_hex(value.as_bytes(), b'%', None, &mut bytes);
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
    fn valueless_parameters_and_junk_after_quotes_are_skipped() {
        let c = ct("text/plain; flowed; charset=\"utf-8\" junk; Format = flowed ;");
        assert_eq!(
            c.params,
            [
                ("charset".to_string(), "utf-8".to_string()),
                ("format".to_string(), "flowed".to_string())
            ]
        );
    }

    #[test]
    fn a_raw_parameter_is_borrowed_with_its_escapes() {
        let value = "multipart/form-data; Boundary=\"a\\\"b\"; charset=latin1";
        assert_eq!(raw_param(value, "boundary"), Some("a\\\"b"));
        assert_eq!(raw_param(value, "CHARSET"), Some("latin1"));
        assert_eq!(raw_param("text/plain", "charset"), None);
    }

    #[test]
    fn values_without_a_subtype_are_not_content_types() {
        assert!(parse_content_type("text", &mut Vec::new()).is_none());
        assert!(parse_content_type("/plain", &mut Vec::new()).is_none());
    }
}

//! Form payloads: `multipart/form-data` (RFC 7578) and `application/x-www-form-urlencoded`.
//!
//! The parser is linear in the body size: delimiters are found with a substring searcher, never by
//! re-scanning. Field count and field size are bounded by [`ProviderLimits`].

use std::borrow::Cow;

use memchr::memmem;

use super::ProviderLimits;
use super::error::{ProviderError, clip};

/// Longest boundary accepted (RFC 2046 allows 70; senders in the wild stay far below 200).
const MAX_BOUNDARY: usize = 200;

/// One field of a form.
#[derive(Clone, PartialEq, Eq)]
pub struct FormPart<'a> {
    /// The field name (`name=` of `Content-Disposition`, or the urlencoded key).
    pub name: String,
    /// The file name, for file parts.
    pub filename: Option<String>,
    /// The part's own `Content-Type`, as given (multipart only).
    pub content_type: Option<String>,
    /// The field's bytes.
    pub data: Cow<'a, [u8]>,
}

impl std::fmt::Debug for FormPart<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormPart")
            .field("name", &self.name)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

impl FormPart<'_> {
    /// The `charset` parameter of the part's `Content-Type`, if any.
    pub fn charset(&self) -> Option<&str> {
        self.content_type
            .as_deref()
            .and_then(|ct| param(ct, "charset"))
    }
}

/// A parsed form: its parts in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form<'a> {
    /// Every field in the order it came.
    pub parts: Vec<FormPart<'a>>,
}

impl<'a> Form<'a> {
    /// The first field with this exact name.
    pub fn get(&self, name: &str) -> Option<&FormPart<'a>> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// The bytes of the first field with this exact name.
    pub fn bytes(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(|p| p.data.as_ref())
    }
}

/// Parse a form body according to the request's `Content-Type`.
///
/// With no content type, a body whose first line is `--something` is read as multipart with that
/// boundary, anything else as urlencoded.
///
/// # Errors
/// [`ProviderError::TooLarge`], [`ProviderError::TooManyFields`],
/// [`ProviderError::FieldTooLarge`], [`ProviderError::MissingBoundary`],
/// [`ProviderError::BadBoundary`], [`ProviderError::TruncatedMultipart`],
/// [`ProviderError::MalformedPart`] or [`ProviderError::UnsupportedContentType`].
pub fn parse_form<'a>(
    body: &'a [u8],
    content_type: Option<&str>,
    limits: &ProviderLimits,
) -> Result<Form<'a>, ProviderError> {
    if body.len() > limits.max_payload_bytes {
        return Err(ProviderError::TooLarge {
            size: body.len(),
            limit: limits.max_payload_bytes,
        });
    }
    match content_type.map(str::trim).filter(|ct| !ct.is_empty()) {
        None => match sniff_boundary(body) {
            Some(boundary) => parse_multipart(body, boundary, limits),
            None => parse_urlencoded(body, limits),
        },
        Some(ct) => {
            let mime = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if mime.starts_with("multipart/") {
                let boundary = param(ct, "boundary").ok_or(ProviderError::MissingBoundary)?;
                parse_multipart(body, boundary.as_bytes(), limits)
            } else if mime == "application/x-www-form-urlencoded" {
                parse_urlencoded(body, limits)
            } else {
                Err(ProviderError::UnsupportedContentType {
                    content_type: clip(ct, 128),
                })
            }
        }
    }
}

/// The boundary from a body whose first line is `--boundary`.
fn sniff_boundary(body: &[u8]) -> Option<&[u8]> {
    let rest = body.strip_prefix(b"--")?;
    let window = rest.get(..rest.len().min(MAX_BOUNDARY + 2))?;
    let end = memchr::memchr(b'\n', window)?;
    let line = window.get(..end)?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = trim_end_ws(line);
    (!line.is_empty() && !line.contains(&b' ')).then_some(line)
}

fn trim_end_ws(mut b: &[u8]) -> &[u8] {
    while let [rest @ .., b' ' | b'\t'] = b {
        b = rest;
    }
    b
}

fn check_part_size(part: &FormPart<'_>, limits: &ProviderLimits) -> Result<(), ProviderError> {
    if part.data.len() > limits.max_field_bytes {
        return Err(ProviderError::FieldTooLarge {
            field: clip(&part.name, 128),
            size: part.data.len(),
            limit: limits.max_field_bytes,
        });
    }
    Ok(())
}

fn parse_multipart<'a>(
    body: &'a [u8],
    boundary: &[u8],
    limits: &ProviderLimits,
) -> Result<Form<'a>, ProviderError> {
    if boundary.is_empty() || boundary.len() > MAX_BOUNDARY {
        return Err(ProviderError::BadBoundary {
            boundary: clip(&String::from_utf8_lossy(boundary), MAX_BOUNDARY),
        });
    }
    let mut needle = Vec::with_capacity(boundary.len() + 3);
    needle.extend_from_slice(b"\n--");
    needle.extend_from_slice(boundary);
    let finder = memmem::Finder::new(&needle);

    let dash_boundary = needle.get(1..).unwrap_or_default();
    let bad_boundary = || ProviderError::BadBoundary {
        boundary: clip(&String::from_utf8_lossy(boundary), MAX_BOUNDARY),
    };
    // `at` always points at the `--boundary` of a delimiter line.
    let first_is_delimiter = body.starts_with(dash_boundary) && {
        let tail = body.get(dash_boundary.len()..).unwrap_or_default();
        tail.starts_with(b"--") || line_end(tail).is_some()
    };
    let mut at = if first_is_delimiter {
        0
    } else {
        next_delimiter(body, &finder, 0).ok_or_else(bad_boundary)?
    };
    let mut form = Form::default();
    let mut part_index = 0usize;
    loop {
        let after = at + dash_boundary.len();
        let tail = body.get(after..).unwrap_or_default();
        if tail.starts_with(b"--") {
            return Ok(form);
        }
        part_index += 1;
        let Some(content_start) = line_end(tail).map(|n| after + n) else {
            // The body ends right after a delimiter: the closing `--` is missing.
            return Err(ProviderError::TruncatedMultipart { part: part_index });
        };
        if part_index > limits.max_fields {
            return Err(ProviderError::TooManyFields {
                limit: limits.max_fields,
            });
        }
        // Search from the line end of the delimiter so an empty part is still seen.
        let Some(next) = next_delimiter(body, &finder, content_start - 1) else {
            return Err(ProviderError::TruncatedMultipart { part: part_index });
        };
        // `next` points at `--boundary`; the CRLF (or LF) before it belongs to the delimiter.
        let mut end = next.saturating_sub(1);
        if end > content_start && body.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        let raw = body
            .get(content_start..end.max(content_start))
            .unwrap_or_default();
        let part = parse_part(raw, part_index)?;
        check_part_size(&part, limits)?;
        form.parts.push(part);
        at = next;
    }
}

/// Position of the `--boundary` of the next delimiter at or after `from` (the match must start a
/// line and be followed by `--`, or by blanks and a line end).
fn next_delimiter(body: &[u8], finder: &memmem::Finder<'_>, from: usize) -> Option<usize> {
    let mut from = from;
    loop {
        let hay = body.get(from..)?;
        let found = finder.find(hay)?;
        let at = from + found + 1; // skip the '\n'
        let after = at + finder.needle().len() - 1;
        let tail = body.get(after..).unwrap_or_default();
        if tail.starts_with(b"--") || line_end(tail).is_some() || tail.is_empty() {
            return Some(at);
        }
        from = after;
    }
}

/// If `tail` is optional blanks then a line end, the length up to and including the line end.
fn line_end(tail: &[u8]) -> Option<usize> {
    let blanks = tail
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let rest = tail.get(blanks..)?;
    if rest.starts_with(b"\r\n") {
        Some(blanks + 2)
    } else if rest.starts_with(b"\n") {
        Some(blanks + 1)
    } else {
        None
    }
}

fn parse_part(raw: &[u8], index: usize) -> Result<FormPart<'_>, ProviderError> {
    let (head, data) = split_head(raw).ok_or(ProviderError::MalformedPart {
        part: index,
        reason: "no blank line after the part headers",
    })?;
    let head = String::from_utf8_lossy(head);
    let mut disposition = None;
    let mut content_type = None;
    for (name, value) in unfold_lines(&head) {
        if name.eq_ignore_ascii_case("content-disposition") {
            disposition.get_or_insert(value);
        } else if name.eq_ignore_ascii_case("content-type") {
            content_type.get_or_insert(value);
        }
    }
    let disposition = disposition.ok_or(ProviderError::MalformedPart {
        part: index,
        reason: "no Content-Disposition header",
    })?;
    let name = param(&disposition, "name").ok_or(ProviderError::MalformedPart {
        part: index,
        reason: "Content-Disposition has no name parameter",
    })?;
    let filename = param_ext(&disposition, "filename*")
        .or_else(|| param(&disposition, "filename").map(str::to_string));
    Ok(FormPart {
        name: unescape(name),
        filename: filename.map(|f| unescape(&f)),
        content_type: content_type.map(|c| c.trim().to_string()),
        data: Cow::Borrowed(data),
    })
}

/// Split a part into its header block and its content at the first blank line.
fn split_head(raw: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(rest) = raw.strip_prefix(b"\r\n") {
        return Some((&[], rest));
    }
    if let Some(rest) = raw.strip_prefix(b"\n") {
        return Some((&[], rest));
    }
    let crlf = memmem::find(raw, b"\r\n\r\n").map(|i| (i, 4));
    let lf = memmem::find(raw, b"\n\n").map(|i| (i, 2));
    let (at, len) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (a, b) => a.or(b)?,
    };
    Some((raw.get(..at)?, raw.get(at + len..)?))
}

/// Header lines of a small block, unfolded, as (name, value).
fn unfold_lines(head: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    out
}

/// The value of parameter `name` in a header value such as `form-data; name="x"; filename=y`,
/// without its quotes (backslash escapes as written).
pub(crate) fn param<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    for (key, value) in params(header) {
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
    None
}

/// An RFC 5987 extended parameter (`filename*=UTF-8''%E2%82%AC.pdf`), decoded.
fn param_ext(header: &str, name: &str) -> Option<String> {
    let value = param(header, name)?;
    let mut pieces = value.splitn(3, '\'');
    let charset = pieces.next()?;
    let _language = pieces.next()?;
    let encoded = pieces.next()?;
    let bytes = percent_decode(encoded.as_bytes(), false);
    let encoding = encoding_rs::Encoding::for_label(charset.trim().as_bytes())?;
    Some(encoding.decode_without_bom_handling(&bytes).0.into_owned())
}

/// Iterate `key=value` parameters after the first `;`. Values may be quoted; a quoted value is
/// returned without its quotes but with its backslash escapes as written (see [`unescape`]).
fn params(header: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = header.split_once(';').map_or("", |(_, r)| r);
    std::iter::from_fn(move || {
        loop {
            rest = rest.trim_start_matches([' ', '\t', ';']);
            if rest.is_empty() {
                return None;
            }
            let eq = rest.find(['=', ';']);
            let Some(eq) = eq.filter(|&i| rest.as_bytes().get(i) == Some(&b'=')) else {
                // A parameter without a value: skip it.
                rest = rest
                    .find(';')
                    .map_or("", |i| rest.get(i + 1..).unwrap_or(""));
                continue;
            };
            let key = rest.get(..eq).unwrap_or("").trim();
            let after = rest.get(eq + 1..).unwrap_or("").trim_start();
            if let Some(quoted) = after.strip_prefix('"') {
                let end = quoted_end(quoted);
                let value = quoted.get(..end).unwrap_or("");
                rest = quoted.get(end + 1..).unwrap_or("");
                return Some((key, value));
            }
            let end = after.find(';').unwrap_or(after.len());
            let value = after.get(..end).unwrap_or("").trim();
            rest = after.get(end..).unwrap_or("");
            return Some((key, value));
        }
    })
}

/// Remove the backslash escapes of a quoted-string's content.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut escaped = false;
    for c in s.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

/// Byte index of the closing quote of a quoted string (or the end), honouring backslashes.
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

fn parse_urlencoded<'a>(
    body: &'a [u8],
    limits: &ProviderLimits,
) -> Result<Form<'a>, ProviderError> {
    let mut form = Form::default();
    for pair in body.split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        if form.parts.len() >= limits.max_fields {
            return Err(ProviderError::TooManyFields {
                limit: limits.max_fields,
            });
        }
        let (key, value) = match memchr::memchr(b'=', pair) {
            Some(i) => (
                pair.get(..i).unwrap_or_default(),
                pair.get(i + 1..).unwrap_or_default(),
            ),
            None => (pair, &[][..]),
        };
        let name = String::from_utf8_lossy(&percent_decode(key, true)).into_owned();
        let part = FormPart {
            name,
            filename: None,
            content_type: None,
            data: Cow::Owned(percent_decode(value, true)),
        };
        check_part_size(&part, limits)?;
        form.parts.push(part);
    }
    Ok(form)
}

/// Decode `%XX` escapes (and `+` as a space when `plus_is_space`); malformed escapes stay as
/// written.
pub(crate) fn percent_decode(input: &[u8], plus_is_space: bool) -> Vec<u8> {
    unescape_hex(input, b'%', plus_is_space)
}

/// Decode `<escape>XX` hex escapes (and `+` as a space when `plus_is_space`); malformed escapes
/// stay as written.
pub(crate) fn unescape_hex(input: &[u8], escape: u8, plus_is_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b == b'+' && plus_is_space {
            out.push(b' ');
        } else if b == escape {
            let hi = input.get(i + 1).and_then(|c| char::from(*c).to_digit(16));
            let lo = input.get(i + 2).and_then(|c| char::from(*c).to_digit(16));
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
                continue;
            }
            out.push(b);
        } else {
            out.push(b);
        }
        i += 1;
    }
    out
}

//! Form payloads: `multipart/form-data` (RFC 7578) and `application/x-www-form-urlencoded`.
//!
//! The parser is linear in the body size: delimiters are found with a substring searcher, never by
//! re-scanning. Field count and field size are bounded by [`ProviderLimits`].

use std::borrow::Cow;

use memchr::memmem;

use crate::message::content_type::{parse_disposition, raw_param};
use crate::message::header::{Field, split_block};
use crate::message::transfer::{trim_trailing_blanks, unescape_hex};

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
            .and_then(|ct| raw_param(ct, "charset"))
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
                let boundary = raw_param(ct, "boundary").ok_or(ProviderError::MissingBoundary)?;
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
    let line = trim_trailing_blanks(line);
    (!line.is_empty() && !line.contains(&b' ')).then_some(line)
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

/// Read one part: its head with the MIME header reader, its name and filename with the MIME
/// `Content-Disposition` reader (quotes, RFC 2231 and RFC 2047 values understood).
fn parse_part(raw: &[u8], index: usize) -> Result<FormPart<'_>, ProviderError> {
    let malformed = |reason| ProviderError::MalformedPart {
        part: index,
        reason,
    };
    let (fields, data) = match raw
        .strip_prefix(b"\r\n")
        .or_else(|| raw.strip_prefix(b"\n"))
    {
        Some(data) => (Vec::new(), data),
        None => {
            // The part is bounded by `max_field_bytes`, which bounds its head too.
            let head = split_block(raw, usize::MAX)
                .map_err(|_| malformed("the part headers cannot be read"))?;
            if !head.blank_line_ended {
                return Err(malformed("no blank line after the part headers"));
            }
            let data = raw.get(head.body_start..).unwrap_or_default();
            (head.fields, data)
        }
    };
    let field = |name: &str| fields.iter().find(|f| f.is(name)).map(Field::unfolded);
    let disposition = field("Content-Disposition")
        .map(|value| parse_disposition(&value, &mut Vec::new()))
        .ok_or(malformed("no Content-Disposition header"))?;
    let name = disposition
        .param("name")
        .ok_or(malformed("Content-Disposition has no name parameter"))?;
    Ok(FormPart {
        name: name.to_string(),
        filename: disposition.param("filename").map(str::to_string),
        content_type: field("Content-Type"),
        data: Cow::Borrowed(data),
    })
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
    let mut out = Vec::new();
    unescape_hex(input, b'%', plus_is_space.then_some(b'+'), &mut out);
    out
}

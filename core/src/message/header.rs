//! Header sections: split into fields, with the limits checked line by line.

use super::charset::Decoded;
use super::encoded_word::decode_words;
use super::limits::{Budget, Limits, ParseError};

/// Longest header field name accepted; a longer "name" means the line is not a header field.
const MAX_NAME_LEN: usize = 128;

/// One header field as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// The name as written (`Content-Type`).
    pub name: String,
    /// The value after the colon with its folding kept (lines joined by `\n`, carriage returns
    /// dropped). Bytes that were not UTF-8 were read as Windows-1252.
    pub raw: String,
}

impl Field {
    /// A field from a name and a value handed over apart (a webhook's header list); line breaks
    /// in the value are read as folding.
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            name: name.trim().to_string(),
            raw: value.trim().replace('\r', ""),
        }
    }

    /// Whether the field has this name (ASCII case-insensitive).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The value unfolded (RFC 5322 §2.2.3) and trimmed, encoded words left as they are.
    pub fn unfolded(&self) -> String {
        self.raw.replace('\n', "").trim().to_string()
    }

    /// The value unfolded, trimmed, and with RFC 2047 encoded words decoded.
    pub fn text(&self) -> Decoded {
        decode_words(&self.unfolded())
    }
}

/// Which kind of entity a header section belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SectionKind {
    /// A whole message: it must start with a header field.
    Message,
    /// A MIME part: it may have no header fields at all.
    Part,
    /// A header block handed over on its own (a webhook's header field, a form-data part's
    /// head): it may be empty, and lines that are not header fields are skipped with a note
    /// instead of ending it.
    Block,
}

/// A split header section.
#[derive(Debug, Default)]
pub(crate) struct Section {
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// Where the body starts in the bytes given to [`split`].
    pub body_start: usize,
    /// Notes on lossy or lenient reading.
    pub notes: Vec<String>,
    /// Whether a blank line ended the section (rather than the end of the input or, for a message
    /// or a part, a line that is not a header field).
    pub blank_line_ended: bool,
}

impl Section {
    /// The first field with this name.
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.is(name))
    }
}

/// One physical line: its content (without the line break) and where the next line starts.
fn next_line(bytes: &[u8], start: usize) -> (&[u8], usize) {
    let rest = bytes.get(start..).unwrap_or_default();
    let (line, next) = match memchr::memchr(b'\n', rest) {
        Some(i) => (&rest[..i], start + i + 1),
        None => (rest, bytes.len()),
    };
    (line.strip_suffix(b"\r").unwrap_or(line), next)
}

/// The field name of a header line, if it is one: printable ASCII without `:` before the first
/// colon (blanks before the colon are allowed, as obsolete syntax has them).
fn field_name(line: &[u8]) -> Option<(&str, &[u8])> {
    let head = line.get(..line.len().min(MAX_NAME_LEN + 8))?;
    let colon = memchr::memchr(b':', head)?;
    let mut name = &line[..colon];
    while let [rest @ .., b' ' | b'\t'] = name {
        name = rest;
    }
    if name.is_empty() || name.len() > MAX_NAME_LEN || !name.iter().all(|b| (33..=126).contains(b))
    {
        return None;
    }
    let name = std::str::from_utf8(name).ok()?;
    Some((name, &line[colon + 1..]))
}

/// Skip what may precede a message's first header: a byte-order mark, blank lines and an mbox
/// `From ` separator line.
fn skip_preamble(bytes: &[u8]) -> usize {
    let mut pos = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    while pos < bytes.len() {
        let (line, next) = next_line(bytes, pos);
        if !line.iter().all(u8::is_ascii_whitespace) {
            break;
        }
        pos = next;
    }
    let (line, next) = next_line(bytes, pos);
    if line.starts_with(b"From ") && field_name(line).is_none() {
        pos = next;
    }
    pos
}

/// Turn a field's collected bytes into text, noting bytes that were not UTF-8.
fn finish_field(name: &str, raw: Vec<u8>, notes: &mut Vec<String>) -> Field {
    let raw = match String::from_utf8(raw) {
        Ok(raw) => raw,
        Err(err) => {
            notes.push(format!(
                "header {name} has bytes that are not UTF-8; read as windows-1252"
            ));
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(err.as_bytes())
                .0
                .into_owned()
        }
    };
    Field {
        name: name.to_string(),
        raw,
    }
}

/// Split the header section at the start of `bytes`.
///
/// `base_offset` is where `bytes` starts in the message, for error offsets. Every field is counted
/// against [`Limits::max_headers`], every field line against [`Limits::max_line_len`], and the
/// section against [`Limits::max_header_bytes`].
pub(crate) fn split(
    bytes: &[u8],
    base_offset: usize,
    kind: SectionKind,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<Section, ParseError> {
    let mut section = Section::default();
    let start = match kind {
        SectionKind::Message | SectionKind::Block => skip_preamble(bytes),
        SectionKind::Part => 0,
    };
    if kind == SectionKind::Message && start >= bytes.len() {
        return Err(ParseError::NotAMessage {
            reason: "the input is empty or only blank lines",
        });
    }
    let mut pending: Option<(&str, Vec<u8>)> = None;
    let mut pos = start;
    section.body_start = bytes.len();
    while pos < bytes.len() {
        let (line, next) = next_line(bytes, pos);
        if line.is_empty() {
            section.body_start = next;
            section.blank_line_ended = true;
            break;
        }
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        let named = if continuation { None } else { field_name(line) };
        if (continuation && pending.is_some()) || named.is_some() {
            if line.len() > limits.max_line_len {
                return Err(ParseError::LineTooLong {
                    offset: base_offset + pos,
                    len: line.len(),
                    limit: limits.max_line_len,
                });
            }
            if next - start > limits.max_header_bytes {
                return Err(ParseError::HeaderSectionTooLarge {
                    offset: base_offset + start,
                    limit: limits.max_header_bytes,
                });
            }
        }
        match (named, pending.as_mut()) {
            (None, Some((_, raw))) if continuation => {
                raw.push(b'\n');
                raw.extend_from_slice(line);
            }
            (Some((name, value)), _) => {
                budget.add_header(limits)?;
                if let Some((name, raw)) = pending.take() {
                    section
                        .fields
                        .push(finish_field(name, raw, &mut section.notes));
                }
                pending = Some((name, value.to_vec()));
            }
            (None, _) if kind == SectionKind::Block => {
                section.notes.push(format!(
                    "header block line at byte {} is not a header field; skipped",
                    base_offset + pos
                ));
            }
            (None, _) => {
                if pending.is_none() && kind == SectionKind::Message {
                    return Err(ParseError::NotAMessage {
                        reason: "the first line is not a header field",
                    });
                }
                if pending.is_some() {
                    section
                        .notes
                        .push("header section ended without a blank line".to_string());
                }
                section.body_start = pos;
                break;
            }
        }
        pos = next;
    }
    if let Some((name, raw)) = pending.take() {
        section
            .fields
            .push(finish_field(name, raw, &mut section.notes));
    }
    if kind == SectionKind::Message && section.fields.is_empty() {
        return Err(ParseError::NotAMessage {
            reason: "there is no header field before the first blank line",
        });
    }
    Ok(section)
}

/// Split a header block handed over on its own (a webhook's header field) into fields.
///
/// Leading blank lines, a byte-order mark and an mbox `From ` line are skipped; folded lines are
/// joined to their field; other lines that are not header fields are skipped and noted; the block
/// ends at its first blank line. At most `max_headers` fields are read.
///
/// # Errors
/// [`ParseError::TooManyHeaders`] past `max_headers`.
pub(crate) fn split_block(block: &[u8], max_headers: usize) -> Result<Section, ParseError> {
    let limits = Limits {
        max_headers,
        // The block's size is bounded by the payload limits of whoever hands it over.
        max_line_len: usize::MAX,
        max_header_bytes: usize::MAX,
        ..Limits::default()
    };
    split(
        block,
        0,
        SectionKind::Block,
        &limits,
        &mut Budget::default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_message(raw: &[u8]) -> Result<Section, ParseError> {
        split(
            raw,
            0,
            SectionKind::Message,
            &Limits::default(),
            &mut Budget::default(),
        )
    }

    #[test]
    fn folded_fields_are_kept_in_order_and_unfolded_on_request() {
        let s = split_message(b"Subject: hello\r\n  world\r\nX-A: 1\r\n\r\nbody").unwrap();
        assert_eq!(s.fields.len(), 2);
        assert_eq!(s.fields[0].name, "Subject");
        assert_eq!(s.fields[0].unfolded(), "hello  world");
        assert_eq!(
            &b"Subject: hello\r\n  world\r\nX-A: 1\r\n\r\nbody"[s.body_start..],
            b"body"
        );
    }

    #[test]
    fn mbox_separator_bom_and_leading_blank_lines_are_skipped() {
        let s = split_message(b"\xEF\xBB\xBF\r\nFrom someone Mon Jan 1\nTo: a@b\n\nx").unwrap();
        assert_eq!(s.fields[0].name, "To");
    }

    #[test]
    fn garbage_and_empty_input_are_not_messages() {
        for raw in [
            &b""[..],
            b"\r\n\r\n",
            b"just some text\nmore",
            b" leading: blank",
        ] {
            assert!(
                matches!(split_message(raw), Err(ParseError::NotAMessage { .. })),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn a_block_may_be_empty_and_skips_lines_that_are_not_fields() {
        let empty = split_block(b"\r\n\r\n", 10).unwrap();
        assert!(empty.fields.is_empty());
        let s = split_block(b"Subject: a\n  b\nnot a field\n c\nTo: x@y\n\nbody", 10).unwrap();
        let fields: Vec<(&str, String)> = s
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.unfolded()))
            .collect();
        assert_eq!(
            fields,
            [("Subject", "a  b c".to_string()), ("To", "x@y".to_string())]
        );
        assert_eq!(s.notes.len(), 1);
        assert!(s.blank_line_ended);
    }

    #[test]
    fn a_part_may_start_with_its_body() {
        let mut budget = Budget::default();
        let s = split(
            b"plain text\n",
            0,
            SectionKind::Part,
            &Limits::default(),
            &mut budget,
        )
        .unwrap();
        assert!(s.fields.is_empty());
        assert_eq!(s.body_start, 0);
    }

    #[test]
    fn non_utf8_header_bytes_are_read_as_windows_1252_with_a_note() {
        let s = split_message(b"Subject: caf\xe9\n\n").unwrap();
        assert_eq!(s.fields[0].unfolded(), "café");
        assert_eq!(s.notes.len(), 1);
    }

    #[test]
    fn a_long_header_line_is_refused_with_its_offset() {
        let limits = Limits {
            max_line_len: 20,
            ..Limits::default()
        };
        let raw = b"To: a@b\nSubject: 0123456789012345678901234\n\n";
        let err = split(
            raw,
            100,
            SectionKind::Message,
            &limits,
            &mut Budget::default(),
        );
        assert_eq!(
            err.unwrap_err(),
            ParseError::LineTooLong {
                offset: 108,
                len: 34,
                limit: 20
            }
        );
    }

    #[test]
    fn too_many_fields_are_refused() {
        let limits = Limits {
            max_headers: 2,
            ..Limits::default()
        };
        let raw = b"A: 1\nB: 2\nC: 3\n\n";
        let err = split(
            raw,
            0,
            SectionKind::Message,
            &limits,
            &mut Budget::default(),
        );
        assert_eq!(
            err.unwrap_err(),
            ParseError::TooManyHeaders { count: 3, limit: 2 }
        );
    }

    #[test]
    fn a_long_folded_section_is_refused() {
        let limits = Limits {
            max_header_bytes: 64,
            ..Limits::default()
        };
        let raw = format!("Subject: x\n{}\n", " folded\n".repeat(20));
        let err = split(
            raw.as_bytes(),
            0,
            SectionKind::Message,
            &limits,
            &mut Budget::default(),
        );
        assert!(matches!(
            err,
            Err(ParseError::HeaderSectionTooLarge { limit: 64, .. })
        ));
    }
}

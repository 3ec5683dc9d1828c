//! Content-Transfer-Encoding: quoted-printable and base64, decoded leniently in linear time.

use std::borrow::Cow;

/// The transfer encoding named by a `Content-Transfer-Encoding` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransferEncoding {
    /// `7bit`, `8bit`, `binary`, or none given: the bytes are the content.
    Identity,
    /// `quoted-printable`.
    QuotedPrintable,
    /// `base64`.
    Base64,
    /// Anything else (`x-uuencode`, garbage): kept as is, with a warning.
    Unknown,
}

impl TransferEncoding {
    /// Read a `Content-Transfer-Encoding` value (already unfolded).
    pub fn from_header(value: Option<&str>) -> Self {
        let Some(value) = value else {
            return Self::Identity;
        };
        let value = value.trim().trim_matches('"').trim();
        if value.is_empty()
            || ["7bit", "8bit", "binary", "7-bit", "8-bit"]
                .iter()
                .any(|v| value.eq_ignore_ascii_case(v))
        {
            Self::Identity
        } else if value.eq_ignore_ascii_case("quoted-printable") {
            Self::QuotedPrintable
        } else if value.eq_ignore_ascii_case("base64") {
            Self::Base64
        } else {
            Self::Unknown
        }
    }
}

/// Decode a part body. Returns the bytes and, when the decoding had to guess or skip input, a note.
pub(crate) fn decode(body: &[u8], encoding: TransferEncoding) -> (Cow<'_, [u8]>, Option<String>) {
    match encoding {
        TransferEncoding::Identity => (Cow::Borrowed(body), None),
        TransferEncoding::Unknown => (
            Cow::Borrowed(body),
            Some("unknown Content-Transfer-Encoding; body kept as it was sent".to_string()),
        ),
        TransferEncoding::QuotedPrintable => (Cow::Owned(quoted_printable(body)), None),
        TransferEncoding::Base64 => {
            let (bytes, skipped) = base64(body);
            let note = (skipped > 0).then(|| {
                format!("base64 body had {skipped} byte(s) outside the base64 alphabet; skipped")
            });
            (Cow::Owned(bytes), note)
        }
    }
}

/// The value of an ASCII hex digit.
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decode quoted-printable (RFC 2045 §6.7).
///
/// Trailing white space on each line is dropped, `=` at the end of a line is a soft break, `=XX`
/// is a byte, and a `=` that starts neither is kept literally (so nothing is lost).
pub(crate) fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let (line, ending, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => {
                let (line, ending) = match rest[..i].strip_suffix(b"\r") {
                    Some(line) => (line, &rest[i - 1..=i]),
                    None => (&rest[..i], &rest[i..=i]),
                };
                (line, ending, Some(&rest[i + 1..]))
            }
            None => (rest, &b""[..], None),
        };
        let line = trim_trailing_blanks(line);
        let soft_break = line.last() == Some(&b'=');
        let content = if soft_break {
            &line[..line.len() - 1]
        } else {
            line
        };
        unescape_hex(content, b'=', None, &mut out);
        if !soft_break {
            out.extend_from_slice(ending);
        }
        match next {
            Some(next) => rest = next,
            None => break,
        }
    }
    out
}

/// `line` without its trailing spaces and tabs.
pub(crate) fn trim_trailing_blanks(mut line: &[u8]) -> &[u8] {
    while let [head @ .., b' ' | b'\t'] = line {
        line = head;
    }
    line
}

/// Decode `<escape>XX` hex escapes into `out`: `=XX` in quoted-printable and in RFC 2047 "Q"
/// text, `%XX` in form urlencoding and RFC 2231 values. `space`, when given, is a byte that stands
/// for a space (`_` in "Q" text, `+` in form urlencoding). A malformed escape is kept as written.
pub(crate) fn unescape_hex(input: &[u8], escape: u8, space: Option<u8>, out: &mut Vec<u8>) {
    out.reserve(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b == escape {
            let hi = input.get(i + 1).copied().and_then(hex_value);
            let lo = input.get(i + 2).copied().and_then(hex_value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(if Some(b) == space { b' ' } else { b });
        i += 1;
    }
}

/// The value of a base64 alphabet byte (standard and URL-safe alphabets both accepted).
fn base64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Decode base64 leniently: white space is ignored, `=` ends a group (decoding goes on after it, as
/// concatenated base64 chunks occur in the wild), and other bytes outside the alphabet are skipped
/// and counted. Returns the bytes and how many input bytes were skipped.
pub(crate) fn base64(body: &[u8]) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let mut skipped = 0;
    for &b in body {
        if let Some(v) = base64_value(b) {
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        } else if b == b'=' {
            // Padding: drop the partial byte, start a fresh group.
            acc = 0;
            bits = 0;
        } else if !b.is_ascii_whitespace() {
            skipped += 1;
        }
    }
    (out, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_soft_breaks_and_hex_escapes_are_decoded() {
        let decoded = quoted_printable(b"caf=C3=A9 cr=\r\nme   \r\nsecond=3Dline=\nend");
        assert_eq!(decoded, "café crme\r\nsecond=lineend".as_bytes());
    }

    #[test]
    fn quoted_printable_keeps_a_stray_equals_sign() {
        assert_eq!(quoted_printable(b"a = b =Z1 =4"), b"a = b =Z1 =4");
    }

    #[test]
    fn hex_escapes_with_a_space_alias_are_decoded_and_bad_ones_kept() {
        let mut out = Vec::new();
        unescape_hex(b"caf%C3%A9+au+lait%2x%", b'%', Some(b'+'), &mut out);
        assert_eq!(out, "café au lait%2x%".as_bytes());
    }

    #[test]
    fn base64_ignores_line_breaks_and_counts_garbage() {
        let (bytes, skipped) = base64(b"aGVs\r\nbG8g\nd29y*bGQ=");
        assert_eq!(bytes, b"hello world");
        assert_eq!(skipped, 1);
    }

    #[test]
    fn base64_decodes_concatenated_padded_chunks() {
        let (bytes, skipped) = base64(b"YQ==Yg==");
        assert_eq!(bytes, b"ab");
        assert_eq!(skipped, 0);
    }

    #[test]
    fn transfer_encoding_names_are_case_insensitive() {
        assert_eq!(
            TransferEncoding::from_header(Some(" Base64 ")),
            TransferEncoding::Base64
        );
        assert_eq!(
            TransferEncoding::from_header(Some("QUOTED-PRINTABLE")),
            TransferEncoding::QuotedPrintable
        );
        assert_eq!(
            TransferEncoding::from_header(Some("8bit")),
            TransferEncoding::Identity
        );
        assert_eq!(
            TransferEncoding::from_header(Some("x-uuencode")),
            TransferEncoding::Unknown
        );
    }
}

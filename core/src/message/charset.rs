//! Bytes in a declared charset → text, never lossy without saying so.
//!
//! The declared charset is trusted only as far as the bytes agree with it: UTF-8 that does not
//! validate is read as Windows-1252 (the usual truth behind a wrong label), a legacy single-byte
//! label on bytes that are valid multi-byte UTF-8 is read as UTF-8, and an unknown label is read as
//! UTF-8 when it validates, else as Windows-1252. Each such guess, and each replacement character
//! put in, comes back as a note for [`InboundMessage::warnings`](super::InboundMessage::warnings).

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Text decoded from bytes, and what (if anything) had to be guessed or replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    /// The text.
    pub text: String,
    /// Set when the text is a guess or lost something.
    pub note: Option<String>,
}

impl Decoded {
    fn clean(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            note: None,
        }
    }

    fn noted(text: impl Into<String>, note: String) -> Self {
        Self {
            text: text.into(),
            note: Some(note),
        }
    }
}

/// Normalise a charset label: trimmed, quotes removed, lowercase.
fn normalise_label(label: &str) -> String {
    label
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_ascii_lowercase()
}

/// Whether bytes are valid UTF-8 and contain at least one multi-byte sequence.
fn is_multibyte_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Decode `bytes` declared as `label` (`None` when no charset was given).
pub(crate) fn decode(bytes: &[u8], label: Option<&str>) -> Decoded {
    let label = label.map(normalise_label).filter(|l| !l.is_empty());
    let mut decoded = match label {
        None => decode_undeclared(bytes),
        Some(label) => match Encoding::for_label_no_replacement(label.as_bytes()) {
            Some(encoding) => decode_known(bytes, &label, encoding),
            None => decode_unknown(bytes, &label),
        },
    };
    if let Some(text) = decoded.text.strip_prefix('\u{FEFF}') {
        decoded.text = text.to_string();
    }
    decoded
}

/// No charset given: UTF-8 when it validates (US-ASCII is a subset), else Windows-1252.
fn decode_undeclared(bytes: &[u8]) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::clean(text),
        Err(_) => Decoded::noted(
            windows_1252(bytes),
            "no charset declared and the bytes are not UTF-8; decoded as windows-1252".to_string(),
        ),
    }
}

fn windows_1252(bytes: &[u8]) -> String {
    // Windows-1252 maps every byte to a character, so this never replaces anything.
    WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

fn decode_known(bytes: &[u8], label: &str, encoding: &'static Encoding) -> Decoded {
    if encoding == UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(text) => Decoded::clean(text),
            Err(_) => Decoded::noted(
                windows_1252(bytes),
                format!(
                    "declared charset {label} but the bytes are not UTF-8; decoded as windows-1252"
                ),
            ),
        };
    }
    if encoding.is_ascii_compatible() && bytes.is_ascii() {
        return Decoded::clean(String::from_utf8_lossy(bytes).into_owned());
    }
    // One byte per character: a wrong label garbles text without failing, so look at the bytes.
    if encoding.is_single_byte() && is_multibyte_utf8(bytes) {
        return Decoded::noted(
            String::from_utf8_lossy(bytes).into_owned(),
            format!("declared charset {label} but the bytes are valid UTF-8; decoded as UTF-8"),
        );
    }
    if label.contains("ascii") && !bytes.is_ascii() {
        // encoding_rs reads US-ASCII as Windows-1252, which maps every byte: not lossy, but a guess.
        return Decoded::noted(
            windows_1252(bytes),
            format!("declared charset {label} but the bytes are 8-bit; decoded as windows-1252"),
        );
    }
    let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    let strict: Option<Cow<'_, str>> = if utf16 {
        let (text, _, had_errors) = encoding.decode(bytes);
        (!had_errors).then_some(text)
    } else {
        encoding.decode_without_bom_handling_and_without_replacement(bytes)
    };
    if let Some(text) = strict {
        return Decoded::clean(text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded::noted(
            text,
            format!("the bytes are not valid {label} but are valid UTF-8; decoded as UTF-8"),
        );
    }
    let (text, _, _) = if utf16 {
        encoding.decode(bytes)
    } else {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        (text, encoding, had_errors)
    };
    let replaced = text.matches('\u{FFFD}').count();
    Decoded::noted(
        text.into_owned(),
        format!("{replaced} malformed {label} sequence(s) replaced with U+FFFD"),
    )
}

fn decode_unknown(bytes: &[u8], label: &str) -> Decoded {
    // Charsets encoding_rs does not know (UTF-7, IBM code pages, …) get mail-parser's decoders.
    if let Some(decoder) = mail_parser::decoders::charsets::map::charset_decoder(label.as_bytes())
        && !is_replacement_only(label)
    {
        let text = decoder(bytes);
        let replaced = text.matches('\u{FFFD}').count();
        return if replaced == 0 {
            Decoded::clean(text)
        } else {
            Decoded::noted(
                text,
                format!("{replaced} malformed {label} sequence(s) replaced with U+FFFD"),
            )
        };
    }
    if bytes.is_ascii() {
        return Decoded::clean(String::from_utf8_lossy(bytes).into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::noted(
            text,
            format!("unknown charset {label}; the bytes are valid UTF-8, decoded as UTF-8"),
        ),
        Err(_) => Decoded::noted(
            windows_1252(bytes),
            format!("unknown charset {label}; decoded as windows-1252"),
        ),
    }
}

/// Labels that encoding_rs maps to its "replacement" encoding (ISO-2022-KR, HZ, …): decoding them
/// yields only U+FFFD, so they are treated as unknown.
fn is_replacement_only(label: &str) -> bool {
    Encoding::for_label(label.as_bytes()) == Some(encoding_rs::REPLACEMENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_8859_1_is_decoded_without_a_note() {
        let d = decode(b"caf\xe9", Some("ISO-8859-1"));
        assert_eq!(d, Decoded::clean("café"));
    }

    #[test]
    fn windows_1252_smart_quotes_are_decoded() {
        let d = decode(b"\x93hi\x94 \x80", Some("windows-1252"));
        assert_eq!(d.text, "\u{201c}hi\u{201d} €");
        assert_eq!(d.note, None);
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252_with_a_note() {
        let d = decode(b"caf\xe9", Some("utf-8"));
        assert_eq!(d.text, "café");
        assert!(d.note.unwrap().contains("not UTF-8"));
    }

    #[test]
    fn latin1_label_on_utf8_bytes_is_read_as_utf8_with_a_note() {
        let d = decode("café".as_bytes(), Some("iso-8859-1"));
        assert_eq!(d.text, "café");
        assert!(d.note.unwrap().contains("valid UTF-8"));
    }

    #[test]
    fn undeclared_utf8_is_clean_and_undeclared_latin1_is_noted() {
        assert_eq!(decode("é".as_bytes(), None), Decoded::clean("é"));
        let d = decode(b"\xe9", None);
        assert_eq!(d.text, "é");
        assert!(d.note.is_some());
    }

    #[test]
    fn eight_bit_bytes_labelled_us_ascii_are_noted() {
        let d = decode(b"caf\xe9", Some("us-ascii"));
        assert_eq!(d.text, "café");
        assert!(d.note.unwrap().contains("8-bit"));
    }

    #[test]
    fn a_utf8_byte_order_mark_is_dropped() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFhi", Some("utf-8")),
            Decoded::clean("hi")
        );
    }

    #[test]
    fn unknown_charset_is_noted() {
        let d = decode(b"caf\xe9", Some("x-martian"));
        assert_eq!(d.text, "café");
        assert!(d.note.unwrap().contains("unknown charset x-martian"));
    }

    #[test]
    fn shift_jis_and_koi8_r_are_decoded() {
        assert_eq!(decode(b"\x93\xfa\x96\x7b", Some("shift_jis")).text, "日本");
        assert_eq!(
            decode(b"\xf0\xd2\xc9\xd7\xc5\xd4", Some("koi8-r")).text,
            "Привет"
        );
    }

    #[test]
    fn utf7_is_decoded_by_the_fallback_decoder() {
        assert_eq!(
            decode(b"Hi Mom -+Jjo--!", Some("utf-7")).text,
            "Hi Mom -\u{263a}-!"
        );
    }

    #[test]
    fn malformed_shift_jis_is_noted_as_lossy() {
        let d = decode(b"\x93\xfa\x96", Some("shift_jis"));
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.note.unwrap().contains("replaced with U+FFFD"));
    }
}

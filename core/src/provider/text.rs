//! Bytes to text: declared charsets, a UTF-8-or-Windows-1252 guess, base64.

use encoding_rs::Encoding;

use crate::message::{charset, transfer};

use super::error::{ProviderError, clip};

/// Decode `bytes` in the charset `label` declared for `field`.
///
/// Malformed byte sequences become U+FFFD and a note is pushed to `warnings`.
///
/// # Errors
/// [`ProviderError::BadCharset`] when the label names no charset we know.
pub(crate) fn decode_declared(
    bytes: &[u8],
    label: &str,
    field: &str,
    warnings: &mut Vec<String>,
) -> Result<String, ProviderError> {
    let encoding =
        Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| ProviderError::BadCharset {
            field: clip(field, 128),
            charset: clip(label, 64),
        })?;
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        warnings.push(format!(
            "field `{}` has bytes that are not valid {}; replaced with U+FFFD",
            clip(field, 128),
            encoding.name()
        ));
    }
    Ok(text.into_owned())
}

/// Decode bytes with no declared charset as a MIME body without one is decoded: UTF-8 when valid,
/// else Windows-1252 (which maps every byte), with a note in `warnings`.
pub(crate) fn decode_guess(bytes: &[u8], field: &str, warnings: &mut Vec<String>) -> String {
    let decoded = charset::decode(bytes, None);
    if let Some(note) = decoded.note {
        warnings.push(format!("field `{}`: {note}", clip(field, 128)));
    }
    decoded.text
}

/// Base64 with bytes outside the alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{skipped} byte(s) outside the base64 alphabet")]
pub(crate) struct NotBase64 {
    /// How many bytes were outside the alphabet (white space aside).
    pub skipped: usize,
}

/// Decode base64 with the MIME decoder (white space ignored, padding optional), refusing input
/// with any other byte outside the alphabet.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, NotBase64> {
    match transfer::base64(text.as_bytes()) {
        (bytes, 0) => Ok(bytes),
        (_, skipped) => Err(NotBase64 { skipped }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_with_line_breaks_and_no_padding_decodes_and_garbage_is_refused() {
        assert_eq!(decode_base64("aGVs\r\nbG8").as_deref(), Ok(&b"hello"[..]));
        assert_eq!(decode_base64("%%%"), Err(NotBase64 { skipped: 3 }));
    }

    #[test]
    fn undeclared_latin1_is_guessed_with_a_note_naming_the_field() {
        let mut warnings = Vec::new();
        assert_eq!(decode_guess(b"Caf\xe9", "text", &mut warnings), "Café");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("field `text`"));
    }
}

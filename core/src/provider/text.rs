//! Bytes to text: declared charsets, a UTF-8-or-Windows-1252 guess, lenient base64, hashing.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use encoding_rs::{Encoding, WINDOWS_1252};
use sha2::{Digest as _, Sha256};

use super::error::{ProviderError, clip};

/// Standard-alphabet base64 that accepts missing or present padding.
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

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

/// Decode bytes with no declared charset: UTF-8 when valid, else Windows-1252 (which maps every
/// byte), with a note in `warnings`.
pub(crate) fn decode_guess(bytes: &[u8], field: &str, warnings: &mut Vec<String>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            warnings.push(format!(
                "field `{}` is not valid UTF-8 and declares no charset; decoded as windows-1252",
                clip(field, 128)
            ));
            WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned()
        }
    }
}

/// Decode base64, ignoring ASCII whitespace and tolerating absent padding.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    if text.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        LENIENT_B64.decode(compact)
    } else {
        LENIENT_B64.decode(text)
    }
}

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

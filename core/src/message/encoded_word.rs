//! RFC 2047 encoded words (`=?utf-8?q?caf=C3=A9?=`) in header values.
//!
//! Decoding is linear in the input: an encoded word cannot contain white space or `?` in its
//! charset or text, so a failed attempt stops at the next blank or at its second `?`, and each byte
//! is looked at by a bounded number of attempts. (The header parsers of mail-parser 0.11 retry
//! every `=?` to the end of the field and take quadratic time on crafted values, so every header
//! value is decoded here instead.)

use super::charset::{self, Decoded};
use super::transfer;

/// Decode every encoded word in an unfolded header value.
///
/// White space between two adjacent encoded words is dropped, as RFC 2047 §6.2 says. A word that
/// does not parse is kept literally. The note, if any, is the first charset note met.
pub(crate) fn decode_words(input: &str) -> Decoded {
    if !input.contains("=?") {
        return Decoded {
            text: input.to_string(),
            note: None,
        };
    }
    let mut out = String::with_capacity(input.len());
    let mut note = None;
    let mut copied_to = 0;
    let mut search_from = 0;
    let mut last_word_end = None;
    while let Some(found) = input.get(search_from..).and_then(|rest| rest.find("=?")) {
        let start = search_from + found;
        let Some((end, decoded)) = parse_word(input, start) else {
            search_from = start + 2;
            continue;
        };
        let between = input.get(copied_to..start).unwrap_or_default();
        let joins_previous_word =
            last_word_end == Some(copied_to) && between.chars().all(char::is_whitespace);
        if !joins_previous_word {
            out.push_str(between);
        }
        out.push_str(&decoded.text);
        if note.is_none() {
            note = decoded.note;
        }
        copied_to = end;
        search_from = end;
        last_word_end = Some(end);
    }
    out.push_str(input.get(copied_to..).unwrap_or_default());
    Decoded { text: out, note }
}

/// Parse the encoded word starting at `start` (which holds `=?`). Returns where it ends and its text.
fn parse_word(input: &str, start: usize) -> Option<(usize, Decoded)> {
    let bytes = input.as_bytes();
    let charset_start = start + 2;
    let charset_end = scan_token(bytes, charset_start)?;
    let encoding = *bytes.get(charset_end + 1)?;
    if bytes.get(charset_end + 2) != Some(&b'?') {
        return None;
    }
    let text_start = charset_end + 3;
    let text_end = scan_token(bytes, text_start)?;
    if bytes.get(text_end + 1) != Some(&b'=') {
        return None;
    }
    let charset = input.get(charset_start..charset_end)?;
    // RFC 2231 §5 lets a language follow the charset: `utf-8*fr`.
    let charset = charset.split('*').next().unwrap_or_default();
    if charset.is_empty() {
        return None;
    }
    let text = bytes.get(text_start..text_end)?;
    let raw = match encoding {
        b'q' | b'Q' => q_decode(text),
        b'b' | b'B' => transfer::base64(text).0,
        _ => return None,
    };
    Some((text_end + 2, charset::decode(&raw, Some(charset))))
}

/// Find the `?` ending a token that starts at `from`; `None` at white space or end of input.
fn scan_token(bytes: &[u8], from: usize) -> Option<usize> {
    let len = bytes
        .get(from..)?
        .iter()
        .position(|&b| b == b'?' || b.is_ascii_whitespace())?;
    let end = from + len;
    (bytes.get(end) == Some(&b'?')).then_some(end)
}

/// The "Q" encoding: `=XX` is a byte and `_` is a space (a stray `=` is kept).
fn q_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        if b == b'=' {
            let hi = text.get(i + 1).copied().and_then(transfer::hex_value);
            let lo = text.get(i + 2).copied().and_then(transfer::hex_value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(if b == b'_' { b' ' } else { b });
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_and_b_words_are_decoded() {
        assert_eq!(
            decode_words("=?UTF-8?Q?R=C3=A9ponse_automatique?= : vacances").text,
            "Réponse automatique : vacances"
        );
        assert_eq!(decode_words("=?utf-8?B?5LiN5Zyo?=").text, "不在");
    }

    #[test]
    fn blanks_between_adjacent_words_are_dropped_but_not_around_plain_text() {
        assert_eq!(
            decode_words("=?iso-8859-1?q?caf=E9_?=  =?iso-8859-1?q?cr=E8me?= ok").text,
            "café crème ok"
        );
        assert_eq!(decode_words("a =?utf-8?q?b?= c").text, "a b c");
    }

    #[test]
    fn malformed_words_are_kept_literally() {
        for raw in [
            "=?utf-8?x?abc?=",
            "=?utf-8?q?no end",
            "=??q?abc?=",
            "=?a b?q?c?=",
        ] {
            assert_eq!(decode_words(raw).text, raw);
        }
    }

    #[test]
    fn language_suffix_on_the_charset_is_ignored() {
        assert_eq!(decode_words("=?utf-8*fr?q?=C3=A9t=C3=A9?=").text, "été");
    }

    #[test]
    fn crafted_retry_pattern_decodes_in_one_pass() {
        let hostile = "=?AB?q? ".repeat(20_000);
        assert_eq!(decode_words(&hostile).text, hostile);
    }
}

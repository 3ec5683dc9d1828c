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
/// White space between two adjacent encoded words is dropped, as RFC 2047 §6.2 says, and adjacent
/// words in the same charset are joined before their bytes are decoded, so a multi-byte character
/// split across two words (as some mailers split long UTF-8 subjects) survives. A word that does
/// not parse is kept literally; a word in a charset nobody knows is decoded by the same guess as a
/// body (see [`charset::decode`]) and noted. The note, if any, is the first charset note met.
pub(crate) fn decode_words(input: &str) -> Decoded {
    if !input.contains("=?") {
        return Decoded {
            text: input.to_string(),
            note: None,
        };
    }
    let mut out = Words::default();
    let mut copied_to = 0;
    let mut search_from = 0;
    while let Some(found) = input.get(search_from..).and_then(|rest| rest.find("=?")) {
        let start = search_from + found;
        let Some(word) = parse_word(input, start) else {
            search_from = start + 2;
            continue;
        };
        let between = input.get(copied_to..start).unwrap_or_default();
        let joins_previous_word = out.pending.is_some() && between.chars().all(char::is_whitespace);
        if !joins_previous_word {
            out.push_text(between);
        }
        out.push_word(word.charset, word.bytes);
        copied_to = word.end;
        search_from = word.end;
    }
    out.push_text(input.get(copied_to..).unwrap_or_default());
    out.finish()
}

/// One parsed encoded word: its charset label, its decoded bytes and where it ends.
struct Word<'a> {
    charset: &'a str,
    bytes: Vec<u8>,
    end: usize,
}

/// The decoded text so far, and the bytes of the run of adjacent words not yet decoded.
#[derive(Default)]
struct Words<'a> {
    text: String,
    note: Option<String>,
    /// Charset label, bytes and the end of each word's bytes, for the last words, all in that
    /// charset.
    pending: Option<(&'a str, Vec<u8>, Vec<usize>)>,
}

impl<'a> Words<'a> {
    fn push_text(&mut self, text: &str) {
        self.flush();
        self.text.push_str(text);
    }

    fn push_word(&mut self, charset: &'a str, bytes: Vec<u8>) {
        match &mut self.pending {
            Some((label, pending, ends)) if label.eq_ignore_ascii_case(charset) => {
                pending.extend_from_slice(&bytes);
                ends.push(pending.len());
            }
            _ => {
                self.flush();
                let ends = vec![bytes.len()];
                self.pending = Some((charset, bytes, ends));
            }
        }
    }

    /// Decode the pending run joined, so a character split across words survives; when that
    /// needs a guess but each word alone decodes cleanly (a stateful charset such as ISO-2022-JP,
    /// whose words each reset the state), decode the words one by one instead.
    fn flush(&mut self) {
        let Some((label, bytes, ends)) = self.pending.take() else {
            return;
        };
        let mut decoded = charset::decode(&bytes, Some(label));
        if decoded.note.is_some() && ends.len() > 1 {
            let mut start = 0;
            let mut separate = String::new();
            let mut clean = true;
            for &end in &ends {
                let word = charset::decode(bytes.get(start..end).unwrap_or_default(), Some(label));
                clean &= word.note.is_none();
                separate.push_str(&word.text);
                start = end;
            }
            if clean {
                decoded = Decoded {
                    text: separate,
                    note: None,
                };
            }
        }
        self.text.push_str(&decoded.text);
        if self.note.is_none() {
            self.note = decoded.note;
        }
    }

    fn finish(mut self) -> Decoded {
        self.flush();
        Decoded {
            text: self.text,
            note: self.note,
        }
    }
}

/// Parse the encoded word starting at `start` (which holds `=?`).
fn parse_word(input: &str, start: usize) -> Option<Word<'_>> {
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
    let bytes = match encoding {
        b'q' | b'Q' => q_decode(text),
        b'b' | b'B' => transfer::base64(text).0,
        _ => return None,
    };
    Some(Word {
        charset,
        bytes,
        end: text_end + 2,
    })
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
    let mut out = Vec::new();
    transfer::unescape_hex(text, b'=', Some(b'_'), &mut out);
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
    fn a_character_split_across_adjacent_words_survives() {
        // "é" is C3 A9 in UTF-8, split across two words.
        let decoded = decode_words("=?utf-8?Q?caf=C3?= =?UTF-8?Q?=A9?= ok");
        assert_eq!(decoded.text, "café ok");
        assert_eq!(decoded.note, None);
    }

    #[test]
    fn adjacent_iso_2022_jp_words_each_reset_their_state() {
        // 無料 and トライアル, each word starting in JIS X 0208 and ending back in ASCII.
        assert_eq!(
            decode_words(
                "=?ISO-2022-JP?B?GyRCTDVOQRsoQg==?= =?ISO-2022-JP?B?GyRCJUglaSUkJSIlaxsoQg==?="
            )
            .text,
            "無料トライアル"
        );
    }

    #[test]
    fn adjacent_words_in_different_charsets_are_decoded_apart() {
        assert_eq!(
            decode_words("=?iso-8859-1?q?caf=E9?= =?utf-8?q?=C3=A9t=C3=A9?=").text,
            "caféété"
        );
    }

    #[test]
    fn plain_text_and_percent_signs_around_words_are_kept() {
        assert_eq!(
            decode_words("Re: =?utf-8?q?caf=C3=A9?= demain").text,
            "Re: café demain"
        );
        assert_eq!(
            decode_words("100% sure =?utf-8?q?50=25?=").text,
            "100% sure 50%"
        );
    }

    #[test]
    fn a_word_in_an_unknown_charset_is_decoded_by_guess_with_a_note() {
        let decoded = decode_words("=?x-nope?Q?abc?=");
        assert_eq!(decoded.text, "abc");
        assert_eq!(decoded.note, None, "ASCII needs no guess");
        let decoded = decode_words("=?x-nope?Q?caf=E9?=");
        assert_eq!(decoded.text, "café");
        assert!(decoded.note.is_some_and(|n| n.contains("x-nope")));
    }

    #[test]
    fn words_with_blanks_inside_are_not_words() {
        assert_eq!(
            decode_words("=?utf-8?Q?has space?=").text,
            "=?utf-8?Q?has space?="
        );
        assert_eq!(
            decode_words("a =?utf-8?Q?no end").text,
            "a =?utf-8?Q?no end"
        );
    }

    #[test]
    fn many_unterminated_word_starts_do_not_rescan() {
        let value = "=?utf-8?q?a".repeat(20_000);
        assert_eq!(decode_words(&value).text, value);
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

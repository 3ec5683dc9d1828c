//! RFC 2047 encoded words in header values (`=?UTF-8?B?w6k=?=`), decoded in linear time.

use std::borrow::Cow;

use encoding_rs::Encoding;

use super::multipart::unescape_hex;
use super::text::decode_base64;

/// Longest charset label looked at (`ISO-8859-15*fr` and friends stay far below).
const MAX_CHARSET: usize = 64;

/// Decode every encoded word in a header value. Whitespace between two adjacent encoded words is
/// dropped; adjacent words in the same charset are joined before decoding, so a multi-byte
/// character split across two words survives. Words that do not parse, or name an unknown
/// charset, are kept as written.
pub(crate) fn decode(value: &str) -> Cow<'_, str> {
    if !value.contains("=?") {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut pending: Option<(&'static Encoding, Vec<u8>)> = None;
    let mut ends = NextCache::default();
    let mut blanks = NextCache::default();
    let mut pos = 0usize;
    while let Some(start) = value.get(pos..).and_then(|r| r.find("=?")).map(|i| i + pos) {
        let before = value.get(pos..start).unwrap_or("");
        match parse_word(value, start, &mut ends, &mut blanks) {
            Some((encoding, bytes, end)) => {
                let joins = pending.is_some() && before.chars().all(char::is_whitespace);
                if !joins {
                    flush(&mut out, &mut pending);
                    out.push_str(before);
                }
                match &mut pending {
                    Some((enc, buf)) if *enc == encoding => buf.extend_from_slice(&bytes),
                    _ => {
                        flush(&mut out, &mut pending);
                        pending = Some((encoding, bytes));
                    }
                }
                pos = end;
            }
            None => {
                flush(&mut out, &mut pending);
                out.push_str(before);
                out.push_str("=?");
                pos = start + 2;
            }
        }
    }
    flush(&mut out, &mut pending);
    out.push_str(value.get(pos..).unwrap_or(""));
    Cow::Owned(out)
}

fn flush(out: &mut String, pending: &mut Option<(&'static Encoding, Vec<u8>)>) {
    if let Some((encoding, bytes)) = pending.take() {
        out.push_str(&encoding.decode_without_bom_handling(&bytes).0);
    }
}

/// Remembers the last search for a pattern so that forward-moving searches never rescan text:
/// the first match at or after `from` is still the answer for any later `from` up to it.
#[derive(Default)]
struct NextCache {
    searched_from: Option<usize>,
    found: Option<usize>,
}

impl NextCache {
    fn next(
        &mut self,
        hay: &str,
        from: usize,
        find: impl Fn(&str) -> Option<usize>,
    ) -> Option<usize> {
        if let Some(searched) = self.searched_from
            && from >= searched
        {
            match self.found {
                None => return None,
                Some(at) if at >= from => return Some(at),
                Some(_) => {}
            }
        }
        let found = hay.get(from..).and_then(find).map(|i| i + from);
        self.searched_from = Some(from);
        self.found = found;
        found
    }
}

/// Parse the encoded word starting at `start` (which holds `=?`): its charset, decoded bytes and
/// the index just past its closing `?=`.
fn parse_word(
    value: &str,
    start: usize,
    ends: &mut NextCache,
    blanks: &mut NextCache,
) -> Option<(&'static Encoding, Vec<u8>, usize)> {
    let charset_start = start + 2;
    let window = value.get(charset_start..)?;
    let window = window
        .char_indices()
        .nth(MAX_CHARSET)
        .map_or(window, |(i, _)| window.get(..i).unwrap_or(window));
    let q1 = window.find('?')?;
    let label = window.get(..q1)?;
    let label = label.split('*').next().unwrap_or(label);
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    let after_label = charset_start + q1 + 1;
    let kind = value.get(after_label..after_label + 1)?;
    if value.get(after_label + 1..after_label + 2)? != "?" {
        return None;
    }
    let text_start = after_label + 2;
    let text_end = ends.next(value, text_start, |s| s.find("?="))?;
    if let Some(blank) = blanks.next(value, text_start, |s| s.find(char::is_whitespace))
        && blank < text_end
    {
        return None;
    }
    let text = value.get(text_start..text_end)?;
    let bytes = match kind {
        "B" | "b" => decode_base64(text).ok()?,
        "Q" | "q" => {
            let underscores: Vec<u8> = text
                .bytes()
                .map(|b| if b == b'_' { b' ' } else { b })
                .collect();
            q_decode(&underscores)
        }
        _ => return None,
    };
    Some((encoding, bytes, text_end + 2))
}

/// `=XX` escapes (the `Q` encoding, after `_` became a space); malformed escapes stay as written.
fn q_decode(bytes: &[u8]) -> Vec<u8> {
    unescape_hex(bytes, b'=', false)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn base64_and_q_words_are_decoded() {
        assert_eq!(decode("=?UTF-8?B?UsOpcG9uc2U=?="), "Réponse");
        assert_eq!(
            decode("=?iso-8859-1?Q?R=E9ponse_rapide?="),
            "Réponse rapide"
        );
    }

    #[test]
    fn whitespace_between_adjacent_words_is_dropped_and_split_characters_survive() {
        // "é" is C3 A9 in UTF-8, split across two words.
        assert_eq!(decode("=?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?= ok"), "café ok");
    }

    #[test]
    fn unknown_charset_and_broken_words_are_kept_as_written() {
        assert_eq!(decode("=?x-nope?Q?abc?="), "=?x-nope?Q?abc?=");
        assert_eq!(decode("a =?utf-8?Q?no end"), "a =?utf-8?Q?no end");
        assert_eq!(decode("=?utf-8?Q?has space?="), "=?utf-8?Q?has space?=");
    }

    #[test]
    fn plain_text_around_words_is_kept() {
        assert_eq!(
            decode("Re: =?utf-8?q?caf=C3=A9?= demain"),
            "Re: café demain"
        );
        assert_eq!(decode("100% sure =?utf-8?q?50=25?="), "100% sure 50%");
    }

    #[test]
    fn many_unterminated_word_starts_do_not_rescan() {
        let value = "=?utf-8?q?a".repeat(20_000);
        assert_eq!(decode(&value), value);
    }
}

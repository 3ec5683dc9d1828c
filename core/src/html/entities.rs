//! HTML character references: named (the ones mail actually uses) and numeric.

/// Latin-1 named entities, in code point order from U+00A0.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Other named entities common in mail.
const OTHER: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("OElig", 'Œ'),
    ("oelig", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Yuml", 'Ÿ'),
    ("fnof", 'ƒ'),
    ("circ", 'ˆ'),
    ("tilde", '˜'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200C}'),
    ("zwj", '\u{200D}'),
    ("lrm", '\u{200E}'),
    ("rlm", '\u{200F}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("bull", '•'),
    ("hellip", '…'),
    ("permil", '‰'),
    ("prime", '′'),
    ("Prime", '″'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("oline", '‾'),
    ("frasl", '⁄'),
    ("euro", '€'),
    ("trade", '™'),
    ("larr", '←'),
    ("uarr", '↑'),
    ("rarr", '→'),
    ("darr", '↓'),
    ("harr", '↔'),
    ("minus", '−'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("infin", '∞'),
    ("check", '✓'),
    ("star", '☆'),
    ("hearts", '♥'),
    ("NewLine", '\n'),
    ("Tab", '\t'),
];

/// Names a browser still accepts without the closing `;`.
const LEGACY_NO_SEMICOLON: &[&str] = &["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"];

/// How Windows-1252 maps 0x80..=0x9F; browsers apply it to numeric references in that range.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The character for a named reference (case-sensitive, as in HTML).
fn named(name: &str) -> Option<char> {
    if let Some(i) = LATIN1.iter().position(|n| *n == name) {
        return char::from_u32(0xA0 + u32::try_from(i).ok()?);
    }
    OTHER.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// The character for a numeric reference's code point, as a browser maps it.
fn numeric(code: u32) -> char {
    match code {
        0 => '\u{FFFD}',
        0x80..=0x9F => CP1252_HIGH
            .get(usize::try_from(code - 0x80).unwrap_or(0))
            .copied()
            .unwrap_or('\u{FFFD}'),
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    }
}

/// Try to decode one character reference at the start of `s` (which begins with `&`).
/// Returns the character and how many bytes it used.
fn decode_one(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    if bytes.get(1) == Some(&b'#') {
        let (radix, digits_start) = match bytes.get(2) {
            Some(b'x' | b'X') => (16, 3),
            _ => (10, 2),
        };
        let mut end = digits_start;
        let mut value: u32 = 0;
        while let Some(&b) = bytes.get(end) {
            let Some(d) = char::from(b).to_digit(radix) else {
                break;
            };
            // Saturate: anything past U+10FFFF is invalid anyway.
            value = value.saturating_mul(radix).saturating_add(d).min(0x11_0000);
            end += 1;
        }
        if end == digits_start {
            return None;
        }
        if bytes.get(end) == Some(&b';') {
            end += 1;
        }
        return Some((numeric(value), end));
    }
    let mut end = 1;
    while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) && end <= 33 {
        end += 1;
    }
    let name = s.get(1..end)?;
    if bytes.get(end) == Some(&b';') {
        return named(name).map(|c| (c, end + 1));
    }
    // Without `;`: only the legacy names, matched as a prefix.
    LEGACY_NO_SEMICOLON
        .iter()
        .find(|legacy| name.starts_with(*legacy))
        .and_then(|legacy| named(legacy).map(|c| (c, legacy.len() + 1)))
}

/// Decode every character reference in `s`, appending to `out` through `push`.
/// Unknown references stay as written.
pub(crate) fn decode_into(s: &str, mut push: impl FnMut(char)) {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        let (before, from_amp) = rest.split_at(i);
        before.chars().for_each(&mut push);
        match decode_one(from_amp) {
            Some((c, used)) => {
                push(c);
                rest = from_amp.get(used..).unwrap_or_default();
            }
            None => {
                push('&');
                rest = from_amp.get(1..).unwrap_or_default();
            }
        }
    }
    rest.chars().for_each(push);
}

/// Decode every character reference in `s` into a new string.
pub(crate) fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    decode_into(s, |c| out.push(c));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_numeric_and_hex_references_decode() {
        assert_eq!(
            decode("&eacute;t&eacute; &amp; caf&#233; &#x2014; &euro;"),
            "été & café — €"
        );
    }

    #[test]
    fn nbsp_decodes_to_no_break_space() {
        assert_eq!(decode("a&nbsp;b"), "a\u{a0}b");
    }

    #[test]
    fn unknown_or_broken_references_stay_as_written() {
        assert_eq!(decode("&bogus; & &#; &#xZZ;"), "&bogus; & &#; &#xZZ;");
    }

    #[test]
    fn legacy_references_without_semicolon_decode() {
        assert_eq!(decode("a &amp b &ltc"), "a & b <c");
    }

    #[test]
    fn cp1252_range_and_invalid_code_points_are_mapped() {
        assert_eq!(
            decode("&#146;&#0;&#xD800;&#99999999999;"),
            "’\u{FFFD}\u{FFFD}\u{FFFD}"
        );
    }
}

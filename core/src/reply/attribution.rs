//! Attribution lines: "On Mon, 3 Mar 2025 at 10:12, Marie <m@x.fr> wrote:" and their
//! equivalents in each client and language, also when wrapped over two or three lines.
//!
//! A line is an attribution only when it has the shape of one: it ends with a colon, and it has
//! the verb ("wrote", "a écrit", "schrieb", …) with a date or an email address, or a name right
//! before a final verb, or (Gmail in Russian and Japanese) a date and an address with no verb at
//! all. Unless it carries both the verb and an address, quoted lines (or the end of the text)
//! must follow it; so a line of prose that ends in "wrote:" is not taken for one.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::Line;

/// Longest line considered part of an attribution.
const MAX_LINE_CHARS: usize = 400;

/// Most lines an attribution is wrapped over.
const MAX_WRAPPED_LINES: usize = 3;

/// Reply verbs, by language. Those ending in a bracket or written without spaces between words
/// are matched without word boundaries.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:\b(?:wrote|writes|has written|a [ée]crit|[ée]crivait|escribi[óo]|ha escrito",
        r"|escreveu|escreve|schrieb|hat geschrieben|geschrieben|ha scritto|scrisse|schreef|heeft geschreven",
        r"|geschreven|napisał|napisała|napisal|napisana przez|pisze|skrev|skreiv|skriver|написал|написала|пишет",
        r"|napsal|napsala|napísal|kirjoitti|yazdı|írta|a scris",
        r"|quoting|zitat von|citando|citation de)\b",
        r"|napisał\(a\)|napisał/a|napsal\(a\)|napísal\(a\)|написал\(а\)|書きました|のメール|のメッセージ|写道)"
    ))
    .expect("static regex is valid")
});

/// A reply verb right before the final colon.
static VERB_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:\b(?:wrote|writes|has written|a [ée]crit|[ée]crivait|escribi[óo]|ha escrito",
        r"|escreveu|escreve|schrieb|hat geschrieben|geschrieben|ha scritto|scrisse|schreef|heeft geschreven",
        r"|geschreven|napisał|napisała|napisal|napisana przez|pisze|skrev|skreiv|skriver|написал|написала|пишет",
        r"|napsal|napsala|napísal|kirjoitti|yazdı|írta|a scris)",
        r"|napisał\(a\)|napisał/a|napsal\(a\)|napísal\(a\)|написал\(а\)|書きました|のメール|のメッセージ|写道)",
        r"\s*[:：]$"
    ))
    .expect("static regex is valid")
});

/// An email address.
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+").expect("static regex is valid"));

/// Something that reads as a date or a time: a time, a four-digit year, or a numeric date.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,2}[:h.]\d{2}|\d{4}|\d{1,2}[/.-]\d{1,2}").expect("static regex is valid")
});

/// Words that open an attribution in some language ("On", "Le", "Am", "W dniu", …).
static OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:on|le|el|em|am|op|il|den|w dniu|dnia|в|på|às|a|no dia|dne|the|quoting",
        r"|zitat von|citando|\*)\b"
    ))
    .expect("static regex is valid")
});

/// Particles that may sit inside a person's name.
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van", "von", "der",
    "den", "ten", "ter", "y", "e", "bin", "al",
];

/// Words that start a sentence, not a name ("As John wrote:", "Here is what Marie wrote:").
const SENTENCE_STARTS: &[&str] = &[
    "as",
    "like",
    "what",
    "here",
    "this",
    "that",
    "he",
    "she",
    "they",
    "you",
    "i",
    "we",
    "it",
    "someone",
    "somebody",
    "everyone",
    "nobody",
    "who",
    "which",
    "and",
    "but",
    "so",
    "then",
    "also",
    "yesterday",
    "today",
    "earlier",
    "comme",
    "ce",
    "il",
    "elle",
    "ils",
    "wie",
    "was",
    "er",
    "sie",
    "como",
    "lo",
    "que",
    "come",
    "zoals",
    "jak",
];

/// How sure the shape alone makes us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// Verb and email address: an attribution wherever it stands.
    Strong,
    /// Needs quoted lines (or the end of the text) after it.
    NeedsQuote,
}

/// An attribution found in the lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attribution {
    /// Its first line.
    pub start: usize,
    /// Its last line (the one ending in a colon).
    pub end: usize,
}

/// Whether a line's content ends as an attribution does: with a colon (ASCII or full-width),
/// or framed in dashes as Zoho writes it ("---- On Mon, 03 Mar 2025 … wrote ----").
pub(crate) fn ends_with_colon(content: &str) -> bool {
    content.ends_with(':') || content.ends_with('：') || dash_framed(content)
}

/// "---- … ----": three or more dashes on each side of some text.
fn dash_framed(content: &str) -> bool {
    let t = content.trim();
    let inner = t.trim_start_matches('-');
    t.len() - inner.len() >= 3 && {
        let core = inner.trim_end_matches('-');
        inner.len() - core.len() >= 3 && core.trim().chars().count() >= 8
    }
}

/// Whether the words before a final verb read as a person's name ("Marie Dupont wrote:").
fn is_name_then_verb(text: &str) -> bool {
    let Some(m) = VERB_AT_END.find(text) else {
        return false;
    };
    let before = text.get(..m.start()).unwrap_or_default().trim();
    let before = before.trim_matches(|c: char| matches!(c, '"' | '\'' | '“' | '”' | '«' | '»'));
    if before.is_empty() || before.chars().count() > 60 {
        return false;
    }
    let words: Vec<&str> = before.split_whitespace().collect();
    if words.len() > 5
        || words
            .first()
            .is_some_and(|w| SENTENCE_STARTS.contains(&w.to_lowercase().as_str()))
    {
        return false;
    }
    words.iter().all(|w| {
        let w = w.trim_matches(|c: char| matches!(c, '"' | '\'' | '“' | '”' | ',' | '(' | ')'));
        NAME_PARTICLES.contains(&w.to_lowercase().as_str())
            || w.chars().next().is_some_and(char::is_uppercase)
    })
}

/// The shape of a candidate (one to three lines joined by spaces), if it is an attribution.
pub(crate) fn shape(text: &str) -> Option<Strength> {
    if !ends_with_colon(text) {
        return None;
    }
    let has_verb = VERB.is_match(text);
    let has_email = EMAIL.is_match(text);
    let has_date = DATE.is_match(text);
    if has_verb && has_email {
        return Some(Strength::Strong);
    }
    if has_verb && has_date {
        return Some(Strength::NeedsQuote);
    }
    if has_email && has_date && !text.contains("://") {
        // Gmail in Russian or Japanese: "пн, 3 мар. 2025 г. в 10:12, Marie <m@x.ru>:".
        let tail = text.trim_end_matches([':', '：', ' ']);
        if tail.ends_with('>') || tail.ends_with(']') || tail.ends_with(')') {
            return Some(Strength::NeedsQuote);
        }
        if EMAIL
            .find_iter(tail)
            .last()
            .is_some_and(|m| m.end() == tail.len())
        {
            return Some(Strength::NeedsQuote);
        }
    }
    if is_name_then_verb(text) {
        return Some(Strength::NeedsQuote);
    }
    None
}

/// Whether quoted lines, or nothing, follow line `end`. An attribution that is itself quoted
/// (`> On … wrote:`) may be followed by lines of its own depth.
fn quote_follows(lines: &[Line<'_>], end: usize, depth: usize) -> bool {
    match lines.iter().skip(end + 1).find(|l| !l.is_blank()) {
        None => true,
        Some(next) => next.depth > depth || (depth > 0 && next.depth == depth),
    }
}

/// Whether `line` may be the first line of an attribution wrapped over several lines.
fn may_open_wrapped(line: &Line<'_>) -> bool {
    let c = line.content;
    !c.ends_with(['.', '!', '?', ';', ':', '：']) && (OPENER.is_match(c) || DATE.is_match(c))
}

/// The attribution whose last line is `end`, if there is one; `depth` is the depth it must
/// stand at. The shortest wrapping that has an attribution's shape wins, so a sentence above a
/// wrapped attribution is not swallowed.
pub(crate) fn ending_at(lines: &[Line<'_>], end: usize, depth: usize) -> Option<Attribution> {
    let last = lines.get(end)?;
    if last.depth != depth || !ends_with_colon(last.content) {
        return None;
    }
    let usable = |l: &Line<'_>| {
        l.depth == depth && !l.is_blank() && l.content.chars().count() <= MAX_LINE_CHARS
    };
    if !usable(last) {
        return None;
    }
    let mut joined = String::from(last.content);
    let mut start = end;
    let mut found: Option<(usize, Strength)> = None;
    for _ in 0..MAX_WRAPPED_LINES {
        if let Some(strength) = shape(&joined) {
            found = Some((start, strength));
            break;
        }
        let Some(prev) = start.checked_sub(1).and_then(|i| lines.get(i)) else {
            break;
        };
        if !usable(prev) || ends_with_colon(prev.content) {
            break;
        }
        joined = format!("{} {joined}", prev.content);
        start -= 1;
    }
    let (mut start, strength) = found?;
    // Take in one more line above when it opens the attribution ("On Mon, 3 Mar 2025 at 10:12,
    // Marie Dupont" / "<m@x.fr> wrote:").
    if end - start + 1 < MAX_WRAPPED_LINES
        && let Some(prev) = start.checked_sub(1).and_then(|i| lines.get(i))
        && usable(prev)
        && may_open_wrapped(prev)
        && !OPENER.is_match(&joined)
        && shape(&format!("{} {joined}", prev.content)).is_some()
    {
        start -= 1;
    }
    if strength == Strength::NeedsQuote && !quote_follows(lines, end, depth) {
        return None;
    }
    Some(Attribution { start, end })
}

/// The attribution that starts at line `start` (at any depth), if there is one: used where an
/// HTML quote container begins, whose first line is often the attribution.
pub(crate) fn starting_at(lines: &[Line<'_>], start: usize) -> Option<Attribution> {
    let depth = lines.get(start)?.depth;
    (start..start + MAX_WRAPPED_LINES)
        .filter(|&end| lines.get(end).is_some_and(|l| ends_with_colon(l.content)))
        .find_map(|end| {
            let mut joined = String::new();
            for l in lines.get(start..=end)? {
                if l.depth != depth || l.is_blank() {
                    return None;
                }
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(l.content);
            }
            shape(&joined).map(|_| Attribution { start, end })
        })
}

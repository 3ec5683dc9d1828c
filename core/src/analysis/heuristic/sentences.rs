//! Sentences of a reply, each with the lexicon categories found in it.

use std::collections::BTreeMap;

use super::lexicon::{Cat, Tag, matcher, prepare};

/// Longest sentence quoted in an action item or pain point, in characters.
pub(crate) const MAX_QUOTE_CHARS: usize = 240;

/// One sentence and what it signals.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    /// The sentence as written, trimmed.
    pub text: String,
    /// It ends with a question mark.
    pub question: bool,
    /// Categories found in it, with how many phrases of each.
    pub cats: BTreeMap<Cat, usize>,
    /// Number of words.
    pub words: usize,
}

impl Sentence {
    /// Whether it signals `cat`.
    pub fn has(&self, cat: Cat) -> bool {
        self.cats.contains_key(&cat)
    }

    /// The sentence cut for quoting.
    pub fn quote(&self) -> String {
        let mut s: String = self.text.chars().take(MAX_QUOTE_CHARS).collect();
        if self.text.chars().count() > MAX_QUOTE_CHARS {
            s.push('…');
        }
        s
    }
}

/// Split `text` into sentences (at newlines, `!`, `?`, and `.` before a space), match each
/// against the lexicons, and count stopword and phrase hits per language (index of
/// [`super::lexicon::ALL`]).
pub(crate) fn analyse_sentences(text: &str, lang_votes: &mut [usize]) -> Vec<Sentence> {
    let Some(m) = matcher() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end_here = match c {
            '\n' | '!' | '?' => true,
            '.' | '…' => iter.peek().is_none_or(|(_, n)| n.is_whitespace()),
            _ => false,
        };
        if end_here {
            let end = i + c.len_utf8();
            push_sentence(
                text.get(start..end).unwrap_or_default(),
                m,
                lang_votes,
                &mut out,
            );
            start = end;
        }
    }
    push_sentence(
        text.get(start..).unwrap_or_default(),
        m,
        lang_votes,
        &mut out,
    );
    out
}

fn push_sentence(
    raw: &str,
    m: &super::lexicon::Matcher,
    lang_votes: &mut [usize],
    out: &mut Vec<Sentence>,
) {
    let text = raw.trim();
    if text.is_empty() || !text.chars().any(char::is_alphanumeric) {
        // A lone "?" or "!" after a sentence belongs to it.
        if text.contains('?')
            && let Some(last) = out.last_mut()
        {
            last.question = true;
        }
        return;
    }
    let mut cats: BTreeMap<Cat, usize> = BTreeMap::new();
    for hit in m.hits(&prepare(text)) {
        match hit.tag {
            Tag::Term(cat, li) => {
                *cats.entry(cat).or_default() += 1;
                if let Some(v) = lang_votes.get_mut(li) {
                    *v += 1;
                }
            }
            Tag::Stop(li) => {
                if let Some(v) = lang_votes.get_mut(li) {
                    *v += 1;
                }
            }
        }
    }
    out.push(Sentence {
        text: text.to_string(),
        question: text.ends_with('?') || text.starts_with('¿'),
        cats,
        words: text.split_whitespace().count(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_ends_but_not_inside_numbers() {
        let mut votes = vec![0; 8];
        let s = analyse_sentences("We send 2.5k emails. Can you help?\nThanks!", &mut votes);
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["We send 2.5k emails.", "Can you help?", "Thanks!"]
        );
        assert!(s.get(1).is_some_and(|s| s.question));
        assert!(votes.first().is_some_and(|v| *v > 0));
    }
}

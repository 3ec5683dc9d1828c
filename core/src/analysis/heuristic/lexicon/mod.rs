//! Multilingual lexicons: phrases that signal interest, urgency, sentiment and problems.
//!
//! Phrases are written naturally (accents, apostrophes) and compared after
//! [`fold`](crate::analysis::repair) on both sides, on whole words; a phrase ending in `*` matches
//! a word prefix (`interess*`). All phrases of all languages go into one Aho-Corasick automaton,
//! built once, so matching is linear in the text.
//!
//! When one match lies inside a longer one ("happy" inside "not happy"), only the longer counts:
//! negations are written as phrases of their own.

mod de;
mod en;
mod es;
mod fr;
mod it;
mod nl;
mod pt;

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::analysis::repair::fold;

/// What a phrase signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Cat {
    /// Ready to buy, upgrade, sign, add seats.
    Buy,
    /// Asks about the offer: interested, tell me more, trial.
    Interest,
    /// Price, plans, cost, discount.
    Pricing,
    /// A demo, a call, a meeting.
    Demo,
    /// More seats, other teams, bigger volume.
    Expansion,
    /// The product, a feature, the app.
    Mention,
    /// How they use the product today.
    Usage,
    /// A feature they miss.
    Feature,
    /// Not interested, not now, already equipped.
    Decline,
    /// Stop emailing me.
    Unsubscribe,
    /// Thank-you words: polite, not by themselves positive.
    Thanks,
    /// Great, love it, works well.
    Positive,
    /// Disappointed, unhappy.
    Negative,
    /// Again, still, unacceptable.
    Frustrated,
    /// Urgent, today, blocked.
    Urgent,
    /// Bug, error, does not work.
    Problem,
    /// Cancel, refund, switch away.
    Churn,
    /// Invoices, payment, charges.
    Billing,
    /// Can you, please, let me know.
    Request,
    /// Out of office, automatic reply.
    Away,
    /// Negations that signal nothing: "no rush", "no problem", "pas urgent".
    Calm,
}

impl Cat {
    /// Whether a phrase of this category hides the shorter phrases inside it.
    fn overrides(self) -> bool {
        matches!(
            self,
            Cat::Decline
                | Cat::Calm
                | Cat::Negative
                | Cat::Unsubscribe
                | Cat::Frustrated
                | Cat::Buy
        )
    }
}

/// The phrases of one language.
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// ISO 639-1 code.
    pub lang: &'static str,
    /// Frequent short words, for telling languages apart in short texts.
    pub stopwords: &'static [&'static str],
    /// Phrases by what they signal.
    pub terms: &'static [(Cat, &'static [&'static str])],
}

/// Every lexicon, in the order ties between languages are broken.
pub(crate) const ALL: &[&Lexicon] = &[
    &en::LEXICON,
    &fr::LEXICON,
    &es::LEXICON,
    &pt::LEXICON,
    &de::LEXICON,
    &it::LEXICON,
    &nl::LEXICON,
];

/// What one pattern stands for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Tag {
    /// A phrase of a category in a language (index into [`ALL`]).
    Term(Cat, usize),
    /// A stopword of a language.
    Stop(usize),
}

/// The compiled automaton and what each pattern means.
#[derive(Debug)]
pub(crate) struct Matcher {
    ac: AhoCorasick,
    tags: Vec<Tag>,
}

/// One phrase found in a text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// What it signals.
    pub tag: Tag,
    /// Byte span in the folded, space-padded text.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

impl Matcher {
    fn build() -> Option<Self> {
        let mut patterns = Vec::new();
        let mut tags = Vec::new();
        for (li, lex) in ALL.iter().enumerate() {
            for (cat, phrases) in lex.terms {
                for p in *phrases {
                    if let Some(pat) = pattern(p) {
                        patterns.push(pat);
                        tags.push(Tag::Term(*cat, li));
                    }
                }
            }
            for w in lex.stopwords {
                if let Some(pat) = pattern(w) {
                    patterns.push(pat);
                    tags.push(Tag::Stop(li));
                }
            }
        }
        let ac = AhoCorasick::new(&patterns).ok()?;
        Some(Self { ac, tags })
    }

    /// Every phrase in `padded` (a folded text with a space at each end), with matches inside a
    /// longer match of another phrase dropped.
    pub fn hits(&self, padded: &str) -> Vec<Hit> {
        let mut hits: Vec<Hit> = self
            .ac
            .find_overlapping_iter(padded)
            .filter_map(|m| {
                self.tags.get(m.pattern().as_usize()).map(|tag| Hit {
                    tag: *tag,
                    start: m.start(),
                    end: m.end(),
                })
            })
            .collect();
        // Longest first at each start, then drop hits that lie inside a longer hit of an
        // overriding category (a negation: "not interested" hides "interested"). Hits are sorted
        // by start, so one sweep keeping the furthest overriding end seen is enough.
        hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        let mut reach = 0usize;
        let mut reach_start = 0usize;
        for h in hits {
            let inside = h.end <= reach && (h.start > reach_start || h.end < reach);
            let overriding = matches!(h.tag, Tag::Term(c, _) if c.overrides());
            if matches!(h.tag, Tag::Stop(_)) || !inside {
                if overriding && h.end > reach {
                    reach = h.end;
                    reach_start = h.start;
                }
                kept.push(h);
            }
        }
        kept
    }
}

/// A phrase as a pattern: folded, with word boundaries as spaces (none after a `*` prefix).
fn pattern(phrase: &str) -> Option<String> {
    let (body, prefix) = match phrase.strip_suffix('*') {
        Some(b) => (b, true),
        None => (phrase, false),
    };
    let f = fold(body).replace(' ', "  ");
    if f.is_empty() {
        return None;
    }
    Some(if prefix {
        format!(" {f}")
    } else {
        format!(" {f} ")
    })
}

/// The shared matcher, built on first use.
pub(crate) fn matcher() -> Option<&'static Matcher> {
    static M: OnceLock<Option<Matcher>> = OnceLock::new();
    M.get_or_init(Matcher::build).as_ref()
}

/// A text folded for matching: lowercase, no accents, words separated by single spaces, with a
/// space at each end. Consecutive matches share the space between them, so the automaton runs
/// over a copy where every space is doubled.
pub(crate) fn prepare(text: &str) -> String {
    let f = fold(text);
    let mut out = String::with_capacity(f.len() * 2 + 4);
    out.push_str("  ");
    for c in f.chars() {
        if c == ' ' {
            out.push_str("  ");
        } else {
            out.push(c);
        }
    }
    out.push_str("  ");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(text: &str) -> Vec<Cat> {
        let m = matcher().unwrap_or_else(|| panic!("lexicons compile"));
        m.hits(&prepare(text))
            .into_iter()
            .filter_map(|h| match h.tag {
                Tag::Term(c, _) => Some(c),
                Tag::Stop(_) => None,
            })
            .collect()
    }

    #[test]
    fn negated_phrase_hides_the_shorter_one() {
        let c = cats("We are not interested, thanks");
        assert!(c.contains(&Cat::Decline), "{c:?}");
        assert!(!c.contains(&Cat::Interest), "{c:?}");
    }

    #[test]
    fn phrases_match_across_accents_and_case() {
        assert!(cats("TRÈS INTÉRESSÉS par votre offre").contains(&Cat::Buy));
        assert!(cats("Wir sind sehr interessiert").contains(&Cat::Buy));
    }

    #[test]
    fn adjacent_phrases_both_match() {
        let c = cats("urgent bug");
        assert!(
            c.contains(&Cat::Urgent) && c.contains(&Cat::Problem),
            "{c:?}"
        );
    }
}

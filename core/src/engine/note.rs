//! The private note an analysis leaves on the timeline, and the rules that turn an analysis into
//! conversation changes (labels, priority).

use std::fmt::Write as _;

use crate::analysis::schema::WireValues;
use crate::analysis::{Analysis, ResponseType, Sentiment, Urgency};
use crate::conversation::Priority;

/// Longest label applied from a suggestion, in characters.
const MAX_LABEL_CHARS: usize = 40;

/// A readable summary of an analysis, for the team: the private note the analysis worker adds
/// to the timeline. The headings are English; the insights, actions and pain points are as the
/// analyzer wrote them (in the account's language).
///
/// ```
/// use replytrack::analysis::{Analysis, ResponseType};
/// use replytrack::engine::analysis_note;
///
/// let a = Analysis { response_type: ResponseType::HighValue, ..Analysis::default() };
/// let note = analysis_note(&a, "heuristic");
/// assert!(note.starts_with("Reply analysis (heuristic): high value — follow up at once"));
/// ```
pub fn analysis_note(a: &Analysis, analyzer: &str) -> String {
    let mut out = String::new();
    let verdict = match a.response_type {
        ResponseType::Standard => "standard — follow up at your pace",
        ResponseType::HighValue => "high value — follow up at once",
        ResponseType::NeedsAttention => "needs attention — handle before going on",
    };
    let _ = writeln!(out, "Reply analysis ({analyzer}): {verdict}");
    let _ = writeln!(
        out,
        "Sentiment {} · urgency {} · product interest {} · opportunity {}/5 · {}",
        a.sentiment.wire_name(),
        a.urgency.wire_name(),
        a.product_interest.wire_name().replace('_', " "),
        a.opportunity_score,
        if a.follow_up_needed {
            "follow-up needed"
        } else {
            "no follow-up needed"
        },
    );
    if let Some(v) = &a.monthly_volume {
        let _ = writeln!(
            out,
            "Volume: {} {} per month (\u{201c}{}\u{201d})",
            v.value, v.unit, v.raw
        );
    }
    if !a.references.is_empty() {
        let refs: Vec<String> = a
            .references
            .iter()
            .map(|r| format!("{} {}", r.kind.wire_name(), r.id))
            .collect();
        let _ = writeln!(out, "References: {}", refs.join(", "));
    }
    if let Some(u) = &a.product_usage {
        let _ = writeln!(out, "Usage: {u}");
    }
    for (heading, items) in [
        ("Insights", &a.key_insights),
        ("Pain points", &a.pain_points),
        ("Action items", &a.action_items),
        ("Recommended", &a.recommended_actions),
    ] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{heading}:");
        for item in items {
            let _ = writeln!(out, "- {item}");
        }
    }
    if !a.suggested_labels.is_empty() {
        let _ = writeln!(out, "Suggested labels: {}", a.suggested_labels.join(", "));
    }
    out.trim_end().to_string()
}

/// The priority an analysis asks for: urgent when the reply is urgent (sentiment `urgent` or
/// urgency `high`), high when it needs attention, none otherwise. The worker only ever raises a
/// conversation's priority to it.
pub(super) fn priority_for(a: &Analysis) -> Option<Priority> {
    if a.sentiment == Sentiment::Urgent || a.urgency == Urgency::High {
        Some(Priority::Urgent)
    } else if a.response_type == ResponseType::NeedsAttention {
        Some(Priority::High)
    } else {
        None
    }
}

/// A suggested label as applied: trimmed, lowercased, runs of spaces and underscores as one
/// `-`, only letters, digits, `-` and `:`, at most 40 characters. `None` when nothing is left.
/// Suggestions can come from a model's output: they are untrusted text.
pub(super) fn clean_label(raw: &str) -> Option<String> {
    let mut out = String::new();
    let mut dash = false;
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == ':' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c == '-' || c == '_' || c.is_whitespace() {
            dash = true;
        }
        if out.chars().count() >= MAX_LABEL_CHARS {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{MonthlyVolume, Period, RefKind, Reference};

    #[test]
    fn labels_from_suggestions_are_cleaned() {
        assert_eq!(
            clean_label(" Pricing Request "),
            Some("pricing-request".into())
        );
        assert_eq!(clean_label("upgrade_intent"), Some("upgrade-intent".into()));
        assert_eq!(clean_label("facturation"), Some("facturation".into()));
        assert_eq!(clean_label("<script>"), Some("script".into()));
        assert_eq!(clean_label(" -- "), None);
        assert_eq!(
            clean_label(&"x".repeat(500)).map(|l| l.chars().count()),
            Some(40)
        );
    }

    #[test]
    fn priority_follows_urgency_then_attention() {
        let urgent = Analysis {
            sentiment: Sentiment::Urgent,
            ..Analysis::default()
        };
        assert_eq!(priority_for(&urgent), Some(Priority::Urgent));
        let attention = Analysis {
            response_type: ResponseType::NeedsAttention,
            ..Analysis::default()
        };
        assert_eq!(priority_for(&attention), Some(Priority::High));
        assert_eq!(priority_for(&Analysis::default()), None);
    }

    #[test]
    fn the_note_shows_volume_references_and_lists() {
        let a = Analysis {
            monthly_volume: Some(MonthlyVolume {
                raw: "5 000 emails par mois".into(),
                value: 5000,
                unit: "emails".into(),
                period: Period::Month,
            }),
            references: vec![Reference {
                kind: RefKind::Quote,
                id: "D-42".into(),
            }],
            key_insights: vec!["Veut passer au forfait Pro".into()],
            ..Analysis::default()
        };
        let note = analysis_note(&a, "heuristic");
        assert!(note.contains("Volume: 5000 emails per month"));
        assert!(note.contains("References: quote D-42"));
        assert!(note.contains("Insights:\n- Veut passer au forfait Pro"));
        assert!(!note.contains("Pain points"));
    }
}

//! Values to and from columns: times as integer microseconds, ids as their text, records as
//! JSON.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use replytrack::analysis::ResponseType;
use replytrack::conversation::{Channel, Direction, JobKind, Priority};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::SqliteError;

/// A time as stored: microseconds since the Unix epoch.
pub(crate) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// A stored time back.
pub(crate) fn time(
    entity: &'static str,
    id: &str,
    column: &'static str,
    v: i64,
) -> Result<DateTime<Utc>, SqliteError> {
    DateTime::from_timestamp_micros(v).ok_or_else(|| SqliteError::Column {
        entity,
        id: id.to_string(),
        column,
        value: v.to_string(),
    })
}

/// A record as JSON.
pub(crate) fn encode<T: Serialize>(
    entity: &'static str,
    id: &impl ToString,
    record: &T,
) -> Result<String, SqliteError> {
    serde_json::to_string(record).map_err(|source| SqliteError::Encode {
        entity,
        id: id.to_string(),
        source,
    })
}

/// A record from JSON.
pub(crate) fn decode<T: DeserializeOwned>(
    entity: &'static str,
    id: &str,
    json: &str,
) -> Result<T, SqliteError> {
    serde_json::from_str(json).map_err(|source| SqliteError::Decode {
        entity,
        id: id.to_string(),
        source,
    })
}

/// An id (or other `FromStr` value) from its stored text.
pub(crate) fn parse<T: FromStr>(
    entity: &'static str,
    column: &'static str,
    text: &str,
) -> Result<T, SqliteError> {
    text.parse().map_err(|_| SqliteError::Column {
        entity,
        id: text.chars().take(64).collect(),
        column,
        value: text.chars().take(64).collect(),
    })
}

/// A channel's stored name.
pub(crate) fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Email => "email",
        Channel::Whatsapp => "whatsapp",
        Channel::Manual => "manual",
    }
}

/// A priority's stored name (its serde name).
pub(crate) fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::None => "none",
        Priority::Low => "low",
        Priority::Medium => "medium",
        Priority::High => "high",
        Priority::Urgent => "urgent",
    }
}

/// A message direction's stored name (its serde name).
pub(crate) fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Outbound => "outbound",
        Direction::Inbound => "inbound",
        Direction::ManualLog => "manual_log",
        Direction::Note => "note",
    }
}

/// A message direction from its stored name.
pub(crate) fn direction(id: &str, name: &str) -> Result<Direction, SqliteError> {
    match name {
        "outbound" => Ok(Direction::Outbound),
        "inbound" => Ok(Direction::Inbound),
        "manual_log" => Ok(Direction::ManualLog),
        "note" => Ok(Direction::Note),
        other => Err(SqliteError::Column {
            entity: "message",
            id: id.to_string(),
            column: "direction",
            value: other.chars().take(64).collect(),
        }),
    }
}

/// An analysis response type's stored name (its serde name).
pub(crate) fn response_type_name(r: ResponseType) -> &'static str {
    match r {
        ResponseType::Standard => "standard",
        ResponseType::HighValue => "high_value",
        ResponseType::NeedsAttention => "needs_attention",
    }
}

/// A job kind from its stored name.
pub(crate) fn job_kind(id: &str, name: &str) -> Result<JobKind, SqliteError> {
    match name {
        "forward" => Ok(JobKind::Forward),
        "analysis" => Ok(JobKind::Analysis),
        other => Err(SqliteError::Column {
            entity: "job",
            id: id.to_string(),
            column: "kind",
            value: other.chars().take(64).collect(),
        }),
    }
}

/// The words a record is indexed under for full-text search, joined by spaces.
pub(crate) fn search_doc<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut doc = String::new();
    for part in parts {
        for w in replytrack::ports::text_words(part) {
            if !doc.is_empty() {
                doc.push(' ');
            }
            doc.push_str(&w);
        }
    }
    doc
}

/// An FTS5 query requiring every word: each one quoted (words hold no quotes).
pub(crate) fn fts_query(words: &[String]) -> String {
    let mut q = String::new();
    for w in words {
        if !q.is_empty() {
            q.push(' ');
        }
        q.push('"');
        q.push_str(w);
        q.push('"');
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_documents_hold_lowercase_words_only() {
        assert_eq!(
            search_doc(["Re: Devis-2026", "Merci!\n\"OK\" — Zoë"]),
            "re devis 2026 merci ok zoë"
        );
        assert_eq!(search_doc(["", "..."]), "");
    }

    #[test]
    fn fts_queries_quote_each_word() {
        let words = replytrack::ports::search_words("NEAR(a b) OR \"c\"*");
        assert_eq!(fts_query(&words), "\"near\" \"a\" \"b\" \"or\" \"c\"");
    }

    #[test]
    fn stored_names_are_the_serde_names() {
        let json = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
        for p in [
            Priority::None,
            Priority::Low,
            Priority::Medium,
            Priority::High,
            Priority::Urgent,
        ] {
            assert_eq!(priority_name(p), json(serde_json::json!(p)));
        }
        for d in [
            Direction::Outbound,
            Direction::Inbound,
            Direction::ManualLog,
            Direction::Note,
        ] {
            assert_eq!(direction_name(d), json(serde_json::json!(d)));
            assert_eq!(direction("m", direction_name(d)).ok(), Some(d));
        }
        for r in [
            ResponseType::Standard,
            ResponseType::HighValue,
            ResponseType::NeedsAttention,
        ] {
            assert_eq!(response_type_name(r), json(serde_json::json!(r)));
        }
    }

    #[test]
    fn times_round_trip_to_the_microsecond() {
        let t = DateTime::from_timestamp(1_772_532_000, 123_456_000).unwrap_or_default();
        assert_eq!(time("job", "j", "run_at", micros(t)).ok(), Some(t));
        assert!(time("job", "j", "run_at", i64::MAX).is_err());
    }
}

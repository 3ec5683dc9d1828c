//! Between Rust values and columns: ids as `uuid`, records as `json` documents, enum names as
//! `text`, and text made storable.

use std::borrow::Cow;
use std::collections::HashSet;
use std::error::Error;

use chrono::{DateTime, Utc};
use replytrack::conversation::{
    Channel, Conversation, ConversationId, ConversationStatus, CustomerId, EventId, JobId, JobKind,
    MessageId, Priority,
};
use replytrack::ports::{StoreError, text_words};
use serde::de::DeserializeOwned;
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, Type};
use uuid::Uuid;

use crate::error::{PgError, cut};

/// An id as the `uuid` column that stores it (the same 128 bits, so the order is kept).
pub(crate) trait AsUuid {
    /// The column value.
    fn uuid(self) -> Uuid;
}

macro_rules! as_uuid {
    ($($t:ty),*) => {$(
        impl AsUuid for $t {
            fn uuid(self) -> Uuid {
                Uuid::from_u128(self.as_u128())
            }
        }
    )*};
}
as_uuid!(CustomerId, ConversationId, MessageId, EventId, JobId);

/// The raw text of a `json` (or `jsonb`) column, parsed by serde directly.
pub(crate) struct Doc<'a>(&'a [u8]);

impl<'a> FromSql<'a> for Doc<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        if *ty == Type::JSONB {
            // Binary jsonb starts with a format version byte (1).
            return match raw.split_first() {
                Some((1, rest)) => Ok(Self(rest)),
                _ => Err("unsupported jsonb format version".into()),
            };
        }
        Ok(Self(raw))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::JSON || *ty == Type::JSONB
    }
}

/// Read column `doc` of a row as a `T`; `entity` and the row's `id` name it in errors.
pub(crate) fn decode<T: DeserializeOwned>(
    entity: &'static str,
    row: &Row,
    doc: &str,
) -> Result<T, StoreError> {
    let id = || {
        row.try_get::<_, Uuid>(0)
            .map(|u| u.to_string())
            .or_else(|_| row.try_get::<_, String>(0))
            .unwrap_or_default()
    };
    let Doc(bytes) = row
        .try_get::<_, Doc<'_>>(doc)
        .map_err(|e| PgError::query("read a stored record", e))?;
    serde_json::from_slice(bytes).map_err(|source| {
        PgError::Decode {
            entity,
            id: id(),
            source,
        }
        .into()
    })
}

/// Column `name` of a row, with the driver error named as `operation`.
pub(crate) fn col<'a, T: FromSql<'a>>(row: &'a Row, name: &str) -> Result<T, StoreError> {
    row.try_get(name)
        .map_err(|e| PgError::query("read a column", e).into())
}

/// A text value PostgreSQL can store: `text` refuses NUL characters, so they become U+FFFD.
/// Applied alike when writing and when looking up, so lookups still match.
pub(crate) fn text(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Like [`text`], for an optional value.
pub(crate) fn opt_text(s: Option<&str>) -> Option<Cow<'_, str>> {
    s.map(text)
}

/// Longest word indexed for search, in bytes (PostgreSQL's limit for one lexeme is 2 046).
pub(crate) const MAX_WORD_BYTES: usize = 2_000;
/// Most bytes of distinct words indexed per record (a tsvector holds at most 1 MB of lexemes).
const MAX_INDEX_BYTES: usize = 900_000;

/// The distinct words of some texts, as [`text_words`] splits them, for a `tsvector` built with
/// `array_to_tsvector`: the store indexes exactly the words every store searches for. Words over
/// [`MAX_WORD_BYTES`] are left out, and so is everything past [`MAX_INDEX_BYTES`] of distinct
/// words (a body of random text; real mail never gets near).
pub(crate) fn index_words(parts: &[Option<&str>]) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut total = 0usize;
    let mut out = Vec::new();
    for w in parts.iter().flatten().flat_map(|p| text_words(p)) {
        if w.len() > MAX_WORD_BYTES || total + w.len() > MAX_INDEX_BYTES {
            continue;
        }
        if seen.insert(w.clone()) {
            total += w.len();
            out.push(w);
        }
    }
    out
}

/// A `tsquery` that needs every word (each a quoted lexeme, so no dictionary touches it); `None`
/// when a word is longer than anything indexed, so nothing can match.
pub(crate) fn all_words_query(words: &[String]) -> Option<String> {
    let mut q = String::new();
    for w in words {
        if w.len() > MAX_WORD_BYTES {
            return None;
        }
        if !q.is_empty() {
            q.push_str(" & ");
        }
        q.push('\'');
        for c in w.chars() {
            if matches!(c, '\'' | '\\') {
                q.push('\\');
            }
            q.push(c);
        }
        q.push('\'');
    }
    Some(q)
}

/// The `status` column of a conversation.
pub(crate) fn status_name(s: &ConversationStatus) -> &'static str {
    s.name()
}

/// The `snooze_until` column of a conversation.
pub(crate) fn snooze_until(s: &ConversationStatus) -> Option<DateTime<Utc>> {
    match s {
        ConversationStatus::Snoozed { until } => Some(*until),
        _ => None,
    }
}

/// The `channel` column.
pub(crate) fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Email => "email",
        Channel::Whatsapp => "whatsapp",
        Channel::Manual => "manual",
    }
}

/// The `priority` column.
pub(crate) fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::None => "none",
        Priority::Low => "low",
        Priority::Medium => "medium",
        Priority::High => "high",
        Priority::Urgent => "urgent",
    }
}

/// The `activity_at` column: the latest of creation, last inbound and last outbound.
pub(crate) fn activity(c: &Conversation) -> DateTime<Utc> {
    [c.last_inbound_at, c.last_outbound_at]
        .into_iter()
        .flatten()
        .fold(c.created_at, DateTime::max)
}

/// A job kind from its `kind` column.
pub(crate) fn job_kind(id: &Uuid, name: &str) -> Result<JobKind, StoreError> {
    match name {
        "forward" => Ok(JobKind::Forward),
        "analysis" => Ok(JobKind::Analysis),
        other => Err(PgError::BadColumn {
            entity: "job",
            id: id.to_string(),
            column: "kind",
            value: cut(other),
        }
        .into()),
    }
}

/// A stored version (bigint) as the record's `u64`.
pub(crate) fn version(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A record's `u64` version as the bigint it is compared with (a version past `i64::MAX`
/// matches nothing stored).
pub(crate) fn db_version(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_replaced_so_text_columns_accept_them() {
        assert_eq!(text("a\0b"), "a\u{fffd}b");
        assert!(matches!(text("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn index_words_are_the_distinct_search_words_of_every_part() {
        let words = index_words(&[Some("Devis 2026"), None, Some("devis-2026, RÉPONSE\0ok")]);
        assert_eq!(words, ["devis", "2026", "réponse", "ok"]);
        let long = "x".repeat(MAX_WORD_BYTES + 1);
        assert_eq!(index_words(&[Some(&long), Some("court")]), ["court"]);
    }

    #[test]
    fn the_query_needs_every_word_as_a_literal_lexeme() {
        let q = all_words_query(&["pro".into(), "prix".into()]);
        assert_eq!(q.as_deref(), Some("'pro' & 'prix'"));
        assert_eq!(all_words_query(&["x".repeat(MAX_WORD_BYTES + 1)]), None);
    }
}

//! Raw inbound bytes and dead letters: so that nothing received is ever lost.
//!
//! The host keeps what a provider delivered under the message's dedupe key
//! ([`PgStore::keep_raw`]) and purges it after the retention it chooses
//! ([`PgStore::purge_raw`]); what could not be parsed or stored goes to the dead-letter table
//! with the error ([`PgStore::dead_letter`]) for a person to look at.

use chrono::{DateTime, Utc};
use replytrack::ports::{DedupeKey, StoreError};

use crate::PgStore;
use crate::codec::{col, text};
use crate::reads::page;

/// Longest error text kept with a dead letter, in characters.
const MAX_ERROR_CHARS: usize = 4_000;

/// Something received that could not be parsed or stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// Its id in the table.
    pub id: i64,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// Where it came from (`sendgrid`, `mailgun`, `raw`, …), as the host named it.
    pub source: String,
    /// Why it could not be taken in.
    pub error: String,
    /// The bytes as delivered.
    pub raw: Vec<u8>,
}

impl PgStore {
    /// Keep the raw bytes of an inbound message under its dedupe key. Returns `false` (and
    /// keeps the first copy) when bytes are already kept under that key.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    pub async fn keep_raw(
        &self,
        key: &DedupeKey,
        raw: &[u8],
        received_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = "INSERT INTO raw_messages (dedupe_key, received_at, raw) VALUES ($1, $2, $3) \
                   ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key";
        let row = self
            .row(
                "keep raw bytes",
                sql,
                &[&text(key.as_str()), &received_at, &raw],
            )
            .await?;
        Ok(row.is_some())
    }

    /// The raw bytes kept under a dedupe key.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    pub async fn raw(&self, key: &DedupeKey) -> Result<Option<Vec<u8>>, StoreError> {
        let sql = "SELECT raw FROM raw_messages WHERE dedupe_key = $1";
        self.row("read raw bytes", sql, &[&text(key.as_str())])
            .await?
            .map(|r| col(&r, "raw"))
            .transpose()
    }

    /// Delete raw bytes received before `before` (the retention); returns how many.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    pub async fn purge_raw(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let sql = "WITH gone AS (DELETE FROM raw_messages WHERE received_at < $1 RETURNING 1) \
                   SELECT count(*) AS n FROM gone";
        let row = self.row("purge raw bytes", sql, &[&before]).await?;
        let n: i64 = row.map(|r| col(&r, "n")).transpose()?.unwrap_or(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Store something that could not be taken in, with why; returns its id.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    pub async fn dead_letter(
        &self,
        source: &str,
        raw: &[u8],
        error: &str,
        received_at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
        let sql = "INSERT INTO dead_letters (received_at, source, error, raw) \
                   VALUES ($1, $2, $3, $4) RETURNING id";
        let row = self
            .row(
                "store a dead letter",
                sql,
                &[&received_at, &text(source), &text(&error), &raw],
            )
            .await?;
        Ok(row.map(|r| col(&r, "id")).transpose()?.unwrap_or(0))
    }

    /// Dead letters, newest first, at most `limit` (0: 50).
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    pub async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        let sql = "SELECT id, received_at, source, error, raw FROM dead_letters \
                   ORDER BY received_at DESC, id DESC LIMIT $1";
        let rows = self.rows("read dead letters", sql, &[&page(limit)]).await?;
        rows.iter()
            .map(|r| {
                Ok(DeadLetter {
                    id: col(r, "id")?,
                    received_at: col(r, "received_at")?,
                    source: col(r, "source")?,
                    error: col(r, "error")?,
                    raw: col(r, "raw")?,
                })
            })
            .collect()
    }

    /// Remove a dead letter once it was dealt with; `false` when there was none with that id.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    pub async fn remove_dead_letter(&self, id: i64) -> Result<bool, StoreError> {
        let sql = "DELETE FROM dead_letters WHERE id = $1 RETURNING id";
        Ok(self
            .row("remove a dead letter", sql, &[&id])
            .await?
            .is_some())
    }
}

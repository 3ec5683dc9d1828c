//! Raw inbound bytes and dead letters, so that nothing received is ever lost.
//!
//! Both are keyed by the SHA-256 of the bytes: a provider's retry of the same payload is kept
//! once. Raw bytes stay until the host's retention purge; dead letters stay until removed.

use chrono::{DateTime, Utc};
use replytrack::ports::{DeadLetter, RawInbound, StoreError, cut_error};
use tokio_postgres::Row;

use crate::PgStore;
use crate::codec::{col, text};

fn raw_from_row(row: &Row) -> Result<RawInbound, StoreError> {
    Ok(RawInbound {
        sha256: col(row, "sha256")?,
        source: col(row, "source")?,
        received_at: col(row, "received_at")?,
        bytes: col(row, "bytes")?,
    })
}

impl PgStore {
    pub(crate) async fn insert_raw(&self, raw: &RawInbound) -> Result<bool, StoreError> {
        let sql = "INSERT INTO raw_inbound (sha256, source, received_at, bytes) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING RETURNING sha256";
        let row = self
            .row(
                "keep raw bytes",
                sql,
                &[
                    &text(&raw.sha256),
                    &text(&raw.source),
                    &raw.received_at,
                    &raw.bytes,
                ],
            )
            .await?;
        Ok(row.is_some())
    }

    pub(crate) async fn get_raw(&self, sha256: &str) -> Result<Option<RawInbound>, StoreError> {
        let sql = "SELECT sha256, source, received_at, bytes FROM raw_inbound WHERE sha256 = $1";
        self.row("read raw bytes", sql, &[&text(sha256)])
            .await?
            .map(|r| raw_from_row(&r))
            .transpose()
    }

    pub(crate) async fn delete_raw_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let sql = "WITH gone AS (DELETE FROM raw_inbound WHERE received_at < $1 RETURNING 1) \
                   SELECT count(*) AS n FROM gone";
        let row = self.row("purge raw bytes", sql, &[&before]).await?;
        let n: i64 = row.map(|r| col(&r, "n")).transpose()?.unwrap_or(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub(crate) async fn insert_dead_letter(&self, letter: &DeadLetter) -> Result<bool, StoreError> {
        // `xmax = 0` on the returned row: it was inserted, not updated by the conflict clause.
        let sql = "INSERT INTO dead_letters (sha256, source, received_at, bytes, error) \
                   VALUES ($1, $2, $3, $4, $5) \
                   ON CONFLICT (sha256) DO UPDATE SET error = EXCLUDED.error \
                   RETURNING (xmax = 0) AS inserted";
        let error = cut_error(&letter.error);
        let raw = &letter.raw;
        let row = self
            .row(
                "store a dead letter",
                sql,
                &[
                    &text(&raw.sha256),
                    &text(&raw.source),
                    &raw.received_at,
                    &raw.bytes,
                    &text(&error),
                ],
            )
            .await?;
        Ok(row
            .map(|r| col(&r, "inserted"))
            .transpose()?
            .unwrap_or(false))
    }

    pub(crate) async fn list_dead_letters(
        &self,
        limit: usize,
    ) -> Result<Vec<DeadLetter>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = "SELECT sha256, source, received_at, bytes, error FROM dead_letters \
                   ORDER BY received_at DESC, sha256 COLLATE \"C\" DESC LIMIT $1";
        let rows = self.rows("read dead letters", sql, &[&n]).await?;
        rows.iter()
            .map(|r| {
                Ok(DeadLetter {
                    raw: raw_from_row(r)?,
                    error: col(r, "error")?,
                })
            })
            .collect()
    }

    pub(crate) async fn delete_dead_letter(&self, sha256: &str) -> Result<bool, StoreError> {
        let sql = "DELETE FROM dead_letters WHERE sha256 = $1 RETURNING sha256";
        Ok(self
            .row("remove a dead letter", sql, &[&text(sha256)])
            .await?
            .is_some())
    }
}

//! Raw inbound bytes under retention, and dead letters.

use chrono::{DateTime, Utc};
use replytrack::ports::{DeadLetter, RawInbound, StoreError, cut_error};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::codec::{micros, time};
use crate::error::SqliteError;

type Result<T> = std::result::Result<T, StoreError>;

fn raw_row(r: &Row<'_>) -> rusqlite::Result<(String, String, i64, Vec<u8>)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn to_raw(
    entity: &'static str,
    (sha256, source, received, bytes): (String, String, i64, Vec<u8>),
) -> Result<RawInbound> {
    let received_at = time(entity, &sha256, "received_at", received)?;
    Ok(RawInbound {
        sha256,
        source,
        received_at,
        bytes,
    })
}

pub(crate) fn keep(conn: &Connection, raw: &RawInbound) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO raw_inbound (sha256, source, received_at, bytes)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .and_then(|mut s| {
            s.execute(params![
                raw.sha256,
                raw.source,
                micros(raw.received_at),
                raw.bytes
            ])
        })
        .map_err(SqliteError::sql("keeping raw inbound bytes"))?;
    Ok(n == 1)
}

pub(crate) fn get(conn: &Connection, sha256: &str) -> Result<Option<RawInbound>> {
    let row = conn
        .prepare_cached(
            "SELECT sha256, source, received_at, bytes FROM raw_inbound WHERE sha256 = ?1",
        )
        .and_then(|mut s| s.query_row([sha256], raw_row).optional())
        .map_err(SqliteError::sql("reading raw inbound bytes"))?;
    row.map(|r| to_raw("raw inbound", r)).transpose()
}

pub(crate) fn purge(conn: &Connection, before: DateTime<Utc>) -> Result<u64> {
    let n = conn
        .prepare_cached("DELETE FROM raw_inbound WHERE received_at < ?1")
        .and_then(|mut s| s.execute([micros(before)]))
        .map_err(SqliteError::sql("purging raw inbound bytes"))?;
    Ok(u64::try_from(n).unwrap_or(u64::MAX))
}

pub(crate) fn dead_letter(tx: &Connection, letter: &DeadLetter) -> Result<bool> {
    let error = cut_error(&letter.error);
    let updated = tx
        .prepare_cached("UPDATE dead_letters SET error = ?2 WHERE sha256 = ?1")
        .and_then(|mut s| s.execute(params![letter.raw.sha256, error]))
        .map_err(SqliteError::sql("updating a dead letter"))?;
    if updated > 0 {
        return Ok(false);
    }
    let r = &letter.raw;
    tx.prepare_cached(
        "INSERT INTO dead_letters (sha256, source, received_at, error, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| {
        s.execute(params![
            r.sha256,
            r.source,
            micros(r.received_at),
            error,
            r.bytes
        ])
    })
    .map_err(SqliteError::sql("storing a dead letter"))?;
    Ok(true)
}

pub(crate) fn dead_letters(conn: &Connection, limit: usize) -> Result<Vec<DeadLetter>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT sha256, source, received_at, bytes, error FROM dead_letters
             ORDER BY received_at DESC, sha256 DESC LIMIT ?1",
        )
        .map_err(SqliteError::sql("listing dead letters"))?;
    let rows = stmt
        .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok((raw_row(r)?, r.get::<_, String>(4)?))
        })
        .map_err(SqliteError::sql("listing dead letters"))?;
    let mut out = Vec::new();
    for row in rows {
        let (raw, error) = row.map_err(SqliteError::sql("listing dead letters"))?;
        out.push(DeadLetter {
            raw: to_raw("dead letter", raw)?,
            error,
        });
    }
    Ok(out)
}

pub(crate) fn remove_dead_letter(conn: &Connection, sha256: &str) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM dead_letters WHERE sha256 = ?1")
        .and_then(|mut s| s.execute([sha256]))
        .map_err(SqliteError::sql("removing a dead letter"))?;
    Ok(n > 0)
}

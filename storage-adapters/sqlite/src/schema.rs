//! The embedded, versioned migrations and the connection settings.
//!
//! Migrations are SQL files compiled into the crate, applied in order on open, each in its own
//! transaction together with its row in `schema_migrations`; a database already at the newest
//! version is left alone, and one written by a newer build is refused.

use std::time::Duration;

use rusqlite::{Connection, params};

use crate::error::SqliteError;

/// One schema change.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Its version (1, 2, …).
    pub version: i64,
    /// A short name.
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "inbox",
        sql: include_str!("../migrations/0002_inbox.sql"),
    },
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// How hard commits are pushed to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// WAL with `synchronous = NORMAL` (the default): a commit survives the process being
    /// killed; the last commits before a power loss or OS crash may be lost (never corrupted).
    #[default]
    Normal,
    /// `synchronous = FULL`: every commit is on disk before it returns (an fsync per commit).
    Full,
}

impl Synchronous {
    fn pragma(self) -> &'static str {
        match self {
            Self::Normal => "NORMAL",
            Self::Full => "FULL",
        }
    }
}

/// Connection settings shared by the writer and the readers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub busy_timeout: Duration,
    pub synchronous: Synchronous,
    pub cache_kib: u32,
}

/// Configure a connection: WAL (files only), busy timeout, foreign keys, cache.
pub(crate) fn configure(conn: &Connection, s: Settings, file: bool) -> rusqlite::Result<()> {
    conn.busy_timeout(s.busy_timeout)?;
    if file {
        // Returns the mode in force; a read-only or in-memory database keeps its own.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // Checkpoint (copy the WAL back and fsync) every 8 000 pages (32 MiB) rather than
        // 1 000: hot index pages are written back once per checkpoint, so fewer is cheaper.
        let _pages: i64 = conn.query_row("PRAGMA wal_autocheckpoint = 8000", [], |r| r.get(0))?;
    }
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = {};
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -{};",
        s.synchronous.pragma(),
        s.cache_kib
    ))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Bring the schema to [`latest_version`].
pub(crate) fn migrate(conn: &mut Connection) -> Result<i64, SqliteError> {
    let setup = |source| SqliteError::Migrate {
        version: 0,
        name: "schema_migrations",
        source,
    };
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY NOT NULL,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         );",
    )
    .map_err(setup)?;
    let current: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(setup)?;
    if current > latest_version() {
        return Err(SqliteError::SchemaTooNew {
            found: current,
            known: latest_version(),
        });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let failed = |source| SqliteError::Migrate {
            version: m.version,
            name: m.name,
            source,
        };
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(failed)?;
        // Another process may have applied it while this one waited for the lock.
        let done: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)",
                [m.version],
                |r| r.get(0),
            )
            .map_err(failed)?;
        if !done {
            tx.execute_batch(m.sql).map_err(failed)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
                params![m.version, m.name],
            )
            .map_err(failed)?;
        }
        tx.commit().map_err(failed)?;
    }
    Ok(latest_version())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(conn: &Connection, sql: &str) -> Option<String> {
        conn.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// A database written by a version-1 build gets the inbox columns filled from its records:
    /// phones normalised to E.164 (or none when they are not numbers), priorities, message
    /// directions and analysed response types.
    #[test]
    fn migration_2_fills_the_inbox_columns_from_the_stored_records() {
        let mut conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL,
                 name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '');",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(MIGRATIONS[0].sql)
            .unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(
            r#"INSERT INTO schema_migrations (version, name) VALUES (1, 'init');
            INSERT INTO customers (id, external_id, version, record) VALUES
                ('a', NULL, 1, '{"phone":" +33 6 12-34.56 (78) "}'),
                ('b', NULL, 1, '{"phone":"whatsapp:+1415"}'),
                ('c', NULL, 1, '{"phone":null}'),
                ('d', NULL, 1, '{"phone":"12345"}');
            INSERT INTO conversations (id, customer, status, channel, activity, version, record)
                VALUES ('k', 'a', 'open', 'whatsapp', 0, 1, '{"priority":"urgent"}');
            INSERT INTO messages (id, customer, conversation, thread_seq, version, record) VALUES
                ('m1', 'a', 'k', 1, 1, '{"direction":"inbound","analysis":{"response_type":"high_value"}}'),
                ('m2', 'a', 'k', 2, 1, '{"direction":"note"}');"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(migrate(&mut conn).ok(), Some(latest_version()));
        let phone = |id: &str| {
            text(
                &conn,
                &format!("SELECT phone FROM customers WHERE id = '{id}'"),
            )
        };
        assert_eq!(phone("a").as_deref(), Some("+33612345678"));
        assert_eq!(phone("b"), None);
        assert_eq!(phone("c"), None);
        assert_eq!(phone("d"), None);
        assert_eq!(
            text(&conn, "SELECT priority FROM conversations").as_deref(),
            Some("urgent")
        );
        assert_eq!(
            text(&conn, "SELECT response_type FROM messages WHERE id = 'm1'").as_deref(),
            Some("high_value")
        );
        assert_eq!(
            text(&conn, "SELECT direction FROM messages WHERE id = 'm2'").as_deref(),
            Some("note")
        );
        assert_eq!(
            text(&conn, "SELECT response_type FROM messages WHERE id = 'm2'"),
            None
        );
    }
}

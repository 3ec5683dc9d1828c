//! # replytrack-sqlite
//!
//! The embedded default [`Store`](replytrack::ports::Store) of replytrack: one SQLite file (or an
//! in-memory database), bundled SQLite, schema migrations compiled in and applied on open, WAL,
//! a busy timeout and foreign keys. It passes the same conformance suite as the in-memory and
//! PostgreSQL stores.
//!
//! - **Invariants in the database.** One stored copy per inbound message (the `dedupe_keys`
//!   primary key), one conversation that is not resolved per customer (a partial unique index),
//!   one record per token, one customer per address and per external id. Commits run in
//!   `IMMEDIATE` transactions, so several processes can share one file.
//! - **Indexed reads.** Timelines by conversation and by customer; conversation lists by status,
//!   assignee, team, channel, label and customer, newest activity first, with cursor pages;
//!   full-text search (FTS5) over subjects and bodies, resolved conversations included; inbox
//!   rows ([`Store::inbox`](replytrack::ports::Store::inbox)) in one statement with each
//!   conversation's customer, latest message that is not a note, and the reader's read mark;
//!   customers by E.164 phone.
//! - **A durable job queue** with leases, the attempt number as fencing token, retries and
//!   dead letters. SQLite has one writer, so a claim needs no `SKIP LOCKED`: it runs under the
//!   write lock.
//! - **Nothing is lost.** Raw inbound bytes can be kept (and purged after the host's retention
//!   period); what could not be parsed goes to a dead-letter table with its error.
//!
//! By default the store owns its connections on threads of its own (one writer, a few
//! readers), so its async methods never block the caller's executor, whichever it is;
//! [`Execution::CallerThread`] runs the work on the calling thread instead, for throughput.
//!
//! ```
//! use replytrack::ports::{Commit, Store, Write};
//! use replytrack::conversation::NewCustomer;
//! use replytrack_sqlite::SqliteStore;
//!
//! # futures::executor::block_on(async {
//! let store = SqliteStore::open_in_memory()?;
//! let now = chrono::Utc::now();
//! let marie = NewCustomer::new("marie@example.fr").build(now).unwrap();
//! store
//!     .commit(Commit { customers: vec![Write::Insert(marie.clone())], ..Commit::default() })
//!     .await?;
//! let found = store.customer_by_email("Marie@Example.fr").await?;
//! assert_eq!(found.map(|c| c.id), Some(marie.id));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

#![warn(missing_docs)]

mod codec;
mod commit;
mod error;
mod jobs;
mod query;
mod raw;
mod reads;
mod schema;
mod store;
#[cfg(test)]
mod tests;
mod worker;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use error::SqliteError;
pub use schema::{MIGRATIONS, Migration, Synchronous, latest_version};

use schema::Settings;
use worker::Workers;

/// Where the store runs its SQLite work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Execution {
    /// On threads of the store's own (one writer, the readers): an async call never blocks its
    /// executor, under any executor; each call costs a hand-off between threads (a few µs on
    /// an idle machine, much more on a loaded one).
    #[default]
    Threads,
    /// On the calling thread, holding a connection's lock: no hand-off, so several times the
    /// throughput on a busy machine, but each call blocks its executor thread while it runs
    /// (tens to hundreds of µs; a full-text search over a large database, or a lock held by
    /// another process, up to the busy timeout). For hosts that accept that, as they would for
    /// a mutex-guarded in-memory store.
    CallerThread,
}

/// How to open a [`SqliteStore`].
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    execution: Execution,
    readers: usize,
    busy_timeout: Duration,
    synchronous: Synchronous,
    cache_kib: u32,
}

impl Default for SqliteOptions {
    /// Work on the store's own threads, two reader connections, a 5 s busy timeout, `synchronous = NORMAL`, 32 MiB of page cache
    /// per connection.
    fn default() -> Self {
        Self {
            execution: Execution::Threads,
            readers: 2,
            busy_timeout: Duration::from_secs(5),
            synchronous: Synchronous::Normal,
            cache_kib: 32 * 1024,
        }
    }
}

impl SqliteOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many reader connections serve reads beside the writer (at most 16; 0 sends
    /// reads to the writer). An in-memory database always has none.
    pub fn readers(mut self, n: usize) -> Self {
        self.readers = n.min(16);
        self
    }

    /// Where SQLite work runs.
    pub fn execution(mut self, execution: Execution) -> Self {
        self.execution = execution;
        self
    }

    /// How long a connection waits for another process's lock before failing.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// How hard commits are pushed to disk.
    pub fn synchronous(mut self, mode: Synchronous) -> Self {
        self.synchronous = mode;
        self
    }

    /// Page cache per connection, in KiB.
    pub fn cache_kib(mut self, kib: u32) -> Self {
        self.cache_kib = kib.max(64);
        self
    }

    fn settings(&self) -> Settings {
        Settings {
            busy_timeout: self.busy_timeout,
            synchronous: self.synchronous,
            cache_kib: self.cache_kib,
        }
    }
}

/// A [`Store`](replytrack::ports::Store) in a SQLite database.
#[derive(Debug)]
pub struct SqliteStore {
    workers: Workers,
    path: Option<PathBuf>,
}

/// Row counts of the main tables (for operators, tests and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SqliteStats {
    /// Customers.
    pub customers: u64,
    /// Conversations.
    pub conversations: u64,
    /// Messages.
    pub messages: u64,
    /// Timeline events.
    pub events: u64,
    /// Token records.
    pub tokens: u64,
    /// Dedupe keys.
    pub dedupe_keys: u64,
    /// Jobs, whatever their state.
    pub jobs: u64,
    /// Raw inbound payloads kept.
    pub raw_inbound: u64,
    /// Dead letters.
    pub dead_letters: u64,
}

impl SqliteStore {
    /// Open (or create) the database at `path` with the default options, applying any pending
    /// migrations.
    ///
    /// # Errors
    /// [`SqliteError::Open`], [`SqliteError::Migrate`], [`SqliteError::SchemaTooNew`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, SqliteError> {
        Self::open_with(path, SqliteOptions::default())
    }

    /// Open (or create) the database at `path` with `options`.
    ///
    /// # Errors
    /// As [`SqliteStore::open`].
    pub fn open_with(path: impl AsRef<Path>, options: SqliteOptions) -> Result<Self, SqliteError> {
        let path = path.as_ref().to_path_buf();
        let settings = options.settings();
        let failed = |source| SqliteError::Open {
            path: path.clone(),
            source,
        };
        let mut writer = Connection::open(&path).map_err(failed)?;
        schema::configure(&writer, settings, true).map_err(failed)?;
        schema::migrate(&mut writer)?;
        let mut readers = Vec::new();
        for _ in 0..options.readers {
            let conn = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(failed)?;
            schema::configure(&conn, settings, false).map_err(failed)?;
            readers.push(conn);
        }
        let workers = match options.execution {
            Execution::Threads => Workers::threads(writer, readers)?,
            Execution::CallerThread => Workers::inline(writer, readers),
        };
        Ok(Self {
            workers,
            path: Some(path),
        })
    }

    /// A fresh in-memory database (one connection; gone when the store is dropped), its work
    /// on a thread of its own.
    ///
    /// # Errors
    /// As [`SqliteStore::open`].
    pub fn open_in_memory() -> Result<Self, SqliteError> {
        Self::open_in_memory_with(Execution::Threads)
    }

    /// A fresh in-memory database, its work run as `execution` says.
    ///
    /// # Errors
    /// As [`SqliteStore::open`].
    pub fn open_in_memory_with(execution: Execution) -> Result<Self, SqliteError> {
        let failed = |source| SqliteError::Open {
            path: PathBuf::from(":memory:"),
            source,
        };
        let mut conn = Connection::open_in_memory().map_err(failed)?;
        schema::configure(&conn, SqliteOptions::default().settings(), false).map_err(failed)?;
        schema::migrate(&mut conn)?;
        let workers = match execution {
            Execution::Threads => Workers::threads(conn, Vec::new())?,
            Execution::CallerThread => Workers::inline(conn, Vec::new()),
        };
        Ok(Self {
            workers,
            path: None,
        })
    }

    /// The database file, if it is not in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version of the database (after the migrations applied on open).
    ///
    /// # Errors
    /// [`StoreError::Backend`](replytrack::ports::StoreError::Backend) when it cannot be read.
    pub async fn schema_version(&self) -> Result<i64, replytrack::ports::StoreError> {
        self.workers
            .read(|conn| {
                conn.query_row(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| SqliteError::sql("reading the schema version")(e).into())
            })
            .await
    }

    /// Run SQLite's `integrity_check` and the foreign-key check; returns the problems found
    /// (empty when the database is sound).
    ///
    /// # Errors
    /// [`StoreError::Backend`](replytrack::ports::StoreError::Backend) when the checks cannot run.
    pub async fn check_integrity(&self) -> Result<Vec<String>, replytrack::ports::StoreError> {
        self.workers
            .read(|conn| {
                let failed = SqliteError::sql("checking integrity");
                let mut problems = Vec::new();
                let mut run = || -> rusqlite::Result<()> {
                    let mut s = conn.prepare("PRAGMA integrity_check")?;
                    for row in s.query_map([], |r| r.get::<_, String>(0))? {
                        let row = row?;
                        if row != "ok" {
                            problems.push(row);
                        }
                    }
                    let mut s = conn.prepare("PRAGMA foreign_key_check")?;
                    for row in s.query_map([], |r| {
                        Ok(format!(
                            "row {} of {} refers to a missing {}",
                            r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(2)?
                        ))
                    })? {
                        problems.push(row?);
                    }
                    Ok(())
                };
                run().map_err(failed)?;
                Ok(problems)
            })
            .await
    }

    /// Row counts of the main tables.
    ///
    /// # Errors
    /// [`StoreError::Backend`](replytrack::ports::StoreError::Backend) when they cannot be read.
    pub async fn stats(&self) -> Result<SqliteStats, replytrack::ports::StoreError> {
        self.workers
            .read(|conn| {
                let count = |table: &str| -> Result<u64, replytrack::ports::StoreError> {
                    let n: i64 = conn
                        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
                        .map_err(SqliteError::sql("counting rows"))?;
                    Ok(u64::try_from(n).unwrap_or(0))
                };
                Ok(SqliteStats {
                    customers: count("customers")?,
                    conversations: count("conversations")?,
                    messages: count("messages")?,
                    events: count("events")?,
                    tokens: count("tokens")?,
                    dedupe_keys: count("dedupe_keys")?,
                    jobs: count("jobs")?,
                    raw_inbound: count("raw_inbound")?,
                    dead_letters: count("dead_letters")?,
                })
            })
            .await
    }
}

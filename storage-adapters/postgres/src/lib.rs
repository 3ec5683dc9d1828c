//! # replytrack-postgres
//!
//! [`PgStore`]: the replytrack [`Store`](replytrack::ports::Store) on PostgreSQL, for a service
//! that runs on several machines sharing one database.
//!
//! - A connection pool (deadpool) over tokio-postgres; it must be used inside a Tokio runtime.
//! - Versioned migrations embedded in the crate ([`migrate::MIGRATIONS`]), applied when the store
//!   is built, under an advisory lock so instances starting together migrate once.
//! - One schema per store ([`PgStoreBuilder::schema`]): each connection's `search_path` is set to
//!   it, so tenants or test runs share a database without colliding.
//! - The invariants are the database's, so they hold across processes: a unique dedupe key (one
//!   stored copy per inbound message), a partial unique index (one conversation per customer
//!   that is not resolved), unique tokens, email addresses and external ids, and versioned
//!   `UPDATE … WHERE version = $n`. A refused write comes back as the matching
//!   [`Conflict`](replytrack::ports::Conflict), with nothing written.
//! - A commit is one round trip: `BEGIN`, its writes and `COMMIT` go in one pipeline, and a
//!   failed check aborts the transaction server-side. A caller that drops the future part-way
//!   leaves no transaction open: the server commits or rolls back what it was sent, whole.
//! - The job queue claims with `FOR UPDATE SKIP LOCKED`, leases, fences completions by attempt
//!   number, and dead-letters a job whose attempts are spent.
//! - Inbox queries on indexed columns (status, assignee, team, channel, label, customer), newest
//!   activity first, cursor-paginated, with full-text search over conversation subjects and
//!   message subjects and bodies (a `tsvector` of the words every store indexes, GIN-indexed).
//! - Inbox rows ([`Store::inbox`](replytrack::ports::Store::inbox)) in one statement: the page of
//!   conversations, then a `LATERAL` read of each one's latest message that is not a note, its
//!   customer and the reader's mark; customers by E.164 phone; per-agent read marks.
//! - Raw inbound bytes kept under their SHA-256 until the host's retention purge, and a
//!   dead-letter table for what could not be parsed.
//!
//! Connections use TLS (rustls) as the URL's `sslmode` says, with libpq's meanings: `prefer` by
//! default, `verify-full` to check the server's certificate and name; see [`tls`].
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use replytrack::ports::Store;
//! use replytrack_postgres::PgStore;
//!
//! let store = PgStore::builder("postgres://replytrack@127.0.0.1:5432/app")?
//!     .schema("replytrack")
//!     .build()
//!     .await?;
//! let store: Arc<dyn Store> = Arc::new(store);
//! // Engine::builder(…).store(store)…
//! # let _ = store; Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod codec;
mod commit;
mod config;
mod diagnose;
mod error;
mod inbox;
mod jobs;
mod listing;
pub mod migrate;
mod pipeline;
mod plan;
mod raw;
mod reads;
mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tls;

use std::fmt;
use std::sync::Arc;

use deadpool_postgres::{Object, Pool};
use replytrack::ports::StoreError;

pub use config::{
    DEFAULT_APPLICATION_NAME, DEFAULT_DENSE_SEARCH, DEFAULT_SCHEMA, PgStoreBuilder,
    valid_schema_name,
};
pub use error::PgError;
pub use tls::TlsVerify;

/// The replytrack store on PostgreSQL. Cloning it is cheap and shares the pool.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    schema: Arc<str>,
    server: Arc<str>,
    dense_search: i64,
}

impl fmt::Debug for PgStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.pool.status();
        f.debug_struct("PgStore")
            .field("server", &self.server)
            .field("schema", &self.schema)
            .field("connections", &status.size)
            .field("max_connections", &status.max_size)
            .finish()
    }
}

impl PgStore {
    /// Start configuring a store from a libpq-style URL; see [`PgStoreBuilder`].
    ///
    /// # Errors
    /// [`PgError::InvalidUrl`].
    pub fn builder(url: &str) -> Result<PgStoreBuilder, PgError> {
        PgStoreBuilder::new(url)
    }

    /// Connect with the defaults (schema `public`, 16 connections) and migrate.
    ///
    /// # Errors
    /// As [`PgStoreBuilder::build`].
    pub async fn connect(url: &str) -> Result<Self, PgError> {
        Self::builder(url)?.build().await
    }

    pub(crate) fn from_parts(pool: Pool, schema: String, server: String, dense: u32) -> Self {
        Self {
            pool,
            schema: schema.into(),
            server: server.into(),
            dense_search: i64::from(dense),
        }
    }

    /// The schema its tables live in.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The server, as `host:port/dbname`.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Drop the store's schema and everything in it (`DROP SCHEMA … CASCADE`), then close the
    /// pool. For tests and for tearing a tenant down; refused for `public`.
    ///
    /// # Errors
    /// [`PgError::InvalidSchema`] for `public`, and connection or statement errors.
    pub async fn drop_schema(self) -> Result<(), PgError> {
        if &*self.schema == DEFAULT_SCHEMA {
            return Err(PgError::InvalidSchema(DEFAULT_SCHEMA.to_string()));
        }
        let client = self.client_pg().await?;
        client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema))
            .await
            .map_err(|e| PgError::query("drop the schema", e))?;
        drop(client);
        self.pool.close();
        Ok(())
    }

    /// Refresh the planner's statistics of the store's tables (`ANALYZE`). Autovacuum does this
    /// on its own; call it after a bulk import when autovacuum is off or has not run yet, so
    /// that searches and lists get good plans.
    ///
    /// # Errors
    /// [`PgError::Connect`], [`PgError::Query`].
    pub async fn analyze(&self) -> Result<(), PgError> {
        let client = self.client_pg().await?;
        client
            .batch_execute(
                "ANALYZE customers, customer_emails, conversations, messages, events, tokens, jobs",
            )
            .await
            .map_err(|e| PgError::query("analyze the tables", e))
    }

    /// A pooled connection, or why there is none.
    pub(crate) async fn client_pg(&self) -> Result<Object, PgError> {
        self.pool.get().await.map_err(|source| PgError::Connect {
            server: self.server.to_string(),
            source,
        })
    }

    /// A pooled connection, with the failure as a [`StoreError::Backend`].
    pub(crate) async fn client(&self) -> Result<Object, StoreError> {
        Ok(self.client_pg().await?)
    }
}

//! [`SqliteError`]: what went wrong inside the SQLite store. Store operations return it wrapped
//! in [`StoreError::Backend`]; [`SqliteStore::open`](crate::SqliteStore::open) returns it as is.

use std::path::PathBuf;

use replytrack::ports::StoreError;

/// Why the SQLite store failed.
#[derive(Debug, thiserror::Error)]
pub enum SqliteError {
    /// The database file could not be opened or configured.
    #[error("cannot open SQLite database {path}: {source}")]
    Open {
        /// The file (`:memory:` for an in-memory database).
        path: PathBuf,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// A migration failed; the schema stays at the version before it.
    #[error("migration {version} ({name}) failed: {source}")]
    Migrate {
        /// The migration's version.
        version: i64,
        /// Its name.
        name: &'static str,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The database was written by a newer version of this crate.
    #[error("the database schema is at version {found}, newer than this build knows ({known})")]
    SchemaTooNew {
        /// The version in the database.
        found: i64,
        /// The newest version this build has.
        known: i64,
    },
    /// A statement failed.
    #[error("SQLite failed while {operation}: {source}")]
    Sql {
        /// What the store was doing (`inserting a message`, `claiming jobs`).
        operation: &'static str,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// A stored record could not be read back.
    #[error("stored {entity} {id} cannot be decoded: {source}")]
    Decode {
        /// `customer`, `conversation`, `message`, `token` or `event`.
        entity: &'static str,
        /// The record's id or row.
        id: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// A stored column holds a value this build does not know.
    #[error("stored {entity} {id} has an invalid {column}: {value:?}")]
    Column {
        /// The table's entity.
        entity: &'static str,
        /// The record's id.
        id: String,
        /// The column.
        column: &'static str,
        /// The value found (cut to 64 characters).
        value: String,
    },
    /// A record could not be encoded as JSON.
    #[error("{entity} {id} cannot be encoded: {source}")]
    Encode {
        /// The entity.
        entity: &'static str,
        /// The record's id.
        id: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// A time is outside the range the store keeps (about ±290 000 years around 1970).
    #[error("{what} {value} is outside the range of stored times")]
    TimeRange {
        /// Which time.
        what: &'static str,
        /// The time, as text.
        value: String,
    },
    /// The store's worker threads have stopped (the store is being dropped, or a thread died).
    #[error("the SQLite store's {0} thread is gone")]
    WorkerGone(&'static str),
    /// A worker thread panicked while running an operation; the operation's transaction was
    /// rolled back.
    #[error("the SQLite store's {0} thread panicked during an operation")]
    WorkerPanicked(&'static str),
    /// A worker thread could not be started.
    #[error("cannot start a SQLite worker thread: {0}")]
    Spawn(#[source] std::io::Error),
}

impl SqliteError {
    /// A failed statement, with what the store was doing.
    pub(crate) fn sql(operation: &'static str) -> impl FnOnce(rusqlite::Error) -> Self {
        move |source| Self::Sql { operation, source }
    }
}

impl From<SqliteError> for StoreError {
    fn from(e: SqliteError) -> Self {
        StoreError::Backend(Box::new(e))
    }
}

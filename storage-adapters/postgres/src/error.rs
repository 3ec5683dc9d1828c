//! [`PgError`]: what went wrong talking to PostgreSQL, and its mapping onto
//! [`StoreError`](replytrack::ports::StoreError).
//!
//! Unique-rule violations and version checks never surface as a `PgError`: the store turns them
//! into [`Conflict`](replytrack::ports::Conflict)s. What is left is the backend failing (a lost
//! connection, a full pool, a row the store cannot read back), reported as
//! `StoreError::Backend(Box<PgError>)` so a host can downcast it.

use replytrack::ports::StoreError;
use tokio_postgres::error::SqlState;

/// Why the PostgreSQL store could not do something.
///
/// No variant carries the connection password: messages name the server as `host:port/dbname`
/// and the user only.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    /// The TLS settings could not be used (unreadable root certificates, say).
    #[error("PostgreSQL TLS settings: {0}")]
    Tls(String),
    /// The connection URL could not be read.
    #[error("the PostgreSQL connection URL is not valid: {0}")]
    InvalidUrl(#[source] tokio_postgres::Error),
    /// The schema name is not a plain lowercase SQL identifier.
    #[error(
        "schema name {0:?} is not valid: use 1 to 63 characters of a-z, 0-9 and _, not starting with a digit"
    )]
    InvalidSchema(String),
    /// The application name is too long or holds characters PostgreSQL would not keep.
    #[error("application name {0:?} is not valid: use at most 63 printable ASCII characters")]
    InvalidApplicationName(String),
    /// The connection pool could not be built.
    #[error("the PostgreSQL connection pool for {server} could not be built: {source}")]
    PoolBuild {
        /// The server, as `host:port/dbname`.
        server: String,
        /// What the pool reported.
        #[source]
        source: deadpool_postgres::BuildError,
    },
    /// No connection could be had from the pool (the server is unreachable, refused the login,
    /// or every connection stayed busy past the wait timeout).
    #[error("no PostgreSQL connection to {server}: {source}")]
    Connect {
        /// The server, as `host:port/dbname`.
        server: String,
        /// What the pool reported.
        #[source]
        source: deadpool_postgres::PoolError,
    },
    /// The connection broke while a statement ran: the transaction, if any, did not commit.
    #[error("the PostgreSQL connection was lost during {operation}: {source}")]
    ConnectionLost {
        /// What the store was doing.
        operation: &'static str,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// A statement failed.
    #[error("PostgreSQL refused {operation} (SQLSTATE {code}): {source}")]
    Query {
        /// What the store was doing.
        operation: &'static str,
        /// The SQLSTATE, or `none` when the driver failed before the server answered.
        code: String,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// A stored record could not be read back into its Rust type.
    #[error("{entity} {id} is stored in a form this version cannot read: {source}")]
    Decode {
        /// `customer`, `conversation`, `message`, `event`, `token` or `job`.
        entity: &'static str,
        /// The record's id as stored.
        id: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// A stored column holds a value outside what the schema allows.
    #[error("{entity} {id}: column {column} holds {value:?}, which is not a valid value")]
    BadColumn {
        /// The entity.
        entity: &'static str,
        /// The record's id as stored.
        id: String,
        /// The column.
        column: &'static str,
        /// The value found (cut to 64 characters).
        value: String,
    },
    /// A migration failed; it was rolled back with every later one.
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        /// Its number.
        version: i32,
        /// Its file name.
        name: &'static str,
        /// The driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// A migration recorded as applied differs from the one embedded in this build.
    #[error(
        "migration {version} ({name}) was applied with checksum {applied} but this build embeds {embedded}: the schema was changed by another build"
    )]
    MigrationChanged {
        /// Its number.
        version: i32,
        /// Its file name.
        name: &'static str,
        /// The checksum recorded in `schema_migrations`.
        applied: String,
        /// The checksum of the embedded text.
        embedded: String,
    },
    /// The schema was migrated by a newer build.
    #[error(
        "schema {schema} is at migration {found}, newer than the {known} this build knows: upgrade replytrack-postgres"
    )]
    SchemaTooNew {
        /// The schema.
        schema: String,
        /// The newest migration applied.
        found: i32,
        /// The newest migration embedded.
        known: i32,
    },
    /// A unique rule refused a commit, and re-reading the rows did not name the record in the way
    /// (the other writer rolled back each time the commit was retried).
    #[error("constraint {constraint} kept refusing the commit but no conflicting record remained")]
    UnexplainedConflict {
        /// The constraint.
        constraint: String,
    },
}

impl PgError {
    /// A driver error during `operation`, classified: lost connection or refused statement.
    pub(crate) fn query(operation: &'static str, source: tokio_postgres::Error) -> Self {
        let code = source.code().map(|c| c.code().to_string());
        // No SQLSTATE: an I/O failure. Class 08: connection exception. 57P01–57P03: the server
        // is shutting down or terminated this session.
        let io = std::error::Error::source(&source).is_some_and(|s| s.is::<std::io::Error>());
        let lost = source.is_closed()
            || io
            || code
                .as_deref()
                .is_some_and(|c| c.starts_with("08") || c.starts_with("57P0"));
        if lost {
            return Self::ConnectionLost { operation, source };
        }
        Self::Query {
            operation,
            code: code.unwrap_or_else(|| "none".to_string()),
            source,
        }
    }

    /// Whether retrying the same transaction may succeed (a deadlock or serialization failure).
    pub(crate) fn is_transient(source: &tokio_postgres::Error) -> bool {
        matches!(
            source.code(),
            Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
        )
    }
}

impl From<PgError> for StoreError {
    fn from(e: PgError) -> Self {
        StoreError::Backend(Box::new(e))
    }
}

/// Shorthand: a driver error during `operation` as a [`StoreError::Backend`].
pub(crate) fn backend(operation: &'static str) -> impl Fn(tokio_postgres::Error) -> StoreError {
    move |e| PgError::query(operation, e).into()
}

/// The first 64 characters of a stored value, for error messages.
pub(crate) fn cut(value: &str) -> String {
    value.chars().take(64).collect()
}

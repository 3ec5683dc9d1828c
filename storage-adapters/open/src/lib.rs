//! Open a replytrack [`Store`] from one string, the way a command line, a config file or a binding
//! names a database:
//!
//! | target                                   | store                                         |
//! |------------------------------------------|-----------------------------------------------|
//! | `replytrack.db`, `./data/rt.sqlite`      | SQLite file (created and migrated on open)    |
//! | `sqlite:replytrack.db`, `sqlite://x.db`  | the same, spelled out                          |
//! | `:memory:`, `sqlite::memory:`            | a private in-memory SQLite database            |
//! | `postgres://user@host:5432/db`           | PostgreSQL (pool, migrations under a lock)     |
//! | `postgresql://…?options=…`               | the same                                       |
//!
//! ```no_run
//! # async fn run() -> Result<(), replytrack_open::OpenError> {
//! let target: replytrack_open::StoreTarget = "replytrack.db".parse()?;
//! let store = replytrack_open::open(&target, &replytrack_open::OpenOptions::default()).await?;
//! # let _ = store; Ok(()) }
//! ```
//!
//! The PostgreSQL store runs on the caller's tokio runtime; the SQLite store has threads of its
//! own and works under any executor. [`StoreTarget`]'s `Display` and `Debug` hide a password in
//! the URL, so a target can be logged.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use replytrack::ports::Store;
use replytrack_postgres::{PgError, PgStore};
use replytrack_sqlite::{SqliteError, SqliteStore};

/// Where a store lives.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreTarget {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A private in-memory SQLite database, gone when the store is dropped.
    SqliteMemory,
    /// A PostgreSQL server, as a libpq-style URL (`postgres://` or `postgresql://`).
    Postgres(String),
}

impl StoreTarget {
    /// Whether this is a PostgreSQL target (which needs a tokio runtime).
    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }

    /// The kind of store, as a short stable name: `sqlite`, `sqlite-memory` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::SqliteMemory => "sqlite-memory",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Mask the password of a URL's user-info (`postgres://u:secret@h` → `postgres://u:***@h`).
fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let userinfo = &authority[..at];
    match userinfo.find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &userinfo[..colon],
            &rest[at..]
        ),
        None => url.to_owned(),
    }
}

impl fmt::Display for StoreTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Self::SqliteMemory => f.write_str("sqlite::memory:"),
            Self::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

impl fmt::Debug for StoreTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreTarget({self})")
    }
}

impl FromStr for StoreTarget {
    type Err = OpenError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(OpenError::EmptyTarget);
        }
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Ok(Self::Postgres(s.to_owned()));
        }
        let path = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
            .unwrap_or(s);
        if path == ":memory:" {
            return Ok(Self::SqliteMemory);
        }
        if path.is_empty() {
            return Err(OpenError::EmptyTarget);
        }
        if let Some(scheme) = path.split_once("://").map(|(scheme, _)| scheme)
            && !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
        {
            return Err(OpenError::UnknownScheme(scheme.to_owned()));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }
}

/// Settings that apply when the target is of the matching kind.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct OpenOptions {
    /// PostgreSQL: the schema the tables live in (default `public`).
    pub pg_schema: Option<String>,
    /// PostgreSQL: the most connections in the pool (default 16).
    pub pg_pool_size: Option<usize>,
    /// PostgreSQL: the application name the server shows in `pg_stat_activity`.
    pub pg_application_name: Option<String>,
}

impl OpenOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Put PostgreSQL tables in `schema`.
    pub fn pg_schema(mut self, schema: impl Into<String>) -> Self {
        self.pg_schema = Some(schema.into());
        self
    }

    /// Cap the PostgreSQL pool at `size` connections.
    pub fn pg_pool_size(mut self, size: usize) -> Self {
        self.pg_pool_size = Some(size);
        self
    }

    /// Name the PostgreSQL connections.
    pub fn pg_application_name(mut self, name: impl Into<String>) -> Self {
        self.pg_application_name = Some(name.into());
        self
    }
}

/// Why a store could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The target string is empty.
    #[error("no store given: pass a SQLite path, :memory: or a postgres:// URL")]
    EmptyTarget,
    /// The target is a URL of a kind this crate does not open.
    #[error(
        "unknown store scheme {0:?}: use a SQLite path, sqlite:PATH, :memory: or a postgres:// URL"
    )]
    UnknownScheme(String),
    /// SQLite refused to open or migrate the file.
    #[error(transparent)]
    Sqlite(#[from] SqliteError),
    /// PostgreSQL could not be reached, configured or migrated.
    #[error(transparent)]
    Postgres(#[from] PgError),
}

/// Open the store `target` names, creating and migrating its schema if needed.
///
/// A PostgreSQL target must be opened (and used) inside a tokio runtime.
///
/// # Errors
/// [`OpenError::Sqlite`] or [`OpenError::Postgres`] with the adapter's typed error.
pub async fn open(
    target: &StoreTarget,
    options: &OpenOptions,
) -> Result<Arc<dyn Store>, OpenError> {
    Ok(match target {
        StoreTarget::Sqlite(path) => Arc::new(SqliteStore::open(path)?),
        StoreTarget::SqliteMemory => Arc::new(SqliteStore::open_in_memory()?),
        StoreTarget::Postgres(url) => {
            let mut builder = PgStore::builder(url)?;
            if let Some(schema) = &options.pg_schema {
                builder = builder.schema(schema.clone());
            }
            if let Some(size) = options.pg_pool_size {
                builder = builder.pool_size(size);
            }
            if let Some(name) = &options.pg_application_name {
                builder = builder.application_name(name.clone());
            }
            Arc::new(builder.build().await?)
        }
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn targets_parse() {
        let t = |s: &str| s.parse::<StoreTarget>().unwrap();
        assert_eq!(t("rt.db"), StoreTarget::Sqlite("rt.db".into()));
        assert_eq!(t("sqlite:rt.db"), StoreTarget::Sqlite("rt.db".into()));
        assert_eq!(
            t("sqlite:///tmp/rt.db"),
            StoreTarget::Sqlite("/tmp/rt.db".into())
        );
        assert_eq!(t(":memory:"), StoreTarget::SqliteMemory);
        assert_eq!(t("sqlite::memory:"), StoreTarget::SqliteMemory);
        assert!(t("postgres://u@h/db").is_postgres());
        assert!(t("PostgreSQL://u@h/db").is_postgres());
        assert!(matches!(
            "mysql://h/db".parse::<StoreTarget>(),
            Err(OpenError::UnknownScheme(s)) if s == "mysql"
        ));
        assert!(matches!(
            "  ".parse::<StoreTarget>(),
            Err(OpenError::EmptyTarget)
        ));
        assert!(matches!(
            "sqlite:".parse::<StoreTarget>(),
            Err(OpenError::EmptyTarget)
        ));
    }

    #[test]
    fn passwords_never_show() {
        let t: StoreTarget = "postgres://app:s3cret@db.internal:5432/rt?sslmode=require"
            .parse()
            .unwrap();
        let shown = format!("{t} {t:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains("postgres://app:***@db.internal:5432/rt"),
            "{shown}"
        );
        let plain: StoreTarget = "postgres://app@db/rt".parse().unwrap();
        assert_eq!(plain.to_string(), "postgres://app@db/rt");
    }

    #[tokio::test]
    async fn opens_sqlite_file_and_memory() {
        let dir = std::env::temp_dir().join(format!("rt-open-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("open.db");
        let store = open(&StoreTarget::Sqlite(path.clone()), &OpenOptions::default())
            .await
            .unwrap();
        assert!(
            store
                .customer_by_email("nobody@example.com")
                .await
                .unwrap()
                .is_none()
        );
        drop(store);
        assert!(path.exists());
        let mem = open(&StoreTarget::SqliteMemory, &OpenOptions::default())
            .await
            .unwrap();
        assert!(
            mem.customer_by_email("x@example.com")
                .await
                .unwrap()
                .is_none()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

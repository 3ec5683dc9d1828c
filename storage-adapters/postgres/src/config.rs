//! [`PgStoreBuilder`]: where the database is, which schema, how many connections.

use std::fmt;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;
use tokio_postgres::config::Host;

use rustls::pki_types::CertificateDer;

use crate::PgStore;
use crate::error::PgError;
use crate::migrate;
use crate::tls::{self, TlsVerify};

/// The schema used when none is named.
pub const DEFAULT_SCHEMA: &str = "public";
/// The `application_name` sessions report when none is named.
pub const DEFAULT_APPLICATION_NAME: &str = "replytrack";

/// Settings for a [`PgStore`], ending in [`PgStoreBuilder::build`].
///
/// ```no_run
/// # async fn run() -> Result<(), replytrack_postgres::PgError> {
/// use std::time::Duration;
/// use replytrack_postgres::PgStore;
///
/// let store = PgStore::builder("postgres://app:secret@db.internal:5432/app")?
///     .schema("replytrack")
///     .pool_size(16)
///     .connect_timeout(Duration::from_secs(5))
///     .build()
///     .await?;
/// # let _ = store; Ok(()) }
/// ```
///
/// `Debug` never shows the password.
#[derive(Clone)]
pub struct PgStoreBuilder {
    config: tokio_postgres::Config,
    schema: String,
    pool_size: usize,
    connect_timeout: Duration,
    wait_timeout: Duration,
    application_name: String,
    dense_search: u32,
    tls_verify: TlsVerify,
    tls_roots: Vec<CertificateDer<'static>>,
    tls_root_file: Option<String>,
}

/// From how many matching messages a search walks the conversation list instead of collecting
/// every match (see [`PgStoreBuilder::dense_search_threshold`]).
pub const DEFAULT_DENSE_SEARCH: u32 = 1_000;

impl fmt::Debug for PgStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgStoreBuilder")
            .field("server", &server_name(&self.config))
            .field("user", &self.config.get_user())
            .field(
                "password",
                &self.config.get_password().map(|_| "<redacted>"),
            )
            .field("schema", &self.schema)
            .field("pool_size", &self.pool_size)
            .field("connect_timeout", &self.connect_timeout)
            .field("wait_timeout", &self.wait_timeout)
            .field("application_name", &self.application_name)
            .field("dense_search", &self.dense_search)
            .field("ssl_mode", &self.config.get_ssl_mode())
            .field("tls_verify", &self.tls_verify)
            .field("tls_roots", &self.tls_roots.len())
            .field("tls_root_file", &self.tls_root_file)
            .finish()
    }
}

/// `host:port/dbname` of a configuration (the first host), for messages. No user, no password.
pub(crate) fn server_name(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("{host}:{port}/{db}")
}

/// Whether `name` is a schema name the store accepts: a plain lowercase identifier, so it needs no
/// quoting in SQL or in the `search_path` startup option.
pub fn valid_schema_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    first_ok
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with("pg_")
}

impl PgStoreBuilder {
    /// Settings from a libpq-style URL (`postgres://user:password@host:port/dbname?…`) or
    /// key-value string (`host=… user=… dbname=…`).
    ///
    /// `sslmode` (`disable`, `prefer` — the default —, `require`, `verify-ca`, `verify-full`)
    /// and `sslrootcert=PATH` mean what they mean to libpq; see [`crate::tls`].
    ///
    /// # Errors
    /// [`PgError::InvalidUrl`] when it cannot be read (the message does not repeat the URL).
    pub fn new(url: &str) -> Result<Self, PgError> {
        let (url, params) = tls::split_tls_params(url);
        let config = url
            .parse::<tokio_postgres::Config>()
            .map_err(PgError::InvalidUrl)?;
        let mut builder = Self::from_config(config);
        builder.tls_verify = params.verify;
        builder.tls_root_file = params.root_cert_file;
        Ok(builder)
    }

    /// How the server's certificate is checked when TLS is used (default: as the URL's
    /// `sslmode` says; [`TlsVerify::None`] for `prefer` and `require`). Setting
    /// [`TlsVerify::Chain`] or [`TlsVerify::Full`] also makes TLS required.
    pub fn tls_verify(mut self, verify: TlsVerify) -> Self {
        self.tls_verify = verify;
        if verify != TlsVerify::None {
            self.config
                .ssl_mode(tokio_postgres::config::SslMode::Require);
        }
        self
    }

    /// Trust the PEM certificates in `pem` (your own CA, or a cloud provider's) as well as the
    /// Mozilla roots when verifying the server.
    ///
    /// # Errors
    /// [`PgError::Tls`] when `pem` holds no valid certificate.
    pub fn tls_root_certificates(mut self, pem: &[u8]) -> Result<Self, PgError> {
        self.tls_roots.extend(tls::read_pem_certificates(pem)?);
        Ok(self)
    }

    /// Settings from a driver configuration.
    pub fn from_config(config: tokio_postgres::Config) -> Self {
        Self {
            config,
            schema: DEFAULT_SCHEMA.to_string(),
            pool_size: 16,
            connect_timeout: Duration::from_secs(5),
            wait_timeout: Duration::from_secs(30),
            application_name: DEFAULT_APPLICATION_NAME.to_string(),
            dense_search: DEFAULT_DENSE_SEARCH,
            tls_verify: TlsVerify::None,
            tls_roots: Vec::new(),
            tls_root_file: None,
        }
    }

    /// The schema the store's tables live in (default `public`); created when missing. Each
    /// connection's `search_path` is set to it, so several stores (tenants, test runs) share one
    /// database without seeing each other. A plain lowercase identifier (`a-z`, `0-9`, `_`).
    pub fn schema(mut self, name: impl Into<String>) -> Self {
        self.schema = name.into();
        self
    }

    /// Most connections the pool opens (default 16, at least 1).
    pub fn pool_size(mut self, size: usize) -> Self {
        self.pool_size = size.max(1);
        self
    }

    /// How long opening one connection may take (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long an operation waits for a free connection when all are busy (default 30 s).
    pub fn wait_timeout(mut self, timeout: Duration) -> Self {
        self.wait_timeout = timeout;
        self
    }

    /// The `application_name` sessions report in `pg_stat_activity` (default `replytrack`).
    pub fn application_name(mut self, name: impl Into<String>) -> Self {
        self.application_name = name.into();
        self
    }

    /// From how many matching messages a full-text search walks the conversation list in order,
    /// testing each conversation, rather than collecting every match from the index and sorting
    /// them (default 1 000). Both give the same results; the walk fills a page sooner when the
    /// words are common. A larger store may raise it (about 0.1 % of its messages keeps walks
    /// short). `0` always walks.
    pub fn dense_search_threshold(mut self, messages: u32) -> Self {
        self.dense_search = messages;
        self
    }

    /// The server as `host:port/dbname` (no user, no password).
    pub fn server(&self) -> String {
        server_name(&self.config)
    }

    /// The schema that will be used.
    pub fn schema_name(&self) -> &str {
        &self.schema
    }

    /// Open the pool, apply the migrations this build embeds (under an advisory lock, so many
    /// instances starting at once migrate once), and return the store.
    ///
    /// Must run inside a Tokio runtime: the pool's connections run as Tokio tasks.
    ///
    /// # Errors
    /// [`PgError::InvalidSchema`], [`PgError::InvalidApplicationName`], [`PgError::Connect`]
    /// when the server cannot be reached, and the migration errors of [`PgError`].
    pub async fn build(self) -> Result<PgStore, PgError> {
        if !valid_schema_name(&self.schema) {
            return Err(PgError::InvalidSchema(
                self.schema.chars().take(80).collect(),
            ));
        }
        let app = &self.application_name;
        if app.len() > 63 || !app.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
            return Err(PgError::InvalidApplicationName(
                app.chars().take(80).collect(),
            ));
        }
        let server = self.server();
        let mut config = self.config;
        let options = match config.get_options() {
            Some(o) if !o.trim().is_empty() => format!("{o} -c search_path={}", self.schema),
            _ => format!("-c search_path={}", self.schema),
        };
        config
            .options(&options)
            .application_name(&self.application_name)
            .connect_timeout(self.connect_timeout);
        let mut roots = self.tls_roots;
        if let Some(file) = &self.tls_root_file {
            let pem = std::fs::read(file).map_err(|e| {
                PgError::Tls(format!("sslrootcert {file:?} could not be read: {e}"))
            })?;
            roots.extend(tls::read_pem_certificates(&pem)?);
        }
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match tls::connector(config.get_ssl_mode(), self.tls_verify, &roots)? {
            Some(tls) => Manager::from_config(config, tls, manager_config),
            None => Manager::from_config(config, NoTls, manager_config),
        };
        let pool = Pool::builder(manager)
            .max_size(self.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(self.wait_timeout))
            .create_timeout(Some(self.connect_timeout))
            .build()
            .map_err(|source| PgError::PoolBuild {
                server: server.clone(),
                source,
            })?;
        let store = PgStore::from_parts(pool, self.schema, server, self.dense_search);
        let mut client = store.client_pg().await?;
        migrate::run(&mut client, store.schema()).await?;
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_plain_lowercase_identifiers() {
        for ok in ["public", "replytrack", "t_0123abcd", "_x"] {
            assert!(valid_schema_name(ok), "{ok}");
        }
        for bad in [
            "",
            "Public",
            "1abc",
            "a-b",
            "a b",
            "x;drop",
            "pg_temp",
            "é",
            &"a".repeat(64),
        ] {
            assert!(!valid_schema_name(bad), "{bad}");
        }
    }

    #[test]
    fn debug_and_server_name_never_show_the_password() {
        let b = PgStoreBuilder::new("postgres://app:hunter2-secret@db.internal:6543/shop")
            .unwrap_or_else(|e| panic!("{e}"));
        let shown = format!("{b:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert_eq!(b.server(), "db.internal:6543/shop");
    }

    #[test]
    fn a_bad_url_error_does_not_repeat_the_url() {
        let err = PgStoreBuilder::new("postgres://app:hunter2-secret@db:notaport/shop")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("not valid"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
}

//! What the database commands share: where the store is (`--db`), the account's settings, the
//! engine built over them, and the tokio runtime they run on.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::Args;
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, Customer, CustomerId};
use replytrack::engine::{Engine, EngineConfig};
use replytrack::ports::{Analyzer, Mailer, Store};
use replytrack::token::{KeyId, Keyring, TokenAuthority};
use replytrack_open::{OpenOptions, StoreTarget};

use crate::CliError;
use crate::token_cmd::master_secret;

/// Environment variable naming the database when `--db` is not given.
pub const DB_ENV: &str = "REPLYTRACK_DB";
/// The database used when neither `--db` nor [`DB_ENV`] is given.
pub const DEFAULT_DB: &str = "replytrack.db";

/// Where the store is.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// The database: a SQLite file (created if missing), `:memory:`, or a postgres:// URL.
    #[arg(
        long,
        value_name = "TARGET",
        env = DB_ENV,
        default_value = DEFAULT_DB,
        hide_env_values = true
    )]
    pub db: String,
    /// PostgreSQL only: the schema the tables live in (created if missing; default `public`).
    #[arg(
        long,
        value_name = "SCHEMA",
        env = "REPLYTRACK_PG_SCHEMA",
        hide_env_values = true
    )]
    pub pg_schema: Option<String>,
}

impl DbArgs {
    /// The parsed target.
    ///
    /// # Errors
    /// A usage error when the target names no store this tool opens.
    pub fn target(&self) -> Result<StoreTarget, CliError> {
        self.db
            .parse()
            .map_err(|e: replytrack_open::OpenError| CliError::Usage(format!("--db: {e}")))
    }

    /// Open (creating and migrating) the store.
    ///
    /// # Errors
    /// A usage error for a bad target; a failure when the store cannot be opened.
    pub async fn open(&self) -> Result<(StoreTarget, Arc<dyn Store>), CliError> {
        let target = self.target()?;
        let mut options = OpenOptions::new().pg_application_name("replytrack-cli");
        if let Some(schema) = &self.pg_schema {
            options = options.pg_schema(schema.clone());
        }
        let store = replytrack_open::open(&target, &options)
            .await
            .map_err(|e| CliError::Failed(anyhow::anyhow!("cannot open {target}: {e}")))?;
        Ok((target, store))
    }
}

/// The account a command acts for: its keys, reply domain and addresses.
#[derive(Debug, Clone, Args)]
pub struct AccountArgs {
    /// Master secret as hex (16-64 bytes). Default: the REPLYTRACK_SECRET environment variable.
    #[arg(long, value_name = "HEX")]
    secret_hex: Option<String>,
    /// The reply domain.
    #[arg(
        long,
        value_name = "D",
        env = "REPLYTRACK_DOMAIN",
        default_value = "reply.example.com"
    )]
    domain: String,
    /// Key id (0-15) of the key derived from the master secret that signs and verifies tokens.
    #[arg(long, value_name = "N", default_value_t = 0)]
    key_id: u8,
    /// Token lifetime in days.
    #[arg(long, value_name = "N", default_value_t = replytrack::token::DEFAULT_TTL_DAYS)]
    ttl_days: i64,
    /// The account's name, shown in forwards ("Marie via Acme").
    #[arg(
        long,
        value_name = "NAME",
        env = "REPLYTRACK_ACCOUNT_NAME",
        default_value = "replytrack"
    )]
    account_name: String,
    /// The From address of outgoing email. Default: hello@ the reply domain less a leading
    /// `reply.` (hello@example.com for reply.example.com).
    #[arg(long, value_name = "EMAIL", env = "REPLYTRACK_FROM")]
    from: Option<String>,
    /// Where forwarded replies go. Default: the From address.
    #[arg(long, value_name = "EMAIL", env = "REPLYTRACK_FORWARD_TO")]
    forward_to: Option<String>,
}

impl AccountArgs {
    /// The token authority and address format for the reply domain.
    ///
    /// # Errors
    /// Usage errors for a missing or bad secret, key id, domain or lifetime.
    pub fn authority(&self) -> Result<(TokenAuthority, AddressFormat), CliError> {
        let key_id = KeyId::new(self.key_id)
            .ok_or_else(|| CliError::Usage(format!("--key-id {} is over 15", self.key_id)))?;
        let master = master_secret(self.secret_hex.as_deref())?;
        let key = master.derive(replytrack::token::REPLY_TOKEN_PURPOSE, key_id);
        let authority = TokenAuthority::builder(Keyring::single(key_id, key))
            .domain(&self.domain)
            .ttl_days(self.ttl_days)
            .build()
            .map_err(|e| CliError::Usage(e.to_string()))?;
        let format =
            AddressFormat::new(authority.domain()).map_err(|e| CliError::Usage(e.to_string()))?;
        Ok((authority, format))
    }

    /// The account settings.
    ///
    /// # Errors
    /// Usage errors for addresses that are not email addresses.
    pub fn settings(&self) -> Result<AccountSettings, CliError> {
        let from = match &self.from {
            Some(f) => f.clone(),
            None => {
                let d = self.domain.trim();
                let base = d.strip_prefix("reply.").filter(|b| b.contains('.'));
                format!("hello@{}", base.unwrap_or(d))
            }
        };
        let forward_to = self.forward_to.clone().unwrap_or_else(|| from.clone());
        AccountSettings::new(self.account_name.clone(), &from, &forward_to)
            .map(|a| a.from_name(self.account_name.clone()))
            .map_err(|e| CliError::Usage(format!("account address: {e}")))
    }

    /// An engine over `store` sending through `mailer`.
    ///
    /// # Errors
    /// As [`AccountArgs::authority`] and [`AccountArgs::settings`].
    pub fn engine(
        &self,
        store: Arc<dyn Store>,
        mailer: Arc<dyn Mailer>,
        config: EngineConfig,
    ) -> Result<Engine, CliError> {
        self.engine_with(store, mailer, config, None)
    }

    /// An engine over `store` sending through `mailer`, analysing with `analyzer` (default: the
    /// offline heuristic analyzer).
    ///
    /// # Errors
    /// As [`AccountArgs::authority`] and [`AccountArgs::settings`].
    pub fn engine_with(
        &self,
        store: Arc<dyn Store>,
        mailer: Arc<dyn Mailer>,
        config: EngineConfig,
        analyzer: Option<Arc<dyn Analyzer>>,
    ) -> Result<Engine, CliError> {
        let (authority, format) = self.authority()?;
        let mut builder = Engine::builder(authority, format, self.settings()?)
            .store(store)
            .mailer(mailer)
            .config(config);
        if let Some(a) = analyzer {
            builder = builder.analyzer(a);
        }
        builder.build().map_err(|e| CliError::Failed(e.into()))
    }
}

/// A multi-threaded tokio runtime (the PostgreSQL store needs one; SQLite works under it too).
///
/// # Errors
/// When the runtime cannot start.
pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(anyhow::anyhow!("cannot start the async runtime: {e}")))
}

/// Find a customer by email address (anything with an `@`) or by id (`cu_…`).
///
/// # Errors
/// A usage error for an id that does not parse; a failure when the store fails.
pub async fn find_customer(store: &dyn Store, key: &str) -> Result<Option<Customer>, CliError> {
    let key = key.trim();
    if key.contains('@') {
        return store
            .customer_by_email(&key.to_lowercase())
            .await
            .map_err(|e| CliError::Failed(e.into()));
    }
    let id: CustomerId = key.parse().map_err(|e| {
        CliError::Usage(format!(
            "{key:?} is neither an email address nor a customer id: {e}"
        ))
    })?;
    store
        .customer(id)
        .await
        .map_err(|e| CliError::Failed(e.into()))
}

/// A store failure as a command failure.
pub fn failed(e: impl Into<anyhow::Error>) -> CliError {
    CliError::Failed(e.into())
}

/// Parse an RFC 3339 instant or a `YYYY-MM-DD` date (midnight UTC).
///
/// # Errors
/// A usage error naming the flag.
pub fn instant_arg(flag: &str, s: &str) -> Result<DateTime<Utc>, CliError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{flag} {s:?} is neither an RFC 3339 time nor a YYYY-MM-DD date"
            ))
        })
}

/// Where the `worker`, `demo` and `send` commands put mail: a directory for `.eml` files.
#[derive(Debug, Clone, Args)]
pub struct OutboxArgs {
    /// Write each email handed to the mailer as an .eml file in this directory (created if
    /// missing) instead of printing a summary.
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
}

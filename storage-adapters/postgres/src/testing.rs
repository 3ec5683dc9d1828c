//! Scratch schemas for tests and benchmarks (feature `testing`).
//!
//! [`ScratchSchema::new`] connects to `DATABASE_URL` (default [`DEFAULT_URL`]) in a fresh schema
//! with a random name and drops it when the value is dropped, so test runs never collide and
//! leave nothing behind. When the server cannot be reached:
//! - with `CI=true` it panics: an unreachable database fails the run;
//! - otherwise it prints `SKIPPED: PostgreSQL unreachable at …` to stderr and returns `None`, and
//!   the test returns early. Nothing is skipped silently.

use std::time::Duration;

use tokio_postgres::NoTls;

use crate::{PgError, PgStore, PgStoreBuilder};

/// The database used when `DATABASE_URL` is not set.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// `DATABASE_URL`, or [`DEFAULT_URL`].
pub fn database_url() -> String {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_URL.to_string())
}

/// Whether `CI=true` (or `1`): an unreachable database is then a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// A store in a schema of its own, dropped with it.
#[derive(Debug)]
pub struct ScratchSchema {
    store: Option<PgStore>,
    url: String,
    schema: String,
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 6];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        bytes[..4].copy_from_slice(&nanos.to_be_bytes());
    }
    hex::encode(bytes)
}

impl ScratchSchema {
    /// A store in a fresh schema `rt_<label>_<random>`, with a small pool; `None` (after a
    /// loud notice) when the server is unreachable outside CI.
    ///
    /// # Panics
    /// When the server is unreachable under `CI=true`, or the store cannot be built for any
    /// other reason (a failing migration is a bug, never a skip).
    pub async fn new(label: &str) -> Option<Self> {
        Self::with(label, |b| b).await
    }

    /// Like [`ScratchSchema::new`], with more settings on the builder (pool size, application
    /// name…). The schema is set by this function.
    ///
    /// # Panics
    /// As [`ScratchSchema::new`].
    pub async fn with(
        label: &str,
        configure: impl FnOnce(PgStoreBuilder) -> PgStoreBuilder,
    ) -> Option<Self> {
        let url = database_url();
        let label: String = label
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .take(40)
            .collect();
        let schema = format!("rt_{label}_{}", random_suffix());
        let builder = match PgStore::builder(&url) {
            Ok(b) => b,
            Err(e) => panic!("DATABASE_URL is not a PostgreSQL URL: {e}"),
        };
        let server = builder.server();
        let builder = configure(builder.pool_size(8).connect_timeout(Duration::from_secs(3)))
            .schema(schema.clone());
        match builder.build().await {
            Ok(store) => Some(Self {
                store: Some(store),
                url,
                schema,
            }),
            Err(e @ PgError::Connect { .. }) => {
                if in_ci() {
                    panic!("PostgreSQL unreachable at {server} with CI=true: {e}");
                }
                eprintln!(
                    "SKIPPED: PostgreSQL unreachable at {server} ({e}); set DATABASE_URL, or CI=true to fail instead"
                );
                None
            }
            Err(e) => panic!("could not set up a PostgreSQL store in schema {schema}: {e}"),
        }
    }

    /// The store.
    ///
    /// # Panics
    /// Never: the store is only taken out when the value is dropped.
    pub fn store(&self) -> &PgStore {
        self.store
            .as_ref()
            .expect("the store lives as long as the scratch schema")
    }

    /// The schema's name.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The database URL (it may hold a password: do not print it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Another store on the same schema, with its own pool (a second app instance).
    ///
    /// # Errors
    /// As [`PgStoreBuilder::build`].
    pub async fn another_instance(
        &self,
        configure: impl FnOnce(PgStoreBuilder) -> PgStoreBuilder,
    ) -> Result<PgStore, PgError> {
        configure(PgStore::builder(&self.url)?.pool_size(4))
            .schema(self.schema.clone())
            .build()
            .await
    }
}

impl Drop for ScratchSchema {
    fn drop(&mut self) {
        // Close this pool first, then drop the schema from a fresh connection on a thread of its
        // own (Drop cannot await, and may run inside or outside a runtime).
        if let Some(store) = self.store.take() {
            store.pool.close();
        }
        let url = self.url.clone();
        let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema);
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async move {
                let (client, conn) = tokio_postgres::connect(&url, NoTls).await.ok()?;
                let task = tokio::spawn(conn);
                let done = client.batch_execute(&sql).await.ok();
                drop(client);
                let _closed = task.await;
                done
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("note: could not drop scratch schema {}", self.schema);
        }
    }
}

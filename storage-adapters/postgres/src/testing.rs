//! Scratch schemas for tests and benchmarks (feature `testing`).
//!
//! [`ScratchSchema::new`] connects to `DATABASE_URL` (default [`DEFAULT_URL`]) in a fresh schema
//! with a random name and drops it when the value is dropped, so test runs never collide and
//! leave nothing behind. When the server cannot be reached:
//! - with `CI=true` it panics: an unreachable database fails the run;
//! - otherwise it prints `SKIPPED: PostgreSQL unreachable at …` to stderr and returns `None`, and
//!   the test returns early. Nothing is skipped silently.

use std::io::Write as _;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use replytrack::conversation::{
    Conversation, ConversationId, Customer, CustomerId, Job, JobId, JobKind, JobState, Message,
    MessageId, TimelineEvent, TokenRecord,
};
use replytrack::ports::{
    Commit, CommitOutcome, ConversationQuery, DeadLetter, DedupeKey, JobLease, JobRetry,
    RawInbound, Seen, Store, StoreError, TimelineScope,
};
use replytrack::token::ReplyToken;
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

/// A store in a schema of its own, dropped with it. `Debug` leaves the URL out (it may hold a
/// password).
pub struct ScratchSchema {
    store: Option<PgStore>,
    url: String,
    schema: String,
}

impl std::fmt::Debug for ScratchSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchSchema")
            .field("schema", &self.schema)
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
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
        let builder = configure(
            builder
                .pool_size(8)
                .connect_timeout(std::time::Duration::from_secs(3)),
        )
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
                // Straight to the process's stderr: the test harness captures `eprintln!` of
                // passing tests, and this notice must be seen.
                let _shown = writeln!(
                    std::io::stderr(),
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

/// A scratch schema is a store: the conformance suite takes it as one, and drops the schema with
/// it when the case ends. Every method is the [`PgStore`]'s.
#[async_trait]
impl Store for ScratchSchema {
    async fn commit(&self, commit: Commit) -> Result<CommitOutcome, StoreError> {
        self.store().commit(commit).await
    }
    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        self.store().customer(id).await
    }
    async fn customer_by_email(&self, address: &str) -> Result<Option<Customer>, StoreError> {
        self.store().customer_by_email(address).await
    }
    async fn customer_by_external_id(&self, id: &str) -> Result<Option<Customer>, StoreError> {
        self.store().customer_by_external_id(id).await
    }
    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>, StoreError> {
        self.store().conversation(id).await
    }
    async fn active_conversation(
        &self,
        customer: CustomerId,
    ) -> Result<Option<Conversation>, StoreError> {
        self.store().active_conversation(customer).await
    }
    async fn conversations(&self, q: &ConversationQuery) -> Result<Vec<Conversation>, StoreError> {
        self.store().conversations(q).await
    }
    async fn due_snoozes(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Conversation>, StoreError> {
        self.store().due_snoozes(now, limit).await
    }
    async fn message(&self, id: MessageId) -> Result<Option<Message>, StoreError> {
        self.store().message(id).await
    }
    async fn message_by_rfc_id(&self, rfc: &str) -> Result<Option<Message>, StoreError> {
        self.store().message_by_rfc_id(rfc).await
    }
    async fn messages(&self, conversation: ConversationId) -> Result<Vec<Message>, StoreError> {
        self.store().messages(conversation).await
    }
    async fn seen(&self, key: &DedupeKey) -> Result<Option<Seen>, StoreError> {
        self.store().seen(key).await
    }
    async fn token(&self, token: &ReplyToken) -> Result<Option<TokenRecord>, StoreError> {
        self.store().token(token).await
    }
    async fn timeline(&self, scope: TimelineScope) -> Result<Vec<TimelineEvent>, StoreError> {
        self.store().timeline(scope).await
    }
    async fn claim_jobs(
        &self,
        kind: JobKind,
        limit: usize,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<JobLease>, StoreError> {
        self.store().claim_jobs(kind, limit, now, lease).await
    }
    async fn claim_job(
        &self,
        id: JobId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<JobLease>, StoreError> {
        self.store().claim_job(id, now, lease).await
    }
    async fn complete_job(
        &self,
        id: JobId,
        attempt: u32,
        now: DateTime<Utc>,
        commit: Commit,
    ) -> Result<(), StoreError> {
        self.store().complete_job(id, attempt, now, commit).await
    }
    async fn fail_job(
        &self,
        id: JobId,
        attempt: u32,
        error: &str,
        retry: JobRetry,
        now: DateTime<Utc>,
    ) -> Result<JobState, StoreError> {
        self.store().fail_job(id, attempt, error, retry, now).await
    }
    async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        self.store().job(id).await
    }
    async fn keep_raw(&self, raw: RawInbound) -> Result<bool, StoreError> {
        self.store().keep_raw(raw).await
    }
    async fn raw_inbound(&self, sha256: &str) -> Result<Option<RawInbound>, StoreError> {
        self.store().raw_inbound(sha256).await
    }
    async fn purge_raw(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.store().purge_raw(before).await
    }
    async fn dead_letter(&self, letter: DeadLetter) -> Result<bool, StoreError> {
        self.store().dead_letter(letter).await
    }
    async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        self.store().dead_letters(limit).await
    }
    async fn remove_dead_letter(&self, sha256: &str) -> Result<bool, StoreError> {
        self.store().remove_dead_letter(sha256).await
    }
    async fn inbox(
        &self,
        query: &replytrack::ports::InboxQuery,
    ) -> Result<Vec<replytrack::ports::InboxRecord>, StoreError> {
        self.store().inbox(query).await
    }
    async fn customer_by_phone(&self, phone: &str) -> Result<Option<Customer>, StoreError> {
        self.store().customer_by_phone(phone).await
    }
    async fn mark_read(
        &self,
        conversation: ConversationId,
        agent: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.store().mark_read(conversation, agent, at).await
    }
}

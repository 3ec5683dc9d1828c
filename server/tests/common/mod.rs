//! Shared test setup: an engine over a store, a server on a loopback port, and a store wrapper
//! that can be switched off.
#![allow(clippy::unwrap_used, dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use replytrack::address::AddressFormat;
use replytrack::conversation::{
    AccountSettings, Conversation, ConversationId, Customer, CustomerId, Job, JobId, JobKind,
    JobState, Message, MessageId, NewCustomer, TimelineEvent, TokenRecord,
};
use replytrack::engine::{Engine, OutboundDraft};
use replytrack::ports::{
    BoxError, Commit, CommitOutcome, ConversationQuery, DeadLetter, DedupeKey, JobLease, JobRetry,
    RawInbound, Seen, Store, StoreError, TimelineScope,
};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, ReplyToken, Secret, TokenAuthority};
use replytrack_server::{Webhooks, WebhooksBuilder};

pub const DOMAIN: &str = "reply.acme.example";
pub const CUSTOMER: &str = "marie@example.fr";

/// The engine every test uses: one fixed secret, so two engines (two app instances) verify each
/// other's tokens.
pub fn engine(store: Arc<dyn Store>) -> Engine {
    let keys = Keyring::single(
        KeyId::new(0).unwrap(),
        Secret::from_bytes(&[7; 32]).unwrap(),
    );
    let authority = TokenAuthority::builder(keys)
        .domain(DOMAIN)
        .build()
        .unwrap();
    let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example").unwrap();
    Engine::builder(authority, AddressFormat::new(DOMAIN).unwrap(), account)
        .store(store)
        .mailer(Arc::new(MemoryMailer::new()))
        .build()
        .unwrap()
}

/// A customer who was sent an email: her id, the reply address, and the email's Message-ID.
#[derive(Debug, Clone)]
pub struct Sent {
    pub customer: CustomerId,
    pub reply_address: String,
    pub message_id: String,
}

pub async fn send_to_customer(engine: &Engine) -> Sent {
    let now = Utc::now();
    let marie = engine
        .add_customer(NewCustomer::new(CUSTOMER).name("Marie"), now)
        .await
        .unwrap();
    let (email, _) = engine
        .send(
            marie.id,
            OutboundDraft::new("Votre essai", "Bonjour Marie !").start_conversation(),
            now,
        )
        .await
        .unwrap();
    Sent {
        customer: marie.id,
        reply_address: email.reply_address.clone(),
        message_id: email.email.message_id.clone(),
    }
}

/// A reply from the customer to `to`, as RFC 5322 bytes.
pub fn reply_eml(to: &str, message_id: &str, text: &str) -> Vec<u8> {
    format!(
        "From: Marie Dupont <{CUSTOMER}>\r\nTo: {to}\r\nSubject: Re: Votre essai\r\n\
         Message-ID: <{message_id}>\r\nDate: Sat, 21 Nov 2026 09:00:00 +0000\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    )
    .into_bytes()
}

/// A server on a loopback port. Dropping it stops it.
pub struct Server {
    pub addr: SocketAddr,
    pub webhooks: Webhooks,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    pub async fn start(builder: WebhooksBuilder) -> Self {
        let webhooks = builder.build();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = webhooks.router();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            addr,
            webhooks,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        let mut bytes = [0u8; 6];
        getrandom_fill(&mut bytes);
        let dir = std::env::temp_dir().join(format!("rt-server-{label}-{}", hex::encode(bytes)));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

fn getrandom_fill(bytes: &mut [u8]) {
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or(0).to_le_bytes();
    let pid = std::process::id().to_le_bytes();
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = nanos[i % 8] ^ pid[i % 4].rotate_left(i as u32);
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A SQLite store in a temporary file, behind a switch.
pub fn sqlite_store(dir: &TempDir) -> Arc<FlakyStore> {
    let store = replytrack_sqlite::SqliteStore::open(dir.0.join("rt.db")).unwrap();
    Arc::new(FlakyStore::new(Arc::new(store)))
}

/// A store that fails every call with a backend error while it is "down", or never answers
/// while it "hangs".
pub struct FlakyStore {
    inner: Arc<dyn Store>,
    down: AtomicBool,
    hang: AtomicBool,
}

#[derive(Debug, thiserror::Error)]
#[error("the database is down (test switch)")]
struct Down;

impl FlakyStore {
    pub fn new(inner: Arc<dyn Store>) -> Self {
        Self {
            inner,
            down: AtomicBool::new(false),
            hang: AtomicBool::new(false),
        }
    }

    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }

    /// Make every call wait forever (a database that stopped answering).
    pub fn set_hanging(&self, hang: bool) {
        self.hang.store(hang, Ordering::SeqCst);
    }

    async fn check(&self) -> Result<(), StoreError> {
        if self.hang.load(Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        if self.down.load(Ordering::SeqCst) {
            Err(StoreError::Backend(Box::new(Down) as BoxError))
        } else {
            Ok(())
        }
    }
}

#[async_trait]
impl Store for FlakyStore {
    async fn commit(&self, commit: Commit) -> Result<CommitOutcome, StoreError> {
        self.check().await?;
        self.inner.commit(commit).await
    }
    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        self.check().await?;
        self.inner.customer(id).await
    }
    async fn customer_by_email(&self, address: &str) -> Result<Option<Customer>, StoreError> {
        self.check().await?;
        self.inner.customer_by_email(address).await
    }
    async fn customer_by_external_id(&self, id: &str) -> Result<Option<Customer>, StoreError> {
        self.check().await?;
        self.inner.customer_by_external_id(id).await
    }
    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>, StoreError> {
        self.check().await?;
        self.inner.conversation(id).await
    }
    async fn active_conversation(
        &self,
        customer: CustomerId,
    ) -> Result<Option<Conversation>, StoreError> {
        self.check().await?;
        self.inner.active_conversation(customer).await
    }
    async fn conversations(&self, q: &ConversationQuery) -> Result<Vec<Conversation>, StoreError> {
        self.check().await?;
        self.inner.conversations(q).await
    }
    async fn due_snoozes(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Conversation>, StoreError> {
        self.check().await?;
        self.inner.due_snoozes(now, limit).await
    }
    async fn message(&self, id: MessageId) -> Result<Option<Message>, StoreError> {
        self.check().await?;
        self.inner.message(id).await
    }
    async fn message_by_rfc_id(&self, id: &str) -> Result<Option<Message>, StoreError> {
        self.check().await?;
        self.inner.message_by_rfc_id(id).await
    }
    async fn messages(&self, c: ConversationId) -> Result<Vec<Message>, StoreError> {
        self.check().await?;
        self.inner.messages(c).await
    }
    async fn seen(&self, key: &DedupeKey) -> Result<Option<Seen>, StoreError> {
        self.check().await?;
        self.inner.seen(key).await
    }
    async fn token(&self, token: &ReplyToken) -> Result<Option<TokenRecord>, StoreError> {
        self.check().await?;
        self.inner.token(token).await
    }
    async fn timeline(&self, scope: TimelineScope) -> Result<Vec<TimelineEvent>, StoreError> {
        self.check().await?;
        self.inner.timeline(scope).await
    }
    async fn claim_jobs(
        &self,
        kind: JobKind,
        limit: usize,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<JobLease>, StoreError> {
        self.check().await?;
        self.inner.claim_jobs(kind, limit, now, lease).await
    }
    async fn claim_job(
        &self,
        id: JobId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<JobLease>, StoreError> {
        self.check().await?;
        self.inner.claim_job(id, now, lease).await
    }
    async fn complete_job(
        &self,
        id: JobId,
        attempt: u32,
        now: DateTime<Utc>,
        commit: Commit,
    ) -> Result<(), StoreError> {
        self.check().await?;
        self.inner.complete_job(id, attempt, now, commit).await
    }
    async fn fail_job(
        &self,
        id: JobId,
        attempt: u32,
        error: &str,
        retry: JobRetry,
        now: DateTime<Utc>,
    ) -> Result<JobState, StoreError> {
        self.check().await?;
        self.inner.fail_job(id, attempt, error, retry, now).await
    }
    async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        self.check().await?;
        self.inner.job(id).await
    }
    async fn keep_raw(&self, raw: RawInbound) -> Result<bool, StoreError> {
        self.check().await?;
        self.inner.keep_raw(raw).await
    }
    async fn raw_inbound(&self, sha256: &str) -> Result<Option<RawInbound>, StoreError> {
        self.check().await?;
        self.inner.raw_inbound(sha256).await
    }
    async fn purge_raw(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.check().await?;
        self.inner.purge_raw(before).await
    }
    async fn dead_letter(&self, letter: DeadLetter) -> Result<bool, StoreError> {
        self.check().await?;
        self.inner.dead_letter(letter).await
    }
    async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        self.check().await?;
        self.inner.dead_letters(limit).await
    }
    async fn remove_dead_letter(&self, sha256: &str) -> Result<bool, StoreError> {
        self.check().await?;
        self.inner.remove_dead_letter(sha256).await
    }
}

/// Event kind names of a customer's timeline.
pub async fn timeline_kinds(engine: &Engine, customer: CustomerId) -> Vec<String> {
    engine
        .timeline(TimelineScope::Customer(customer))
        .await
        .unwrap()
        .iter()
        .map(|e| e.kind.name().to_string())
        .collect()
}

/// SHA-256 of bytes, lowercase hex (the key raw deliveries are kept under).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

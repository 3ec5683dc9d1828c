//! The ports: the async traits the engine runs over. Adapters implement them in their own crates
//! (`replytrack-sqlite`, `replytrack-postgres`, `replytrack-smtp`); the in-memory ones live in
//! [`crate::store`] behind the `memory` feature.
//!
//! - [`Store`]: every write goes through one atomic [`Store::commit`]; reads are plain lookups; the
//!   durable job queue is claimed with leases.
//! - [`Mailer`]: hands an RFC 5322 message to a transport.
//! - [`Clock`]: the current time, for hosts and workers that do not pass `now` themselves.
//! - [`Analyzer`]: analyses one reply (the offline
//!   [`HeuristicAnalyzer`](crate::analysis::HeuristicAnalyzer), or an
//!   [`LlmAnalyzer`](crate::analysis::LlmAnalyzer) over an [`LlmClient`]); re-exported from
//!   [`crate::analysis`], where they are defined beside the schema they produce.
//!
//! All traits are object-safe (`Arc<dyn Store>` and so on).

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::conversation::{
    Conversation, ConversationId, Customer, CustomerId, Job, JobId, JobKind, JobState, Message,
    MessageId, NewJob, TimelineEvent, TokenRecord,
};
use crate::token::ReplyToken;

pub use crate::analysis::{Analyzer, LlmClient};

mod inbound;
mod query;

pub use inbound::{DeadLetter, MAX_ERROR_CHARS, RawInbound, cut_error};
pub use query::{
    ConversationCursor, ConversationQuery, InboxQuery, InboxRecord, InboxTab, LastMessage,
    MAX_INBOX_PAGE, MAX_LABEL_FILTERS, MAX_SEARCH_WORDS, contact_of, last_activity, search_words,
    text_words,
};

/// The error type adapters wrap their own errors in.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The key that makes an inbound message stored once however often it is delivered.
///
/// Built by the engine from the `Message-ID` (or a hash of the raw bytes when there is none);
/// at most 200 bytes. The store keeps each key once and refuses a second commit carrying it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DedupeKey(String);

impl DedupeKey {
    /// Longest key, in bytes.
    pub const MAX_LEN: usize = 200;

    /// A key from its text; texts longer than [`DedupeKey::MAX_LEN`] are replaced by their SHA-256.
    pub fn new(text: &str) -> Self {
        if text.len() <= Self::MAX_LEN {
            return Self(text.to_string());
        }
        use sha2::Digest;
        Self(format!(
            "sha256:{}",
            hex::encode(sha2::Sha256::digest(text.as_bytes()))
        ))
    }

    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DedupeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One record write in a [`Commit`].
#[derive(Debug, Clone, PartialEq)]
pub enum Write<T> {
    /// A new record (its `version` is set to 1).
    Insert(T),
    /// A changed record; refused with [`Conflict::Version`] unless the stored version is
    /// `expected_version` (then it becomes `expected_version + 1`).
    Update {
        /// The new content.
        record: T,
        /// The version the writer read.
        expected_version: u64,
    },
}

impl<T> Write<T> {
    /// The record written.
    pub fn record(&self) -> &T {
        match self {
            Self::Insert(r) | Self::Update { record: r, .. } => r,
        }
    }

    /// An update of a record read at its current `version`.
    pub fn update(record: T, expected_version: u64) -> Self {
        Self::Update {
            record,
            expected_version,
        }
    }
}

/// Everything one operation writes, applied all-or-nothing by [`Store::commit`].
///
/// The store checks, before writing anything:
/// 1. the dedupe key is new (else [`CommitOutcome::Duplicate`], nothing written);
/// 2. each update's `expected_version` matches ([`Conflict::Version`]);
/// 3. unique rules: one customer per email address and per external id, one record per token,
///    and at most one conversation that is not resolved per customer
///    ([`Conflict::ActiveConversation`]) — a database enforces this with a partial unique index.
///
/// Then it writes the customers, conversations, messages, tokens, events (in the order given,
/// after any already stored) and jobs, and remembers the dedupe key with the first inserted
/// message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Commit {
    /// The inbound message's key, when this commit stores one.
    pub dedupe_key: Option<DedupeKey>,
    /// Customer writes.
    pub customers: Vec<Write<Customer>>,
    /// Conversation writes.
    pub conversations: Vec<Write<Conversation>>,
    /// Message writes.
    pub messages: Vec<Write<Message>>,
    /// Token records to insert.
    pub tokens: Vec<TokenRecord>,
    /// Timeline events to append.
    pub events: Vec<TimelineEvent>,
    /// Jobs to enqueue.
    pub jobs: Vec<NewJob>,
}

impl Commit {
    /// Whether it writes nothing.
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
            && self.conversations.is_empty()
            && self.messages.is_empty()
            && self.tokens.is_empty()
            && self.events.is_empty()
            && self.jobs.is_empty()
    }
}

/// What [`Store::commit`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitOutcome {
    /// Everything was written.
    Applied,
    /// The dedupe key was already stored: nothing was written.
    Duplicate {
        /// The message stored under that key the first time, if any.
        existing: Option<MessageId>,
    },
}

/// A stored dedupe key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// The message stored under it, if it was stored with one.
    pub message: Option<MessageId>,
}

/// A unique rule or version check that refused a commit. The engine re-reads and retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    /// The record changed since it was read.
    #[error("{entity} {id} is at version {found}, not {expected}: it changed since it was read")]
    Version {
        /// `customer`, `conversation` or `message`.
        entity: &'static str,
        /// The record's id.
        id: String,
        /// The version the writer read.
        expected: u64,
        /// The version stored.
        found: u64,
    },
    /// The customer already has a conversation that is not resolved.
    #[error("customer {customer} already has conversation {existing} that is not resolved")]
    ActiveConversation {
        /// The customer.
        customer: CustomerId,
        /// Their current conversation.
        existing: ConversationId,
    },
    /// An email address belongs to another customer.
    #[error("email address {address} already belongs to customer {customer}")]
    EmailTaken {
        /// The address.
        address: String,
        /// Its owner.
        customer: CustomerId,
    },
    /// An external id belongs to another customer.
    #[error("external id {external_id:?} already belongs to customer {customer}")]
    ExternalIdTaken {
        /// The external id.
        external_id: String,
        /// Its owner.
        customer: CustomerId,
    },
    /// A token record already exists.
    #[error("a record for token {0} already exists")]
    TokenTaken(ReplyToken),
    /// An insert reused an existing id.
    #[error("{entity} {id} already exists")]
    IdTaken {
        /// The entity.
        entity: &'static str,
        /// The id.
        id: String,
    },
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique rule or version check refused the commit; nothing was written.
    #[error("store refused the write: {0}")]
    Conflict(#[from] Conflict),
    /// An update or job operation named a record that does not exist.
    #[error("{entity} {id} does not exist")]
    NotFound {
        /// The entity.
        entity: &'static str,
        /// The id.
        id: String,
    },
    /// A job completion or failure by a worker whose lease was lost (the job was claimed again
    /// after the lease ended, or already finished).
    #[error("job {job} is no longer leased to attempt {attempt}")]
    LeaseLost {
        /// The job.
        job: JobId,
        /// The attempt number the worker held.
        attempt: u32,
    },
    /// The backend failed (connection lost, disk full, …); the operation may be retried.
    #[error("store backend failed: {0}")]
    Backend(#[source] BoxError),
}

/// Which timeline to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", content = "id", rename_all = "snake_case")]
pub enum TimelineScope {
    /// Everything about a customer.
    Customer(CustomerId),
    /// One conversation.
    Conversation(ConversationId),
}

/// A store that does not implement an optional operation (the trait's default methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this store does not support {operation}")]
pub struct Unsupported {
    /// The operation.
    pub operation: &'static str,
}

fn unsupported<T>(operation: &'static str) -> Result<T, StoreError> {
    Err(StoreError::Backend(Box::new(Unsupported { operation })))
}

/// A claimed job and the lease that fences it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLease {
    /// The job as claimed (its `attempts` counts this claim).
    pub job: Job,
    /// When the lease ends.
    pub until: DateTime<Utc>,
}

impl JobLease {
    /// The attempt number that fences this lease.
    pub fn attempt(&self) -> u32 {
        self.job.attempts
    }
}

/// Where to go after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobRetry {
    /// Queue it again for this instant.
    At(DateTime<Utc>),
    /// Give up: dead-letter it.
    DeadLetter,
}

/// Storage: records, timeline, dedupe keys and the durable job queue.
///
/// Every write is one [`Store::commit`], applied atomically; see [`Commit`] for the checks it
/// must make. Implementations must be safe to share between tasks and, for database stores,
/// between processes: the invariants are the database's, not only this process's.
#[async_trait]
pub trait Store: Send + Sync {
    /// Apply a commit atomically.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when a check fails (nothing written), [`StoreError::NotFound`] for
    /// an update of a missing record, [`StoreError::Backend`].
    async fn commit(&self, commit: Commit) -> Result<CommitOutcome, StoreError>;

    /// A customer by id.
    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError>;
    /// The customer with this address (lowercase).
    async fn customer_by_email(&self, address: &str) -> Result<Option<Customer>, StoreError>;
    /// The customer with this external id.
    async fn customer_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Customer>, StoreError>;

    /// A conversation by id.
    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>, StoreError>;
    /// The customer's conversation that is not resolved, if any (there is at most one).
    async fn active_conversation(
        &self,
        customer: CustomerId,
    ) -> Result<Option<Conversation>, StoreError>;
    /// Conversations matching a query, newest activity first.
    async fn conversations(
        &self,
        query: &ConversationQuery,
    ) -> Result<Vec<Conversation>, StoreError>;
    /// Snoozed conversations whose snooze ends at or before `now`, soonest first, at most `limit`.
    async fn due_snoozes(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Conversation>, StoreError>;

    /// A message by id.
    async fn message(&self, id: MessageId) -> Result<Option<Message>, StoreError>;
    /// The message with this RFC `Message-ID` (our outgoing ones, for delivery reports).
    async fn message_by_rfc_id(&self, rfc_message_id: &str) -> Result<Option<Message>, StoreError>;
    /// A conversation's messages in the order they were stored.
    async fn messages(&self, conversation: ConversationId) -> Result<Vec<Message>, StoreError>;

    /// Whether a dedupe key is stored, and with which message: the cheap check ingest makes
    /// before extracting a reply. The commit checks again, so a race between two deliveries of
    /// the same message still stores one.
    async fn seen(&self, key: &DedupeKey) -> Result<Option<Seen>, StoreError>;

    /// The record of a token.
    async fn token(&self, token: &ReplyToken) -> Result<Option<TokenRecord>, StoreError>;

    /// A timeline in the order events were stored.
    async fn timeline(&self, scope: TimelineScope) -> Result<Vec<TimelineEvent>, StoreError>;

    /// Claim up to `limit` jobs of a kind that are due (`run_at <= now`, queued or with an ended
    /// lease), oldest `run_at` first: each gets a lease until `now + lease` and one more attempt.
    /// Two workers never hold the same job (a database uses `FOR UPDATE SKIP LOCKED`).
    async fn claim_jobs(
        &self,
        kind: JobKind,
        limit: usize,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<JobLease>, StoreError>;

    /// Claim one job by id, if it is due and not leased (the engine runs a forward right after
    /// the commit that enqueued it). `None` when another worker has it or it is finished.
    async fn claim_job(
        &self,
        id: JobId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<JobLease>, StoreError>;

    /// Finish a leased job and apply `commit` (its results) in the same transaction.
    ///
    /// # Errors
    /// [`StoreError::LeaseLost`] when the job's attempt number is no longer `attempt` or it is
    /// not leased; nothing is written then.
    async fn complete_job(
        &self,
        id: JobId,
        attempt: u32,
        now: DateTime<Utc>,
        commit: Commit,
    ) -> Result<(), StoreError>;

    /// Record a failed attempt: queue it again at the given time, or dead-letter it.
    ///
    /// # Errors
    /// [`StoreError::LeaseLost`] as for [`Store::complete_job`].
    async fn fail_job(
        &self,
        id: JobId,
        attempt: u32,
        error: &str,
        retry: JobRetry,
        now: DateTime<Utc>,
    ) -> Result<JobState, StoreError>;

    /// A job by id.
    async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError>;

    /// Inbox rows matching a query, newest activity first, at most [`InboxQuery::store_limit`]:
    /// each conversation with its customer's name and contact, its latest message that is not a
    /// private note ([`LastMessage`]), and the reader's read mark — read together (a join, not a
    /// query per row).
    ///
    /// The default implementation refuses with [`Unsupported`]; every store in this project
    /// implements it.
    async fn inbox(&self, query: &InboxQuery) -> Result<Vec<InboxRecord>, StoreError> {
        let _ = query;
        unsupported("inbox")
    }

    /// The customer with this phone number: the number is normalised to E.164
    /// ([`normalize_phone`](crate::inbox::whatsapp::normalize_phone)) and compared with each
    /// customer's normalised phone; when several share it, the one with the lowest id (the
    /// oldest). `None` for a text that is not a phone number.
    async fn customer_by_phone(&self, phone: &str) -> Result<Option<Customer>, StoreError> {
        let _ = phone;
        unsupported("customer_by_phone")
    }

    /// Record that `agent` read the conversation at `at` (a later mark replaces an earlier one;
    /// an earlier one changes nothing). Inbox rows read by that agent are unread when the
    /// contact wrote after it.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown conversation.
    async fn mark_read(
        &self,
        conversation: ConversationId,
        agent: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let _ = (conversation, agent, at);
        unsupported("mark_read")
    }

    /// Keep the raw bytes of an inbound delivery. Returns `false` when bytes with the same
    /// SHA-256 are already kept (nothing changes then).
    ///
    /// The default implementation refuses with [`Unsupported`] (wrapped in
    /// [`StoreError::Backend`]); every store in this project implements it.
    async fn keep_raw(&self, raw: RawInbound) -> Result<bool, StoreError> {
        let _ = raw;
        unsupported("keep_raw")
    }

    /// Kept raw bytes by their SHA-256 (lowercase hex).
    async fn raw_inbound(&self, sha256: &str) -> Result<Option<RawInbound>, StoreError> {
        let _ = sha256;
        unsupported("raw_inbound")
    }

    /// Remove the raw bytes received before `received_before` (the retention period ended);
    /// returns how many were removed. Dead letters are kept.
    async fn purge_raw(&self, received_before: DateTime<Utc>) -> Result<u64, StoreError> {
        let _ = received_before;
        unsupported("purge_raw")
    }

    /// Keep a delivery that could not be parsed, with the error. Returns `false` when a dead
    /// letter with the same SHA-256 is already kept (its error is replaced by the new one).
    async fn dead_letter(&self, letter: DeadLetter) -> Result<bool, StoreError> {
        let _ = letter;
        unsupported("dead_letter")
    }

    /// Dead letters, newest received first (ties: higher SHA-256 first), at most `limit`.
    async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        let _ = limit;
        unsupported("dead_letters")
    }

    /// Remove a dead letter once it has been dealt with; returns whether it existed.
    async fn remove_dead_letter(&self, sha256: &str) -> Result<bool, StoreError> {
        let _ = sha256;
        unsupported("remove_dead_letter")
    }
}

/// An email ready to hand to a transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    /// The envelope sender (`MAIL FROM`).
    pub envelope_from: String,
    /// The envelope recipients (`RCPT TO`).
    pub recipients: Vec<String>,
    /// The `Message-ID`, without angle brackets.
    pub message_id: String,
    /// The RFC 5322 bytes.
    pub raw: Vec<u8>,
}

/// What a mailer reports after accepting an email.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SendReceipt {
    /// The transport's id for it, if any.
    pub provider_message_id: Option<String>,
}

/// Why a mailer did not send.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    /// Worth retrying later (connection refused, 4xx, rate limit).
    #[error("temporary send failure: {0}")]
    Temporary(#[source] BoxError),
    /// Retrying will not help (a recipient refused with 5xx, a malformed message).
    #[error("permanent send failure: {0}")]
    Permanent(#[source] BoxError),
}

/// A transport for outgoing mail.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Send one email.
    ///
    /// # Errors
    /// [`MailerError::Temporary`] or [`MailerError::Permanent`].
    async fn send(&self, email: &OutgoingEmail) -> Result<SendReceipt, MailerError>;
}

/// The current time. Pure code takes `now` as an argument instead; a clock is for the host's
/// workers and for convenience calls. Not async: reading a clock does not wait.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stays where it is set (tests, replays, the demo).
#[derive(Debug, Default)]
pub struct ManualClock(std::sync::Mutex<DateTime<Utc>>);

impl ManualClock {
    /// A clock at `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(std::sync::Mutex::new(at))
    }

    /// Move it to `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut g) = self.0.lock() {
            *g = at;
        }
    }

    /// Move it forward.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut g) = self.0.lock() {
            *g += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|g| *g).unwrap_or_default()
    }
}

//! The engine: the orchestration over the [`ports`](crate::ports).
//!
//! [`Engine`] turns parsed inbound messages into customers, conversations and a timeline
//! ([`Engine::ingest`]), composes outgoing email with a fresh reply token each
//! ([`Engine::compose_outbound`]), forwards replies to the account's inbox through the durable job
//! queue ([`Engine::run_forwards`]), analyses them in the background ([`Engine::run_analysis`],
//! with the offline [`HeuristicAnalyzer`] unless another [`Analyzer`] is given), and runs the
//! small inbox model around them (manual logs, notes, snooze, resolve, assignment, labels,
//! [`Engine::wake_snoozed`], [`Engine::timeline`]).
//!
//! With [`EngineBuilder::inbox`] the engine also runs the inbox the host describes in
//! [`InboxSettings`](crate::inbox::InboxSettings): conversations a contact opens are routed to a
//! team and an agent ([`Engine::set_agent_availability`], [`Engine::assign_agent`],
//! [`Engine::assign_team`], [`Engine::unassign`]); automation rules run on conversation opened,
//! message received, label added, analysis completed and status changed
//! ([`Engine::apply_rules`]), notifying through the host's
//! [`Notifier`](crate::inbox::Notifier); outside business hours a person's email gets one
//! auto-reply per conversation and day ([`AutoReplyOutcome`]); templates are validated before
//! sending ([`Engine::send_template`]); and [`Engine::metrics`] and [`Engine::insights_by`]
//! aggregate the store over a period. What each ingested reply caused is in
//! [`Stored::inbox`]. See `docs/inbox.md`.
//!
//! Every method takes `now`; nothing reads the clock behind the caller's back. Every write is one
//! atomic [`Store::commit`]; when the store reports a conflict (two
//! app instances racing for the same customer), the engine re-reads and tries again, up to
//! [`EngineConfig::conflict_retries`] times.
//!
//! ```
//! # #[cfg(feature = "memory")] {
//! use std::sync::Arc;
//! use chrono::{TimeZone, Utc};
//! use replytrack::address::AddressFormat;
//! use replytrack::conversation::{AccountSettings, NewCustomer};
//! use replytrack::engine::{Engine, IngestOutcome, OutboundDraft};
//! use replytrack::message::{InboundMessage, Mailbox};
//! use replytrack::ports::TimelineScope;
//! use replytrack::store::{MemoryMailer, MemoryStore};
//! use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
//!
//! # futures::executor::block_on(async {
//! let now = Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap();
//! let keys = Keyring::single(KeyId::new(0).unwrap(), Secret::from_bytes(&[7; 32]).unwrap());
//! let authority = TokenAuthority::builder(keys).domain("reply.acme.example").build().unwrap();
//! let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example").unwrap();
//! let engine = Engine::builder(authority, AddressFormat::new("reply.acme.example").unwrap(), account)
//!     .store(Arc::new(MemoryStore::new()))
//!     .mailer(Arc::new(MemoryMailer::new()))
//!     .build()
//!     .unwrap();
//!
//! let marie = engine.add_customer(NewCustomer::new("marie@example.fr").name("Marie"), now).await.unwrap();
//! let (email, sent) = engine
//!     .send(marie.id, OutboundDraft::new("Votre essai", "Bonjour !").start_conversation(), now)
//!     .await
//!     .unwrap();
//! assert!(sent.is_ok());
//!
//! // Marie answers; the provider adapter (or `InboundMessage::parse`) gives us this:
//! let reply = InboundMessage {
//!     message_id: Some("r1@example.fr".into()),
//!     from: Some(Mailbox::new("marie@example.fr")),
//!     to: vec![Mailbox::new(email.reply_address.clone())],
//!     text_body: Some("Oui, merci !".into()),
//!     ..InboundMessage::default()
//! };
//! match engine.ingest(reply, now).await.unwrap() {
//!     IngestOutcome::Stored(s) => assert_eq!(Some(s.conversation), email.conversation),
//!     other => panic!("{}", other.explain()),
//! }
//! let timeline = engine.timeline(TimelineScope::Customer(marie.id)).await.unwrap();
//! assert!(timeline.iter().any(|e| e.kind.name() == "reply_received"));
//! # });
//! # }
//! ```
//!
//! ## Nothing is lost
//! [`Engine::ingest`] never drops a message silently: it stores it, or returns a typed
//! [`IngestOutcome`] saying why not. The engine does not keep the raw bytes of a message it did
//! not store — the caller has them, and keeps them (a dead-letter table, the provider's retry)
//! when the outcome is `Rejected`, `Quarantined` or `Expired`. A store error is returned as
//! `Err`: nothing was written, and the webhook should answer 5xx so the provider retries.

mod after_hours;
mod analysis;
mod auto_reply;
mod automation;
mod bounce;
mod compose;
mod deliver;
mod forward;
mod inbox;
mod ingest;
mod insights;
mod metrics;
mod note;
mod outcome;
pub mod query;
mod records;
mod render;
mod routing;
mod templates;
pub mod whatsapp;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::address::AddressFormat;
use crate::analysis::{Analyzer, HeuristicAnalyzer};
use crate::conversation::customer::AddressCheckError;
use crate::conversation::delivery::DeliveryError;
use crate::conversation::snooze::SnoozeError;
use crate::conversation::status::StatusError;
use crate::conversation::{AccountSettings, ConversationId, CustomerId, MessageId, RetryPolicy};
use crate::message::Limits;
use crate::ports::{Clock, Conflict, Mailer, Store, StoreError, SystemClock};
use crate::token::{AuthorityError, TokenAuthority};

pub use after_hours::AutoReplyOutcome;
pub use analysis::{AnalysisReport, AnalysisRun, AnalysisStatus, MAX_ANALYSED_BYTES, NOTE_AUTHOR};
pub use automation::{InboxEffects, RulesOutcome};
pub use compose::{ComposedEmail, DeliveryOutcome, OutboundDraft, Thread};
pub use forward::{ForwardReport, ForwardStatus};
pub use inbox::{LoggedMessage, ManualReply};
pub use insights::{
    HIGH_VALUE_WAIT_HOURS, Insights, PainPoint, Segment, SegmentInsights, high_value_waiting,
};
pub use metrics::METRICS_PAGE;
pub use note::analysis_note;
pub use outcome::{IngestOutcome, RejectReason, Stored};
pub use render::{AUTO_SUBMITTED_HEADER, CONVERSATION_HEADER, ID_HEADER, LOOP_HEADER, RenderError};
pub use routing::MAX_COUNTED_LOAD;

/// Tunables of the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    /// Forward stored replies to the account's inbox (default true).
    pub forward_replies: bool,
    /// Try each forward right after storing the reply, rather than only from
    /// [`Engine::run_forwards`] (default true). A failed try stays queued either way.
    pub forward_inline: bool,
    /// Queue an analysis job for each stored reply (default true).
    pub analyze_replies: bool,
    /// Retries and dead-lettering of forward jobs.
    pub retry: RetryPolicy,
    /// Retries and dead-lettering of analysis jobs (default: 5 attempts, 60 s doubling to at
    /// most 1 h). Each job keeps the `max_attempts` it was enqueued with.
    pub analysis_retry: RetryPolicy,
    /// How long a claimed job stays leased, in seconds (default 300).
    pub lease_seconds: i64,
    /// How often a commit refused by a conflict is re-read and retried (default 24). Under
    /// contention every round lets at least one writer through, so this bounds how many
    /// instances can race on one record (the same conversation, say) before one of them gets
    /// [`EngineError::Contention`].
    pub conflict_retries: u32,
    /// Keep the bytes of every delivery taken by [`Engine::ingest_raw`] and
    /// [`Engine::ingest_payload`] in the store's raw archive before ingesting it (default true;
    /// one more write per delivery). Prune with [`crate::ports::Store::purge_raw`].
    /// Bytes that cannot be read are dead-lettered either way.
    pub keep_raw: bool,
    /// Quarantine replies whose sender the provider reports as failing authentication: DMARC
    /// fail, or SPF and DKIM both fail (default true).
    pub quarantine_failed_auth: bool,
    /// Accept a reply that carries no token when its sender is a known customer (default true):
    /// it lands in their current conversation or opens one.
    pub accept_tokenless_from_customers: bool,
    /// Limits for [`Engine::ingest_raw`].
    pub parse_limits: Limits,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            forward_replies: true,
            forward_inline: true,
            analyze_replies: true,
            retry: RetryPolicy::default(),
            analysis_retry: RetryPolicy {
                max_attempts: 5,
                base_delay_seconds: 60,
                max_delay_seconds: 3_600,
            },
            lease_seconds: 300,
            conflict_retries: 24,
            keep_raw: true,
            quarantine_failed_auth: true,
            accept_tokenless_from_customers: true,
            parse_limits: Limits::default(),
        }
    }
}

/// Why the engine could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineBuildError {
    /// No store was given.
    #[error("the engine needs a store (EngineBuilder::store)")]
    MissingStore,
    /// No mailer was given.
    #[error("the engine needs a mailer (EngineBuilder::mailer)")]
    MissingMailer,
    /// The inbox settings do not hang together.
    #[error("inbox settings: {0}")]
    Inbox(#[from] crate::inbox::SettingsError),
    /// The token authority and the address format name different reply domains.
    #[error("token authority signs for {authority:?} but reply addresses use {format:?}")]
    DomainMismatch {
        /// The authority's domain.
        authority: String,
        /// The address format's domain.
        format: String,
    },
}

/// Why an engine operation failed. Ingest outcomes that are about the message (rejected,
/// quarantined, duplicate…) are not errors: see [`IngestOutcome`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A record the operation needs does not exist.
    #[error("{entity} {id} does not exist")]
    NotFound {
        /// `customer`, `conversation`, `message`.
        entity: &'static str,
        /// The id.
        id: String,
    },
    /// A conversation named for a customer belongs to someone else.
    #[error("conversation {conversation} belongs to customer {owner}, not {customer}")]
    WrongCustomer {
        /// The conversation.
        conversation: ConversationId,
        /// Its customer.
        owner: CustomerId,
        /// The customer named.
        customer: CustomerId,
    },
    /// A status change was refused.
    #[error(transparent)]
    Status(#[from] StatusError),
    /// A snooze end could not be computed.
    #[error(transparent)]
    Snooze(#[from] SnoozeError),
    /// A delivery report was refused.
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    /// No token could be issued.
    #[error(transparent)]
    Token(#[from] AuthorityError),
    /// An address was not an email address.
    #[error(transparent)]
    Address(#[from] AddressCheckError),
    /// The outgoing message could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The customer has no address that has not hard-bounced.
    #[error("customer {customer} has no deliverable address (every one hard-bounced)")]
    NoDeliverableAddress {
        /// The customer.
        customer: CustomerId,
    },
    /// The customer unsubscribed.
    #[error("customer {customer} unsubscribed: no email is composed for them")]
    Unsubscribed {
        /// The customer.
        customer: CustomerId,
    },
    /// The operation kept losing races with other writers.
    #[error("{operation} was refused by concurrent writes {attempts} times in a row: {last}")]
    Contention {
        /// What was being done.
        operation: &'static str,
        /// How many tries.
        attempts: u32,
        /// The last conflict.
        last: Conflict,
    },
    /// A message is not an outgoing email (for delivery reports and sends).
    #[error("message {0} is not an outgoing email")]
    NotOutbound(MessageId),
    /// A template was missing, invalid, or lacked a value.
    #[error(transparent)]
    Template(#[from] crate::inbox::TemplateError),
    /// No template has this name in this language (nor in the account's language).
    #[error("no template {name:?} in language {lang:?} (nor in the account's language)")]
    UnknownTemplate {
        /// The name asked for.
        name: String,
        /// The language asked for.
        lang: String,
    },
    /// Metrics could not be computed.
    #[error(transparent)]
    Metrics(#[from] crate::inbox::MetricsError),
}

impl EngineError {
    fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }
}

/// The conversation engine for one account.
#[derive(Clone)]
pub struct Engine {
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    analyzer: Arc<dyn Analyzer>,
    authority: TokenAuthority,
    format: AddressFormat,
    account: AccountSettings,
    config: EngineConfig,
    inbox: Arc<routing::InboxState>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("authority", &self.authority)
            .field("format", &self.format)
            .field("analyzer", &self.analyzer.name())
            .field("account", &self.account)
            .field("config", &self.config)
            .field("inbox", &self.inbox)
            .finish_non_exhaustive()
    }
}

/// Builder for [`Engine`].
pub struct EngineBuilder {
    store: Option<Arc<dyn Store>>,
    mailer: Option<Arc<dyn Mailer>>,
    clock: Arc<dyn Clock>,
    analyzer: Arc<dyn Analyzer>,
    authority: TokenAuthority,
    format: AddressFormat,
    account: AccountSettings,
    config: EngineConfig,
    inbox: crate::inbox::InboxSettings,
    notifier: Option<Arc<dyn crate::inbox::Notifier>>,
    customer_fields: Option<Arc<dyn crate::inbox::CustomerFields>>,
}

impl std::fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineBuilder")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

impl EngineBuilder {
    /// The store (required).
    pub fn store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = Some(store);
        self
    }

    /// The mailer forwards go through (required).
    pub fn mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.mailer = Some(mailer);
        self
    }

    /// The clock behind [`Engine::now`] (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The analyzer [`Engine::run_analysis`] runs (default: the offline [`HeuristicAnalyzer`],
    /// which needs no network). An [`LlmAnalyzer`](crate::analysis::LlmAnalyzer) over a model API
    /// client goes here.
    pub fn analyzer(mut self, analyzer: Arc<dyn Analyzer>) -> Self {
        self.analyzer = analyzer;
        self
    }

    /// Tunables.
    pub fn config(mut self, config: EngineConfig) -> Self {
        self.config = config;
        self
    }

    /// The inbox: teams, agents, routing and automation rules, business hours, the
    /// auto-reply template, label colours, templates (default: none of them, always open).
    /// Checked by [`EngineBuilder::build`].
    pub fn inbox(mut self, settings: crate::inbox::InboxSettings) -> Self {
        self.inbox = settings;
        self
    }

    /// Where automation rules' notifications go (default: nowhere).
    pub fn notifier(mut self, notifier: Arc<dyn crate::inbox::Notifier>) -> Self {
        self.notifier = Some(notifier);
        self
    }

    /// Where routing reads customer fields from (default: no fields).
    pub fn customer_fields(mut self, fields: Arc<dyn crate::inbox::CustomerFields>) -> Self {
        self.customer_fields = Some(fields);
        self
    }

    /// Build.
    ///
    /// # Errors
    /// [`EngineBuildError`] when the store or mailer is missing, the authority and address
    /// format disagree on the reply domain, or the inbox settings do not validate.
    pub fn build(self) -> Result<Engine, EngineBuildError> {
        self.inbox.validate()?;
        if self.authority.domain() != self.format.domain() {
            return Err(EngineBuildError::DomainMismatch {
                authority: self.authority.domain().to_string(),
                format: self.format.domain().to_string(),
            });
        }
        Ok(Engine {
            store: self.store.ok_or(EngineBuildError::MissingStore)?,
            mailer: self.mailer.ok_or(EngineBuildError::MissingMailer)?,
            clock: self.clock,
            analyzer: self.analyzer,
            authority: self.authority,
            format: self.format,
            account: self.account,
            config: self.config,
            inbox: Arc::new(routing::InboxState::new(
                self.inbox,
                self.notifier,
                self.customer_fields,
            )),
        })
    }
}

impl Engine {
    /// Start building an engine for an account: its token authority, its reply-address format
    /// (same domain), and its settings.
    pub fn builder(
        authority: TokenAuthority,
        format: AddressFormat,
        account: AccountSettings,
    ) -> EngineBuilder {
        EngineBuilder {
            store: None,
            mailer: None,
            clock: Arc::new(SystemClock),
            analyzer: Arc::new(HeuristicAnalyzer::new()),
            authority,
            format,
            account,
            config: EngineConfig::default(),
            inbox: crate::inbox::InboxSettings::default(),
            notifier: None,
            customer_fields: None,
        }
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The account's settings.
    pub fn account(&self) -> &AccountSettings {
        &self.account
    }

    /// The analyzer behind [`Engine::run_analysis`].
    pub fn analyzer(&self) -> &Arc<dyn Analyzer> {
        &self.analyzer
    }

    /// The tunables.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The token authority.
    pub fn authority(&self) -> &TokenAuthority {
        &self.authority
    }

    /// The reply-address format.
    pub fn address_format(&self) -> &AddressFormat {
        &self.format
    }

    /// The clock's time, for hosts that do not keep their own.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn lease(&self) -> chrono::Duration {
        chrono::Duration::seconds(self.config.lease_seconds.max(1))
    }

    /// Tries allowed for a commit that may meet conflicts.
    fn tries(&self) -> u32 {
        self.config.conflict_retries.saturating_add(1)
    }
}

/// Whether a store error is a conflict worth re-reading for.
fn retryable(e: &StoreError) -> Option<&Conflict> {
    match e {
        StoreError::Conflict(c) => Some(c),
        _ => None,
    }
}

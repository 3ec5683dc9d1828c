//! The engine as both bindings see it: opened from one store string, driven by named operations
//! with JSON arguments, answering JSON. The Python and Node crates include this same file (Node
//! through `#[path]`) and only add their language's runtime bridge and value conversion on top,
//! so the two APIs cannot drift apart.
//!
//! Conventions of the JSON both sides rely on:
//! - ids are strings (`cus_…`, `cnv_…`, `msg_…`), instants RFC 3339 strings in UTC; keys named
//!   `at`, `until`, or ending in `_at`/`_since`/`_until` hold instants (the bindings turn them into
//!   `datetime`/`Date`); `eml` holds base64 bytes (the bindings turn them into `bytes`/`Buffer`);
//! - every operation takes an optional `now` (an instant); without it the system clock is read.
//!
//! Errors are [`CoreError`]s: a stable `code` (`STORE_ERROR`, `TRANSITION_ERROR`, …), the Rust
//! error's message, and its fields as JSON. Secrets never appear in any of them.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use replytrack::address::AddressFormat;
use replytrack::analysis::{
    AnalysisContext, HeuristicAnalyzer, PromptBuilder, analysis_json_schema, parse_analysis,
};
use replytrack::conversation::{
    AccountSettings, Conversation, ConversationId, ConversationStatus, Customer, NewCustomer,
    Priority, SnoozePreset, TimelineEvent,
};
use replytrack::engine::{
    AnalysisStatus, DeliveryOutcome, Engine, EngineConfig, EngineError, ForwardStatus,
    IngestOutcome, ManualReply, OutboundDraft,
};
use replytrack::ports::{
    ConversationCursor, ConversationQuery, Mailer, MailerError, OutgoingEmail, SendReceipt,
    StoreError, TimelineScope,
};
use replytrack::provider::{ProviderKind, ProviderOptions, parse_provider};
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
use replytrack_open::{OpenError, OpenOptions, StoreTarget};

/// An error for the binding to raise: a stable code, a message, and the Rust error's fields.
#[derive(Debug, Clone)]
pub struct CoreError {
    /// `STORE_ERROR`, `NOT_FOUND`, `TRANSITION_ERROR`, `SNOOZE_ERROR`, `INVALID_ADDRESS`,
    /// `UNDELIVERABLE`, `UNSUBSCRIBED`, `CONTENTION`, `WRONG_CUSTOMER`, `DELIVERY_ERROR`,
    /// `RENDER_ERROR`, `TOKEN_ERROR`, `NOT_OUTBOUND`, `CONFIG_ERROR`, `MALFORMED_INPUT` or
    /// `INVALID_ARGUMENT`.
    pub code: &'static str,
    /// The message (the Rust error's `Display`).
    pub message: String,
    /// The error's fields (`entity`, `id`, `state`, `event`, `kind`, …).
    pub fields: Map<String, Value>,
}

impl CoreError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Map::new(),
        }
    }

    fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(key.to_owned(), value.into());
        self
    }

    /// A bad argument from the caller.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new("INVALID_ARGUMENT", message)
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        let message = e.to_string();
        match e {
            StoreError::Conflict(_) => Self::new("STORE_ERROR", message).with("kind", "conflict"),
            StoreError::NotFound { entity, id } => Self::new("NOT_FOUND", message)
                .with("entity", entity)
                .with("id", id),
            StoreError::LeaseLost { job, attempt } => Self::new("STORE_ERROR", message)
                .with("kind", "lease_lost")
                .with("job", job.to_string())
                .with("attempt", attempt),
            StoreError::Backend(_) => Self::new("STORE_ERROR", message).with("kind", "backend"),
        }
    }
}

fn status_name(s: &ConversationStatus) -> &'static str {
    s.name()
}

impl From<EngineError> for CoreError {
    fn from(e: EngineError) -> Self {
        let message = e.to_string();
        match e {
            EngineError::Store(s) => s.into(),
            EngineError::NotFound { entity, id } => Self::new("NOT_FOUND", message)
                .with("entity", entity)
                .with("id", id),
            EngineError::WrongCustomer {
                conversation,
                owner,
                customer,
            } => Self::new("WRONG_CUSTOMER", message)
                .with("conversation", conversation.to_string())
                .with("owner", owner.to_string())
                .with("customer", customer.to_string()),
            EngineError::Status(s) => Self::new("TRANSITION_ERROR", message)
                .with("state", status_name(&s.state))
                .with(
                    "event",
                    serde_json::to_value(s.event)
                        .ok()
                        .and_then(|v| v.get("event").cloned())
                        .unwrap_or(Value::Null),
                )
                .with("why", s.why),
            EngineError::Snooze(_) => Self::new("SNOOZE_ERROR", message),
            EngineError::Delivery(_) => Self::new("DELIVERY_ERROR", message),
            EngineError::Token(_) => Self::new("TOKEN_ERROR", message),
            EngineError::Address(_) => Self::new("INVALID_ADDRESS", message),
            EngineError::Render(_) => Self::new("RENDER_ERROR", message),
            EngineError::NoDeliverableAddress { customer } => {
                Self::new("UNDELIVERABLE", message).with("customer", customer.to_string())
            }
            EngineError::Unsubscribed { customer } => {
                Self::new("UNSUBSCRIBED", message).with("customer", customer.to_string())
            }
            EngineError::Contention {
                operation,
                attempts,
                ..
            } => Self::new("CONTENTION", message)
                .with("operation", operation)
                .with("attempts", attempts),
            EngineError::NotOutbound(id) => {
                Self::new("NOT_OUTBOUND", message).with("message", id.to_string())
            }
            EngineError::Template(_) => Self::new("TEMPLATE_ERROR", message),
            EngineError::UnknownTemplate { name, lang } => Self::new("TEMPLATE_ERROR", message)
                .with("name", name)
                .with("lang", lang),
            EngineError::Metrics(_) => Self::new("METRICS_ERROR", message),
            _ => Self::new("ENGINE_ERROR", message),
        }
    }
}

impl From<OpenError> for CoreError {
    fn from(e: OpenError) -> Self {
        let message = e.to_string();
        match e {
            OpenError::EmptyTarget | OpenError::UnknownScheme(_) => {
                Self::new("CONFIG_ERROR", message).with("reason", "store")
            }
            _ => Self::new("STORE_ERROR", message).with("kind", "open"),
        }
    }
}

/// How to open an engine.
#[derive(Debug, Default)]
pub struct OpenConfig {
    /// The store: a SQLite path, `:memory:`, or a `postgres://` URL.
    pub db: String,
    /// The reply domain (`reply.example.com`).
    pub reply_domain: String,
    /// The token secret (at least 32 bytes).
    pub secret: Vec<u8>,
    /// The key id the secret signs with.
    pub key_id: u8,
    /// The `From` address of outgoing email.
    pub from_address: String,
    /// The `From` display name.
    pub from_name: Option<String>,
    /// The account's name.
    pub account_name: String,
    /// Where replies are forwarded (default: `from_address`).
    pub forward_to: Option<String>,
    /// PostgreSQL schema.
    pub pg_schema: Option<String>,
    /// Write each forward as an `.eml` file here (besides keeping it in memory).
    pub outbox_dir: Option<PathBuf>,
    /// Forward stored replies (default true).
    pub forward_replies: bool,
    /// Queue an analysis for each stored reply (default true).
    pub analyze_replies: bool,
    /// Analyse with an OpenAI-compatible model instead of the offline analyzer.
    pub llm: Option<LlmConfig>,
}

/// An OpenAI-compatible endpoint for the analysis worker (OpenAI, Azure, Ollama, llama.cpp,
/// vLLM). `Debug` leaves the key out.
#[derive(Default)]
pub struct LlmConfig {
    /// The API base URL (`https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`).
    pub url: String,
    /// The model (`gpt-4o-mini`, `llama3.1:8b`).
    pub model: String,
    /// The API key, if the server needs one.
    pub api_key: Option<String>,
    /// Ask for `json_object` output instead of a strict JSON Schema.
    pub json_object: bool,
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("json_object", &self.json_object)
            .finish()
    }
}

impl LlmConfig {
    /// The settings from JSON `{url, model, api_key?, json_object?}`.
    ///
    /// # Errors
    /// `CONFIG_ERROR` when `url` or `model` is missing.
    pub fn from_json(text: &str) -> Result<Self, CoreError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| CoreError::new("CONFIG_ERROR", format!("llm settings: {e}")))?;
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let (Some(url), Some(model)) = (field("url"), field("model")) else {
            return Err(CoreError::new(
                "CONFIG_ERROR",
                "llm settings need url and model",
            ));
        };
        Ok(Self {
            url,
            model,
            api_key: field("api_key").filter(|k| !k.trim().is_empty()),
            json_object: v
                .get("json_object")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }

    fn analyzer(&self) -> Result<Arc<dyn replytrack::ports::Analyzer>, CoreError> {
        let mut builder = replytrack_openai::OpenAiClient::builder(self.url.clone(), &self.model);
        if let Some(key) = &self.api_key {
            builder = builder.api_key(key.clone());
        }
        if self.json_object {
            builder = builder.structured_output(replytrack_openai::StructuredOutput::JsonObject);
        }
        let client = builder
            .build()
            .map_err(|e| CoreError::new("CONFIG_ERROR", format!("llm: {e}")))?;
        Ok(Arc::new(replytrack::analysis::LlmAnalyzer::new(client)))
    }
}

/// A mailer that keeps each email it is given (and writes it to a directory when asked): the
/// forwards a binding user reads back, or an `.eml` drop folder a local MTA picks up.
#[derive(Debug, Default)]
pub struct Outbox {
    sent: Mutex<Vec<OutgoingEmail>>,
    dir: Option<PathBuf>,
}

/// The most emails an [`Outbox`] keeps in memory; older ones are dropped first.
const OUTBOX_CAP: usize = 1_000;

#[async_trait::async_trait]
impl Mailer for Outbox {
    async fn send(&self, email: &OutgoingEmail) -> Result<SendReceipt, MailerError> {
        if let Some(dir) = &self.dir {
            let name: String = email
                .message_id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            std::fs::write(dir.join(format!("{name}.eml")), &email.raw)
                .map_err(|e| MailerError::Temporary(Box::new(e)))?;
        }
        let mut sent = self
            .sent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if sent.len() >= OUTBOX_CAP {
            sent.remove(0);
        }
        sent.push(email.clone());
        Ok(SendReceipt {
            provider_message_id: Some(email.message_id.clone()),
        })
    }
}

/// An engine, its outbox, and what it was opened on.
pub struct Core {
    engine: Engine,
    outbox: Arc<Outbox>,
    kind: &'static str,
    target: String,
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({})", self.target)
    }
}

fn address_error(e: impl std::fmt::Display) -> CoreError {
    CoreError::new("CONFIG_ERROR", e.to_string()).with("reason", "address")
}

impl Core {
    /// Open the store and build the engine. A PostgreSQL store must be opened inside the tokio
    /// runtime that will run the calls.
    ///
    /// # Errors
    /// `CONFIG_ERROR` for bad settings, `STORE_ERROR` when the store cannot be opened.
    pub async fn open(cfg: OpenConfig) -> Result<Self, CoreError> {
        let target: StoreTarget = cfg.db.parse()?;
        let mut options = OpenOptions::new().pg_application_name("replytrack-binding");
        if let Some(schema) = cfg.pg_schema {
            options = options.pg_schema(schema);
        }
        let secret = Secret::from_bytes(&cfg.secret)
            .map_err(|e| CoreError::new("CONFIG_ERROR", e.to_string()).with("reason", "secret"))?;
        let key_id = KeyId::new(cfg.key_id).ok_or_else(|| {
            CoreError::new("CONFIG_ERROR", format!("key id {} is over 15", cfg.key_id))
                .with("reason", "key_id")
        })?;
        let authority = TokenAuthority::builder(Keyring::single(key_id, secret))
            .domain(cfg.reply_domain.clone())
            .build()
            .map_err(|e| CoreError::new("CONFIG_ERROR", e.to_string()).with("reason", "domain"))?;
        let format = AddressFormat::new(&cfg.reply_domain).map_err(address_error)?;
        let forward_to = cfg.forward_to.unwrap_or_else(|| cfg.from_address.clone());
        let mut account = AccountSettings::new(cfg.account_name, &cfg.from_address, &forward_to)
            .map_err(address_error)?;
        if let Some(name) = cfg.from_name {
            account = account.from_name(name);
        }
        if let Some(dir) = &cfg.outbox_dir {
            std::fs::create_dir_all(dir).map_err(|e| {
                CoreError::new("CONFIG_ERROR", format!("outbox directory: {e}"))
                    .with("reason", "outbox_dir")
            })?;
        }
        let outbox = Arc::new(Outbox {
            sent: Mutex::new(Vec::new()),
            dir: cfg.outbox_dir,
        });
        let store = replytrack_open::open(&target, &options).await?;
        let config = EngineConfig {
            forward_replies: cfg.forward_replies,
            analyze_replies: cfg.analyze_replies,
            ..EngineConfig::default()
        };
        let engine = Engine::builder(authority, format, account)
            .store(store)
            .mailer(outbox.clone())
            .analyzer(match &cfg.llm {
                Some(llm) => llm.analyzer()?,
                None => Arc::new(HeuristicAnalyzer::new()),
            })
            .config(config)
            .build()
            .map_err(|e| CoreError::new("CONFIG_ERROR", e.to_string()))?;
        Ok(Self {
            engine,
            outbox,
            kind: target.kind(),
            target: target.to_string(),
        })
    }

    /// `sqlite`, `sqlite-memory` or `postgres`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The store target, password hidden.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Run one operation.
    ///
    /// # Errors
    /// The operation's [`CoreError`].
    pub async fn call(&self, op: &str, args: Value) -> Result<Value, CoreError> {
        let a = Args(args);
        let now = a.now()?;
        let e = &self.engine;
        Ok(match op {
            "add_customer" => {
                let mut new = NewCustomer {
                    emails: a.strings("emails")?,
                    name: a.opt_str("name")?,
                    external_id: a.opt_str("external_id")?,
                    phone: a.opt_str("phone")?,
                };
                if let Some(email) = a.opt_str("email")? {
                    new.emails.insert(0, email);
                }
                customer_json(&e.add_customer(new, now).await?)
            }
            "get_customer" => match e.customer(a.id("id")?).await? {
                Some(c) => customer_json(&c),
                None => Value::Null,
            },
            "find_customer" => {
                let email = a.str("email")?;
                match e.store().customer_by_email(&email).await? {
                    Some(c) => customer_json(&c),
                    None => Value::Null,
                }
            }
            "get_conversation" => match e.conversation(a.id("id")?).await? {
                Some(c) => conversation_json(&c),
                None => Value::Null,
            },
            "compose" => {
                let mut draft = OutboundDraft::new(a.str("subject")?, a.str("text")?);
                if let Some(html) = a.opt_str("html")? {
                    draft = draft.html(html);
                }
                for cc in a.strings("cc")? {
                    draft = draft.cc(cc);
                }
                if let Some(author) = a.opt_str("author")? {
                    draft = draft.author(author);
                }
                if let Some(c) = a.opt_id::<ConversationId>("conversation")? {
                    draft = draft.continue_conversation(c);
                } else if a.bool_or("start_conversation", true)? {
                    draft = draft.start_conversation();
                }
                let c = e.compose_outbound(a.id("customer")?, draft, now).await?;
                json!({
                    "message": c.message.id.to_string(),
                    "customer": c.message.customer.to_string(),
                    "conversation": c.conversation.map(|id| id.to_string()),
                    "reply_address": c.reply_address,
                    "token": c.token.token.to_string(),
                    "expires_at": rfc3339(c.token.expires_at),
                    "reissued": c.reissued.map(|t| t.to_string()),
                    "subject": c.message.subject,
                    "message_id": c.email.message_id,
                    "envelope_from": c.email.envelope_from,
                    "recipients": c.email.recipients,
                    "eml": B64.encode(&c.email.raw),
                })
            }
            "record_sent" => {
                let outcome = e
                    .record_sent(a.id("message")?, a.opt_str("provider_message_id")?, now)
                    .await?;
                Value::String(
                    match outcome {
                        DeliveryOutcome::Changed { .. } => "changed",
                        DeliveryOutcome::Unchanged(_) => "unchanged",
                        DeliveryOutcome::Refused(_) => "refused",
                    }
                    .to_owned(),
                )
            }
            "ingest" => {
                let body = a.bytes("body")?;
                let outcome = match a.opt_str("provider")? {
                    None => e.ingest_raw(&body, now).await?,
                    Some(p) if p == "raw" || p == "mime" => e.ingest_raw(&body, now).await?,
                    Some(p) => {
                        let kind: ProviderKind = p.parse().map_err(|err| {
                            CoreError::new("CONFIG_ERROR", format!("{err}"))
                                .with("reason", "provider")
                        })?;
                        let ct = a.opt_str("content_type")?;
                        match parse_provider(
                            kind,
                            &body,
                            ct.as_deref(),
                            &ProviderOptions::default(),
                        ) {
                            Ok(msg) => e.ingest(msg, now).await?,
                            Err(err) => {
                                return Err(CoreError::new("MALFORMED_INPUT", err.to_string())
                                    .with("provider", p));
                            }
                        }
                    }
                };
                outcome_json(&outcome)
            }
            "log_manual_reply" => {
                let text = a.str("text")?;
                let mut reply = match a.opt_str("party")?.as_deref() {
                    None | Some("contact") => ManualReply::from_contact(text),
                    Some("business") => ManualReply::from_business(text),
                    Some(other) => {
                        return Err(CoreError::invalid(format!(
                            "party must be 'contact' or 'business', not {other:?}"
                        )));
                    }
                };
                if let Some(author) = a.opt_str("author")? {
                    reply = reply.author(author);
                }
                reply.occurred_at = a.opt_time("occurred_at")?;
                reply.conversation = a.opt_id("conversation")?;
                let logged = e.log_manual_reply(a.id("customer")?, reply, now).await?;
                json!({
                    "message": logged.message.to_string(),
                    "conversation": logged.conversation.to_string(),
                    "opened": logged.opened,
                })
            }
            "timeline" => {
                let scope = match (a.opt_id("customer")?, a.opt_id("conversation")?) {
                    (Some(c), None) => TimelineScope::Customer(c),
                    (None, Some(c)) => TimelineScope::Conversation(c),
                    _ => {
                        return Err(CoreError::invalid(
                            "timeline needs exactly one of customer or conversation",
                        ));
                    }
                };
                Value::Array(e.timeline(scope).await?.iter().map(event_json).collect())
            }
            "messages" => {
                let list = e.store().messages(a.id("conversation")?).await?;
                Value::Array(list.iter().map(message_json).collect())
            }
            "conversations" => {
                let q = a.query()?;
                let list = e.store().conversations(&q).await?;
                let next = (list.len() >= q.page_size())
                    .then(|| {
                        list.last()
                            .map(|c| cursor_string(&ConversationCursor::of(c)))
                    })
                    .flatten();
                json!({
                    "items": list.iter().map(conversation_json).collect::<Vec<_>>(),
                    "next_cursor": next,
                })
            }
            "inbox" => {
                let q = a.inbox_query()?;
                let page = e.inbox(q).await?;
                json!({
                    "rows": page.rows.iter().map(inbox_row_json).collect::<Vec<_>>(),
                    "next_cursor": page.next_cursor.as_ref().map(cursor_string),
                })
            }
            "mark_read" => {
                e.mark_read(a.id("conversation")?, &a.str("agent")?, now)
                    .await?;
                Value::Null
            }
            "customer_history" => {
                let rows = e.customer_history(a.id("customer")?).await?;
                Value::Array(rows.iter().map(inbox_row_json).collect())
            }
            "metrics" => {
                let start = a
                    .opt_time("since")?
                    .ok_or_else(|| CoreError::invalid("metrics needs since (a datetime)"))?;
                let end = a.opt_time("until")?.unwrap_or(now);
                if end <= start {
                    return Err(CoreError::invalid("metrics needs since before until"));
                }
                let period = replytrack::inbox::Period { start, end };
                metrics_json(&e.metrics(period, &a.query()?).await?)
            }
            "resolve" => conversation_json(&e.resolve(a.id("conversation")?, now).await?),
            "reopen" => conversation_json(&e.reopen(a.id("conversation")?, now).await?),
            "mark_pending" => conversation_json(&e.mark_pending(a.id("conversation")?, now).await?),
            "snooze" => {
                let preset = match (a.opt_time("until")?, a.opt_str("preset")?) {
                    (Some(at), None) => SnoozePreset::Until { at },
                    (None, Some(p)) => preset(&p)?,
                    _ => {
                        return Err(CoreError::invalid(
                            "snooze needs exactly one of until (a datetime) or preset",
                        ));
                    }
                };
                conversation_json(&e.snooze(a.id("conversation")?, preset, None, now).await?)
            }
            "wake_snoozed" => Value::Array(
                e.wake_snoozed(now)
                    .await?
                    .iter()
                    .map(|id| Value::String(id.to_string()))
                    .collect(),
            ),
            "assign" => conversation_json(
                &e.assign(
                    a.id("conversation")?,
                    a.opt_str("assignee")?,
                    a.opt_str("team")?,
                    now,
                )
                .await?,
            ),
            "label" => conversation_json(
                &e.label(
                    a.id("conversation")?,
                    &a.str("label")?,
                    a.bool_or("add", true)?,
                    now,
                )
                .await?,
            ),
            "set_priority" => {
                let p: Priority = serde_json::from_value(Value::String(a.str("priority")?))
                    .map_err(|_| {
                        CoreError::invalid("priority must be none, low, medium, high or urgent")
                    })?;
                conversation_json(&e.set_priority(a.id("conversation")?, p, now).await?)
            }
            "add_note" => {
                let id = e
                    .add_note(
                        a.id("conversation")?,
                        a.opt_str("author")?,
                        &a.str("text")?,
                        now,
                    )
                    .await?;
                Value::String(id.to_string())
            }
            "insights" => {
                let q = a.query()?;
                let top = a.usize_or("top", 5)?;
                serde_json::to_value(e.insights(&q, top).await?).unwrap_or(Value::Null)
            }
            "run_analysis" => {
                let run = e.run_analysis(a.usize_or("batch", 50)?, now).await?;
                json!({
                    "analysed": run.analysed,
                    "skipped": run.skipped,
                    "failed": run.failed,
                    "dead_lettered": run.dead_lettered,
                    "lease_lost": run.lease_lost,
                    "reports": run.reports.iter().map(|r| {
                        let (status, detail) = analysis_status(&r.status);
                        json!({
                            "job": r.job.to_string(),
                            "message": r.message.to_string(),
                            "attempt": r.attempt,
                            "status": status,
                            "detail": detail,
                        })
                    }).collect::<Vec<_>>(),
                })
            }
            "run_forwards" => {
                let reports = e.run_forwards(a.usize_or("limit", 50)?, now).await?;
                Value::Array(
                    reports
                        .iter()
                        .map(|r| {
                            json!({
                                "job": r.job.to_string(),
                                "message": r.message.to_string(),
                                "status": forward_name(&r.status),
                                "detail": r.status.describe(),
                            })
                        })
                        .collect(),
                )
            }
            "outbox" => {
                let sent = self
                    .outbox
                    .sent
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                Value::Array(sent.iter().map(outgoing_json).collect())
            }
            other => return Err(CoreError::invalid(format!("unknown operation {other:?}"))),
        })
    }
}

// ---- pure calls (no store) ----------------------------------------------------------------

/// The offline analyzer on one reply text.
pub fn analyze(text: &str, subject: Option<String>, customer_name: Option<String>) -> Value {
    let context = AnalysisContext {
        subject,
        customer_name,
        ..AnalysisContext::default()
    };
    serde_json::to_value(HeuristicAnalyzer::new().analyze_text(text, &context))
        .unwrap_or(Value::Null)
}

/// The analysis JSON Schema.
pub fn json_schema() -> Value {
    analysis_json_schema()
}

/// The prompt an LLM analyzer sends for a reply: `{system, user, messages: [{role, content}]}`.
pub fn build_prompt(text: &str, subject: Option<String>, customer_name: Option<String>) -> Value {
    let context = AnalysisContext {
        subject,
        customer_name,
        ..AnalysisContext::default()
    };
    let prompt = PromptBuilder::new().build(text, &context);
    serde_json::to_value(prompt.messages())
        .map_or(Value::Null, |messages| json!({ "messages": messages }))
}

/// Parse (and repair) a model's output into an analysis.
///
/// # Errors
/// `MALFORMED_INPUT` with the validation feedback to send back to the model.
pub fn repair(output: &str) -> Result<Value, CoreError> {
    match parse_analysis(output) {
        Ok(a) => Ok(serde_json::to_value(a).unwrap_or(Value::Null)),
        Err(e) => Err(CoreError::new("MALFORMED_INPUT", e.to_string())
            .with("kind", "analysis_output")
            .with("feedback", e.feedback())),
    }
}

// ---- arguments -----------------------------------------------------------------------------

struct Args(Value);

impl Args {
    fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    fn opt_str(&self, key: &str) -> Result<Option<String>, CoreError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(CoreError::invalid(format!("{key} must be a string"))),
        }
    }

    fn str(&self, key: &str) -> Result<String, CoreError> {
        self.opt_str(key)?
            .ok_or_else(|| CoreError::invalid(format!("{key} is required")))
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, CoreError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| CoreError::invalid(format!("{key} must hold strings")))
                })
                .collect(),
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(_) => Err(CoreError::invalid(format!(
                "{key} must be a list of strings"
            ))),
        }
    }

    fn opt_id<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, CoreError> {
        self.opt_str(key)?
            .map(|s| {
                s.parse::<T>()
                    .map_err(|_| CoreError::invalid(format!("{key}: {s:?} is not a valid id")))
            })
            .transpose()
    }

    fn id<T: std::str::FromStr>(&self, key: &str) -> Result<T, CoreError> {
        self.opt_id(key)?
            .ok_or_else(|| CoreError::invalid(format!("{key} is required")))
    }

    fn opt_time(&self, key: &str) -> Result<Option<DateTime<Utc>>, CoreError> {
        self.opt_str(key)?
            .map(|s| {
                DateTime::parse_from_rfc3339(&s)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| CoreError::invalid(format!("{key}: {s:?} is not an instant")))
            })
            .transpose()
    }

    fn now(&self) -> Result<DateTime<Utc>, CoreError> {
        Ok(self.opt_time("now")?.unwrap_or_else(Utc::now))
    }

    fn bool_or(&self, key: &str, default: bool) -> Result<bool, CoreError> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(CoreError::invalid(format!("{key} must be a boolean"))),
        }
    }

    fn usize_or(&self, key: &str, default: usize) -> Result<usize, CoreError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| CoreError::invalid(format!("{key} must be a non-negative integer"))),
        }
    }

    fn bytes(&self, key: &str) -> Result<Vec<u8>, CoreError> {
        B64.decode(self.str(key)?)
            .map_err(|_| CoreError::invalid(format!("{key} must be base64")))
    }

    fn opt_enum<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
        what: &str,
    ) -> Result<Option<T>, CoreError> {
        match self.opt_str(key)? {
            None => Ok(None),
            Some(s) => serde_json::from_value(Value::String(s))
                .map(Some)
                .map_err(|_| CoreError::invalid(what)),
        }
    }

    fn inbox_query(&self) -> Result<replytrack::ports::InboxQuery, CoreError> {
        use replytrack::ports::{InboxQuery, InboxTab};
        let tab = match (self.opt_str("tab")?.as_deref(), self.opt_str("agent")?) {
            (None | Some("all"), _) => InboxTab::All,
            (Some("unassigned"), _) => InboxTab::Unassigned,
            (Some("mine"), Some(agent)) => InboxTab::Mine(agent),
            (Some("mine"), None) => return Err(CoreError::invalid("tab mine needs agent")),
            (Some(_), _) => {
                return Err(CoreError::invalid("tab must be all, mine or unassigned"));
            }
        };
        Ok(InboxQuery {
            tab,
            status: self.opt_str("status")?,
            channel: self.opt_enum("channel", "channel must be email, whatsapp or manual")?,
            labels: self.strings("labels")?,
            assignee: self.opt_str("assignee")?,
            team: self.opt_str("team")?,
            priority: self.opt_enum(
                "priority",
                "priority must be none, low, medium, high or urgent",
            )?,
            response_type: self.opt_enum(
                "response_type",
                "response_type must be standard, high_value or needs_attention",
            )?,
            customer: self.opt_id("customer")?,
            text: self.opt_str("text")?,
            after: self
                .opt_str("after")?
                .map(|s| parse_cursor(&s))
                .transpose()?,
            limit: self.usize_or("limit", 0)?,
            reader: self.opt_str("reader")?,
        })
    }

    fn query(&self) -> Result<ConversationQuery, CoreError> {
        let channel = match self.opt_str("channel")? {
            None => None,
            Some(c) => Some(
                serde_json::from_value(Value::String(c))
                    .map_err(|_| CoreError::invalid("channel must be email, whatsapp or manual"))?,
            ),
        };
        Ok(ConversationQuery {
            customer: self.opt_id("customer")?,
            status: self.opt_str("status")?,
            assignee: self.opt_str("assignee")?,
            label: self.opt_str("label")?,
            limit: self.usize_or("limit", 0)?,
            team: self.opt_str("team")?,
            channel,
            text: self.opt_str("text")?,
            after: self
                .opt_str("after")?
                .map(|s| parse_cursor(&s))
                .transpose()?,
        })
    }
}

/// A metrics report as JSON: averages in whole seconds, volumes keyed by channel, agent, day.
fn metrics_json(r: &replytrack::inbox::Report) -> Value {
    let avg = |a: &Option<replytrack::inbox::metrics::Average>| match a {
        Some(a) => json!({
            "count": a.count,
            "calendar_seconds": a.calendar.num_seconds(),
            "business_seconds": a.business.num_seconds(),
        }),
        None => Value::Null,
    };
    let volumes = |m: &mut dyn Iterator<Item = (String, &replytrack::inbox::metrics::Volume)>| {
        Value::Object(
            m.map(|(k, v)| (k, json!({"inbound": v.inbound, "outbound": v.outbound})))
                .collect(),
        )
    };
    json!({
        "opened": r.opened,
        "resolved": r.resolved,
        "resolution_rate": r.resolution_rate,
        "first_response": avg(&r.first_response),
        "reply_time": avg(&r.reply_time),
        "resolution_time": avg(&r.resolution_time),
        "by_channel": volumes(&mut r.by_channel.iter().map(|(k, v)| (k.clone(), v))),
        "by_agent": volumes(&mut r.by_agent.iter().map(|(k, v)| (k.clone(), v))),
        "by_day": volumes(&mut r.by_day.iter().map(|(k, v)| (k.to_string(), v))),
    })
}

/// An inbox row as JSON: the serde shape, with the status as its plain name.
fn inbox_row_json(row: &replytrack::engine::query::InboxRow) -> Value {
    let mut v = serde_json::to_value(row).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("status".into(), json!(status_name(&row.status)));
        m.insert("cursor".into(), json!(cursor_string(&row.cursor)));
        m.insert(
            "snoozed_until".into(),
            match row.status {
                ConversationStatus::Snoozed { until } => json!(until.to_rfc3339()),
                _ => Value::Null,
            },
        );
    }
    v
}

fn preset(name: &str) -> Result<SnoozePreset, CoreError> {
    Ok(match name {
        "one_hour" => SnoozePreset::OneHour,
        "two_hours" => SnoozePreset::TwoHours,
        "four_hours" => SnoozePreset::FourHours,
        "tomorrow_morning" => SnoozePreset::TomorrowMorning,
        "next_monday" => SnoozePreset::NextMonday,
        other => {
            return Err(CoreError::invalid(format!(
                "unknown snooze preset {other:?}: one_hour, two_hours, four_hours, \
                 tomorrow_morning or next_monday"
            )));
        }
    })
}

/// A cursor as one opaque string: `<activity RFC 3339>|<conversation id>`.
fn cursor_string(c: &ConversationCursor) -> String {
    format!("{}|{}", rfc3339(c.activity), c.id)
}

fn parse_cursor(s: &str) -> Result<ConversationCursor, CoreError> {
    let bad = || CoreError::invalid(format!("{s:?} is not a conversation cursor"));
    let (at, id) = s.split_once('|').ok_or_else(bad)?;
    Ok(ConversationCursor {
        activity: DateTime::parse_from_rfc3339(at)
            .map_err(|_| bad())?
            .with_timezone(&Utc),
        id: id.parse().map_err(|_| bad())?,
    })
}

// ---- results -------------------------------------------------------------------------------

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn opt_time(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| Value::String(rfc3339(t)))
}

fn opt_id(id: Option<impl ToString>) -> Value {
    id.map_or(Value::Null, |id| Value::String(id.to_string()))
}

fn customer_json(c: &Customer) -> Value {
    let funnel = serde_json::to_value(c.funnel).unwrap_or(Value::Null);
    json!({
        "id": c.id.to_string(),
        "external_id": c.external_id,
        "name": c.name,
        "emails": c.emails.iter().map(|e| e.address.clone()).collect::<Vec<_>>(),
        "phone": c.phone,
        "funnel": funnel,
        "created_at": rfc3339(c.created_at),
        "version": c.version,
    })
}

fn conversation_json(c: &Conversation) -> Value {
    let snoozed_until = match c.status {
        ConversationStatus::Snoozed { until } => Some(until),
        _ => None,
    };
    json!({
        "id": c.id.to_string(),
        "customer": c.customer.to_string(),
        "channel": serde_json::to_value(c.channel).unwrap_or(Value::Null),
        "status": c.status.name(),
        "snoozed_until": opt_time(snoozed_until),
        "opened_by": serde_json::to_value(c.opened_by).unwrap_or(Value::Null),
        "subject": c.subject,
        "assignee": c.assignee,
        "team": c.team,
        "labels": c.labels.iter().collect::<Vec<_>>(),
        "priority": serde_json::to_value(c.priority).unwrap_or(Value::Null),
        "created_at": rfc3339(c.created_at),
        "last_inbound_at": opt_time(c.last_inbound_at),
        "last_outbound_at": opt_time(c.last_outbound_at),
        "first_response_at": opt_time(c.first_response_at),
        "waiting_since": opt_time(c.waiting_since),
        "resolved_at": opt_time(c.resolved_at),
        "version": c.version,
    })
}

fn event_json(ev: &TimelineEvent) -> Value {
    let mut data = serde_json::to_value(&ev.kind).unwrap_or(Value::Null);
    let kind = data
        .as_object_mut()
        .and_then(|o| o.remove("type"))
        .unwrap_or(Value::Null);
    json!({
        "id": ev.id.to_string(),
        "customer": ev.customer.to_string(),
        "conversation": opt_id(ev.conversation),
        "message": opt_id(ev.message),
        "at": rfc3339(ev.at),
        "type": kind,
        "data": data,
    })
}

fn message_json(m: &replytrack::conversation::Message) -> Value {
    json!({
        "id": m.id.to_string(),
        "customer": m.customer.to_string(),
        "conversation": opt_id(m.conversation),
        "direction": serde_json::to_value(m.direction).unwrap_or(Value::Null),
        "party": serde_json::to_value(m.party).unwrap_or(Value::Null),
        "author": m.author,
        "from": m.from,
        "to": m.to,
        "subject": m.subject,
        "body": m.body,
        "reply_text": m.reply.as_ref().map(|r| r.text.clone()),
        "analysis": m.analysis.as_ref().and_then(|a| serde_json::to_value(a).ok()),
        "created_at": rfc3339(m.created_at),
    })
}

fn outgoing_json(o: &OutgoingEmail) -> Value {
    json!({
        "envelope_from": o.envelope_from,
        "recipients": o.recipients,
        "message_id": o.message_id,
        "eml": B64.encode(&o.raw),
    })
}

fn forward_name(s: &ForwardStatus) -> &'static str {
    match s {
        ForwardStatus::Sent { .. } => "sent",
        ForwardStatus::Queued { .. } => "queued",
        ForwardStatus::Busy { .. } => "busy",
        ForwardStatus::Dead { .. } => "dead",
        ForwardStatus::Disabled => "disabled",
    }
}

fn analysis_status(s: &AnalysisStatus) -> (&'static str, String) {
    let name = match s {
        AnalysisStatus::Analysed { .. } => "analysed",
        AnalysisStatus::Skipped { .. } => "skipped",
        AnalysisStatus::Failed { .. } => "failed",
        AnalysisStatus::DeadLettered { .. } => "dead_lettered",
        AnalysisStatus::LeaseLost { .. } => "lease_lost",
    };
    (name, format!("{s:?}"))
}

fn outcome_json(o: &IngestOutcome) -> Value {
    let mut out = Map::new();
    out.insert("outcome".into(), o.name().into());
    out.insert("explanation".into(), o.explain().into());
    let mut put = |k: &str, v: Value| {
        out.insert(k.to_owned(), v);
    };
    match o {
        IngestOutcome::Stored(s) => {
            put("message", s.message.to_string().into());
            put("customer", s.customer.to_string().into());
            put("conversation", s.conversation.to_string().into());
            put(
                "token_source",
                s.token_source
                    .and_then(|t| serde_json::to_value(t).ok())
                    .unwrap_or(Value::Null),
            );
            put("opened", s.opened.into());
            put("reopened", s.reopened.into());
            put("forward", forward_name(&s.forward).into());
        }
        IngestOutcome::Duplicate { existing } => put("message", opt_id(*existing)),
        IngestOutcome::Rejected { reason } => put("reason", format!("{reason:?}").into()),
        IngestOutcome::Expired {
            token,
            expired_at,
            customer,
            conversation,
        } => {
            put("token", token.to_string().into());
            put("expired_at", rfc3339(*expired_at).into());
            put("customer", opt_id(*customer));
            put("conversation", opt_id(*conversation));
        }
        IngestOutcome::Quarantined {
            reason,
            customer,
            conversation,
        } => {
            put("reason", reason.to_string().into());
            put("customer", customer.to_string().into());
            put("conversation", opt_id(*conversation));
        }
        IngestOutcome::AutoReplyRecorded {
            message,
            customer,
            conversation,
        } => {
            put("message", message.to_string().into());
            put("customer", customer.to_string().into());
            put("conversation", opt_id(*conversation));
        }
        IngestOutcome::AutoReplyDropped { reason } => put("reason", format!("{reason:?}").into()),
        IngestOutcome::BounceRecorded {
            hard,
            customer,
            conversation,
            addresses,
            customer_bounced,
            message,
        } => {
            put("hard", (*hard).into());
            put("customer", customer.to_string().into());
            put("conversation", opt_id(*conversation));
            put("addresses", addresses.clone().into());
            put("customer_bounced", (*customer_bounced).into());
            put("message", message.to_string().into());
        }
        IngestOutcome::BounceUnattributed { failed_recipients } => {
            put("addresses", failed_recipients.clone().into());
        }
        IngestOutcome::OwnLoopDropped { evidence } => put("reason", evidence.clone().into()),
    }
    Value::Object(out)
}

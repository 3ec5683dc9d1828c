//! The engine over a store: `Engine.open(db, options)` on SQLite (a path or `:memory:`) or
//! PostgreSQL (a `postgres://` URL), and its calls, each a Promise.
//!
//! The engine itself is `engine_core.rs`, shared with the Python crate: named operations with
//! JSON arguments and results. Here each call becomes an [`AsyncTask`] on the libuv thread pool
//! that blocks on the module's tokio runtime (PostgreSQL needs one; SQLite has its own threads),
//! so the event loop never waits on the store. Results come back as plain objects with camelCase
//! keys, `Date`s for instants and `Buffer`s for `.eml` bytes; their shapes are the
//! `#[napi(object)]` types below (declared for `index.d.ts`; the values are built from the JSON).
//! Failures reject with an `Error` whose `code` is stable (`STORE_ERROR`, `NOT_FOUND`,
//! `TRANSITION_ERROR`, …) and whose fields are the Rust error's, in camelCase.

#![allow(missing_docs, missing_debug_implementations)] // the result shapes exist for index.d.ts

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use napi::bindgen_prelude::{
    AsyncTask, Buffer, Either, JsObjectValue, Null, Object, ToNapiValue, Unknown, ValueType,
};
use napi::{Env, JsDate, JsValue, ScopedTask, Status, Task};
use napi_derive::napi;
use serde_json::{Map, Value, json};

#[path = "../../python/src/engine_core.rs"]
#[allow(missing_docs, dead_code)]
mod engine_core;

use engine_core::{Core, CoreError, OpenConfig};

// ---- runtime and errors ----------------------------------------------------------------------

fn runtime() -> napi::Result<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("replytrack-engine")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| {
            napi::Error::new(
                Status::GenericFailure,
                format!("could not start the tokio runtime: {e}"),
            )
        })
}

fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The JavaScript `Error` for a [`CoreError`]: `code` as the engine names it (`CONFIG_ERROR`
/// becomes this package's `CONFIG_INVALID`), fields in camelCase.
fn js_error(env: &Env, e: CoreError) -> napi::Error {
    let code = match e.code {
        "CONFIG_ERROR" => "CONFIG_INVALID",
        other => other,
    };
    let build = || -> napi::Result<napi::Error> {
        let mut error: Object<'_> =
            env.create_error(napi::Error::new(Status::GenericFailure, e.message.clone()))?;
        error.set_named_property("code", code)?;
        for (k, v) in &e.fields {
            error.set_named_property(&camel(k), js_value(env, v.clone())?)?;
        }
        Ok(napi::Error::from(error.to_unknown()))
    };
    build().unwrap_or_else(|_| {
        napi::Error::new(Status::GenericFailure, format!("[{code}] {}", e.message))
    })
}

// ---- JSON -> JavaScript ----------------------------------------------------------------------

fn is_time_key(key: &str) -> bool {
    key == "at"
        || key == "until"
        || key == "activity"
        || key.ends_with("_at")
        || key.ends_with("_since")
        || key.ends_with("_until")
}

/// Maps whose keys are values of the schema (`high_value`, `very_interested`), kept as written.
fn keeps_keys(key: &str) -> bool {
    matches!(
        key,
        "by_response_type"
            | "by_sentiment"
            | "product_interest"
            | "by_channel"
            | "by_agent"
            | "by_day"
    )
}

const MAX_DEPTH: u32 = 64;

/// A JSON result as JavaScript: camelCase keys, `Date`s for instants (keys `at`, `until`,
/// `…_at`, `…_since`, `…_until`), `Buffer`s for `eml`, null fields of objects left out. With `raw`, keys
/// and strings stay exactly as in the JSON (a JSON Schema).
fn to_js<'e>(
    env: &'e Env,
    key: Option<&str>,
    value: Value,
    keep_keys: bool,
    raw: bool,
    depth: u32,
) -> napi::Result<Unknown<'e>> {
    if depth == 0 {
        return Err(napi::Error::new(
            Status::GenericFailure,
            "result nested too deeply",
        ));
    }
    match value {
        Value::Null => Null.into_unknown(env),
        Value::Bool(b) => b.into_unknown(env),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN).into_unknown(env),
        Value::String(s) if raw => s.into_unknown(env),
        Value::String(s) => {
            if key == Some("eml")
                && let Ok(bytes) = B64.decode(&s)
            {
                return Buffer::from(bytes).into_unknown(env);
            }
            if key.is_some_and(is_time_key)
                && let Ok(t) = DateTime::parse_from_rfc3339(&s)
            {
                return t.with_timezone(&Utc).into_unknown(env);
            }
            s.into_unknown(env)
        }
        Value::Array(items) => {
            let mut array = env.create_array(u32::try_from(items.len()).unwrap_or(u32::MAX))?;
            for (i, item) in items.into_iter().enumerate() {
                let v = to_js(env, key, item, raw, raw, depth - 1)?;
                array.set(u32::try_from(i).unwrap_or(u32::MAX), v)?;
            }
            Ok(array.to_unknown())
        }
        Value::Object(map) => {
            let mut object = Object::new(env)?;
            for (k, v) in map {
                if v.is_null() {
                    continue;
                }
                let child_keeps = raw || (keeps_keys(&k) && v.is_object());
                let js = to_js(env, Some(&k), v, child_keeps, raw, depth - 1)?;
                let name = if keep_keys { k } else { camel(&k) };
                object.set_named_property(&name, js)?;
            }
            Ok(object.to_unknown())
        }
    }
}

fn js_value(env: &Env, value: Value) -> napi::Result<Unknown<'_>> {
    to_js(env, None, value, false, false, MAX_DEPTH)
}

/// A JavaScript options object as snake_case JSON (`Date`s become RFC 3339 strings).
fn args_of(object: Option<Object<'_>>) -> napi::Result<Map<String, Value>> {
    let mut out = Map::new();
    let Some(object) = object else {
        return Ok(out);
    };
    for name in Object::keys(&object)? {
        let value: Unknown<'_> = object.get_named_property(&name)?;
        let json = match value.get_type()? {
            ValueType::Undefined | ValueType::Null => continue,
            ValueType::Object if value.is_date()? => {
                let date: JsDate<'_> = object.get_named_property(&name)?;
                Value::String(crate::instant(&date)?.to_rfc3339())
            }
            _ => object.get_named_property_unchecked::<Value>(&name)?,
        };
        out.insert(snake(&name), json);
    }
    Ok(out)
}

fn time_arg(now: Option<JsDate<'_>>) -> napi::Result<Value> {
    Ok(match now {
        Some(d) => Value::String(crate::instant(&d)?.to_rfc3339()),
        None => Value::Null,
    })
}

// ---- the task --------------------------------------------------------------------------------

/// One engine call on the libuv thread pool.
#[derive(Debug)]
pub struct EngineTask {
    core: Arc<Core>,
    op: &'static str,
    args: Option<Value>,
}

impl<'task> ScopedTask<'task> for EngineTask {
    type Output = Result<Value, CoreError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let args = self.args.take().unwrap_or(Value::Null);
        let rt = runtime()?;
        Ok(rt.block_on(self.core.call(self.op, args)))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(v) => js_value(env, v),
            Err(e) => Err(js_error(env, e)),
        }
    }
}

/// Opening a store on the libuv thread pool.
#[derive(Debug)]
pub struct OpenTask {
    config: Option<OpenConfig>,
}

impl Task for OpenTask {
    type Output = Result<Core, CoreError>;
    type JsValue = Engine;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let config = self.config.take().unwrap_or_default();
        Ok(runtime()?.block_on(Core::open(config)))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output
            .map(|core| Engine {
                core: Arc::new(core),
            })
            .map_err(|e| js_error(&env, e))
    }
}

// ---- inputs ----------------------------------------------------------------------------------

/// How `Engine.open` builds the engine.
#[napi(object)]
pub struct EngineOptions {
    /// The reply domain (`reply.example.com`): reply addresses are `reply+{token}@{domain}`.
    pub reply_domain: String,
    /// The token secret: 32 or more bytes, or their hex.
    pub secret: Either<Buffer, String>,
    /// The `From` address of outgoing email.
    pub from_address: String,
    /// The account's name (default: the reply domain).
    pub account_name: Option<String>,
    /// Where replies are forwarded (default: `fromAddress`).
    pub forward_to: Option<String>,
    /// The `From` display name.
    pub from_name: Option<String>,
    /// PostgreSQL: the schema the tables live in (default `public`).
    pub pg_schema: Option<String>,
    /// Also write each email the engine's mailer sends as an `.eml` file in this directory.
    pub outbox_dir: Option<String>,
    /// Forward stored replies to `forwardTo` (default true).
    pub forward_replies: Option<bool>,
    /// Queue an analysis for each stored reply (default true).
    pub analyze_replies: Option<bool>,
    /// The key id the secret signs with (default 0).
    pub key_id: Option<u8>,
    /// Analyse with an OpenAI-compatible model instead of the offline analyzer.
    pub llm: Option<LlmOptions>,
}

/// An OpenAI-compatible endpoint for the analysis worker (OpenAI, Azure, Ollama, llama.cpp,
/// vLLM).
#[napi(object)]
pub struct LlmOptions {
    /// The API base URL (`https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`).
    pub url: String,
    /// The model (`gpt-4o-mini`, `llama3.1:8b`).
    pub model: String,
    /// The API key, if the server needs one (never shown in errors).
    pub api_key: Option<String>,
    /// Ask for `json_object` output instead of a strict JSON Schema (default false).
    pub json_object: Option<bool>,
}

// ---- outputs (shapes for index.d.ts) ---------------------------------------------------------

/// A customer (contact).
#[napi(object, object_from_js = false)]
pub struct Customer {
    /// `cus_…`.
    pub id: String,
    /// Their addresses, the first being the one written to.
    pub emails: Vec<String>,
    pub name: Option<String>,
    pub external_id: Option<String>,
    pub phone: Option<String>,
    /// Funnel stage (`lead`, `trial`, `active`, `churned`, `bounced`, …).
    pub funnel: String,
    pub created_at: DateTime<Utc>,
    pub version: u32,
}

/// A conversation.
#[napi(object, object_from_js = false)]
pub struct Conversation {
    /// `cnv_…`.
    pub id: String,
    pub customer: String,
    /// `open`, `pending`, `snoozed` or `resolved`.
    pub status: String,
    /// `email`, `whatsapp` or `manual`.
    pub channel: String,
    /// When a snooze ends (status `snoozed`).
    pub snoozed_until: Option<DateTime<Utc>>,
    /// `contact` or `business`.
    pub opened_by: String,
    pub subject: Option<String>,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub labels: Vec<String>,
    /// `none`, `low`, `medium`, `high` or `urgent`.
    pub priority: String,
    pub created_at: DateTime<Utc>,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub last_outbound_at: Option<DateTime<Utc>>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub waiting_since: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub version: u32,
}

/// An outgoing email, stored as queued: send `eml` through your transport, then `recordSent`.
#[napi(object, object_from_js = false)]
pub struct ComposedEmail {
    /// The stored message, `msg_…`.
    pub message: String,
    pub customer: String,
    pub conversation: Option<String>,
    /// The `Reply-To`: replies to it come back through `ingest`.
    pub reply_address: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// The expired token this email replaces, if any.
    pub reissued: Option<String>,
    pub subject: Option<String>,
    pub message_id: String,
    pub envelope_from: String,
    pub recipients: Vec<String>,
    /// The RFC 5322 bytes.
    pub eml: Buffer,
}

/// What `ingest` did.
#[napi(object, object_from_js = false)]
pub struct IngestResult {
    /// `stored`, `duplicate`, `rejected`, `expired`, `quarantined`, `auto_reply_recorded`,
    /// `auto_reply_dropped`, `bounce_recorded`, `bounce_unattributed` or `own_loop_dropped`.
    pub outcome: String,
    /// One sentence saying what happened and why.
    pub explanation: String,
    pub message: Option<String>,
    pub customer: Option<String>,
    pub conversation: Option<String>,
    /// Where the token was found (`reply_to_address`, `in_reply_to`, …).
    pub token_source: Option<String>,
    pub opened: Option<bool>,
    pub reopened: Option<bool>,
    /// The forward: `sent`, `queued`, `busy`, `dead` or `disabled`.
    pub forward: Option<String>,
    pub reason: Option<String>,
    pub token: Option<String>,
    pub expired_at: Option<DateTime<Utc>>,
    pub hard: Option<bool>,
    pub addresses: Option<Vec<String>>,
    pub customer_bounced: Option<bool>,
}

/// A manually logged message.
#[napi(object, object_from_js = false)]
pub struct LoggedMessage {
    pub message: String,
    pub conversation: String,
    /// Whether the log opened the conversation.
    pub opened: bool,
}

/// One timeline event.
#[napi(object, object_from_js = false)]
pub struct TimelineEvent {
    pub id: String,
    pub customer: String,
    pub conversation: Option<String>,
    pub message: Option<String>,
    pub at: DateTime<Utc>,
    /// `email_sent`, `reply_received`, `status_changed`, `note_added`, `analysis_completed`, …
    #[napi(js_name = "type")]
    pub kind: String,
    /// The event's fields (camelCase).
    #[napi(ts_type = "Record<string, unknown>")]
    pub data: Option<String>,
}

/// One page of the inbox.
#[napi(object, object_from_js = false)]
pub struct ConversationPage {
    pub items: Vec<Conversation>,
    /// Pass as `after` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// A label as an inbox row shows it.
#[napi(object, object_from_js = false)]
pub struct LabelChip {
    pub name: String,
    /// `#rrggbb`.
    pub colour: Option<String>,
}

/// The latest message of a conversation (private notes left out).
#[napi(object, object_from_js = false)]
pub struct LastMessage {
    pub id: String,
    /// `inbound` or `outbound`.
    pub direction: String,
    pub preview: String,
    pub at: DateTime<Utc>,
}

/// One row of the inbox list.
#[napi(object, object_from_js = false)]
pub struct InboxRow {
    pub conversation: String,
    /// The customer record the contact is linked to.
    pub customer: String,
    /// `email`, `whatsapp` or `manual`.
    pub channel: String,
    /// `open`, `pending`, `snoozed` or `resolved`.
    pub status: String,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub priority: String,
    pub contact_name: Option<String>,
    pub contact: Option<String>,
    pub subject: Option<String>,
    pub assignee: Option<String>,
    pub team: Option<String>,
    pub labels: Vec<LabelChip>,
    pub last_message: Option<LastMessage>,
    pub activity: DateTime<Utc>,
    /// The contact waits for an answer.
    pub waiting: bool,
    /// The contact wrote after the reader last read it.
    pub unread: bool,
    pub cursor: String,
}

/// One page of inbox rows.
#[napi(object, object_from_js = false)]
pub struct InboxPage {
    pub rows: Vec<InboxRow>,
    /// Pass as `after` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// A mean duration in calendar time and in business hours, over `count` spans.
#[napi(object, object_from_js = false)]
pub struct MetricsAverage {
    pub count: u32,
    pub calendar_seconds: f64,
    pub business_seconds: f64,
}

/// Inbound and outbound messages.
#[napi(object, object_from_js = false)]
pub struct MetricsVolume {
    pub inbound: u32,
    pub outbound: u32,
}

/// Inbox metrics over a period.
#[napi(object, object_from_js = false)]
pub struct MetricsReport {
    pub opened: u32,
    pub resolved: u32,
    pub resolution_rate: Option<f64>,
    pub first_response: Option<MetricsAverage>,
    pub reply_time: Option<MetricsAverage>,
    pub resolution_time: Option<MetricsAverage>,
    #[napi(ts_type = "Record<string, MetricsVolume>")]
    pub by_channel: String,
    #[napi(ts_type = "Record<string, MetricsVolume>")]
    pub by_agent: String,
    /// Keyed by `YYYY-MM-DD`.
    #[napi(ts_type = "Record<string, MetricsVolume>")]
    pub by_day: String,
}

/// The structured analysis of a reply.
#[napi(object, object_from_js = false)]
pub struct Analysis {
    pub schema_version: u32,
    /// `standard`, `high_value` or `needs_attention`.
    pub response_type: String,
    pub key_insights: Vec<String>,
    pub sentiment: String,
    pub urgency: String,
    /// 1 to 5.
    pub opportunity_score: u32,
    pub follow_up_needed: bool,
    pub product_interest: String,
    pub action_items: Vec<String>,
    pub product_usage: Option<String>,
    #[napi(ts_type = "Record<string, unknown>")]
    pub monthly_volume: Option<String>,
    pub pain_points: Vec<String>,
    #[napi(ts_type = "Array<Record<string, unknown>>")]
    pub references: Vec<String>,
    pub suggested_labels: Vec<String>,
    pub recommended_actions: Vec<String>,
    pub lang: String,
}

/// A stored message with its analysis.
#[napi(object, object_from_js = false)]
pub struct StoredMessage {
    pub id: String,
    pub customer: String,
    pub conversation: Option<String>,
    /// `inbound`, `outbound` or `internal`.
    pub direction: String,
    pub party: Option<String>,
    pub author: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub body: String,
    /// The reply without quoted history and signature.
    pub reply_text: Option<String>,
    pub analysis: Option<Analysis>,
    pub created_at: DateTime<Utc>,
}

/// A pain point and how many replies mentioned it.
#[napi(object, object_from_js = false)]
pub struct PainPoint {
    pub text: String,
    pub count: u32,
}

/// What the analysed replies say together.
#[napi(object, object_from_js = false)]
pub struct Insights {
    pub analysed: u32,
    /// Count per response type, keyed by its wire name (`high_value`, …).
    #[napi(ts_type = "Record<string, number>")]
    pub by_response_type: String,
    #[napi(ts_type = "Record<string, number>")]
    pub by_sentiment: String,
    #[napi(ts_type = "Record<string, number>")]
    pub product_interest: String,
    pub average_opportunity_score: Option<f64>,
    pub follow_ups_needed: u32,
    pub top_pain_points: Vec<PainPoint>,
}

/// One analysis job the worker ran.
#[napi(object, object_from_js = false)]
pub struct AnalysisReport {
    pub job: String,
    pub message: String,
    pub attempt: u32,
    /// `analysed`, `skipped`, `failed`, `dead_lettered` or `lease_lost`.
    pub status: String,
    pub detail: String,
}

/// What one `runAnalysis` call did.
#[napi(object, object_from_js = false)]
pub struct AnalysisRun {
    pub analysed: u32,
    pub skipped: u32,
    pub failed: u32,
    pub dead_lettered: u32,
    pub lease_lost: u32,
    pub reports: Vec<AnalysisReport>,
}

/// One forward job.
#[napi(object, object_from_js = false)]
pub struct ForwardReport {
    pub job: String,
    pub message: String,
    /// `sent`, `queued`, `busy`, `dead` or `disabled`.
    pub status: String,
    pub detail: String,
}

/// An email the engine's mailer sent (a forward).
#[napi(object, object_from_js = false)]
pub struct OutboxEmail {
    pub message_id: String,
    pub envelope_from: String,
    pub recipients: Vec<String>,
    pub eml: Buffer,
}

// ---- the class -------------------------------------------------------------------------------

/// The conversation engine over a store. `await Engine.open(db, options)`; every call returns a
/// Promise and runs off the event loop. `now` (a `Date`) is optional everywhere.
#[napi]
#[derive(Debug)]
pub struct Engine {
    core: Arc<Core>,
}

macro_rules! call {
    ($self:ident, $op:literal, $args:expr) => {
        AsyncTask::new(EngineTask {
            core: Arc::clone(&$self.core),
            op: $op,
            args: Some($args),
        })
    };
}

fn with_now(mut args: Map<String, Value>, now: Option<JsDate<'_>>) -> napi::Result<Value> {
    args.insert("now".into(), time_arg(now)?);
    Ok(Value::Object(args))
}

#[napi]
impl Engine {
    /// Open `db` — a SQLite path (created and migrated), `:memory:`, or a `postgres://` URL —
    /// and build the engine. Rejects with `STORE_ERROR` (kind `open`) or `CONFIG_INVALID`.
    #[napi(ts_return_type = "Promise<Engine>")]
    pub fn open(db: String, options: EngineOptions) -> napi::Result<AsyncTask<OpenTask>> {
        let secret = match options.secret {
            Either::A(bytes) => bytes.to_vec(),
            Either::B(hex) => replytrack::token::Secret::from_hex(&hex)
                .map(|s| s.expose().to_vec())
                .map_err(|e| napi::Error::new(Status::InvalidArg, e.to_string()))?,
        };
        let account_name = options
            .account_name
            .unwrap_or_else(|| options.reply_domain.clone());
        Ok(AsyncTask::new(OpenTask {
            config: Some(OpenConfig {
                db,
                reply_domain: options.reply_domain,
                secret,
                key_id: options.key_id.unwrap_or(0),
                from_address: options.from_address,
                from_name: options.from_name,
                account_name,
                forward_to: options.forward_to,
                pg_schema: options.pg_schema,
                outbox_dir: options.outbox_dir.map(Into::into),
                forward_replies: options.forward_replies.unwrap_or(true),
                analyze_replies: options.analyze_replies.unwrap_or(true),
                llm: options.llm.map(|l| engine_core::LlmConfig {
                    url: l.url,
                    model: l.model,
                    api_key: l.api_key.filter(|k| !k.trim().is_empty()),
                    json_object: l.json_object.unwrap_or(false),
                }),
            }),
        }))
    }

    /// `sqlite`, `sqlite-memory` or `postgres`.
    #[napi(getter)]
    pub fn kind(&self) -> &'static str {
        self.core.kind()
    }

    /// The store it was opened on (a password in a URL is hidden).
    #[napi(getter)]
    pub fn target(&self) -> String {
        self.core.target().to_owned()
    }

    /// Create a customer: `{ email, name?, externalId?, phone?, emails? }`.
    #[napi(
        ts_args_type = "customer: { email?: string; emails?: string[]; name?: string; externalId?: string; phone?: string }, now?: Date",
        ts_return_type = "Promise<Customer>"
    )]
    pub fn add_customer(
        &self,
        customer: Object<'_>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(
            self,
            "add_customer",
            with_now(args_of(Some(customer))?, now)?
        ))
    }

    /// A customer by id, or `null`.
    #[napi(ts_return_type = "Promise<Customer | null>")]
    pub fn get_customer(&self, id: String) -> AsyncTask<EngineTask> {
        call!(self, "get_customer", json!({ "id": id }))
    }

    /// The customer with this address (any case), or `null`.
    #[napi(ts_return_type = "Promise<Customer | null>")]
    pub fn find_customer(&self, email: String) -> AsyncTask<EngineTask> {
        call!(self, "find_customer", json!({ "email": email }))
    }

    /// Compose an email to a customer with a fresh reply address, stored as queued. `draft`:
    /// `{ subject, text, html?, conversation?, startConversation?, cc?, author? }`.
    #[napi(
        ts_args_type = "customer: string, draft: { subject: string; text: string; html?: string; conversation?: string; startConversation?: boolean; cc?: string[]; author?: string }, now?: Date",
        ts_return_type = "Promise<ComposedEmail>"
    )]
    pub fn compose(
        &self,
        customer: String,
        draft: Object<'_>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = args_of(Some(draft))?;
        args.insert("customer".into(), Value::String(customer));
        Ok(call!(self, "compose", with_now(args, now)?))
    }

    /// Note that the transport accepted a composed email: `'changed'`, `'unchanged'` (a
    /// repeat) or `'refused'`.
    #[napi(ts_return_type = "Promise<'changed' | 'unchanged' | 'refused'>")]
    pub fn record_sent(
        &self,
        message: String,
        provider_message_id: Option<String>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = Map::new();
        args.insert("message".into(), Value::String(message));
        args.insert(
            "provider_message_id".into(),
            provider_message_id.map_or(Value::Null, Value::String),
        );
        Ok(call!(self, "record_sent", with_now(args, now)?))
    }

    /// Ingest a reply: raw RFC 5322 bytes, or a provider's webhook payload with
    /// `{ provider: 'sendgrid' | 'mailgun' | 'postmark' | 'ses' | …, contentType }`.
    #[napi(
        ts_args_type = "body: Buffer | string, options?: { provider?: string; contentType?: string }, now?: Date",
        ts_return_type = "Promise<IngestResult>"
    )]
    pub fn ingest(
        &self,
        body: Either<Buffer, String>,
        options: Option<Object<'_>>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let bytes: &[u8] = match &body {
            Either::A(b) => b,
            Either::B(s) => s.as_bytes(),
        };
        let mut args = args_of(options)?;
        args.insert("body".into(), Value::String(B64.encode(bytes)));
        Ok(call!(self, "ingest", with_now(args, now)?))
    }

    /// Log something said outside email. `options`: `{ party?: 'contact' | 'business', author?,
    /// occurredAt?: Date, conversation? }`.
    #[napi(
        ts_args_type = "customer: string, text: string, options?: { party?: 'contact' | 'business'; author?: string; occurredAt?: Date; conversation?: string }, now?: Date",
        ts_return_type = "Promise<LoggedMessage>"
    )]
    pub fn log_manual_reply(
        &self,
        customer: String,
        text: String,
        options: Option<Object<'_>>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = args_of(options)?;
        args.insert("customer".into(), Value::String(customer));
        args.insert("text".into(), Value::String(text));
        Ok(call!(self, "log_manual_reply", with_now(args, now)?))
    }

    /// The events of `{ customer }` or `{ conversation }`, oldest first.
    #[napi(
        ts_args_type = "scope: { customer?: string; conversation?: string }",
        ts_return_type = "Promise<TimelineEvent[]>"
    )]
    pub fn timeline(&self, scope: Object<'_>) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(
            self,
            "timeline",
            Value::Object(args_of(Some(scope))?)
        ))
    }

    /// The messages of a conversation, oldest first, with their analyses.
    #[napi(ts_return_type = "Promise<StoredMessage[]>")]
    pub fn messages(&self, conversation: String) -> AsyncTask<EngineTask> {
        call!(self, "messages", json!({ "conversation": conversation }))
    }

    /// A conversation by id, or `null`.
    #[napi(ts_return_type = "Promise<Conversation | null>")]
    pub fn get_conversation(&self, id: String) -> AsyncTask<EngineTask> {
        call!(self, "get_conversation", json!({ "id": id }))
    }

    /// The inbox, latest activity first: `{ status?, customer?, assignee?, label?, team?,
    /// channel?, text?, limit?, after? }` (`after`: a page's `nextCursor`).
    #[napi(
        ts_args_type = "query?: { status?: string; customer?: string; assignee?: string; label?: string; team?: string; channel?: string; text?: string; limit?: number; after?: string }",
        ts_return_type = "Promise<ConversationPage>"
    )]
    pub fn conversations(&self, query: Option<Object<'_>>) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(self, "conversations", Value::Object(args_of(query)?)))
    }

    /// The inbox list as rows, newest activity first: `{ tab?: 'all' | 'mine' | 'unassigned',
    /// agent?, status?, channel?, labels?, assignee?, team?, priority?, responseType?,
    /// customer?, text?, limit?, after?, reader? }` (`after`: a page's `nextCursor`; `reader`
    /// decides `unread`).
    #[napi(
        ts_args_type = "query?: { tab?: 'all' | 'mine' | 'unassigned'; agent?: string; status?: string; channel?: string; labels?: string[]; assignee?: string; team?: string; priority?: string; responseType?: string; customer?: string; text?: string; limit?: number; after?: string; reader?: string }",
        ts_return_type = "Promise<InboxPage>"
    )]
    pub fn inbox(&self, query: Option<Object<'_>>) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(self, "inbox", Value::Object(args_of(query)?)))
    }

    /// Record that `agent` has read the conversation (its row is no longer `unread`).
    #[napi(ts_return_type = "Promise<null>")]
    pub fn mark_read(
        &self,
        conversation: String,
        agent: String,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = Map::new();
        args.insert("conversation".into(), Value::String(conversation));
        args.insert("agent".into(), Value::String(agent));
        Ok(call!(self, "mark_read", with_now(args, now)?))
    }

    /// All of a customer's conversations, on every channel, newest first.
    #[napi(ts_return_type = "Promise<Array<InboxRow>>")]
    pub fn customer_history(&self, customer: String) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = Map::new();
        args.insert("customer".into(), Value::String(customer));
        Ok(call!(self, "customer_history", Value::Object(args)))
    }

    /// Inbox metrics for conversations active in `[since, until)` (`until`: now): `{ since,
    /// until?, status?, customer?, assignee?, label?, team?, channel? }`.
    #[napi(
        ts_args_type = "query: { since: Date; until?: Date; status?: string; customer?: string; assignee?: string; label?: string; team?: string; channel?: string }",
        ts_return_type = "Promise<MetricsReport>"
    )]
    pub fn metrics(&self, query: Object<'_>) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(self, "metrics", Value::Object(args_of(Some(query))?)))
    }

    /// Aggregate the analyses of the selected conversations: `{ status?, customer?, label?,
    /// limit?, top? }`.
    #[napi(
        ts_args_type = "query?: { status?: string; customer?: string; label?: string; limit?: number; top?: number }",
        ts_return_type = "Promise<Insights>"
    )]
    pub fn insights(&self, query: Option<Object<'_>>) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(self, "insights", Value::Object(args_of(query)?)))
    }

    /// Resolve a conversation (rejects with `TRANSITION_ERROR` when it already is).
    #[napi(ts_return_type = "Promise<Conversation>")]
    pub fn resolve(
        &self,
        conversation: String,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(
            self,
            "resolve",
            conversation_args(conversation, now)?
        ))
    }

    /// Reopen a resolved or snoozed conversation.
    #[napi(ts_return_type = "Promise<Conversation>")]
    pub fn reopen(
        &self,
        conversation: String,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(self, "reopen", conversation_args(conversation, now)?))
    }

    /// Mark a conversation as waiting for the customer.
    #[napi(ts_return_type = "Promise<Conversation>")]
    pub fn mark_pending(
        &self,
        conversation: String,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(
            self,
            "mark_pending",
            conversation_args(conversation, now)?
        ))
    }

    /// Snooze `{ until: Date }` or `{ preset: 'one_hour' | 'two_hours' | 'four_hours' |
    /// 'tomorrow_morning' | 'next_monday' }`.
    #[napi(
        ts_args_type = "conversation: string, options: { until?: Date; preset?: 'one_hour' | 'two_hours' | 'four_hours' | 'tomorrow_morning' | 'next_monday' }, now?: Date",
        ts_return_type = "Promise<Conversation>"
    )]
    pub fn snooze(
        &self,
        conversation: String,
        options: Object<'_>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = args_of(Some(options))?;
        args.insert("conversation".into(), Value::String(conversation));
        Ok(call!(self, "snooze", with_now(args, now)?))
    }

    /// Reopen the conversations whose snooze has ended; resolves to their ids.
    #[napi(ts_return_type = "Promise<string[]>")]
    pub fn wake_snoozed(&self, now: Option<JsDate<'_>>) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(self, "wake_snoozed", with_now(Map::new(), now)?))
    }

    /// Assign to an agent (and team); `null` unassigns.
    #[napi(ts_return_type = "Promise<Conversation>")]
    pub fn assign(
        &self,
        conversation: String,
        assignee: Option<String>,
        team: Option<String>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = Map::new();
        args.insert("conversation".into(), Value::String(conversation));
        args.insert(
            "assignee".into(),
            assignee.map_or(Value::Null, Value::String),
        );
        args.insert("team".into(), team.map_or(Value::Null, Value::String));
        Ok(call!(self, "assign", with_now(args, now)?))
    }

    /// Add a label.
    #[napi(ts_return_type = "Promise<Conversation>")]
    pub fn add_label(
        &self,
        conversation: String,
        label: String,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(
            self,
            "label",
            label_args(conversation, label, true, now)?
        ))
    }

    /// Remove a label.
    #[napi(ts_return_type = "Promise<Conversation>")]
    pub fn remove_label(
        &self,
        conversation: String,
        label: String,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        Ok(call!(
            self,
            "label",
            label_args(conversation, label, false, now)?
        ))
    }

    /// Set the priority: `none`, `low`, `medium`, `high` or `urgent`.
    #[napi(
        ts_args_type = "conversation: string, priority: 'none' | 'low' | 'medium' | 'high' | 'urgent', now?: Date",
        ts_return_type = "Promise<Conversation>"
    )]
    pub fn set_priority(
        &self,
        conversation: String,
        priority: String,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = Map::new();
        args.insert("conversation".into(), Value::String(conversation));
        args.insert("priority".into(), Value::String(priority));
        Ok(call!(self, "set_priority", with_now(args, now)?))
    }

    /// Add an internal note; resolves to its message id.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn add_note(
        &self,
        conversation: String,
        text: String,
        author: Option<String>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = Map::new();
        args.insert("conversation".into(), Value::String(conversation));
        args.insert("text".into(), Value::String(text));
        args.insert("author".into(), author.map_or(Value::Null, Value::String));
        Ok(call!(self, "add_note", with_now(args, now)?))
    }

    /// Run up to `batch` (default 50) due analysis jobs with the offline analyzer.
    #[napi(ts_return_type = "Promise<AnalysisRun>")]
    pub fn run_analysis(
        &self,
        batch: Option<u32>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = Map::new();
        args.insert("batch".into(), batch.map_or(Value::Null, Value::from));
        Ok(call!(self, "run_analysis", with_now(args, now)?))
    }

    /// Run up to `limit` (default 50) due forward jobs.
    #[napi(ts_return_type = "Promise<ForwardReport[]>")]
    pub fn run_forwards(
        &self,
        limit: Option<u32>,
        now: Option<JsDate<'_>>,
    ) -> napi::Result<AsyncTask<EngineTask>> {
        let mut args = Map::new();
        args.insert("limit".into(), limit.map_or(Value::Null, Value::from));
        Ok(call!(self, "run_forwards", with_now(args, now)?))
    }

    /// The emails the engine's mailer sent (the latest 1000), oldest first.
    #[napi(ts_return_type = "Promise<OutboxEmail[]>")]
    pub fn outbox(&self) -> AsyncTask<EngineTask> {
        call!(self, "outbox", json!({}))
    }
}

fn conversation_args(conversation: String, now: Option<JsDate<'_>>) -> napi::Result<Value> {
    let mut args = Map::new();
    args.insert("conversation".into(), Value::String(conversation));
    with_now(args, now)
}

fn label_args(
    conversation: String,
    label: String,
    add: bool,
    now: Option<JsDate<'_>>,
) -> napi::Result<Value> {
    let mut args = Map::new();
    args.insert("conversation".into(), Value::String(conversation));
    args.insert("label".into(), Value::String(label));
    args.insert("add".into(), Value::Bool(add));
    with_now(args, now)
}

// ---- analysis without a store ----------------------------------------------------------------

/// Options for the offline analyzer and the prompt.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    /// The subject of the email replied to.
    pub subject: Option<String>,
    /// The customer's name.
    pub customer_name: Option<String>,
}

/// Analyse a reply's text with the offline (heuristic) analyzer: no network, deterministic.
#[napi(ts_return_type = "Analysis")]
pub fn analyze(
    env: &Env,
    text: String,
    options: Option<AnalyzeOptions>,
) -> napi::Result<Unknown<'_>> {
    let o = options.unwrap_or_default();
    js_value(env, engine_core::analyze(&text, o.subject, o.customer_name))
}

/// The JSON Schema of an analysis (for structured LLM output), as written (snake_case keys).
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn analysis_json_schema(env: &Env) -> napi::Result<Unknown<'_>> {
    to_js(env, None, engine_core::json_schema(), true, true, MAX_DEPTH)
}

/// The chat messages an LLM analyzer sends for a reply: `[{ role, content }]`.
#[napi(ts_return_type = "Array<{ role: string; content: string }>")]
pub fn build_prompt(
    env: &Env,
    text: String,
    options: Option<AnalyzeOptions>,
) -> napi::Result<Unknown<'_>> {
    let o = options.unwrap_or_default();
    let prompt = engine_core::build_prompt(&text, o.subject, o.customer_name);
    js_value(env, prompt.get("messages").cloned().unwrap_or(Value::Null))
}

/// Parse a model's output (fenced, trailing commas…) into an analysis; throws
/// `MALFORMED_INPUT` with `feedback` to send back to the model.
#[napi(ts_return_type = "Analysis")]
pub fn repair_analysis(env: &Env, output: String) -> napi::Result<Unknown<'_>> {
    match engine_core::repair(&output) {
        Ok(v) => js_value(env, v),
        Err(e) => Err(js_error(env, e)),
    }
}

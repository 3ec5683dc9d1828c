//! `parseEmail`: raw MIME or a provider's webhook payload into an [`InboundMessage`].

use napi::bindgen_prelude::{AsyncTask, Buffer, BufferSlice, Either};
use napi::{Env, Task};
use napi_derive::napi;
use replytrack::message::Limits;
use replytrack::provider::{
    ProviderError, ProviderKind, ProviderLimits, ProviderOptions, parse_provider,
};

use crate::bytes_of;
use crate::error::OrThrow;
use crate::message::InboundMessage;

/// Which adapter reads a payload.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Provider {
    /// Raw RFC 5322 bytes (an `.eml` file, Cloudflare Email Workers, IMAP, an SMTP hand-off).
    #[default]
    #[napi(value = "raw")]
    Raw,
    /// SendGrid Inbound Parse (`multipart/form-data`, parsed or raw mode).
    #[napi(value = "sendgrid")]
    SendGrid,
    /// Mailgun routes (`multipart/form-data` or urlencoded).
    #[napi(value = "mailgun")]
    Mailgun,
    /// Postmark inbound webhook (JSON).
    #[napi(value = "postmark")]
    Postmark,
    /// Amazon SES receipt notification through SNS (JSON). A subscription confirmation throws
    /// `MALFORMED_INPUT` with `reason: 'not_a_notification'`.
    #[napi(value = "ses")]
    Ses,
}

impl From<Provider> for ProviderKind {
    fn from(p: Provider) -> Self {
        match p {
            Provider::Raw => Self::Raw,
            Provider::SendGrid => Self::SendGrid,
            Provider::Mailgun => Self::Mailgun,
            Provider::Postmark => Self::Postmark,
            Provider::Ses => Self::Ses,
        }
    }
}

/// Limits on untrusted input; each unset one keeps its default. Exceeding one throws
/// `MALFORMED_INPUT` whose `reason` names it (`too_large`, `too_many_parts`, …).
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct ParseLimits {
    /// Largest webhook payload, in bytes (default 50 MiB).
    pub max_payload_bytes: Option<u32>,
    /// Most form fields in a payload (default 1000).
    pub max_fields: Option<u32>,
    /// Largest single form field, in bytes (default 40 MiB).
    pub max_field_bytes: Option<u32>,
    /// Most attachments in a payload (default 100).
    pub max_attachments: Option<u32>,
    /// Largest MIME message, in bytes (default 25 MiB).
    pub max_message_bytes: Option<u32>,
    /// Most MIME entities in a message (default 1000).
    pub max_parts: Option<u32>,
    /// Deepest MIME nesting (default 32, never more than 64).
    pub max_depth: Option<u32>,
    /// Most header fields, in a message or a provider's header block (default 1000).
    pub max_headers: Option<u32>,
    /// Longest header line, in bytes (default 64 KiB).
    pub max_line_len: Option<u32>,
    /// Largest header section, in bytes (default 1 MiB).
    pub max_header_bytes: Option<u32>,
}

/// Options of `parseEmail`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// How the input is packaged (default `raw`).
    pub provider: Option<Provider>,
    /// The webhook request's `Content-Type` header; multipart payloads need it for the boundary.
    pub content_type: Option<String>,
    /// Limits on untrusted input.
    pub limits: Option<ParseLimits>,
}

/// The options resolved for the core: owned, so an async task can carry them to a worker thread.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    kind: ProviderKind,
    content_type: Option<String>,
    options: ProviderOptions,
}

fn set(target: &mut usize, value: Option<u32>) {
    if let Some(v) = value {
        *target = usize::try_from(v).unwrap_or(usize::MAX);
    }
}

/// The core's options for these limits (defaults where unset).
pub(crate) fn provider_options(limits: Option<ParseLimits>) -> ProviderOptions {
    let limits = limits.unwrap_or_default();
    let mut provider = ProviderLimits::default();
    let mut mime = Limits::default();
    set(&mut provider.max_payload_bytes, limits.max_payload_bytes);
    set(&mut provider.max_fields, limits.max_fields);
    set(&mut provider.max_field_bytes, limits.max_field_bytes);
    set(&mut provider.max_attachments, limits.max_attachments);
    set(&mut provider.max_headers, limits.max_headers);
    set(&mut mime.max_bytes, limits.max_message_bytes);
    set(&mut mime.max_parts, limits.max_parts);
    set(&mut mime.max_depth, limits.max_depth);
    set(&mut mime.max_headers, limits.max_headers);
    set(&mut mime.max_line_len, limits.max_line_len);
    set(&mut mime.max_header_bytes, limits.max_header_bytes);
    ProviderOptions {
        limits: provider,
        mime,
    }
}

impl From<Option<ParseOptions>> for Resolved {
    fn from(options: Option<ParseOptions>) -> Self {
        let options = options.unwrap_or_default();
        Self {
            kind: options.provider.unwrap_or_default().into(),
            content_type: options.content_type,
            options: provider_options(options.limits),
        }
    }
}

impl Resolved {
    fn parse(&self, bytes: &[u8]) -> Result<InboundMessage, ProviderError> {
        parse_provider(
            self.kind,
            bytes,
            self.content_type.as_deref(),
            &self.options,
        )
        .map(InboundMessage::from)
    }
}

/// Parse raw MIME or a provider's webhook payload (the request body, as a `Buffer` or a string)
/// into a normalised message. Throws `MALFORMED_INPUT` with `reason` and, where known, `field`.
///
/// ```js
/// const msg = parseEmail(req.body, { provider: 'sendgrid', contentType: req.headers['content-type'] })
/// ```
#[napi]
pub fn parse_email(
    env: Env,
    data: Either<BufferSlice<'_>, String>,
    options: Option<ParseOptions>,
) -> napi::Result<InboundMessage> {
    Resolved::from(options)
        .parse(bytes_of(&data))
        .or_throw(&env)
}

/// The work of `parseEmailAsync`, run on the libuv thread pool.
pub struct ParseTask {
    data: Either<Buffer, String>,
    resolved: Resolved,
}

impl std::fmt::Debug for ParseTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = match &self.data {
            Either::A(buffer) => buffer.len(),
            Either::B(text) => text.len(),
        };
        f.debug_struct("ParseTask")
            .field("bytes", &len)
            .field("resolved", &self.resolved)
            .finish()
    }
}

impl Task for ParseTask {
    type Output = Result<InboundMessage, ProviderError>;
    type JsValue = InboundMessage;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let bytes: &[u8] = match &self.data {
            Either::A(buffer) => buffer,
            Either::B(text) => text.as_bytes(),
        };
        Ok(self.resolved.parse(bytes))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.or_throw(&env)
    }
}

/// `parseEmail` on the libuv thread pool: the event loop stays free while a large message is
/// parsed. Resolves to the message; rejects like `parseEmail` throws.
#[napi(ts_return_type = "Promise<InboundMessage>")]
pub fn parse_email_async(
    data: Either<Buffer, String>,
    options: Option<ParseOptions>,
) -> AsyncTask<ParseTask> {
    AsyncTask::new(ParseTask {
        data,
        resolved: Resolved::from(options),
    })
}

/// Diagnostics for benchmarks: parse `data` `iterations` times inside Rust, exactly as a Rust
/// caller of the core would (no JavaScript object is built), and return the mean nanoseconds per
/// parse. `bench.mjs` compares it with `parseEmail` to measure the cost of the binding. Throws as
/// `parseEmail` does when the input does not parse.
#[napi]
pub fn measure_native_parse(
    env: Env,
    data: Either<BufferSlice<'_>, String>,
    options: Option<ParseOptions>,
    iterations: u32,
) -> napi::Result<f64> {
    let resolved = Resolved::from(options);
    let bytes = bytes_of(&data);
    let parse = |bytes: &[u8]| {
        parse_provider(
            resolved.kind,
            bytes,
            resolved.content_type.as_deref(),
            &resolved.options,
        )
    };
    parse(bytes).or_throw(&env)?;
    let runs = iterations.max(1);
    let start = std::time::Instant::now();
    for _ in 0..runs {
        let parsed = parse(std::hint::black_box(bytes));
        std::hint::black_box(&parsed);
    }
    Ok(start.elapsed().as_secs_f64() * 1e9 / f64::from(runs))
}

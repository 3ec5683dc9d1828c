//! An [axum](https://docs.rs/axum) [`Router`] for replytrack's inbound webhooks, and the background
//! workers that forward and analyse what they store.
//!
//! replytrack is a library: your app owns HTTP. This crate is the HTTP part most apps would write
//! anyway, ready to mount in your own router:
//!
//! | route | provider | authenticity |
//! | --- | --- | --- |
//! | `POST /inbound/sendgrid` | SendGrid Inbound Parse (parsed or raw mode) | HTTP basic auth, if configured |
//! | `POST /inbound/mailgun` | Mailgun routes (`forward()` / `store(notify=…)`) | HMAC signature, freshness, replay guard |
//! | `POST /inbound/postmark` | Postmark inbound webhook | HTTP basic auth, if configured |
//! | `POST /inbound/ses` | Amazon SES receipt rule → SNS | SNS signature v1/v2 under the topic's certificate |
//! | `POST /inbound/raw` | raw RFC 5322 bytes (Cloudflare Email Workers, an MTA pipe) | HTTP basic auth, if configured |
//! | `GET /healthz` | load balancers | — (answers 503 when the store is unreachable) |
//!
//! Mailgun and SES routes answer `404` until they are configured
//! ([`WebhooksBuilder::mailgun`], [`WebhooksBuilder::ses`]): an unverifiable request is never
//! stored.
//!
//! Each request is authenticated, its raw bytes kept ([`Store::keep_raw`](replytrack::ports::Store::keep_raw),
//! purged after the retention period by the [`Workers`]), parsed with
//! [`replytrack::provider`], and ingested with [`Engine::ingest`]. The response follows the
//! providers' retry rules:
//!
//! | what happened | status | the provider |
//! | --- | --- | --- |
//! | stored, duplicate delivery, refused for good (forged or expired token, quarantined, auto reply, bounce…) | `200` | stops |
//! | unparseable (kept as a dead letter with the error) | `200` | stops |
//! | bad basic auth / bad Mailgun signature | `401` | SendGrid drops, Mailgun and Postmark retry |
//! | Mailgun signature stale, malformed or replayed | `406` | Mailgun stops |
//! | SNS signature or topic refused | `403` | SNS stops (it retries only 5xx) |
//! | body over the limit | `413` | — |
//! | store unavailable, contention, timeout | `503` + `Retry-After` | retries later |
//!
//! Every response has a JSON body ([`WebhookResponse`]): `{"outcome": "stored", "detail": …}`.
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use replytrack::engine::Engine;
//! use replytrack::provider::basic_auth::BasicAuthCredentials;
//! use replytrack::provider::MailgunSigningKey;
//! use replytrack_server::{Webhooks, WorkerConfig, Workers};
//!
//! # async fn run(engine: Engine) -> std::io::Result<()> {
//! let webhooks = Webhooks::builder(engine.clone())
//!     .sendgrid_auth(BasicAuthCredentials::new("inbound", "from-your-secret-store"))
//!     .mailgun(MailgunSigningKey::new("key-from-the-mailgun-panel"))
//!     .build();
//! let app = axum::Router::new().merge(webhooks.router());
//! let workers = Workers::spawn(engine, WorkerConfig::default().poll_interval(Duration::from_secs(5)));
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8025").await?;
//! axum::serve(listener, app)
//!     .with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; })
//!     .await?;
//! workers.shutdown().await; // finishes the batch in hand, then stops
//! # Ok(()) }
//! ```
//!
//! ## SES certificates and subscriptions
//!
//! The SES endpoint verifies each SNS message under the certificate its `SigningCertURL` names,
//! after checking that URL. Where the certificate comes from is yours to choose
//! ([`SnsCertificates`]): a pinned PEM ([`StaticCertificate`]), or, with the `fetch` feature,
//! `HttpCertificates` (HTTPS, cached by URL). Subscription confirmations go to a
//! [`SubscriptionHandler`]: [`LogSubscription`] (the default) logs the `SubscribeURL` for an
//! operator; with `fetch`, `HttpSubscriptionConfirmer` opens it (only an https URL of the SNS
//! host of the topic's region).
//!
//! Several instances may serve the same PostgreSQL database: the store keeps one copy of a
//! message delivered to two of them, and each job is leased to one worker.

#[cfg(feature = "fetch")]
mod fetch;
mod handlers;
mod replay;
mod response;
mod sns;
mod workers;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use chrono::TimeDelta;
use replytrack::engine::Engine;
use replytrack::provider::basic_auth::BasicAuthCredentials;
use replytrack::provider::{Freshness, MailgunSigningKey, ProviderKind, ProviderOptions};

#[cfg(feature = "fetch")]
pub use fetch::{FetchError, HttpCertificates, HttpSubscriptionConfirmer, MAX_CERT_BYTES};
pub use response::{Outcome, WebhookResponse};
pub use sns::{LogSubscription, SnsCertificates, StaticCertificate, SubscriptionHandler};
pub use workers::{WorkerConfig, WorkerStats, Workers};

/// The error type certificate sources and subscription handlers return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Default largest request body: 32 MiB (SendGrid's documented maximum is 30 MB; Postmark's JSON
/// of a 35 MB email with base64 attachments can be larger: raise it with
/// [`WebhooksBuilder::max_body_bytes`] if you receive such mail).
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// Default time a request may take, body upload included: 30 s.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How many Mailgun signature tokens are remembered at most (per process).
pub const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// Mailgun settings: the signing key, how old a signature may be, and the replay guard.
pub struct MailgunConfig {
    key: MailgunSigningKey,
    freshness: Freshness,
    replay_capacity: usize,
}

impl MailgunConfig {
    /// Verify with `key` (the HTTP webhook signing key of the Mailgun control panel).
    ///
    /// Signatures are accepted for 9 hours after their timestamp (and 1 minute ahead of it):
    /// Mailgun resends the original signature when it retries, for up to 8 hours, so a shorter
    /// window would refuse the retries of a delivery the server answered `503`. A replayed
    /// token is refused for the whole window.
    pub fn new(key: MailgunSigningKey) -> Self {
        Self {
            key,
            freshness: Freshness {
                max_age: TimeDelta::hours(9),
                max_skew: TimeDelta::minutes(1),
            },
            replay_capacity: DEFAULT_REPLAY_CAPACITY,
        }
    }

    /// Another freshness window.
    pub fn freshness(mut self, freshness: Freshness) -> Self {
        self.freshness = freshness;
        self
    }

    /// Remember at most `capacity` tokens (the ones expiring first are forgotten first).
    pub fn replay_capacity(mut self, capacity: usize) -> Self {
        self.replay_capacity = capacity.max(1);
        self
    }
}

impl fmt::Debug for MailgunConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailgunConfig")
            .field("key", &self.key)
            .field("freshness", &self.freshness)
            .field("replay_capacity", &self.replay_capacity)
            .finish()
    }
}

impl From<MailgunSigningKey> for MailgunConfig {
    fn from(key: MailgunSigningKey) -> Self {
        Self::new(key)
    }
}

/// Amazon SES (through SNS) settings: the topic, where its signing certificate comes from, and
/// what to do with a subscription confirmation.
#[derive(Debug, Clone)]
pub struct SesConfig {
    topic_arn: String,
    certificates: Arc<dyn SnsCertificates>,
    subscriptions: Arc<dyn SubscriptionHandler>,
    max_age: Option<TimeDelta>,
}

impl SesConfig {
    /// Accept messages of `topic_arn` signed under a certificate from `certificates`.
    /// Subscription confirmations are logged ([`LogSubscription`]) until
    /// [`SesConfig::subscriptions`] says otherwise.
    pub fn new(topic_arn: impl Into<String>, certificates: Arc<dyn SnsCertificates>) -> Self {
        Self {
            topic_arn: topic_arn.into(),
            certificates,
            subscriptions: Arc::new(LogSubscription),
            max_age: None,
        }
    }

    /// Who confirms subscriptions.
    pub fn subscriptions(mut self, handler: Arc<dyn SubscriptionHandler>) -> Self {
        self.subscriptions = handler;
        self
    }

    /// Refuse messages whose SNS `Timestamp` is older than this (SNS keeps the original
    /// timestamp when it retries: leave room for the subscription's delivery policy, at most
    /// one hour for HTTP/S). Default: no limit (the signature and the store's deduplication
    /// already make a replay harmless).
    pub fn max_age(mut self, max_age: TimeDelta) -> Self {
        self.max_age = Some(max_age);
        self
    }
}

/// The webhook endpoints' shared state. Cheap to clone; build it with [`Webhooks::builder`] and
/// mount [`Webhooks::router`].
#[derive(Clone)]
pub struct Webhooks {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    sendgrid_auth: Option<BasicAuthCredentials>,
    postmark_auth: Option<BasicAuthCredentials>,
    raw_auth: Option<BasicAuthCredentials>,
    mailgun: Option<(MailgunConfig, Mutex<replay::ReplayCache>)>,
    ses: Option<SesConfig>,
    provider_options: ProviderOptions,
    keep_raw: bool,
    max_body_bytes: usize,
    request_timeout: Duration,
    retry_after_secs: u64,
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Webhooks")
            .field("sendgrid_auth", &i.sendgrid_auth.is_some())
            .field("postmark_auth", &i.postmark_auth.is_some())
            .field("raw_auth", &i.raw_auth.is_some())
            .field("mailgun", &i.mailgun.as_ref().map(|(c, _)| c))
            .field("ses", &i.ses)
            .field("keep_raw", &i.keep_raw)
            .field("max_body_bytes", &i.max_body_bytes)
            .field("request_timeout", &i.request_timeout)
            .finish_non_exhaustive()
    }
}

impl Webhooks {
    /// Start configuring the endpoints for an engine (over any store).
    pub fn builder(engine: Engine) -> WebhooksBuilder {
        WebhooksBuilder {
            engine,
            sendgrid_auth: None,
            postmark_auth: None,
            raw_auth: None,
            mailgun: None,
            ses: None,
            provider_options: ProviderOptions::default(),
            keep_raw: true,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            retry_after_secs: 60,
        }
    }

    /// The engine requests are ingested with.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The routes (see the [crate docs](crate)), with the body limit and request timeout applied.
    /// Merge it into your app's router, or nest it under a prefix.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/healthz", get(handlers::healthz))
            .route(
                "/inbound/sendgrid",
                post(handlers::sendgrid).route_layer(from_fn_with_state(
                    (self.clone(), ProviderKind::SendGrid),
                    handlers::basic_auth,
                )),
            )
            .route("/inbound/mailgun", post(handlers::mailgun))
            .route(
                "/inbound/postmark",
                post(handlers::postmark).route_layer(from_fn_with_state(
                    (self.clone(), ProviderKind::Postmark),
                    handlers::basic_auth,
                )),
            )
            .route("/inbound/ses", post(handlers::ses))
            .route(
                "/inbound/raw",
                post(handlers::raw).route_layer(from_fn_with_state(
                    (self.clone(), ProviderKind::Raw),
                    handlers::basic_auth,
                )),
            )
            .layer(from_fn_with_state(self.clone(), handlers::timeout))
            .layer(DefaultBodyLimit::max(self.inner.max_body_bytes))
            .with_state(self.clone())
    }
}

/// Builder for [`Webhooks`].
pub struct WebhooksBuilder {
    engine: Engine,
    sendgrid_auth: Option<BasicAuthCredentials>,
    postmark_auth: Option<BasicAuthCredentials>,
    raw_auth: Option<BasicAuthCredentials>,
    mailgun: Option<MailgunConfig>,
    ses: Option<SesConfig>,
    provider_options: ProviderOptions,
    keep_raw: bool,
    max_body_bytes: usize,
    request_timeout: Duration,
    retry_after_secs: u64,
}

impl fmt::Debug for WebhooksBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhooksBuilder")
            .field("mailgun", &self.mailgun)
            .field("ses", &self.ses)
            .finish_non_exhaustive()
    }
}

impl WebhooksBuilder {
    /// Require HTTP basic auth on `/inbound/sendgrid` (put the credentials in the Inbound Parse
    /// URL: `https://user:password@host/inbound/sendgrid`). Note that SendGrid drops a delivery
    /// answered with a 4xx: check the URL with a test email after changing the password.
    pub fn sendgrid_auth(mut self, credentials: BasicAuthCredentials) -> Self {
        self.sendgrid_auth = Some(credentials);
        self
    }

    /// Require HTTP basic auth on `/inbound/postmark`.
    pub fn postmark_auth(mut self, credentials: BasicAuthCredentials) -> Self {
        self.postmark_auth = Some(credentials);
        self
    }

    /// Require HTTP basic auth on `/inbound/raw`.
    pub fn raw_auth(mut self, credentials: BasicAuthCredentials) -> Self {
        self.raw_auth = Some(credentials);
        self
    }

    /// Enable `/inbound/mailgun`, verifying every request's signature.
    pub fn mailgun(mut self, config: impl Into<MailgunConfig>) -> Self {
        self.mailgun = Some(config.into());
        self
    }

    /// Enable `/inbound/ses`, verifying every SNS message.
    pub fn ses(mut self, config: SesConfig) -> Self {
        self.ses = Some(config);
        self
    }

    /// Limits for the payloads and the MIME they carry.
    pub fn provider_options(mut self, options: ProviderOptions) -> Self {
        self.provider_options = options;
        self
    }

    /// Keep the raw bytes of every authenticated delivery with
    /// [`Store::keep_raw`](replytrack::ports::Store::keep_raw) before ingesting it (default
    /// true; the [`Workers`] purge them after [`WorkerConfig::raw_retention`]). Unparseable
    /// deliveries are kept as dead letters either way.
    pub fn keep_raw(mut self, keep: bool) -> Self {
        self.keep_raw = keep;
        self
    }

    /// Largest request body, in bytes (default [`DEFAULT_MAX_BODY_BYTES`]); larger ones get
    /// `413`.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Longest a request may take, body upload included (default
    /// [`DEFAULT_REQUEST_TIMEOUT`]); slower ones get `503` so the provider retries (a retry of a
    /// delivery that was stored after all is answered as a duplicate).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The `Retry-After` seconds sent with `503` (default 60).
    pub fn retry_after_secs(mut self, secs: u64) -> Self {
        self.retry_after_secs = secs;
        self
    }

    /// Build.
    pub fn build(self) -> Webhooks {
        let mailgun = self.mailgun.map(|c| {
            let cache = replay::ReplayCache::new(c.replay_capacity);
            (c, Mutex::new(cache))
        });
        Webhooks {
            inner: Arc::new(Inner {
                engine: self.engine,
                sendgrid_auth: self.sendgrid_auth,
                postmark_auth: self.postmark_auth,
                raw_auth: self.raw_auth,
                mailgun,
                ses: self.ses,
                provider_options: self.provider_options,
                keep_raw: self.keep_raw,
                max_body_bytes: self.max_body_bytes,
                request_timeout: self.request_timeout,
                retry_after_secs: self.retry_after_secs,
            }),
        }
    }
}

//! The route handlers: authenticate, keep the raw bytes, parse, ingest, answer.

use std::sync::MutexGuard;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use replytrack::engine::{EngineError, IngestOutcome};
use replytrack::message::InboundMessage;
use replytrack::ports::{DeadLetter, DedupeKey, RawInbound, StoreError, Unsupported, cut_error};
use replytrack::provider::basic_auth::BasicAuthCredentials;
use replytrack::provider::{
    MailgunSignature, ProviderKind, SesDelivery, SignatureError, SnsExpectations, SnsMessage,
    parse_provider, ses,
};

use crate::replay::{At, ReplayCache};
use crate::response::{Outcome, Reply};
use crate::{Inner, Webhooks};

type Body = Result<Bytes, BytesRejection>;

/// Answer `503` when a request (body upload included) takes longer than the timeout.
pub(crate) async fn timeout(State(w): State<Webhooks>, req: Request, next: Next) -> Response {
    let limit = w.inner.request_timeout;
    let path = req.uri().path().to_string();
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                path,
                timeout_ms = limit.as_millis() as u64,
                "request timed out"
            );
            Reply::outcome(
                Outcome::Timeout,
                format!(
                    "the request took longer than {} ms; deliver it again",
                    limit.as_millis()
                ),
            )
            .retry_after(w.inner.retry_after_secs)
            .into_response()
        }
    }
}

/// `GET /healthz`: `200` when the store answers a lookup, else `503`.
pub(crate) async fn healthz(State(w): State<Webhooks>) -> Reply {
    match w
        .engine()
        .store()
        .seen(&DedupeKey::new("replytrack-healthz"))
        .await
    {
        Ok(_) => Reply::outcome(Outcome::Ok, "the store answers"),
        Err(e) => {
            tracing::error!(error = %e, "health check: the store does not answer");
            Reply::outcome(
                Outcome::Unavailable,
                "the store does not answer (details in the server log)",
            )
            .retry_after(w.inner.retry_after_secs)
        }
    }
}

/// `POST /inbound/sendgrid`.
pub(crate) async fn sendgrid(State(w): State<Webhooks>, headers: HeaderMap, body: Body) -> Reply {
    let body = match read(body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    deliver(&w, ProviderKind::SendGrid, &body, content_type(&headers)).await
}

/// `POST /inbound/postmark`.
pub(crate) async fn postmark(State(w): State<Webhooks>, headers: HeaderMap, body: Body) -> Reply {
    let body = match read(body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    deliver(&w, ProviderKind::Postmark, &body, content_type(&headers)).await
}

/// `POST /inbound/raw`.
pub(crate) async fn raw(State(w): State<Webhooks>, headers: HeaderMap, body: Body) -> Reply {
    let body = match read(body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    deliver(&w, ProviderKind::Raw, &body, content_type(&headers)).await
}

/// `POST /inbound/mailgun`: signature, freshness and replay first.
pub(crate) async fn mailgun(State(w): State<Webhooks>, headers: HeaderMap, body: Body) -> Reply {
    let body = match read(body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let Some((config, cache)) = &w.inner.mailgun else {
        return Reply::outcome(
            Outcome::NotConfigured,
            "the Mailgun endpoint has no signing key configured",
        );
    };
    let ct = content_type(&headers);
    let signature = match MailgunSignature::from_form(&body, ct, &w.inner.provider_options.limits) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(provider = "mailgun", error = %e, "refused: no signature fields");
            return Reply::outcome(
                Outcome::NotAcceptable,
                format!("the request carries no Mailgun signature: {e}"),
            );
        }
    };
    let now = w.engine().now();
    let verdict = signature.verify(
        &config.key,
        now,
        &config.freshness,
        &mut At {
            cache: &mut lock(cache),
            now,
        },
    );
    if let Err(e) = verdict {
        tracing::warn!(provider = "mailgun", error = %e, "refused: signature check failed");
        // A wrong key on our side is fixed by configuration, and Mailgun resends the same
        // signature when it retries: let it retry. Nothing else gets better with a retry.
        let outcome = match e {
            SignatureError::BadSignature => Outcome::Unauthorized,
            _ => Outcome::NotAcceptable,
        };
        return Reply::outcome(outcome, e.to_string());
    }
    let mut forget = ForgetOnFailure {
        inner: &w.inner,
        token: Some(signature.token.clone()),
    };
    let reply = deliver(&w, ProviderKind::Mailgun, &body, ct).await;
    if !reply.status.is_server_error() {
        forget.token = None;
    }
    reply
}

/// Forgets a Mailgun token when its delivery was not taken (a 5xx answer, or the request was
/// dropped by the timeout), so Mailgun's retry with the same signature is not refused as a replay.
struct ForgetOnFailure<'a> {
    inner: &'a Inner,
    token: Option<String>,
}

impl Drop for ForgetOnFailure<'_> {
    fn drop(&mut self) {
        if let (Some(token), Some((_, cache))) = (self.token.take(), &self.inner.mailgun) {
            lock(cache).forget(&token);
        }
    }
}

fn lock(cache: &std::sync::Mutex<ReplayCache>) -> MutexGuard<'_, ReplayCache> {
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `POST /inbound/ses`: an SNS message, verified under the topic's certificate.
pub(crate) async fn ses(State(w): State<Webhooks>, body: Body) -> Reply {
    let body = match read(body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let Some(config) = &w.inner.ses else {
        return Reply::outcome(
            Outcome::NotConfigured,
            "the SES endpoint has no SNS topic configured",
        );
    };
    let opts = &w.inner.provider_options;
    let sns = match SnsMessage::parse(&body, &opts.limits) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(provider = "ses", error = %e, "refused: not an SNS message");
            return Reply::outcome(Outcome::BadRequest, format!("not an SNS message: {e}"));
        }
    };
    if let Err(e) = sns.check_signing_cert_url(&config.topic_arn) {
        tracing::warn!(provider = "ses", error = %e, "refused: topic or certificate URL");
        return Reply::outcome(Outcome::Forbidden, e.to_string());
    }
    let url = sns.signing_cert_url.clone().unwrap_or_default();
    let pem = match config.certificates.certificate(&url).await {
        Ok(pem) => pem,
        Err(e) => {
            tracing::error!(provider = "ses", url, error = %e, "could not get the SNS certificate");
            return Reply::outcome(
                Outcome::Unavailable,
                "the SNS signing certificate could not be fetched (details in the server log); deliver it again",
            )
            .retry_after(w.inner.retry_after_secs);
        }
    };
    let now = w.engine().now();
    let expected = SnsExpectations {
        max_age: config.max_age,
        ..SnsExpectations::new(config.topic_arn.clone(), now)
    };
    if let Err(e) = sns.verify(&pem, &expected) {
        tracing::warn!(provider = "ses", error = %e, "refused: SNS signature");
        return Reply::outcome(Outcome::Forbidden, e.to_string());
    }
    if let Some(refused) = keep_raw(&w, ProviderKind::Ses, &body, now).await {
        return refused;
    }
    match ses::from_sns(&sns, opts) {
        Ok(SesDelivery::Message(msg)) => ingest(&w, ProviderKind::Ses, *msg, now).await,
        Ok(SesDelivery::SubscriptionConfirmation(sub)) => {
            match config.subscriptions.confirm(&sub).await {
                Ok(()) => Reply::outcome(
                    Outcome::SubscriptionConfirmation,
                    format!("subscription to {} handed to the confirmer", sub.topic_arn),
                ),
                Err(e) => {
                    tracing::error!(provider = "ses", topic = %sub.topic_arn, error = %e, "subscription confirmation failed");
                    Reply::outcome(
                        Outcome::Unavailable,
                        "the subscription could not be confirmed (details in the server log)",
                    )
                    .retry_after(w.inner.retry_after_secs)
                }
            }
        }
        Ok(SesDelivery::UnsubscribeConfirmation(sub)) => {
            tracing::warn!(provider = "ses", topic = %sub.topic_arn, "SNS reports the endpoint unsubscribed");
            Reply::outcome(
                Outcome::UnsubscribeConfirmation,
                format!("unsubscribed from {}", sub.topic_arn),
            )
        }
        Err(e) => dead_letter(&w, ProviderKind::Ses, &body, &e.to_string(), now).await,
    }
}

/// The body, or the JSON answer to a body that could not be read (`413` over the limit).
fn read(body: Body) -> Result<Bytes, Box<Reply>> {
    body.map_err(|rejection| {
        let status = rejection.status();
        let detail = rejection.body_text();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            tracing::warn!(detail, "refused: body over the limit");
            Box::new(Reply::outcome(Outcome::TooLarge, detail))
        } else {
            let mut reply = Reply::outcome(Outcome::BadRequest, detail);
            reply.status = status;
            Box::new(reply)
        }
    })
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// Basic auth for the SendGrid, Postmark and raw routes, checked before the body is read (an
/// unauthenticated client never gets to upload a large body).
pub(crate) async fn basic_auth(
    State((w, kind)): State<(Webhooks, ProviderKind)>,
    req: Request,
    next: Next,
) -> Response {
    let credentials = match kind {
        ProviderKind::SendGrid => w.inner.sendgrid_auth.as_ref(),
        ProviderKind::Postmark => w.inner.postmark_auth.as_ref(),
        ProviderKind::Raw => w.inner.raw_auth.as_ref(),
        ProviderKind::Mailgun | ProviderKind::Ses => None,
    };
    match check_basic(credentials, req.headers(), kind.as_str()) {
        Some(refused) => refused.into_response(),
        None => next.run(req).await,
    }
}

fn check_basic(
    credentials: Option<&BasicAuthCredentials>,
    headers: &HeaderMap,
    provider: &'static str,
) -> Option<Reply> {
    let credentials = credentials?;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match credentials.check(given) {
        Ok(()) => None,
        Err(e) => {
            tracing::warn!(provider, error = %e, "refused: basic auth");
            Some(Reply::outcome(Outcome::Unauthorized, e.to_string()).challenge())
        }
    }
}

/// Keep the raw bytes, parse them, ingest the message.
async fn deliver(
    w: &Webhooks,
    kind: ProviderKind,
    body: &Bytes,
    content_type: Option<&str>,
) -> Reply {
    let now = w.engine().now();
    if let Some(refused) = keep_raw(w, kind, body, now).await {
        return refused;
    }
    match parse_provider(kind, body, content_type, &w.inner.provider_options) {
        Ok(msg) => ingest(w, kind, msg, now).await,
        Err(e) => dead_letter(w, kind, body, &e.to_string(), now).await,
    }
}

fn unsupported(e: &StoreError) -> bool {
    matches!(e, StoreError::Backend(inner) if inner.downcast_ref::<Unsupported>().is_some())
}

/// Keep the raw bytes (when configured). `Some` is the answer when the store failed.
async fn keep_raw(
    w: &Webhooks,
    kind: ProviderKind,
    body: &Bytes,
    now: DateTime<Utc>,
) -> Option<Reply> {
    if !w.inner.keep_raw {
        return None;
    }
    let raw = RawInbound::new(kind.as_str(), body.to_vec(), now);
    match w.engine().store().keep_raw(raw).await {
        Ok(_) => None,
        Err(e) if unsupported(&e) => {
            tracing::debug!(
                provider = kind.as_str(),
                "the store does not keep raw bytes"
            );
            None
        }
        Err(e) => {
            tracing::error!(provider = kind.as_str(), error = %e, "could not keep the raw bytes: answering 503");
            Some(
                Reply::outcome(
                    Outcome::Unavailable,
                    "the store is unavailable (details in the server log); deliver it again",
                )
                .retry_after(w.inner.retry_after_secs),
            )
        }
    }
}

/// Keep an unparseable payload with its error, and tell the provider not to retry.
async fn dead_letter(
    w: &Webhooks,
    kind: ProviderKind,
    body: &Bytes,
    error: &str,
    now: DateTime<Utc>,
) -> Reply {
    let letter = DeadLetter {
        raw: RawInbound::new(kind.as_str(), body.to_vec(), now),
        error: cut_error(error),
    };
    let sha256 = letter.raw.sha256.clone();
    match w.engine().store().dead_letter(letter).await {
        Ok(_) => {
            tracing::warn!(
                provider = kind.as_str(),
                sha256,
                error,
                "unparseable: kept as a dead letter"
            );
        }
        Err(e) if unsupported(&e) => {
            tracing::error!(
                provider = kind.as_str(),
                sha256,
                error,
                "unparseable, and the store keeps no dead letters: the payload is dropped"
            );
        }
        Err(e) => {
            tracing::error!(provider = kind.as_str(), error = %e, "could not keep a dead letter: answering 503");
            return Reply::outcome(
                Outcome::Unavailable,
                "the store is unavailable (details in the server log); deliver it again",
            )
            .retry_after(w.inner.retry_after_secs);
        }
    }
    Reply::outcome(
        Outcome::Unparseable,
        format!("the payload could not be parsed and is kept as dead letter {sha256}: {error}"),
    )
}

async fn ingest(
    w: &Webhooks,
    kind: ProviderKind,
    msg: InboundMessage,
    now: DateTime<Utc>,
) -> Reply {
    match w.engine().ingest(msg, now).await {
        Ok(outcome) => {
            log_outcome(kind, &outcome);
            Reply::ingested(&outcome)
        }
        Err(e) => {
            let retryable = matches!(e, EngineError::Store(_) | EngineError::Contention { .. });
            tracing::error!(provider = kind.as_str(), error = %e, retryable, "ingest failed");
            let reply = if retryable {
                Reply::outcome(
                    Outcome::Unavailable,
                    "the store is unavailable or contended (details in the server log); deliver it again",
                )
            } else {
                Reply::outcome(Outcome::Failed, "ingest failed (details in the server log)")
            };
            reply.retry_after(w.inner.retry_after_secs)
        }
    }
}

fn log_outcome(kind: ProviderKind, outcome: &IngestOutcome) {
    let provider = kind.as_str();
    match outcome {
        IngestOutcome::Stored(s) => tracing::info!(
            provider,
            outcome = outcome.name(),
            message = %s.message,
            conversation = %s.conversation,
            "reply stored"
        ),
        IngestOutcome::Rejected { .. } | IngestOutcome::Quarantined { .. } => tracing::warn!(
            provider,
            outcome = outcome.name(),
            detail = outcome.explain(),
            "refused"
        ),
        _ => tracing::info!(
            provider,
            outcome = outcome.name(),
            detail = outcome.explain(),
            "ingested"
        ),
    }
}

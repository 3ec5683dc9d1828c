//! The JSON every endpoint answers with, and the status that goes with it.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use replytrack::engine::IngestOutcome;
use serde::{Deserialize, Serialize};

/// What the server did with a request, beyond [`IngestOutcome::name`]'s names (`stored`,
/// `duplicate`, `rejected`, `expired`, `quarantined`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The payload could not be parsed; it is kept as a dead letter with the error. `200`.
    Unparseable,
    /// Basic auth or a Mailgun signature failed in a way a retry may fix (a wrong password or
    /// key on our side). `401`.
    Unauthorized,
    /// A Mailgun signature that no retry will fix: stale, malformed, or a replayed token. `406`.
    NotAcceptable,
    /// An SNS message that is not from the expected topic or whose signature does not verify.
    /// `403` (SNS does not retry 4xx).
    Forbidden,
    /// The body is not even an SNS envelope, or could not be read. `400`.
    BadRequest,
    /// The body is larger than the limit. `413`.
    TooLarge,
    /// The endpoint is not configured (Mailgun without a key, SES without a topic). `404`.
    NotConfigured,
    /// The store (or the SNS certificate source) failed; retry later. `503`.
    Unavailable,
    /// The request took longer than the timeout. `503`.
    Timeout,
    /// Ingest failed for a reason other than the store (a bug): `500`, the provider retries.
    Failed,
    /// An SNS subscription confirmation was handed to the
    /// [`SubscriptionHandler`](crate::SubscriptionHandler). `200`.
    SubscriptionConfirmation,
    /// SNS reported the endpoint unsubscribed. `200`.
    UnsubscribeConfirmation,
    /// `GET /healthz`: the store answers. `200`.
    Ok,
}

impl Outcome {
    /// The snake_case name used in [`WebhookResponse::outcome`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unparseable => "unparseable",
            Self::Unauthorized => "unauthorized",
            Self::NotAcceptable => "not_acceptable",
            Self::Forbidden => "forbidden",
            Self::BadRequest => "bad_request",
            Self::TooLarge => "too_large",
            Self::NotConfigured => "not_configured",
            Self::Unavailable => "unavailable",
            Self::Timeout => "timeout",
            Self::Failed => "failed",
            Self::SubscriptionConfirmation => "subscription_confirmation",
            Self::UnsubscribeConfirmation => "unsubscribe_confirmation",
            Self::Ok => "ok",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Self::Unparseable
            | Self::SubscriptionConfirmation
            | Self::UnsubscribeConfirmation
            | Self::Ok => StatusCode::OK,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotConfigured => StatusCode::NOT_FOUND,
            Self::Unavailable | Self::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            Self::Failed => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The JSON body of every response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookResponse {
    /// [`IngestOutcome::name`] (`stored`, `duplicate`, `rejected`, `expired`, …) or an
    /// [`Outcome`] name (`unparseable`, `unauthorized`, `unavailable`, …).
    pub outcome: String,
    /// One sentence saying what happened ([`IngestOutcome::explain`], or the error). Never
    /// holds a credential.
    pub detail: String,
    /// The stored message, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The customer it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// The conversation it landed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<String>,
    /// The provider should deliver it again (the status is 5xx).
    pub retry: bool,
}

/// A response ready to send: status, body, and `Retry-After` for 503.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: WebhookResponse,
    pub(crate) retry_after_secs: Option<u64>,
    pub(crate) challenge: bool,
}

impl Reply {
    pub(crate) fn outcome(outcome: Outcome, detail: impl Into<String>) -> Self {
        let status = outcome.status();
        Self {
            status,
            body: WebhookResponse {
                outcome: outcome.as_str().to_string(),
                detail: detail.into(),
                message: None,
                customer: None,
                conversation: None,
                retry: status.is_server_error(),
            },
            retry_after_secs: None,
            challenge: false,
        }
    }

    pub(crate) fn ingested(outcome: &IngestOutcome) -> Self {
        let (message, customer, conversation) = ids(outcome);
        Self {
            status: StatusCode::OK,
            body: WebhookResponse {
                outcome: outcome.name().to_string(),
                detail: outcome.explain(),
                message,
                customer,
                conversation,
                retry: false,
            },
            retry_after_secs: None,
            challenge: false,
        }
    }

    pub(crate) fn retry_after(mut self, secs: u64) -> Self {
        if self.status.is_server_error() {
            self.retry_after_secs = Some(secs);
        }
        self
    }

    /// Ask for basic auth (`WWW-Authenticate`).
    pub(crate) fn challenge(mut self) -> Self {
        self.challenge = true;
        self
    }
}

fn ids(outcome: &IngestOutcome) -> (Option<String>, Option<String>, Option<String>) {
    let s = |x: &dyn std::fmt::Display| Some(x.to_string());
    match outcome {
        IngestOutcome::Stored(st) => (s(&st.message), s(&st.customer), s(&st.conversation)),
        IngestOutcome::Duplicate { existing } => (existing.as_ref().and_then(|m| s(m)), None, None),
        IngestOutcome::Expired {
            customer,
            conversation,
            ..
        } => (
            None,
            customer.as_ref().and_then(|c| s(c)),
            conversation.as_ref().and_then(|c| s(c)),
        ),
        IngestOutcome::Quarantined {
            customer,
            conversation,
            ..
        } => (None, s(customer), conversation.as_ref().and_then(|c| s(c))),
        IngestOutcome::AutoReplyRecorded {
            message,
            customer,
            conversation,
        } => (
            s(message),
            s(customer),
            conversation.as_ref().and_then(|c| s(c)),
        ),
        IngestOutcome::BounceRecorded {
            customer,
            conversation,
            message,
            ..
        } => (
            s(message),
            s(customer),
            conversation.as_ref().and_then(|c| s(c)),
        ),
        _ => (None, None, None),
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(secs) = self.retry_after_secs
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if self.challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"replytrack inbound\""),
            );
        }
        response
    }
}

//! Amazon SES through SNS: notifications, subscription confirmations, and the SNS signature.
//!
//! `parseEmail(body, { provider: 'ses' })` reads a notification but refuses a subscription
//! confirmation; an SES endpoint needs these calls to confirm its subscription and to check the
//! SNS signature (the host fetches the signing certificate, after `snsSigningCertUrl` vetted it).

use napi::bindgen_prelude::{BufferSlice, Either};
use napi::{Env, JsDate};
use napi_derive::napi;
use replytrack::provider::{
    ProviderLimits, SesDelivery as CoreDelivery, SnsError, SnsExpectations, SnsMessage,
    SnsSubscription as CoreSubscription, parse_ses, parse_ses_verified,
};

use crate::error::{ErrorCode, Failure, OrThrow};
use crate::message::InboundMessage;
use crate::parse::{ParseLimits, provider_options};
use crate::{bytes_of, now_or_clock};

/// What an SES endpoint received.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SesDeliveryType {
    /// An email: see `message`.
    #[napi(value = "notification")]
    Notification,
    /// SNS asks the endpoint to confirm the subscription: see `subscription`.
    #[napi(value = "subscription_confirmation")]
    SubscriptionConfirmation,
    /// SNS reports the endpoint was unsubscribed: see `subscription`.
    #[napi(value = "unsubscribe_confirmation")]
    UnsubscribeConfirmation,
}

/// A subscription (or unsubscribe) confirmation: to confirm, fetch `subscribeUrl` (after checking
/// the signature) or call `ConfirmSubscription` with `topicArn` and `token`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SnsSubscription {
    /// `TopicArn`.
    pub topic_arn: String,
    /// `SubscribeURL`.
    pub subscribe_url: String,
    /// `Token`.
    pub token: String,
    /// `MessageId`.
    pub message_id: String,
}

/// What an SES endpoint received: an email, or a subscription message.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SesDelivery {
    /// Which of the three it is.
    #[napi(js_name = "type")]
    pub kind: SesDeliveryType,
    /// The email, for a `notification`.
    pub message: Option<InboundMessage>,
    /// The subscription, for a confirmation.
    pub subscription: Option<SnsSubscription>,
}

/// What a verified SNS message must match.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SnsExpectOptions {
    /// The topic the endpoint subscribed to (`arn:aws:sns:region:account:name`); any other topic is
    /// refused.
    pub topic_arn: String,
    /// Refuse messages sent longer ago than this, in seconds (none by default; SNS retries keep the
    /// original timestamp).
    pub max_age_seconds: Option<u32>,
    /// Limits on the payload.
    pub limits: Option<ParseLimits>,
}

fn subscription_of(s: CoreSubscription) -> SnsSubscription {
    SnsSubscription {
        topic_arn: s.topic_arn,
        subscribe_url: s.subscribe_url,
        token: s.token,
        message_id: s.message_id,
    }
}

fn delivery_of(d: CoreDelivery) -> SesDelivery {
    match d {
        CoreDelivery::Message(m) => SesDelivery {
            kind: SesDeliveryType::Notification,
            message: Some(InboundMessage::from(*m)),
            subscription: None,
        },
        CoreDelivery::SubscriptionConfirmation(s) => SesDelivery {
            kind: SesDeliveryType::SubscriptionConfirmation,
            message: None,
            subscription: Some(subscription_of(s)),
        },
        CoreDelivery::UnsubscribeConfirmation(s) => SesDelivery {
            kind: SesDeliveryType::UnsubscribeConfirmation,
            message: None,
            subscription: Some(subscription_of(s)),
        },
    }
}

/// Read an SES delivery (an SNS envelope, or the bare SES notification of raw message delivery)
/// without checking its signature. Throws `MALFORMED_INPUT`.
#[napi]
pub fn parse_ses_delivery(
    env: Env,
    body: Either<BufferSlice<'_>, String>,
    limits: Option<ParseLimits>,
) -> napi::Result<SesDelivery> {
    parse_ses(bytes_of(&body), &provider_options(limits))
        .map(delivery_of)
        .or_throw(&env)
}

/// Verify an SNS envelope's signature with the signing certificate (PEM, fetched by the host from
/// the URL `snsSigningCertUrl` returned) at `now` (default now), then read it. Throws
/// `SIGNATURE_INVALID` (`reason` names the check: `topic_mismatch`, `bad_signature`,
/// `certificate_expired`, `too_old`, …) or `MALFORMED_INPUT`.
#[napi]
pub fn verify_ses_delivery(
    env: Env,
    body: Either<BufferSlice<'_>, String>,
    certificate_pem: Either<BufferSlice<'_>, String>,
    expect: SnsExpectOptions,
    now: Option<JsDate<'_>>,
) -> napi::Result<SesDelivery> {
    let options = provider_options(expect.limits);
    let mut expected = SnsExpectations::new(expect.topic_arn, now_or_clock(now)?);
    expected.max_age = expect
        .max_age_seconds
        .map(|s| chrono::TimeDelta::seconds(i64::from(s)));
    parse_ses_verified(
        bytes_of(&body),
        bytes_of(&certificate_pem),
        &expected,
        &options,
    )
    .map(delivery_of)
    .or_throw(&env)
}

/// The `SigningCertURL` of an SNS envelope, once checked: https, the SNS host of the expected
/// topic's region, a `.pem` path, and the expected `TopicArn`. Fetch (and cache) the certificate
/// from it, then call `verifySesDelivery`. Throws `SIGNATURE_INVALID` (`untrusted_cert_url`,
/// `topic_mismatch`, …) or `MALFORMED_INPUT`.
#[napi]
pub fn sns_signing_cert_url(
    env: Env,
    body: Either<BufferSlice<'_>, String>,
    topic_arn: String,
) -> napi::Result<String> {
    let sns = SnsMessage::parse(bytes_of(&body), &ProviderLimits::default()).or_throw(&env)?;
    sns.check_signing_cert_url(&topic_arn).or_throw(&env)?;
    // Checked above: a message without the URL fails `check_signing_cert_url`.
    sns.signing_cert_url.ok_or_else(|| {
        Failure::from(SnsError::MissingField {
            field: "SigningCertURL",
        })
        .into_error(&env)
    })
}

impl From<SnsError> for Failure {
    fn from(e: SnsError) -> Self {
        let reason = match &e {
            SnsError::MissingField { .. } => "missing_field",
            SnsError::TopicMismatch { .. } => "topic_mismatch",
            SnsError::BadTopicArn { .. } => "bad_topic_arn",
            SnsError::UntrustedCertUrl { .. } => "untrusted_cert_url",
            SnsError::UnsupportedSignatureVersion { .. } => "unsupported_signature_version",
            SnsError::BadCertificate { .. } => "bad_certificate",
            SnsError::CertificateExpired { .. } => "certificate_expired",
            SnsError::BadSignatureEncoding => "bad_signature_encoding",
            SnsError::BadSignature => "bad_signature",
            SnsError::BadTimestamp { .. } => "bad_timestamp",
            SnsError::TooOld { .. } => "too_old",
            _ => "other",
        };
        Failure::new(ErrorCode::SignatureInvalid, e.to_string()).with("reason", reason)
    }
}

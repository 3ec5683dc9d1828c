//! Amazon SES receipt notifications (`notificationType: "Received"`) delivered by SNS.
//!
//! A receipt rule with an SNS action publishes the whole message, base64 or UTF-8, in `content`,
//! next to `mail` (envelope sender and recipients, SES's message id, common headers) and `receipt`
//! (spam, virus, SPF, DKIM and DMARC verdicts). The typical endpoint:
//!
//! ```no_run
//! use replytrack::provider::{ProviderOptions, SesDelivery, SnsExpectations, SnsMessage, ses};
//! # fn fetch(_url: &str) -> Vec<u8> { Vec::new() }
//! # fn run(body: &[u8], now: chrono::DateTime<chrono::Utc>) -> Result<(), Box<dyn std::error::Error>> {
//! let opts = ProviderOptions::default();
//! let topic = "arn:aws:sns:eu-west-1:123456789012:inbound";
//! let sns = SnsMessage::parse(body, &opts.limits)?;
//! sns.check_signing_cert_url(topic)?; // before fetching anything
//! let pem = fetch(sns.signing_cert_url.as_deref().unwrap_or_default()); // cache by URL
//! sns.verify(&pem, &SnsExpectations::new(topic, now))?;
//! match ses::from_sns(&sns, &opts)? {
//!     SesDelivery::Message(msg) => { /* ingest *msg */ }
//!     SesDelivery::SubscriptionConfirmation(sub) => { /* GET sub.subscribe_url */ }
//!     SesDelivery::UnsubscribeConfirmation(_) => {}
//! }
//! # Ok(()) }
//! ```

use serde_json::{Map, Value};

use crate::message::{Envelope, InboundMessage, TransportInfo, Verdict};

use super::error::{ProviderError, clip};
use super::sns::{SnsExpectations, SnsMessage, SnsMessageType, SnsSubscription};
use super::text::decode_base64;
use super::verdict::parse_verdict;
use super::{ProviderKind, ProviderOptions, check_payload_size, json, parse_mime, transport_for};

/// What an SES endpoint received.
#[derive(Debug, Clone, PartialEq)]
pub enum SesDelivery {
    /// An email.
    Message(Box<InboundMessage>),
    /// SNS asks the host to confirm the subscription.
    SubscriptionConfirmation(SnsSubscription),
    /// SNS reports the endpoint was unsubscribed.
    UnsubscribeConfirmation(SnsSubscription),
}

/// Parse an SES delivery without checking its signature: an SNS envelope, or (SNS raw message
/// delivery, a Lambda hand-off) the bare SES notification JSON. Check the signature with
/// [`SnsMessage::verify`] or use [`parse_ses_verified`].
///
/// # Errors
/// [`ProviderError`] naming the field at fault; see [`from_sns`] and [`parse_notification`].
pub fn parse_ses(body: &[u8], opts: &ProviderOptions) -> Result<SesDelivery, ProviderError> {
    check_payload_size(body, &opts.limits)?;
    let value = json::parse(body, None)?;
    let root = json::object(&value, "")?;
    if root.contains_key("notificationType") {
        return notification(root, opts).map(|m| SesDelivery::Message(Box::new(m)));
    }
    from_sns(&SnsMessage::from_json(root)?, opts)
}

/// Parse an SNS envelope, verify it against `cert_pem` and `expected`, then read it.
///
/// # Errors
/// [`ProviderError::Sns`] when verification fails, else as [`parse_ses`].
pub fn parse_ses_verified(
    body: &[u8],
    cert_pem: &[u8],
    expected: &SnsExpectations,
    opts: &ProviderOptions,
) -> Result<SesDelivery, ProviderError> {
    let sns = SnsMessage::parse(body, &opts.limits)?;
    sns.verify(cert_pem, expected)?;
    from_sns(&sns, opts)
}

/// Read a parsed (and, by now, verified) SNS message.
///
/// # Errors
/// [`ProviderError::MissingField`] (`SubscribeURL`, `Token` of a confirmation), or as
/// [`parse_notification`] for the `Message` of a notification.
pub fn from_sns(sns: &SnsMessage, opts: &ProviderOptions) -> Result<SesDelivery, ProviderError> {
    match sns.message_type {
        SnsMessageType::Notification => parse_notification(sns.message.as_bytes(), opts)
            .map(|m| SesDelivery::Message(Box::new(m))),
        SnsMessageType::SubscriptionConfirmation | SnsMessageType::UnsubscribeConfirmation => {
            let missing = |field: &str| ProviderError::MissingField {
                field: field.to_string(),
            };
            let sub = SnsSubscription {
                topic_arn: sns.topic_arn.clone(),
                subscribe_url: sns
                    .subscribe_url
                    .clone()
                    .ok_or_else(|| missing("SubscribeURL"))?,
                token: sns.token.clone().ok_or_else(|| missing("Token"))?,
                message_id: sns.message_id.clone(),
            };
            Ok(
                if sns.message_type == SnsMessageType::SubscriptionConfirmation {
                    SesDelivery::SubscriptionConfirmation(sub)
                } else {
                    SesDelivery::UnsubscribeConfirmation(sub)
                },
            )
        }
    }
}

/// Parse the SES notification JSON (the SNS `Message`).
///
/// # Errors
/// [`ProviderError::InvalidJson`] (field `Message`),
/// [`ProviderError::UnsupportedNotification`] (not `Received`),
/// [`ProviderError::SesWithoutContent`] (an S3 or Lambda action),
/// [`ProviderError::InvalidField`] (`content` not base64), [`ProviderError::Mime`], and
/// [`ProviderError::WrongType`] naming the JSON path.
pub fn parse_notification(
    json_bytes: &[u8],
    opts: &ProviderOptions,
) -> Result<InboundMessage, ProviderError> {
    check_payload_size(json_bytes, &opts.limits)?;
    let value = json::parse(json_bytes, Some("Message"))?;
    notification(json::object(&value, "Message")?, opts)
}

fn notification(
    root: &Map<String, Value>,
    opts: &ProviderOptions,
) -> Result<InboundMessage, ProviderError> {
    let kind = json::req_str(root, "notificationType", "")?;
    if kind != "Received" {
        return Err(ProviderError::UnsupportedNotification {
            notification_type: clip(kind, 64),
        });
    }
    let mail = json::opt_object(root, "mail", "")?.ok_or_else(|| ProviderError::MissingField {
        field: "mail".to_string(),
    })?;
    let receipt = json::opt_object(root, "receipt", "")?;
    let action = match receipt {
        Some(r) => json::opt_object(r, "action", "receipt")?,
        None => None,
    };
    let action_type = match action {
        Some(a) => json::opt_str(a, "type", "receipt.action")?,
        None => None,
    };
    let encoding = match action {
        Some(a) => json::opt_str(a, "encoding", "receipt.action")?,
        None => None,
    };
    let content = json::opt_str(root, "content", "")?.ok_or_else(|| match action_type {
        Some(t) if t != "SNS" => ProviderError::SesWithoutContent {
            action: clip(t, 64),
        },
        _ => ProviderError::MissingField {
            field: "content".to_string(),
        },
    })?;
    let mut msg = if encoding.is_some_and(|e| e.eq_ignore_ascii_case("BASE64")) {
        let raw = decode_base64(content).map_err(|e| ProviderError::InvalidField {
            field: "content".to_string(),
            reason: format!("action encoding is BASE64 but content is not base64: {e}"),
        })?;
        parse_mime(&raw, "content", opts)?
    } else {
        parse_mime(content.as_bytes(), "content", opts)?
    };
    msg.transport = Some(transport(mail, receipt)?);
    Ok(msg)
}

fn transport(
    mail: &Map<String, Value>,
    receipt: Option<&Map<String, Value>>,
) -> Result<TransportInfo, ProviderError> {
    let mut info = transport_for(ProviderKind::Ses);
    info.provider_message_id = json::opt_str(mail, "messageId", "mail")?.map(str::to_string);
    let mail_from = json::opt_str(mail, "source", "mail")?.map(str::to_string);
    let mut rcpt_to = match receipt {
        Some(r) => json::opt_str_list(r, "recipients", "receipt")?,
        None => Vec::new(),
    };
    if rcpt_to.is_empty() {
        rcpt_to = json::opt_str_list(mail, "destination", "mail")?;
    }
    if mail_from.is_some() || !rcpt_to.is_empty() {
        info.envelope = Some(Envelope { mail_from, rcpt_to });
    }
    if let Some(r) = receipt {
        let verdict = |key: &str| -> Result<Option<Verdict>, ProviderError> {
            let path = format!("receipt.{key}");
            Ok(match json::opt_object(r, key, "receipt")? {
                Some(v) => json::opt_str(v, "status", &path)?.map(parse_verdict),
                None => None,
            })
        };
        info.spam = verdict("spamVerdict")?;
        info.virus = verdict("virusVerdict")?;
        info.spf = verdict("spfVerdict")?;
        info.dkim = verdict("dkimVerdict")?;
        info.dmarc = verdict("dmarcVerdict")?;
    }
    Ok(info)
}

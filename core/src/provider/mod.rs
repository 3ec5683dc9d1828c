//! Provider adapters: webhook payloads into [`crate::message::InboundMessage`].
//!
//! Each adapter is a pure function over the bytes of a webhook request (and its `Content-Type`)
//! that returns the same normalised [`InboundMessage`], with
//! [`transport`](InboundMessage::transport) filled in with what the provider told us: the SMTP
//! envelope, SPF/DKIM/DMARC/spam/virus verdicts, spam score, sender IP, the provider's own message
//! id and (Postmark) the mailbox hash.
//!
//! | provider | function | payload |
//! | --- | --- | --- |
//! | raw MIME (`.eml`, Cloudflare Email Workers, IMAP) | [`parse_raw`] | RFC 5322 bytes |
//! | SendGrid Inbound Parse | [`parse_sendgrid`] | `multipart/form-data`, parsed or raw mode |
//! | Mailgun routes | [`parse_mailgun`] | `multipart/form-data` or urlencoded |
//! | Postmark inbound | [`parse_postmark`] | JSON |
//! | Amazon SES via SNS | [`parse_ses`] | SNS JSON (signature: [`SnsMessage::verify`]) |
//!
//! [`parse_provider`] dispatches on a [`ProviderKind`]. Webhook authenticity is checked by
//! [`verify_mailgun_signature`], [`SnsMessage::verify`] and [`basic_auth::check`]; none of them
//! touches the network or the clock (the caller passes `now`).
//!
//! ```
//! use replytrack::provider::{ProviderKind, ProviderOptions, parse_provider};
//!
//! let body = br#"{"FromFull": {"Email": "marie@example.fr", "Name": "Marie"},
//!   "Subject": "Re: your quote", "TextBody": "Yes please.", "MessageID": "pm-1",
//!   "OriginalRecipient": "reply+tok@reply.example.com", "Headers": []}"#;
//! let msg = parse_provider(ProviderKind::Postmark, body, None, &ProviderOptions::default())?;
//! assert_eq!(msg.text_body.as_deref(), Some("Yes please."));
//! let transport = msg.transport.expect("adapters always fill transport");
//! assert_eq!(transport.provider, "postmark");
//! assert_eq!(transport.provider_message_id.as_deref(), Some("pm-1"));
//! # Ok::<(), replytrack::provider::ProviderError>(())
//! ```

mod attachments;
pub mod basic_auth;
mod error;
mod headers;
mod json;
mod mailgun;
mod mailgun_auth;
pub mod multipart;
mod postmark;
mod raw;
mod sendgrid;
pub mod ses;
mod sns;
mod text;
mod verdict;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::message::{InboundMessage, Limits, TransportInfo};
use multipart::{Form, parse_form};

pub use error::{ProviderError, UnknownProvider};
pub use mailgun::parse_mailgun;
pub use mailgun_auth::{
    Freshness, InMemoryReplayGuard, MailgunSignature, MailgunSigningKey, ReplayGuard,
    SignatureError, verify_mailgun_signature,
};
pub use postmark::parse_postmark;
pub use raw::parse_raw;
pub use sendgrid::parse_sendgrid;
pub use ses::{SesDelivery, parse_ses, parse_ses_verified};
pub use sns::{SnsError, SnsExpectations, SnsMessage, SnsMessageType, SnsSubscription};
pub use verdict::{parse_sendgrid_dkim, parse_spam_flag, parse_verdict};

/// Which adapter reads a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Raw RFC 5322 bytes (an `.eml` file, Cloudflare Email Workers, IMAP, an SMTP hand-off).
    Raw,
    /// SendGrid Inbound Parse (parsed or raw mode).
    SendGrid,
    /// Mailgun routes (forward or store-and-notify).
    Mailgun,
    /// Postmark inbound webhook.
    Postmark,
    /// Amazon SES receipt notification delivered through SNS.
    Ses,
}

impl ProviderKind {
    /// Every provider, in a stable order.
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::Raw,
        ProviderKind::SendGrid,
        ProviderKind::Mailgun,
        ProviderKind::Postmark,
        ProviderKind::Ses,
    ];

    /// The lowercase name (`raw`, `sendgrid`, `mailgun`, `postmark`, `ses`), as used in
    /// [`TransportInfo::provider`] and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Raw => "raw",
            ProviderKind::SendGrid => "sendgrid",
            ProviderKind::Mailgun => "mailgun",
            ProviderKind::Postmark => "postmark",
            ProviderKind::Ses => "ses",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProviderKind {
    type Err = UnknownProvider;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        ProviderKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownProvider {
                given: error::clip(wanted, 64),
            })
    }
}

/// Limits on untrusted webhook payloads. The defaults fit every provider's documented maximum
/// (SendGrid 30 MB, Postmark 35 MB of JSON, SES-through-SNS 150 KB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderLimits {
    /// Largest accepted payload, in bytes. Default 50 MiB.
    pub max_payload_bytes: usize,
    /// Most form fields (multipart parts or urlencoded pairs). Default 1,000.
    pub max_fields: usize,
    /// Largest single field, in bytes (raw MIME and attachments included). Default 40 MiB.
    pub max_field_bytes: usize,
    /// Most attachments. Default 100.
    pub max_attachments: usize,
    /// Most headers in a header block the provider hands over. Default 1,000.
    pub max_headers: usize,
}

impl Default for ProviderLimits {
    fn default() -> Self {
        Self {
            max_payload_bytes: 50 * 1024 * 1024,
            max_fields: 1_000,
            max_field_bytes: 40 * 1024 * 1024,
            max_attachments: 100,
            max_headers: 1_000,
        }
    }
}

/// Options for every adapter.
#[derive(Debug, Clone, Default)]
pub struct ProviderOptions {
    /// Limits on the webhook payload.
    pub limits: ProviderLimits,
    /// Limits for the raw MIME some payloads carry (SendGrid `email`, Mailgun `body-mime`, SES
    /// `content`, raw input).
    pub mime: Limits,
}

/// Parse a webhook payload from `kind` into a message.
///
/// `content_type` is the request's `Content-Type` header; SendGrid and Mailgun multipart
/// payloads need it for the boundary (without it, a body whose first line is `--boundary` is
/// still understood). For SES, a subscription confirmation is an error here
/// ([`ProviderError::NotANotification`]); call [`parse_ses`] to handle it, and
/// [`SnsMessage::verify`] to check the signature.
///
/// # Errors
/// A [`ProviderError`] naming the field or limit at fault.
pub fn parse_provider(
    kind: ProviderKind,
    body: &[u8],
    content_type: Option<&str>,
    opts: &ProviderOptions,
) -> Result<InboundMessage, ProviderError> {
    match kind {
        ProviderKind::Raw => parse_raw(body, opts),
        ProviderKind::SendGrid => parse_sendgrid(body, content_type, opts),
        ProviderKind::Mailgun => parse_mailgun(body, content_type, opts),
        ProviderKind::Postmark => parse_postmark(body, opts),
        ProviderKind::Ses => match parse_ses(body, opts)? {
            SesDelivery::Message(msg) => Ok(*msg),
            SesDelivery::SubscriptionConfirmation(_) => Err(ProviderError::NotANotification {
                message_type: "SubscriptionConfirmation".to_string(),
            }),
            SesDelivery::UnsubscribeConfirmation(_) => Err(ProviderError::NotANotification {
                message_type: "UnsubscribeConfirmation".to_string(),
            }),
        },
    }
}

/// Parse raw MIME carried in `field`, as the MIME parser does for raw input.
fn parse_mime(
    raw: &[u8],
    field: &'static str,
    opts: &ProviderOptions,
) -> Result<InboundMessage, ProviderError> {
    InboundMessage::parse(raw, &opts.mime).map_err(|source| ProviderError::Mime { field, source })
}

/// Parse a form-posting provider's payload (SendGrid, Mailgun): the raw MIME in `raw_field` when
/// the provider posted it, else the message `parsed_mode` builds from the parsed fields; then the
/// transport the form describes. Warnings from both steps end up on the message.
fn parse_form_payload(
    body: &[u8],
    content_type: Option<&str>,
    opts: &ProviderOptions,
    raw_field: &'static str,
    parsed_mode: impl FnOnce(
        &Form<'_>,
        &ProviderOptions,
        &mut Vec<String>,
    ) -> Result<InboundMessage, ProviderError>,
    transport: impl FnOnce(
        &Form<'_>,
        &InboundMessage,
        &mut Vec<String>,
    ) -> Result<TransportInfo, ProviderError>,
) -> Result<InboundMessage, ProviderError> {
    let form = parse_form(body, content_type, &opts.limits)?;
    let mut warnings = Vec::new();
    let mut msg = match form.bytes(raw_field) {
        Some(raw) => parse_mime(raw, raw_field, opts)?,
        None => parsed_mode(&form, opts, &mut warnings)?,
    };
    msg.transport = Some(transport(&form, &msg, &mut warnings)?);
    msg.warnings.append(&mut warnings);
    Ok(msg)
}

/// An empty [`TransportInfo`] for `kind`.
fn transport_for(kind: ProviderKind) -> TransportInfo {
    TransportInfo {
        provider: kind.as_str().to_string(),
        ..TransportInfo::default()
    }
}

/// Refuse a payload over the size limit before reading it.
fn check_payload_size(body: &[u8], limits: &ProviderLimits) -> Result<(), ProviderError> {
    if body.len() > limits.max_payload_bytes {
        return Err(ProviderError::TooLarge {
            size: body.len(),
            limit: limits.max_payload_bytes,
        });
    }
    Ok(())
}

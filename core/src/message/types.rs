//! The data types of a normalised inbound message.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One mailbox: an address with an optional display name (RFC 2047 already decoded).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Mailbox {
    /// The display name, if any (`Marie Dupont` in `Marie Dupont <marie@example.fr>`).
    pub name: Option<String>,
    /// The address as written (`marie@example.fr`); comparisons should lowercase it.
    pub address: String,
}

impl Mailbox {
    /// A mailbox with an address and no display name.
    pub fn new(address: impl Into<String>) -> Self {
        Self {
            name: None,
            address: address.into(),
        }
    }

    /// A mailbox with a display name.
    pub fn with_name(name: impl Into<String>, address: impl Into<String>) -> Self {
        Self {
            name: Some(name.into()),
            address: address.into(),
        }
    }
}

/// An attachment's metadata. The content itself is not kept on the message; its hash is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attachment {
    /// The file name, if the part gave one.
    pub filename: Option<String>,
    /// The MIME type, lowercase (`application/pdf`).
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: u64,
    /// The `Content-ID` without angle brackets, if any.
    pub content_id: Option<String>,
    /// Whether the part is inline (`Content-Disposition: inline`, or referenced by `cid:`).
    pub inline: bool,
    /// Lowercase hex SHA-256 of the decoded content.
    pub sha256: String,
}

/// The SMTP envelope, when the transport knows it (it is not part of the message headers).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Envelope {
    /// `MAIL FROM`; `Some("")` for the null reverse path of a bounce.
    pub mail_from: Option<String>,
    /// `RCPT TO` addresses: the real recipients, whatever the headers say.
    pub rcpt_to: Vec<String>,
}

/// An authentication or content verdict reported by a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The check passed.
    Pass,
    /// The check failed.
    Fail,
    /// Soft failure (SPF `softfail`).
    SoftFail,
    /// Neutral result.
    Neutral,
    /// No policy or record to check against.
    None,
    /// A temporary error while checking.
    TempError,
    /// A permanent error while checking.
    PermError,
    /// The provider did not run the check, or said something we do not recognise.
    Unknown,
}

/// What the delivering provider told us beyond the message itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TransportInfo {
    /// Which adapter produced the message (`raw`, `sendgrid`, `mailgun`, `postmark`, `ses`).
    pub provider: String,
    /// The provider's own id for the message, if it gave one.
    pub provider_message_id: Option<String>,
    /// The SMTP envelope, if known.
    pub envelope: Option<Envelope>,
    /// SPF verdict.
    pub spf: Option<Verdict>,
    /// DKIM verdict.
    pub dkim: Option<Verdict>,
    /// DMARC verdict.
    pub dmarc: Option<Verdict>,
    /// Spam verdict (pass = not spam).
    pub spam: Option<Verdict>,
    /// Virus verdict (pass = clean).
    pub virus: Option<Verdict>,
    /// Spam score as reported (SpamAssassin-style; higher is spammier).
    pub spam_score: Option<f64>,
    /// The connecting client's IP, as reported.
    pub sender_ip: Option<String>,
    /// The provider-specific mailbox hash (Postmark `MailboxHash`: the text after `+`).
    pub mailbox_hash: Option<String>,
}

/// A normalised inbound email.
///
/// Every field is optional or may be empty: a message from the network may lack any header.
/// Built by [`InboundMessage::parse`](crate::message::InboundMessage) from raw bytes or by a
/// provider adapter from a webhook payload.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InboundMessage {
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// `In-Reply-To` ids without angle brackets.
    pub in_reply_to: Vec<String>,
    /// `References` ids without angle brackets (comma- or space-separated in the source).
    pub references: Vec<String>,
    /// `From`.
    pub from: Option<Mailbox>,
    /// `Sender`.
    pub sender: Option<Mailbox>,
    /// `Reply-To`.
    pub reply_to: Vec<Mailbox>,
    /// `To`.
    pub to: Vec<Mailbox>,
    /// `Cc`.
    pub cc: Vec<Mailbox>,
    /// `Delivered-To` addresses (one per header occurrence).
    pub delivered_to: Vec<String>,
    /// `X-Original-To` addresses.
    pub x_original_to: Vec<String>,
    /// `X-Forwarded-To` addresses.
    pub x_forwarded_to: Vec<String>,
    /// `Envelope-To` addresses.
    pub envelope_to: Vec<String>,
    /// `Return-Path` without angle brackets; `Some("")` for the null path `<>`.
    pub return_path: Option<String>,
    /// `Date`, converted to UTC.
    pub date: Option<DateTime<Utc>>,
    /// `Subject`, RFC 2047 decoded.
    pub subject: Option<String>,
    /// The text body: the text/plain part, or the HTML converted to text.
    pub text_body: Option<String>,
    /// Whether `text_body` was derived from HTML (no text/plain part).
    pub text_from_html: bool,
    /// The HTML body, if any.
    pub html_body: Option<String>,
    /// Attachments (metadata and hash).
    pub attachments: Vec<Attachment>,
    /// Every header in order, name as written and value unfolded and decoded as text.
    pub headers: Vec<(String, String)>,
    /// What the delivering provider told us. The provider adapters always set it (`provider:
    /// "raw"` for raw MIME); [`InboundMessage::parse`] alone leaves it `None`.
    pub transport: Option<TransportInfo>,
    /// Messages attached whole (`message/rfc822`) or as headers only (`text/rfc822-headers`), such
    /// as the original a bounce or a forward carries. [`InboundMessage::parse`] fills them in the
    /// same way as the outer message (a headers-only one has no body); adapters may fill in only
    /// headers and bodies.
    pub attached_messages: Vec<InboundMessage>,
    /// The text of each `message/delivery-status` part (RFC 3464), as found.
    pub delivery_status: Vec<String>,
    /// Content-Type of the top-level part, lowercase with parameters (`multipart/report;
    /// report-type=delivery-status`).
    pub content_type: Option<String>,
    /// Lowercase hex SHA-256 of the raw bytes, when the message came from raw bytes.
    pub raw_sha256: Option<String>,
    /// Notes about lossy decoding (an unknown charset decoded with a fallback, and so on).
    pub warnings: Vec<String>,
}

impl InboundMessage {
    /// All values of a header, matched case-insensitively, in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a header, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

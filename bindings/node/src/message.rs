//! The normalised inbound message as a plain JavaScript object, both ways.
//!
//! `parseEmail` returns an [`InboundMessage`]; `classify`, `scanToken` and `extractReply` take one
//! back. They are plain objects (spread, `JSON.stringify` and `structuredClone` work), typed in
//! `index.d.ts`. Absent values are absent properties (`undefined`), never `null`.

use chrono::{DateTime, Utc};
use napi_derive::napi;
use replytrack::message as core;

/// One mailbox: an address with an optional display name (RFC 2047 already decoded).
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct Mailbox {
    /// The display name, if any (`Marie Dupont` in `Marie Dupont <marie@example.fr>`).
    pub name: Option<String>,
    /// The address as written; compare it lowercased.
    pub address: String,
}

/// An attachment's metadata (the content itself is not kept; its hash is).
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct Attachment {
    /// The file name, if the part gave one.
    pub filename: Option<String>,
    /// The MIME type, lowercase (`application/pdf`).
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: f64,
    /// The `Content-ID` without angle brackets, if any.
    pub content_id: Option<String>,
    /// Whether the part is inline.
    pub inline: bool,
    /// Lowercase hex SHA-256 of the decoded content.
    pub sha256: String,
}

/// The SMTP envelope, when the transport knows it.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    /// `MAIL FROM`; the empty string for the null reverse path of a bounce.
    pub mail_from: Option<String>,
    /// `RCPT TO` addresses: the real recipients, whatever the headers say.
    pub rcpt_to: Vec<String>,
}

/// An authentication or content verdict reported by a provider.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The check passed.
    #[napi(value = "pass")]
    Pass,
    /// The check failed.
    #[napi(value = "fail")]
    Fail,
    /// Soft failure (SPF `softfail`).
    #[napi(value = "soft_fail")]
    SoftFail,
    /// Neutral result.
    #[napi(value = "neutral")]
    Neutral,
    /// No policy or record to check against.
    #[napi(value = "none")]
    None,
    /// A temporary error while checking.
    #[napi(value = "temp_error")]
    TempError,
    /// A permanent error while checking.
    #[napi(value = "perm_error")]
    PermError,
    /// Not checked, or not recognised.
    #[napi(value = "unknown")]
    Unknown,
}

impl From<core::Verdict> for Verdict {
    fn from(v: core::Verdict) -> Self {
        match v {
            core::Verdict::Pass => Self::Pass,
            core::Verdict::Fail => Self::Fail,
            core::Verdict::SoftFail => Self::SoftFail,
            core::Verdict::Neutral => Self::Neutral,
            core::Verdict::None => Self::None,
            core::Verdict::TempError => Self::TempError,
            core::Verdict::PermError => Self::PermError,
            core::Verdict::Unknown => Self::Unknown,
        }
    }
}

impl From<Verdict> for core::Verdict {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Pass => Self::Pass,
            Verdict::Fail => Self::Fail,
            Verdict::SoftFail => Self::SoftFail,
            Verdict::Neutral => Self::Neutral,
            Verdict::None => Self::None,
            Verdict::TempError => Self::TempError,
            Verdict::PermError => Self::PermError,
            Verdict::Unknown => Self::Unknown,
        }
    }
}

/// What the delivering provider told us beyond the message itself.
#[napi(object)]
#[derive(Debug, Clone, Default)]
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
    /// Spam verdict (`pass` = not spam).
    pub spam: Option<Verdict>,
    /// Virus verdict (`pass` = clean).
    pub virus: Option<Verdict>,
    /// Spam score as reported (higher is spammier).
    pub spam_score: Option<f64>,
    /// The connecting client's IP, as reported.
    pub sender_ip: Option<String>,
    /// The provider's mailbox hash (Postmark `MailboxHash`: the text after `+`).
    pub mailbox_hash: Option<String>,
}

/// A normalised inbound email, whichever provider delivered it.
///
/// Any header may be missing from mail off the network, so most fields are optional; the lists
/// are always present (maybe empty).
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct InboundMessage {
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// `In-Reply-To` ids without angle brackets.
    pub in_reply_to: Vec<String>,
    /// `References` ids without angle brackets.
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
    /// `Return-Path` without angle brackets; the empty string for the null path `<>`.
    pub return_path: Option<String>,
    /// `Date`.
    pub date: Option<DateTime<Utc>>,
    /// `Subject`, RFC 2047 decoded.
    pub subject: Option<String>,
    /// The text body: the text/plain part, or the HTML converted to text.
    pub text_body: Option<String>,
    /// Whether `textBody` was derived from HTML (there was no text/plain part).
    pub text_from_html: bool,
    /// The HTML body, if any.
    pub html_body: Option<String>,
    /// Attachments (metadata and hash).
    pub attachments: Vec<Attachment>,
    /// Every header in order as `[name, value]`, the name as written, the value unfolded and
    /// decoded.
    pub headers: Vec<(String, String)>,
    /// What the delivering provider told us (`parseEmail` always sets it).
    pub transport: Option<TransportInfo>,
    /// Messages attached whole or as headers only, such as the original a bounce carries.
    pub attached_messages: Vec<InboundMessage>,
    /// The text of each `message/delivery-status` part (RFC 3464).
    pub delivery_status: Vec<String>,
    /// Content-Type of the top-level part, lowercase with parameters.
    pub content_type: Option<String>,
    /// Lowercase hex SHA-256 of the raw bytes, when the message came from raw MIME.
    pub raw_sha256: Option<String>,
    /// Notes about lossy decoding (an unknown charset decoded with a fallback, …).
    pub warnings: Vec<String>,
}

fn mailbox_of(m: core::Mailbox) -> Mailbox {
    Mailbox {
        name: m.name,
        address: m.address,
    }
}

fn mailbox_into(m: Mailbox) -> core::Mailbox {
    core::Mailbox {
        name: m.name,
        address: m.address,
    }
}

fn mailboxes_of(v: Vec<core::Mailbox>) -> Vec<Mailbox> {
    v.into_iter().map(mailbox_of).collect()
}

fn mailboxes_into(v: Vec<Mailbox>) -> Vec<core::Mailbox> {
    v.into_iter().map(mailbox_into).collect()
}

fn attachment_of(a: core::Attachment) -> Attachment {
    Attachment {
        filename: a.filename,
        content_type: a.content_type,
        // Attachment sizes are far below 2^53: exact as a JavaScript number.
        #[allow(clippy::cast_precision_loss)]
        size: a.size as f64,
        content_id: a.content_id,
        inline: a.inline,
        sha256: a.sha256,
    }
}

fn attachment_into(a: Attachment) -> core::Attachment {
    core::Attachment {
        filename: a.filename,
        content_type: a.content_type,
        // A negative or fractional size from JavaScript saturates/truncates; it is metadata only.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        size: a.size as u64,
        content_id: a.content_id,
        inline: a.inline,
        sha256: a.sha256,
    }
}

fn transport_of(t: core::TransportInfo) -> TransportInfo {
    TransportInfo {
        provider: t.provider,
        provider_message_id: t.provider_message_id,
        envelope: t.envelope.map(|e| Envelope {
            mail_from: e.mail_from,
            rcpt_to: e.rcpt_to,
        }),
        spf: t.spf.map(Into::into),
        dkim: t.dkim.map(Into::into),
        dmarc: t.dmarc.map(Into::into),
        spam: t.spam.map(Into::into),
        virus: t.virus.map(Into::into),
        spam_score: t.spam_score,
        sender_ip: t.sender_ip,
        mailbox_hash: t.mailbox_hash,
    }
}

fn transport_into(t: TransportInfo) -> core::TransportInfo {
    core::TransportInfo {
        provider: t.provider,
        provider_message_id: t.provider_message_id,
        envelope: t.envelope.map(|e| core::Envelope {
            mail_from: e.mail_from,
            rcpt_to: e.rcpt_to,
        }),
        spf: t.spf.map(Into::into),
        dkim: t.dkim.map(Into::into),
        dmarc: t.dmarc.map(Into::into),
        spam: t.spam.map(Into::into),
        virus: t.virus.map(Into::into),
        spam_score: t.spam_score,
        sender_ip: t.sender_ip,
        mailbox_hash: t.mailbox_hash,
    }
}

impl From<core::InboundMessage> for InboundMessage {
    fn from(m: core::InboundMessage) -> Self {
        Self {
            message_id: m.message_id,
            in_reply_to: m.in_reply_to,
            references: m.references,
            from: m.from.map(mailbox_of),
            sender: m.sender.map(mailbox_of),
            reply_to: mailboxes_of(m.reply_to),
            to: mailboxes_of(m.to),
            cc: mailboxes_of(m.cc),
            delivered_to: m.delivered_to,
            x_original_to: m.x_original_to,
            x_forwarded_to: m.x_forwarded_to,
            envelope_to: m.envelope_to,
            return_path: m.return_path,
            date: m.date,
            subject: m.subject,
            text_body: m.text_body,
            text_from_html: m.text_from_html,
            html_body: m.html_body,
            attachments: m.attachments.into_iter().map(attachment_of).collect(),
            headers: m.headers,
            transport: m.transport.map(transport_of),
            attached_messages: m.attached_messages.into_iter().map(Into::into).collect(),
            delivery_status: m.delivery_status,
            content_type: m.content_type,
            raw_sha256: m.raw_sha256,
            warnings: m.warnings,
        }
    }
}

impl InboundMessage {
    /// Back to the core type, for the calls that take a message.
    pub(crate) fn into_core(self) -> core::InboundMessage {
        core::InboundMessage {
            message_id: self.message_id,
            in_reply_to: self.in_reply_to,
            references: self.references,
            from: self.from.map(mailbox_into),
            sender: self.sender.map(mailbox_into),
            reply_to: mailboxes_into(self.reply_to),
            to: mailboxes_into(self.to),
            cc: mailboxes_into(self.cc),
            delivered_to: self.delivered_to,
            x_original_to: self.x_original_to,
            x_forwarded_to: self.x_forwarded_to,
            envelope_to: self.envelope_to,
            return_path: self.return_path,
            date: self.date,
            subject: self.subject,
            text_body: self.text_body,
            text_from_html: self.text_from_html,
            html_body: self.html_body,
            attachments: self.attachments.into_iter().map(attachment_into).collect(),
            headers: self.headers,
            transport: self.transport.map(transport_into),
            attached_messages: self
                .attached_messages
                .into_iter()
                .map(InboundMessage::into_core)
                .collect(),
            delivery_status: self.delivery_status,
            content_type: self.content_type,
            raw_sha256: self.raw_sha256,
            warnings: self.warnings,
        }
    }
}

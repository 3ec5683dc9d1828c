//! The small records an inbound message is made of: `Mailbox`, `Attachment`, `Envelope`,
//! `TransportInfo`.

use pyo3::prelude::*;

use replytrack::message::{self as rs, Verdict};

use crate::enums::{PROVIDER, VERDICT};
use crate::record::record;

record! {
    /// One mailbox: an address with an optional display name (RFC 2047 already decoded).
    pub struct Mailbox as "Mailbox" {
        /// The display name, if any.
        name: Option<String>,
        /// The address as written; lowercase it before comparing.
        address: String,
    }
    methods {
        /// `Name <address>`, or the bare address.
        fn __str__(&self) -> String {
            match &self.name {
                Some(n) if !n.is_empty() => format!("{n} <{}>", self.address),
                _ => self.address.clone(),
            }
        }
    }
}

/// Convert a mailbox.
pub(crate) fn mailbox(m: &rs::Mailbox) -> Mailbox {
    Mailbox {
        name: m.name.clone(),
        address: m.address.clone(),
    }
}

/// Convert a mailbox into a Python object.
pub(crate) fn py_mailbox(py: Python<'_>, m: &rs::Mailbox) -> PyResult<Py<Mailbox>> {
    Py::new(py, mailbox(m))
}

record! {
    /// An attachment's metadata. The content itself is not kept; its SHA-256 is.
    pub struct Attachment as "Attachment" {
        /// The file name, if the part gave one.
        filename: Option<String>,
        /// The MIME type, lowercase (`application/pdf`).
        content_type: String,
        /// Decoded size in bytes.
        size: u64,
        /// The `Content-ID` without angle brackets, if any.
        content_id: Option<String>,
        /// Whether the part is inline.
        inline: bool,
        /// Lowercase hex SHA-256 of the decoded content.
        sha256: String,
    }
}

/// Convert an attachment.
pub(crate) fn attachment(a: &rs::Attachment) -> Attachment {
    Attachment {
        filename: a.filename.clone(),
        content_type: a.content_type.clone(),
        size: a.size,
        content_id: a.content_id.clone(),
        inline: a.inline,
        sha256: a.sha256.clone(),
    }
}

record! {
    /// The SMTP envelope, when the provider reported it.
    pub struct Envelope as "Envelope" {
        /// `MAIL FROM`; `""` for the null reverse path of a bounce.
        mail_from: Option<String>,
        /// `RCPT TO` addresses.
        rcpt_to: Vec<String>,
    }
}

record! {
    /// What the delivering provider told us beyond the message itself.
    pub struct TransportInfo as "TransportInfo" {
        /// Which adapter produced the message (`Provider`).
        provider: Py<PyAny>,
        /// The provider's own id for the message.
        provider_message_id: Option<String>,
        /// The SMTP envelope.
        envelope: Option<Py<Envelope>>,
        /// SPF verdict (`Verdict`).
        spf: Option<Py<PyAny>>,
        /// DKIM verdict.
        dkim: Option<Py<PyAny>>,
        /// DMARC verdict.
        dmarc: Option<Py<PyAny>>,
        /// Spam verdict (pass = not spam).
        spam: Option<Py<PyAny>>,
        /// Virus verdict (pass = clean).
        virus: Option<Py<PyAny>>,
        /// Spam score as reported (higher is spammier).
        spam_score: Option<f64>,
        /// The connecting client's IP.
        sender_ip: Option<String>,
        /// The provider's mailbox hash (Postmark `MailboxHash`).
        mailbox_hash: Option<String>,
    }
}

/// The value of a verdict in `replytrack.enums.Verdict`.
fn verdict_value(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::SoftFail => "soft_fail",
        Verdict::Neutral => "neutral",
        Verdict::None => "none",
        Verdict::TempError => "temp_error",
        Verdict::PermError => "perm_error",
        Verdict::Unknown => "unknown",
    }
}

fn verdict(py: Python<'_>, v: Option<Verdict>) -> PyResult<Option<Py<PyAny>>> {
    v.map(|v| VERDICT.owned(py, verdict_value(v))).transpose()
}

/// Convert transport information.
pub(crate) fn transport(py: Python<'_>, t: &rs::TransportInfo) -> PyResult<TransportInfo> {
    let envelope = t
        .envelope
        .as_ref()
        .map(|e| {
            Py::new(
                py,
                Envelope {
                    mail_from: e.mail_from.clone(),
                    rcpt_to: e.rcpt_to.clone(),
                },
            )
        })
        .transpose()?;
    Ok(TransportInfo {
        provider: PROVIDER.owned(py, &t.provider)?,
        provider_message_id: t.provider_message_id.clone(),
        envelope,
        spf: verdict(py, t.spf)?,
        dkim: verdict(py, t.dkim)?,
        dmarc: verdict(py, t.dmarc)?,
        spam: verdict(py, t.spam)?,
        virus: verdict(py, t.virus)?,
        spam_score: t.spam_score,
        sender_ip: t.sender_ip.clone(),
        mailbox_hash: t.mailbox_hash.clone(),
    })
}

/// Register this area's classes.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Mailbox>()?;
    m.add_class::<Attachment>()?;
    m.add_class::<Envelope>()?;
    m.add_class::<TransportInfo>()?;
    Ok(())
}

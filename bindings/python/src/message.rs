//! `InboundMessage` (a lazy view over the parsed Rust message) and `classify`.

use chrono::{DateTime, Utc};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use replytrack::message::{self as rs, ClassifyOptions, MessageKind};

use crate::enums::MESSAGE_KIND;
use crate::record::{ToPlain, record};
use crate::transport::{self, Attachment, Mailbox, TransportInfo};

/// A normalised inbound email, whichever provider delivered it.
///
/// Every field may be empty: mail from the network may lack any header. Properties are built
/// on access from the parsed message, so parsing stays cheap when only a few are read.
#[derive(Debug)]
#[pyclass(frozen, module = "replytrack", name = "InboundMessage")]
pub struct PyInboundMessage {
    pub(crate) inner: rs::InboundMessage,
}

impl PyInboundMessage {
    /// Wrap a parsed message.
    pub(crate) fn new(inner: rs::InboundMessage) -> Self {
        Self { inner }
    }

    fn mailboxes(&self, py: Python<'_>, list: &[rs::Mailbox]) -> PyResult<Vec<Py<Mailbox>>> {
        list.iter().map(|m| transport::py_mailbox(py, m)).collect()
    }
}

#[pymethods]
impl PyInboundMessage {
    /// `Message-ID` without angle brackets.
    #[getter]
    fn message_id(&self) -> Option<&str> {
        self.inner.message_id.as_deref()
    }

    /// `In-Reply-To` ids without angle brackets.
    #[getter]
    fn in_reply_to(&self) -> Vec<String> {
        self.inner.in_reply_to.clone()
    }

    /// `References` ids without angle brackets.
    #[getter]
    fn references(&self) -> Vec<String> {
        self.inner.references.clone()
    }

    /// `From` (named `from_` because `from` is a Python keyword; `to_dict()` says `from`).
    #[getter]
    fn from_(&self, py: Python<'_>) -> PyResult<Option<Py<Mailbox>>> {
        self.inner
            .from
            .as_ref()
            .map(|m| transport::py_mailbox(py, m))
            .transpose()
    }

    /// `Sender`.
    #[getter]
    fn sender(&self, py: Python<'_>) -> PyResult<Option<Py<Mailbox>>> {
        self.inner
            .sender
            .as_ref()
            .map(|m| transport::py_mailbox(py, m))
            .transpose()
    }

    /// `Reply-To`.
    #[getter]
    fn reply_to(&self, py: Python<'_>) -> PyResult<Vec<Py<Mailbox>>> {
        self.mailboxes(py, &self.inner.reply_to)
    }

    /// `To`.
    #[getter]
    fn to(&self, py: Python<'_>) -> PyResult<Vec<Py<Mailbox>>> {
        self.mailboxes(py, &self.inner.to)
    }

    /// `Cc`.
    #[getter]
    fn cc(&self, py: Python<'_>) -> PyResult<Vec<Py<Mailbox>>> {
        self.mailboxes(py, &self.inner.cc)
    }

    /// `Delivered-To` addresses, one per header.
    #[getter]
    fn delivered_to(&self) -> Vec<String> {
        self.inner.delivered_to.clone()
    }

    /// `X-Original-To` addresses.
    #[getter]
    fn x_original_to(&self) -> Vec<String> {
        self.inner.x_original_to.clone()
    }

    /// `X-Forwarded-To` addresses.
    #[getter]
    fn x_forwarded_to(&self) -> Vec<String> {
        self.inner.x_forwarded_to.clone()
    }

    /// `Envelope-To` addresses.
    #[getter]
    fn envelope_to(&self) -> Vec<String> {
        self.inner.envelope_to.clone()
    }

    /// `Return-Path` without angle brackets; `""` for the null path `<>`.
    #[getter]
    fn return_path(&self) -> Option<&str> {
        self.inner.return_path.as_deref()
    }

    /// `Date` as an aware UTC datetime.
    #[getter]
    fn date(&self) -> Option<DateTime<Utc>> {
        self.inner.date
    }

    /// `Subject`, RFC 2047 decoded.
    #[getter]
    fn subject(&self) -> Option<&str> {
        self.inner.subject.as_deref()
    }

    /// The text body: the text/plain part, or the HTML converted to text.
    #[getter]
    fn text_body(&self) -> Option<&str> {
        self.inner.text_body.as_deref()
    }

    /// Whether `text_body` was derived from HTML.
    #[getter]
    fn text_from_html(&self) -> bool {
        self.inner.text_from_html
    }

    /// The HTML body, if any.
    #[getter]
    fn html_body(&self) -> Option<&str> {
        self.inner.html_body.as_deref()
    }

    /// Attachments (metadata and SHA-256; the content is not kept).
    #[getter]
    fn attachments(&self) -> Vec<Attachment> {
        self.inner
            .attachments
            .iter()
            .map(transport::attachment)
            .collect()
    }

    /// Every header in order as `(name, value)`, values unfolded and decoded.
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .headers
            .iter()
            .map(|(n, v)| PyTuple::new(py, [n.as_str(), v.as_str()]))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The first value of a header, matched case-insensitively.
    fn header(&self, name: &str) -> Option<&str> {
        self.inner.header(name)
    }

    /// All values of a header, matched case-insensitively, in order.
    fn header_values(&self, name: &str) -> Vec<String> {
        self.inner.header_values(name).map(str::to_string).collect()
    }

    /// What the delivering provider told us (always set by `parse_email`).
    #[getter]
    fn transport(&self, py: Python<'_>) -> PyResult<Option<TransportInfo>> {
        self.inner
            .transport
            .as_ref()
            .map(|t| transport::transport(py, t))
            .transpose()
    }

    /// Messages attached whole or as headers only (the original a bounce carries, say).
    #[getter]
    fn attached_messages(&self) -> Vec<PyInboundMessage> {
        self.inner
            .attached_messages
            .iter()
            .map(|m| PyInboundMessage::new(m.clone()))
            .collect()
    }

    /// The text of each `message/delivery-status` part.
    #[getter]
    fn delivery_status(&self) -> Vec<String> {
        self.inner.delivery_status.clone()
    }

    /// Content-Type of the top-level part, lowercase with parameters.
    #[getter]
    fn content_type(&self) -> Option<&str> {
        self.inner.content_type.as_deref()
    }

    /// Lowercase hex SHA-256 of the raw bytes, when the message came from raw MIME.
    #[getter]
    fn raw_sha256(&self) -> Option<&str> {
        self.inner.raw_sha256.as_deref()
    }

    /// Notes about lossy decoding.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    /// Every field as plain data (`from` under its real name; datetimes stay `datetime`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let m = &self.inner;
        d.set_item("message_id", &m.message_id)?;
        d.set_item("in_reply_to", &m.in_reply_to)?;
        d.set_item("references", &m.references)?;
        d.set_item(
            "from",
            m.from.as_ref().map(transport::mailbox).to_plain(py)?,
        )?;
        d.set_item(
            "sender",
            m.sender.as_ref().map(transport::mailbox).to_plain(py)?,
        )?;
        for (key, list) in [("reply_to", &m.reply_to), ("to", &m.to), ("cc", &m.cc)] {
            let list: Vec<Mailbox> = list.iter().map(transport::mailbox).collect();
            d.set_item(key, list.to_plain(py)?)?;
        }
        d.set_item("delivered_to", &m.delivered_to)?;
        d.set_item("x_original_to", &m.x_original_to)?;
        d.set_item("x_forwarded_to", &m.x_forwarded_to)?;
        d.set_item("envelope_to", &m.envelope_to)?;
        d.set_item("return_path", &m.return_path)?;
        d.set_item("date", m.date)?;
        d.set_item("subject", &m.subject)?;
        d.set_item("text_body", &m.text_body)?;
        d.set_item("text_from_html", m.text_from_html)?;
        d.set_item("html_body", &m.html_body)?;
        let attachments: Vec<Attachment> =
            m.attachments.iter().map(transport::attachment).collect();
        d.set_item("attachments", attachments.to_plain(py)?)?;
        d.set_item("headers", self.headers(py)?)?;
        d.set_item("transport", self.transport(py)?.to_plain(py)?)?;
        let attached = m
            .attached_messages
            .iter()
            .map(|a| PyInboundMessage::new(a.clone()).to_dict(py))
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("attached_messages", attached)?;
        d.set_item("delivery_status", &m.delivery_status)?;
        d.set_item("content_type", &m.content_type)?;
        d.set_item("raw_sha256", &m.raw_sha256)?;
        d.set_item("warnings", &m.warnings)?;
        Ok(d)
    }

    /// The message as JSON (the Rust library's serde form; datetimes as RFC 3339 strings).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let m = &self.inner;
        let from = m.from.as_ref().map(|f| f.address.as_str());
        Ok(format!(
            "InboundMessage(from_={}, subject={}, message_id={})",
            from.into_bound_py_any(py)?.repr()?,
            m.subject.as_deref().into_bound_py_any(py)?.repr()?,
            m.message_id.as_deref().into_bound_py_any(py)?.repr()?,
        ))
    }

    fn __eq__(&self, other: PyRef<'_, Self>) -> bool {
        self.inner == other.inner
    }
}

record! {
    /// One piece of evidence behind a classification.
    pub struct Evidence as "Evidence" {
        /// A stable rule name (`auto_submitted_header`, `dsn_report`, `ooo_subject`, …).
        rule: String,
        /// What was seen (the header and its value, the subject, …).
        detail: String,
    }
}

record! {
    /// What a bounce tells us.
    pub struct BounceReport as "BounceReport" {
        /// Permanent failure (5.x.x) rather than temporary (4.x.x).
        hard: bool,
        /// The recipients that failed.
        failed_recipients: Vec<String>,
        /// The enhanced status code (`5.1.1`), if found.
        status: Option<String>,
        /// The per-recipient `Action` (`failed`, `delayed`), if found.
        action: Option<String>,
        /// The diagnostic text, if any.
        diagnostic: Option<String>,
        /// The `Message-ID` of the attached original, if one is attached.
        original_message_id: Option<String>,
    }
}

record! {
    /// What kind of message this is, and why.
    pub struct Classification as "Classification" {
        /// `MessageKind`: reply, auto_reply, bounce or own_loop.
        kind: Py<PyAny>,
        /// The evidence for `kind`, then the mailing-list evidence.
        evidence: Vec<Py<Evidence>>,
        /// Mailing-list mail (`List-Id`, `Precedence: list`).
        mailing_list: bool,
        /// Bounce details when `kind` is bounce.
        bounce: Option<Py<BounceReport>>,
    }
}

fn kind_value(k: MessageKind) -> &'static str {
    match k {
        MessageKind::Reply => "reply",
        MessageKind::AutoReply => "auto_reply",
        MessageKind::Bounce => "bounce",
        MessageKind::OwnLoop => "own_loop",
    }
}

/// Classify a message: a person's reply, an auto reply, a bounce, or our own mail echoed back.
///
/// `own_domains` and `own_addresses` say which senders are us (for the own-loop rule).
#[pyfunction]
#[pyo3(signature = (message, own_domains=None, own_addresses=None))]
pub fn classify(
    py: Python<'_>,
    message: PyRef<'_, PyInboundMessage>,
    own_domains: Option<Vec<String>>,
    own_addresses: Option<Vec<String>>,
) -> PyResult<Classification> {
    let opts = ClassifyOptions {
        own_domains: own_domains.unwrap_or_default(),
        own_addresses: own_addresses.unwrap_or_default(),
    };
    let c = rs::classify(&message.inner, &opts);
    let evidence = c
        .evidence
        .iter()
        .map(|e| {
            Py::new(
                py,
                Evidence {
                    rule: e.rule.clone(),
                    detail: e.detail.clone(),
                },
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    let bounce = c
        .bounce
        .map(|b| {
            Py::new(
                py,
                BounceReport {
                    hard: b.hard,
                    failed_recipients: b.failed_recipients,
                    status: b.status,
                    action: b.action,
                    diagnostic: b.diagnostic,
                    original_message_id: b.original_message_id,
                },
            )
        })
        .transpose()?;
    Ok(Classification {
        kind: MESSAGE_KIND.owned(py, kind_value(c.kind))?,
        evidence,
        mailing_list: c.mailing_list,
        bounce,
    })
}

/// Register this area's classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyInboundMessage>()?;
    m.add_class::<Evidence>()?;
    m.add_class::<BounceReport>()?;
    m.add_class::<Classification>()?;
    m.add_function(wrap_pyfunction!(classify, m)?)?;
    Ok(())
}

//! Reply extraction (`extract_reply`, `strip_text`, `strip_html`) and `html_to_text`.
//!
//! Each call detaches from the interpreter while the Rust code runs.

use pyo3::prelude::*;

use replytrack::html::{self, QuoteContainer};
use replytrack::reply::{self as rs, CutKind};

use crate::enums::{CUT_KIND, QUOTE_CONTAINER};
use crate::message::PyInboundMessage;
use crate::record::record;

record! {
    /// The new text of a reply, without quoted history or signature.
    pub struct Reply as "Reply" {
        /// What the person wrote: trimmed, LF line ends; the sign-off and name stay.
        text: String,
        /// The quoted history that was cut, if any.
        quoted: Option<String>,
        /// The signature block that was cut, if any.
        signature: Option<String>,
        /// ISO 639-1 language of `text`, when detectable.
        lang: Option<String>,
        /// The message was only a quote: `text` is empty on purpose.
        only_quote: bool,
        /// `CutKind`: what decided the cut (attribution, outlook_header, forward,
        /// html_container, inline, bottom_post), if anything was cut.
        cut_by: Option<Py<PyAny>>,
        /// `QuoteContainer`: the mail client's HTML quote container, when `cut_by` is
        /// html_container.
        quote_container: Option<Py<PyAny>>,
    }
    methods {
        /// The extracted text.
        fn __str__(&self) -> String {
            self.text.clone()
        }
    }
}

fn container_value(c: QuoteContainer) -> &'static str {
    match c {
        QuoteContainer::Gmail => "gmail",
        QuoteContainer::BlockquoteCite => "blockquote_cite",
        QuoteContainer::Thunderbird => "thunderbird",
        QuoteContainer::OutlookReply => "outlook_reply",
        QuoteContainer::OutlookAppendOnSend => "outlook_append_on_send",
        QuoteContainer::OutlookBorderTop => "outlook_border_top",
        QuoteContainer::Yahoo => "yahoo",
        QuoteContainer::Other => "other",
    }
}

fn cut_value(c: CutKind) -> &'static str {
    match c {
        CutKind::Attribution => "attribution",
        CutKind::OutlookHeader => "outlook_header",
        CutKind::Forward => "forward",
        CutKind::HtmlContainer(_) => "html_container",
        CutKind::Inline => "inline",
        CutKind::BottomPost => "bottom_post",
    }
}

fn reply(py: Python<'_>, r: rs::Reply) -> PyResult<Reply> {
    let cut_by = r
        .cut_by
        .map(|c| CUT_KIND.owned(py, cut_value(c)))
        .transpose()?;
    let quote_container = match r.cut_by {
        Some(CutKind::HtmlContainer(c)) => Some(QUOTE_CONTAINER.owned(py, container_value(c))?),
        _ => None,
    };
    Ok(Reply {
        text: r.text,
        quoted: r.quoted,
        signature: r.signature,
        lang: r.lang,
        only_quote: r.only_quote,
        cut_by,
        quote_container,
    })
}

/// Extract the reply from a parsed message, using its HTML part when that shows the quote
/// better. Never fails; runs without holding the GIL.
#[pyfunction]
pub fn extract_reply(py: Python<'_>, message: PyRef<'_, PyInboundMessage>) -> PyResult<Reply> {
    let msg = &message.inner;
    let r = py.detach(|| rs::extract(msg));
    reply(py, r)
}

/// Extract the reply from a plain-text body (quoted history and signature cut).
#[pyfunction]
pub fn strip_text(py: Python<'_>, text: &str) -> PyResult<Reply> {
    let r = py.detach(|| rs::extract_text(text));
    reply(py, r)
}

/// Extract the reply from an HTML body (known clients' quote containers cut).
#[pyfunction]
pub fn strip_html(py: Python<'_>, html: &str) -> PyResult<Reply> {
    let r = py.detach(|| rs::extract_html(html));
    reply(py, r)
}

/// Render HTML as the plain text a mail client shows: blocks and `<br>` start lines,
/// blockquotes become `> ` lines, entities are decoded.
#[pyfunction]
pub fn html_to_text(py: Python<'_>, html: &str) -> String {
    py.detach(|| html::html_to_text(html))
}

/// Register this area's classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Reply>()?;
    m.add_function(wrap_pyfunction!(extract_reply, m)?)?;
    m.add_function(wrap_pyfunction!(strip_text, m)?)?;
    m.add_function(wrap_pyfunction!(strip_html, m)?)?;
    m.add_function(wrap_pyfunction!(html_to_text, m)?)?;
    Ok(())
}

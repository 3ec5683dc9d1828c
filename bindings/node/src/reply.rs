//! Reply extraction and HTML to text.

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;
use replytrack::html::{self, QuoteContainer as CoreContainer};
use replytrack::message::InboundMessage as CoreMessage;
use replytrack::reply::{self as core, CutKind as CoreCut};

/// What decided where the person's text ends.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutKind {
    /// An attribution line ("On …, Marie wrote:", "Le … a écrit :") with the quote below it.
    #[napi(value = "attribution")]
    Attribution,
    /// An Outlook header block or an "Original Message" separator.
    #[napi(value = "outlook_header")]
    OutlookHeader,
    /// A forwarded-message separator.
    #[napi(value = "forward")]
    Forward,
    /// A known client's HTML quote container (see `quoteContainer`).
    #[napi(value = "html_container")]
    HtmlContainer,
    /// Answers interleaved with the quote: the quoted context lines were kept.
    #[napi(value = "inline")]
    Inline,
    /// The answer stands below the quote.
    #[napi(value = "bottom_post")]
    BottomPost,
}

/// A mail client's container for quoted history, recognised in HTML.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteContainer {
    /// Gmail `gmail_quote`.
    #[napi(value = "gmail")]
    Gmail,
    /// Apple Mail (and Thunderbird's quote body): `<blockquote type="cite">`.
    #[napi(value = "blockquote_cite")]
    BlockquoteCite,
    /// Thunderbird `moz-cite-prefix` / `moz-forward-container`.
    #[napi(value = "thunderbird")]
    Thunderbird,
    /// Outlook `divRplyFwdMsg` and its relatives.
    #[napi(value = "outlook_reply")]
    OutlookReply,
    /// Outlook on the web: `appendonsend`.
    #[napi(value = "outlook_append_on_send")]
    OutlookAppendOnSend,
    /// Outlook desktop: a `border-top` div holding the header block.
    #[napi(value = "outlook_border_top")]
    OutlookBorderTop,
    /// Yahoo Mail `yahoo_quoted`.
    #[napi(value = "yahoo")]
    Yahoo,
    /// Another client's quote class (`protonmail_quote`, …).
    #[napi(value = "other")]
    Other,
}

impl From<CoreContainer> for QuoteContainer {
    fn from(c: CoreContainer) -> Self {
        match c {
            CoreContainer::Gmail => Self::Gmail,
            CoreContainer::BlockquoteCite => Self::BlockquoteCite,
            CoreContainer::Thunderbird => Self::Thunderbird,
            CoreContainer::OutlookReply => Self::OutlookReply,
            CoreContainer::OutlookAppendOnSend => Self::OutlookAppendOnSend,
            CoreContainer::OutlookBorderTop => Self::OutlookBorderTop,
            CoreContainer::Yahoo => Self::Yahoo,
            CoreContainer::Other => Self::Other,
        }
    }
}

/// The extracted reply.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// What the person wrote: no quoted history, no signature block (the sign-off and name stay).
    /// Trimmed, with `\n` line ends. Inline answers keep their quoted context lines (`> `).
    pub text: String,
    /// The quoted history that was cut, if any.
    pub quoted: Option<String>,
    /// The signature block that was cut, if any.
    pub signature: Option<String>,
    /// ISO 639-1 language of `text` (`fr`, `es`, `pt`…), when detectable.
    pub lang: Option<String>,
    /// The message was only a quote: `text` is empty on purpose.
    pub only_quote: bool,
    /// What decided the cut, if anything was cut.
    pub cut_by: Option<CutKind>,
    /// The HTML quote container, when `cutBy` is `html_container`.
    pub quote_container: Option<QuoteContainer>,
}

impl From<core::Reply> for Reply {
    fn from(r: core::Reply) -> Self {
        let (cut_by, quote_container) = match r.cut_by {
            None => (None, None),
            Some(CoreCut::Attribution) => (Some(CutKind::Attribution), None),
            Some(CoreCut::OutlookHeader) => (Some(CutKind::OutlookHeader), None),
            Some(CoreCut::Forward) => (Some(CutKind::Forward), None),
            Some(CoreCut::HtmlContainer(c)) => (Some(CutKind::HtmlContainer), Some(c.into())),
            Some(CoreCut::Inline) => (Some(CutKind::Inline), None),
            Some(CoreCut::BottomPost) => (Some(CutKind::BottomPost), None),
        };
        Self {
            text: r.text,
            quoted: r.quoted,
            signature: r.signature,
            lang: r.lang,
            only_quote: r.only_quote,
            cut_by,
            quote_container,
        }
    }
}

/// The parts of a message reply extraction reads. An `InboundMessage` from `parseEmail` is one.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct ReplySource {
    /// The text body.
    pub text_body: Option<String>,
    /// Whether `textBody` was derived from the HTML.
    pub text_from_html: Option<bool>,
    /// The HTML body.
    pub html_body: Option<String>,
}

impl ReplySource {
    fn into_core(self) -> CoreMessage {
        CoreMessage {
            text_body: self.text_body,
            text_from_html: self.text_from_html.unwrap_or(false),
            html_body: self.html_body,
            ..CoreMessage::default()
        }
    }
}

/// Extract the new text of a reply from a message (its text part, or its HTML part when that
/// shows the quote better): quoted history, attributions in many languages, Outlook header
/// blocks, forwards and signatures are cut. Never throws.
#[napi]
pub fn extract_reply(message: ReplySource) -> Reply {
    core::extract(&message.into_core()).into()
}

/// Extract the reply from a plain-text body.
#[napi]
pub fn strip_text(text: String) -> Reply {
    core::extract_text(&text).into()
}

/// Extract the reply from an HTML body.
#[napi]
pub fn strip_html(html: String) -> Reply {
    core::extract_html(&html).into()
}

/// Convert HTML to text as a mail client shows it: blocks and `<br>` start lines, blockquotes
/// become `> ` lines, entities are decoded, `<head>`, `<style>` and `<script>` are dropped.
#[napi]
pub fn html_to_text(html: String) -> String {
    html::html_to_text(&html)
}

/// The work of `extractReplyAsync`.
#[derive(Debug)]
pub struct ExtractTask {
    message: Option<CoreMessage>,
}

impl Task for ExtractTask {
    type Output = Reply;
    type JsValue = Reply;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let message = self.message.take().unwrap_or_default();
        Ok(core::extract(&message).into())
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// `extractReply` on the libuv thread pool.
#[napi(ts_return_type = "Promise<Reply>")]
pub fn extract_reply_async(message: ReplySource) -> AsyncTask<ExtractTask> {
    AsyncTask::new(ExtractTask {
        message: Some(message.into_core()),
    })
}

/// The work of `htmlToTextAsync`.
#[derive(Debug)]
pub struct HtmlTask {
    html: String,
}

impl Task for HtmlTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(html::html_to_text(&self.html))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// `htmlToText` on the libuv thread pool.
#[napi(ts_return_type = "Promise<string>")]
pub fn html_to_text_async(html: String) -> AsyncTask<HtmlTask> {
    AsyncTask::new(HtmlTask { html })
}

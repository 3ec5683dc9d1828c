//! Reply extraction: the new text of a reply, without quoted history or signature.
//!
//! [`extract_text`] works on a plain-text body, [`extract_html`] on an HTML body, and
//! [`extract`] on an [`InboundMessage`], choosing between its parts. The quoted history is cut
//! at the first of:
//!
//! - an HTML quote container of a known client (Gmail `gmail_quote`, Apple Mail
//!   `blockquote type="cite"`, Thunderbird `moz-cite-prefix`, Outlook `divRplyFwdMsg`,
//!   `appendonsend` and border-top header separators, Yahoo `yahoo_quoted`, …);
//! - an attribution line ("On …, Marie <m@x.fr> wrote:", "Le … a écrit :", "Am … schrieb …:",
//!   "Em … escreveu:", "Op … schreef …:", "… napisał(a):", "… skrev …:", "… написал(а):", Gmail's
//!   verb-less Russian and Japanese forms …), also wrapped over two or three lines;
//! - an Outlook header block ("From:/Sent:/To:/Subject:", "De :/Envoyé :/À :/Objet :",
//!   "Von:/Gesendet:/An:/Betreff:", …), with or without an "Original Message" line or a rule;
//! - a forwarded-message separator ("---------- Forwarded message ---------", "Begin forwarded
//!   message:", "Message transféré", "Weitergeleitete Nachricht", …).
//!
//! After an attribution, answers interleaved with the quote are kept with the quoted lines that
//! give them context; a bottom-posted answer is kept alone; a message that is only a quote gives
//! an empty text and [`Reply::only_quote`]. A `>` line with no attribution before it is the
//! person's own text. The signature block (after `-- `, mobile footers, disclaimers, and the
//! title/company/phone lines under the sign-off and name) moves to [`Reply::signature`]; the
//! sign-off and the name stay in the text.
//!
//! Extraction never fails and runs in time linear in the input.
//!
//! ```
//! use replytrack::reply::extract_text;
//!
//! let reply = extract_text(
//!     "Yes, Tuesday works.\n\nCordialement,\nMarie Dupont\nResponsable achats\n+33 1 23 45 67 89\n\n\
//!      Le lun. 3 mars 2025 à 10:12, Paul <paul@example.com> a écrit :\n> Does Tuesday work?\n",
//! );
//! assert_eq!(reply.text, "Yes, Tuesday works.\n\nCordialement,\nMarie Dupont");
//! assert_eq!(reply.signature.as_deref(), Some("Responsable achats\n+33 1 23 45 67 89"));
//! assert!(reply.quoted.is_some_and(|q| q.ends_with("> Does Tuesday work?")));
//! ```

mod attribution;
mod cut;
mod forward;
mod lang;
mod lines;
mod outlook;
mod signature;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use crate::message::flowed::unflow;

use crate::html::{self, QuoteContainer};
use crate::message::InboundMessage;
use lines::Line;

/// What decided where the person's text ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CutKind {
    /// An attribution line ("On …, Marie wrote:") with the quote below it.
    Attribution,
    /// An Outlook header block or an "Original Message" separator.
    OutlookHeader,
    /// A forwarded-message separator.
    Forward,
    /// A known client's HTML quote container.
    HtmlContainer(QuoteContainer),
    /// Answers interleaved with the quote: the quoted context lines were kept.
    Inline,
    /// The answer stands below the quote.
    BottomPost,
}

/// The extracted reply.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reply {
    /// What the person wrote: no quoted history, no signature block (the sign-off and name stay).
    /// Trimmed, with LF line ends. Inline answers keep their quoted context lines (`> `).
    pub text: String,
    /// The quoted history that was cut, if any.
    pub quoted: Option<String>,
    /// The signature block that was cut, if any.
    pub signature: Option<String>,
    /// ISO 639-1 language of `text`, when detectable.
    pub lang: Option<String>,
    /// The message was only a quote: `text` is empty on purpose.
    pub only_quote: bool,
    /// What decided the cut, if anything was cut.
    pub cut_by: Option<CutKind>,
}

/// Extract the reply from a message, using its HTML part when that is richer.
///
/// The text part is used when it exists and shows where the quote starts (it is what the
/// sender's client wrote as text). When it shows no quote but the HTML part has a known client's
/// quote container, the HTML part decides. When the text was derived from the HTML
/// (`text_from_html`), or there is no text part, the HTML part is used directly.
pub fn extract(msg: &InboundMessage) -> Reply {
    let text = msg
        .text_body
        .as_deref()
        .filter(|t| !t.trim().is_empty() && !msg.text_from_html);
    let Some(text) = text else {
        return match msg.html_body.as_deref() {
            Some(html) => extract_html(html),
            None => extract_text(msg.text_body.as_deref().unwrap_or_default()),
        };
    };
    let from_text = extract_text(text);
    if from_text.cut_by.is_some() {
        return from_text;
    }
    let Some(html) = msg.html_body.as_deref() else {
        return from_text;
    };
    let html_lines = html::html_to_lines(html);
    if !html_lines.iter().any(|l| l.container.is_some()) {
        return from_text;
    }
    let from_html = extract_lines(&lines::from_html(&html_lines));
    if from_html.cut_by.is_some() {
        from_html
    } else {
        from_text
    }
}

/// Extract the reply from a plain-text body.
pub fn extract_text(text: &str) -> Reply {
    let text = lines::normalize_newlines(text);
    extract_lines(&lines::from_text(&text))
}

/// Extract the reply from an HTML body.
pub fn extract_html(html: &str) -> Reply {
    let html_lines = html::html_to_lines(html);
    extract_lines(&lines::from_html(&html_lines))
}

/// The non-empty text of `lines`, if any.
fn joined<'a, 'b: 'a>(lines: impl IntoIterator<Item = &'a Line<'b>>) -> Option<String> {
    Some(lines::join(lines)).filter(|s| !s.is_empty())
}

/// Extract the reply from lines.
fn extract_lines(all: &[Line<'_>]) -> Reply {
    let split = cut::split(all);
    let text_lines: Vec<&Line<'_>> = split.text.iter().filter_map(|&i| all.get(i)).collect();
    let quoted = joined(split.quoted.iter().filter_map(|&i| all.get(i)));
    // The signature is looked for after the last quoted line kept in the text.
    let region = text_lines
        .iter()
        .rposition(|l| l.is_quoted())
        .map_or(0, |i| i + 1);
    let own: Vec<&str> = text_lines
        .get(region..)
        .unwrap_or_default()
        .iter()
        .map(|l| l.content)
        .collect();
    let only_footers = !own.iter().all(|l| l.is_empty())
        && own
            .iter()
            .all(|l| l.is_empty() || signature::is_footer_line(l));
    let sig_start = if only_footers && region == 0 {
        Some(0)
    } else {
        signature::find_start(&own).map(|k| region + k)
    };
    let (body, sig) = match sig_start {
        Some(k) => (
            text_lines.get(..k).unwrap_or_default(),
            text_lines.get(k..).unwrap_or_default(),
        ),
        None => (text_lines.as_slice(), &[][..]),
    };
    let text = lines::join(body.iter().copied());
    // The person's own signature below the quote follows any found in the text.
    let below_quote = split.signature.iter().filter_map(|&i| all.get(i));
    let signature = joined(sig.iter().copied().chain(below_quote));
    let only_quote = text.is_empty() && quoted.is_some();
    let lang = lang::detect(&text);
    Reply {
        text,
        quoted,
        signature,
        lang,
        only_quote,
        cut_by: split.cut_by,
    }
}

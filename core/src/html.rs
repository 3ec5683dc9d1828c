//! HTML → plain text as a reader sees it.
//!
//! [`html_to_text`] renders an HTML body the way a mail client shows it, as plain text: each block
//! element and `<br>` starts a line, an empty block is a blank line, whitespace collapses as in a
//! browser, character references are decoded (`&nbsp;` becomes a space), `<blockquote>` lines are
//! prefixed with `> ` (nested: `> > `), links keep their target (`text <url>` when the text is not
//! the URL itself), and `<head>`, `<style>`, `<script>` and hidden elements are dropped. Lines are
//! never wrapped.
//!
//! [`html_to_lines`] gives the same text as structured lines: each with its quote depth and, where
//! a known mail client's quote container begins (Gmail `gmail_quote`, Apple Mail
//! `blockquote type="cite"`, Thunderbird `moz-cite-prefix`, Outlook `divRplyFwdMsg`,
//! `appendonsend` and border-top header separators, Yahoo `yahoo_quoted`, …), which one. Reply
//! extraction uses it to cut quoted history.
//!
//! The converter is a single pass over the input with a hand-written tokenizer: linear time, no
//! recursion, bounded nesting, and no panics on any input.
//!
//! ```
//! let text = replytrack::html::html_to_text(
//!     "<div>Hello&nbsp;<b>Marie</b>,</div><div><br></div><blockquote>Old <i>text</i></blockquote>",
//! );
//! assert_eq!(text, "Hello Marie,\n\n> Old text");
//! ```

mod entities;
mod render;
mod tokenizer;

use serde::{Deserialize, Serialize};

/// Quote depth beyond which `> ` prefixes are no longer repeated when rendering (the depth itself
/// is still counted up to the element nesting limit).
pub const MAX_RENDERED_QUOTE_DEPTH: usize = 64;

/// Open elements tracked at once; deeper nesting is read as flat (its text is kept).
pub const MAX_NESTING: usize = 4096;

/// A mail client's container for quoted history, recognised in the HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteContainer {
    /// Gmail: an element with class `gmail_quote` (or `gmail_quote_container`).
    Gmail,
    /// Apple Mail (and Thunderbird's quote body): `<blockquote type="cite">`.
    BlockquoteCite,
    /// Thunderbird: `<div class="moz-cite-prefix">` (the attribution) or
    /// `moz-forward-container`.
    Thunderbird,
    /// Outlook: `<div id="divRplyFwdMsg">` (also `x_divRplyFwdMsg`, `OLK_SRC_BODY_SECTION`,
    /// `mail-editor-reference-message-container`).
    OutlookReply,
    /// Outlook on the web: the empty `<div id="appendonsend">` placed before the quoted message.
    OutlookAppendOnSend,
    /// Outlook desktop: a `<div>` with a solid `border-top` that holds the `From:` header block.
    /// Only a quote when a header block follows.
    OutlookBorderTop,
    /// Yahoo Mail: an element with class `yahoo_quoted`.
    Yahoo,
    /// Another client's quote class (`protonmail_quote`, `tutanota_quote`, `zmail_extra`, …), or
    /// a `<blockquote>` drawn with a left quote bar (`style="border-left:…"`), as webmails such
    /// as Orange, Mail.ru or Gmail (without its classes) write quoted history.
    Other,
}

/// One rendered line of HTML text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HtmlLine {
    /// The text of the line, without quote prefixes and without trailing whitespace.
    pub text: String,
    /// How many `<blockquote>` elements enclose the line.
    pub depth: usize,
    /// The quote container that begins at this line, if any.
    pub container: Option<QuoteContainer>,
}

/// Convert HTML to text: block elements and `<br>` start lines, blockquotes become `> ` lines,
/// entities are decoded, whitespace collapses as a browser shows it.
///
/// Leading and trailing blank lines are removed and runs of blank lines collapse to one.
pub fn html_to_text(html: &str) -> String {
    let mut text = render_lines(&html_to_lines(html));
    text.truncate(text.trim_end().len());
    text
}

/// Convert HTML to structured lines: text, quote depth and quote containers.
///
/// Leading and trailing blank lines are removed and runs of blank lines (at one depth) collapse
/// to one; a container found on a dropped blank line moves to the next line.
pub fn html_to_lines(html: &str) -> Vec<HtmlLine> {
    render::Renderer::run(html)
}

/// Render structured lines as text, with `> ` prefixes for the quote depth.
pub fn render_lines(lines: &[HtmlLine]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        push_prefixed(&mut out, line.depth, &line.text);
    }
    out
}

/// Append `text` to `out` behind `depth` quote markers (`> > text`; `> >` for an empty line).
pub(crate) fn push_prefixed(out: &mut String, depth: usize, text: &str) {
    let depth = depth.min(MAX_RENDERED_QUOTE_DEPTH);
    for d in 0..depth {
        out.push('>');
        if d + 1 < depth || !text.is_empty() {
            out.push(' ');
        }
    }
    out.push_str(text);
}

#[cfg(test)]
mod tests;

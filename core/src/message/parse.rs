//! Raw MIME → [`InboundMessage`].
//!
//! mail-parser 0.11 is used for what it does well on bounded input (dates, legacy charsets); the
//! splitting of the message and the reading of header values are done here, because they must
//! enforce [`Limits`] and stay linear on hostile input, and mail-parser's header parsers do not
//! (a crafted 64 KiB header value with repeated `=?` takes it over 300 ms, and the time grows with
//! the square of the length).

use super::InboundMessage;
use super::body::{Walker, finish_bodies, sha256_hex};
use super::fields::fill_headers;
use super::limits::{Budget, Limits, ParseError};
use super::mime;

impl InboundMessage {
    /// Parse raw RFC 5322 bytes.
    ///
    /// Fills every field except [`InboundMessage::transport`]: headers in order (unfolded, RFC 2047
    /// decoded), addresses (groups flattened, display names decoded), ids without angle brackets,
    /// the date in UTC, the text and HTML bodies (charsets decoded, `\r\n` normalised to `\n`,
    /// `format=flowed` undone), attachments with their SHA-256, attached messages (parsed the same
    /// way, sharing the limits), delivery-status reports, and warnings for anything decoded by
    /// guesswork.
    ///
    /// The text body is the text/plain part (several inline ones are joined by a newline). When
    /// there is none, or it is only blank while an HTML part exists, it is the HTML converted by
    /// [`crate::html::html_to_text`] and [`InboundMessage::text_from_html`] is set.
    ///
    /// ```
    /// use replytrack::message::{InboundMessage, Limits};
    /// let raw = b"From: Marie <marie@example.fr>\r\nSubject: =?utf-8?q?Re=CC=81ponse?=\r\n\r\nOui !\r\n";
    /// let msg = InboundMessage::parse(raw, &Limits::default()).unwrap();
    /// assert_eq!(msg.from.unwrap().address, "marie@example.fr");
    /// assert_eq!(msg.text_body.as_deref(), Some("Oui !\n"));
    /// ```
    ///
    /// # Errors
    /// A [`ParseError`] naming the limit that was exceeded, or [`ParseError::NotAMessage`] when the
    /// bytes do not start with a header section. Malformed content never fails the parse: it is
    /// read leniently and noted in [`InboundMessage::warnings`].
    pub fn parse(raw: &[u8], limits: &Limits) -> Result<Self, ParseError> {
        if raw.len() > limits.max_bytes {
            return Err(ParseError::TooLarge {
                size: raw.len(),
                limit: limits.max_bytes,
            });
        }
        let mut budget = Budget::default();
        parse_message(raw, 0, 1, limits, &mut budget)
    }
}

/// Parse the message in `buf` (at `base_offset` of the raw input, nesting `depth`).
pub(crate) fn parse_message(
    buf: &[u8],
    base_offset: usize,
    depth: usize,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<InboundMessage, ParseError> {
    let tree = mime::build(buf, base_offset, depth, limits, budget)?;
    let mut msg = InboundMessage {
        raw_sha256: Some(sha256_hex(buf)),
        warnings: tree.notes.clone(),
        ..InboundMessage::default()
    };
    if let Some(root) = tree.entities.first() {
        fill_headers(&mut msg, &root.section.fields);
        msg.content_type = root.declared_type.then(|| root.ctype.render());
    }
    let (collected, warnings) = Walker::new(buf, base_offset, &tree, limits, budget).collect()?;
    msg.warnings.extend(warnings);
    msg.text_body = (!collected.text.is_empty()).then(|| collected.text.join("\n"));
    msg.html_body = (!collected.html.is_empty()).then(|| collected.html.join("\n"));
    msg.attachments = collected.attachments;
    finish_bodies(&mut msg);
    msg.attached_messages = collected.attached;
    msg.delivery_status = collected.delivery_status;
    Ok(msg)
}

//! Raw MIME → [`InboundMessage`].
//!
//! mail-parser 0.11 is used for what it does well on bounded input (dates, legacy charsets); the
//! splitting of the message and the reading of header values are done here, because they must
//! enforce [`Limits`] and stay linear on hostile input, and mail-parser's header parsers do not
//! (a crafted 64 KiB header value with repeated `=?` takes it over 300 ms, and the time grows with
//! the square of the length).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

use super::InboundMessage;
use super::body::{Walker, sha256_hex};
use super::header::Field;
use super::limits::{Budget, Limits, ParseError};
use super::mailbox::{parse_address_values, parse_ids, parse_mailboxes, parse_return_path};
use super::mime;

/// Longest `Date` value handed to the date parser; real ones are under 80 bytes.
const MAX_DATE_LEN: usize = 256;

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
    let text = (!collected.text.is_empty()).then(|| collected.text.join("\n"));
    let html = (!collected.html.is_empty()).then(|| collected.html.join("\n"));
    let text_is_blank = text.as_deref().is_none_or(|t| t.trim().is_empty());
    match (&html, text_is_blank) {
        (Some(html), true) => {
            msg.text_body = Some(crate::html::html_to_text(html));
            msg.text_from_html = true;
        }
        _ => msg.text_body = text,
    }
    msg.html_body = html;
    msg.attachments = collected.attachments;
    msg.attached_messages = collected.attached;
    msg.delivery_status = collected.delivery_status;
    Ok(msg)
}

/// Fill the header-derived fields from the message's header section.
fn fill_headers(msg: &mut InboundMessage, fields: &[Field]) {
    for field in fields {
        let decoded = field.text();
        if let Some(note) = decoded.note {
            msg.warnings.push(format!("header {}: {note}", field.name));
        }
        let name = field.name.to_ascii_lowercase();
        let unfolded = field.unfolded();
        match name.as_str() {
            "message-id" if msg.message_id.is_none() => {
                msg.message_id = parse_ids(&unfolded).into_iter().next();
            }
            "in-reply-to" => msg.in_reply_to.extend(parse_ids(&unfolded)),
            "references" => msg.references.extend(parse_ids(&unfolded)),
            "from" | "sender" | "reply-to" | "to" | "cc" => {
                let (mailboxes, notes) = parse_mailboxes(&unfolded);
                msg.warnings.extend(
                    notes
                        .into_iter()
                        .map(|n| format!("header {}: {n}", field.name)),
                );
                match name.as_str() {
                    "from" if msg.from.is_none() => msg.from = mailboxes.into_iter().next(),
                    "sender" if msg.sender.is_none() => msg.sender = mailboxes.into_iter().next(),
                    "reply-to" => msg.reply_to.extend(mailboxes),
                    "to" => msg.to.extend(mailboxes),
                    "cc" => msg.cc.extend(mailboxes),
                    _ => {}
                }
            }
            "delivered-to" => msg.delivered_to.extend(parse_address_values(&unfolded)),
            "x-original-to" => msg.x_original_to.extend(parse_address_values(&unfolded)),
            "x-forwarded-to" => msg.x_forwarded_to.extend(parse_address_values(&unfolded)),
            "envelope-to" => msg.envelope_to.extend(parse_address_values(&unfolded)),
            "return-path" if msg.return_path.is_none() => {
                msg.return_path = parse_return_path(&unfolded);
            }
            "date" if msg.date.is_none() => msg.date = parse_date(&unfolded),
            "subject" if msg.subject.is_none() => msg.subject = Some(decoded.text.clone()),
            _ => {}
        }
        msg.headers.push((field.name.clone(), decoded.text));
    }
}

/// Parse an RFC 5322 date (lenient, via mail-parser) into UTC. `None` when it is not a real date.
pub(crate) fn parse_date(value: &str) -> Option<DateTime<Utc>> {
    let bytes = value.as_bytes();
    let mut input = bytes
        .get(..bytes.len().min(MAX_DATE_LEN))
        .unwrap_or(bytes)
        .to_vec();
    input.push(b'\n');
    let parsed = mail_parser::parsers::MessageStream::new(&input).parse_date();
    let date = parsed.as_datetime()?;
    if !date.is_valid() {
        return None;
    }
    let offset_secs = i32::from(date.tz_hour) * 3600 + i32::from(date.tz_minute) * 60;
    let offset = if date.tz_before_gmt {
        FixedOffset::west_opt(offset_secs)?
    } else {
        FixedOffset::east_opt(offset_secs)?
    };
    let local = NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?
    .and_hms_opt(
        u32::from(date.hour),
        u32::from(date.minute),
        u32::from(date.second),
    )?;
    let zoned = offset.from_local_datetime(&local).single()?;
    Some(zoned.with_timezone(&Utc))
}

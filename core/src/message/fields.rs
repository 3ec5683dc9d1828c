//! The message fields a header section fills: ids, addresses, date, subject, content type, and
//! the decoded header list.
//!
//! [`fill_headers`] is the one mapping from header fields to [`InboundMessage`] fields: the MIME
//! parser uses it for a message's header section, and the provider adapters for the header block
//! or header list a webhook hands over.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

use super::InboundMessage;
use super::content_type::parse_content_type;
use super::header::Field;
use super::mailbox::{parse_address_values, parse_ids, parse_mailboxes, parse_return_path};

/// Longest `Date` value handed to the date parser; real ones are under 80 bytes.
const MAX_DATE_LEN: usize = 256;

/// A message with only the header-derived fields filled, from `fields`.
pub(crate) fn message_from_fields(fields: &[Field]) -> InboundMessage {
    let mut msg = InboundMessage::default();
    fill_headers(&mut msg, fields);
    msg
}

/// Fill the header-derived fields of `msg` from a header section, in order.
///
/// Every field goes to [`InboundMessage::headers`] (unfolded, RFC 2047 decoded). The first
/// readable `Message-ID`, `From`, `Sender`, `Return-Path`, `Date`, `Subject` and `Content-Type`
/// win; `In-Reply-To`, `References`, `Reply-To`, `To`, `Cc`, `Delivered-To`, `X-Original-To`,
/// `X-Forwarded-To` and `Envelope-To` collect every occurrence. Charset guesses in values and dates
/// that do not parse are noted in [`InboundMessage::warnings`].
pub(crate) fn fill_headers(msg: &mut InboundMessage, fields: &[Field]) {
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
            "date" if msg.date.is_none() => {
                msg.date = parse_date(&unfolded);
                if msg.date.is_none() {
                    msg.warnings.push(format!(
                        "header {}: `{}` is not an RFC 5322 date",
                        field.name,
                        unfolded.chars().take(80).collect::<String>()
                    ));
                }
            }
            "subject" if msg.subject.is_none() => msg.subject = Some(decoded.text.clone()),
            "content-type" if msg.content_type.is_none() => {
                // Parameter notes are the MIME walk's to report; only the type is kept here.
                msg.content_type =
                    parse_content_type(&unfolded, &mut Vec::new()).map(|t| t.render());
            }
            _ => {}
        }
        msg.headers.push((field.name.clone(), decoded.text));
    }
}

/// Parse a date into UTC: RFC 5322 (leniently, via mail-parser, comments such as `(CET)` and
/// obsolete zone names allowed), or RFC 3339 as some webhook payloads write it. `None` when it is
/// not a real date.
pub(crate) fn parse_date(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let value = value
        .get(..value.floor_char_boundary(MAX_DATE_LEN))
        .unwrap_or(value);
    if let Ok(date) = DateTime::parse_from_rfc3339(value) {
        return Some(date.with_timezone(&Utc));
    }
    rfc5322_date(value).or_else(|| {
        let without_comment = value.split('(').next().unwrap_or(value).trim();
        DateTime::parse_from_rfc2822(without_comment)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    })
}

/// An RFC 5322 date read by mail-parser's lenient date parser.
fn rfc5322_date(value: &str) -> Option<DateTime<Utc>> {
    let mut input = value.as_bytes().to_vec();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<Field> {
        pairs.iter().map(|(n, v)| Field::new(n, v)).collect()
    }

    #[test]
    fn an_unparseable_date_is_a_warning_not_an_error() {
        let msg = message_from_fields(&fields(&[("Date", "yesterday-ish")]));
        assert_eq!(msg.date, None);
        assert_eq!(msg.warnings.len(), 1);
        assert!(msg.warnings[0].contains("yesterday-ish"));
    }

    #[test]
    fn rfc_5322_dates_with_comments_and_rfc_3339_dates_are_read() {
        for (value, utc) in [
            (
                "Tue, 3 Mar 2026 10:00:00 +0100 (CET)",
                "2026-03-03T09:00:00+00:00",
            ),
            ("3 Mar 2026 10:00:00 GMT", "2026-03-03T10:00:00+00:00"),
            ("2026-03-03T10:00:00+01:00", "2026-03-03T09:00:00+00:00"),
        ] {
            let date = parse_date(value).map(|d| d.to_rfc3339());
            assert_eq!(date.as_deref(), Some(utc), "{value}");
        }
        assert_eq!(parse_date(&"9".repeat(10_000)), None);
    }

    #[test]
    fn every_in_reply_to_and_recipient_header_is_collected_and_the_first_readable_from_wins() {
        let msg = message_from_fields(&fields(&[
            ("In-Reply-To", "<a@x>"),
            ("in-reply-to", "<b@x>"),
            ("To", "a@x"),
            ("To", "\"B\" <b@x>"),
            ("From", "Marie Dupont"),
            ("From", "Marie <m@x.fr>"),
        ]));
        assert_eq!(msg.in_reply_to, ["a@x", "b@x"]);
        assert_eq!(msg.to.len(), 2);
        assert_eq!(msg.from.map(|m| m.address).as_deref(), Some("m@x.fr"));
    }

    #[test]
    fn content_type_is_normalised_and_folded_values_are_unfolded() {
        let msg = message_from_fields(&fields(&[
            (
                "Content-Type",
                "Multipart/Report;\r\n report-type=\"delivery-status\"",
            ),
            (
                "Subject",
                "=?utf-8?q?caf=C3=A9?=\r\n =?utf-8?q?_cr=C3=A8me?=",
            ),
        ]));
        assert_eq!(
            msg.content_type.as_deref(),
            Some("multipart/report; report-type=delivery-status")
        );
        assert_eq!(msg.subject.as_deref(), Some("café crème"));
    }
}

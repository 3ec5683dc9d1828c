//! Header blocks handed over by providers (SendGrid's `headers` field, Mailgun's
//! `message-headers`, Postmark's `Headers`), and the message fields they fill.

use chrono::{DateTime, Utc};

use crate::message::{Attachment, InboundMessage};

use super::addresses::{
    parse_address_list, parse_msg_ids, parse_plain_addresses, parse_return_path,
};
use super::error::{ProviderError, clip};
use super::rfc2047;

/// One header: its name as written and its value unfolded but not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawHeader {
    /// The name as written.
    pub name: String,
    /// The value, unfolded and trimmed, RFC 2047 words still encoded.
    pub value: String,
}

impl RawHeader {
    pub(crate) fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// Split a raw header block into headers. Folded lines are joined; lines that are not headers
/// (an mbox `From ` line, stray text) are skipped; the block ends at the first empty line.
///
/// # Errors
/// [`ProviderError::TooManyHeaders`] past `max_headers`.
pub(crate) fn parse_header_block(
    block: &str,
    field: &str,
    max_headers: usize,
) -> Result<Vec<RawHeader>, ProviderError> {
    let mut headers: Vec<RawHeader> = Vec::new();
    for line in block.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if headers.is_empty() {
                continue;
            }
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                if !last.value.is_empty() {
                    last.value.push(' ');
                }
                last.value.push_str(line.trim());
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim_end();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            continue;
        }
        if headers.len() >= max_headers {
            return Err(ProviderError::TooManyHeaders {
                field: clip(field, 128),
                limit: max_headers,
            });
        }
        headers.push(RawHeader::new(name, value.trim()));
    }
    Ok(headers)
}

/// Build a message from its headers: ids, addresses, dates, subject, and the decoded header list.
pub(crate) fn message_from_headers(
    headers: &[RawHeader],
    warnings: &mut Vec<String>,
) -> InboundMessage {
    let mut msg = InboundMessage {
        headers: headers
            .iter()
            .map(|h| (h.name.clone(), rfc2047::decode(&h.value).into_owned()))
            .collect(),
        ..InboundMessage::default()
    };
    let first = |name: &str| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    };
    let all = |name: &'static str| {
        headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    };
    msg.message_id = first("Message-ID").and_then(|v| parse_msg_ids(v).into_iter().next());
    msg.in_reply_to = first("In-Reply-To").map(parse_msg_ids).unwrap_or_default();
    msg.references = first("References").map(parse_msg_ids).unwrap_or_default();
    msg.from = first("From").and_then(|v| parse_address_list(v).into_iter().next());
    msg.sender = first("Sender").and_then(|v| parse_address_list(v).into_iter().next());
    msg.reply_to = all("Reply-To").flat_map(parse_address_list).collect();
    msg.to = all("To").flat_map(parse_address_list).collect();
    msg.cc = all("Cc").flat_map(parse_address_list).collect();
    msg.delivered_to = all("Delivered-To")
        .flat_map(parse_plain_addresses)
        .collect();
    msg.x_original_to = all("X-Original-To")
        .flat_map(parse_plain_addresses)
        .collect();
    msg.x_forwarded_to = all("X-Forwarded-To")
        .flat_map(parse_plain_addresses)
        .collect();
    msg.envelope_to = all("Envelope-To").flat_map(parse_plain_addresses).collect();
    msg.return_path = first("Return-Path").and_then(parse_return_path);
    msg.subject = first("Subject").map(|v| rfc2047::decode(v).into_owned());
    msg.content_type = first("Content-Type").map(|v| v.trim().to_ascii_lowercase());
    if let Some(date) = first("Date") {
        msg.date = parse_date(date);
        if msg.date.is_none() {
            warnings.push(format!(
                "Date header `{}` is not an RFC 5322 date",
                clip(date, 80)
            ));
        }
    }
    msg
}

/// An RFC 5322 date (comments such as `(CEST)` ignored), or an RFC 3339 one, in UTC.
pub(crate) fn parse_date(value: &str) -> Option<DateTime<Utc>> {
    let without_comment = value.split('(').next().unwrap_or(value).trim();
    DateTime::parse_from_rfc2822(without_comment)
        .or_else(|_| DateTime::parse_from_rfc3339(without_comment))
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Fill in what parsed-mode adapters leave open: the text body from the HTML when there is no
/// text, and which attachments the HTML shows inline (`cid:` references).
pub(crate) fn finish_bodies(msg: &mut InboundMessage) {
    let text_missing = msg.text_body.as_deref().is_none_or(|t| t.trim().is_empty());
    if text_missing && let Some(html) = msg.html_body.as_deref() {
        msg.text_body = Some(crate::html::html_to_text(html));
        msg.text_from_html = true;
    }
    if let Some(html) = msg.html_body.as_deref() {
        for attachment in &mut msg.attachments {
            mark_inline(attachment, html);
        }
    }
}

fn mark_inline(attachment: &mut Attachment, html: &str) {
    if let Some(cid) = attachment.content_id.as_deref()
        && !cid.is_empty()
        && html.contains(&format!("cid:{cid}"))
    {
        attachment.inline = true;
    }
}

/// A `Content-ID` without its angle brackets.
pub(crate) fn bare_content_id(raw: &str) -> Option<String> {
    let id = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty()).then(|| id.to_string())
}

/// The first value of a provider-set header, as text.
pub(crate) fn first_value<'h>(headers: &'h [RawHeader], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Mailbox;

    const BLOCK: &str = "Received: from mx.example.fr\r\n\tby mx.sendgrid.net; Tue, 3 Mar 2026 09:00:00 +0000\r\n\
Message-ID: <CAF=abc@mail.example.fr>\r\n\
In-Reply-To: <out-1@product.example>\r\n\
References: <out-0@product.example>\r\n <out-1@product.example>\r\n\
From: =?UTF-8?Q?Marie_Dupont?= <marie@example.fr>\r\n\
To: reply+tok@reply.example.com\r\n\
Delivered-To: reply+tok@reply.example.com\r\n\
Return-Path: <marie@example.fr>\r\n\
Date: Tue, 3 Mar 2026 10:00:00 +0100 (CET)\r\n\
Subject: =?UTF-8?B?UsOpcG9uc2U=?=\r\n\r\nbody is not a header: x\r\n";

    #[test]
    fn sendgrid_style_header_block_fills_the_message() {
        let headers = parse_header_block(BLOCK, "headers", 100).expect("block parses");
        let mut warnings = Vec::new();
        let msg = message_from_headers(&headers, &mut warnings);
        assert_eq!(msg.message_id.as_deref(), Some("CAF=abc@mail.example.fr"));
        assert_eq!(msg.in_reply_to, vec!["out-1@product.example"]);
        assert_eq!(
            msg.references,
            vec!["out-0@product.example", "out-1@product.example"]
        );
        assert_eq!(
            msg.from,
            Some(Mailbox::with_name("Marie Dupont", "marie@example.fr"))
        );
        assert_eq!(msg.delivered_to, vec!["reply+tok@reply.example.com"]);
        assert_eq!(msg.return_path.as_deref(), Some("marie@example.fr"));
        assert_eq!(msg.subject.as_deref(), Some("Réponse"));
        assert_eq!(
            msg.date.map(|d| d.to_rfc3339()),
            Some("2026-03-03T09:00:00+00:00".to_string())
        );
        assert_eq!(msg.header("subject"), Some("Réponse"));
        assert_eq!(msg.headers.len(), 10);
        assert!(warnings.is_empty());
    }

    #[test]
    fn header_count_is_limited() {
        let block = "X-A: 1\n".repeat(11);
        assert!(matches!(
            parse_header_block(&block, "headers", 10),
            Err(ProviderError::TooManyHeaders { limit: 10, .. })
        ));
    }

    #[test]
    fn unparseable_date_is_a_warning_not_an_error() {
        let headers = vec![RawHeader::new("Date", "yesterday-ish")];
        let mut warnings = Vec::new();
        let msg = message_from_headers(&headers, &mut warnings);
        assert_eq!(msg.date, None);
        assert_eq!(warnings.len(), 1);
    }
}

//! Postmark inbound webhook JSON.

use serde_json::{Map, Value};

use crate::message::fields::{message_from_fields, parse_date};
use crate::message::header::Field;
use crate::message::mailbox::{parse_content_id, parse_mailboxes};
use crate::message::{Attachment, Envelope, InboundMessage, Mailbox};

use super::attachments::{self, check_count};
use super::error::ProviderError;
use super::text::decode_base64;
use super::verdict::{parse_score, parse_spam_flag, parse_verdict};
use super::{ProviderKind, ProviderOptions, check_payload_size, json, transport_for};
use crate::message::body::finish_bodies;

/// Parse a Postmark inbound webhook body (JSON).
///
/// `FromFull`, `ToFull` and `CcFull` give the addresses (`From`, `To`, `Cc` strings when the
/// `…Full` forms are absent); `Headers` (a list of `Name`/`Value` objects) gives the RFC
/// `Message-ID`, `In-Reply-To`, `References` and the rest; `MessageID` is Postmark's own id and
/// goes to [`TransportInfo::provider_message_id`](crate::message::TransportInfo). `MailboxHash`
/// (the text after `+` in the inbound address) goes to
/// [`TransportInfo::mailbox_hash`](crate::message::TransportInfo), `OriginalRecipient` to the
/// envelope. `Received-SPF`, `X-Spam-Status` and `X-Spam-Score` headers, which Postmark adds,
/// give the SPF and spam verdicts. `Attachments` carry base64 `Content`: only its size and
/// SHA-256 are kept.
///
/// # Errors
/// [`ProviderError::InvalidJson`] (whole payload), [`ProviderError::MissingField`] (`FromFull`
/// when neither `FromFull` nor `From` is present; `Attachments[i].Content`),
/// [`ProviderError::WrongType`] and [`ProviderError::InvalidField`] naming the JSON path, and
/// limits.
pub fn parse_postmark(
    body: &[u8],
    opts: &ProviderOptions,
) -> Result<InboundMessage, ProviderError> {
    check_payload_size(body, &opts.limits)?;
    let value = json::parse(body, None)?;
    let root = json::object(&value, "")?;
    let mut warnings = Vec::new();

    let headers = headers(root, opts)?;
    let mut msg = message_from_fields(&headers);

    msg.from = match json::opt_object(root, "FromFull", "")? {
        Some(full) => mailbox(full, "FromFull")?,
        None => None,
    };
    if msg.from.is_none() {
        let from = json::opt_str(root, "From", "")?.ok_or_else(|| ProviderError::MissingField {
            field: "FromFull".to_string(),
        })?;
        msg.from = parse_mailboxes(from).0.into_iter().next();
    }
    if let Some(to) = mailbox_list(root, "ToFull", "To")? {
        msg.to = to;
    }
    if let Some(cc) = mailbox_list(root, "CcFull", "Cc")? {
        msg.cc = cc;
    }
    if let Some(reply_to) = json::opt_str(root, "ReplyTo", "")?.filter(|r| !r.trim().is_empty()) {
        msg.reply_to = parse_mailboxes(reply_to).0;
    }
    if let Some(subject) = json::opt_str(root, "Subject", "")? {
        msg.subject = Some(subject.to_string());
    }
    if let Some(date) = json::opt_str(root, "Date", "")? {
        match parse_date(date) {
            Some(d) => msg.date = Some(d),
            None => warnings.push("field `Date` is not an RFC 5322 date".to_string()),
        }
    }
    msg.text_body = json::opt_str(root, "TextBody", "")?.map(str::to_string);
    msg.html_body = json::opt_str(root, "HtmlBody", "")?
        .filter(|h| !h.is_empty())
        .map(str::to_string);
    msg.attachments = attachments(root, opts)?;
    finish_bodies(&mut msg);

    let mut info = transport_for(ProviderKind::Postmark);
    info.provider_message_id = json::opt_str(root, "MessageID", "")?.map(str::to_string);
    info.mailbox_hash = json::opt_str(root, "MailboxHash", "")?
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_string);
    if let Some(rcpt) = json::opt_str(root, "OriginalRecipient", "")?.filter(|r| !r.is_empty()) {
        info.envelope = Some(Envelope {
            mail_from: msg.return_path.clone(),
            rcpt_to: vec![rcpt.trim().to_string()],
        });
    }
    info.spf = msg.header("Received-SPF").map(parse_verdict);
    info.spam = msg.header("X-Spam-Status").and_then(parse_spam_flag);
    if let Some(score) = msg.header("X-Spam-Score") {
        info.spam_score = parse_score(score);
    }
    msg.transport = Some(info);
    msg.warnings.append(&mut warnings);
    Ok(msg)
}

fn headers(root: &Map<String, Value>, opts: &ProviderOptions) -> Result<Vec<Field>, ProviderError> {
    let list = json::opt_array(root, "Headers", "")?;
    if list.len() > opts.limits.max_headers {
        return Err(ProviderError::TooManyHeaders {
            field: "Headers".to_string(),
            limit: opts.limits.max_headers,
        });
    }
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let path = format!("Headers[{i}]");
            let obj = json::object(item, &path)?;
            Ok(Field::new(
                json::req_str(obj, "Name", &path)?,
                json::opt_str(obj, "Value", &path)?.unwrap_or(""),
            ))
        })
        .collect()
}

/// A `{"Email": …, "Name": …, "MailboxHash": …}` object; `None` when `Email` is empty.
fn mailbox(obj: &Map<String, Value>, path: &str) -> Result<Option<Mailbox>, ProviderError> {
    let email = json::opt_str(obj, "Email", path)?.unwrap_or("").trim();
    if email.is_empty() {
        return Ok(None);
    }
    let name = json::opt_str(obj, "Name", path)?
        .map(str::trim)
        .filter(|n| !n.is_empty());
    Ok(Some(Mailbox {
        name: name.map(str::to_string),
        address: email.to_string(),
    }))
}

/// The `…Full` list when present, else the plain string field parsed as an address list.
fn mailbox_list(
    root: &Map<String, Value>,
    full_key: &str,
    plain_key: &str,
) -> Result<Option<Vec<Mailbox>>, ProviderError> {
    let full = json::opt_array(root, full_key, "")?;
    if !full.is_empty() {
        let mut out = Vec::with_capacity(full.len());
        for (i, item) in full.iter().enumerate() {
            let path = format!("{full_key}[{i}]");
            if let Some(m) = mailbox(json::object(item, &path)?, &path)? {
                out.push(m);
            }
        }
        return Ok(Some(out));
    }
    Ok(json::opt_str(root, plain_key, "")?
        .filter(|s| !s.trim().is_empty())
        .map(|list| parse_mailboxes(list).0))
}

fn attachments(
    root: &Map<String, Value>,
    opts: &ProviderOptions,
) -> Result<Vec<Attachment>, ProviderError> {
    let list = json::opt_array(root, "Attachments", "")?;
    check_count(list.len(), &opts.limits)?;
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let path = format!("Attachments[{i}]");
        let obj = json::object(item, &path)?;
        let content = json::req_str(obj, "Content", &path)?;
        let data = decode_base64(content).map_err(|e| ProviderError::InvalidField {
            field: format!("{path}.Content"),
            reason: format!("not base64: {e}"),
        })?;
        if data.len() > opts.limits.max_field_bytes {
            return Err(ProviderError::FieldTooLarge {
                field: format!("{path}.Content"),
                size: data.len(),
                limit: opts.limits.max_field_bytes,
            });
        }
        out.push(attachments::from_bytes(
            json::opt_str(obj, "Name", &path)?.map(str::to_string),
            json::opt_str(obj, "ContentType", &path)?,
            &data,
            json::opt_str(obj, "ContentID", &path)?.and_then(parse_content_id),
        ));
    }
    Ok(out)
}

//! SendGrid Inbound Parse: `multipart/form-data`, in the default parsed mode (`headers`, `text`,
//! `html`, `charsets`, `attachmentN` …) or in raw mode (`email` holds the full MIME).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::message::fields::message_from_fields;
use crate::message::mailbox::{domain_of, parse_content_id, parse_mailboxes};
use crate::message::{Envelope, InboundMessage, TransportInfo};

use super::attachments::{self, cid_map, numbered_parts};
use super::error::ProviderError;
use super::headers::parse_header_block;
use super::multipart::Form;
use super::text::{decode_declared, decode_guess};
use super::verdict::{parse_score, parse_sendgrid_dkim, parse_verdict};
use super::{ProviderKind, ProviderOptions, json, parse_form_payload, transport_for};
use crate::message::body::finish_bodies;

/// Parse a SendGrid Inbound Parse POST.
///
/// `content_type` is the request's `Content-Type` (`multipart/form-data; boundary=…`). When the
/// payload has an `email` field (raw mode), that MIME is parsed and preferred; otherwise the
/// message is built from the parsed-mode fields, each decoded in the charset `charsets` declares
/// for it. The envelope, `SPF`, `dkim`, `spam_score` and `sender_ip` fields fill
/// [`TransportInfo`] in both modes.
///
/// # Errors
/// [`ProviderError::MissingField`] (`headers`, when neither `email` nor `headers` is present),
/// [`ProviderError::InvalidJson`] (`charsets`, `envelope`, `attachment-info`, `content-ids`),
/// [`ProviderError::BadCharset`], form errors ([`ProviderError::TruncatedMultipart`], …) and
/// limits.
pub fn parse_sendgrid(
    body: &[u8],
    content_type: Option<&str>,
    opts: &ProviderOptions,
) -> Result<InboundMessage, ProviderError> {
    parse_form_payload(body, content_type, opts, "email", parsed_mode, transport)
}

/// The `charsets` field: which charset each other field is in.
type Charsets = BTreeMap<String, String>;

fn charsets(form: &Form<'_>) -> Result<Charsets, ProviderError> {
    let Some(raw) = form.bytes("charsets") else {
        return Ok(Charsets::new());
    };
    let value = json::parse(raw, Some("charsets"))?;
    let obj = json::object(&value, "charsets")?;
    let mut out = Charsets::new();
    for (field, label) in obj {
        let label = label.as_str().ok_or_else(|| ProviderError::WrongType {
            field: format!("charsets.{field}"),
            expected: "a string",
        })?;
        out.insert(field.clone(), label.to_string());
    }
    Ok(out)
}

/// A text field decoded in its declared charset (from `charsets`, else the part's own
/// `Content-Type`), or guessed.
fn text_field(
    form: &Form<'_>,
    name: &str,
    charsets: &Charsets,
    warnings: &mut Vec<String>,
) -> Result<Option<String>, ProviderError> {
    let Some(part) = form.get(name) else {
        return Ok(None);
    };
    let declared = charsets.get(name).map(String::as_str).or(part.charset());
    let text = match declared {
        Some(label) => decode_declared(&part.data, label, name, warnings)?,
        None => decode_guess(&part.data, name, warnings),
    };
    Ok(Some(text))
}

fn parsed_mode(
    form: &Form<'_>,
    opts: &ProviderOptions,
    warnings: &mut Vec<String>,
) -> Result<InboundMessage, ProviderError> {
    let charsets = charsets(form)?;
    let header_block = text_field(form, "headers", &charsets, warnings)?.ok_or_else(|| {
        ProviderError::MissingField {
            field: "headers".to_string(),
        }
    })?;
    let headers = parse_header_block(&header_block, "headers", opts.limits.max_headers, warnings)?;
    let mut msg = message_from_fields(&headers);

    if let Some(from) = text_field(form, "from", &charsets, warnings)?
        && let Some(mailbox) = parse_mailboxes(&from).0.into_iter().next()
    {
        msg.from = Some(mailbox);
    }
    if let Some(to) = text_field(form, "to", &charsets, warnings)? {
        let (list, _) = parse_mailboxes(&to);
        if !list.is_empty() {
            msg.to = list;
        }
    }
    if let Some(cc) = text_field(form, "cc", &charsets, warnings)? {
        let (list, _) = parse_mailboxes(&cc);
        if !list.is_empty() {
            msg.cc = list;
        }
    }
    if let Some(subject) = text_field(form, "subject", &charsets, warnings)? {
        msg.subject = Some(subject);
    }
    msg.text_body = text_field(form, "text", &charsets, warnings)?;
    msg.html_body = text_field(form, "html", &charsets, warnings)?;
    msg.attachments = attachments(form, opts, warnings)?;
    finish_bodies(&mut msg);
    Ok(msg)
}

fn attachments(
    form: &Form<'_>,
    opts: &ProviderOptions,
    warnings: &mut Vec<String>,
) -> Result<Vec<crate::message::Attachment>, ProviderError> {
    let info = match form.bytes("attachment-info") {
        Some(raw) => {
            let value = json::parse(raw, Some("attachment-info"))?;
            json::object(&value, "attachment-info")?.clone()
        }
        None => serde_json::Map::new(),
    };
    // `content-ids`: {"<cid>": "attachment1", …} for inline images.
    let cids = cid_map(form, "content-ids")?;
    let parts = numbered_parts(form, "attachment", &opts.limits)?;
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let path = format!("attachment-info.{}", part.name);
        let meta = match info.get(&part.name) {
            Some(Value::Object(o)) => Some(o),
            None | Some(Value::Null) => None,
            Some(_) => {
                return Err(ProviderError::WrongType {
                    field: path,
                    expected: "an object",
                });
            }
        };
        let meta_str = |key: &str| -> Result<Option<&str>, ProviderError> {
            match meta {
                Some(m) => json::opt_str(m, key, &path),
                None => Ok(None),
            }
        };
        let filename = part
            .filename
            .clone()
            .or(meta_str("filename")?.map(str::to_string))
            .or(meta_str("name")?.map(str::to_string));
        let content_type = part.content_type.as_deref().or(meta_str("type")?);
        let content_id = match meta_str("content-id")?.and_then(parse_content_id) {
            Some(cid) => Some(cid),
            None => cids.get(&part.name).cloned(),
        };
        out.push(attachments::from_bytes(
            filename,
            content_type,
            &part.data,
            content_id,
        ));
    }
    if let Some(declared) = form.bytes("attachments")
        && let Ok(count) = String::from_utf8_lossy(declared).trim().parse::<usize>()
        && count != out.len()
    {
        warnings.push(format!(
            "field `attachments` says {count} attachments but {} file parts were posted",
            out.len()
        ));
    }
    Ok(out)
}

fn transport(
    form: &Form<'_>,
    msg: &InboundMessage,
    warnings: &mut Vec<String>,
) -> Result<TransportInfo, ProviderError> {
    let from_domain = msg.from.as_ref().and_then(|m| domain_of(&m.address));
    let from_domain = from_domain.as_deref();
    let mut info = transport_for(ProviderKind::SendGrid);
    let text = |name: &str| {
        form.bytes(name)
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    if let Some(raw) = form.bytes("envelope") {
        let value = json::parse(raw, Some("envelope"))?;
        let obj = json::object(&value, "envelope")?;
        info.envelope = Some(Envelope {
            mail_from: json::opt_str(obj, "from", "envelope")?.map(str::to_string),
            rcpt_to: json::opt_str_list(obj, "to", "envelope")?,
        });
    }
    info.spf = text("SPF").map(|s| parse_verdict(&s));
    info.dkim = text("dkim").and_then(|s| parse_sendgrid_dkim(&s, from_domain));
    if let Some(score) = text("spam_score") {
        info.spam_score = parse_score(&score);
        if info.spam_score.is_none() {
            warnings.push("field `spam_score` is not a number".to_string());
        }
    }
    info.sender_ip = text("sender_ip");
    Ok(info)
}

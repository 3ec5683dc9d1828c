//! Mailgun routes: `forward()` posts parsed fields (`message-headers`, `body-plain`,
//! `attachment-N` …) as `multipart/form-data` or urlencoded; a `store(notify=…)` route to a URL
//! ending in `mime` posts the raw MIME in `body-mime`.

use serde_json::Value;

use crate::message::fields::message_from_fields;
use crate::message::header::Field;
use crate::message::mailbox::parse_mailboxes;
use crate::message::{Attachment, Envelope, InboundMessage, TransportInfo};

use super::attachments::{self, cid_map, numbered_parts};
use super::error::ProviderError;
use super::multipart::Form;
use super::text::decode_guess;
use super::verdict::{parse_score, parse_spam_flag, parse_verdict};
use super::{ProviderKind, ProviderOptions, json, parse_form_payload, transport_for};
use crate::message::body::finish_bodies;

/// Parse a Mailgun route POST.
///
/// `content_type` is the request's `Content-Type` (`multipart/form-data; boundary=…` or
/// `application/x-www-form-urlencoded`). `body-mime` is parsed and preferred when present;
/// otherwise the message is built from `message-headers`, `from`, `subject`, `body-plain`,
/// `body-html` and the `attachment-N` files (`stripped-text` and friends are ignored: replytrack
/// strips quotes itself). `sender` and `recipient` are the SMTP envelope. The verdicts come from
/// the headers Mailgun adds (`X-Mailgun-Spf`, `X-Mailgun-Dkim-Check-Result`, `X-Mailgun-Sflag`,
/// `X-Mailgun-Sscore`). Check the signature with
/// [`MailgunSignature::from_form`](super::MailgunSignature::from_form) and
/// [`verify_mailgun_signature`](super::verify_mailgun_signature) first.
///
/// # Errors
/// [`ProviderError::MissingField`] (`message-headers`, when there is no `body-mime` either),
/// [`ProviderError::InvalidJson`] / [`ProviderError::WrongType`] (`message-headers`,
/// `content-id-map`), form errors and limits.
pub fn parse_mailgun(
    body: &[u8],
    content_type: Option<&str>,
    opts: &ProviderOptions,
) -> Result<InboundMessage, ProviderError> {
    parse_form_payload(
        body,
        content_type,
        opts,
        "body-mime",
        parsed_mode,
        transport,
    )
}

fn text(form: &Form<'_>, name: &str, warnings: &mut Vec<String>) -> Option<String> {
    form.get(name)
        .map(|part| decode_guess(&part.data, name, warnings))
}

fn message_headers(form: &Form<'_>, opts: &ProviderOptions) -> Result<Vec<Field>, ProviderError> {
    const FIELD: &str = "message-headers";
    let raw = form
        .bytes(FIELD)
        .ok_or_else(|| ProviderError::MissingField {
            field: FIELD.to_string(),
        })?;
    let value = json::parse(raw, Some(FIELD))?;
    let pairs = value.as_array().ok_or(ProviderError::WrongType {
        field: FIELD.to_string(),
        expected: "a list of [name, value] pairs",
    })?;
    if pairs.len() > opts.limits.max_headers {
        return Err(ProviderError::TooManyHeaders {
            field: FIELD.to_string(),
            limit: opts.limits.max_headers,
        });
    }
    pairs
        .iter()
        .enumerate()
        .map(|(i, pair)| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(name), Value::String(value)]) => Ok(Field::new(name, value)),
            _ => Err(ProviderError::WrongType {
                field: format!("{FIELD}[{i}]"),
                expected: "a [name, value] pair of strings",
            }),
        })
        .collect()
}

fn parsed_mode(
    form: &Form<'_>,
    opts: &ProviderOptions,
    warnings: &mut Vec<String>,
) -> Result<InboundMessage, ProviderError> {
    let headers = message_headers(form, opts)?;
    let mut msg = message_from_fields(&headers);
    if let Some(from) = text(form, "from", warnings)
        && let Some(mailbox) = parse_mailboxes(&from).0.into_iter().next()
    {
        msg.from = Some(mailbox);
    }
    if let Some(subject) = text(form, "subject", warnings) {
        msg.subject = Some(subject);
    }
    msg.text_body = text(form, "body-plain", warnings);
    msg.html_body = text(form, "body-html", warnings);
    msg.attachments = attachments(form, opts)?;
    finish_bodies(&mut msg);
    Ok(msg)
}

fn attachments(form: &Form<'_>, opts: &ProviderOptions) -> Result<Vec<Attachment>, ProviderError> {
    // `content-id-map`: {"<cid>": "attachment-1", …}.
    let cids = cid_map(form, "content-id-map")?;
    let parts = numbered_parts(form, "attachment-", &opts.limits)?;
    Ok(parts
        .into_iter()
        .map(|part| {
            let content_id = cids.get(&part.name).cloned();
            attachments::from_bytes(
                part.filename.clone(),
                part.content_type.as_deref(),
                &part.data,
                content_id,
            )
        })
        .collect())
}

fn transport(
    form: &Form<'_>,
    msg: &InboundMessage,
    warnings: &mut Vec<String>,
) -> Result<TransportInfo, ProviderError> {
    let mut info = transport_for(ProviderKind::Mailgun);
    let field = |name: &str| {
        form.bytes(name)
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
    };
    let sender = field("sender");
    let recipients: Vec<String> = field("recipient")
        .map(|r| {
            r.split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if sender.is_some() || !recipients.is_empty() {
        info.envelope = Some(Envelope {
            mail_from: sender,
            rcpt_to: recipients,
        });
    }
    info.spf = msg.header("X-Mailgun-Spf").map(parse_verdict);
    info.dkim = msg.header("X-Mailgun-Dkim-Check-Result").map(parse_verdict);
    info.spam = msg.header("X-Mailgun-Sflag").and_then(parse_spam_flag);
    if let Some(score) = msg.header("X-Mailgun-Sscore") {
        info.spam_score = parse_score(score);
        if info.spam_score.is_none() {
            warnings.push("header `X-Mailgun-Sscore` is not a number".to_string());
        }
    }
    Ok(info)
}

//! Attachment metadata from provider payloads (form file parts, base64 JSON content).

use std::collections::HashMap;

use crate::message::Attachment;

use super::ProviderLimits;
use super::error::ProviderError;
use super::json;
use super::multipart::{Form, FormPart};
use crate::message::body::sha256_hex;
use crate::message::mailbox::parse_content_id;

/// Metadata and hash of one attachment's decoded bytes.
pub(crate) fn from_bytes(
    filename: Option<String>,
    content_type: Option<&str>,
    data: &[u8],
    content_id: Option<String>,
) -> Attachment {
    Attachment {
        filename: filename.filter(|f| !f.is_empty()),
        content_type: mime_type(content_type),
        size: u64::try_from(data.len()).unwrap_or(u64::MAX),
        content_id,
        inline: false,
        sha256: sha256_hex(data),
    }
}

/// The lowercase MIME type of a `Content-Type` value, `application/octet-stream` when absent.
fn mime_type(content_type: Option<&str>) -> String {
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if mime.is_empty() {
        "application/octet-stream".to_string()
    } else {
        mime
    }
}

/// Whether `name` is `prefix` followed by a decimal number (`attachment3`, `attachment-3`).
pub(crate) fn is_numbered(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|n| !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The form's file parts named `prefix` + number, in order, at most `max_attachments` of them.
pub(crate) fn numbered_parts<'f, 'a>(
    form: &'f Form<'a>,
    prefix: &str,
    limits: &ProviderLimits,
) -> Result<Vec<&'f FormPart<'a>>, ProviderError> {
    let parts: Vec<&FormPart<'a>> = form
        .parts
        .iter()
        .filter(|p| is_numbered(&p.name, prefix))
        .collect();
    check_count(parts.len(), limits)?;
    Ok(parts)
}

/// Refuse more attachments than the limit allows.
pub(crate) fn check_count(count: usize, limits: &ProviderLimits) -> Result<(), ProviderError> {
    if count > limits.max_attachments {
        return Err(ProviderError::TooManyAttachments {
            count,
            limit: limits.max_attachments,
        });
    }
    Ok(())
}

/// A JSON map from `Content-ID` to the form field holding that attachment (SendGrid
/// `content-ids`, Mailgun `content-id-map`), read as field name → bare content id.
pub(crate) fn cid_map(
    form: &Form<'_>,
    field: &str,
) -> Result<HashMap<String, String>, ProviderError> {
    let mut out = HashMap::new();
    let Some(raw) = form.bytes(field) else {
        return Ok(out);
    };
    let value = json::parse(raw, Some(field))?;
    for (cid, name) in json::object(&value, field)? {
        let name = name.as_str().ok_or_else(|| ProviderError::WrongType {
            field: format!("{field}.{cid}"),
            expected: "a string",
        })?;
        if let Some(cid) = parse_content_id(cid) {
            out.insert(name.to_string(), cid);
        }
    }
    Ok(out)
}

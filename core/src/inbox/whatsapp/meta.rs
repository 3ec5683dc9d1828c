//! The Meta WhatsApp Cloud API webhook: `entry[].changes[].value` with `messages[]`,
//! `contacts[]` and `statuses[]`.
//!
//! ```
//! use replytrack::inbox::whatsapp::parse_meta_webhook;
//!
//! let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{
//!   "field":"messages","value":{"messaging_product":"whatsapp",
//!   "metadata":{"display_phone_number":"15550001111","phone_number_id":"106"},
//!   "contacts":[{"profile":{"name":"Marie"},"wa_id":"33612345678"}],
//!   "messages":[{"from":"33612345678","id":"wamid.A","timestamp":"1772830800",
//!                "type":"text","text":{"body":"Bonjour"}}]}}]}]}"#;
//! let events = parse_meta_webhook(body)?;
//! let m = &events.messages[0];
//! assert_eq!((m.from.phone.as_str(), m.from.name.as_deref()), ("+33612345678", Some("Marie")));
//! assert_eq!(m.text, "Bonjour");
//! # Ok::<(), replytrack::inbox::whatsapp::WhatsAppError>(())
//! ```

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{
    Location, MAX_EVENTS, MAX_PAYLOAD_BYTES, MediaKind, ProviderFailure, WhatsAppContact,
    WhatsAppError, WhatsAppEvents, WhatsAppInbound, WhatsAppMedia, WhatsAppProvider,
    WhatsAppStatus, clean_mime, cut, normalize_phone,
};
use crate::conversation::DeliveryStatus;

/// Parse a Cloud API webhook body. Changes whose `field` is not `messages` are skipped, as are
/// message types without content to keep (reactions, system notices) — they come back as
/// messages with an empty text and their `message_type`.
///
/// # Errors
/// [`WhatsAppError`] naming the field: not JSON, `object` other than
/// `whatsapp_business_account`, a message without `id` or `from`, a bad phone number or
/// timestamp, an unknown status, or a payload over the limits.
pub fn parse_meta_webhook(body: &[u8]) -> Result<WhatsAppEvents, WhatsAppError> {
    if body.len() > MAX_PAYLOAD_BYTES {
        return Err(WhatsAppError::TooLarge { size: body.len() });
    }
    let root: Value = serde_json::from_slice(body)?;
    if let Some(object) = root
        .get("object")
        .filter(|o| o.as_str() != Some("whatsapp_business_account"))
    {
        return Err(bad("object", "\"whatsapp_business_account\"", object));
    }
    let mut events = WhatsAppEvents::default();
    for (e, entry) in array(&root, "entry", "entry")?.iter().enumerate() {
        let path = format!("entry[{e}]");
        let changes = array(entry, "changes", &path)?;
        for (c, change) in changes.iter().enumerate() {
            let path = format!("{path}.changes[{c}]");
            if change.get("field").and_then(Value::as_str) != Some("messages") {
                continue;
            }
            let value = change
                .get("value")
                .ok_or_else(|| missing(&format!("{path}.value")))?;
            read_value(value, &format!("{path}.value"), &mut events)?;
        }
    }
    Ok(events)
}

fn missing(field: &str) -> WhatsAppError {
    WhatsAppError::MissingField {
        field: field.to_string(),
    }
}

fn bad(field: &str, expected: &'static str, got: &Value) -> WhatsAppError {
    WhatsAppError::BadField {
        field: field.to_string(),
        expected,
        got: cut(&got.to_string()),
    }
}

/// `v[key]` as an array: absent is empty, anything else but an array is an error.
fn array<'v>(v: &'v Value, key: &str, path: &str) -> Result<&'v [Value], WhatsAppError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(bad(path, "an array", other)),
    }
}

/// `v[key]` as a string: absent is `None`, anything else but a string is an error.
fn opt_str<'v>(v: &'v Value, key: &str, path: &str) -> Result<Option<&'v str>, WhatsAppError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(bad(&format!("{path}.{key}"), "a string", other)),
    }
}

fn req_str<'v>(v: &'v Value, key: &str, path: &str) -> Result<&'v str, WhatsAppError> {
    opt_str(v, key, path)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| missing(&format!("{path}.{key}")))
}

fn phone(v: &Value, key: &str, path: &str) -> Result<String, WhatsAppError> {
    let raw = req_str(v, key, path)?;
    normalize_phone(raw).ok_or_else(|| WhatsAppError::BadField {
        field: format!("{path}.{key}"),
        expected: "a phone number",
        got: cut(raw),
    })
}

/// A Unix timestamp in seconds, as a string (Meta) or a number.
fn timestamp(v: &Value, path: &str) -> Result<Option<DateTime<Utc>>, WhatsAppError> {
    let field = format!("{path}.timestamp");
    let secs = match v.get("timestamp") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        Some(_) => None,
    };
    secs.and_then(|s| DateTime::from_timestamp(s, 0))
        .map(Some)
        .ok_or_else(|| {
            bad(
                &field,
                "Unix seconds",
                v.get("timestamp").unwrap_or(&Value::Null),
            )
        })
}

fn read_value(value: &Value, path: &str, events: &mut WhatsAppEvents) -> Result<(), WhatsAppError> {
    let to = value
        .get("metadata")
        .and_then(|m| m.get("display_phone_number"))
        .and_then(Value::as_str)
        .and_then(normalize_phone);
    let contacts = array(value, "contacts", &format!("{path}.contacts"))?;
    let messages = array(value, "messages", &format!("{path}.messages"))?;
    let statuses = array(value, "statuses", &format!("{path}.statuses"))?;
    if events.messages.len() + events.statuses.len() + messages.len() + statuses.len() > MAX_EVENTS
    {
        return Err(WhatsAppError::TooManyEvents);
    }
    // Profile names by wa_id (first one wins), looked up once per message.
    let mut names: HashMap<&str, &str> = HashMap::new();
    for c in contacts {
        let wa_id = c.get("wa_id").and_then(Value::as_str);
        let name = c
            .get("profile")
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str);
        if let (Some(wa_id), Some(name)) = (wa_id, name) {
            names.entry(wa_id).or_insert(name);
        }
    }
    let only_name = match contacts {
        [only] => only
            .get("profile")
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str),
        _ => None,
    };
    for (i, m) in messages.iter().enumerate() {
        let path = format!("{path}.messages[{i}]");
        let mut msg = read_message(m, &path)?;
        msg.to.clone_from(&to);
        let wa_id = msg.from.phone.trim_start_matches('+');
        msg.from.name = names.get(wa_id).copied().or(only_name).map(str::to_string);
        events.messages.push(msg);
    }
    for (i, s) in statuses.iter().enumerate() {
        events
            .statuses
            .push(read_status(s, &format!("{path}.statuses[{i}]"))?);
    }
    Ok(())
}

fn read_message(m: &Value, path: &str) -> Result<WhatsAppInbound, WhatsAppError> {
    let id = req_str(m, "id", path)?.to_string();
    let phone = phone(m, "from", path)?;
    let sent_at = timestamp(m, path)?;
    let message_type = opt_str(m, "type", path)?.unwrap_or("unknown").to_string();
    let in_reply_to = m
        .get("context")
        .and_then(|c| c.get("id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut msg = WhatsAppInbound {
        provider: WhatsAppProvider::Meta,
        id,
        from: WhatsAppContact { phone, name: None },
        to: None,
        sent_at,
        message_type: message_type.clone(),
        text: String::new(),
        attachments: Vec::new(),
        location: None,
        in_reply_to,
    };
    let content_path = format!("{path}.{message_type}");
    let content = m.get(message_type.as_str());
    let media_kind = match message_type.as_str() {
        "image" => Some(MediaKind::Image),
        "document" => Some(MediaKind::Document),
        "audio" => Some(MediaKind::Audio),
        "video" => Some(MediaKind::Video),
        "sticker" => Some(MediaKind::Sticker),
        _ => None,
    };
    match (message_type.as_str(), content) {
        ("text", Some(c)) => msg.text = req_str(c, "body", &content_path)?.to_string(),
        ("text", None) => return Err(missing(&content_path)),
        ("location", Some(c)) => {
            let coord = |key: &str| {
                c.get(key).and_then(Value::as_f64).ok_or_else(|| {
                    bad(
                        &format!("{content_path}.{key}"),
                        "a number",
                        c.get(key).unwrap_or(&Value::Null),
                    )
                })
            };
            let location = Location {
                latitude: coord("latitude")?,
                longitude: coord("longitude")?,
                name: opt_str(c, "name", &content_path)?.map(str::to_string),
                address: opt_str(c, "address", &content_path)?.map(str::to_string),
            };
            msg.text = describe(&location);
            msg.location = Some(location);
        }
        ("location", None) => return Err(missing(&content_path)),
        ("button", Some(c)) => msg.text = opt_str(c, "text", &content_path)?.unwrap_or("").into(),
        (_, Some(c)) if media_kind.is_some() => {
            msg.text = opt_str(c, "caption", &content_path)?
                .unwrap_or("")
                .to_string();
            msg.attachments.push(WhatsAppMedia {
                kind: media_kind.unwrap_or(MediaKind::Other),
                id: Some(req_str(c, "id", &content_path)?.to_string()),
                url: None,
                mime_type: clean_mime(req_str(c, "mime_type", &content_path)?),
                sha256: opt_str(c, "sha256", &content_path)?.map(str::to_string),
                filename: opt_str(c, "filename", &content_path)?.map(str::to_string),
            });
        }
        (_, None) if media_kind.is_some() => return Err(missing(&content_path)),
        _ => {}
    }
    Ok(msg)
}

/// A location as one line: `name, address (lat, lon)`.
pub(crate) fn describe(l: &Location) -> String {
    let place: Vec<&str> = [l.name.as_deref(), l.address.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    let coords = format!("({}, {})", l.latitude, l.longitude);
    if place.is_empty() {
        format!("Location {coords}")
    } else {
        format!("Location: {} {coords}", place.join(", "))
    }
}

fn read_status(s: &Value, path: &str) -> Result<WhatsAppStatus, WhatsAppError> {
    let message_id = req_str(s, "id", path)?.to_string();
    let raw = req_str(s, "status", path)?;
    let status = match raw {
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "failed" => DeliveryStatus::Failed,
        other => {
            return Err(WhatsAppError::BadField {
                field: format!("{path}.status"),
                expected: "sent, delivered, read or failed",
                got: cut(other),
            });
        }
    };
    let failure = array(s, "errors", &format!("{path}.errors"))?
        .first()
        .map(|e| ProviderFailure {
            code: e.get("code").map(|c| match c {
                Value::String(s) => cut(s),
                other => cut(&other.to_string()),
            }),
            message: ["message", "title"]
                .into_iter()
                .find_map(|k| e.get(k).and_then(Value::as_str))
                .map(|m| m.chars().take(500).collect()),
        });
    Ok(WhatsAppStatus {
        provider: WhatsAppProvider::Meta,
        message_id,
        status,
        recipient: opt_str(s, "recipient_id", path)?.and_then(normalize_phone),
        at: timestamp(s, path)?,
        failure,
    })
}

#[cfg(test)]
#[path = "meta_tests.rs"]
mod tests;

//! Twilio's WhatsApp webhook: a form (`application/x-www-form-urlencoded`) with
//! `From=whatsapp:+…`, `Body`, `NumMedia`, `MediaUrl{n}`/`MediaContentType{n}`, `ProfileName`,
//! or, for status callbacks, `MessageStatus`.
//!
//! ```
//! use replytrack::inbox::whatsapp::parse_twilio_webhook;
//!
//! let body = b"MessageSid=SM1&From=whatsapp%3A%2B33612345678&To=whatsapp%3A%2B14155238886\
//!              &Body=Bonjour+%21&NumMedia=0&ProfileName=Marie";
//! let events = parse_twilio_webhook(body)?;
//! assert_eq!(events.messages[0].from.phone, "+33612345678");
//! assert_eq!(events.messages[0].text, "Bonjour !");
//! # Ok::<(), replytrack::inbox::whatsapp::WhatsAppError>(())
//! ```

use super::{
    Location, MAX_PAYLOAD_BYTES, MediaKind, ProviderFailure, WhatsAppContact, WhatsAppError,
    WhatsAppEvents, WhatsAppInbound, WhatsAppMedia, WhatsAppProvider, WhatsAppStatus, clean_mime,
    cut, normalize_phone,
};
use crate::conversation::DeliveryStatus;
use crate::provider::ProviderLimits;
use crate::provider::multipart::{Form, parse_form};

/// Most media Twilio attaches to one WhatsApp message (it sends at most 10).
pub const MAX_MEDIA: usize = 10;

/// Parse a Twilio WhatsApp webhook body (the form Twilio POSTs). A form with a
/// `MessageStatus` other than `received` is a status callback; anything else is a message.
///
/// Verifying `X-Twilio-Signature` is the host's job before calling this.
///
/// # Errors
/// [`WhatsAppError`] naming the field: not a form, no `MessageSid`/`From`, a `From` that is not
/// `whatsapp:+…`, a bad `NumMedia`, a media entry without URL, or an unknown status.
pub fn parse_twilio_webhook(body: &[u8]) -> Result<WhatsAppEvents, WhatsAppError> {
    if body.len() > MAX_PAYLOAD_BYTES {
        return Err(WhatsAppError::TooLarge { size: body.len() });
    }
    let limits = ProviderLimits {
        max_payload_bytes: MAX_PAYLOAD_BYTES,
        ..ProviderLimits::default()
    };
    let form = parse_form(body, Some("application/x-www-form-urlencoded"), &limits)?;
    let mut events = WhatsAppEvents::default();
    match field(&form, "MessageStatus") {
        Some(status) if !status.eq_ignore_ascii_case("received") => {
            events.statuses.push(read_status(&form, &status)?);
        }
        _ => events.messages.push(read_message(&form)?),
    }
    Ok(events)
}

/// A field as text (invalid UTF-8 replaced), trimmed; `None` when absent or blank.
fn field(form: &Form<'_>, name: &str) -> Option<String> {
    let bytes = form.bytes(name)?;
    let text = String::from_utf8_lossy(bytes).trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn required(form: &Form<'_>, name: &str) -> Result<String, WhatsAppError> {
    field(form, name).ok_or_else(|| WhatsAppError::MissingField {
        field: name.to_string(),
    })
}

/// `whatsapp:+15551234567` → `+15551234567`.
fn whatsapp_number(form: &Form<'_>, name: &str) -> Result<String, WhatsAppError> {
    let raw = required(form, name)?;
    raw.strip_prefix("whatsapp:")
        .and_then(normalize_phone)
        .ok_or_else(|| WhatsAppError::BadField {
            field: name.to_string(),
            expected: "whatsapp:+<phone number>",
            got: cut(&raw),
        })
}

fn message_sid(form: &Form<'_>) -> Result<String, WhatsAppError> {
    field(form, "MessageSid")
        .or_else(|| field(form, "SmsMessageSid"))
        .ok_or_else(|| WhatsAppError::MissingField {
            field: "MessageSid".to_string(),
        })
}

fn media_kind(mime: &str) -> MediaKind {
    match mime.split('/').next() {
        Some("image") => MediaKind::Image,
        Some("audio") => MediaKind::Audio,
        Some("video") => MediaKind::Video,
        Some("application" | "text") => MediaKind::Document,
        _ => MediaKind::Other,
    }
}

fn read_message(form: &Form<'_>) -> Result<WhatsAppInbound, WhatsAppError> {
    let id = message_sid(form)?;
    let phone = whatsapp_number(form, "From")?;
    let to = field(form, "To")
        .and_then(|t| t.strip_prefix("whatsapp:").and_then(normalize_phone))
        .or_else(|| field(form, "To"));
    let count = match field(form, "NumMedia") {
        None => 0,
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_MEDIA)
            .ok_or_else(|| WhatsAppError::BadField {
                field: "NumMedia".to_string(),
                expected: "a count from 0 to 10",
                got: cut(&n),
            })?,
    };
    let mut attachments = Vec::with_capacity(count);
    for i in 0..count {
        let url = required(form, &format!("MediaUrl{i}"))?;
        let mime = clean_mime(&field(form, &format!("MediaContentType{i}")).unwrap_or_default());
        attachments.push(WhatsAppMedia {
            kind: media_kind(&mime),
            id: None,
            url: Some(url),
            mime_type: mime,
            sha256: None,
            filename: None,
        });
    }
    let location = match (field(form, "Latitude"), field(form, "Longitude")) {
        (Some(lat), Some(lon)) => {
            let coord = |name: &str, v: &str| {
                v.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| WhatsAppError::BadField {
                        field: name.to_string(),
                        expected: "a number",
                        got: cut(v),
                    })
            };
            Some(Location {
                latitude: coord("Latitude", &lat)?,
                longitude: coord("Longitude", &lon)?,
                name: field(form, "Label"),
                address: field(form, "Address"),
            })
        }
        _ => None,
    };
    let body = field(form, "Body").unwrap_or_default();
    let text = match (&location, body.is_empty()) {
        (Some(l), true) => super::meta::describe(l),
        _ => body,
    };
    let message_type = if location.is_some() {
        "location"
    } else if attachments.is_empty() {
        "text"
    } else {
        "media"
    };
    Ok(WhatsAppInbound {
        provider: WhatsAppProvider::Twilio,
        id,
        from: WhatsAppContact {
            phone,
            name: field(form, "ProfileName"),
        },
        to,
        sent_at: None,
        message_type: message_type.to_string(),
        text,
        attachments,
        location,
        in_reply_to: field(form, "OriginalRepliedMessageSid"),
    })
}

fn read_status(form: &Form<'_>, raw: &str) -> Result<WhatsAppStatus, WhatsAppError> {
    let status = match raw.to_ascii_lowercase().as_str() {
        "queued" | "accepted" | "scheduled" | "sending" => DeliveryStatus::Queued,
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "failed" | "undelivered" | "canceled" => DeliveryStatus::Failed,
        _ => {
            return Err(WhatsAppError::BadField {
                field: "MessageStatus".to_string(),
                expected: "queued, sent, delivered, read, failed or undelivered",
                got: cut(raw),
            });
        }
    };
    let failure = field(form, "ErrorCode").map(|code| ProviderFailure {
        code: Some(cut(&code)),
        message: field(form, "ErrorMessage").map(|m| m.chars().take(500).collect()),
    });
    Ok(WhatsAppStatus {
        provider: WhatsAppProvider::Twilio,
        message_id: message_sid(form)?,
        status,
        recipient: field(form, "To")
            .and_then(|t| normalize_phone(t.strip_prefix("whatsapp:").unwrap_or(&t))),
        at: None,
        failure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_text_message_gives_the_number_the_profile_name_and_the_body() {
        let body = b"SmsMessageSid=SM11&NumMedia=0&ProfileName=Ana+Lima&WaId=5511987654321\
            &SmsStatus=received&Body=Ol%C3%A1%2C+tudo+bem%3F&To=whatsapp%3A%2B14155238886\
            &From=whatsapp%3A%2B5511987654321&MessageSid=SM11&AccountSid=AC1";
        let m = parse_twilio_webhook(body).unwrap().messages.remove(0);
        assert_eq!(m.id, "SM11");
        assert_eq!(m.from.phone, "+5511987654321");
        assert_eq!(m.from.name.as_deref(), Some("Ana Lima"));
        assert_eq!(m.to.as_deref(), Some("+14155238886"));
        assert_eq!(m.text, "Olá, tudo bem?");
    }

    #[test]
    fn media_become_attachments_with_url_and_type() {
        let body = b"MessageSid=MM2&From=whatsapp%3A%2B33612345678&Body=&NumMedia=2\
            &MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm%2F0&MediaContentType0=image%2Fjpeg\
            &MediaUrl1=https%3A%2F%2Fapi.twilio.com%2Fm%2F1&MediaContentType1=application%2Fpdf";
        let m = parse_twilio_webhook(body).unwrap().messages.remove(0);
        assert_eq!(m.message_type, "media");
        assert_eq!(m.attachments.len(), 2);
        assert_eq!(m.attachments[0].kind, MediaKind::Image);
        assert_eq!(
            m.attachments[1].url.as_deref(),
            Some("https://api.twilio.com/m/1")
        );
        assert_eq!(m.attachments[1].kind, MediaKind::Document);
    }

    #[test]
    fn a_status_callback_is_a_delivery_status() {
        let body = b"MessageSid=SM9&MessageStatus=undelivered&ErrorCode=63016\
            &To=whatsapp%3A%2B33612345678&From=whatsapp%3A%2B14155238886";
        let s = parse_twilio_webhook(body).unwrap().statuses.remove(0);
        assert_eq!(s.status, DeliveryStatus::Failed);
        assert_eq!(s.recipient.as_deref(), Some("+33612345678"));
        assert_eq!(s.failure.and_then(|f| f.code).as_deref(), Some("63016"));
        let read = b"MessageSid=SM9&MessageStatus=read";
        let s = parse_twilio_webhook(read).unwrap().statuses.remove(0);
        assert_eq!(s.status, DeliveryStatus::Read);
    }

    #[test]
    fn errors_name_the_form_field() {
        let sms = b"MessageSid=SM1&From=%2B33612345678&Body=hi";
        assert_eq!(
            parse_twilio_webhook(sms).unwrap_err().to_string(),
            "WhatsApp payload field `From` is invalid: expected whatsapp:+<phone number>, got \"+33612345678\""
        );
        let no_url = b"MessageSid=SM1&From=whatsapp%3A%2B33612345678&NumMedia=1";
        assert!(matches!(
            parse_twilio_webhook(no_url),
            Err(WhatsAppError::MissingField { field }) if field == "MediaUrl0"
        ));
        let too_many = b"MessageSid=SM1&From=whatsapp%3A%2B33612345678&NumMedia=99999";
        assert!(matches!(
            parse_twilio_webhook(too_many),
            Err(WhatsAppError::BadField { field, .. }) if field == "NumMedia"
        ));
        let unknown = b"MessageSid=SM1&MessageStatus=exploded";
        assert!(matches!(
            parse_twilio_webhook(unknown),
            Err(WhatsAppError::BadField { field, .. }) if field == "MessageStatus"
        ));
    }

    #[test]
    fn a_shared_location_is_described() {
        let body = b"MessageSid=SM3&From=whatsapp%3A%2B33612345678&Latitude=43.2965\
            &Longitude=5.3698&Label=Vieux-Port";
        let m = parse_twilio_webhook(body).unwrap().messages.remove(0);
        assert_eq!(m.text, "Location: Vieux-Port (43.2965, 5.3698)");
    }

    proptest! {
        #[test]
        fn arbitrary_forms_never_panic(body in "[A-Za-z0-9=&%+:._-]{0,300}") {
            let _ = parse_twilio_webhook(body.as_bytes());
        }

        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse_twilio_webhook(&body);
        }
    }
}

//! WhatsApp as a second channel: inbound webhooks normalised, delivery callbacks, the 24-hour
//! customer-service window, and outbound messages composed for the host to send.
//!
//! - [`meta`]: the Meta WhatsApp Cloud API webhook (JSON);
//! - [`twilio`]: Twilio's WhatsApp webhook (form-urlencoded);
//! - [`window`]: free-form messages only within 24 h of the contact's last message;
//! - [`outbound`]: text and template messages as a Cloud API request body;
//! - [`signature`]: Meta's and Twilio's webhook signatures, checked before parsing.
//!
//! Both webhooks normalise to [`WhatsAppEvents`]: messages from contacts and status callbacks for
//! the messages we sent. Nothing here does I/O; media are referenced by id or URL for the host to
//! download.

pub mod meta;
pub mod outbound;
pub mod signature;
pub mod twilio;
pub mod window;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::conversation::DeliveryStatus;
use crate::provider::ProviderError;

pub use meta::parse_meta_webhook;
pub use outbound::{OutboundError, WhatsAppOutbound, cloud_api_body};
pub use signature::{SignatureError, verify_meta_signature, verify_twilio_signature};
pub use twilio::parse_twilio_webhook;
pub use window::{OutboundKind, WINDOW, WindowError, WindowState, check_send, window_state};

/// Largest webhook payload accepted, in bytes.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;
/// Most messages plus statuses read from one payload.
pub const MAX_EVENTS: usize = 1_000;

/// Which API a message came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhatsAppProvider {
    /// The Meta WhatsApp Cloud API.
    Meta,
    /// Twilio's WhatsApp API.
    Twilio,
}

/// A contact: their WhatsApp number and profile name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsAppContact {
    /// The phone number in E.164 form (`+33612345678`).
    pub phone: String,
    /// The profile name they chose, if the webhook gave it.
    pub name: Option<String>,
}

/// What kind of media a message carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A picture.
    Image,
    /// A file.
    Document,
    /// A sound or voice note.
    Audio,
    /// A video.
    Video,
    /// A sticker.
    Sticker,
    /// Something else (Twilio reports only a MIME type).
    Other,
}

/// A media attachment, referenced for the host to download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsAppMedia {
    /// What it is.
    pub kind: MediaKind,
    /// The Cloud API media id (Meta), to fetch through the Graph API.
    pub id: Option<String>,
    /// The media URL (Twilio).
    pub url: Option<String>,
    /// The MIME type, lowercase, without parameters.
    pub mime_type: String,
    /// The hash the provider reported, as given (Meta).
    pub sha256: Option<String>,
    /// The file name (documents).
    pub filename: Option<String>,
}

/// A shared location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// The place's name, if given.
    pub name: Option<String>,
    /// Its address, if given.
    pub address: Option<String>,
}

/// A message from a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatsAppInbound {
    /// Which API it came through.
    pub provider: WhatsAppProvider,
    /// The provider's message id (`wamid.…`, `SM…`): the dedupe key.
    pub id: String,
    /// Who sent it.
    pub from: WhatsAppContact,
    /// The business number or phone-number id it was sent to, when given.
    pub to: Option<String>,
    /// When it was sent, when the provider says (Twilio does not).
    pub sent_at: Option<DateTime<Utc>>,
    /// The provider's type name (`text`, `image`, `location`, …).
    pub message_type: String,
    /// The text: the body, a media caption, or a location's description; empty when none.
    pub text: String,
    /// Media attachments.
    pub attachments: Vec<WhatsAppMedia>,
    /// A shared location.
    pub location: Option<Location>,
    /// The id of the message this one answers, when the contact used "reply".
    pub in_reply_to: Option<String>,
}

/// A delivery error the provider reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderFailure {
    /// The provider's error code.
    pub code: Option<String>,
    /// Its description, when given.
    pub message: Option<String>,
}

/// A status callback for a message we sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatsAppStatus {
    /// Which API reported it.
    pub provider: WhatsAppProvider,
    /// The provider's id of our message.
    pub message_id: String,
    /// The new status.
    pub status: DeliveryStatus,
    /// The recipient, E.164, when given.
    pub recipient: Option<String>,
    /// When it happened, when the provider says.
    pub at: Option<DateTime<Utc>>,
    /// Why it failed, for failures.
    pub failure: Option<ProviderFailure>,
}

/// What one webhook call carried.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WhatsAppEvents {
    /// Messages from contacts.
    pub messages: Vec<WhatsAppInbound>,
    /// Status callbacks for our messages.
    pub statuses: Vec<WhatsAppStatus>,
}

/// Why a WhatsApp webhook could not be read. `field` is a path into the payload
/// (`entry[0].changes[0].value.messages[1].from`, or a form field name).
#[derive(Debug, thiserror::Error)]
pub enum WhatsAppError {
    /// The payload is over [`MAX_PAYLOAD_BYTES`].
    #[error("WhatsApp payload is {size} bytes, over the limit of {MAX_PAYLOAD_BYTES}")]
    TooLarge {
        /// Its size.
        size: usize,
    },
    /// More than [`MAX_EVENTS`] messages and statuses.
    #[error("WhatsApp payload carries more than {MAX_EVENTS} messages and statuses")]
    TooManyEvents,
    /// Not JSON.
    #[error("WhatsApp payload is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Not a form.
    #[error("Twilio payload is not a form: {0}")]
    Form(#[from] ProviderError),
    /// A required field is absent.
    #[error("WhatsApp payload has no `{field}`")]
    MissingField {
        /// Where it should be.
        field: String,
    },
    /// A field has the wrong type or an unusable value.
    #[error("WhatsApp payload field `{field}` is invalid: expected {expected}, got {got:?}")]
    BadField {
        /// Where it is.
        field: String,
        /// What was expected.
        expected: &'static str,
        /// What was there (cut to 64 characters).
        got: String,
    },
}

pub(crate) fn cut(s: &str) -> String {
    s.chars().take(64).collect()
}

/// A phone number in E.164 form (`+` and 6 to 15 digits) from digits with or without `+`;
/// spaces, dashes, dots and parentheses are dropped. `None` when it is not one.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    let mut out = String::from("+");
    for c in digits.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    (7..=16).contains(&out.len()).then_some(out)
}

/// A MIME type lowercased and without parameters (`image/jpeg; q=1` → `image/jpeg`).
pub(crate) fn clean_mime(raw: &str) -> String {
    raw.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_to_e164() {
        assert_eq!(
            normalize_phone("33 6 12 34 56 78").as_deref(),
            Some("+33612345678")
        );
        assert_eq!(
            normalize_phone("+1 (415) 523-8886").as_deref(),
            Some("+14155238886")
        );
        assert_eq!(normalize_phone("12345"), None);
        assert_eq!(normalize_phone("+1234567890123456"), None);
        assert_eq!(normalize_phone("whatsapp:+1415"), None);
    }
}

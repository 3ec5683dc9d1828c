//! Outbound WhatsApp messages, as the JSON body of a Cloud API `POST /{phone-number-id}/messages`
//! request for the host to send. Check the [window](super::window) first.
//!
//! ```
//! use replytrack::inbox::whatsapp::{WhatsAppOutbound, cloud_api_body};
//!
//! let msg = WhatsAppOutbound::text("+33 6 12 34 56 78", "Your order has shipped.");
//! let body = cloud_api_body(&msg)?;
//! assert_eq!(body["to"], "33612345678");
//! assert_eq!(body["text"]["body"], "Your order has shipped.");
//! # Ok::<(), replytrack::inbox::whatsapp::OutboundError>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::window::OutboundKind;
use super::{cut, normalize_phone};

/// Longest text message body, in characters (the Cloud API's limit).
pub const MAX_TEXT_CHARS: usize = 4096;
/// Longest template name, in bytes.
pub const MAX_TEMPLATE_NAME: usize = 512;
/// Most body parameters of a template.
pub const MAX_TEMPLATE_PARAMS: usize = 100;
/// Longest template parameter, in characters.
pub const MAX_PARAM_CHARS: usize = 1024;

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WhatsAppOutbound {
    /// A free-form text (only within the 24-hour window).
    Text {
        /// The recipient's phone number.
        to: String,
        /// The text.
        body: String,
        /// Let WhatsApp show a preview of the first link.
        preview_url: bool,
        /// The provider id of the contact's message this answers, if any.
        reply_to: Option<String>,
    },
    /// An approved template with its body parameters, in order (`{{1}}`, `{{2}}`, …).
    Template {
        /// The recipient's phone number.
        to: String,
        /// The template's name.
        name: String,
        /// Its language code as approved (`en_US`, `fr`).
        language: String,
        /// The body parameters.
        params: Vec<String>,
    },
}

impl WhatsAppOutbound {
    /// A text message without link preview.
    pub fn text(to: impl Into<String>, body: impl Into<String>) -> Self {
        Self::Text {
            to: to.into(),
            body: body.into(),
            preview_url: false,
            reply_to: None,
        }
    }

    /// A template message.
    pub fn template(
        to: impl Into<String>,
        name: impl Into<String>,
        language: impl Into<String>,
        params: Vec<String>,
    ) -> Self {
        Self::Template {
            to: to.into(),
            name: name.into(),
            language: language.into(),
            params,
        }
    }

    /// What the window needs to know about it.
    pub fn kind(&self) -> OutboundKind {
        match self {
            Self::Text { .. } => OutboundKind::FreeForm,
            Self::Template { name, .. } => OutboundKind::Template { name: name.clone() },
        }
    }
}

/// Why an outbound message could not be composed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    /// The recipient is not a phone number.
    #[error("recipient {0:?} is not a phone number")]
    BadRecipient(String),
    /// An empty text.
    #[error("a WhatsApp text message cannot be empty")]
    EmptyText,
    /// A text over [`MAX_TEXT_CHARS`].
    #[error("WhatsApp text is {chars} characters, over the limit of {MAX_TEXT_CHARS}")]
    TextTooLong {
        /// Its length.
        chars: usize,
    },
    /// A template name that is empty, too long, or not lowercase letters, digits and `_`.
    #[error("{0:?} is not a WhatsApp template name (lowercase letters, digits and _)")]
    BadTemplateName(String),
    /// An empty language code.
    #[error("template {0:?} has no language code")]
    MissingLanguage(String),
    /// A parameter that is empty or too long, or too many of them.
    #[error(
        "template parameter {index} is empty, over {MAX_PARAM_CHARS} characters, or past {MAX_TEMPLATE_PARAMS}"
    )]
    BadParam {
        /// Its 1-based position (`{{index}}`).
        index: usize,
    },
}

fn recipient(to: &str) -> Result<String, OutboundError> {
    normalize_phone(to)
        .map(|p| p.trim_start_matches('+').to_string())
        .ok_or_else(|| OutboundError::BadRecipient(cut(to)))
}

/// The Cloud API request body for a message. The recipient is written as digits without `+`,
/// as the API's examples do.
///
/// # Errors
/// [`OutboundError`] for a bad recipient, an empty or overlong text, a bad template name,
/// language or parameter.
pub fn cloud_api_body(msg: &WhatsAppOutbound) -> Result<Value, OutboundError> {
    match msg {
        WhatsAppOutbound::Text {
            to,
            body,
            preview_url,
            reply_to,
        } => {
            let to = recipient(to)?;
            if body.trim().is_empty() {
                return Err(OutboundError::EmptyText);
            }
            let chars = body.chars().count();
            if chars > MAX_TEXT_CHARS {
                return Err(OutboundError::TextTooLong { chars });
            }
            let mut v = json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "text",
                "text": { "preview_url": preview_url, "body": body },
            });
            if let (Some(id), Some(obj)) = (reply_to, v.as_object_mut()) {
                obj.insert("context".into(), json!({ "message_id": id }));
            }
            Ok(v)
        }
        WhatsAppOutbound::Template {
            to,
            name,
            language,
            params,
        } => {
            let to = recipient(to)?;
            let valid_name = !name.is_empty()
                && name.len() <= MAX_TEMPLATE_NAME
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid_name {
                return Err(OutboundError::BadTemplateName(cut(name)));
            }
            if language.trim().is_empty() {
                return Err(OutboundError::MissingLanguage(name.clone()));
            }
            for (i, p) in params.iter().enumerate() {
                if i >= MAX_TEMPLATE_PARAMS
                    || p.trim().is_empty()
                    || p.chars().count() > MAX_PARAM_CHARS
                {
                    return Err(OutboundError::BadParam { index: i + 1 });
                }
            }
            let mut template = json!({
                "name": name,
                "language": { "code": language.trim() },
            });
            if let (false, Some(obj)) = (params.is_empty(), template.as_object_mut()) {
                let parameters: Vec<Value> = params
                    .iter()
                    .map(|p| json!({ "type": "text", "text": p }))
                    .collect();
                obj.insert(
                    "components".into(),
                    json!([{ "type": "body", "parameters": parameters }]),
                );
            }
            Ok(json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "template",
                "template": template,
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_reply_threads_on_the_contact_message() {
        let msg = WhatsAppOutbound::Text {
            to: "+33612345678".into(),
            body: "Merci !".into(),
            preview_url: true,
            reply_to: Some("wamid.IN1".into()),
        };
        assert_eq!(
            cloud_api_body(&msg).unwrap(),
            json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "33612345678",
                "type": "text",
                "text": { "preview_url": true, "body": "Merci !" },
                "context": { "message_id": "wamid.IN1" },
            })
        );
        assert_eq!(msg.kind(), OutboundKind::FreeForm);
    }

    #[test]
    fn a_template_carries_its_language_and_body_parameters() {
        let msg = WhatsAppOutbound::template(
            "14155238886",
            "order_update",
            "en_US",
            vec!["Ana".into(), "#1042".into()],
        );
        let body = cloud_api_body(&msg).unwrap();
        assert_eq!(body["template"]["name"], "order_update");
        assert_eq!(body["template"]["language"]["code"], "en_US");
        assert_eq!(
            body["template"]["components"][0]["parameters"][1],
            json!({ "type": "text", "text": "#1042" })
        );
    }

    #[test]
    fn bad_messages_are_refused_before_sending() {
        let e = |m| cloud_api_body(&m).unwrap_err();
        assert_eq!(
            e(WhatsAppOutbound::text("not a number", "hi")),
            OutboundError::BadRecipient("not a number".into())
        );
        assert_eq!(
            e(WhatsAppOutbound::text("+33612345678", "  ")),
            OutboundError::EmptyText
        );
        assert!(matches!(
            e(WhatsAppOutbound::text("+33612345678", "x".repeat(5000))),
            OutboundError::TextTooLong { chars: 5000 }
        ));
        assert!(matches!(
            e(WhatsAppOutbound::template(
                "+33612345678",
                "Order Update",
                "en",
                vec![]
            )),
            OutboundError::BadTemplateName(_)
        ));
        assert_eq!(
            e(WhatsAppOutbound::template(
                "+33612345678",
                "order_update",
                "en",
                vec!["a".into(), "".into()]
            )),
            OutboundError::BadParam { index: 2 }
        );
    }
}

//! Reply extraction: the new text of a reply, without quoted history or signature.
//! (Stub: replaced by the reply-extraction work.)

use serde::{Deserialize, Serialize};

use crate::message::InboundMessage;

/// The extracted reply.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reply {
    /// What the person wrote: no quoted history, no signature block (the sign-off and name stay).
    pub text: String,
    /// The quoted history that was cut, if any.
    pub quoted: Option<String>,
    /// The signature block that was cut, if any.
    pub signature: Option<String>,
    /// ISO 639-1 language of `text`, when detectable.
    pub lang: Option<String>,
    /// The message was only a quote: `text` is empty on purpose.
    pub only_quote: bool,
}

/// Extract the reply from a message, using its HTML part when that is richer.
pub fn extract(msg: &InboundMessage) -> Reply {
    extract_text(msg.text_body.as_deref().unwrap_or_default())
}

/// Extract the reply from a plain-text body.
pub fn extract_text(text: &str) -> Reply {
    Reply {
        text: text.trim().to_string(),
        ..Reply::default()
    }
}

/// Extract the reply from an HTML body.
pub fn extract_html(html: &str) -> Reply {
    extract_text(&crate::html::html_to_text(html))
}

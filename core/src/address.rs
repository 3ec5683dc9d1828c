//! Reply addresses. (Stub: being written.)

use serde::{Deserialize, Serialize};

use crate::message::InboundMessage;

/// Where in a message a reply token was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// An SMTP envelope recipient (`RCPT TO`) reported by the transport.
    Envelope,
    /// `Delivered-To`.
    DeliveredTo,
    /// `X-Original-To`.
    XOriginalTo,
    /// `X-Forwarded-To`.
    XForwardedTo,
    /// `Envelope-To`.
    EnvelopeTo,
    /// `To`.
    To,
    /// `Cc`.
    Cc,
    /// `In-Reply-To` or `References` (a Message-ID we minted embeds the token).
    References,
    /// The original message attached to a bounce.
    BouncedOriginal,
}

/// A token found in a message, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenMatch {
    /// The token in canonical (lowercase) form; its shape is valid, its signature not yet checked.
    pub token: String,
    /// Where it was found.
    pub source: TokenSource,
}

/// What scanning needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOptions {
    /// The reply domain (`reply.example.com`); addresses at other domains are ignored.
    pub domain: String,
}

/// Find our token in a message's recipients, then in its references.
pub fn scan(_msg: &InboundMessage, _opts: &ScanOptions) -> Option<TokenMatch> {
    None
}

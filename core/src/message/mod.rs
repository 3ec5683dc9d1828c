//! Inbound messages: the one normalised shape every provider adapter produces.
//!
//! [`InboundMessage`] is what the rest of the library sees of an email, whichever provider delivered
//! it. [`InboundMessage::parse`] builds one from raw RFC 5322 bytes within explicit [`Limits`]; the
//! adapters in [`crate::provider`] build one from a webhook payload and fill in [`TransportInfo`]
//! with what the provider told us (envelope, SPF/DKIM/DMARC verdicts, spam score). [`classify`]
//! says whether a message is a person's reply, an auto reply, a bounce or our own mail echoed back.
//!
//! Parsing is linear in the input: the message is split into MIME entities with an explicit work
//! list and a `memchr` boundary search, header values are read by single-pass scanners, and every
//! limit is checked before the bytes it guards are decoded.

pub(crate) mod body;
pub(crate) mod charset;
mod classify;
pub(crate) mod content_type;
mod encoded_word;
pub(crate) mod fields;
pub(crate) mod flowed;
pub(crate) mod header;
mod limits;
pub(crate) mod mailbox;
mod mime;
mod parse;
pub(crate) mod transfer;
mod types;

#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod proptests;

pub use classify::{
    BounceReport, Classification, ClassifyOptions, Evidence, MessageKind, classify, rule,
};
pub use limits::{Limits, MAX_DEPTH_CEILING, ParseError};
pub use types::{Attachment, Envelope, InboundMessage, Mailbox, TransportInfo, Verdict};

/// The header replytrack puts on every message it sends, holding the id of that outgoing message.
///
/// [`classify`] uses it to recognise our own mail echoed back to a reply address (a forwarding
/// loop, an auto-forward of our message): a message from one of
/// [`ClassifyOptions::own_addresses`] or [`ClassifyOptions::own_domains`] that carries this header
/// is [`MessageKind::OwnLoop`]. The composer of outgoing mail must set it; its value is opaque here.
pub const REPLYTRACK_ID_HEADER: &str = "X-Replytrack-Id";

//! Inbound messages: the one normalised shape every provider adapter produces.
//!
//! [`InboundMessage`] is what the rest of the library sees of an email, whichever provider delivered
//! it. [`InboundMessage::parse`] builds one from raw RFC 5322 bytes; the adapters in
//! [`crate::provider`] build one from a webhook payload and fill in [`TransportInfo`] with what the
//! provider told us (envelope, SPF/DKIM/DMARC verdicts, spam score). [`classify`] says whether a
//! message is a person's reply, an auto reply, a bounce or our own mail echoed back.

mod classify;
mod parse;
mod types;

pub use classify::{
    BounceReport, Classification, ClassifyOptions, Evidence, MessageKind, classify,
};
pub use parse::{Limits, ParseError};
pub use types::{Attachment, Envelope, InboundMessage, Mailbox, TransportInfo, Verdict};

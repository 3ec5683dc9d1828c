//! Classification: reply, auto reply, bounce or own loop. (Stub: replaced by the MIME work.)

use serde::{Deserialize, Serialize};

use super::InboundMessage;

/// What kind of message this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A person's reply.
    Reply,
    /// An automatic reply (out of office, auto-responder).
    AutoReply,
    /// A delivery failure report.
    Bounce,
    /// Our own outgoing mail echoed back.
    OwnLoop,
}

/// One piece of evidence behind a classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// A stable rule name (`auto_submitted_header`, `dsn_report`, …).
    pub rule: String,
    /// What was seen (the header and its value, the subject, …).
    pub detail: String,
}

/// What a bounce tells us.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BounceReport {
    /// Permanent failure (5.x.x) rather than a temporary one (4.x.x).
    pub hard: bool,
    /// The recipients that failed.
    pub failed_recipients: Vec<String>,
    /// The enhanced status code (`5.1.1`), if found.
    pub status: Option<String>,
    /// The per-recipient `Action` (`failed`, `delayed`), if found.
    pub action: Option<String>,
    /// The diagnostic text, if any.
    pub diagnostic: Option<String>,
}

/// The result of [`classify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// The kind.
    pub kind: MessageKind,
    /// Why.
    pub evidence: Vec<Evidence>,
    /// Mailing-list mail (`List-Id`, `Precedence: list`): flagged, not an auto reply by itself.
    pub mailing_list: bool,
    /// Bounce details when `kind` is [`MessageKind::Bounce`].
    pub bounce: Option<BounceReport>,
}

/// What classification needs to know about us.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClassifyOptions {
    /// Our sending domains (lowercase); mail from them, carrying our own headers, is an own loop.
    pub own_domains: Vec<String>,
    /// Our own sending addresses (lowercase).
    pub own_addresses: Vec<String>,
}

/// Classify a message.
pub fn classify(_msg: &InboundMessage, _opts: &ClassifyOptions) -> Classification {
    Classification {
        kind: MessageKind::Reply,
        evidence: Vec::new(),
        mailing_list: false,
        bounce: None,
    }
}

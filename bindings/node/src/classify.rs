//! Classification: a person's reply, an auto reply, a bounce, or our own mail echoed back.

use napi_derive::napi;
use replytrack::message as core;

use crate::message::InboundMessage;

/// What kind of message this is.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A person's reply.
    #[napi(value = "reply")]
    Reply,
    /// An automatic reply (out of office, auto-responder).
    #[napi(value = "auto_reply")]
    AutoReply,
    /// A delivery failure report.
    #[napi(value = "bounce")]
    Bounce,
    /// Our own outgoing mail echoed back.
    #[napi(value = "own_loop")]
    OwnLoop,
}

impl From<core::MessageKind> for MessageKind {
    fn from(k: core::MessageKind) -> Self {
        match k {
            core::MessageKind::Reply => Self::Reply,
            core::MessageKind::AutoReply => Self::AutoReply,
            core::MessageKind::Bounce => Self::Bounce,
            core::MessageKind::OwnLoop => Self::OwnLoop,
        }
    }
}

/// One piece of evidence behind a classification.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Evidence {
    /// A stable rule name (`auto_submitted_header`, `ooo_subject`, `dsn_report`, …).
    pub rule: String,
    /// What was seen (the header and its value, the subject, …).
    pub detail: String,
}

/// What a bounce tells us.
#[napi(object)]
#[derive(Debug, Clone)]
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
    /// The `Message-ID` of the attached original, if one is attached.
    pub original_message_id: Option<String>,
}

/// The result of `classify`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Classification {
    /// The kind.
    pub kind: MessageKind,
    /// Why: the evidence for `kind`, then the mailing-list evidence.
    pub evidence: Vec<Evidence>,
    /// Mailing-list mail (`List-Id`, `Precedence: list`): flagged, not an auto reply by itself.
    pub mailing_list: bool,
    /// Bounce details when `kind` is `bounce`.
    pub bounce: Option<BounceReport>,
}

/// What classification needs to know about us.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct ClassifyOptions {
    /// Our sending domains: mail from them (or their subdomains) carrying our marker header or
    /// Message-ID is an own loop.
    pub own_domains: Option<Vec<String>>,
    /// Our own sending addresses.
    pub own_addresses: Option<Vec<String>>,
}

/// Classify a message: `reply`, `auto_reply`, `bounce` or `own_loop`, with the evidence that
/// decided it (stable rule names) and, for a bounce, what it reports.
#[napi]
pub fn classify(message: InboundMessage, options: Option<ClassifyOptions>) -> Classification {
    let options = options.unwrap_or_default();
    let opts = core::ClassifyOptions {
        own_domains: options.own_domains.unwrap_or_default(),
        own_addresses: options.own_addresses.unwrap_or_default(),
    };
    let c = core::classify(&message.into_core(), &opts);
    Classification {
        kind: c.kind.into(),
        evidence: c
            .evidence
            .into_iter()
            .map(|e| Evidence {
                rule: e.rule,
                detail: e.detail,
            })
            .collect(),
        mailing_list: c.mailing_list,
        bounce: c.bounce.map(|b| BounceReport {
            hard: b.hard,
            failed_recipients: b.failed_recipients,
            status: b.status,
            action: b.action,
            diagnostic: b.diagnostic,
            original_message_id: b.original_message_id,
        }),
    }
}

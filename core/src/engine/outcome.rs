//! What [`Engine::ingest`](super::Engine::ingest) did with a message.

use chrono::{DateTime, Utc};

use super::forward::ForwardStatus;
use crate::address::TokenSource;
use crate::conversation::{ConversationId, CustomerId, MessageId, QuarantineReason};
use crate::message::ParseError;
use crate::provider::ProviderKind;
use crate::token::{ReplyToken, TokenError};

/// Why a message was refused outright. The engine stored nothing about the message itself;
/// bytes that could not be read are in the store's dead-letter table when they came through
/// [`Engine::ingest_raw`](super::Engine::ingest_raw) or
/// [`Engine::ingest_payload`](super::Engine::ingest_payload).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RejectReason {
    /// The raw bytes could not be parsed ([`Engine::ingest_raw`](super::Engine::ingest_raw)).
    #[error("the message could not be parsed: {0}")]
    Unparseable(ParseError),
    /// No reply token anywhere (recipients, references), and the sender is not a known customer
    /// (or tokenless replies are not accepted).
    #[error(
        "no reply token in the recipients or references, and the sender is not a known customer"
    )]
    NoToken,
    /// The token was refused from the token alone (forged, malformed, unknown or retired key,
    /// issued in the future). Expired tokens are [`IngestOutcome::Expired`] instead.
    #[error("reply token {token} (found in {}) was refused: {error}", found_in.as_str())]
    BadToken {
        /// The token as found.
        token: String,
        /// Where it was found.
        found_in: TokenSource,
        /// Why it was refused.
        error: TokenError,
    },
    /// The token is genuine but the store has no record of it (issued by another environment,
    /// or its record was deleted).
    #[error("reply token {0} is genuine but has no record in the store")]
    UnknownToken(ReplyToken),
    /// A provider's webhook body could not be read (a missing field, a bad encoding, a limit),
    /// from [`Engine::ingest_payload`](super::Engine::ingest_payload).
    #[error("the {} payload could not be read: {detail}", provider.as_str())]
    InvalidPayload {
        /// The adapter that read it.
        provider: ProviderKind,
        /// What the adapter reported.
        detail: String,
    },
}

impl RejectReason {
    /// A stable snake_case name: `unparseable`, `no_token`, `bad_token`, `unknown_token`,
    /// `invalid_payload`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Unparseable(_) => "unparseable",
            Self::NoToken => "no_token",
            Self::BadToken { .. } => "bad_token",
            Self::UnknownToken(_) => "unknown_token",
            Self::InvalidPayload { .. } => "invalid_payload",
        }
    }
}

/// A reply stored in a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The stored message.
    pub message: MessageId,
    /// Its customer.
    pub customer: CustomerId,
    /// The conversation it landed in.
    pub conversation: ConversationId,
    /// Where the token was found (`None` for a tokenless reply from a known customer).
    pub token_source: Option<TokenSource>,
    /// The message opened a new conversation (`ConversationOpened { source: Contact }`).
    pub opened: bool,
    /// The message reopened a resolved or snoozed conversation.
    pub reopened: bool,
    /// What happened to the forward.
    pub forward: ForwardStatus,
    /// What the inbox did after storing it: routing, automation rules, the auto-reply.
    pub inbox: Box<super::InboxEffects>,
}

/// What ingest did, with what the host needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    /// A person's reply, stored in its conversation (and forwarded, analysed).
    Stored(Stored),
    /// The same message was already stored (a webhook retry): nothing written.
    Duplicate {
        /// The message stored the first time, if it was stored as one.
        existing: Option<MessageId>,
    },
    /// Refused; see the reason.
    Rejected {
        /// Why.
        reason: RejectReason,
    },
    /// The reply address has expired: the reply is refused, and the customer's next email will
    /// carry a new address (the host may tell the sender so). Noted on the timeline.
    Expired {
        /// The expired token.
        token: ReplyToken,
        /// When it expired.
        expired_at: DateTime<Utc>,
        /// The customer it was issued for, if its record exists.
        customer: Option<CustomerId>,
        /// The conversation it belonged to, if any.
        conversation: Option<ConversationId>,
    },
    /// Someone other than the customer replied: not stored as the customer's words. The
    /// timeline notes that a reply was held back (without its content).
    Quarantined {
        /// Why.
        reason: QuarantineReason,
        /// The customer the token belongs to.
        customer: CustomerId,
        /// The conversation it would have gone to.
        conversation: Option<ConversationId>,
    },
    /// An automatic reply (out of office), recorded on the timeline; nothing reopened, forwarded
    /// or answered.
    AutoReplyRecorded {
        /// The stored message.
        message: MessageId,
        /// Its customer.
        customer: CustomerId,
        /// Its conversation, if any.
        conversation: Option<ConversationId>,
    },
    /// An automatic reply that could not be tied to a customer: dropped.
    AutoReplyDropped {
        /// Why it could not be tied.
        reason: RejectReason,
    },
    /// A bounce, recorded against the customer's address.
    BounceRecorded {
        /// Permanent failure.
        hard: bool,
        /// The customer.
        customer: CustomerId,
        /// The conversation of the bounced email, if any.
        conversation: Option<ConversationId>,
        /// The addresses marked.
        addresses: Vec<String>,
        /// Every address of the customer has now hard-bounced (funnel: bounced).
        customer_bounced: bool,
        /// The stored bounce message.
        message: MessageId,
    },
    /// A bounce for no customer we know: nothing stored.
    BounceUnattributed {
        /// The recipients it reports.
        failed_recipients: Vec<String>,
    },
    /// Our own mail echoed back (a forward or outgoing email looping): dropped.
    OwnLoopDropped {
        /// What gave it away.
        evidence: String,
    },
}

impl IngestOutcome {
    /// A stable snake_case name: `stored`, `duplicate`, `rejected`, `expired`, `quarantined`,
    /// `auto_reply_recorded`, `auto_reply_dropped`, `bounce_recorded`, `bounce_unattributed`,
    /// `own_loop_dropped`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Stored(_) => "stored",
            Self::Duplicate { .. } => "duplicate",
            Self::Rejected { .. } => "rejected",
            Self::Expired { .. } => "expired",
            Self::Quarantined { .. } => "quarantined",
            Self::AutoReplyRecorded { .. } => "auto_reply_recorded",
            Self::AutoReplyDropped { .. } => "auto_reply_dropped",
            Self::BounceRecorded { .. } => "bounce_recorded",
            Self::BounceUnattributed { .. } => "bounce_unattributed",
            Self::OwnLoopDropped { .. } => "own_loop_dropped",
        }
    }

    /// One sentence saying what happened and why.
    pub fn explain(&self) -> String {
        match self {
            Self::Stored(s) => format!(
                "reply stored as {} in conversation {}{}; forward {}",
                s.message,
                s.conversation,
                if s.opened {
                    " (opened it)"
                } else if s.reopened {
                    " (reopened it)"
                } else {
                    ""
                },
                s.forward.describe()
            ),
            Self::Duplicate { existing } => match existing {
                Some(m) => format!("already stored as {m}: a repeated delivery, nothing written"),
                None => "already received: a repeated delivery, nothing written".to_string(),
            },
            Self::Rejected { reason } => format!("rejected: {reason}"),
            Self::Expired {
                token, expired_at, ..
            } => format!(
                "reply address with token {token} expired at {}: refused; the next email to \
                 this customer carries a new address",
                expired_at.to_rfc3339()
            ),
            Self::Quarantined { reason, .. } => format!("quarantined: {reason}"),
            Self::AutoReplyRecorded { message, .. } => format!(
                "automatic reply recorded as {message}; not reopened, forwarded or answered"
            ),
            Self::AutoReplyDropped { reason } => {
                format!("automatic reply dropped: {reason}")
            }
            Self::BounceRecorded {
                hard,
                addresses,
                customer_bounced,
                ..
            } => format!(
                "{} bounce recorded for {}{}",
                if *hard { "hard" } else { "soft" },
                addresses.join(", "),
                if *customer_bounced {
                    "; every address of the customer has bounced"
                } else {
                    ""
                }
            ),
            Self::BounceUnattributed { failed_recipients } => format!(
                "bounce for {} matches no customer: nothing stored",
                if failed_recipients.is_empty() {
                    "unknown recipients".to_string()
                } else {
                    failed_recipients.join(", ")
                }
            ),
            Self::OwnLoopDropped { evidence } => {
                format!("our own mail came back ({evidence}): dropped")
            }
        }
    }
}

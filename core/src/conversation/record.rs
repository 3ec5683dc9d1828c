//! The stored records: conversations, messages and token records.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::delivery::DeliveryStatus;
use super::ids::{ConversationId, CustomerId, MessageId};
use super::status::ConversationStatus;
use crate::analysis::Analysis;
use crate::message::{Attachment, MessageKind};
use crate::token::ReplyToken;

/// The channel a conversation runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Email.
    #[default]
    Email,
    /// WhatsApp (later).
    Whatsapp,
    /// Logged by hand: a phone call, another inbox.
    Manual,
}

/// Who started a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenedBy {
    /// The contact wrote first (a reply to an outgoing email, a call).
    Contact,
    /// The business started it.
    Business,
}

/// How urgent a conversation is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Not set.
    #[default]
    None,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Urgent.
    Urgent,
}

/// A conversation with one customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// Our id.
    pub id: ConversationId,
    /// The customer.
    pub customer: CustomerId,
    /// The channel.
    pub channel: Channel,
    /// Where it stands. At most one conversation per customer is not resolved.
    pub status: ConversationStatus,
    /// Who started it.
    pub opened_by: OpenedBy,
    /// The subject of its first message.
    pub subject: Option<String>,
    /// The agent it is assigned to.
    pub assignee: Option<String>,
    /// The team it is assigned to.
    pub team: Option<String>,
    /// Labels.
    pub labels: BTreeSet<String>,
    /// Priority.
    pub priority: Priority,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The latest message from the contact.
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// The latest message from the business.
    pub last_outbound_at: Option<DateTime<Utc>>,
    /// The business's first answer after the contact's first message.
    pub first_response_at: Option<DateTime<Utc>>,
    /// Since when the contact has been waiting for an answer (none when they are not).
    pub waiting_since: Option<DateTime<Utc>>,
    /// When it was last resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version, set by the store (1 on insert, +1 per update).
    pub version: u64,
}

impl Conversation {
    /// A new conversation at `now`: open when the contact started it, pending when we did.
    pub fn new(
        customer: CustomerId,
        channel: Channel,
        opened_by: OpenedBy,
        subject: Option<String>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: ConversationId::generate(now),
            customer,
            channel,
            status: match opened_by {
                OpenedBy::Contact => ConversationStatus::Open,
                OpenedBy::Business => ConversationStatus::Pending,
            },
            opened_by,
            subject,
            assignee: None,
            team: None,
            labels: BTreeSet::new(),
            priority: Priority::None,
            created_at: now,
            last_inbound_at: None,
            last_outbound_at: None,
            first_response_at: None,
            waiting_since: None,
            resolved_at: None,
            version: 0,
        }
    }

    /// Note a message from the contact at `at`.
    pub fn note_inbound(&mut self, at: DateTime<Utc>) {
        self.last_inbound_at = Some(at);
        if self.waiting_since.is_none() {
            self.waiting_since = Some(at);
        }
    }

    /// Note a message from the business at `at`.
    pub fn note_outbound(&mut self, at: DateTime<Utc>) {
        self.last_outbound_at = Some(at);
        if self.first_response_at.is_none() && self.last_inbound_at.is_some() {
            self.first_response_at = Some(at);
        }
        self.waiting_since = None;
    }
}

/// Which way a message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// An email we sent.
    Outbound,
    /// An email we received.
    Inbound,
    /// Something said elsewhere (a call, another inbox), logged by hand.
    ManualLog,
    /// A private note, visible to the team only.
    Note,
}

/// Who a manually logged message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The contact said it.
    Contact,
    /// Someone from the business said it.
    Business,
}

/// What reply extraction made of an inbound message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExtractedReply {
    /// The person's new words.
    pub text: String,
    /// The quoted history that was cut.
    pub quoted: Option<String>,
    /// The signature block that was cut.
    pub signature: Option<String>,
    /// ISO 639-1 language.
    pub lang: Option<String>,
    /// The message only quoted: `text` is empty on purpose.
    pub only_quote: bool,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Our id.
    pub id: MessageId,
    /// The customer.
    pub customer: CustomerId,
    /// The conversation, when it belongs to one (a one-off outgoing email does not).
    pub conversation: Option<ConversationId>,
    /// Which way it went.
    pub direction: Direction,
    /// For inbound mail: reply, auto reply or bounce.
    pub kind: Option<MessageKind>,
    /// For manual logs: who said it.
    pub party: Option<Party>,
    /// The agent who logged or wrote it, if known.
    pub author: Option<String>,
    /// The sender address.
    pub from: Option<String>,
    /// `To` addresses.
    pub to: Vec<String>,
    /// `Cc` addresses.
    pub cc: Vec<String>,
    /// Subject.
    pub subject: Option<String>,
    /// The full text body.
    pub body: String,
    /// The HTML body, if any.
    pub html: Option<String>,
    /// A one-line preview (at most [`PREVIEW_CHARS`] characters).
    pub preview: String,
    /// For inbound replies: the extracted reply.
    pub reply: Option<ExtractedReply>,
    /// For replies and contact logs: the analysis the analysis worker stored
    /// ([`Engine::run_analysis`](crate::engine::Engine::run_analysis)); none until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
    /// Attachment metadata.
    pub attachments: Vec<Attachment>,
    /// The reply token it carried (outbound) or arrived on (inbound).
    pub token: Option<ReplyToken>,
    /// The RFC 5322 `Message-ID`, without angle brackets.
    pub rfc_message_id: Option<String>,
    /// `In-Reply-To` ids.
    pub in_reply_to: Vec<String>,
    /// `References` ids.
    pub references: Vec<String>,
    /// For outbound mail: delivery status.
    pub delivery: Option<DeliveryStatus>,
    /// The provider's id for it, if one was reported.
    pub provider_message_id: Option<String>,
    /// When it was created (composed, received, logged).
    pub created_at: DateTime<Utc>,
    /// When it was sent (outbound), or when it happened (manual logs).
    pub sent_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version, set by the store (1 on insert, +1 per update).
    pub version: u64,
}

/// Length of [`Message::preview`], in characters.
pub const PREVIEW_CHARS: usize = 140;

/// A one-line preview of a text: whitespace collapsed, cut at [`PREVIEW_CHARS`] characters with
/// an ellipsis.
pub fn preview(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        let extra = word.chars().count() + usize::from(count > 0);
        if count + extra > PREVIEW_CHARS {
            if count == 0 {
                out.extend(word.chars().take(PREVIEW_CHARS - 1));
            }
            out.push('…');
            return out;
        }
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
        count += extra;
    }
    out
}

/// What the store keeps about an issued token: who it went to, for which email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The token (unique).
    pub token: ReplyToken,
    /// The customer it was issued for.
    pub customer: CustomerId,
    /// The conversation the email belonged to, if any.
    pub conversation: Option<ConversationId>,
    /// The outgoing message it went out with.
    pub message: MessageId,
    /// Everyone in `To`/`Cc` of that email, lowercase: the people allowed to reply on it.
    pub recipients: Vec<String>,
    /// Start of its issue day.
    pub issued_at: DateTime<Utc>,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_collapse_whitespace_and_cut_on_words() {
        assert_eq!(preview("  Bonjour,\n\n  merci !  "), "Bonjour, merci !");
        let long = "mot ".repeat(100);
        let p = preview(&long);
        assert!(p.ends_with('…'));
        assert!(p.chars().count() <= PREVIEW_CHARS + 1);
        let one = "x".repeat(500);
        assert_eq!(preview(&one).chars().count(), PREVIEW_CHARS);
    }
}

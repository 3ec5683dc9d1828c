//! Timeline events: what happened with a customer, in order.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::delivery::DeliveryStatus;
use super::funnel::FunnelStage;
use super::ids::{ConversationId, CustomerId, EventId, MessageId};
use super::record::{Channel, OpenedBy, Party, Priority};
use super::status::ConversationStatus;
use crate::analysis::Analysis;
use crate::token::ReplyToken;

/// One entry of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEvent {
    /// Our id.
    pub id: EventId,
    /// The customer it concerns.
    pub customer: CustomerId,
    /// The conversation, when it concerns one.
    pub conversation: Option<ConversationId>,
    /// The message, when it concerns one.
    pub message: Option<MessageId>,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: EventKind,
}

impl TimelineEvent {
    /// A new event at `at`.
    pub fn new(
        customer: CustomerId,
        conversation: Option<ConversationId>,
        message: Option<MessageId>,
        at: DateTime<Utc>,
        kind: EventKind,
    ) -> Self {
        Self {
            id: EventId::generate(at),
            customer,
            conversation,
            message,
            at,
            kind,
        }
    }
}

/// Why a reply was quarantined rather than stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum QuarantineReason {
    /// The message has no `From` address.
    MissingSender,
    /// The sender is neither the customer nor a recipient of the email the token went out with.
    UnknownSender {
        /// The sender, lowercase.
        from: String,
    },
    /// The provider reports the sender failed authentication (DMARC fail, or SPF and DKIM both fail).
    AuthenticationFailed {
        /// The sender, lowercase.
        from: String,
        /// Which checks failed (`dmarc`, `spf`, `dkim`).
        failed: Vec<String>,
    },
}

impl std::fmt::Display for QuarantineReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingSender => f.write_str("the message has no From address"),
            Self::UnknownSender { from } => write!(
                f,
                "{from} is not the customer nor a recipient of the email the reply address was sent with"
            ),
            Self::AuthenticationFailed { from, failed } => write!(
                f,
                "{from} failed sender authentication ({})",
                failed.join(", ")
            ),
        }
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A conversation started (the hook for workflows).
    ConversationOpened {
        /// Who started it.
        source: OpenedBy,
        /// Its channel.
        channel: Channel,
    },
    /// We sent an email.
    EmailSent {
        /// Its subject.
        subject: Option<String>,
        /// A preview of its body.
        preview: String,
        /// When it was sent.
        sent_at: DateTime<Utc>,
    },
    /// A reply arrived and was stored.
    ReplyReceived {
        /// The sender.
        from: String,
        /// Its subject.
        subject: Option<String>,
        /// The extracted reply (the person's words).
        text: String,
        /// Its language.
        lang: Option<String>,
    },
    /// An automatic reply (out of office) arrived; it reopens nothing and is not forwarded.
    AutoReplyReceived {
        /// The sender.
        from: String,
        /// Its subject.
        subject: Option<String>,
    },
    /// A bounce arrived.
    BounceReceived {
        /// The addresses that failed.
        addresses: Vec<String>,
        /// Permanent (5.x.x) rather than temporary.
        hard: bool,
        /// The enhanced status code, if reported.
        status: Option<String>,
        /// The diagnostic text, if reported.
        diagnostic: Option<String>,
    },
    /// A reply on an expired reply address was refused; the next email brings a new address.
    ExpiredReplyRefused {
        /// The sender.
        from: Option<String>,
        /// The expired token.
        token: ReplyToken,
    },
    /// A reply from someone who is not the customer was quarantined (not stored).
    ReplyQuarantined {
        /// Why.
        reason: QuarantineReason,
    },
    /// A new token replaced an expired one.
    TokenReissued {
        /// The expired token.
        previous: ReplyToken,
        /// The new one.
        token: ReplyToken,
    },
    /// A reply was forwarded to the account's inbox.
    ReplyForwarded {
        /// Where it went.
        to: String,
    },
    /// Something said elsewhere was logged.
    ManualReplyLogged {
        /// Who said it.
        party: Party,
        /// The agent who logged it.
        author: Option<String>,
        /// What was said.
        text: String,
    },
    /// The status changed.
    StatusChanged {
        /// Before.
        from: ConversationStatus,
        /// After.
        to: ConversationStatus,
        /// The event that caused it (`contact_message`, `resolve`, `wake`, …).
        cause: String,
    },
    /// The assignee changed.
    Assigned {
        /// The new assignee (none: unassigned).
        assignee: Option<String>,
        /// The new team.
        team: Option<String>,
    },
    /// A label was added or removed.
    Labelled {
        /// The label.
        label: String,
        /// Added (true) or removed.
        added: bool,
    },
    /// The priority changed.
    PriorityChanged {
        /// The new priority.
        priority: Priority,
    },
    /// A private note was added.
    NoteAdded {
        /// Who wrote it.
        author: Option<String>,
        /// The note.
        text: String,
    },
    /// An analysis of a reply finished (written by the analysis worker, in the same commit as
    /// the analysis stored on the message and the private note). Visible to the team only.
    AnalysisCompleted {
        /// The analysis.
        analysis: Analysis,
        /// The analyzer that made it (`heuristic`, `llm:…`).
        #[serde(default)]
        analyzer: String,
    },
    /// An attempt to analyse a reply failed. Visible to the team only.
    AnalysisFailed {
        /// The attempt number (1 for the first).
        attempt: u32,
        /// What went wrong.
        error: String,
        /// When it is tried again; none when it was given up (dead-lettered).
        retry_at: Option<DateTime<Utc>>,
    },
    /// A delivery status changed.
    DeliveryChanged {
        /// Before.
        from: DeliveryStatus,
        /// After.
        to: DeliveryStatus,
    },
    /// Routing chose a team and an agent for a conversation the contact opened (the
    /// [`Assigned`](EventKind::Assigned) event that applies it follows).
    Routed {
        /// The team chosen, if any.
        team: Option<String>,
        /// The agent chosen, if any.
        agent: Option<String>,
        /// The routing rule that chose the team, if one did.
        rule: Option<String>,
        /// Why, in a sentence (rule matched, agents skipped and why).
        reason: String,
    },
    /// An automation rule applied an action (the events of the change itself follow).
    RuleApplied {
        /// The rule's name.
        rule: String,
        /// The action.
        action: crate::inbox::rules::Action,
    },
    /// An out-of-hours auto-reply was sent to the contact (at most one per conversation per
    /// local day; this event is written before the send, so the limit holds across instances).
    AutoReplySent {
        /// The template's name.
        template: String,
        /// The template's language.
        lang: String,
        /// The address it went to.
        to: String,
        /// Its `Message-ID`, without angle brackets.
        message_id: String,
    },
    /// An out-of-hours auto-reply could not be rendered or sent.
    AutoReplyFailed {
        /// What went wrong.
        error: String,
    },
    /// The customer moved in the funnel.
    FunnelChanged {
        /// Before.
        from: FunnelStage,
        /// After.
        to: FunnelStage,
        /// What moved it.
        cause: String,
    },
    /// An outgoing WhatsApp message was composed (within the 24-hour window, or a template).
    WhatsAppComposed {
        /// The template's name, for a template message.
        template: Option<String>,
        /// A preview of the text (the parameters, for a template).
        preview: String,
    },
}

impl EventKind {
    /// The stable snake_case name of the event type (`reply_received`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Self::ConversationOpened { .. } => "conversation_opened",
            Self::EmailSent { .. } => "email_sent",
            Self::ReplyReceived { .. } => "reply_received",
            Self::AutoReplyReceived { .. } => "auto_reply_received",
            Self::BounceReceived { .. } => "bounce_received",
            Self::ExpiredReplyRefused { .. } => "expired_reply_refused",
            Self::ReplyQuarantined { .. } => "reply_quarantined",
            Self::TokenReissued { .. } => "token_reissued",
            Self::ReplyForwarded { .. } => "reply_forwarded",
            Self::ManualReplyLogged { .. } => "manual_reply_logged",
            Self::StatusChanged { .. } => "status_changed",
            Self::Assigned { .. } => "assigned",
            Self::Labelled { .. } => "labelled",
            Self::PriorityChanged { .. } => "priority_changed",
            Self::NoteAdded { .. } => "note_added",
            Self::AnalysisCompleted { .. } => "analysis_completed",
            Self::AnalysisFailed { .. } => "analysis_failed",
            Self::DeliveryChanged { .. } => "delivery_changed",
            Self::FunnelChanged { .. } => "funnel_changed",
            Self::Routed { .. } => "routed",
            Self::RuleApplied { .. } => "rule_applied",
            Self::AutoReplySent { .. } => "auto_reply_sent",
            Self::AutoReplyFailed { .. } => "auto_reply_failed",
            Self::WhatsAppComposed { .. } => "whatsapp_composed",
        }
    }
}

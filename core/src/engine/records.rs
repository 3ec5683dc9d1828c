//! Building stored records from parsed messages: dedupe keys, inbound messages, funnel moves.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::conversation::{
    Customer, CustomerId, Direction, EventKind, Message, MessageId, TimelineEvent, funnel,
    normalize_email,
};
use crate::message::{InboundMessage, MessageKind};
use crate::ports::DedupeKey;

/// The dedupe key of a message: its `Message-ID`, else the SHA-256 of its raw bytes, else a
/// hash of the fields that identify it (sender, date, subject, bodies).
pub(crate) fn dedupe_key(msg: &InboundMessage) -> DedupeKey {
    if let Some(id) = msg
        .message_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let id = id.trim_start_matches('<').trim_end_matches('>');
        return DedupeKey::new(&format!("mid:{id}"));
    }
    if let Some(h) = msg.raw_sha256.as_deref().filter(|s| !s.is_empty()) {
        return DedupeKey::new(&format!("sha256:{h}"));
    }
    let mut h = Sha256::new();
    for part in [
        msg.from.as_ref().map(|m| m.address.as_str()),
        msg.date.map(|d| d.to_rfc3339()).as_deref(),
        msg.subject.as_deref(),
        msg.text_body.as_deref(),
        msg.html_body.as_deref(),
    ] {
        let part = part.unwrap_or("");
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    DedupeKey::new(&format!("fields:{}", hex::encode(h.finalize())))
}

pub(super) fn lower(addr: &str) -> String {
    normalize_email(addr).unwrap_or_else(|_| addr.trim().to_lowercase())
}

pub(super) fn sender(msg: &InboundMessage) -> Option<String> {
    msg.from
        .as_ref()
        .map(|m| lower(&m.address))
        .filter(|a| !a.is_empty())
}

/// A funnel move for a customer, as the updated record and its timeline event; `None` when the
/// funnel does not move (same stage, or a terminal one).
pub(super) fn funnel_step(
    customer: &Customer,
    event: funnel::FunnelEvent,
    now: DateTime<Utc>,
) -> Option<(Customer, TimelineEvent)> {
    let (next, moves) = funnel::transition(customer.funnel, event).ok()?;
    let mv = moves.first()?;
    let mut updated = customer.clone();
    updated.funnel = next;
    Some((
        updated,
        TimelineEvent::new(
            customer.id,
            None,
            None,
            now,
            EventKind::FunnelChanged {
                from: mv.from,
                to: mv.to,
                cause: mv.cause.to_string(),
            },
        ),
    ))
}

/// A stored inbound message from a parsed one (no conversation, token or reply yet).
pub(super) fn inbound_message(
    msg: &InboundMessage,
    kind: MessageKind,
    customer: CustomerId,
    now: DateTime<Utc>,
) -> Message {
    let body = match (&msg.text_body, &msg.html_body) {
        (Some(t), _) => t.clone(),
        (None, Some(h)) => crate::html::html_to_text(h),
        (None, None) => String::new(),
    };
    Message {
        id: MessageId::generate(now),
        customer,
        conversation: None,
        direction: Direction::Inbound,
        kind: Some(kind),
        party: None,
        author: None,
        from: sender(msg),
        to: msg.to.iter().map(|m| lower(&m.address)).collect(),
        cc: msg.cc.iter().map(|m| lower(&m.address)).collect(),
        subject: msg.subject.clone(),
        preview: String::new(),
        body,
        html: msg.html_body.clone(),
        reply: None,
        analysis: None,
        attachments: msg.attachments.clone(),
        token: None,
        rfc_message_id: msg.message_id.clone(),
        in_reply_to: msg.in_reply_to.clone(),
        references: msg.references.clone(),
        delivery: None,
        provider_message_id: msg
            .transport
            .as_ref()
            .and_then(|t| t.provider_message_id.clone()),
        created_at: now,
        sent_at: msg.date,
        version: 0,
    }
}

//! WhatsApp in the engine: inbound messages from the normalised webhooks
//! ([`parse_meta_webhook`](crate::inbox::whatsapp::parse_meta_webhook),
//! [`parse_twilio_webhook`](crate::inbox::whatsapp::parse_twilio_webhook)) become customers,
//! conversations and messages; delivery callbacks move the status of the messages we sent; and
//! outgoing messages are composed for the host to send, with the 24-hour window enforced first.
//!
//! - [`Engine::ingest_whatsapp`]: the customer is found by phone (E.164), or created with the
//!   contact's profile name; the message lands in their current conversation (whatever its
//!   channel: a customer has at most one that is not resolved) or opens one on the WhatsApp
//!   channel; media are stored as attachments (the provider's media id or URL in
//!   `content_id`, for the host to fetch); a second delivery of the same provider message id
//!   stores nothing.
//! - [`Engine::compose_whatsapp`]: a free-form text only within 24 hours of the contact's last
//!   WhatsApp message, a template otherwise and for a first contact — refused with a typed
//!   [`WindowError`] before anything is stored or sent. The message is stored (delivery
//!   `queued`) and noted on the timeline; the host sends the returned Cloud API body, then
//!   reports the provider's id with [`Engine::whatsapp_sent`].
//! - [`Engine::whatsapp_status`]: a `sent`, `delivered`, `read` or `failed` callback moves the
//!   message's delivery status forward (late and repeated callbacks change nothing).
//!
//! A WhatsApp message is found again by its provider id: it is kept as the message's
//! `provider_message_id`, and as its `rfc_message_id` in the form `whatsapp:{id}` (the index
//! every store has for message ids).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::records::funnel_step;
use super::{Engine, EngineError};
use crate::conversation::delivery::{self, DeliveryEvent, DeliveryStatus};
use crate::conversation::status::{self, StatusEvent};
use crate::conversation::{
    Channel, Conversation, ConversationId, Customer, CustomerId, Direction, EventKind,
    ExtractedReply, FunnelStage, JobId, JobKind, Message, MessageId, OpenedBy, TimelineEvent,
    funnel, preview,
};
use crate::inbox::whatsapp::{
    MediaKind, OutboundError, WhatsAppInbound, WhatsAppOutbound, WhatsAppProvider, WhatsAppStatus,
    WindowError, check_send, cloud_api_body, normalize_phone,
};
use crate::message::{Attachment, MessageKind};
use crate::ports::{Commit, CommitOutcome, Conflict, DedupeKey, StoreError, Write};

/// Longest provider message id accepted, in bytes.
pub const MAX_PROVIDER_ID: usize = 200;

/// The `rfc_message_id` a WhatsApp message is kept under: `whatsapp:{provider id}`.
pub fn whatsapp_message_key(provider_id: &str) -> String {
    format!("whatsapp:{provider_id}")
}

/// Why a WhatsApp operation failed.
#[derive(Debug, thiserror::Error)]
pub enum WhatsAppEngineError {
    /// An engine or store error.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The 24-hour window does not allow a free-form message.
    #[error(transparent)]
    Window(#[from] WindowError),
    /// The outgoing message is not valid (empty or overlong text, bad template name…).
    #[error(transparent)]
    Outbound(#[from] OutboundError),
    /// The contact's number is not a phone number.
    #[error("{0:?} is not a phone number")]
    BadPhone(String),
    /// The customer has no phone number to write to.
    #[error("customer {0} has no phone number")]
    NoPhone(CustomerId),
    /// A provider message id that is empty or over [`MAX_PROVIDER_ID`] bytes.
    #[error("provider message id {0:?} is empty or too long")]
    BadProviderId(String),
}

impl From<StoreError> for WhatsAppEngineError {
    fn from(e: StoreError) -> Self {
        Self::Engine(e.into())
    }
}

/// What [`Engine::ingest_whatsapp`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum WhatsAppIngest {
    /// The message was stored.
    Stored {
        /// The message.
        message: MessageId,
        /// The customer.
        customer: CustomerId,
        /// The conversation it landed in.
        conversation: ConversationId,
        /// Whether the customer was created for it.
        new_customer: bool,
        /// Whether it opened the conversation.
        opened: bool,
    },
    /// The provider message id was already stored: nothing was written.
    Duplicate {
        /// The message stored the first time.
        existing: Option<MessageId>,
    },
}

/// An outgoing WhatsApp message to compose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WhatsAppDraft {
    /// A free-form text (only within the 24-hour window).
    Text {
        /// The text.
        body: String,
    },
    /// An approved template.
    Template {
        /// Its name.
        name: String,
        /// Its language code (`en_US`).
        language: String,
        /// Its body parameters, in order.
        params: Vec<String>,
    },
}

impl WhatsAppDraft {
    /// A free-form text.
    pub fn text(body: impl Into<String>) -> Self {
        Self::Text { body: body.into() }
    }

    /// A template.
    pub fn template(
        name: impl Into<String>,
        language: impl Into<String>,
        params: Vec<String>,
    ) -> Self {
        Self::Template {
            name: name.into(),
            language: language.into(),
            params,
        }
    }
}

/// A composed WhatsApp message, stored and ready for the host to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComposedWhatsApp {
    /// The stored message (delivery `queued`).
    pub message: MessageId,
    /// Its conversation.
    pub conversation: ConversationId,
    /// The message.
    pub outbound: WhatsAppOutbound,
    /// The Cloud API request body (`POST /{phone-number-id}/messages`).
    pub body: serde_json::Value,
}

/// What a delivery callback did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum WhatsAppStatusOutcome {
    /// The message's delivery status moved.
    Updated {
        /// The message.
        message: MessageId,
        /// Before.
        from: DeliveryStatus,
        /// After.
        to: DeliveryStatus,
    },
    /// A repeated or late callback: nothing changed.
    Unchanged {
        /// The message.
        message: MessageId,
    },
    /// No message of ours has that provider id.
    Unknown,
}

fn provider_name(p: WhatsAppProvider) -> &'static str {
    match p {
        WhatsAppProvider::Meta => "meta",
        WhatsAppProvider::Twilio => "twilio",
    }
}

fn media_name(k: MediaKind) -> &'static str {
    match k {
        MediaKind::Image => "image",
        MediaKind::Document => "document",
        MediaKind::Audio => "audio",
        MediaKind::Video => "video",
        MediaKind::Sticker => "sticker",
        MediaKind::Other => "attachment",
    }
}

fn cut(s: &str) -> String {
    s.chars().take(64).collect()
}

fn check_provider_id(id: &str) -> Result<(), WhatsAppEngineError> {
    if id.trim().is_empty() || id.len() > MAX_PROVIDER_ID {
        return Err(WhatsAppEngineError::BadProviderId(cut(id)));
    }
    Ok(())
}

/// The stored form of an inbound WhatsApp message (no conversation yet).
fn inbound_record(
    m: &WhatsAppInbound,
    customer: CustomerId,
    phone: &str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Message {
    let attachments = m
        .attachments
        .iter()
        .map(|a| Attachment {
            filename: a.filename.clone(),
            content_type: a.mime_type.clone(),
            size: 0,
            content_id: a.id.clone().or_else(|| a.url.clone()),
            inline: false,
            sha256: a.sha256.clone().unwrap_or_default(),
        })
        .collect();
    let shown = match m.attachments.first() {
        _ if !m.text.trim().is_empty() => preview(&m.text),
        Some(a) => format!("[{}]", media_name(a.kind)),
        None => format!("[{}]", cut(&m.message_type)),
    };
    Message {
        id: MessageId::generate(now),
        customer,
        conversation: None,
        direction: Direction::Inbound,
        kind: Some(MessageKind::Reply),
        party: None,
        author: None,
        from: Some(phone.to_string()),
        to: m.to.iter().cloned().collect(),
        cc: Vec::new(),
        subject: None,
        body: m.text.clone(),
        html: None,
        preview: shown,
        reply: Some(ExtractedReply {
            text: m.text.clone(),
            ..ExtractedReply::default()
        }),
        analysis: None,
        attachments,
        token: None,
        rfc_message_id: Some(whatsapp_message_key(&m.id)),
        in_reply_to: m
            .in_reply_to
            .iter()
            .map(|r| whatsapp_message_key(r))
            .collect(),
        references: Vec::new(),
        delivery: None,
        provider_message_id: Some(m.id.clone()),
        created_at: now,
        sent_at: Some(at),
        version: 0,
    }
}

/// Whether a message is a WhatsApp message from the contact.
fn whatsapp_inbound(m: &Message) -> bool {
    m.direction == Direction::Inbound
        && m.rfc_message_id
            .as_deref()
            .is_some_and(|r| r.starts_with("whatsapp:"))
}

impl Engine {
    /// Store a message from a WhatsApp contact; see the [module docs](self).
    ///
    /// # Errors
    /// [`WhatsAppEngineError::BadPhone`], [`WhatsAppEngineError::BadProviderId`], store errors,
    /// and [`EngineError::Contention`] when other writers keep winning.
    pub async fn ingest_whatsapp(
        &self,
        inbound: &WhatsAppInbound,
        now: DateTime<Utc>,
    ) -> Result<WhatsAppIngest, WhatsAppEngineError> {
        check_provider_id(&inbound.id)?;
        let phone = normalize_phone(&inbound.from.phone)
            .ok_or_else(|| WhatsAppEngineError::BadPhone(cut(&inbound.from.phone)))?;
        let key = DedupeKey::new(&format!(
            "whatsapp:{}:{}",
            provider_name(inbound.provider),
            inbound.id
        ));
        if let Some(seen) = self.store.seen(&key).await? {
            return Ok(WhatsAppIngest::Duplicate {
                existing: seen.message,
            });
        }
        // The contact's own time for the window, unless it claims to be in the future.
        let at = inbound.sent_at.filter(|t| *t <= now).unwrap_or(now);
        let mut last = None;
        for _ in 0..self.tries() {
            let (customer, new_customer) = match self.store.customer_by_phone(&phone).await? {
                Some(c) => (c, false),
                None => (
                    Customer {
                        id: CustomerId::generate(now),
                        external_id: None,
                        name: inbound.from.name.clone().filter(|n| !n.trim().is_empty()),
                        emails: Vec::new(),
                        phone: Some(phone.clone()),
                        funnel: FunnelStage::default(),
                        pending_reissue: None,
                        created_at: now,
                        version: 0,
                    },
                    true,
                ),
            };
            let current = if new_customer {
                None
            } else {
                self.store.active_conversation(customer.id).await?
            };
            let existed = current.is_some();
            let mut conv = current.unwrap_or_else(|| {
                Conversation::new(customer.id, Channel::Whatsapp, OpenedBy::Contact, None, now)
            });
            let before = conv.status;
            let (next, changes) = status::transition(&conv.status, &StatusEvent::ContactMessage)
                .map_err(EngineError::from)?;
            let status_change = (before != next).then_some((before, next));
            conv.status = next;
            conv.note_inbound(at);
            let mut m = inbound_record(inbound, customer.id, &phone, at, now);
            m.conversation = Some(conv.id);
            let mut events = Vec::new();
            if !existed {
                events.push(TimelineEvent::new(
                    customer.id,
                    Some(conv.id),
                    None,
                    now,
                    EventKind::ConversationOpened {
                        source: OpenedBy::Contact,
                        channel: conv.channel,
                    },
                ));
            }
            events.extend(changes.iter().map(|c| {
                TimelineEvent::new(
                    customer.id,
                    Some(conv.id),
                    None,
                    now,
                    EventKind::StatusChanged {
                        from: c.from,
                        to: c.to,
                        cause: c.cause.name().to_string(),
                    },
                )
            }));
            events.push(TimelineEvent::new(
                customer.id,
                Some(conv.id),
                Some(m.id),
                now,
                EventKind::ReplyReceived {
                    from: phone.clone(),
                    subject: None,
                    text: inbound.text.clone(),
                    lang: None,
                },
            ));
            let moved = funnel_step(&customer, funnel::FunnelEvent::ReplyReceived, now);
            let customer_write = match (new_customer, moved) {
                (true, Some((updated, event))) => {
                    events.push(event);
                    Write::Insert(updated)
                }
                (true, None) => Write::Insert(customer.clone()),
                (false, Some((updated, event))) => {
                    events.push(event);
                    Write::update(updated, customer.version)
                }
                (false, None) => Write::update(customer.clone(), customer.version),
            };
            let customers = match (&customer_write, new_customer) {
                // An existing customer whose funnel did not move is not rewritten.
                (Write::Update { record, .. }, false) if record.funnel == customer.funnel => {
                    Vec::new()
                }
                _ => vec![customer_write],
            };
            let mut jobs = Vec::new();
            if self.config.analyze_replies && !inbound.text.trim().is_empty() {
                jobs.push(self.new_job(JobId::generate(now), JobKind::Analysis, m.id, now));
            }
            let message = m.id;
            let conversation = conv.id;
            let conv_write = if existed {
                let v = conv.version;
                Write::update(conv, v)
            } else {
                Write::Insert(conv)
            };
            let commit = Commit {
                dedupe_key: Some(key.clone()),
                customers,
                conversations: vec![conv_write],
                messages: vec![Write::Insert(m)],
                tokens: Vec::new(),
                events,
                jobs,
            };
            match self.store.commit(commit).await {
                Ok(CommitOutcome::Duplicate { existing }) => {
                    return Ok(WhatsAppIngest::Duplicate { existing });
                }
                Ok(CommitOutcome::Applied) => {
                    // Routing and rules, as for an email; what they did is on the timeline
                    // (`routed`, `rule_applied`). Out-of-hours auto-replies are for email: a
                    // WhatsApp one is a template the host sends.
                    let _effects = self
                        .after_contact_message(
                            super::automation::ContactMessage {
                                conversation,
                                message,
                                opened: !existed,
                                status_change,
                                text: &inbound.text,
                                lang: None,
                                email: None,
                            },
                            now,
                        )
                        .await;
                    return Ok(WhatsAppIngest::Stored {
                        message,
                        customer: customer.id,
                        conversation,
                        new_customer,
                        opened: !existed,
                    });
                }
                Err(StoreError::Conflict(c)) => last = Some(c),
                Err(e) => return Err(e.into()),
            }
        }
        Err(self.contention("ingest_whatsapp", last).into())
    }

    /// Compose an outgoing WhatsApp message in a conversation; see the [module docs](self).
    ///
    /// # Errors
    /// [`WhatsAppEngineError::Window`] for a free-form text outside the 24-hour window or to a
    /// contact who never wrote (nothing is stored then); [`WhatsAppEngineError::Outbound`] for
    /// an invalid message; [`WhatsAppEngineError::NoPhone`]; [`EngineError::NotFound`]; store
    /// errors.
    pub async fn compose_whatsapp(
        &self,
        conversation: ConversationId,
        draft: WhatsAppDraft,
        now: DateTime<Utc>,
    ) -> Result<ComposedWhatsApp, WhatsAppEngineError> {
        let mut last: Option<Conflict> = None;
        for _ in 0..self.tries() {
            let mut conv = self
                .store
                .conversation(conversation)
                .await?
                .ok_or_else(|| EngineError::not_found("conversation", conversation))?;
            let customer = self
                .store
                .customer(conv.customer)
                .await?
                .ok_or_else(|| EngineError::not_found("customer", conv.customer))?;
            let phone = customer
                .phone
                .as_deref()
                .and_then(normalize_phone)
                .ok_or(WhatsAppEngineError::NoPhone(customer.id))?;
            let thread = self.store.messages(conversation).await?;
            let last_inbound = thread
                .iter()
                .filter(|m| whatsapp_inbound(m))
                .map(|m| m.sent_at.unwrap_or(m.created_at))
                .max();
            let (outbound, text, template) = match &draft {
                WhatsAppDraft::Text { body } => (
                    WhatsAppOutbound::text(phone.clone(), body.clone()),
                    body.clone(),
                    None,
                ),
                WhatsAppDraft::Template {
                    name,
                    language,
                    params,
                } => (
                    WhatsAppOutbound::template(
                        phone.clone(),
                        name.clone(),
                        language.clone(),
                        params.clone(),
                    ),
                    params.join(" · "),
                    Some(name.clone()),
                ),
            };
            check_send(last_inbound, now, &outbound.kind())?;
            let body = cloud_api_body(&outbound)?;
            let shown = match &template {
                Some(name) if text.is_empty() => format!("[template {name}]"),
                Some(name) => preview(&format!("[template {name}] {text}")),
                None => preview(&text),
            };
            let m = Message {
                id: MessageId::generate(now),
                customer: customer.id,
                conversation: Some(conv.id),
                direction: Direction::Outbound,
                kind: None,
                party: None,
                author: None,
                from: None,
                to: vec![phone.clone()],
                cc: Vec::new(),
                subject: None,
                body: text.clone(),
                html: None,
                preview: shown.clone(),
                reply: None,
                analysis: None,
                attachments: Vec::new(),
                token: None,
                rfc_message_id: None,
                in_reply_to: Vec::new(),
                references: Vec::new(),
                delivery: Some(DeliveryStatus::Queued),
                provider_message_id: None,
                created_at: now,
                sent_at: None,
                version: 0,
            };
            let version = conv.version;
            let (next, changes) = status::transition(&conv.status, &StatusEvent::BusinessMessage)
                .map_err(EngineError::from)?;
            conv.status = next;
            conv.note_outbound(now);
            let mut events: Vec<TimelineEvent> = changes
                .iter()
                .map(|c| {
                    TimelineEvent::new(
                        customer.id,
                        Some(conv.id),
                        None,
                        now,
                        EventKind::StatusChanged {
                            from: c.from,
                            to: c.to,
                            cause: c.cause.name().to_string(),
                        },
                    )
                })
                .collect();
            events.push(TimelineEvent::new(
                customer.id,
                Some(conv.id),
                Some(m.id),
                now,
                EventKind::WhatsAppComposed {
                    template,
                    preview: shown,
                },
            ));
            let message = m.id;
            let commit = Commit {
                conversations: vec![Write::update(conv, version)],
                messages: vec![Write::Insert(m)],
                events,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => {
                    return Ok(ComposedWhatsApp {
                        message,
                        conversation,
                        outbound,
                        body,
                    });
                }
                Err(StoreError::Conflict(c)) => last = Some(c),
                Err(e) => return Err(e.into()),
            }
        }
        Err(self.contention("compose_whatsapp", last).into())
    }

    /// Record that the host sent a composed WhatsApp message and the provider's id for it
    /// (delivery becomes `sent`); later callbacks find it by that id.
    ///
    /// # Errors
    /// [`WhatsAppEngineError::BadProviderId`]; [`EngineError::NotFound`];
    /// [`EngineError::NotOutbound`]; store errors.
    pub async fn whatsapp_sent(
        &self,
        message: MessageId,
        provider_message_id: &str,
        now: DateTime<Utc>,
    ) -> Result<WhatsAppStatusOutcome, WhatsAppEngineError> {
        check_provider_id(provider_message_id)?;
        self.move_delivery(message, DeliveryEvent::Sent, Some(provider_message_id), now)
            .await
    }

    /// Apply a delivery callback (`sent`, `delivered`, `read`, `failed`) to the message we sent
    /// with that provider id. A status for a message we do not know is
    /// [`WhatsAppStatusOutcome::Unknown`]; a repeated, late or backwards one changes nothing.
    ///
    /// # Errors
    /// Store errors.
    pub async fn whatsapp_status(
        &self,
        status: &WhatsAppStatus,
        now: DateTime<Utc>,
    ) -> Result<WhatsAppStatusOutcome, WhatsAppEngineError> {
        let event = match status.status {
            DeliveryStatus::Queued => return Ok(WhatsAppStatusOutcome::Unknown),
            DeliveryStatus::Sent => DeliveryEvent::Sent,
            DeliveryStatus::Delivered => DeliveryEvent::Delivered,
            DeliveryStatus::Read => DeliveryEvent::Read,
            DeliveryStatus::Failed => DeliveryEvent::Failed,
        };
        if check_provider_id(&status.message_id).is_err() {
            return Ok(WhatsAppStatusOutcome::Unknown);
        }
        let key = whatsapp_message_key(&status.message_id);
        let Some(m) = self.store.message_by_rfc_id(&key).await? else {
            return Ok(WhatsAppStatusOutcome::Unknown);
        };
        match self.move_delivery(m.id, event, None, now).await {
            Err(WhatsAppEngineError::Engine(EngineError::NotOutbound(_))) => {
                Ok(WhatsAppStatusOutcome::Unknown)
            }
            other => other,
        }
    }

    async fn move_delivery(
        &self,
        message: MessageId,
        event: DeliveryEvent,
        provider_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<WhatsAppStatusOutcome, WhatsAppEngineError> {
        let mut last = None;
        for _ in 0..self.tries() {
            let m = self
                .store
                .message(message)
                .await?
                .ok_or_else(|| EngineError::not_found("message", message))?;
            if m.direction != Direction::Outbound {
                return Err(EngineError::NotOutbound(message).into());
            }
            let from = m.delivery.unwrap_or_default();
            let Ok((to, changes)) = delivery::transition(from, event) else {
                return Ok(WhatsAppStatusOutcome::Unchanged { message });
            };
            let mut updated = m.clone();
            if let Some(id) = provider_id {
                updated.provider_message_id = Some(id.to_string());
                updated.rfc_message_id = Some(whatsapp_message_key(id));
                updated.sent_at.get_or_insert(now);
            }
            if changes.is_empty() && provider_id.is_none() {
                return Ok(WhatsAppStatusOutcome::Unchanged { message });
            }
            updated.delivery = Some(to);
            let events = changes
                .iter()
                .map(|c| {
                    TimelineEvent::new(
                        m.customer,
                        m.conversation,
                        Some(m.id),
                        now,
                        EventKind::DeliveryChanged {
                            from: c.from,
                            to: c.to,
                        },
                    )
                })
                .collect();
            let commit = Commit {
                messages: vec![Write::update(updated, m.version)],
                events,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) if changes.is_empty() => {
                    return Ok(WhatsAppStatusOutcome::Unchanged { message });
                }
                Ok(_) => return Ok(WhatsAppStatusOutcome::Updated { message, from, to }),
                Err(StoreError::Conflict(c)) => last = Some(c),
                Err(e) => return Err(e.into()),
            }
        }
        Err(self.contention("whatsapp_status", last).into())
    }
}

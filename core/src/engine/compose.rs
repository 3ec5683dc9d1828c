//! Outbound: compose an email with a fresh reply token, record it as sent, follow its delivery.

use chrono::{DateTime, Utc};

use super::records::funnel_step;
use super::render::{CONVERSATION_HEADER, ID_HEADER, Parts, Person, render};
use super::{Engine, EngineError, retryable};
use crate::conversation::delivery::{self, DeliveryError, DeliveryEvent};
use crate::conversation::status::{self, StatusEvent};
use crate::conversation::token::{self as token_life, TokenEvent, TokenState};
use crate::conversation::{
    Channel, Conversation, ConversationId, Customer, CustomerId, DeliveryStatus, Direction,
    EventKind, FunnelStage, Message, MessageId, OpenedBy, TimelineEvent, TokenRecord, funnel,
    normalize_email, preview,
};
use crate::ports::{Commit, Conflict, OutgoingEmail, SendReceipt, StoreError, Write};
use crate::token::{IssuedToken, ReplyToken};

/// Most `References` ids carried on a continuing email (the first and the latest ones).
pub const MAX_REFERENCES: usize = 20;

/// Which conversation an outgoing email belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Thread {
    /// A one-off email (onboarding, outreach): no conversation until the customer replies.
    #[default]
    Standalone,
    /// Start a conversation (`ConversationOpened { source: Business }`); if the customer already
    /// has a current one, the email continues it instead.
    Start,
    /// Continue this conversation (`In-Reply-To`/`References` set). A resolved one is reopened,
    /// unless the customer has another current conversation, which the email then continues.
    Continue(ConversationId),
}

/// An email to compose.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutboundDraft {
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body, if any.
    pub html: Option<String>,
    /// Which conversation.
    pub thread: Thread,
    /// Other people to copy (they may reply on the token too).
    pub cc: Vec<String>,
    /// The agent writing it.
    pub author: Option<String>,
}

impl OutboundDraft {
    /// A one-off email with a subject and a text body.
    pub fn new(subject: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            text: text.into(),
            ..Self::default()
        }
    }

    /// Continue a conversation.
    pub fn continue_conversation(mut self, id: ConversationId) -> Self {
        self.thread = Thread::Continue(id);
        self
    }

    /// Start a conversation.
    pub fn start_conversation(mut self) -> Self {
        self.thread = Thread::Start;
        self
    }

    /// Add an HTML body.
    pub fn html(mut self, html: impl Into<String>) -> Self {
        self.html = Some(html.into());
        self
    }

    /// Copy someone.
    pub fn cc(mut self, address: impl Into<String>) -> Self {
        self.cc.push(address.into());
        self
    }

    /// Name the agent writing it.
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }
}

/// A composed (and stored, queued) email.
#[derive(Debug, Clone, PartialEq)]
pub struct ComposedEmail {
    /// The stored message (delivery `queued`).
    pub message: Message,
    /// Its fresh token.
    pub token: IssuedToken,
    /// The reply address in its `Reply-To`.
    pub reply_address: String,
    /// The conversation, if any.
    pub conversation: Option<ConversationId>,
    /// The expired token this email replaces, when the customer had replied on one.
    pub reissued: Option<ReplyToken>,
    /// What to hand to a transport.
    pub email: OutgoingEmail,
}

/// What a delivery report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The status moved.
    Changed {
        /// Before.
        from: DeliveryStatus,
        /// After.
        to: DeliveryStatus,
    },
    /// Same status again (a repeated webhook): nothing written.
    Unchanged(DeliveryStatus),
    /// Refused: it would go backwards, or the message already failed.
    Refused(DeliveryError),
}

struct Plan {
    conversation: Option<(Conversation, bool)>,
    in_reply_to: Option<String>,
    references: Vec<String>,
}

impl Engine {
    /// Compose an email to a customer: a fresh token, `Reply-To` = its reply address, a
    /// `Message-ID` that embeds it, `In-Reply-To`/`References` when continuing, and the
    /// [`ID_HEADER`]. The message, the token record and the conversation change are stored in
    /// one commit (delivery `queued`); hand [`ComposedEmail::email`] to a transport, then call
    /// [`Engine::record_sent`] (or use [`Engine::send`], which does both).
    ///
    /// When the customer had replied on an expired address, this email continues that
    /// conversation (reopening it) and records `TokenReissued`.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], [`EngineError::Unsubscribed`],
    /// [`EngineError::NoDeliverableAddress`], [`EngineError::WrongCustomer`], store errors.
    pub async fn compose_outbound(
        &self,
        customer_id: CustomerId,
        draft: OutboundDraft,
        now: DateTime<Utc>,
    ) -> Result<ComposedEmail, EngineError> {
        let cc: Vec<String> = draft
            .cc
            .iter()
            .map(|a| normalize_email(a))
            .collect::<Result<_, _>>()?;
        let mut last = None;
        for _ in 0..self.tries() {
            let customer = self
                .store
                .customer(customer_id)
                .await?
                .ok_or_else(|| EngineError::not_found("customer", customer_id))?;
            if customer.funnel == FunnelStage::Unsubscribed {
                return Err(EngineError::Unsubscribed {
                    customer: customer.id,
                });
            }
            let to = customer
                .deliverable_emails()
                .next()
                .map(str::to_string)
                .ok_or(EngineError::NoDeliverableAddress {
                    customer: customer.id,
                })?;
            let thread = match (draft.thread, &customer.pending_reissue) {
                (Thread::Standalone, Some(p)) => {
                    p.conversation.map_or(Thread::Standalone, Thread::Continue)
                }
                (t, _) => t,
            };
            let plan = self.plan(&customer, thread, &draft.subject, now).await?;
            let issued = self.authority.issue(now)?;
            let token = issued.token;
            let message_id = MessageId::generate(now);
            let rfc_id = self.format.message_id(&token);
            let reply_address = self.format.address(&token);
            let conv_id = plan.conversation.as_ref().map(|(c, _)| c.id);

            let mut headers = vec![(ID_HEADER, message_id.to_string())];
            if let Some(c) = conv_id {
                headers.push((CONVERSATION_HEADER, c.to_string()));
            }
            let parts = Parts {
                from: Person::new(
                    self.account.from_name.as_deref(),
                    &self.account.from_address,
                ),
                to: vec![Person::new(customer.name.as_deref(), &to)],
                cc: cc.iter().map(|a| Person::new(None, a)).collect(),
                reply_to: Person::new(self.account.from_name.as_deref(), &reply_address),
                subject: draft.subject.clone(),
                text: draft.text.clone(),
                html: draft.html.clone(),
                message_id: rfc_id.clone(),
                in_reply_to: plan.in_reply_to.clone(),
                references: plan.references.clone(),
                date: now,
                headers,
            };
            let raw = render(&parts)?;

            let message = Message {
                id: message_id,
                customer: customer.id,
                conversation: conv_id,
                direction: Direction::Outbound,
                kind: None,
                party: Some(crate::conversation::Party::Business),
                author: draft.author.clone(),
                from: Some(self.account.from_address.clone()),
                to: vec![to.clone()],
                cc: cc.clone(),
                subject: Some(draft.subject.clone()),
                body: draft.text.clone(),
                html: draft.html.clone(),
                preview: preview(&draft.text),
                reply: None,
                analysis: None,
                attachments: Vec::new(),
                token: Some(token),
                rfc_message_id: Some(rfc_id.clone()),
                in_reply_to: plan.in_reply_to.iter().cloned().collect(),
                references: plan.references.clone(),
                delivery: Some(DeliveryStatus::Queued),
                provider_message_id: None,
                created_at: now,
                sent_at: None,
                version: 0,
            };
            let mut recipients = vec![to.clone()];
            recipients.extend(cc.iter().cloned());
            let record = TokenRecord {
                token,
                customer: customer.id,
                conversation: conv_id,
                message: message_id,
                recipients: recipients.clone(),
                issued_at: issued.issued_at,
                expires_at: issued.expires_at,
            };

            let mut events = Vec::new();
            let mut conversations = Vec::new();
            if let Some((mut conv, existed)) = plan.conversation {
                if !existed {
                    events.push(TimelineEvent::new(
                        customer.id,
                        Some(conv.id),
                        None,
                        now,
                        EventKind::ConversationOpened {
                            source: OpenedBy::Business,
                            channel: Channel::Email,
                        },
                    ));
                }
                let (next, changes) =
                    status::transition(&conv.status, &StatusEvent::BusinessMessage)?;
                for c in changes {
                    events.push(TimelineEvent::new(
                        customer.id,
                        Some(conv.id),
                        None,
                        now,
                        EventKind::StatusChanged {
                            from: c.from,
                            to: c.to,
                            cause: c.cause.name().to_string(),
                        },
                    ));
                }
                conv.status = next;
                conv.note_outbound(now);
                conversations.push(if existed {
                    let v = conv.version;
                    Write::update(conv, v)
                } else {
                    Write::Insert(conv)
                });
            }
            let mut customers = Vec::new();
            let mut reissued = None;
            if let Some(p) = &customer.pending_reissue {
                let mut updated = customer.clone();
                updated.pending_reissue = None;
                if let Ok((_, effects)) =
                    token_life::transition(TokenState::Expired, TokenEvent::Reissue { new: token })
                    && !effects.is_empty()
                {
                    events.push(TimelineEvent::new(
                        customer.id,
                        conv_id,
                        Some(message_id),
                        now,
                        EventKind::TokenReissued {
                            previous: p.token,
                            token,
                        },
                    ));
                    reissued = Some(p.token);
                }
                customers.push(Write::update(updated, customer.version));
            }
            let commit = Commit {
                customers,
                conversations,
                messages: vec![Write::Insert(message.clone())],
                tokens: vec![record],
                events,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => {
                    return Ok(ComposedEmail {
                        message,
                        token: issued,
                        reply_address,
                        conversation: conv_id,
                        reissued,
                        email: OutgoingEmail {
                            envelope_from: self.account.from_address.clone(),
                            recipients,
                            message_id: rfc_id,
                            raw,
                        },
                    });
                }
                // A token collision (28 random bits per key and day) or a concurrent change:
                // issue again and re-read.
                Err(e) => match retryable(&e) {
                    Some(c) => last = Some(c.clone()),
                    None => return Err(e.into()),
                },
            }
        }
        Err(self.contention("compose_outbound", last))
    }

    /// Where the email goes and what it continues.
    async fn plan(
        &self,
        customer: &Customer,
        thread: Thread,
        subject: &str,
        now: DateTime<Utc>,
    ) -> Result<Plan, EngineError> {
        let active = self.store.active_conversation(customer.id).await?;
        let conversation = match thread {
            Thread::Standalone => None,
            Thread::Start => Some(match active {
                Some(a) => (a, true),
                None => (
                    Conversation::new(
                        customer.id,
                        Channel::Email,
                        OpenedBy::Business,
                        Some(subject.to_string()),
                        now,
                    ),
                    false,
                ),
            }),
            Thread::Continue(id) => {
                let c = self
                    .store
                    .conversation(id)
                    .await?
                    .ok_or_else(|| EngineError::not_found("conversation", id))?;
                if c.customer != customer.id {
                    return Err(EngineError::WrongCustomer {
                        conversation: id,
                        owner: c.customer,
                        customer: customer.id,
                    });
                }
                match active {
                    Some(a) if a.id != c.id => Some((a, true)),
                    _ => Some((c, true)),
                }
            }
        };
        let (mut in_reply_to, mut references) = (None, Vec::new());
        if let Some((c, true)) = &conversation {
            let ids: Vec<String> = self
                .store
                .messages(c.id)
                .await?
                .into_iter()
                .filter_map(|m| m.rfc_message_id)
                .collect();
            in_reply_to = ids.last().cloned();
            references = if ids.len() > MAX_REFERENCES {
                let mut r = vec![ids[0].clone()];
                r.extend(ids[ids.len() - (MAX_REFERENCES - 1)..].iter().cloned());
                r
            } else {
                ids
            };
        }
        Ok(Plan {
            conversation,
            in_reply_to,
            references,
        })
    }

    /// Compose, hand to the mailer, and record it as sent. A failed send leaves the message
    /// `queued` and returns the mailer's error.
    ///
    /// # Errors
    /// As [`Engine::compose_outbound`] and [`Engine::record_sent`]. A mailer failure is not an
    /// `Err`: it is returned beside the composed email (`Ok((composed, Err(..)))`), whose stored
    /// message stays `queued` so the host can hand [`ComposedEmail::email`] to a transport again.
    pub async fn send(
        &self,
        customer: CustomerId,
        draft: OutboundDraft,
        now: DateTime<Utc>,
    ) -> Result<
        (
            ComposedEmail,
            Result<SendReceipt, crate::ports::MailerError>,
        ),
        EngineError,
    > {
        let composed = self.compose_outbound(customer, draft, now).await?;
        let sent = self.mailer.send(&composed.email).await;
        if let Ok(receipt) = &sent {
            self.record_sent(
                composed.message.id,
                receipt.provider_message_id.clone(),
                now,
            )
            .await?;
        }
        Ok((composed, sent))
    }

    /// Record that a composed message was handed to a transport: delivery `sent`, an `EmailSent`
    /// event, and the funnel's `contacted` step. Calling it twice changes nothing the second time.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], [`EngineError::NotOutbound`], store errors.
    pub async fn record_sent(
        &self,
        message: MessageId,
        provider_message_id: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<DeliveryOutcome, EngineError> {
        self.delivery_update(message, DeliveryEvent::Sent, provider_message_id, now)
            .await
    }

    /// Record a delivery report (`delivered`, `read`, `failed`) from a provider webhook. Reports
    /// that would move backwards are refused, not errors: see [`DeliveryOutcome`].
    ///
    /// # Errors
    /// [`EngineError::NotFound`], [`EngineError::NotOutbound`], store errors.
    pub async fn record_delivery_status(
        &self,
        message: MessageId,
        event: DeliveryEvent,
        now: DateTime<Utc>,
    ) -> Result<DeliveryOutcome, EngineError> {
        self.delivery_update(message, event, None, now).await
    }

    async fn delivery_update(
        &self,
        id: MessageId,
        event: DeliveryEvent,
        provider_message_id: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<DeliveryOutcome, EngineError> {
        let mut last: Option<Conflict> = None;
        for _ in 0..self.tries() {
            let m = self
                .store
                .message(id)
                .await?
                .ok_or_else(|| EngineError::not_found("message", id))?;
            let state = match (m.direction, m.delivery) {
                (Direction::Outbound, Some(s)) => s,
                _ => return Err(EngineError::NotOutbound(id)),
            };
            let (to, changes) = match delivery::transition(state, event) {
                Ok(x) => x,
                Err(e) => return Ok(DeliveryOutcome::Refused(e)),
            };
            let Some(change) = changes.first().copied() else {
                return Ok(DeliveryOutcome::Unchanged(state));
            };
            let mut updated = m.clone();
            updated.delivery = Some(to);
            let mut events = vec![TimelineEvent::new(
                m.customer,
                m.conversation,
                Some(m.id),
                now,
                EventKind::DeliveryChanged {
                    from: change.from,
                    to: change.to,
                },
            )];
            let mut customers = Vec::new();
            if event == DeliveryEvent::Sent
                || state == DeliveryStatus::Queued && to != DeliveryStatus::Failed
            {
                updated.sent_at = updated.sent_at.or(Some(now));
                if provider_message_id.is_some() {
                    updated.provider_message_id = provider_message_id.clone();
                }
                events.push(TimelineEvent::new(
                    m.customer,
                    m.conversation,
                    Some(m.id),
                    now,
                    EventKind::EmailSent {
                        subject: m.subject.clone(),
                        preview: m.preview.clone(),
                        sent_at: now,
                    },
                ));
                if let Some(c) = self.store.customer(m.customer).await?
                    && let Some((moved, ev)) = funnel_step(&c, funnel::FunnelEvent::EmailSent, now)
                {
                    events.push(ev);
                    customers.push(Write::update(moved, c.version));
                }
            }
            let commit = Commit {
                customers,
                messages: vec![Write::update(updated, m.version)],
                events,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => {
                    return Ok(DeliveryOutcome::Changed {
                        from: change.from,
                        to: change.to,
                    });
                }
                Err(StoreError::Conflict(c)) => last = Some(c),
                Err(e) => return Err(e.into()),
            }
        }
        Err(self.contention("record_delivery_status", last))
    }
}

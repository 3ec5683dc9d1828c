//! The inbox around the conversations: customers, manual logs, notes, status, assignment,
//! labels, waking snoozes, and the timeline.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::records::funnel_step;
use super::{Engine, EngineError};
use crate::conversation::status::{self, ConversationStatus, StatusEvent};
use crate::conversation::{
    Channel, Conversation, ConversationId, Customer, CustomerId, Direction, EventKind, FunnelEvent,
    JobId, JobKind, Message, MessageId, NewCustomer, OpenedBy, Party, Priority, SnoozePreset,
    TimelineEvent, preview, snooze_until,
};
use crate::ports::{Commit, Conflict, StoreError, TimelineScope, Write};

/// Something said outside email, logged by hand: a phone call, a message in another inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualReply {
    /// Who said it.
    pub party: Party,
    /// What was said.
    pub text: String,
    /// The agent logging it.
    pub author: Option<String>,
    /// When it was said (default: now).
    pub occurred_at: Option<DateTime<Utc>>,
    /// The conversation (default: the customer's current one, or a new one).
    pub conversation: Option<ConversationId>,
}

impl ManualReply {
    /// Something the customer said.
    pub fn from_contact(text: impl Into<String>) -> Self {
        Self {
            party: Party::Contact,
            text: text.into(),
            author: None,
            occurred_at: None,
            conversation: None,
        }
    }

    /// Something the business said.
    pub fn from_business(text: impl Into<String>) -> Self {
        Self {
            party: Party::Business,
            ..Self::from_contact(text)
        }
    }

    /// Name the agent logging it.
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }
}

/// A logged message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedMessage {
    /// The message.
    pub message: MessageId,
    /// Its conversation.
    pub conversation: ConversationId,
    /// Whether the log opened the conversation.
    pub opened: bool,
}

/// Status change events for a transition, applied to the conversation.
pub(super) fn apply_status(
    conv: &mut Conversation,
    event: StatusEvent,
    now: DateTime<Utc>,
) -> Result<Vec<EventKind>, EngineError> {
    let (next, changes) = status::transition(&conv.status, &event)?;
    conv.status = next;
    if next == ConversationStatus::Resolved {
        conv.resolved_at = Some(now);
        conv.waiting_since = None;
    }
    Ok(changes
        .into_iter()
        .map(|c| EventKind::StatusChanged {
            from: c.from,
            to: c.to,
            cause: c.cause.name().to_string(),
        })
        .collect())
}

impl Engine {
    /// Add a customer.
    ///
    /// # Errors
    /// [`EngineError::Address`] for a bad address; [`EngineError::Store`] with
    /// [`Conflict::EmailTaken`] or [`Conflict::ExternalIdTaken`] when another customer has it.
    pub async fn add_customer(
        &self,
        new: NewCustomer,
        now: DateTime<Utc>,
    ) -> Result<Customer, EngineError> {
        let mut customer = new.build(now)?;
        self.store
            .commit(Commit {
                customers: vec![Write::Insert(customer.clone())],
                ..Commit::default()
            })
            .await?;
        customer.version = 1;
        Ok(customer)
    }

    /// A customer by id.
    ///
    /// # Errors
    /// Store errors.
    pub async fn customer(&self, id: CustomerId) -> Result<Option<Customer>, EngineError> {
        Ok(self.store.customer(id).await?)
    }

    /// A conversation by id.
    ///
    /// # Errors
    /// Store errors.
    pub async fn conversation(
        &self,
        id: ConversationId,
    ) -> Result<Option<Conversation>, EngineError> {
        Ok(self.store.conversation(id).await?)
    }

    /// A timeline: everything about a customer, or one conversation, in order.
    ///
    /// # Errors
    /// Store errors.
    pub async fn timeline(&self, scope: TimelineScope) -> Result<Vec<TimelineEvent>, EngineError> {
        Ok(self.store.timeline(scope).await?)
    }

    /// Move a customer's funnel by hand (converted, unsubscribed). Returns whether it moved.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors.
    pub async fn funnel_event(
        &self,
        customer: CustomerId,
        event: FunnelEvent,
        now: DateTime<Utc>,
    ) -> Result<bool, EngineError> {
        let mut last = None;
        for _ in 0..self.tries() {
            let c = self
                .store
                .customer(customer)
                .await?
                .ok_or_else(|| EngineError::not_found("customer", customer))?;
            let Some((moved, ev)) = funnel_step(&c, event, now) else {
                return Ok(false);
            };
            let commit = Commit {
                customers: vec![Write::update(moved, c.version)],
                events: vec![ev],
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => return Ok(true),
                Err(StoreError::Conflict(c)) => last = Some(c),
                Err(e) => return Err(e.into()),
            }
        }
        Err(self.contention("funnel_event", last))
    }

    /// Log something said outside email onto the timeline. From the contact it opens or reopens
    /// the conversation (and queues an analysis); from the business it counts as an answer.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], [`EngineError::WrongCustomer`], store errors.
    pub async fn log_manual_reply(
        &self,
        customer: CustomerId,
        reply: ManualReply,
        now: DateTime<Utc>,
    ) -> Result<LoggedMessage, EngineError> {
        let at = reply.occurred_at.unwrap_or(now);
        let mut last = None;
        for _ in 0..self.tries() {
            let c = self
                .store
                .customer(customer)
                .await?
                .ok_or_else(|| EngineError::not_found("customer", customer))?;
            let target = match reply.conversation {
                Some(id) => {
                    let conv = self
                        .store
                        .conversation(id)
                        .await?
                        .ok_or_else(|| EngineError::not_found("conversation", id))?;
                    if conv.customer != c.id {
                        return Err(EngineError::WrongCustomer {
                            conversation: id,
                            owner: conv.customer,
                            customer: c.id,
                        });
                    }
                    Some(conv)
                }
                None => self.store.active_conversation(c.id).await?,
            };
            let opened_by = match reply.party {
                Party::Contact => OpenedBy::Contact,
                Party::Business => OpenedBy::Business,
            };
            let (mut conv, existed) = match target {
                Some(conv) => (conv, true),
                None => (
                    Conversation::new(c.id, Channel::Manual, opened_by, None, now),
                    false,
                ),
            };
            let mut kinds = Vec::new();
            if !existed {
                kinds.push(EventKind::ConversationOpened {
                    source: opened_by,
                    channel: Channel::Manual,
                });
            }
            let status_before = conv.status;
            let (status_event, funnel) = match reply.party {
                Party::Contact => {
                    conv.note_inbound(at);
                    (StatusEvent::ContactMessage, FunnelEvent::ReplyReceived)
                }
                Party::Business => {
                    conv.note_outbound(at);
                    (StatusEvent::BusinessMessage, FunnelEvent::EmailSent)
                }
            };
            kinds.extend(apply_status(&mut conv, status_event, now)?);
            let message = Message {
                id: MessageId::generate(now),
                customer: c.id,
                conversation: Some(conv.id),
                direction: Direction::ManualLog,
                kind: None,
                party: Some(reply.party),
                author: reply.author.clone(),
                from: None,
                to: Vec::new(),
                cc: Vec::new(),
                subject: None,
                body: reply.text.clone(),
                html: None,
                preview: preview(&reply.text),
                reply: None,
                analysis: None,
                attachments: Vec::new(),
                token: None,
                rfc_message_id: None,
                in_reply_to: Vec::new(),
                references: Vec::new(),
                delivery: None,
                provider_message_id: None,
                created_at: now,
                sent_at: Some(at),
                version: 0,
            };
            kinds.push(EventKind::ManualReplyLogged {
                party: reply.party,
                author: reply.author.clone(),
                text: reply.text.clone(),
            });
            let mut events: Vec<TimelineEvent> = kinds
                .into_iter()
                .map(|k| TimelineEvent::new(c.id, Some(conv.id), Some(message.id), now, k))
                .collect();
            let mut customers = Vec::new();
            if let Some((moved, ev)) = funnel_step(&c, funnel, now) {
                events.push(ev);
                customers.push(Write::update(moved, c.version));
            }
            let mut jobs = Vec::new();
            if reply.party == Party::Contact && self.config.analyze_replies {
                jobs.push(self.new_job(JobId::generate(now), JobKind::Analysis, message.id, now));
            }
            let logged = LoggedMessage {
                message: message.id,
                conversation: conv.id,
                opened: !existed,
            };
            let status_change =
                (status_before != conv.status).then_some((status_before, conv.status));
            let conv_write = if existed {
                let v = conv.version;
                Write::update(conv, v)
            } else {
                Write::Insert(conv)
            };
            let commit = Commit {
                customers,
                conversations: vec![conv_write],
                messages: vec![Write::Insert(message)],
                events,
                jobs,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => {
                    if reply.party == Party::Contact {
                        // Routing and rules, as for an email; their outcome is on the timeline.
                        let _effects = self
                            .after_contact_message(
                                super::automation::ContactMessage {
                                    conversation: logged.conversation,
                                    message: logged.message,
                                    opened: logged.opened,
                                    status_change,
                                    text: &reply.text,
                                    lang: None,
                                    email: None,
                                },
                                now,
                            )
                            .await;
                    }
                    return Ok(logged);
                }
                Err(StoreError::Conflict(c)) => last = Some(c),
                Err(e) => return Err(e.into()),
            }
        }
        Err(self.contention("log_manual_reply", last))
    }

    /// Add a private note (visible to the team only) to a conversation. A note is a
    /// [`Direction::Note`] message: it is never forwarded, never composed into an outgoing
    /// email, and never sent to the customer.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors.
    pub async fn add_note(
        &self,
        conversation: ConversationId,
        author: Option<String>,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<MessageId, EngineError> {
        let conv = self
            .store
            .conversation(conversation)
            .await?
            .ok_or_else(|| EngineError::not_found("conversation", conversation))?;
        let id = MessageId::generate(now);
        let message = Message {
            id,
            customer: conv.customer,
            conversation: Some(conv.id),
            direction: Direction::Note,
            kind: None,
            party: Some(Party::Business),
            author: author.clone(),
            from: None,
            to: Vec::new(),
            cc: Vec::new(),
            subject: None,
            body: text.to_string(),
            html: None,
            preview: preview(text),
            reply: None,
            analysis: None,
            attachments: Vec::new(),
            token: None,
            rfc_message_id: None,
            in_reply_to: Vec::new(),
            references: Vec::new(),
            delivery: None,
            provider_message_id: None,
            created_at: now,
            sent_at: None,
            version: 0,
        };
        let event = TimelineEvent::new(
            conv.customer,
            Some(conv.id),
            Some(id),
            now,
            EventKind::NoteAdded {
                author,
                text: text.to_string(),
            },
        );
        self.store
            .commit(Commit {
                messages: vec![Write::Insert(message)],
                events: vec![event],
                ..Commit::default()
            })
            .await?;
        Ok(id)
    }

    /// Change a conversation with `change` (which returns the events to record), retrying on
    /// version conflicts. A change that records nothing writes nothing.
    pub(super) async fn update_conversation(
        &self,
        id: ConversationId,
        now: DateTime<Utc>,
        operation: &'static str,
        mut change: impl FnMut(&mut Conversation) -> Result<Vec<EventKind>, EngineError>,
    ) -> Result<Conversation, EngineError> {
        let mut last = None;
        for _ in 0..self.tries() {
            let before = self
                .store
                .conversation(id)
                .await?
                .ok_or_else(|| EngineError::not_found("conversation", id))?;
            let mut conv = before.clone();
            let kinds = change(&mut conv)?;
            if kinds.is_empty() && conv == before {
                return Ok(before);
            }
            let events = kinds
                .into_iter()
                .map(|k| TimelineEvent::new(conv.customer, Some(conv.id), None, now, k))
                .collect();
            let commit = Commit {
                conversations: vec![Write::update(conv.clone(), before.version)],
                events,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => {
                    conv.version = before.version + 1;
                    return Ok(conv);
                }
                Err(StoreError::Conflict(c @ Conflict::Version { .. })) => last = Some(c),
                Err(e) => return Err(e.into()),
            }
        }
        Err(self.contention(operation, last))
    }

    /// Snooze a conversation with a preset, read in `tz` (default: the account's time zone).
    ///
    /// # Errors
    /// [`EngineError::Snooze`] for a custom instant in the past, [`EngineError::Status`] for a
    /// resolved conversation, [`EngineError::NotFound`], store errors.
    pub async fn snooze(
        &self,
        conversation: ConversationId,
        preset: SnoozePreset,
        tz: Option<Tz>,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        let until = snooze_until(preset, now, tz.unwrap_or(self.account.time_zone))?;
        self.status_op(conversation, now, "snooze", StatusEvent::Snooze { until })
            .await
    }

    /// Resolve a conversation.
    ///
    /// # Errors
    /// [`EngineError::Status`] when it is already resolved, [`EngineError::NotFound`], store errors.
    pub async fn resolve(
        &self,
        conversation: ConversationId,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        self.status_op(conversation, now, "resolve", StatusEvent::Resolve)
            .await
    }

    /// Reopen a resolved conversation.
    ///
    /// # Errors
    /// [`EngineError::Status`] when it is not resolved; [`EngineError::Store`] with
    /// [`Conflict::ActiveConversation`] when the customer has another current conversation.
    pub async fn reopen(
        &self,
        conversation: ConversationId,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        self.status_op(conversation, now, "reopen", StatusEvent::Reopen)
            .await
    }

    /// Mark a conversation as waiting for the contact.
    ///
    /// # Errors
    /// [`EngineError::Status`] for a resolved one, [`EngineError::NotFound`], store errors.
    pub async fn mark_pending(
        &self,
        conversation: ConversationId,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        self.status_op(conversation, now, "mark_pending", StatusEvent::MarkPending)
            .await
    }

    /// A status change by hand, then the `status_changed` automation rules.
    async fn status_op(
        &self,
        conversation: ConversationId,
        now: DateTime<Utc>,
        operation: &'static str,
        event: StatusEvent,
    ) -> Result<Conversation, EngineError> {
        let mut from = None;
        let conv = self
            .update_conversation(conversation, now, operation, |c| {
                from = Some(c.status);
                apply_status(c, event, now)
            })
            .await?;
        match from {
            Some(from) if from != conv.status => {
                let event = crate::inbox::RuleEvent::StatusChanged {
                    from,
                    to: conv.status,
                };
                self.after_rules(conv, &event, now).await
            }
            _ => Ok(conv),
        }
    }

    /// Run the rules for `event` on `conv`; the conversation as they left it.
    async fn after_rules(
        &self,
        conv: Conversation,
        event: &crate::inbox::RuleEvent,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        let outcome = self.apply_rules(conv.id, event, now).await?;
        if outcome.applied.is_empty() {
            return Ok(conv);
        }
        self.store
            .conversation(conv.id)
            .await?
            .ok_or_else(|| EngineError::not_found("conversation", conv.id))
    }

    /// Assign a conversation to an agent and/or team (`None` clears).
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors.
    pub async fn assign(
        &self,
        conversation: ConversationId,
        assignee: Option<String>,
        team: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        self.update_conversation(conversation, now, "assign", |c| {
            if c.assignee == assignee && c.team == team {
                return Ok(Vec::new());
            }
            c.assignee.clone_from(&assignee);
            c.team.clone_from(&team);
            Ok(vec![EventKind::Assigned {
                assignee: assignee.clone(),
                team: team.clone(),
            }])
        })
        .await
    }

    /// Add (`add = true`) or remove a label. Labels are created inline (any text, trimmed);
    /// their colour is [`InboxSettings::colour_of`](crate::inbox::InboxSettings::colour_of).
    /// Adding one runs the `label_added` automation rules; the conversation returned is as they
    /// left it.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors.
    pub async fn label(
        &self,
        conversation: ConversationId,
        label: &str,
        add: bool,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        let label = label.trim().to_string();
        let mut added = false;
        let conv = self
            .update_conversation(conversation, now, "label", |c| {
                let changed = if add {
                    c.labels.insert(label.clone())
                } else {
                    c.labels.remove(&label)
                };
                added = changed && add;
                Ok(if changed {
                    vec![EventKind::Labelled {
                        label: label.clone(),
                        added: add,
                    }]
                } else {
                    Vec::new()
                })
            })
            .await?;
        if added {
            let event = crate::inbox::RuleEvent::LabelAdded { label };
            return self.after_rules(conv, &event, now).await;
        }
        Ok(conv)
    }

    /// Set the priority.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors.
    pub async fn set_priority(
        &self,
        conversation: ConversationId,
        priority: Priority,
        now: DateTime<Utc>,
    ) -> Result<Conversation, EngineError> {
        self.update_conversation(conversation, now, "set_priority", |c| {
            if c.priority == priority {
                return Ok(Vec::new());
            }
            c.priority = priority;
            Ok(vec![EventKind::PriorityChanged { priority }])
        })
        .await
    }

    /// Wake every snoozed conversation whose snooze has ended at `now` (reopening it). Returns
    /// the ones woken. Call it from the host's scheduler (every minute is plenty).
    ///
    /// # Errors
    /// Store errors. A conversation changed concurrently is skipped (the next call sees it).
    pub async fn wake_snoozed(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<ConversationId>, EngineError> {
        let mut woken = Vec::new();
        for conv in self.store.due_snoozes(now, 1_000).await? {
            let mut c = conv.clone();
            let Ok(kinds) = apply_status(&mut c, StatusEvent::Wake { now }, now) else {
                continue;
            };
            let events = kinds
                .into_iter()
                .map(|k| TimelineEvent::new(c.customer, Some(c.id), None, now, k))
                .collect();
            let commit = Commit {
                conversations: vec![Write::update(c, conv.version)],
                events,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => woken.push(conv.id),
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(woken)
    }
}

//! Automation rules applied by the engine, and what happens after a contact's message is stored
//! (routing, rules, the out-of-hours auto-reply).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::routing::RoutingFacts;
use super::{Engine, EngineError};
use crate::conversation::status::{ConversationStatus, StatusEvent};
use crate::conversation::{
    ConversationId, Direction, EventKind, Message, MessageId, Party, TimelineEvent, preview,
    snooze_until,
};
use crate::inbox::rules::{Action, FiredAction, TargetStatus, evaluate};
use crate::inbox::{Notification, RoutingDecision, RuleEvent};
use crate::ports::{Commit, Conflict, StoreError, Write};

/// What the rules did for one event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RulesOutcome {
    /// The actions applied, in order, with the rule of each.
    pub applied: Vec<FiredAction>,
    /// Rules that matched again within the chain and were not run a second time (the loop
    /// guard).
    pub suppressed: Vec<String>,
    /// Actions that could not apply (a refused status change), as sentences.
    pub refused: Vec<String>,
    /// Whether the chain was cut at its depth or size limit.
    pub truncated: bool,
}

impl RulesOutcome {
    fn absorb(&mut self, other: RulesOutcome) {
        self.applied.extend(other.applied);
        self.suppressed.extend(other.suppressed);
        self.refused.extend(other.refused);
        self.truncated |= other.truncated;
    }
}

/// What the inbox did with a contact's stored message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InboxEffects {
    /// The routing decision, when the message opened a conversation and routing is set up.
    pub routed: Option<RoutingDecision>,
    /// What the automation rules did.
    pub rules: RulesOutcome,
    /// The out-of-hours auto-reply, when one was considered.
    pub auto_reply: Option<super::after_hours::AutoReplyOutcome>,
    /// Steps that failed after the message was stored (it stays stored), as sentences.
    pub errors: Vec<String>,
}

/// A contact's message just stored, as the inbox hook sees it.
pub(super) struct ContactMessage<'a> {
    pub conversation: ConversationId,
    pub message: MessageId,
    pub opened: bool,
    pub status_change: Option<(ConversationStatus, ConversationStatus)>,
    pub text: &'a str,
    pub lang: Option<&'a str>,
    /// The inbound email, for the auto-reply (none for manual logs).
    pub email: Option<&'a crate::message::InboundMessage>,
}

fn status_event(status: TargetStatus, current: ConversationStatus) -> StatusEvent {
    match status {
        TargetStatus::Open if current == ConversationStatus::Resolved => StatusEvent::Reopen,
        TargetStatus::Open => StatusEvent::MarkOpen,
        TargetStatus::Pending => StatusEvent::MarkPending,
        TargetStatus::Resolved => StatusEvent::Resolve,
    }
}

impl Engine {
    /// Routing, rules and the auto-reply after a contact's message was committed. Never fails:
    /// what went wrong is reported in [`InboxEffects::errors`] (the message is stored either way).
    pub(super) async fn after_contact_message(
        &self,
        m: ContactMessage<'_>,
        now: DateTime<Utc>,
    ) -> InboxEffects {
        let mut fx = InboxEffects::default();
        if m.opened {
            let facts = RoutingFacts {
                labels: Default::default(),
                lang: m.lang.map(str::to_string),
                response_type: None,
                text: m.text.to_string(),
            };
            match self.route_opened(m.conversation, &facts, now).await {
                Ok(d) => fx.routed = d,
                Err(e) => fx.errors.push(format!("routing: {e}")),
            }
        }
        let mut events = Vec::new();
        if m.opened {
            events.push(RuleEvent::ConversationOpened);
        }
        if let Some((from, to)) = m.status_change
            && !m.opened
        {
            events.push(RuleEvent::StatusChanged { from, to });
        }
        events.push(RuleEvent::MessageReceived {
            text: m.text.to_string(),
        });
        for event in events {
            match self.apply_rules(m.conversation, &event, now).await {
                Ok(o) => fx.rules.absorb(o),
                Err(e) => fx.errors.push(format!("rules: {e}")),
            }
        }
        if let Some(email) = m.email {
            match self
                .auto_reply_if_closed(m.conversation, m.message, email, now)
                .await
            {
                Ok(o) => fx.auto_reply = o,
                Err(e) => fx.errors.push(format!("auto-reply: {e}")),
            }
        }
        fx
    }

    /// Evaluate the automation rules for `event` on a conversation and apply what they decide,
    /// in one commit: each applied action is recorded as `RuleApplied { rule, action }` followed
    /// by the events of the change itself. Notifications go to the host's
    /// [`Notifier`](crate::inbox::Notifier) after the commit. Rules cannot loop: a rule runs at
    /// most once per evaluation, and the changes the rules make do not trigger another one.
    ///
    /// # Errors
    /// [`EngineError::NotFound`], store errors, [`EngineError::Contention`].
    pub async fn apply_rules(
        &self,
        conversation: ConversationId,
        event: &RuleEvent,
        now: DateTime<Utc>,
    ) -> Result<RulesOutcome, EngineError> {
        let rules = &self.inbox.settings.rules;
        if rules.is_empty() {
            return Ok(RulesOutcome::default());
        }
        let tz = self.account.time_zone;
        let mut last = None;
        for _ in 0..self.tries() {
            let before = self
                .store
                .conversation(conversation)
                .await?
                .ok_or_else(|| EngineError::not_found("conversation", conversation))?;
            let eval = evaluate(rules, event, &before, now, tz);
            let outcome = RulesOutcome {
                applied: eval.actions.clone(),
                suppressed: eval.suppressed.clone(),
                refused: eval.refused.iter().map(ToString::to_string).collect(),
                truncated: eval.truncated,
            };
            if eval.actions.is_empty() {
                return Ok(outcome);
            }
            let mut conv = before.clone();
            let mut kinds: Vec<(Option<MessageId>, EventKind)> = Vec::new();
            let mut messages = Vec::new();
            let mut notifications = Vec::new();
            for fired in &eval.actions {
                kinds.push((
                    None,
                    EventKind::RuleApplied {
                        rule: fired.rule.clone(),
                        action: fired.action.clone(),
                    },
                ));
                match &fired.action {
                    Action::Assign { agent, team } => {
                        conv.assignee.clone_from(agent);
                        if team.is_some() {
                            conv.team.clone_from(team);
                        }
                        kinds.push((
                            None,
                            EventKind::Assigned {
                                assignee: conv.assignee.clone(),
                                team: conv.team.clone(),
                            },
                        ));
                    }
                    Action::AddLabel { label } => {
                        if conv.labels.insert(label.clone()) {
                            kinds.push((
                                None,
                                EventKind::Labelled {
                                    label: label.clone(),
                                    added: true,
                                },
                            ));
                        }
                    }
                    Action::RemoveLabel { label } => {
                        if conv.labels.remove(label) {
                            kinds.push((
                                None,
                                EventKind::Labelled {
                                    label: label.clone(),
                                    added: false,
                                },
                            ));
                        }
                    }
                    Action::SetPriority { priority } => {
                        if conv.priority != *priority {
                            conv.priority = *priority;
                            kinds.push((
                                None,
                                EventKind::PriorityChanged {
                                    priority: *priority,
                                },
                            ));
                        }
                    }
                    Action::SetStatus { status } => {
                        let ev = status_event(*status, conv.status);
                        // `evaluate` already left out the changes the status machine refuses.
                        if let Ok(changes) = super::inbox::apply_status(&mut conv, ev, now) {
                            kinds.extend(changes.into_iter().map(|k| (None, k)));
                        }
                    }
                    Action::Snooze { preset } => {
                        if let Ok(until) = snooze_until(*preset, now, tz)
                            && let Ok(changes) = super::inbox::apply_status(
                                &mut conv,
                                StatusEvent::Snooze { until },
                                now,
                            )
                        {
                            kinds.extend(changes.into_iter().map(|k| (None, k)));
                        }
                    }
                    Action::AddNote { text } => {
                        let author = Some(format!("rule: {}", fired.rule));
                        let note = note_message(&conv, author.clone(), text, now);
                        kinds.push((
                            Some(note.id),
                            EventKind::NoteAdded {
                                author,
                                text: text.clone(),
                            },
                        ));
                        messages.push(Write::Insert(note));
                    }
                    Action::Notify { target, message } => notifications.push(Notification {
                        rule: fired.rule.clone(),
                        target: target.clone(),
                        message: message.clone(),
                        conversation: conv.id,
                        customer: conv.customer,
                    }),
                }
            }
            let events = kinds
                .into_iter()
                .map(|(msg, k)| TimelineEvent::new(conv.customer, Some(conv.id), msg, now, k))
                .collect();
            let conversations = if conv == before {
                Vec::new()
            } else {
                vec![Write::update(conv, before.version)]
            };
            let commit = Commit {
                conversations,
                messages,
                events,
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(_) => {
                    if let Some(n) = &self.inbox.notifier {
                        for note in notifications {
                            n.notify(note).await;
                        }
                    }
                    return Ok(outcome);
                }
                Err(StoreError::Conflict(c @ Conflict::Version { .. })) => last = Some(c),
                Err(e) => return Err(e.into()),
            }
        }
        Err(self.contention("apply_rules", last))
    }
}

/// A private note on a conversation: a [`Direction::Note`] message, never sent nor forwarded.
pub(super) fn note_message(
    conv: &crate::conversation::Conversation,
    author: Option<String>,
    text: &str,
    now: DateTime<Utc>,
) -> Message {
    Message {
        id: MessageId::generate(now),
        customer: conv.customer,
        conversation: Some(conv.id),
        direction: Direction::Note,
        kind: None,
        party: Some(Party::Business),
        author,
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
    }
}

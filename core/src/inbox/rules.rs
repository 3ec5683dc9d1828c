//! Rules (automations): when an event happens and conditions hold, run actions.
//!
//! [`evaluate`] is pure: it takes the rules, the event and the conversation, and returns the
//! actions to apply, in order, with the rule that asked for each. It simulates them on a copy of
//! the conversation, so an action that causes another event (adding a label, changing the
//! status) lets the rules react to that too — but a rule runs at most once per evaluation and
//! chains stop at [`MAX_DEPTH`], so rules cannot loop.
//!
//! ```
//! use replytrack::conversation::{Channel, Conversation, CustomerId, OpenedBy};
//! use replytrack::inbox::rules::{Action, Rule, RuleEvent, Trigger, evaluate};
//! # let now = chrono::Utc::now();
//! let conv = Conversation::new(CustomerId::generate(now), Channel::Email, OpenedBy::Contact, None, now);
//! let urgent = Rule::new("urgent to Chloé", Trigger::LabelAdded)
//!     .when_label("urgent")
//!     .then(Action::Assign { agent: Some("chloe".into()), team: None })
//!     .then(Action::Notify { target: "manager".into(), message: "Urgent conversation".into() });
//! let out = evaluate(&[urgent], &RuleEvent::LabelAdded { label: "urgent".into() }, &conv, now, chrono_tz::UTC);
//! assert_eq!(out.actions.len(), 2);
//! ```

use std::collections::{BTreeSet, VecDeque};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::analysis::ResponseType;
use crate::conversation::snooze::SnoozeError;
use crate::conversation::status::{self, StatusError, StatusEvent};
use crate::conversation::{Channel, Conversation, ConversationStatus, Priority, SnoozePreset};

/// Longest chain of events one evaluation follows (the first event is depth 0).
pub const MAX_DEPTH: usize = 5;
/// Most actions one evaluation returns.
pub const MAX_ACTIONS: usize = 100;

/// What a rule listens for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A conversation was opened.
    ConversationOpened,
    /// A message from the contact arrived.
    MessageReceived,
    /// A label was added.
    LabelAdded,
    /// The analysis of a reply finished.
    AnalysisCompleted,
    /// The status changed.
    StatusChanged,
}

/// Something that happened, with what rules may look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RuleEvent {
    /// A conversation was opened.
    ConversationOpened,
    /// A message from the contact arrived.
    MessageReceived {
        /// Its text.
        text: String,
    },
    /// A label was added.
    LabelAdded {
        /// The label.
        label: String,
    },
    /// The analysis finished.
    AnalysisCompleted {
        /// Its response type.
        response_type: ResponseType,
    },
    /// The status changed.
    StatusChanged {
        /// Before.
        from: ConversationStatus,
        /// After.
        to: ConversationStatus,
    },
}

impl RuleEvent {
    /// The trigger it fires.
    pub fn trigger(&self) -> Trigger {
        match self {
            Self::ConversationOpened => Trigger::ConversationOpened,
            Self::MessageReceived { .. } => Trigger::MessageReceived,
            Self::LabelAdded { .. } => Trigger::LabelAdded,
            Self::AnalysisCompleted { .. } => Trigger::AnalysisCompleted,
            Self::StatusChanged { .. } => Trigger::StatusChanged,
        }
    }
}

/// A condition on the event and the conversation (as earlier actions left it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "if", rename_all = "snake_case")]
pub enum RuleCondition {
    /// The event is the adding of this label.
    LabelIs {
        /// The label.
        label: String,
    },
    /// The conversation carries this label.
    HasLabel {
        /// The label.
        label: String,
    },
    /// The conversation does not carry this label.
    LacksLabel {
        /// The label.
        label: String,
    },
    /// The conversation is on this channel.
    Channel {
        /// The channel.
        channel: Channel,
    },
    /// Its priority is at least this.
    PriorityAtLeast {
        /// The priority.
        priority: Priority,
    },
    /// Its status has this name (`open`, `pending`, `snoozed`, `resolved`).
    Status {
        /// The status name.
        status: String,
    },
    /// Nobody is assigned.
    Unassigned,
    /// The analysis gave this response type (analysis-completed events only).
    ResponseType {
        /// The response type.
        response_type: ResponseType,
    },
    /// The message contains one of these words, case-insensitively (message events only).
    Keywords {
        /// The words.
        any: Vec<String>,
    },
}

impl RuleCondition {
    fn holds(&self, event: &RuleEvent, conv: &Conversation) -> bool {
        match self {
            Self::LabelIs { label } => {
                matches!(event, RuleEvent::LabelAdded { label: l } if l == label)
            }
            Self::HasLabel { label } => conv.labels.contains(label),
            Self::LacksLabel { label } => !conv.labels.contains(label),
            Self::Channel { channel } => conv.channel == *channel,
            Self::PriorityAtLeast { priority } => conv.priority >= *priority,
            Self::Status { status } => conv.status.name() == status,
            Self::Unassigned => conv.assignee.is_none() && conv.team.is_none(),
            Self::ResponseType { response_type } => matches!(
                event,
                RuleEvent::AnalysisCompleted { response_type: r } if r == response_type
            ),
            Self::Keywords { any } => match event {
                RuleEvent::MessageReceived { text } => {
                    let text = text.to_lowercase();
                    any.iter().any(|k| {
                        let k = k.trim().to_lowercase();
                        !k.is_empty() && text.contains(&k)
                    })
                }
                _ => false,
            },
        }
    }
}

/// The status an action sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// Needs an answer.
    Open,
    /// Waiting for the contact.
    Pending,
    /// Done.
    Resolved,
}

/// Something a rule does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Action {
    /// Assign to an agent and/or a team.
    Assign {
        /// The agent.
        agent: Option<String>,
        /// The team.
        team: Option<String>,
    },
    /// Add a label.
    AddLabel {
        /// The label.
        label: String,
    },
    /// Remove a label.
    RemoveLabel {
        /// The label.
        label: String,
    },
    /// Set the priority.
    SetPriority {
        /// The priority.
        priority: Priority,
    },
    /// Set the status.
    SetStatus {
        /// The status.
        status: TargetStatus,
    },
    /// Snooze.
    Snooze {
        /// For how long.
        preset: SnoozePreset,
    },
    /// Add a private note.
    AddNote {
        /// The note.
        text: String,
    },
    /// Call the host's notification callback.
    Notify {
        /// Who to notify (an agent, a team, a channel: the host decides).
        target: String,
        /// What to say.
        message: String,
    },
}

/// A rule: on `trigger`, when every condition holds, run the actions in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Its name (unique among the rules; the loop guard uses it).
    pub name: String,
    /// Whether it runs.
    pub enabled: bool,
    /// The event it listens for.
    pub trigger: Trigger,
    /// All must hold.
    pub conditions: Vec<RuleCondition>,
    /// What it does.
    pub actions: Vec<Action>,
}

impl Rule {
    /// An enabled rule with no conditions and no actions.
    pub fn new(name: impl Into<String>, trigger: Trigger) -> Self {
        Self {
            name: name.into(),
            enabled: true,
            trigger,
            conditions: Vec::new(),
            actions: Vec::new(),
        }
    }

    /// Add a condition.
    pub fn when(mut self, condition: RuleCondition) -> Self {
        self.conditions.push(condition);
        self
    }

    /// Only when the event adds this label.
    pub fn when_label(self, label: impl Into<String>) -> Self {
        self.when(RuleCondition::LabelIs {
            label: label.into(),
        })
    }

    /// Add an action.
    pub fn then(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }
}

/// One action to apply, and the rule that asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiredAction {
    /// The rule's name.
    pub rule: String,
    /// The action.
    pub action: Action,
}

/// An action that could not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusedAction {
    /// The status machine refused the change.
    #[error("rule {rule:?}: {error}")]
    Status {
        /// The rule's name.
        rule: String,
        /// The refusal.
        error: StatusError,
    },
    /// The snooze end could not be computed.
    #[error("rule {rule:?}: {error}")]
    Snooze {
        /// The rule's name.
        rule: String,
        /// The refusal.
        error: SnoozeError,
    },
}

/// What an evaluation decided.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evaluation {
    /// The actions to apply, in order.
    pub actions: Vec<FiredAction>,
    /// Actions left out because they could not apply.
    pub refused: Vec<RefusedAction>,
    /// Rules that matched again within the chain and were not run a second time.
    pub suppressed: Vec<String>,
    /// Whether the chain was cut at [`MAX_DEPTH`] or [`MAX_ACTIONS`].
    pub truncated: bool,
    /// The conversation as it will be once the actions are applied.
    pub conversation: Option<Conversation>,
}

/// Evaluate the rules for an event on a conversation at `now` (snooze presets are read in `tz`).
pub fn evaluate(
    rules: &[Rule],
    event: &RuleEvent,
    conversation: &Conversation,
    now: DateTime<Utc>,
    tz: Tz,
) -> Evaluation {
    let mut out = Evaluation::default();
    let mut conv = conversation.clone();
    let mut ran: BTreeSet<&str> = BTreeSet::new();
    let mut queue = VecDeque::from([(event.clone(), 0usize)]);
    while let Some((event, depth)) = queue.pop_front() {
        for rule in rules
            .iter()
            .filter(|r| r.enabled && r.trigger == event.trigger())
        {
            if !rule.conditions.iter().all(|c| c.holds(&event, &conv)) {
                continue;
            }
            if !ran.insert(rule.name.as_str()) {
                out.suppressed.push(rule.name.clone());
                continue;
            }
            for action in &rule.actions {
                if out.actions.len() >= MAX_ACTIONS {
                    out.truncated = true;
                    break;
                }
                match apply(&mut conv, action, now, tz, &rule.name) {
                    Ok(caused) => {
                        out.actions.push(FiredAction {
                            rule: rule.name.clone(),
                            action: action.clone(),
                        });
                        if let Some(next) = caused {
                            if depth + 1 > MAX_DEPTH {
                                out.truncated = true;
                            } else {
                                queue.push_back((next, depth + 1));
                            }
                        }
                    }
                    Err(refused) => out.refused.push(refused),
                }
            }
        }
    }
    out.conversation = Some(conv);
    out
}

/// Apply an action to the simulated conversation; the event it causes, if any.
fn apply(
    conv: &mut Conversation,
    action: &Action,
    now: DateTime<Utc>,
    tz: Tz,
    rule: &str,
) -> Result<Option<RuleEvent>, RefusedAction> {
    let status_event = match action {
        Action::Assign { agent, team } => {
            conv.assignee.clone_from(agent);
            if team.is_some() {
                conv.team.clone_from(team);
            }
            return Ok(None);
        }
        Action::AddLabel { label } => {
            let added = conv.labels.insert(label.clone());
            return Ok(added.then(|| RuleEvent::LabelAdded {
                label: label.clone(),
            }));
        }
        Action::RemoveLabel { label } => {
            conv.labels.remove(label);
            return Ok(None);
        }
        Action::SetPriority { priority } => {
            conv.priority = *priority;
            return Ok(None);
        }
        Action::AddNote { .. } | Action::Notify { .. } => return Ok(None),
        Action::SetStatus { status } => match status {
            TargetStatus::Open if conv.status == ConversationStatus::Resolved => {
                StatusEvent::Reopen
            }
            TargetStatus::Open => StatusEvent::MarkOpen,
            TargetStatus::Pending => StatusEvent::MarkPending,
            TargetStatus::Resolved => StatusEvent::Resolve,
        },
        Action::Snooze { preset } => {
            let until = crate::conversation::snooze_until(*preset, now, tz).map_err(|error| {
                RefusedAction::Snooze {
                    rule: rule.to_string(),
                    error,
                }
            })?;
            StatusEvent::Snooze { until }
        }
    };
    let (next, changes) =
        status::transition(&conv.status, &status_event).map_err(|error| RefusedAction::Status {
            rule: rule.to_string(),
            error,
        })?;
    let from = conv.status;
    conv.status = next;
    Ok((!changes.is_empty()).then_some(RuleEvent::StatusChanged { from, to: next }))
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;

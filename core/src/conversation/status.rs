//! Conversation status: `open`, `pending`, `snoozed { until }`, `resolved`.
//!
//! - **open**: the business owes an answer (a contact wrote, or an agent reopened it).
//! - **pending**: the business answered and waits for the contact.
//! - **snoozed**: put aside until an instant; [`StatusEvent::Wake`] at or after it reopens it.
//! - **resolved**: done; it stays searchable, and a contact's message or an agent reopens it.
//!
//! [`transition`] is the whole machine: the current status and an event in, the new status and
//! what changed out, or a [`StatusError`] naming the status and the refused event.
//!
//! ```
//! use replytrack::conversation::status::{ConversationStatus, StatusEvent, transition};
//!
//! let (next, changes) = transition(&ConversationStatus::Resolved, &StatusEvent::ContactMessage)?;
//! assert_eq!(next, ConversationStatus::Open);
//! assert_eq!(changes.len(), 1);
//! assert!(transition(&ConversationStatus::Resolved, &StatusEvent::Resolve).is_err());
//! # Ok::<(), replytrack::conversation::status::StatusError>(())
//! ```

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ConversationStatus {
    /// The business owes an answer.
    #[default]
    Open,
    /// Waiting for the contact.
    Pending,
    /// Put aside until `until`.
    Snoozed {
        /// When it wakes up.
        until: DateTime<Utc>,
    },
    /// Done (searchable, reopenable).
    Resolved,
}

impl ConversationStatus {
    /// The status name without data: `open`, `pending`, `snoozed`, `resolved`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Pending => "pending",
            Self::Snoozed { .. } => "snoozed",
            Self::Resolved => "resolved",
        }
    }

    /// Whether the conversation counts as the contact's current one (anything but resolved).
    pub fn is_active(&self) -> bool {
        !matches!(self, Self::Resolved)
    }
}

impl fmt::Display for ConversationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Snoozed { until } => write!(f, "snoozed until {}", until.to_rfc3339()),
            other => f.write_str(other.name()),
        }
    }
}

/// Something that happens to a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StatusEvent {
    /// The contact wrote (a reply, or a manual log of their call): reopens or wakes it.
    ContactMessage,
    /// The business wrote (an email, a logged answer): now waiting for the contact.
    BusinessMessage,
    /// An agent snoozes it until an instant.
    Snooze {
        /// When to wake it.
        until: DateTime<Utc>,
    },
    /// The clock reached a snooze's end (sent by `wake_snoozed(now)`).
    Wake {
        /// The instant of the check.
        now: DateTime<Utc>,
    },
    /// An agent resolves it.
    Resolve,
    /// An agent reopens a resolved conversation.
    Reopen,
    /// An agent marks it as waiting for the contact.
    MarkPending,
    /// An agent marks it as needing an answer.
    MarkOpen,
}

impl StatusEvent {
    /// The event name: `contact_message`, `business_message`, `snooze`, `wake`, `resolve`,
    /// `reopen`, `mark_pending`, `mark_open`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::ContactMessage => "contact_message",
            Self::BusinessMessage => "business_message",
            Self::Snooze { .. } => "snooze",
            Self::Wake { .. } => "wake",
            Self::Resolve => "resolve",
            Self::Reopen => "reopen",
            Self::MarkPending => "mark_pending",
            Self::MarkOpen => "mark_open",
        }
    }
}

impl fmt::Display for StatusEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Snooze { until } => write!(f, "snooze until {}", until.to_rfc3339()),
            Self::Wake { now } => write!(f, "wake at {}", now.to_rfc3339()),
            other => f.write_str(other.name()),
        }
    }
}

/// One status change a transition made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The status before.
    pub from: ConversationStatus,
    /// The status after.
    pub to: ConversationStatus,
    /// The event that caused it.
    pub cause: StatusEvent,
}

/// A refused transition: the status and the event that does not apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a conversation that is {state} cannot take the event `{event}`: {why}")]
pub struct StatusError {
    /// The status the conversation was in.
    pub state: ConversationStatus,
    /// The refused event.
    pub event: StatusEvent,
    /// Why, in a few words.
    pub why: &'static str,
}

/// Apply an event to a status.
///
/// | status \ event | contact | business | snooze | wake (due) | resolve | reopen | pending | open |
/// |---|---|---|---|---|---|---|---|---|
/// | open | open | pending | snoozed | ✗ | resolved | ✗ | pending | open |
/// | pending | open | pending | snoozed | ✗ | resolved | ✗ | pending | open |
/// | snoozed | open | snoozed | snoozed (new end) | open | resolved | ✗ | pending | open |
/// | resolved | open | pending | ✗ | ✗ | ✗ | open | ✗ | ✗ |
///
/// A transition to the same status is allowed and reports no change. A wake before the snooze's
/// end is refused (✗), as is a snooze whose end is not after the snooze's own instant — the caller
/// checks that against its clock; here only the data is checked.
///
/// # Errors
/// [`StatusError`] for every ✗ in the table.
pub fn transition(
    state: &ConversationStatus,
    event: &StatusEvent,
) -> Result<(ConversationStatus, Vec<StatusChange>), StatusError> {
    use ConversationStatus as S;
    use StatusEvent as E;
    let refuse = |why| StatusError {
        state: *state,
        event: *event,
        why,
    };
    let next = match (state, event) {
        (_, E::ContactMessage) => S::Open,
        (S::Snoozed { until }, E::BusinessMessage) => S::Snoozed { until: *until },
        (_, E::BusinessMessage) => S::Pending,
        (S::Resolved, E::Snooze { .. }) => return Err(refuse("reopen it before snoozing")),
        (_, E::Snooze { until }) => S::Snoozed { until: *until },
        (S::Snoozed { until }, E::Wake { now }) => {
            if now < until {
                return Err(refuse("the snooze has not ended yet"));
            }
            S::Open
        }
        (_, E::Wake { .. }) => return Err(refuse("only a snoozed conversation wakes")),
        (S::Resolved, E::Resolve) => return Err(refuse("it is already resolved")),
        (_, E::Resolve) => S::Resolved,
        (S::Resolved, E::Reopen) => S::Open,
        (_, E::Reopen) => return Err(refuse("only a resolved conversation is reopened")),
        (S::Resolved, E::MarkPending | E::MarkOpen) => {
            return Err(refuse("reopen it first"));
        }
        (_, E::MarkPending) => S::Pending,
        (_, E::MarkOpen) => S::Open,
    };
    let changes = if next == *state {
        Vec::new()
    } else {
        vec![StatusChange {
            from: *state,
            to: next,
            cause: *event,
        }]
    };
    Ok((next, changes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 3, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn a_contact_message_reopens_a_resolved_conversation() {
        let (next, changes) =
            transition(&ConversationStatus::Resolved, &StatusEvent::ContactMessage).unwrap();
        assert_eq!(next, ConversationStatus::Open);
        assert_eq!(changes[0].from, ConversationStatus::Resolved);
    }

    #[test]
    fn a_contact_message_wakes_a_snoozed_conversation_early() {
        let snoozed = ConversationStatus::Snoozed { until: at(12) };
        let (next, _) = transition(&snoozed, &StatusEvent::ContactMessage).unwrap();
        assert_eq!(next, ConversationStatus::Open);
    }

    #[test]
    fn an_email_from_us_keeps_a_snooze_but_makes_open_pending() {
        let snoozed = ConversationStatus::Snoozed { until: at(12) };
        assert_eq!(
            transition(&snoozed, &StatusEvent::BusinessMessage)
                .unwrap()
                .0,
            snoozed
        );
        assert_eq!(
            transition(&ConversationStatus::Open, &StatusEvent::BusinessMessage)
                .unwrap()
                .0,
            ConversationStatus::Pending
        );
    }

    #[test]
    fn wake_before_the_end_is_refused_and_at_the_end_opens() {
        let snoozed = ConversationStatus::Snoozed { until: at(12) };
        let early = transition(&snoozed, &StatusEvent::Wake { now: at(11) }).unwrap_err();
        assert_eq!(early.state, snoozed);
        assert!(early.to_string().contains("has not ended"));
        let (next, _) = transition(&snoozed, &StatusEvent::Wake { now: at(12) }).unwrap();
        assert_eq!(next, ConversationStatus::Open);
    }

    #[test]
    fn resolved_refuses_snooze_resolve_and_marks() {
        for event in [
            StatusEvent::Snooze { until: at(12) },
            StatusEvent::Resolve,
            StatusEvent::MarkPending,
            StatusEvent::MarkOpen,
            StatusEvent::Wake { now: at(12) },
        ] {
            let err = transition(&ConversationStatus::Resolved, &event).unwrap_err();
            assert_eq!(err.event, event);
            assert!(
                err.to_string()
                    .starts_with("a conversation that is resolved")
            );
        }
    }

    #[test]
    fn reopen_only_applies_to_resolved() {
        assert!(transition(&ConversationStatus::Open, &StatusEvent::Reopen).is_err());
        assert_eq!(
            transition(&ConversationStatus::Resolved, &StatusEvent::Reopen)
                .unwrap()
                .0,
            ConversationStatus::Open
        );
    }

    #[test]
    fn same_status_reports_no_change() {
        let (next, changes) =
            transition(&ConversationStatus::Open, &StatusEvent::ContactMessage).unwrap();
        assert_eq!(next, ConversationStatus::Open);
        assert!(changes.is_empty());
    }
}

//! Message delivery status: `queued → sent → delivered → read`, or `failed`; never backwards.
//!
//! Provider webhooks arrive late, twice, and out of order. Moving forward may skip steps (a
//! `delivered` report whose `sent` was lost); the same status again is accepted and changes
//! nothing; a step backwards, or anything after `failed`, is refused with a [`DeliveryError`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where an outgoing message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Composed and stored, not handed to a mailer yet.
    #[default]
    Queued,
    /// Accepted by the mailer or provider.
    Sent,
    /// The receiving server accepted it.
    Delivered,
    /// The recipient opened it.
    Read,
    /// It could not be delivered (a hard bounce, a refused send).
    Failed,
}

impl DeliveryStatus {
    /// The status name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Failed => "failed",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Queued => 0,
            Self::Sent => 1,
            Self::Delivered => 2,
            Self::Read => 3,
            Self::Failed => 4,
        }
    }
}

impl fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a mailer or provider reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryEvent {
    /// Handed to the mailer.
    Sent,
    /// Delivered to the recipient's server.
    Delivered,
    /// Opened.
    Read,
    /// Failed permanently.
    Failed,
}

impl DeliveryEvent {
    /// The status this event moves to.
    pub fn target(self) -> DeliveryStatus {
        match self {
            Self::Sent => DeliveryStatus::Sent,
            Self::Delivered => DeliveryStatus::Delivered,
            Self::Read => DeliveryStatus::Read,
            Self::Failed => DeliveryStatus::Failed,
        }
    }
}

impl fmt::Display for DeliveryEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.target().name())
    }
}

/// One delivery change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryChange {
    /// The status before.
    pub from: DeliveryStatus,
    /// The status after.
    pub to: DeliveryStatus,
}

/// A refused delivery report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a message that is {state} cannot become {event}: {why}")]
pub struct DeliveryError {
    /// The status the message was in.
    pub state: DeliveryStatus,
    /// The refused report.
    pub event: DeliveryEvent,
    /// Why.
    pub why: &'static str,
}

/// Apply a delivery report.
///
/// # Errors
/// [`DeliveryError`] for a step backwards (`read` then `delivered`), anything after `failed`, and
/// `failed` after `delivered` or `read` (a message that arrived did not fail).
pub fn transition(
    state: DeliveryStatus,
    event: DeliveryEvent,
) -> Result<(DeliveryStatus, Vec<DeliveryChange>), DeliveryError> {
    let target = event.target();
    let refuse = |why| DeliveryError { state, event, why };
    if state == target {
        return Ok((state, Vec::new()));
    }
    match (state, target) {
        (DeliveryStatus::Failed, _) => Err(refuse("failed is final")),
        (DeliveryStatus::Delivered | DeliveryStatus::Read, DeliveryStatus::Failed) => {
            Err(refuse("it was already delivered"))
        }
        (_, DeliveryStatus::Failed) => Ok((
            target,
            vec![DeliveryChange {
                from: state,
                to: target,
            }],
        )),
        _ if target.rank() < state.rank() => Err(refuse("delivery status never goes backwards")),
        _ => Ok((
            target,
            vec![DeliveryChange {
                from: state,
                to: target,
            }],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_moves_step_by_step() {
        let mut s = DeliveryStatus::Queued;
        for e in [
            DeliveryEvent::Sent,
            DeliveryEvent::Delivered,
            DeliveryEvent::Read,
        ] {
            let (next, changes) = transition(s, e).unwrap();
            assert_eq!(changes.len(), 1);
            s = next;
        }
        assert_eq!(s, DeliveryStatus::Read);
    }

    #[test]
    fn a_late_sent_report_after_delivered_is_refused() {
        let err = transition(DeliveryStatus::Delivered, DeliveryEvent::Sent).unwrap_err();
        assert_eq!(err.state, DeliveryStatus::Delivered);
        assert_eq!(
            err.to_string(),
            "a message that is delivered cannot become sent: delivery status never goes backwards"
        );
    }

    #[test]
    fn skipping_ahead_is_fine_and_repeats_change_nothing() {
        assert_eq!(
            transition(DeliveryStatus::Queued, DeliveryEvent::Delivered)
                .unwrap()
                .0,
            DeliveryStatus::Delivered
        );
        let (s, changes) = transition(DeliveryStatus::Sent, DeliveryEvent::Sent).unwrap();
        assert_eq!(s, DeliveryStatus::Sent);
        assert!(changes.is_empty());
    }

    #[test]
    fn failed_is_final_and_delivered_cannot_fail() {
        assert!(transition(DeliveryStatus::Failed, DeliveryEvent::Delivered).is_err());
        assert!(transition(DeliveryStatus::Read, DeliveryEvent::Failed).is_err());
        assert_eq!(
            transition(DeliveryStatus::Sent, DeliveryEvent::Failed)
                .unwrap()
                .0,
            DeliveryStatus::Failed
        );
    }
}

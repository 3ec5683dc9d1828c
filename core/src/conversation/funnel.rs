//! The customer funnel: `new → contacted → replied → engaged → converted`, with `bounced` and
//! `unsubscribed` as terminal stages.
//!
//! The funnel only moves forward. The engine feeds it what happens (an email went out, a reply
//! came in, every address hard-bounced) and records each move on the customer's timeline.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A customer's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelStage {
    /// Known, never written to.
    #[default]
    New,
    /// We wrote at least once.
    Contacted,
    /// They answered once.
    Replied,
    /// They answered more than once: a conversation is going on.
    Engaged,
    /// The host marked them converted (bought, signed, upgraded).
    Converted,
    /// Every address they have hard-bounced. Terminal.
    Bounced,
    /// They asked not to be written to. Terminal.
    Unsubscribed,
}

impl FunnelStage {
    /// The stage name.
    pub fn name(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Contacted => "contacted",
            Self::Replied => "replied",
            Self::Engaged => "engaged",
            Self::Converted => "converted",
            Self::Bounced => "bounced",
            Self::Unsubscribed => "unsubscribed",
        }
    }

    /// Whether nothing moves it any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Bounced | Self::Unsubscribed)
    }
}

impl fmt::Display for FunnelStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something that moves the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelEvent {
    /// We sent them an email (or logged an answer to them).
    EmailSent,
    /// They replied.
    ReplyReceived,
    /// The host marks them converted.
    Converted,
    /// Every address they have has hard-bounced.
    AllAddressesBounced,
    /// They unsubscribed.
    Unsubscribed,
}

impl fmt::Display for FunnelEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EmailSent => "email_sent",
            Self::ReplyReceived => "reply_received",
            Self::Converted => "converted",
            Self::AllAddressesBounced => "all_addresses_bounced",
            Self::Unsubscribed => "unsubscribed",
        })
    }
}

/// One funnel move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelMove {
    /// The stage before.
    pub from: FunnelStage,
    /// The stage after.
    pub to: FunnelStage,
    /// What moved it.
    pub cause: FunnelEvent,
}

/// A refused funnel event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a customer in the {state} stage cannot take the event `{event}`: {state} is terminal")]
pub struct FunnelError {
    /// The customer's stage.
    pub state: FunnelStage,
    /// The refused event.
    pub event: FunnelEvent,
}

/// Apply an event to a stage.
///
/// # Errors
/// [`FunnelError`] for any event on a terminal stage (bounced, unsubscribed).
pub fn transition(
    state: FunnelStage,
    event: FunnelEvent,
) -> Result<(FunnelStage, Vec<FunnelMove>), FunnelError> {
    use FunnelEvent as E;
    use FunnelStage as S;
    if state.is_terminal() {
        return Err(FunnelError { state, event });
    }
    let next = match (state, event) {
        (S::New, E::EmailSent) => S::Contacted,
        (_, E::EmailSent) => state,
        (S::New | S::Contacted, E::ReplyReceived) => S::Replied,
        (S::Replied, E::ReplyReceived) => S::Engaged,
        (_, E::ReplyReceived) => state,
        (_, E::Converted) => S::Converted,
        (_, E::AllAddressesBounced) => S::Bounced,
        (_, E::Unsubscribed) => S::Unsubscribed,
    };
    let moves = if next == state {
        Vec::new()
    } else {
        vec![FunnelMove {
            from: state,
            to: next,
            cause: event,
        }]
    };
    Ok((next, moves))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_funnel_moves_forward_as_things_happen() {
        let mut s = FunnelStage::New;
        let mut seen = vec![s];
        for e in [
            FunnelEvent::EmailSent,
            FunnelEvent::EmailSent,
            FunnelEvent::ReplyReceived,
            FunnelEvent::ReplyReceived,
            FunnelEvent::Converted,
            FunnelEvent::ReplyReceived,
        ] {
            s = transition(s, e).unwrap().0;
            seen.push(s);
        }
        use FunnelStage::*;
        assert_eq!(
            seen,
            [
                New, Contacted, Contacted, Replied, Engaged, Converted, Converted
            ]
        );
    }

    #[test]
    fn bounced_and_unsubscribed_are_terminal() {
        let (s, moves) =
            transition(FunnelStage::Replied, FunnelEvent::AllAddressesBounced).unwrap();
        assert_eq!(s, FunnelStage::Bounced);
        assert_eq!(moves[0].from, FunnelStage::Replied);
        let err = transition(s, FunnelEvent::ReplyReceived).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a customer in the bounced stage cannot take the event `reply_received`: bounced is terminal"
        );
        assert!(transition(FunnelStage::Unsubscribed, FunnelEvent::EmailSent).is_err());
    }
}

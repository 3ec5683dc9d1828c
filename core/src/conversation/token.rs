//! The reply-token lifecycle: `active → expired` (by time), and `expired → reissued` when the
//! next email to the customer carries a new token.
//!
//! Expiry is derived from the clock, never stored as a flag: [`TokenState::at`] reads it from
//! the token's `expires_at` and `now`. A reply on an expired token is refused (the engine reports
//! `IngestOutcome::Expired` and remembers the customer is owed a new address); the next outgoing
//! email then records [`TokenEffect::Reissued`].

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::token::ReplyToken;

/// Where a token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TokenState {
    /// Replies to it are accepted.
    Active,
    /// Too old: replies are refused; the customer is owed a new address.
    Expired,
    /// An expired token whose customer has since been sent a new one.
    Reissued {
        /// The token that replaced it.
        by: ReplyToken,
    },
}

impl TokenState {
    /// The state of a token that expires at `expires_at`, seen at `now`.
    pub fn at(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        if now > expires_at {
            Self::Expired
        } else {
            Self::Active
        }
    }

    /// The state name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Reissued { .. } => "reissued",
        }
    }
}

impl fmt::Display for TokenState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something that happens to a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TokenEvent {
    /// The clock moved on.
    Tick {
        /// The instant.
        now: DateTime<Utc>,
        /// The token's expiry.
        expires_at: DateTime<Utc>,
    },
    /// A reply arrived on it.
    ReplyArrived,
    /// A new token went out to the same customer.
    Reissue {
        /// The new token.
        new: ReplyToken,
    },
}

impl fmt::Display for TokenEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tick { now, .. } => write!(f, "tick at {}", now.to_rfc3339()),
            Self::ReplyArrived => f.write_str("reply_arrived"),
            Self::Reissue { new } => write!(f, "reissue as {new}"),
        }
    }
}

/// What a token transition emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum TokenEffect {
    /// The token just expired.
    Expired,
    /// A reply was accepted on it.
    ReplyAccepted,
    /// It was replaced.
    Reissued {
        /// The new token.
        new: ReplyToken,
    },
}

/// A refused token event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a reply token that is {state} cannot take the event `{event}`: {why}")]
pub struct TokenLifecycleError {
    /// The token's state.
    pub state: TokenState,
    /// The refused event.
    pub event: TokenEvent,
    /// Why.
    pub why: &'static str,
}

/// Apply an event to a token's state.
///
/// # Errors
/// [`TokenLifecycleError`] for a reply on an expired or reissued token, and for reissuing a token
/// that is still active (every email gets a fresh token anyway; reissue is for expired ones).
pub fn transition(
    state: TokenState,
    event: TokenEvent,
) -> Result<(TokenState, Vec<TokenEffect>), TokenLifecycleError> {
    let refuse = |why| TokenLifecycleError { state, event, why };
    match (state, event) {
        (TokenState::Active, TokenEvent::Tick { now, expires_at }) => {
            match TokenState::at(expires_at, now) {
                TokenState::Expired => Ok((TokenState::Expired, vec![TokenEffect::Expired])),
                _ => Ok((TokenState::Active, Vec::new())),
            }
        }
        (_, TokenEvent::Tick { .. }) => Ok((state, Vec::new())),
        (TokenState::Active, TokenEvent::ReplyArrived) => {
            Ok((TokenState::Active, vec![TokenEffect::ReplyAccepted]))
        }
        (_, TokenEvent::ReplyArrived) => Err(refuse(
            "the reply address no longer works; the next email carries a new one",
        )),
        (TokenState::Expired, TokenEvent::Reissue { new }) => Ok((
            TokenState::Reissued { by: new },
            vec![TokenEffect::Reissued { new }],
        )),
        (TokenState::Active, TokenEvent::Reissue { .. }) => {
            Err(refuse("an active token is not reissued"))
        }
        (TokenState::Reissued { .. }, TokenEvent::Reissue { .. }) => {
            Err(refuse("it was already reissued"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn token(s: &str) -> ReplyToken {
        s.parse()
            .unwrap_or_else(|_| unreachable!("test tokens are well formed"))
    }

    #[test]
    fn a_token_expires_by_time_and_then_refuses_replies() {
        let expires = Utc
            .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let (s, fx) = transition(
            TokenState::Active,
            TokenEvent::Tick {
                now: expires + Duration::seconds(1),
                expires_at: expires,
            },
        )
        .unwrap();
        assert_eq!((s, fx), (TokenState::Expired, vec![TokenEffect::Expired]));
        let err = transition(s, TokenEvent::ReplyArrived).unwrap_err();
        assert!(err.to_string().contains("expired"));
    }

    #[test]
    fn an_expired_token_is_reissued_once() {
        let new = token("7k3m9q2x5c8v1b4n");
        let (s, fx) = transition(TokenState::Expired, TokenEvent::Reissue { new }).unwrap();
        assert_eq!(s, TokenState::Reissued { by: new });
        assert_eq!(fx, vec![TokenEffect::Reissued { new }]);
        assert!(transition(s, TokenEvent::Reissue { new }).is_err());
        assert!(transition(TokenState::Active, TokenEvent::Reissue { new }).is_err());
    }
}

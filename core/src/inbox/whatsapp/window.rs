//! The 24-hour customer-service window: a business may send free-form messages only within 24
//! hours of the contact's last inbound message; otherwise — and for a first contact — only an
//! approved template. Checked here, before any send, so the provider never has to refuse one.
//!
//! ```
//! use chrono::{Duration, TimeZone, Utc};
//! use replytrack::inbox::whatsapp::{OutboundKind, WindowError, check_send};
//!
//! let last_inbound = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
//! let now = last_inbound + Duration::hours(25);
//! assert!(matches!(
//!     check_send(Some(last_inbound), now, &OutboundKind::FreeForm),
//!     Err(WindowError::Closed { .. })
//! ));
//! let template = OutboundKind::Template { name: "follow_up".into() };
//! assert_eq!(check_send(Some(last_inbound), now, &template), Ok(()));
//! ```

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How long the window stays open after the contact's last message.
pub const WINDOW: Duration = Duration::hours(24);

/// Where a contact's window stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WindowState {
    /// The contact never wrote: templates only.
    NeverOpened,
    /// Free-form messages are allowed until `until`.
    Open {
        /// When it closes (last inbound + 24 h).
        until: DateTime<Utc>,
    },
    /// Closed since `since`: templates only, until the contact writes again.
    Closed {
        /// When it closed.
        since: DateTime<Utc>,
    },
}

/// What the business wants to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboundKind {
    /// A free-form message (text, media).
    FreeForm,
    /// A pre-approved template.
    Template {
        /// The template's name as approved by WhatsApp.
        name: String,
    },
}

/// A send the window does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// A free-form message to a contact who never wrote.
    #[error("the contact has never written: a first WhatsApp message must be an approved template")]
    FirstContact,
    /// A free-form message after the window closed.
    #[error(
        "the 24-hour window closed at {closed_at} (last message from the contact at {last_inbound_at}): send an approved template"
    )]
    Closed {
        /// The contact's last message.
        last_inbound_at: DateTime<Utc>,
        /// When the window closed.
        closed_at: DateTime<Utc>,
    },
    /// A template that is not in the approved list.
    #[error("WhatsApp template {name:?} is not approved")]
    TemplateNotApproved {
        /// The template's name.
        name: String,
    },
}

/// The window at `now`, given the contact's last inbound message. The window is open from that
/// message for exactly [`WINDOW`]: at 24 h it is closed.
pub fn window_state(last_inbound_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> WindowState {
    match last_inbound_at {
        None => WindowState::NeverOpened,
        Some(last) => {
            let Some(until) = last.checked_add_signed(WINDOW) else {
                return WindowState::Open {
                    until: DateTime::<Utc>::MAX_UTC,
                };
            };
            if now < until {
                WindowState::Open { until }
            } else {
                WindowState::Closed { since: until }
            }
        }
    }
}

/// Whether a message of this kind may be sent at `now`: templates always, free-form only while
/// the window is open.
///
/// # Errors
/// [`WindowError::FirstContact`] or [`WindowError::Closed`] for a free-form message outside the
/// window.
pub fn check_send(
    last_inbound_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    kind: &OutboundKind,
) -> Result<(), WindowError> {
    match (kind, window_state(last_inbound_at, now)) {
        (OutboundKind::Template { .. }, _) | (OutboundKind::FreeForm, WindowState::Open { .. }) => {
            Ok(())
        }
        (OutboundKind::FreeForm, WindowState::NeverOpened) => Err(WindowError::FirstContact),
        (OutboundKind::FreeForm, WindowState::Closed { since }) => Err(WindowError::Closed {
            last_inbound_at: last_inbound_at.unwrap_or(since),
            closed_at: since,
        }),
    }
}

/// [`check_send`], and a template must also be one of `approved` (names compared exactly).
///
/// # Errors
/// As [`check_send`], and [`WindowError::TemplateNotApproved`].
pub fn check_send_approved(
    last_inbound_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    kind: &OutboundKind,
    approved: &[&str],
) -> Result<(), WindowError> {
    if let OutboundKind::Template { name } = kind
        && !approved.contains(&name.as_str())
    {
        return Err(WindowError::TemplateNotApproved { name: name.clone() });
    }
    check_send(last_inbound_at, now, kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn last() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn template() -> OutboundKind {
        OutboundKind::Template {
            name: "order_update".into(),
        }
    }

    #[test]
    fn a_free_form_reply_25_hours_after_the_last_inbound_is_refused_and_a_template_passes() {
        let now = last() + Duration::hours(25);
        let err = check_send(Some(last()), now, &OutboundKind::FreeForm).unwrap_err();
        assert_eq!(
            err,
            WindowError::Closed {
                last_inbound_at: last(),
                closed_at: last() + Duration::hours(24),
            }
        );
        assert!(err.to_string().contains("send an approved template"));
        assert_eq!(check_send(Some(last()), now, &template()), Ok(()));
    }

    #[test]
    fn free_form_is_allowed_until_just_before_24_hours() {
        let almost = last() + WINDOW - Duration::seconds(1);
        assert_eq!(
            check_send(Some(last()), almost, &OutboundKind::FreeForm),
            Ok(())
        );
        assert!(check_send(Some(last()), last() + WINDOW, &OutboundKind::FreeForm).is_err());
        assert_eq!(
            window_state(Some(last()), almost),
            WindowState::Open {
                until: last() + WINDOW
            }
        );
    }

    #[test]
    fn a_first_contact_needs_a_template() {
        assert_eq!(
            check_send(None, last(), &OutboundKind::FreeForm),
            Err(WindowError::FirstContact)
        );
        assert_eq!(window_state(None, last()), WindowState::NeverOpened);
        assert_eq!(check_send(None, last(), &template()), Ok(()));
    }

    #[test]
    fn only_approved_templates_pass_the_strict_check() {
        let now = last() + Duration::hours(30);
        assert_eq!(
            check_send_approved(Some(last()), now, &template(), &["order_update"]),
            Ok(())
        );
        assert_eq!(
            check_send_approved(Some(last()), now, &template(), &["welcome"]),
            Err(WindowError::TemplateNotApproved {
                name: "order_update".into()
            })
        );
    }
}

//! Business-hours auto-replies: whether an incoming message gets one, and the headers it carries.
//!
//! Outside business hours a person's message gets one automatic answer (a template), at most once
//! per conversation per local day, and never in answer to an automatic reply, a bounce, a
//! mailing list or our own mail (RFC 3834 §2). The answer carries `Auto-Submitted: auto-replied`
//! so that other responders stay quiet, and `In-Reply-To`/`References` so it threads.
//!
//! ```
//! use chrono::{NaiveTime, TimeZone, Utc};
//! use replytrack::inbox::auto_reply::{AutoReplyDecision, should_auto_reply};
//! use replytrack::inbox::hours::Schedule;
//! use replytrack::message::MessageKind;
//!
//! let schedule = Schedule::builder(chrono_tz::Europe::Paris)
//!     .weekdays(NaiveTime::from_hms_opt(9, 0, 0).unwrap(), NaiveTime::from_hms_opt(18, 0, 0).unwrap())?
//!     .build();
//! let friday_22h = Utc.with_ymd_and_hms(2026, 3, 6, 21, 0, 0).unwrap();
//! let d = should_auto_reply(MessageKind::Reply, false, None, &schedule, friday_22h);
//! assert_eq!(d, AutoReplyDecision::Send);
//! # Ok::<(), replytrack::inbox::hours::HoursError>(())
//! ```

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::hours::Schedule;
use super::templates::{Template, TemplateError, Values};
use crate::message::MessageKind;

/// The `Auto-Submitted` header name (RFC 3834).
pub const AUTO_SUBMITTED: &str = "Auto-Submitted";
/// The `Auto-Submitted` value of an automatic answer to a message.
pub const AUTO_REPLIED: &str = "auto-replied";
/// Exchange's opt-out: asks Exchange/Outlook not to send their own automatic answers back.
pub const AUTO_RESPONSE_SUPPRESS: &str = "X-Auto-Response-Suppress";
/// At most this many ids are kept in an auto-reply's `References` (the newest ones).
pub const MAX_REFERENCES: usize = 20;
/// Longest message id accepted in a header, in bytes; longer ones are left out.
pub const MAX_MESSAGE_ID_LEN: usize = 250;

/// Why no auto-reply is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// The message is itself an automatic reply.
    AutoReply,
    /// The message is a bounce.
    Bounce,
    /// The message is our own mail coming back.
    OwnMail,
    /// The message came through a mailing list.
    MailingList,
    /// The business is open: a person will answer.
    WithinHours,
    /// The conversation already got an auto-reply on this local day.
    AlreadySentToday {
        /// When the earlier one went out.
        at: DateTime<Utc>,
        /// The local day both fall on.
        day: NaiveDate,
    },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AutoReply => f.write_str("the message is itself an automatic reply"),
            Self::Bounce => f.write_str("the message is a bounce"),
            Self::OwnMail => f.write_str("the message is our own mail coming back"),
            Self::MailingList => f.write_str("the message came through a mailing list"),
            Self::WithinHours => f.write_str("the business is open"),
            Self::AlreadySentToday { at, day } => write!(
                f,
                "the conversation already got an auto-reply on {day} (at {})",
                at.to_rfc3339()
            ),
        }
    }
}

/// Whether to send an auto-reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum AutoReplyDecision {
    /// Send one (and record its time on the conversation).
    Send,
    /// Do not, for this reason.
    Skip(SkipReason),
}

/// Decide whether a message arriving at `now` gets an auto-reply.
///
/// `kind` and `mailing_list` come from [`classify`](crate::message::classify);
/// `last_auto_reply_at` is when this conversation last got one. Checked in this order: the
/// message's kind, mailing list, business hours, then once per local day (in the schedule's zone).
pub fn should_auto_reply(
    kind: MessageKind,
    mailing_list: bool,
    last_auto_reply_at: Option<DateTime<Utc>>,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> AutoReplyDecision {
    use AutoReplyDecision::Skip;
    match kind {
        MessageKind::Reply => {}
        MessageKind::AutoReply => return Skip(SkipReason::AutoReply),
        MessageKind::Bounce => return Skip(SkipReason::Bounce),
        MessageKind::OwnLoop => return Skip(SkipReason::OwnMail),
    }
    if mailing_list {
        return Skip(SkipReason::MailingList);
    }
    if schedule.is_open(now) {
        return Skip(SkipReason::WithinHours);
    }
    if let Some(at) = last_auto_reply_at {
        let day = schedule.local_date(now);
        if schedule.local_date(at) == day {
            return Skip(SkipReason::AlreadySentToday { at, day });
        }
    }
    AutoReplyDecision::Send
}

/// The threading and loop-prevention headers of an auto-reply.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AutoReplyHeaders {
    /// The id of the message answered, without angle brackets.
    pub in_reply_to: Option<String>,
    /// The thread's ids, oldest first, ending with `in_reply_to`; without angle brackets.
    pub references: Vec<String>,
}

/// A message id fit for a header: angle brackets and surrounding space removed; `None` when
/// empty, too long, or containing whitespace, control characters or brackets.
fn clean_id(id: &str) -> Option<String> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let ok = !id.is_empty()
        && id.len() <= MAX_MESSAGE_ID_LEN
        && !id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'));
    ok.then(|| id.to_string())
}

impl AutoReplyHeaders {
    /// Headers answering the message `message_id` whose own `References` were `references`
    /// (ids with or without angle brackets; malformed ones are left out, and only the newest
    /// [`MAX_REFERENCES`] are kept).
    pub fn answering(message_id: Option<&str>, references: &[String]) -> Self {
        let in_reply_to = message_id.and_then(clean_id);
        let mut refs: Vec<String> = references.iter().filter_map(|r| clean_id(r)).collect();
        if let Some(id) = &in_reply_to {
            refs.retain(|r| r != id);
            refs.push(id.clone());
        }
        let excess = refs.len().saturating_sub(MAX_REFERENCES);
        refs.drain(..excess);
        Self {
            in_reply_to,
            references: refs,
        }
    }

    /// All headers as (name, value) pairs, ready for a mail builder: `Auto-Submitted:
    /// auto-replied`, `X-Auto-Response-Suppress: All`, then `In-Reply-To` and `References`
    /// when there is a message to answer.
    pub fn header_lines(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            (AUTO_SUBMITTED, AUTO_REPLIED.to_string()),
            (AUTO_RESPONSE_SUPPRESS, "All".to_string()),
        ];
        if let Some(id) = &self.in_reply_to {
            out.push(("In-Reply-To", format!("<{id}>")));
        }
        if !self.references.is_empty() {
            let refs: Vec<String> = self.references.iter().map(|r| format!("<{r}>")).collect();
            out.push(("References", refs.join(" ")));
        }
        out
    }
}

/// An auto-reply ready for a mailer: the rendered template and its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposedAutoReply {
    /// The text, from the template.
    pub text: String,
    /// The headers ([`AutoReplyHeaders::header_lines`]).
    pub headers: Vec<(&'static str, String)>,
}

/// Render the auto-reply `template` with `values`, answering the message `message_id` whose
/// `References` were `references`.
///
/// # Errors
/// [`TemplateError::MissingValue`] when a variable has no value.
pub fn compose_auto_reply<V: Values + ?Sized>(
    template: &Template,
    values: &V,
    message_id: Option<&str>,
    references: &[String],
) -> Result<ComposedAutoReply, TemplateError> {
    Ok(ComposedAutoReply {
        text: template.render(values)?,
        headers: AutoReplyHeaders::answering(message_id, references).header_lines(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, TimeZone};
    use chrono_tz::Europe::Paris;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn paris_office() -> Schedule {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        Schedule::builder(Paris)
            .weekdays(t(9), t(18))
            .unwrap()
            .build()
    }

    /// A conversation's auto-reply bookkeeping, as the engine will keep it.
    fn receive(last: &mut Option<DateTime<Utc>>, s: &Schedule, now: DateTime<Utc>) -> bool {
        let d = should_auto_reply(MessageKind::Reply, false, *last, s, now);
        if d == AutoReplyDecision::Send {
            *last = Some(now);
        }
        d == AutoReplyDecision::Send
    }

    #[test]
    fn a_message_at_22h_friday_in_paris_gets_one_auto_reply_and_a_second_does_not() {
        let s = paris_office();
        let mut last = None;
        // Friday 6 March 2026, 22:00 and 22:40 in Paris.
        assert!(receive(&mut last, &s, utc(2026, 3, 6, 21, 0)));
        let second = utc(2026, 3, 6, 21, 40);
        assert_eq!(
            should_auto_reply(MessageKind::Reply, false, last, &s, second),
            AutoReplyDecision::Skip(SkipReason::AlreadySentToday {
                at: utc(2026, 3, 6, 21, 0),
                day: NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
            })
        );
        assert!(!receive(&mut last, &s, second));
    }

    #[test]
    fn the_next_local_day_gets_another_even_within_24_hours() {
        let s = paris_office();
        let mut last = None;
        assert!(receive(&mut last, &s, utc(2026, 3, 6, 21, 0))); // Fri 22:00
        assert!(!receive(&mut last, &s, utc(2026, 3, 6, 22, 30))); // Fri 23:30
        assert!(receive(&mut last, &s, utc(2026, 3, 6, 23, 30))); // Sat 00:30
    }

    #[test]
    fn the_auto_reply_is_a_rendered_template_with_its_headers() {
        let t = Template::parse(
            "after_hours",
            "fr",
            "Bonjour {{name}}, nous rouvrons lundi.",
        )
        .unwrap();
        let out = compose_auto_reply(&t, &[("name", "Marie")][..], Some("<q1@x>"), &[]).unwrap();
        assert_eq!(out.text, "Bonjour Marie, nous rouvrons lundi.");
        assert_eq!(
            out.headers[0],
            ("Auto-Submitted", "auto-replied".to_string())
        );
        assert_eq!(out.headers[2], ("In-Reply-To", "<q1@x>".to_string()));
        let missing = compose_auto_reply(&t, &[("nom", "Marie")][..], None, &[]);
        assert!(matches!(missing, Err(TemplateError::MissingValue { .. })));
    }

    #[test]
    fn no_auto_reply_during_business_hours() {
        let d = should_auto_reply(
            MessageKind::Reply,
            false,
            None,
            &paris_office(),
            utc(2026, 3, 6, 10, 0),
        );
        assert_eq!(d, AutoReplyDecision::Skip(SkipReason::WithinHours));
    }

    #[test]
    fn never_to_an_auto_reply_a_bounce_our_own_mail_or_a_list() {
        let s = paris_office();
        let night = utc(2026, 3, 6, 21, 0);
        let skip = |kind, list| should_auto_reply(kind, list, None, &s, night);
        assert_eq!(
            skip(MessageKind::AutoReply, false),
            AutoReplyDecision::Skip(SkipReason::AutoReply)
        );
        assert_eq!(
            skip(MessageKind::Bounce, false),
            AutoReplyDecision::Skip(SkipReason::Bounce)
        );
        assert_eq!(
            skip(MessageKind::OwnLoop, false),
            AutoReplyDecision::Skip(SkipReason::OwnMail)
        );
        assert_eq!(
            skip(MessageKind::Reply, true),
            AutoReplyDecision::Skip(SkipReason::MailingList)
        );
    }

    #[test]
    fn headers_mark_the_reply_automatic_and_thread_it() {
        let h = AutoReplyHeaders::answering(
            Some("<abc@mail.example>"),
            &["<root@acme.example>".to_string(), "bad id".to_string()],
        );
        assert_eq!(
            h.header_lines(),
            vec![
                ("Auto-Submitted", "auto-replied".to_string()),
                ("X-Auto-Response-Suppress", "All".to_string()),
                ("In-Reply-To", "<abc@mail.example>".to_string()),
                (
                    "References",
                    "<root@acme.example> <abc@mail.example>".to_string()
                ),
            ]
        );
    }

    #[test]
    fn header_injection_and_long_threads_are_contained() {
        let refs: Vec<String> = (0..50).map(|i| format!("r{i}@x")).collect();
        let h = AutoReplyHeaders::answering(Some("a@x>\r\nBcc: evil@x"), &refs);
        assert_eq!(h.in_reply_to, None);
        assert_eq!(h.references.len(), MAX_REFERENCES);
        assert_eq!(h.references.last().map(String::as_str), Some("r49@x"));
        assert!(
            h.header_lines()
                .iter()
                .all(|(_, v)| !v.contains('\n') && !v.contains('\r'))
        );
    }
}

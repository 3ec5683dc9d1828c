//! Metrics from timelines: first response, reply and resolution times — in calendar time and in
//! business hours — and, over a period, resolution rate and message volumes by channel, agent and
//! day.
//!
//! Definitions, per conversation (its timeline events, in any order):
//! - a **wait** starts at a contact's message (a reply, or a logged call from the contact) when
//!   the contact was not already waiting, and ends at the business's next message (an email, or
//!   a logged answer). Notes, auto-replies and status changes do not end a wait;
//! - **reply times** are all the waits; the **first response time** is the first of them;
//! - the **resolution time** runs from the opening (the `ConversationOpened` event, else the first
//!   event) to the last `StatusChanged` to resolved, when the conversation is still resolved.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::hours::{HoursError, Schedule};
use crate::conversation::{
    Channel, ConversationId, ConversationStatus, EventKind, Party, TimelineEvent,
};

/// Why metrics could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetricsError {
    /// Business time could not be measured for a span.
    #[error("cannot measure business time from {from} to {to}: {source}")]
    Hours {
        /// Its start.
        from: DateTime<Utc>,
        /// Its end.
        to: DateTime<Utc>,
        /// Why.
        source: HoursError,
    },
}

/// A span measured two ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// When it started.
    pub from: DateTime<Utc>,
    /// When it ended.
    pub to: DateTime<Utc>,
    /// Elapsed time.
    pub calendar: Duration,
    /// Open time of the schedule in between.
    pub business: Duration,
}

impl Span {
    fn measure(
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        schedule: &Schedule,
    ) -> Result<Self, MetricsError> {
        let business = schedule
            .business_duration(from, to)
            .map_err(|source| MetricsError::Hours { from, to, source })?;
        Ok(Self {
            from,
            to,
            calendar: (to - from).max(Duration::zero()),
            business,
        })
    }
}

/// One message counted in volumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageMark {
    /// When.
    pub at: DateTime<Utc>,
    /// From the contact (true) or the business.
    pub inbound: bool,
}

/// The metrics of one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConversationMetrics {
    /// The conversation, when the events name one.
    pub conversation: Option<ConversationId>,
    /// Its channel (from `ConversationOpened`).
    pub channel: Option<Channel>,
    /// The latest assignee.
    pub agent: Option<String>,
    /// When it opened.
    pub opened_at: Option<DateTime<Utc>>,
    /// The first wait.
    pub first_response: Option<Span>,
    /// Every wait, in order.
    pub reply_times: Vec<Span>,
    /// Opening to resolution, when it is resolved.
    pub resolution: Option<Span>,
    /// The contact's and the business's messages.
    pub messages: Vec<MessageMark>,
}

/// Whether an event is a message, and whose: `Some(true)` from the contact.
fn message_direction(kind: &EventKind) -> Option<bool> {
    match kind {
        EventKind::ReplyReceived { .. } => Some(true),
        EventKind::EmailSent { .. } => Some(false),
        EventKind::ManualReplyLogged { party, .. } => Some(*party == Party::Contact),
        _ => None,
    }
}

/// The metrics of one conversation from its timeline events (sorted here by time; events at the
/// same instant keep their given order).
///
/// # Errors
/// [`MetricsError::Hours`] when a span is too long to measure in business hours.
pub fn conversation_metrics(
    events: &[TimelineEvent],
    schedule: &Schedule,
) -> Result<ConversationMetrics, MetricsError> {
    let mut sorted: Vec<&TimelineEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    let mut m = ConversationMetrics {
        conversation: sorted.iter().find_map(|e| e.conversation),
        opened_at: sorted.first().map(|e| e.at),
        ..ConversationMetrics::default()
    };
    let mut waiting_since = None;
    let mut resolved_at = None;
    for e in &sorted {
        match &e.kind {
            EventKind::ConversationOpened { channel, .. } => {
                m.channel = Some(*channel);
                m.opened_at = Some(e.at);
            }
            EventKind::Assigned { assignee, .. } => m.agent.clone_from(assignee),
            EventKind::StatusChanged { to, .. } => {
                resolved_at = (*to == ConversationStatus::Resolved).then_some(e.at);
            }
            kind => {
                if let Some(inbound) = message_direction(kind) {
                    m.messages.push(MessageMark { at: e.at, inbound });
                    match (inbound, waiting_since) {
                        (true, None) => waiting_since = Some(e.at),
                        (false, Some(since)) => {
                            m.reply_times.push(Span::measure(since, e.at, schedule)?);
                            waiting_since = None;
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    m.first_response = m.reply_times.first().copied();
    if let (Some(opened), Some(resolved)) = (m.opened_at, resolved_at) {
        m.resolution = Some(Span::measure(opened, resolved, schedule)?);
    }
    Ok(m)
}

/// A period `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Its start (included).
    pub start: DateTime<Utc>,
    /// Its end (excluded).
    pub end: DateTime<Utc>,
}

impl Period {
    /// Whether `at` is in it.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// Messages in and out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Volume {
    /// From contacts.
    pub inbound: u32,
    /// From the business.
    pub outbound: u32,
}

impl Volume {
    fn count(&mut self, inbound: bool) {
        if inbound {
            self.inbound += 1;
        } else {
            self.outbound += 1;
        }
    }
}

/// An average measured two ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Average {
    /// How many spans.
    pub count: u32,
    /// Mean elapsed time (whole seconds, rounded down).
    pub calendar: Duration,
    /// Mean business time (whole seconds, rounded down).
    pub business: Duration,
}

fn average<'a>(spans: impl Iterator<Item = &'a Span>) -> Option<Average> {
    let (mut n, mut cal, mut bus) = (0i64, 0i64, 0i64);
    for s in spans {
        n += 1;
        cal = cal.saturating_add(s.calendar.num_seconds());
        bus = bus.saturating_add(s.business.num_seconds());
    }
    (n > 0).then(|| Average {
        count: u32::try_from(n).unwrap_or(u32::MAX),
        calendar: Duration::seconds(cal / n),
        business: Duration::seconds(bus / n),
    })
}

/// The aggregate over a period.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Report {
    /// Conversations opened in the period.
    pub opened: u32,
    /// Of those, how many are resolved (at the end of their timeline).
    pub resolved: u32,
    /// `resolved / opened`, when any opened.
    pub resolution_rate: Option<f64>,
    /// First responses given in the period.
    pub first_response: Option<Average>,
    /// Replies (every wait) given in the period.
    pub reply_time: Option<Average>,
    /// Resolutions in the period.
    pub resolution_time: Option<Average>,
    /// Messages in the period by channel (`email`, `whatsapp`, `manual`, `unknown`).
    pub by_channel: BTreeMap<String, Volume>,
    /// Messages in the period by the conversation's agent (`unassigned` when none).
    pub by_agent: BTreeMap<String, Volume>,
    /// Messages in the period by local day in the schedule's zone.
    pub by_day: BTreeMap<NaiveDate, Volume>,
}

fn channel_key(channel: Option<Channel>) -> &'static str {
    match channel {
        Some(Channel::Email) => "email",
        Some(Channel::Whatsapp) => "whatsapp",
        Some(Channel::Manual) => "manual",
        None => "unknown",
    }
}

/// Aggregate conversations' metrics over a period.
pub fn report(
    conversations: &[ConversationMetrics],
    period: Period,
    schedule: &Schedule,
) -> Report {
    let mut r = Report::default();
    for c in conversations {
        if c.opened_at.is_some_and(|t| period.contains(t)) {
            r.opened += 1;
            r.resolved += u32::from(c.resolution.is_some());
        }
        for m in c.messages.iter().filter(|m| period.contains(m.at)) {
            r.by_channel
                .entry(channel_key(c.channel).to_string())
                .or_default()
                .count(m.inbound);
            r.by_agent
                .entry(c.agent.clone().unwrap_or_else(|| "unassigned".into()))
                .or_default()
                .count(m.inbound);
            r.by_day
                .entry(schedule.local_date(m.at))
                .or_default()
                .count(m.inbound);
        }
    }
    let in_period = |s: &&Span| period.contains(s.to);
    r.resolution_rate = (r.opened > 0).then(|| f64::from(r.resolved) / f64::from(r.opened));
    r.first_response = average(
        conversations
            .iter()
            .filter_map(|c| c.first_response.as_ref())
            .filter(in_period),
    );
    r.reply_time = average(
        conversations
            .iter()
            .flat_map(|c| c.reply_times.iter())
            .filter(in_period),
    );
    r.resolution_time = average(
        conversations
            .iter()
            .filter_map(|c| c.resolution.as_ref())
            .filter(in_period),
    );
    r
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;

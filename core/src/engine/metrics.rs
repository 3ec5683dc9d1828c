//! Metrics over the store: first response, reply and resolution times in calendar and business
//! hours, resolution rate, and message volumes by channel, agent and day, over a period.

use super::{Engine, EngineError};
use crate::conversation::{Conversation, ConversationStatus};
use crate::inbox::hours::Schedule;
use crate::inbox::metrics::{ConversationMetrics, Period, Report, conversation_metrics, report};
use crate::ports::{ConversationCursor, ConversationQuery, TimelineScope};

/// Conversations read per page while computing metrics.
pub const METRICS_PAGE: usize = 5_000;

/// Whether a conversation can have anything in `period`: created before its end, and active at
/// or after its start (a message, or a resolution).
fn may_touch(c: &Conversation, period: &Period) -> bool {
    if c.created_at >= period.end {
        return false;
    }
    let last = crate::ports::last_activity(c);
    let resolved = match c.status {
        ConversationStatus::Resolved => c.resolved_at,
        _ => None,
    };
    last.max(resolved.unwrap_or(last)) >= period.start
}

impl Engine {
    /// The business hours metrics use: the inbox schedule, else always open in the account's
    /// time zone (business time is then calendar time).
    pub fn schedule(&self) -> Schedule {
        self.inbox
            .settings
            .schedule
            .clone()
            .unwrap_or_else(|| Schedule::always_open(self.account.time_zone))
    }

    /// Metrics over a period, for the conversations `filter` selects (its filters apply; its
    /// `limit` and cursor are ignored: every matching conversation is read, page by page).
    ///
    /// Each conversation's timeline is measured with
    /// [`conversation_metrics`] (a wait starts at a
    /// contact's message and ends at the business's next message; notes and auto-replies do not
    /// end it), then aggregated over the period with the definitions of
    /// [`Report`]: conversations opened in the period and how many of them are resolved; the
    /// average first response, reply and resolution times of those that ended in the period, in
    /// calendar time and in the business hours of [`Engine::schedule`]; message volumes in the
    /// period by channel, agent and local day.
    ///
    /// # Errors
    /// Store errors; [`EngineError::Metrics`] when a span is too long to measure.
    pub async fn metrics(
        &self,
        period: Period,
        filter: &ConversationQuery,
    ) -> Result<Report, EngineError> {
        let schedule = self.schedule();
        let per = self
            .conversation_metrics_in(period, filter, &schedule)
            .await?;
        Ok(report(&per, period, &schedule))
    }

    /// The per-conversation metrics behind [`Engine::metrics`].
    ///
    /// # Errors
    /// As [`Engine::metrics`].
    pub async fn conversation_metrics_in(
        &self,
        period: Period,
        filter: &ConversationQuery,
        schedule: &Schedule,
    ) -> Result<Vec<ConversationMetrics>, EngineError> {
        let mut out = Vec::new();
        let mut query = ConversationQuery {
            limit: METRICS_PAGE,
            after: None,
            ..filter.clone()
        };
        loop {
            let page = self.store.conversations(&query).await?;
            let full = page.len() >= METRICS_PAGE;
            for c in page.iter().filter(|c| may_touch(c, &period)) {
                let events = self
                    .store
                    .timeline(TimelineScope::Conversation(c.id))
                    .await?;
                out.push(conversation_metrics(&events, schedule)?);
            }
            match page.last() {
                Some(last) if full => query.after = Some(ConversationCursor::of(last)),
                _ => break,
            }
        }
        Ok(out)
    }
}

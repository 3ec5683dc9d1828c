//! Insights: what the analysed replies say, taken together.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use chrono::{DateTime, Duration, Utc};

use super::{Engine, EngineError};
use crate::analysis::schema::WireValues;
use crate::analysis::{Analysis, ProductInterest, ResponseType, Sentiment};
use crate::conversation::{Channel, Conversation, ConversationId, Direction, Message};
use crate::inbox::Period;
use crate::ports::{ConversationCursor, ConversationQuery};

/// How long a high-value reply may wait for an answer before it is flagged (24 hours).
pub const HIGH_VALUE_WAIT_HOURS: i64 = 24;

/// What insights are split by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", content = "field", rename_all = "snake_case")]
pub enum Segment {
    /// One segment for everything (`all`).
    All,
    /// By channel (`email`, `whatsapp`, `manual`).
    Channel,
    /// By team (`none` when unassigned).
    Team,
    /// By agent (`none` when unassigned).
    Agent,
    /// By label: a conversation counts in each of its labels (`unlabelled` when it has none).
    Label,
    /// By a customer field from the host's
    /// [`CustomerFields`](crate::inbox::CustomerFields) (`unknown` when missing).
    CustomerField(String),
}

/// The insights of one segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentInsights {
    /// The segment's key (a channel, team, agent, label or field value).
    pub key: String,
    /// Conversations counted.
    pub conversations: usize,
    /// The aggregate of their analyses.
    pub insights: Insights,
    /// High-value replies still unanswered after [`HIGH_VALUE_WAIT_HOURS`]: their
    /// conversations, longest waiting first.
    pub high_value_unanswered: Vec<ConversationId>,
    /// The most frequent action items (same counting as pain points).
    pub top_action_items: Vec<PainPoint>,
}

fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Email => "email",
        Channel::Whatsapp => "whatsapp",
        Channel::Manual => "manual",
    }
}

/// Whether a conversation holds a high-value reply its contact has been waiting on for longer
/// than `wait` at `now`: it is waiting (no answer since the contact's message), has waited that
/// long, and a reply received since the wait began was analysed as high value.
pub fn high_value_waiting(
    conv: &Conversation,
    messages: &[Message],
    now: DateTime<Utc>,
    wait: Duration,
) -> bool {
    let Some(since) = conv.waiting_since else {
        return false;
    };
    conv.status.is_active()
        && now - since >= wait
        && messages.iter().any(|m| {
            m.direction != Direction::Outbound
                && m.direction != Direction::Note
                && m.created_at >= since
                && m.analysis
                    .as_ref()
                    .is_some_and(|a| a.response_type == ResponseType::HighValue)
        })
}

/// A pain point and how many replies mentioned it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PainPoint {
    /// The pain point, as the first reply that mentioned it put it.
    pub text: String,
    /// Replies that mentioned it (compared case-insensitively, whitespace collapsed).
    pub count: usize,
}

/// An aggregate over analyses: counts by response type, sentiment and product interest (keyed by
/// the schema's wire names, every value present), the average opportunity score, follow-ups
/// needed, and the most frequent pain points.
///
/// ```
/// use replytrack::analysis::{Analysis, ResponseType};
/// use replytrack::engine::Insights;
///
/// let a = [
///     Analysis { response_type: ResponseType::HighValue, ..Analysis::default() },
///     Analysis::default(),
/// ];
/// let i = Insights::from_analyses(&a, 5);
/// assert_eq!(i.analysed, 2);
/// assert_eq!(i.by_response_type["high_value"], 1);
/// assert_eq!(i.average_opportunity_score, Some(1.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// Analyses counted.
    pub analysed: usize,
    /// Count per response type (`standard`, `high_value`, `needs_attention`).
    pub by_response_type: BTreeMap<String, usize>,
    /// Count per sentiment.
    pub by_sentiment: BTreeMap<String, usize>,
    /// Count per product interest (`none` … `very_interested`).
    pub product_interest: BTreeMap<String, usize>,
    /// The mean opportunity score (1–5), none when nothing was analysed.
    pub average_opportunity_score: Option<f64>,
    /// Replies that need a follow-up.
    pub follow_ups_needed: usize,
    /// The most frequent pain points, most mentioned first (ties: first seen first).
    pub top_pain_points: Vec<PainPoint>,
}

fn zeroes<T: WireValues + PartialEq>() -> BTreeMap<String, usize> {
    T::VALUES
        .iter()
        .map(|(n, _)| ((*n).to_string(), 0))
        .collect()
}

fn bump<T: WireValues + PartialEq>(map: &mut BTreeMap<String, usize>, v: T) {
    *map.entry(v.wire_name().to_string()).or_insert(0) += 1;
}

impl Insights {
    /// Aggregate analyses, keeping the `top` most frequent pain points.
    pub fn from_analyses<'a>(analyses: impl IntoIterator<Item = &'a Analysis>, top: usize) -> Self {
        let mut by_response_type = zeroes::<ResponseType>();
        let mut by_sentiment = zeroes::<Sentiment>();
        let mut product_interest = zeroes::<ProductInterest>();
        let mut analysed = 0usize;
        let mut score_sum = 0u64;
        let mut follow_ups_needed = 0;
        // key → (first seen order, text as first written, count)
        let mut pains: HashMap<String, (usize, String, usize)> = HashMap::new();
        for a in analyses {
            analysed += 1;
            bump(&mut by_response_type, a.response_type);
            bump(&mut by_sentiment, a.sentiment);
            bump(&mut product_interest, a.product_interest);
            score_sum += u64::from(a.opportunity_score.get());
            follow_ups_needed += usize::from(a.follow_up_needed);
            for p in &a.pain_points {
                let key = p
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                if key.is_empty() {
                    continue;
                }
                let order = pains.len();
                pains
                    .entry(key)
                    .or_insert_with(|| (order, p.trim().to_string(), 0))
                    .2 += 1;
            }
        }
        let mut ranked: Vec<(usize, String, usize)> = pains.into_values().collect();
        ranked.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        Self {
            analysed,
            by_response_type,
            by_sentiment,
            product_interest,
            average_opportunity_score: (analysed > 0).then(|| score_sum as f64 / analysed as f64),
            follow_ups_needed,
            top_pain_points: ranked
                .into_iter()
                .take(top)
                .map(|(_, text, count)| PainPoint { text, count })
                .collect(),
        }
    }
}

impl Engine {
    /// Insights over the analysed messages of the conversations a query selects (its limit
    /// applies: 0 means the store's default of 50), keeping the `top` most frequent pain points.
    ///
    /// # Errors
    /// Store errors.
    pub async fn insights(
        &self,
        query: &ConversationQuery,
        top: usize,
    ) -> Result<Insights, EngineError> {
        let mut analyses = Vec::new();
        for conv in self.store.conversations(query).await? {
            for m in self.store.messages(conv.id).await? {
                analyses.extend(m.analysis);
            }
        }
        Ok(Insights::from_analyses(&analyses, top))
    }

    /// Insights per segment over every conversation `filter` selects (its limit and cursor are
    /// ignored), counting the analyses of replies received in `period` (all when `None`): replies
    /// by response type, average opportunity score, product interest, follow-ups needed, the
    /// `top` pain points and action items, and the high-value replies still unanswered after 24
    /// hours at `now`. Segments are sorted by key.
    ///
    /// # Errors
    /// Store errors.
    pub async fn insights_by(
        &self,
        filter: &ConversationQuery,
        period: Option<Period>,
        segment: &Segment,
        top: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<SegmentInsights>, EngineError> {
        struct Acc {
            conversations: usize,
            analyses: Vec<Analysis>,
            waiting: Vec<(DateTime<Utc>, ConversationId)>,
        }
        let wait = Duration::hours(HIGH_VALUE_WAIT_HOURS);
        let mut groups: BTreeMap<String, Acc> = BTreeMap::new();
        let mut query = ConversationQuery {
            limit: super::METRICS_PAGE,
            after: None,
            ..filter.clone()
        };
        loop {
            let page = self.store.conversations(&query).await?;
            let full = page.len() >= super::METRICS_PAGE;
            for conv in &page {
                let keys = self.segment_keys(conv, segment).await?;
                let messages = self.store.messages(conv.id).await?;
                let analyses: Vec<Analysis> = messages
                    .iter()
                    .filter(|m| period.is_none_or(|p| p.contains(m.created_at)))
                    .filter_map(|m| m.analysis.clone())
                    .collect();
                let flagged = high_value_waiting(conv, &messages, now, wait)
                    .then(|| (conv.waiting_since.unwrap_or(now), conv.id));
                for key in keys {
                    let acc = groups.entry(key).or_insert_with(|| Acc {
                        conversations: 0,
                        analyses: Vec::new(),
                        waiting: Vec::new(),
                    });
                    acc.conversations += 1;
                    acc.analyses.extend(analyses.iter().cloned());
                    acc.waiting.extend(flagged);
                }
            }
            match page.last() {
                Some(last) if full => query.after = Some(ConversationCursor::of(last)),
                _ => break,
            }
        }
        Ok(groups
            .into_iter()
            .map(|(key, mut acc)| {
                acc.waiting.sort();
                let actions: Vec<Analysis> = acc
                    .analyses
                    .iter()
                    .map(|a| Analysis {
                        pain_points: a.action_items.clone(),
                        ..Analysis::default()
                    })
                    .collect();
                SegmentInsights {
                    key,
                    conversations: acc.conversations,
                    insights: Insights::from_analyses(&acc.analyses, top),
                    high_value_unanswered: acc.waiting.into_iter().map(|(_, id)| id).collect(),
                    top_action_items: Insights::from_analyses(&actions, top).top_pain_points,
                }
            })
            .collect())
    }

    async fn segment_keys(
        &self,
        conv: &Conversation,
        segment: &Segment,
    ) -> Result<Vec<String>, EngineError> {
        let none = || "none".to_string();
        Ok(match segment {
            Segment::All => vec!["all".to_string()],
            Segment::Channel => vec![channel_name(conv.channel).to_string()],
            Segment::Team => vec![conv.team.clone().unwrap_or_else(none)],
            Segment::Agent => vec![conv.assignee.clone().unwrap_or_else(none)],
            Segment::Label if conv.labels.is_empty() => vec!["unlabelled".to_string()],
            Segment::Label => conv.labels.iter().cloned().collect(),
            Segment::CustomerField(name) => {
                let value = match (
                    &self.inbox.fields,
                    self.store.customer(conv.customer).await?,
                ) {
                    (Some(f), Some(c)) => f.fields(&c).await.get(name).cloned(),
                    _ => None,
                };
                vec![value.unwrap_or_else(|| "unknown".to_string())]
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::OpportunityScore;

    #[test]
    fn pain_points_are_counted_case_insensitively_most_frequent_first() {
        let with = |pains: &[&str], score: u8| Analysis {
            pain_points: pains.iter().map(|p| p.to_string()).collect(),
            opportunity_score: OpportunityScore::saturating(i64::from(score)),
            follow_up_needed: true,
            ..Analysis::default()
        };
        let a = [
            with(&["Slow exports"], 2),
            with(&["Invoice is wrong", "slow  exports"], 4),
            with(&["invoice is wrong", "SLOW EXPORTS"], 3),
        ];
        let i = Insights::from_analyses(&a, 1);
        assert_eq!(
            i.top_pain_points,
            [PainPoint {
                text: "Slow exports".into(),
                count: 3
            }]
        );
        assert_eq!(i.average_opportunity_score, Some(3.0));
        assert_eq!(i.follow_ups_needed, 3);
        assert_eq!(i.product_interest.len(), 4);
    }

    #[test]
    fn no_analyses_give_no_average() {
        let i = Insights::from_analyses(&[], 3);
        assert_eq!(i.analysed, 0);
        assert_eq!(i.average_opportunity_score, None);
        assert_eq!(i.by_response_type["needs_attention"], 0);
    }
}

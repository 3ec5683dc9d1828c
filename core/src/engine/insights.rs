//! Insights: what the analysed replies say, taken together.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{Engine, EngineError};
use crate::analysis::schema::WireValues;
use crate::analysis::{Analysis, ProductInterest, ResponseType, Sentiment};
use crate::ports::ConversationQuery;

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

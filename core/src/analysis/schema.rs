//! The analysis record: typed, serde, versioned.
//!
//! Field names and enum spellings are the wire format (JSON, the JSON Schema sent to models, the
//! CLI output, the stored timeline entry). Changing one is a new [`SCHEMA_VERSION`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// Version of the [`Analysis`] record. Bumped on any incompatible change of a field or enum value.
pub const SCHEMA_VERSION: u32 = 1;

/// What kind of follow-up a reply calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseType {
    /// A normal reply: follow up at your own pace.
    #[default]
    Standard,
    /// Strong interest or an opportunity: follow up at once.
    HighValue,
    /// A problem or a concern: handle it before going on.
    NeedsAttention,
}

/// The tone of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    /// Pleased, thankful, enthusiastic.
    Positive,
    /// Matter-of-fact.
    #[default]
    Neutral,
    /// Unhappy, disappointed, declining.
    Negative,
    /// Annoyed or exasperated, often after repeated trouble.
    Frustrated,
    /// Pressed for time: something must happen now.
    Urgent,
}

/// How soon the reply needs an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// No time pressure.
    #[default]
    Low,
    /// Within a working day or two.
    Medium,
    /// Today: a deadline, an outage, a blocked customer.
    High,
}

/// How interested the customer is in the product (or an upgrade of it). Ordered from `None` to
/// `VeryInterested`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ProductInterest {
    /// No interest shown, or interest declined.
    #[default]
    None,
    /// The product or a feature is mentioned, without a wish to buy or extend.
    Mentioned,
    /// Asks about pricing, plans, features, a trial, a demo.
    Interested,
    /// Wants to buy, upgrade, sign, extend now.
    VeryInterested,
}

/// An opportunity score: an integer from 1 (no expansion potential) to 5 (a large, ready deal).
///
/// A value of this type is always in range; build one with [`OpportunityScore::new`] or
/// `TryFrom<u8>`. Serialises as a bare integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct OpportunityScore(u8);

/// An opportunity score outside 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("opportunity score must be an integer from 1 to 5, got {0}")]
pub struct ScoreOutOfRange(pub i64);

impl OpportunityScore {
    /// The lowest score: nothing to expand.
    pub const MIN: Self = Self(1);
    /// The highest score.
    pub const MAX: Self = Self(5);

    /// A score from 1 to 5.
    pub fn new(value: u8) -> Result<Self, ScoreOutOfRange> {
        if (1..=5).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ScoreOutOfRange(i64::from(value)))
        }
    }

    /// Clamp any integer into 1–5 (for heuristics that add up signals).
    pub fn saturating(value: i64) -> Self {
        Self(value.clamp(1, 5) as u8)
    }

    /// The score as an integer.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for OpportunityScore {
    fn default() -> Self {
        Self::MIN
    }
}

impl TryFrom<u8> for OpportunityScore {
    type Error = ScoreOutOfRange;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<OpportunityScore> for u8 {
    fn from(s: OpportunityScore) -> u8 {
        s.0
    }
}

impl fmt::Display for OpportunityScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The period a volume was stated in. [`MonthlyVolume::value`] is always normalised per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Per day (× 30.4 to a month: 365.25 / 12).
    Day,
    /// Per week (× 4.33 to a month: 52 / 12, rounded as documented).
    Week,
    /// Per month (as is).
    #[default]
    Month,
    /// Per quarter (÷ 3).
    Quarter,
    /// Per year (÷ 12).
    Year,
}

impl Period {
    /// Multiply a per-period amount by this to get a per-month amount.
    pub fn to_month_factor(self) -> f64 {
        match self {
            Period::Day => 365.25 / 12.0,
            Period::Week => 4.33,
            Period::Month => 1.0,
            Period::Quarter => 1.0 / 3.0,
            Period::Year => 1.0 / 12.0,
        }
    }

    /// Normalise an amount stated per `self` to a whole amount per month (rounded to nearest).
    pub fn per_month(self, amount: f64) -> u64 {
        let v = (amount * self.to_month_factor()).round();
        if v.is_finite() && v > 0.0 {
            // Saturating conversion: a float past u64::MAX becomes u64::MAX.
            v as u64
        } else {
            0
        }
    }
}

/// A stated volume of use, normalised per month.
///
/// "5 000 emails/mois" → `{raw: "5 000 emails/mois", value: 5000, unit: "emails", period: month}`;
/// "about $2k a month" → `{value: 2000, unit: "currency"}`; "1,000 orders a week" → `value: 4330`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MonthlyVolume {
    /// The phrase as written in the reply.
    pub raw: String,
    /// The amount per month (normalised from [`MonthlyVolume::period`]).
    pub value: u64,
    /// What is counted, a lowercase plural noun in English ("emails", "orders", "users",
    /// "messages", "sms"), or "currency" for money.
    pub unit: String,
    /// The period the phrase stated.
    pub period: Period,
}

/// The kind of business document a reference points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// An order (commande, pedido, encomenda, Bestellung, Auftrag).
    Order,
    /// A quote (devis, cotización, presupuesto, orçamento, Angebot).
    Quote,
    /// An invoice (facture, factura, fatura, Rechnung).
    Invoice,
}

/// A reference to an order, quote or invoice, with the identifier as written (without "#", "n°",
/// "Nr.", "No." and the like).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    /// What the identifier refers to.
    pub kind: RefKind,
    /// The identifier as written, without its number sign.
    pub id: String,
}

/// The analysis of one customer reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// [`SCHEMA_VERSION`] of this record.
    pub schema_version: u32,
    /// What kind of follow-up the reply calls for.
    pub response_type: ResponseType,
    /// Short summary points, in the account's language.
    pub key_insights: Vec<String>,
    /// The tone of the reply.
    pub sentiment: Sentiment,
    /// How soon it needs an answer.
    pub urgency: Urgency,
    /// Expansion potential, 1–5.
    pub opportunity_score: OpportunityScore,
    /// Whether someone should answer.
    pub follow_up_needed: bool,
    /// Interest in the product.
    pub product_interest: ProductInterest,
    /// What the customer asks us to do.
    pub action_items: Vec<String>,
    /// How they use the product today, when they say so.
    pub product_usage: Option<String>,
    /// A stated volume, per month, or null.
    pub monthly_volume: Option<MonthlyVolume>,
    /// Problems and frustrations they mention.
    pub pain_points: Vec<String>,
    /// Orders, quotes and invoices they refer to.
    pub references: Vec<Reference>,
    /// Labels the team may want to put on the conversation (lowercase, kebab-case).
    pub suggested_labels: Vec<String>,
    /// What the team should do next.
    pub recommended_actions: Vec<String>,
    /// The language of the reply, ISO 639-1 ("en", "fr", …).
    pub lang: String,
}

impl Default for Analysis {
    fn default() -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            response_type: ResponseType::default(),
            key_insights: Vec::new(),
            sentiment: Sentiment::default(),
            urgency: Urgency::default(),
            opportunity_score: OpportunityScore::default(),
            follow_up_needed: false,
            product_interest: ProductInterest::default(),
            action_items: Vec::new(),
            product_usage: None,
            monthly_volume: None,
            pain_points: Vec::new(),
            references: Vec::new(),
            suggested_labels: Vec::new(),
            recommended_actions: Vec::new(),
            lang: "en".to_string(),
        }
    }
}

/// The names of every field of [`Analysis`], in schema order (also the JSON Schema's `required`).
pub const FIELD_NAMES: [&str; 16] = [
    "schema_version",
    "response_type",
    "key_insights",
    "sentiment",
    "urgency",
    "opportunity_score",
    "follow_up_needed",
    "product_interest",
    "action_items",
    "product_usage",
    "monthly_volume",
    "pain_points",
    "references",
    "suggested_labels",
    "recommended_actions",
    "lang",
];

/// The wire names of an enum's values, for the JSON Schema and the prompt.
pub trait WireValues: Sized + Copy + 'static {
    /// Every value with its wire name, in schema order.
    const VALUES: &'static [(&'static str, Self)];

    /// The wire name of `self`.
    fn wire_name(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::VALUES
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }
}

impl WireValues for ResponseType {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("standard", Self::Standard),
        ("high_value", Self::HighValue),
        ("needs_attention", Self::NeedsAttention),
    ];
}

impl WireValues for Sentiment {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("positive", Self::Positive),
        ("neutral", Self::Neutral),
        ("negative", Self::Negative),
        ("frustrated", Self::Frustrated),
        ("urgent", Self::Urgent),
    ];
}

impl WireValues for Urgency {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("low", Self::Low),
        ("medium", Self::Medium),
        ("high", Self::High),
    ];
}

impl WireValues for ProductInterest {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("none", Self::None),
        ("mentioned", Self::Mentioned),
        ("interested", Self::Interested),
        ("very_interested", Self::VeryInterested),
    ];
}

impl WireValues for Period {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("day", Self::Day),
        ("week", Self::Week),
        ("month", Self::Month),
        ("quarter", Self::Quarter),
        ("year", Self::Year),
    ];
}

impl WireValues for RefKind {
    const VALUES: &'static [(&'static str, Self)] = &[
        ("order", Self::Order),
        ("quote", Self::Quote),
        ("invoice", Self::Invoice),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_outside_one_to_five_is_refused() {
        assert!(OpportunityScore::new(0).is_err());
        assert!(OpportunityScore::new(6).is_err());
        assert_eq!(OpportunityScore::new(4).map(u8::from), Ok(4));
        assert!(serde_json::from_str::<OpportunityScore>("7").is_err());
        assert_eq!(OpportunityScore::saturating(42).get(), 5);
        assert_eq!(OpportunityScore::saturating(-3).get(), 1);
    }

    #[test]
    fn analysis_serialises_with_schema_field_names_in_order() {
        let v = serde_json::to_value(Analysis::default()).unwrap_or_default();
        let keys: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut expected = FIELD_NAMES.to_vec();
        expected.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, expected);
    }

    #[test]
    fn wire_names_match_serde() {
        for (name, v) in ResponseType::VALUES {
            assert_eq!(serde_json::to_value(v).ok(), Some(serde_json::json!(name)));
        }
        for (name, v) in ProductInterest::VALUES {
            assert_eq!(serde_json::to_value(v).ok(), Some(serde_json::json!(name)));
        }
        assert_eq!(Sentiment::Frustrated.wire_name(), "frustrated");
    }

    #[test]
    fn periods_normalise_to_a_month() {
        assert_eq!(Period::Week.per_month(1000.0), 4330);
        assert_eq!(Period::Year.per_month(120_000.0), 10_000);
        assert_eq!(Period::Day.per_month(100.0), 3044);
        assert_eq!(Period::Month.per_month(f64::NAN), 0);
    }
}

//! The offline analyzer: multilingual lexicons and regexes, no network, no model.
//!
//! It reads the reply sentence by sentence, matches every phrase of the lexicons (English, French,
//! Spanish, Portuguese, German, with smaller Italian and Dutch ones) in one linear pass, finds
//! order/quote/invoice references and stated volumes with regexes, and combines the signals with
//! the rules below. Its accuracy on the labelled set is measured by `core/tests/analysis_accuracy.rs`
//! and reported in `docs/analysis.md`.
//!
//! - product interest: an unsubscribe or a refusal → `none`; a wish to buy, upgrade or extend →
//!   `very_interested`; a question about price, a demo, a trial, or interest words →
//!   `interested`; the product, a feature, or their use of it → `mentioned`.
//! - response type: a problem, a wish to cancel, or frustration → `needs_attention`; else strong
//!   interest, or interest with expansion or a stated volume → `high_value`; else `standard`.
//! - sentiment: frustration → `frustrated`; urgency with a problem → `urgent`; complaint, problem,
//!   cancellation, unsubscribe → `negative`; praise or thanks → `positive`; else `neutral`.
//! - urgency: urgent words → `high`; a problem, cancellation, frustration, or interest → `medium`.
//! - opportunity score: 1 (none) … 4 (very interested), +1 for expansion or a large volume, capped
//!   at 2 for a customer who wants to cancel.
//! - follow-up: needed unless the reply is an unsubscribe, an out-of-office, a plain refusal, or a
//!   thank-you with no question, request, problem or interest.
//!
//! Insights and recommended actions are written in the account's language; action items and pain
//! points quote the customer's own sentences.

mod lexicon;
mod references;
mod sentences;
mod texts;
mod volume;

use std::collections::BTreeMap;

use async_trait::async_trait;

pub use volume::{normalize_unit, parse_amount};

use self::lexicon::Cat;
use self::sentences::{Sentence, analyse_sentences};
use super::repair::normalize_lang;
use super::schema::{
    Analysis, MonthlyVolume, OpportunityScore, ProductInterest, RefKind, Reference, ResponseType,
    SCHEMA_VERSION, Sentiment, Urgency,
};
use super::{AnalysisContext, AnalysisError, Analyzer};

/// Longest reply text read, in bytes (the rest is ignored).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Most action items and pain points listed.
const MAX_ITEMS: usize = 5;

/// The offline analyzer. Cheap to build (the lexicons compile once per process, on first use).
#[derive(Debug, Clone, Copy, Default)]
pub struct HeuristicAnalyzer {
    _private: (),
}

/// Signals found in a reply.
#[derive(Debug, Default)]
struct Signals {
    cats: BTreeMap<Cat, usize>,
    questions: usize,
    shouting: bool,
}

impl Signals {
    fn has(&self, c: Cat) -> bool {
        self.cats.contains_key(&c)
    }
    fn count(&self, c: Cat) -> usize {
        self.cats.get(&c).copied().unwrap_or(0)
    }
}

impl HeuristicAnalyzer {
    /// The analyzer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Analyse a reply, synchronously (the [`Analyzer`] impl calls this).
    pub fn analyze_text(&self, reply: &str, context: &AnalysisContext) -> Analysis {
        let text = cut_bytes(reply, MAX_TEXT_BYTES);
        let mut votes = vec![0usize; lexicon::ALL.len()];
        let sentences = analyse_sentences(text, &mut votes);
        let lang = detect_lang(text, &votes, context);
        let account_lang = context
            .account_lang
            .as_deref()
            .and_then(normalize_lang)
            .unwrap_or_else(|| "en".to_string());
        let t = texts::texts(&account_lang);

        let mut s = Signals::default();
        for sentence in &sentences {
            for (cat, n) in &sentence.cats {
                *s.cats.entry(*cat).or_default() += n;
            }
            if sentence.question {
                s.questions += 1;
            }
        }
        s.shouting = text.contains("!!") || shouts(text);
        let references = references::find_references(text);
        let monthly_volume = volume::find_volume(text);

        let frustrated = s.has(Cat::Frustrated)
            && (s.has(Cat::Problem)
                || s.has(Cat::Churn)
                || s.has(Cat::Negative)
                || s.shouting
                || s.count(Cat::Frustrated) >= 2);
        let problem = s.has(Cat::Problem) || s.has(Cat::Churn) || frustrated;
        let product_interest = interest(&s, problem);
        let big = expansion(&s, monthly_volume.as_ref(), text);
        let away = s.has(Cat::Away) && !problem && product_interest <= ProductInterest::Mentioned;
        let declined = (s.has(Cat::Decline) || s.has(Cat::Unsubscribe))
            && product_interest == ProductInterest::None
            && !problem;

        let response_type = if problem && !away {
            ResponseType::NeedsAttention
        } else if product_interest == ProductInterest::VeryInterested
            || (product_interest == ProductInterest::Interested && big)
        {
            ResponseType::HighValue
        } else {
            ResponseType::Standard
        };

        let sentiment = if frustrated {
            Sentiment::Frustrated
        } else if s.has(Cat::Urgent) && s.has(Cat::Problem) {
            Sentiment::Urgent
        } else if s.has(Cat::Negative) || s.has(Cat::Churn) || s.has(Cat::Problem) {
            Sentiment::Negative
        } else if s.has(Cat::Positive)
            || s.has(Cat::Buy)
            || (s.has(Cat::Thanks) && product_interest >= ProductInterest::Interested)
        {
            Sentiment::Positive
        } else {
            Sentiment::Neutral
        };

        let urgency = if away || declined {
            Urgency::Low
        } else if s.has(Cat::Urgent) || s.count(Cat::Frustrated) >= 3 {
            Urgency::High
        } else if problem || response_type == ResponseType::HighValue {
            Urgency::Medium
        } else {
            Urgency::Low
        };

        let mut score: i64 = match product_interest {
            ProductInterest::None => 1,
            ProductInterest::Mentioned => 2,
            ProductInterest::Interested => 3,
            ProductInterest::VeryInterested => 4,
        };
        if big && product_interest >= ProductInterest::Interested {
            score += 1;
        }
        if s.has(Cat::Churn) {
            score = score.min(2);
        }
        let opportunity_score = OpportunityScore::saturating(score);

        let asks = s.questions > 0 || s.has(Cat::Request) || s.has(Cat::Feature);
        // Nothing to answer: an out-of-office, a refusal or unsubscribe, or a reply with no
        // question, request, problem, interest or urgency.
        let something_to_answer =
            asks || problem || product_interest > ProductInterest::Mentioned || s.has(Cat::Urgent);
        let follow_up_needed = !away && !declined && something_to_answer;

        let action_items = action_items(&sentences, t);
        let pain_points: Vec<String> = sentences
            .iter()
            .filter(|x| {
                x.has(Cat::Problem)
                    || x.has(Cat::Churn)
                    || x.has(Cat::Frustrated)
                    || x.has(Cat::Negative)
            })
            .take(MAX_ITEMS)
            .map(Sentence::quote)
            .collect();
        let product_usage = sentences
            .iter()
            .find(|x| x.has(Cat::Usage) && x.words >= 3)
            .map(Sentence::quote);

        let mut a = Analysis {
            schema_version: SCHEMA_VERSION,
            response_type,
            key_insights: Vec::new(),
            sentiment,
            urgency,
            opportunity_score,
            follow_up_needed,
            product_interest,
            action_items,
            product_usage,
            monthly_volume,
            pain_points,
            references,
            suggested_labels: Vec::new(),
            recommended_actions: Vec::new(),
            lang,
        };
        a.key_insights = insights(&a, &s, big, away, t);
        a.suggested_labels = labels(&a, &s, away);
        a.recommended_actions = recommended(&a, &s, away, t);
        a
    }
}

#[async_trait]
impl Analyzer for HeuristicAnalyzer {
    async fn analyze(
        &self,
        reply: &str,
        context: &AnalysisContext,
    ) -> Result<Analysis, AnalysisError> {
        Ok(self.analyze_text(reply, context))
    }

    fn name(&self) -> &str {
        "heuristic"
    }
}

fn cut_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Three or more words in capitals ("THIS IS UNACCEPTABLE").
fn shouts(text: &str) -> bool {
    text.split_whitespace()
        .filter(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
        })
        .count()
        >= 3
}

fn interest(s: &Signals, problem: bool) -> ProductInterest {
    let asks_offer =
        s.has(Cat::Interest) || s.has(Cat::Demo) || (s.has(Cat::Pricing) && !s.has(Cat::Billing));
    if s.has(Cat::Unsubscribe) || (s.has(Cat::Decline) && !s.has(Cat::Buy)) {
        ProductInterest::None
    } else if s.has(Cat::Buy) {
        ProductInterest::VeryInterested
    } else if asks_offer && !s.has(Cat::Churn) {
        ProductInterest::Interested
    } else if problem {
        // A complaint mentions the product, but it is not interest in it.
        ProductInterest::None
    } else if s.has(Cat::Mention)
        || s.has(Cat::Usage)
        || s.has(Cat::Feature)
        || s.has(Cat::Expansion)
        || s.has(Cat::Pricing)
    {
        ProductInterest::Mentioned
    } else {
        ProductInterest::None
    }
}

/// Expansion talk, or a stated volume that is large for its unit.
fn expansion(s: &Signals, volume: Option<&MonthlyVolume>, text: &str) -> bool {
    let large = volume.is_some_and(|v| match v.unit.as_str() {
        "currency" => v.value >= 1_000,
        "emails" | "messages" | "sms" | "notifications" | "sends" => v.value >= 10_000,
        "users" | "customers" | "contacts" | "subscribers" => v.value >= 500,
        _ => v.value >= 1_000,
    });
    s.has(Cat::Expansion) || large || volume::finds_headcount_expansion(text)
}

fn detect_lang(text: &str, votes: &[usize], ctx: &AnalysisContext) -> String {
    if let Some(l) = ctx.reply_lang.as_deref().and_then(normalize_lang) {
        return l;
    }
    let mut ranked: Vec<(usize, usize)> = votes.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top = ranked.first().copied().unwrap_or((0, 0));
    let second = ranked.get(1).map(|r| r.1).unwrap_or(0);
    let by_votes = lexicon::ALL.get(top.0).map(|l| l.lang);
    // A clear lexicon majority decides without the (slower) statistical detector.
    if top.1 >= 3
        && top.1 >= 2 * second
        && let Some(l) = by_votes
    {
        return l.to_string();
    }
    let by_whatlang = whatlang::detect(text)
        .and_then(|info| normalize_lang(info.lang().code()).map(|l| (l, info.is_reliable())));
    let known = |l: &str| lexicon::ALL.iter().any(|x| x.lang == l);
    match by_whatlang {
        Some((l, true)) => return l,
        Some((l, false)) if known(&l) && by_votes == Some(l.as_str()) => return l,
        _ => {}
    }
    if top.1 > 0
        && top.1 > second
        && let Some(l) = by_votes
    {
        return l.to_string();
    }
    if let Some((l, _)) = by_whatlang {
        return l;
    }
    ctx.account_lang
        .as_deref()
        .and_then(normalize_lang)
        .unwrap_or_else(|| "en".to_string())
}

fn action_items(sentences: &[Sentence], t: &texts::Texts) -> Vec<String> {
    sentences
        .iter()
        .filter(|x| x.question || (x.has(Cat::Request) && x.words >= 3))
        .filter(|x| !x.has(Cat::Unsubscribe))
        .take(MAX_ITEMS)
        .map(|x| {
            if x.question {
                format!("{} {}", t.answer, x.quote())
            } else {
                x.quote()
            }
        })
        .collect()
}

fn kind_text(kind: RefKind, t: &texts::Texts) -> &'static str {
    match kind {
        RefKind::Order => t.kind_order,
        RefKind::Quote => t.kind_quote,
        RefKind::Invoice => t.kind_invoice,
    }
}

fn insights(a: &Analysis, s: &Signals, big: bool, away: bool, t: &texts::Texts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if away {
        out.push(t.away.to_string());
        return out;
    }
    if s.has(Cat::Unsubscribe) {
        out.push(t.unsubscribes.to_string());
    } else if s.has(Cat::Churn) {
        out.push(t.wants_to_cancel.to_string());
    }
    if a.sentiment == Sentiment::Frustrated {
        out.push(t.frustrated.to_string());
    }
    if s.has(Cat::Problem) {
        out.push(t.reports_problem.to_string());
    }
    if a.urgency == Urgency::High {
        out.push(t.urgent.to_string());
    }
    match a.product_interest {
        ProductInterest::VeryInterested => out.push(t.wants_to_buy.to_string()),
        ProductInterest::Interested if s.has(Cat::Pricing) => out.push(t.asks_pricing.to_string()),
        ProductInterest::Interested => out.push(t.interested.to_string()),
        ProductInterest::Mentioned => out.push(t.mentions_product.to_string()),
        ProductInterest::None if s.has(Cat::Decline) => out.push(t.declines.to_string()),
        ProductInterest::None => {}
    }
    if big && a.product_interest >= ProductInterest::Interested {
        out.push(t.expansion.to_string());
    }
    if let Some(v) = &a.monthly_volume {
        out.push(format!("{} {} {}", t.volume, v.value, v.unit));
    }
    if s.has(Cat::Billing) && (s.has(Cat::Problem) || !a.references.is_empty()) {
        out.push(t.billing.to_string());
    }
    if s.has(Cat::Feature) {
        out.push(t.feature.to_string());
    }
    for r in a.references.iter().take(3) {
        out.push(format!("{} {} {}", t.refers_to, kind_text(r.kind, t), r.id));
    }
    if out.is_empty() {
        out.push(
            if a.sentiment == Sentiment::Positive {
                t.positive
            } else {
                t.nothing
            }
            .to_string(),
        );
    }
    out.truncate(6);
    out
}

fn labels(a: &Analysis, s: &Signals, away: bool) -> Vec<String> {
    let mut l: Vec<&str> = Vec::new();
    if away {
        l.push("out-of-office");
    }
    if s.has(Cat::Unsubscribe) {
        l.push("unsubscribe");
    } else if a.product_interest == ProductInterest::None && s.has(Cat::Decline) {
        l.push("not-interested");
    }
    if s.has(Cat::Churn) {
        l.push("churn-risk");
    }
    if s.has(Cat::Problem) {
        l.push("bug");
    }
    if s.has(Cat::Billing)
        && (s.has(Cat::Problem)
            || s.has(Cat::Churn)
            || a.references.iter().any(|r| r.kind == RefKind::Invoice))
    {
        l.push("billing");
    }
    if s.has(Cat::Pricing) && a.product_interest >= ProductInterest::Interested {
        l.push("pricing");
    }
    if s.has(Cat::Demo) && a.product_interest >= ProductInterest::Interested {
        l.push("demo");
    }
    if a.response_type == ResponseType::HighValue {
        l.push("upsell");
    }
    if s.has(Cat::Feature) {
        l.push("feature-request");
    }
    if a.urgency == Urgency::High {
        l.push("urgent");
    }
    for r in &a.references {
        let k = match r.kind {
            RefKind::Order => "order",
            RefKind::Quote => "quote",
            RefKind::Invoice => "invoice",
        };
        if !l.contains(&k) {
            l.push(k);
        }
    }
    if a.sentiment == Sentiment::Positive && l.is_empty() {
        l.push("positive-feedback");
    }
    l.into_iter().map(str::to_string).collect()
}

fn recommended(a: &Analysis, s: &Signals, away: bool, t: &texts::Texts) -> Vec<String> {
    let mut r: Vec<&str> = Vec::new();
    if away {
        return vec![t.act_none.to_string()];
    }
    if s.has(Cat::Unsubscribe) {
        return vec![t.act_unsubscribe.to_string()];
    }
    if a.response_type == ResponseType::NeedsAttention && a.urgency == Urgency::High {
        r.push(t.act_escalate);
    }
    if s.has(Cat::Churn) {
        r.push(t.act_retain);
    }
    if s.has(Cat::Billing)
        && (s.has(Cat::Problem) || a.references.iter().any(|x| x.kind == RefKind::Invoice))
    {
        r.push(t.act_billing);
    }
    if a.product_interest == ProductInterest::VeryInterested {
        r.push(t.act_contract);
    }
    if s.has(Cat::Pricing) && a.product_interest >= ProductInterest::Interested {
        r.push(t.act_pricing);
    }
    if s.has(Cat::Demo) && a.product_interest >= ProductInterest::Interested {
        r.push(t.act_demo);
    }
    if s.has(Cat::Feature) {
        r.push(t.act_feature);
    }
    if s.questions > 0 && r.is_empty() {
        r.push(t.act_questions);
    }
    if r.is_empty() {
        r.push(
            if a.product_interest == ProductInterest::None && s.has(Cat::Decline) {
                t.act_close
            } else if a.follow_up_needed {
                t.act_reply
            } else {
                t.act_none
            },
        );
    }
    r.into_iter().map(str::to_string).collect()
}

/// References found in a text (exposed for the CLI and tests).
pub fn find_references(text: &str) -> Vec<Reference> {
    references::find_references(cut_bytes(text, MAX_TEXT_BYTES))
}

/// The first stated volume in a text, normalised per month.
pub fn find_volume(text: &str) -> Option<MonthlyVolume> {
    volume::find_volume(cut_bytes(text, MAX_TEXT_BYTES))
}

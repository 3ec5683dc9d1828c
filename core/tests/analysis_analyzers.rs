//! The `Analyzer` trait and its two implementations: the offline heuristic analyzer and
//! `LlmAnalyzer` over a scripted `LlmClient` (no network).

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use async_trait::async_trait;
use proptest::prelude::*;
use replytrack::analysis::{
    AnalysisContext, AnalysisError, Analyzer, ChatRequest, ChatResponse, HeuristicAnalyzer,
    LlmAnalyzer, LlmClient, LlmError, ProductInterest, ResponseType, Role, Sentiment, Urgency,
};

/// Poll a future to completion on this thread (the futures here never wait on I/O).
fn block_on<F: Future>(f: F) -> F::Output {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut f = pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[derive(Debug)]
struct Scripted {
    answers: Mutex<Vec<Result<String, LlmError>>>,
    seen: Mutex<Vec<ChatRequest>>,
}

#[async_trait]
impl LlmClient for Scripted {
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        self.seen.lock().expect("lock").push(request.clone());
        let next = self.answers.lock().expect("lock").remove(0);
        next.map(|content| ChatResponse {
            content,
            ..ChatResponse::default()
        })
    }
    fn model(&self) -> &str {
        "scripted"
    }
}

const GOOD: &str = r##"{"schema_version":1,"response_type":"needs_attention","key_insights":[],"sentiment":"frustrated","urgency":"high","opportunity_score":1,"follow_up_needed":true,"product_interest":"none","action_items":[],"product_usage":null,"monthly_volume":null,"pain_points":["late order"],"references":[{"kind":"order","id":"#A-1"}],"suggested_labels":[],"recommended_actions":[],"lang":"en"}"##;

fn scripted(answers: Vec<Result<String, LlmError>>) -> Arc<Scripted> {
    Arc::new(Scripted {
        answers: Mutex::new(answers),
        seen: Mutex::new(Vec::new()),
    })
}

#[test]
fn analyzers_are_usable_as_trait_objects() {
    let analyzers: Vec<Box<dyn Analyzer>> = vec![
        Box::new(HeuristicAnalyzer::new()),
        Box::new(LlmAnalyzer::from_arc(scripted(vec![Ok(GOOD.into())]))),
    ];
    let names: Vec<&str> = analyzers.iter().map(|a| a.name()).collect();
    assert_eq!(names, vec!["heuristic", "llm:scripted"]);
    for a in &analyzers {
        let r = block_on(a.analyze("Where is my order #A-1?", &AnalysisContext::default()));
        assert!(r.is_ok(), "{r:?}");
    }
}

#[test]
fn llm_analyzer_retries_invalid_output_with_feedback() {
    let client = scripted(vec![
        Ok("Sorry, here: {sentiment: 'meh'}".into()),
        Ok(GOOD.into()),
    ]);
    let analyzer = LlmAnalyzer::from_arc(client.clone());
    let a = block_on(analyzer.analyze("late again", &AnalysisContext::default())).expect("ok");
    assert_eq!(a.response_type, ResponseType::NeedsAttention);
    assert_eq!(a.references[0].id, "A-1");
    let seen = client.seen.lock().expect("lock");
    assert_eq!(seen.len(), 2);
    let second = &seen[1].messages;
    assert_eq!(second.len(), 4);
    assert_eq!(second[2].role, Role::Assistant);
    assert!(
        second[3].content.contains("sentiment"),
        "{}",
        second[3].content
    );
    assert!(seen[0].response_schema.is_some());
}

#[test]
fn llm_analyzer_passes_transport_errors_through() {
    let client = scripted(vec![Err(LlmError::Timeout { after_ms: 5 })]);
    let err = block_on(LlmAnalyzer::from_arc(client).analyze("x", &AnalysisContext::default()))
        .expect_err("timeout");
    assert_eq!(err, AnalysisError::Llm(LlmError::Timeout { after_ms: 5 }));
}

#[test]
fn out_of_office_needs_no_follow_up() {
    let a = HeuristicAnalyzer::new().analyze_text(
        "I am out of the office until Monday with limited access to email.",
        &AnalysisContext::default(),
    );
    assert!(!a.follow_up_needed);
    assert_eq!(a.response_type, ResponseType::Standard);
    assert!(a.suggested_labels.contains(&"out-of-office".to_string()));
}

#[test]
fn insights_follow_the_account_language_whatever_the_reply_language() {
    let ctx = AnalysisContext {
        account_lang: Some("de".into()),
        ..AnalysisContext::default()
    };
    let a = HeuristicAnalyzer::new().analyze_text(
        "Nous voulons passer à l'offre Pro pour toute l'équipe, envoyez-nous le contrat.",
        &ctx,
    );
    assert_eq!(a.lang, "fr");
    assert_eq!(a.product_interest, ProductInterest::VeryInterested);
    assert!(
        a.key_insights.iter().any(|i| i.contains("kaufen")),
        "{:?}",
        a.key_insights
    );
}

#[test]
fn polite_refusal_is_neutral_and_closed() {
    let a = HeuristicAnalyzer::new().analyze_text(
        "No thanks, we already have a solution.",
        &AnalysisContext::default(),
    );
    assert_eq!(a.product_interest, ProductInterest::None);
    assert_eq!(a.sentiment, Sentiment::Neutral);
    assert_eq!(a.urgency, Urgency::Low);
    assert!(!a.follow_up_needed);
    assert_eq!(a.opportunity_score.get(), 1);
}

#[test]
fn empty_and_huge_replies_are_analysed() {
    let h = HeuristicAnalyzer::new();
    let a = h.analyze_text("", &AnalysisContext::default());
    assert!(!a.follow_up_needed);
    let big = "urgent bug? ".repeat(7_000);
    let a = h.analyze_text(&big, &AnalysisContext::default());
    assert_eq!(a.urgency, Urgency::High);
    assert!(a.action_items.len() <= 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn heuristic_never_panics(s in "\\PC{0,300}") {
        let a = HeuristicAnalyzer::new().analyze_text(&s, &AnalysisContext::default());
        prop_assert!((1..=5).contains(&a.opportunity_score.get()));
        prop_assert_eq!(a.lang.len(), 2);
    }

    #[test]
    fn heuristic_never_panics_on_number_soup(s in "[0-9 .,#°º$€k/a-z%-]{0,200}") {
        let _ = HeuristicAnalyzer::new().analyze_text(&s, &AnalysisContext::default());
    }
}

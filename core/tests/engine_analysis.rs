//! The analysis worker: every stored reply is analysed in the background, and the analysis lands
//! on the message, on the timeline (with a private note for the team) and, as far as the account
//! allows, on the conversation (labels, priority, the high-value flag).

mod engine_support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use engine_support::*;
use replytrack::address::AddressFormat;
use replytrack::analysis::{
    Analysis, AnalysisContext, AnalysisError, HeuristicAnalyzer, LlmError, ProductInterest,
    ResponseType,
};
use replytrack::conversation::{
    AccountSettings, AnalysisSettings, ConversationId, Customer, Direction, EventKind,
    HIGH_VALUE_LABEL, JobKind, JobState, Message, MessageId, Priority, TimelineEvent,
};
use replytrack::engine::{
    AnalysisStatus, Engine, EngineConfig, IngestOutcome, ManualReply, NOTE_AUTHOR, Stored,
};
use replytrack::ports::{Analyzer, ConversationQuery, Store, TimelineScope};
use replytrack::store::{MemoryMailer, MemoryStore};

/// Marie's answer: strong interest, in French, with Gmail's quote of our email under it.
const MARIE_WANTS_PRO: &str = "Bonjour,\n\nNous sommes très intéressés par le forfait Pro et \
voulons passer au forfait Pro. Nous envoyons environ 5 000 emails par mois. Pouvez-vous m'envoyer \
un devis ?\n\nCordialement,\nMarie\n\nLe mar. 3 mars 2026 à 10:12, Acme <hello@acme.example> a écrit :\n\
> Bonjour Marie,\n> Votre essai se termine dans 3 jours. QUOTED-HISTORY-MARKER\n";

/// Juan's answer: a problem with an invoice, needs handling now.
const JUAN_HAS_A_PROBLEM: &str = "Hola,\n\nTenemos un problema urgente con la factura 2024-118: \
nos han cobrado dos veces. ¿Pueden revisarlo hoy mismo?\n\nSaludos,\nJuan\n";

fn engine_with(
    account: AccountSettings,
    analyzer: Option<Arc<dyn Analyzer>>,
    config: EngineConfig,
) -> World {
    engine_over(Arc::new(MemoryStore::new()), account, analyzer, config)
}

fn engine_over(
    store: Arc<MemoryStore>,
    account: AccountSettings,
    analyzer: Option<Arc<dyn Analyzer>>,
    config: EngineConfig,
) -> World {
    let mailer = Arc::new(MemoryMailer::new());
    let mut builder = Engine::builder(
        authority(),
        AddressFormat::new(DOMAIN).expect("valid domain"),
        account,
    )
    .store(store.clone())
    .mailer(mailer.clone())
    .config(config);
    if let Some(a) = analyzer {
        builder = builder.analyzer(a);
    }
    World {
        engine: builder.build().expect("a valid engine"),
        store,
        mailer,
    }
}

/// A French-speaking account ("Acme", insights written in French).
fn french_account() -> AccountSettings {
    AccountSettings::new("Acme", FROM, OWNER)
        .expect("valid addresses")
        .language("fr")
}

fn world_speaking_french(analyzer: Option<Arc<dyn Analyzer>>) -> World {
    engine_with(french_account(), analyzer, EngineConfig::default())
}

/// The customer answers our email with `text`; returns what ingest stored.
fn customer_replies(w: &World, customer: &Customer, text: &str, now: DateTime<Utc>) -> Stored {
    let composed = w.write_to(
        customer,
        "Votre essai Acme se termine",
        now - Duration::hours(2),
    );
    let address = customer
        .emails
        .first()
        .map(|e| e.address.clone())
        .unwrap_or_default();
    let name = customer.name.clone().unwrap_or_default();
    let msg = reply_to(
        &composed,
        (&name, &address),
        &format!("{}@mail.example", address.replace('@', ".")),
        text,
    );
    match run(w.engine.ingest(msg, now)).expect("ingest") {
        IngestOutcome::Stored(s) => s,
        other => panic!("expected a stored reply, got {}", other.explain()),
    }
}

fn marie(w: &World) -> Customer {
    w.customer("Marie Dupont", "marie@boulangerie-dupont.fr")
}

fn message(w: &World, id: MessageId) -> Message {
    run(w.store.message(id))
        .expect("store")
        .expect("the message exists")
}

fn timeline(w: &World, conversation: ConversationId) -> Vec<TimelineEvent> {
    run(w.engine.timeline(TimelineScope::Conversation(conversation))).expect("timeline")
}

fn names(events: &[TimelineEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

fn analysis_job(w: &World) -> replytrack::conversation::Job {
    w.store
        .jobs()
        .into_iter()
        .find(|j| j.kind == JobKind::Analysis)
        .expect("an analysis job was queued with the reply")
}

/// A test analyzer: records what it is given, fails the first `failures` calls, then answers
/// with a fixed high-value analysis.
#[derive(Default)]
struct FakeAnalyzer {
    failures: AtomicU32,
    calls: AtomicU32,
    seen: Mutex<Vec<(String, AnalysisContext)>>,
}

impl FakeAnalyzer {
    fn failing(times: u32) -> Arc<Self> {
        Arc::new(Self {
            failures: AtomicU32::new(times),
            ..Self::default()
        })
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }

    fn seen(&self) -> Vec<(String, AnalysisContext)> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl Analyzer for FakeAnalyzer {
    async fn analyze(
        &self,
        reply: &str,
        context: &AnalysisContext,
    ) -> Result<Analysis, AnalysisError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut s) = self.seen.lock() {
            s.push((reply.to_string(), context.clone()));
        }
        let left = self.failures.load(Ordering::SeqCst);
        if left > 0 {
            self.failures.store(left - 1, Ordering::SeqCst);
            return Err(AnalysisError::Llm(LlmError::Transport {
                message: "connection refused by the model server".into(),
            }));
        }
        Ok(Analysis {
            response_type: ResponseType::HighValue,
            product_interest: ProductInterest::VeryInterested,
            suggested_labels: vec!["Upgrade Intent".into()],
            ..Analysis::default()
        })
    }

    fn name(&self) -> &str {
        "fake"
    }
}

#[test]
fn a_french_reply_with_strong_interest_is_analysed_noted_labelled_and_flagged() {
    let w = world_speaking_french(None);
    let now = monday_morning();
    let s = customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);

    let run1 = run(w.engine.run_analysis(10, now)).expect("the worker runs");
    assert_eq!((run1.analysed, run1.failed, run1.dead_lettered), (1, 0, 0));

    // The analysis is stored on the reply, typed.
    let a = message(&w, s.message)
        .analysis
        .expect("stored on the message");
    assert_eq!(a.response_type, ResponseType::HighValue);
    assert!(a.product_interest >= ProductInterest::Interested);
    assert_eq!(a.lang, "fr");
    assert_eq!(a.monthly_volume.as_ref().map(|v| v.value), Some(5_000));

    // The timeline shows it, with a private note for the team.
    let events = timeline(&w, s.conversation);
    let completed = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::AnalysisCompleted { analysis, analyzer } => Some((analysis, analyzer)),
            _ => None,
        })
        .expect("an analysis_completed event");
    assert_eq!(completed.0, &a);
    assert_eq!(completed.1, "heuristic");
    let note = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::NoteAdded { author, text } => Some((author.clone(), text.clone())),
            _ => None,
        })
        .expect("a private note");
    assert_eq!(note.0.as_deref(), Some(NOTE_AUTHOR));
    assert!(note.1.starts_with("Reply analysis (heuristic): high value"));
    assert!(note.1.contains("Volume: 5000 emails per month"));
    let notes: Vec<Message> = run(w.store.messages(s.conversation))
        .expect("messages")
        .into_iter()
        .filter(|m| m.direction == Direction::Note)
        .collect();
    assert_eq!(notes.len(), 1, "the note is a team-only message");
    assert_eq!(
        w.mailer.sent().len(),
        2,
        "the outbound email and the forward: no note is sent"
    );

    // The conversation is flagged high value and carries the suggested labels.
    let conv = run(w.engine.conversation(s.conversation))
        .expect("store")
        .expect("conversation");
    assert!(conv.labels.contains(HIGH_VALUE_LABEL));
    for label in &a.suggested_labels {
        assert!(conv.labels.contains(label), "{label} applied");
    }
    assert!(names(&events).contains(&"labelled"));
}

#[test]
fn a_reply_that_needs_attention_raises_the_priority() {
    let w = world();
    let now = monday_morning();
    let juan = w.customer("Juan García", "juan@ferreteria-garcia.es");
    let s = customer_replies(&w, &juan, JUAN_HAS_A_PROBLEM, now);
    let r = run(w.engine.run_analysis(10, now)).expect("the worker runs");
    assert_eq!(r.analysed, 1);
    let a = message(&w, s.message).analysis.expect("analysed");
    assert_eq!(a.response_type, ResponseType::NeedsAttention);
    let conv = run(w.engine.conversation(s.conversation))
        .expect("store")
        .expect("conversation");
    assert!(conv.priority >= Priority::High, "got {:?}", conv.priority);
    assert!(!conv.labels.contains(HIGH_VALUE_LABEL));
    assert!(names(&timeline(&w, s.conversation)).contains(&"priority_changed"));
}

#[test]
fn with_every_suggestion_turned_off_only_the_analysis_and_note_are_stored() {
    let account = french_account().analysis_settings(AnalysisSettings::none());
    let w = engine_with(account, None, EngineConfig::default());
    let now = monday_morning();
    let s = customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);
    let juan = w.customer("Juan García", "juan@ferreteria-garcia.es");
    let j = customer_replies(&w, &juan, JUAN_HAS_A_PROBLEM, now);

    assert_eq!(
        run(w.engine.run_analysis(10, now)).expect("runs").analysed,
        2
    );
    for (stored, id) in [(&s, s.message), (&j, j.message)] {
        assert!(message(&w, id).analysis.is_some());
        let conv = run(w.engine.conversation(stored.conversation))
            .expect("store")
            .expect("conversation");
        assert!(
            conv.labels.is_empty(),
            "no label applied: {:?}",
            conv.labels
        );
        assert_eq!(conv.priority, Priority::None);
        let events = names(&timeline(&w, stored.conversation));
        assert!(events.contains(&"analysis_completed") && events.contains(&"note_added"));
        assert!(!events.contains(&"labelled") && !events.contains(&"priority_changed"));
    }
}

#[test]
fn an_analyzer_that_fails_twice_is_retried_with_backoff_and_then_succeeds() {
    let fake = FakeAnalyzer::failing(2);
    let w = world_speaking_french(Some(fake.clone()));
    let now = monday_morning();
    let s = customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);

    let first = run(w.engine.run_analysis(10, now)).expect("runs");
    assert_eq!((first.analysed, first.failed), (0, 1));
    let AnalysisStatus::Failed { retry_at, error } = &first.reports[0].status else {
        panic!(
            "expected a failed attempt, got {:?}",
            first.reports[0].status
        );
    };
    assert_eq!(*retry_at, now + Duration::seconds(60), "first backoff");
    assert!(error.contains("connection refused"));

    // Not due yet: nothing is claimed.
    assert!(
        run(w.engine.run_analysis(10, now + Duration::seconds(59)))
            .expect("runs")
            .reports
            .is_empty()
    );

    let second = run(w.engine.run_analysis(10, now + Duration::seconds(60))).expect("runs");
    let AnalysisStatus::Failed { retry_at, .. } = second.reports[0].status.clone() else {
        panic!("expected the second attempt to fail");
    };
    assert_eq!(
        retry_at,
        now + Duration::seconds(180),
        "the backoff doubles"
    );

    let third = run(w.engine.run_analysis(10, retry_at)).expect("runs");
    assert_eq!(third.analysed, 1);
    assert_eq!(third.reports[0].attempt, 3);

    let job = analysis_job(&w);
    assert!(matches!(job.state, JobState::Done { .. }));
    assert_eq!(job.attempts, 3);
    assert!(message(&w, s.message).analysis.is_some());
    // Each failed attempt is on the timeline, for the team.
    let failures: Vec<u32> = timeline(&w, s.conversation)
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::AnalysisFailed { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert_eq!(failures, [1, 2]);
    assert_eq!(fake.calls(), 3);
}

#[test]
fn an_analyzer_that_always_fails_is_dead_lettered_after_the_last_attempt() {
    let fake = FakeAnalyzer::failing(u32::MAX);
    let mut config = EngineConfig::default();
    config.analysis_retry.max_attempts = 3;
    let w = engine_with(french_account(), Some(fake.clone()), config);
    let now = monday_morning();
    let s = customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);

    let mut statuses = Vec::new();
    for hour in 0..6 {
        let r = run(w.engine.run_analysis(10, now + Duration::hours(hour))).expect("runs");
        statuses.extend(r.reports.into_iter().map(|r| r.status));
    }
    assert_eq!(
        statuses.len(),
        3,
        "three attempts, then no more: {statuses:?}"
    );
    assert!(matches!(statuses[0], AnalysisStatus::Failed { .. }));
    assert!(matches!(statuses[1], AnalysisStatus::Failed { .. }));
    assert!(matches!(statuses[2], AnalysisStatus::DeadLettered { .. }));

    let job = analysis_job(&w);
    assert!(matches!(job.state, JobState::Dead { .. }));
    assert_eq!(job.attempts, 3);
    assert!(
        job.last_error
            .as_deref()
            .is_some_and(|e| e.contains("analyzer fake failed"))
    );
    assert!(message(&w, s.message).analysis.is_none());
    let given_up = timeline(&w, s.conversation)
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::AnalysisFailed { retry_at, .. } => Some(retry_at),
            _ => None,
        })
        .collect::<Vec<_>>();
    assert_eq!(given_up.len(), 3);
    assert_eq!(given_up[2], None, "the last failure says it was given up");
    assert_eq!(fake.calls(), 3);
}

#[test]
fn the_analyzer_gets_only_the_extracted_reply_and_a_short_context() {
    let fake = FakeAnalyzer::failing(0);
    let w = world_speaking_french(Some(fake.clone()));
    let now = monday_morning();
    let s = customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);
    run(w.engine.run_analysis(10, now)).expect("runs");

    let seen = fake.seen();
    assert_eq!(seen.len(), 1);
    let (text, context) = &seen[0];
    let stored = message(&w, s.message);
    assert_eq!(
        Some(text.as_str()),
        stored.reply.as_ref().map(|r| r.text.trim())
    );
    assert!(text.contains("forfait Pro"));
    assert!(
        !text.contains("QUOTED-HISTORY-MARKER"),
        "the quoted history is never sent"
    );
    assert!(!text.contains("a écrit"));
    assert_eq!(
        context.subject.as_deref(),
        Some("Votre essai Acme se termine")
    );
    assert_eq!(context.customer_name.as_deref(), Some("Marie Dupont"));
    assert_eq!(context.customer_status.as_deref(), Some("replied"));
    assert_eq!(context.account_lang.as_deref(), Some("fr"));
    assert_eq!(context.reply_lang.as_deref(), Some("fr"));
}

#[test]
fn running_the_worker_twice_does_not_analyse_twice() {
    let fake = FakeAnalyzer::failing(0);
    let w = world_speaking_french(Some(fake.clone()));
    let now = monday_morning();
    let s = customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);

    assert_eq!(
        run(w.engine.run_analysis(10, now)).expect("runs").analysed,
        1
    );
    let again = run(w.engine.run_analysis(10, now + Duration::days(1))).expect("runs");
    assert!(again.reports.is_empty());
    assert_eq!(fake.calls(), 1);
    let completed = names(&timeline(&w, s.conversation))
        .into_iter()
        .filter(|n| *n == "analysis_completed")
        .count();
    assert_eq!(completed, 1);
}

#[test]
fn a_second_job_for_an_analysed_message_is_completed_without_analysing() {
    let fake = FakeAnalyzer::failing(0);
    let w = world_speaking_french(Some(fake.clone()));
    let now = monday_morning();
    let s = customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);
    run(w.engine.run_analysis(10, now)).expect("runs");
    // A host re-enqueues the same message (a replay, a manual retry).
    let job = replytrack::conversation::NewJob {
        id: replytrack::conversation::JobId::generate(now),
        kind: JobKind::Analysis,
        message: s.message,
        run_at: now,
        max_attempts: 3,
    };
    run(w.store.commit(replytrack::ports::Commit {
        jobs: vec![job],
        ..Default::default()
    }))
    .expect("enqueued");
    let r = run(w.engine.run_analysis(10, now)).expect("runs");
    assert_eq!((r.analysed, r.skipped), (0, 1));
    assert_eq!(fake.calls(), 1);
}

/// An analyzer so slow that its lease ends, and another worker claims the job meanwhile.
struct SlowAnalyzer {
    store: Arc<MemoryStore>,
    later: DateTime<Utc>,
}

#[async_trait]
impl Analyzer for SlowAnalyzer {
    async fn analyze(&self, reply: &str, ctx: &AnalysisContext) -> Result<Analysis, AnalysisError> {
        let stolen = self
            .store
            .claim_jobs(JobKind::Analysis, 1, self.later, Duration::minutes(5))
            .await;
        assert_eq!(
            stolen.map(|v| v.len()).ok(),
            Some(1),
            "the other worker took it"
        );
        Ok(HeuristicAnalyzer::new().analyze_text(reply, ctx))
    }

    fn name(&self) -> &str {
        "slow"
    }
}

#[test]
fn a_worker_whose_lease_was_lost_stores_nothing() {
    let now = monday_morning();
    let store = Arc::new(MemoryStore::new());
    let slow = Arc::new(SlowAnalyzer {
        store: store.clone(),
        later: now + Duration::minutes(10),
    });
    let w = engine_over(store, french_account(), Some(slow), EngineConfig::default());
    let s = customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);

    let r = run(w.engine.run_analysis(10, now)).expect("runs");
    assert_eq!(r.lease_lost, 1, "{:?}", r.reports);
    assert!(message(&w, s.message).analysis.is_none());
    assert!(!names(&timeline(&w, s.conversation)).contains(&"analysis_completed"));
    assert_eq!(
        analysis_job(&w).attempts,
        2,
        "the other worker holds attempt 2"
    );
}

#[test]
fn something_a_contact_said_on_the_phone_is_analysed_too() {
    let w = world_speaking_french(None);
    let now = monday_morning();
    let m = marie(&w);
    let logged = run(w.engine.log_manual_reply(
        m.id,
        ManualReply::from_contact("Au téléphone : elle veut un devis pour 20 000 emails par mois."),
        now,
    ))
    .expect("logged");
    let r = run(w.engine.run_analysis(10, now)).expect("runs");
    assert_eq!(r.analysed, 1);
    let a = message(&w, logged.message).analysis.expect("analysed");
    assert_eq!(a.monthly_volume.map(|v| v.value), Some(20_000));
}

#[test]
fn a_reply_that_only_quotes_is_completed_without_analysis() {
    let fake = FakeAnalyzer::failing(0);
    let w = world_speaking_french(Some(fake.clone()));
    let now = monday_morning();
    let only_quote =
        "Le mar. 3 mars 2026 à 10:12, Acme <hello@acme.example> a écrit :\n> Bonjour\n";
    customer_replies(&w, &marie(&w), only_quote, now);
    let r = run(w.engine.run_analysis(10, now)).expect("runs");
    assert_eq!((r.analysed, r.skipped), (0, 1), "{:?}", r.reports);
    assert_eq!(fake.calls(), 0);
}

#[test]
fn insights_sum_up_the_analysed_replies() {
    let w = world();
    let now = monday_morning();
    customer_replies(&w, &marie(&w), MARIE_WANTS_PRO, now);
    let juan = w.customer("Juan García", "juan@ferreteria-garcia.es");
    customer_replies(&w, &juan, JUAN_HAS_A_PROBLEM, now);
    run(w.engine.run_analysis(10, now)).expect("runs");
    let i = run(w.engine.insights(&ConversationQuery::default(), 3)).expect("insights");
    assert_eq!(i.analysed, 2);
    assert_eq!(i.by_response_type["high_value"], 1);
    assert_eq!(i.by_response_type["needs_attention"], 1);
    assert!(
        i.average_opportunity_score
            .is_some_and(|s| (1.0..=5.0).contains(&s))
    );
    assert!(i.follow_ups_needed >= 1);
}

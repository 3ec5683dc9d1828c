//! Forwards go through the durable job queue: a failed send stays queued and is retried, never
//! lost; a permanent failure is dead-lettered and kept.

mod engine_support;

use chrono::Duration;
use engine_support::*;
use replytrack::conversation::{JobKind, JobState};
use replytrack::engine::{EngineConfig, ForwardStatus, IngestOutcome};
use replytrack::ports::TimelineScope;

/// Marie gets an email and replies; `before_reply` runs in between (to make the mailer fail).
fn reply_after(
    w: &World,
    before_reply: impl FnOnce(&World),
) -> (replytrack::engine::Stored, chrono::DateTime<chrono::Utc>) {
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    before_reply(w);
    let now = at(2026, 3, 3, 11, 0);
    let msg = reply_to(
        &sent,
        ("Marie Dupont", "marie@boulangerie-dupont.fr"),
        "r1@x.fr",
        "Oui, merci.",
    );
    match run(w.engine.ingest(msg, now)).expect("ingest") {
        IngestOutcome::Stored(s) => (s, now),
        other => panic!("expected stored, got {}", other.explain()),
    }
}

fn reply_once(w: &World) -> (replytrack::engine::Stored, chrono::DateTime<chrono::Utc>) {
    reply_after(w, |_| {})
}

#[test]
fn a_failed_forward_stays_queued_and_is_retried_with_backoff() {
    let w = world();
    let (s, now) = reply_after(&w, |w| w.mailer.fail_next(2));
    let ForwardStatus::Queued {
        job,
        retry_at: Some(retry_at),
        error: Some(error),
    } = s.forward.clone()
    else {
        panic!("expected a queued forward, got {:?}", s.forward);
    };
    assert_eq!(retry_at, now + Duration::seconds(30));
    assert!(error.contains("told to fail"), "{error}");
    // The reply itself is stored regardless.
    assert_eq!(run(w.store_message(s.message)).id, s.message);

    // Not due yet: nothing runs.
    assert!(
        run(w.engine.run_forwards(10, now + Duration::seconds(29)))
            .unwrap()
            .is_empty()
    );
    // Second attempt fails too: backoff doubles.
    let reports = run(w.engine.run_forwards(10, retry_at)).unwrap();
    assert_eq!(reports.len(), 1);
    let ForwardStatus::Queued {
        retry_at: Some(next),
        ..
    } = reports[0].status
    else {
        panic!("expected queued, got {:?}", reports[0].status);
    };
    assert_eq!(next, retry_at + Duration::seconds(60));
    // Third attempt goes through.
    let reports = run(w.engine.run_forwards(10, next)).unwrap();
    assert_eq!(reports[0].status, ForwardStatus::Sent { to: OWNER.into() });
    assert_eq!(reports[0].job, job);
    let stored_job = w.store.jobs().into_iter().find(|j| j.id == job).unwrap();
    assert!(matches!(stored_job.state, JobState::Done { .. }));
    assert_eq!(stored_job.attempts, 3);
    let forwarded = run(w
        .engine
        .timeline(TimelineScope::Conversation(s.conversation)))
    .unwrap()
    .iter()
    .filter(|e| e.kind.name() == "reply_forwarded")
    .count();
    assert_eq!(forwarded, 1);
}

#[test]
fn a_permanent_failure_is_dead_lettered_and_kept() {
    let w = world();
    let (s, _) = reply_after(&w, |w| w.mailer.fail_next_permanently(1));
    let ForwardStatus::Dead { job, error } = s.forward else {
        panic!("expected dead-lettered, got {:?}", s.forward);
    };
    assert!(error.contains("told to fail"));
    let kept = w.store.jobs().into_iter().find(|j| j.id == job).unwrap();
    assert!(matches!(kept.state, JobState::Dead { .. }));
    assert_eq!(kept.last_error.as_deref(), Some(error.as_str()));
}

#[test]
fn after_the_last_attempt_the_forward_is_dead_lettered() {
    let mut config = EngineConfig::default();
    config.retry.max_attempts = 2;
    let w = world_with(config);
    let (s, now) = reply_after(&w, |w| w.mailer.fail_next(5));
    assert!(matches!(s.forward, ForwardStatus::Queued { .. }));
    let reports = run(w.engine.run_forwards(10, now + Duration::hours(1))).unwrap();
    assert!(matches!(reports[0].status, ForwardStatus::Dead { .. }));
    assert!(
        run(w.engine.run_forwards(10, now + Duration::days(1)))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn with_inline_forwarding_off_the_worker_sends_it() {
    let config = EngineConfig {
        forward_inline: false,
        ..EngineConfig::default()
    };
    let w = world_with(config);
    let (s, now) = reply_once(&w);
    assert!(matches!(s.forward, ForwardStatus::Queued { .. }));
    assert_eq!(w.mailer.sent().len(), 1, "only the outbound email so far");
    let reports = run(w.engine.run_forwards(10, now)).unwrap();
    assert_eq!(reports[0].status, ForwardStatus::Sent { to: OWNER.into() });
    assert_eq!(reports[0].message, s.message);
}

#[test]
fn a_worker_that_died_holding_the_lease_is_replaced_after_the_lease_ends() {
    let config = EngineConfig {
        forward_inline: false,
        ..EngineConfig::default()
    };
    let w = world_with(config);
    let (_, now) = reply_once(&w);
    use replytrack::ports::Store;
    // A worker claims the job and dies.
    let claimed = run(w
        .store
        .claim_jobs(JobKind::Forward, 1, now, Duration::minutes(5)))
    .unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(
        run(w.engine.run_forwards(10, now + Duration::minutes(4)))
            .unwrap()
            .is_empty()
    );
    let reports = run(w.engine.run_forwards(10, now + Duration::minutes(5))).unwrap();
    assert_eq!(reports[0].status, ForwardStatus::Sent { to: OWNER.into() });
    // The dead worker's late completion is refused: its lease was lost.
    let late = run(w.store.complete_job(
        claimed[0].job.id,
        claimed[0].attempt(),
        now + Duration::minutes(6),
        Default::default(),
    ));
    assert!(late.is_err());
}

#[test]
fn forwards_go_to_the_custom_reply_to_when_one_is_set() {
    let w = world();
    let account = w
        .engine
        .account()
        .clone()
        .custom_reply_to("support@helpdesk.example")
        .unwrap();
    let engine = replytrack::engine::Engine::builder(
        authority(),
        replytrack::address::AddressFormat::new(DOMAIN).unwrap(),
        account,
    )
    .store(w.store.clone())
    .mailer(w.mailer.clone())
    .build()
    .unwrap();
    let w = World { engine, ..w };
    let (s, _) = reply_once(&w);
    assert_eq!(
        s.forward,
        ForwardStatus::Sent {
            to: "support@helpdesk.example".into()
        }
    );
    assert_eq!(
        w.mailer.sent().last().unwrap().recipients,
        ["support@helpdesk.example"]
    );
}

#[test]
fn every_stored_reply_queues_an_analysis_job() {
    let w = world();
    let (s, _) = reply_once(&w);
    let analysis: Vec<_> = w
        .store
        .jobs()
        .into_iter()
        .filter(|j| j.kind == JobKind::Analysis)
        .collect();
    assert_eq!(analysis.len(), 1);
    assert_eq!(analysis[0].message, s.message);
    assert_eq!(analysis[0].state, JobState::Queued);
}

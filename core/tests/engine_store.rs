//! The in-memory store keeps the invariants a database store enforces: commits are
//! all-or-nothing, dedupe keys and tokens are unique, one current conversation per customer,
//! versions fence concurrent updates, and leases fence job workers.

mod engine_support;

use chrono::Duration;
use engine_support::*;
use replytrack::conversation::{
    Channel, Conversation, JobId, JobKind, JobState, MessageId, NewCustomer, NewJob, OpenedBy,
};
use replytrack::ports::{
    Commit, CommitOutcome, Conflict, DedupeKey, JobRetry, Store, StoreError, Write,
};
use replytrack::store::MemoryStore;

fn customer_commit(email: &str) -> (replytrack::conversation::Customer, Commit) {
    let c = NewCustomer::new(email)
        .build(monday_morning())
        .expect("a valid customer");
    let commit = Commit {
        customers: vec![Write::Insert(c.clone())],
        ..Commit::default()
    };
    (c, commit)
}

#[test]
fn a_refused_commit_writes_nothing() {
    let s = MemoryStore::new();
    let (marie, commit) = customer_commit("marie@x.fr");
    run(s.commit(commit)).unwrap();
    // A second customer with the same address, plus a conversation: all refused together.
    let (other, mut commit) = customer_commit("MARIE@x.fr");
    commit.conversations.push(Write::Insert(Conversation::new(
        other.id,
        Channel::Email,
        OpenedBy::Contact,
        None,
        monday_morning(),
    )));
    let err = run(s.commit(commit)).unwrap_err();
    assert!(matches!(
        err,
        StoreError::Conflict(Conflict::EmailTaken { customer, .. }) if customer == marie.id
    ));
    assert!(run(s.customer(other.id)).unwrap().is_none());
    assert!(run(s.active_conversation(other.id)).unwrap().is_none());
}

#[test]
fn a_dedupe_key_is_stored_once() {
    let s = MemoryStore::new();
    let key = DedupeKey::new("mid:abc@x.fr");
    let first = Commit {
        dedupe_key: Some(key.clone()),
        ..Commit::default()
    };
    assert_eq!(
        run(s.commit(first.clone())).unwrap(),
        CommitOutcome::Applied
    );
    assert_eq!(
        run(s.commit(first)).unwrap(),
        CommitOutcome::Duplicate { existing: None }
    );
    let long = DedupeKey::new(&"x".repeat(5_000));
    assert!(long.as_str().len() <= DedupeKey::MAX_LEN);
}

#[test]
fn a_second_current_conversation_for_a_customer_is_refused() {
    let s = MemoryStore::new();
    let (c, commit) = customer_commit("max@x.de");
    run(s.commit(commit)).unwrap();
    let open = |_: u8| {
        Conversation::new(
            c.id,
            Channel::Email,
            OpenedBy::Contact,
            None,
            monday_morning(),
        )
    };
    let first = open(1);
    run(s.commit(Commit {
        conversations: vec![Write::Insert(first.clone())],
        ..Commit::default()
    }))
    .unwrap();
    let err = run(s.commit(Commit {
        conversations: vec![Write::Insert(open(2))],
        ..Commit::default()
    }))
    .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Conflict(Conflict::ActiveConversation { existing, .. }) if existing == first.id
    ));
    // Resolving the first and opening the second in one commit is fine.
    let mut resolved = run(s.conversation(first.id)).unwrap().unwrap();
    resolved.status = replytrack::conversation::ConversationStatus::Resolved;
    let second = open(3);
    run(s.commit(Commit {
        conversations: vec![Write::update(resolved, 1), Write::Insert(second.clone())],
        ..Commit::default()
    }))
    .unwrap();
    assert_eq!(
        run(s.active_conversation(c.id)).unwrap().unwrap().id,
        second.id
    );
}

#[test]
fn an_update_from_a_stale_read_is_refused() {
    let s = MemoryStore::new();
    let (c, commit) = customer_commit("ana@x.br");
    run(s.commit(commit)).unwrap();
    let read = run(s.customer(c.id)).unwrap().unwrap();
    let mut a = read.clone();
    a.name = Some("Ana".into());
    run(s.commit(Commit {
        customers: vec![Write::update(a, read.version)],
        ..Commit::default()
    }))
    .unwrap();
    let mut b = read.clone();
    b.name = Some("Ana Souza".into());
    let err = run(s.commit(Commit {
        customers: vec![Write::update(b, read.version)],
        ..Commit::default()
    }))
    .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Conflict(Conflict::Version {
            expected: 1,
            found: 2,
            ..
        })
    ));
}

#[test]
fn jobs_are_leased_to_one_worker_retried_and_dead_lettered() {
    let s = MemoryStore::new();
    let now = monday_morning();
    let id = JobId::generate(now);
    run(s.commit(Commit {
        jobs: vec![NewJob {
            id,
            kind: JobKind::Analysis,
            message: MessageId::generate(now),
            run_at: now,
            max_attempts: 2,
        }],
        ..Commit::default()
    }))
    .unwrap();
    let lease = Duration::minutes(1);
    let a = run(s.claim_jobs(JobKind::Analysis, 10, now, lease)).unwrap();
    assert_eq!(a.len(), 1);
    assert!(
        run(s.claim_jobs(JobKind::Analysis, 10, now, lease))
            .unwrap()
            .is_empty()
    );
    assert!(
        run(s.claim_jobs(JobKind::Forward, 10, now, lease))
            .unwrap()
            .is_empty()
    );
    let state = run(s.fail_job(
        id,
        a[0].attempt(),
        "model timed out",
        JobRetry::At(now + lease),
        now,
    ))
    .unwrap();
    assert_eq!(state, JobState::Queued);
    // Failing again with the same (now stale) attempt is refused.
    assert!(matches!(
        run(s.fail_job(id, a[0].attempt(), "again", JobRetry::DeadLetter, now)),
        Err(StoreError::LeaseLost { .. })
    ));
    let b = run(s.claim_job(id, now + lease, lease)).unwrap().unwrap();
    assert_eq!(b.attempt(), 2);
    // The worker dies; when the lease ends its attempts are spent, so the job is dead-lettered.
    assert!(
        run(s.claim_jobs(JobKind::Analysis, 10, now + lease * 3, lease))
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        run(s.job(id)).unwrap().unwrap().state,
        JobState::Dead { .. }
    ));
}

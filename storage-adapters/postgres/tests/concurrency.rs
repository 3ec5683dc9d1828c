//! The concurrency cases on PostgreSQL, through the engine where the engine is what
//! races: the database's rules must hold with many writers at once.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use common::{customer_with_email, engine, now, reply};
use replytrack::conversation::{Direction, JobKind, JobState, MessageId, NewJob};
use replytrack::engine::{EngineConfig, IngestOutcome};
use replytrack::ports::{Commit, ConversationQuery, Store};
use replytrack_postgres::testing::ScratchSchema;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_concurrent_deliveries_of_one_webhook_store_one_message() {
    let Some(db) = ScratchSchema::with("same_webhook", |b| b.pool_size(16)).await else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(db.store().clone());
    let engine = engine(store.clone(), EngineConfig::default());
    let sent = customer_with_email(&engine, "marie@example.fr", true).await;
    let webhook = reply(&sent, "r1@mail.example.fr", "Oui, merci !");
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let engine = engine.clone();
            let webhook = webhook.clone();
            tokio::spawn(async move { engine.ingest(webhook, now()).await })
        })
        .collect();
    let mut stored = Vec::new();
    let mut duplicates = Vec::new();
    for t in tasks {
        match t.await {
            Ok(Ok(IngestOutcome::Stored(s))) => stored.push(s.message),
            Ok(Ok(IngestOutcome::Duplicate { existing })) => duplicates.push(existing),
            other => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!(stored.len(), 1, "exactly one delivery stores the message");
    assert_eq!(duplicates.len(), 15);
    assert!(
        duplicates.iter().all(|d| *d == Some(stored[0])),
        "every duplicate names the stored message: {duplicates:?}"
    );
    let conversation = sent
        .conversation
        .unwrap_or_else(|| panic!("a conversation"));
    let inbound: Vec<MessageId> = store
        .messages(conversation)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m.direction == Direction::Inbound)
        .map(|m| m.id)
        .collect();
    assert_eq!(inbound, stored);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_concurrent_first_messages_from_a_new_contact_open_one_conversation() {
    let Some(db) = ScratchSchema::with("first_messages", |b| b.pool_size(16)).await else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(db.store().clone());
    // Sixteen writers racing for one customer's rows: each round one wins and the rest re-read,
    // so the engine needs up to sixteen tries (the default of six is for ordinary contention).
    let config = EngineConfig {
        conflict_retries: 24,
        ..EngineConfig::default()
    };
    let engine = engine(store.clone(), config);
    let sent = customer_with_email(&engine, "paul@example.fr", false).await;
    assert_eq!(
        sent.conversation, None,
        "the contact has no conversation yet"
    );
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let engine = engine.clone();
            let msg = reply(&sent, &format!("first-{i}@mail.example.fr"), "Bonjour !");
            tokio::spawn(async move { engine.ingest(msg, now()).await })
        })
        .collect();
    let mut conversations = Vec::new();
    let mut opened = 0;
    for t in tasks {
        match t.await {
            Ok(Ok(IngestOutcome::Stored(s))) => {
                conversations.push(s.conversation);
                opened += usize::from(s.opened);
            }
            other => panic!("unexpected outcome: {other:?}"),
        }
    }
    conversations.dedup();
    assert_eq!(
        conversations.len(),
        1,
        "every message lands in one conversation"
    );
    assert_eq!(opened, 1, "one delivery opened it");
    let customer = sent.message.customer;
    let all = store
        .conversations(&ConversationQuery {
            customer: Some(customer),
            ..ConversationQuery::default()
        })
        .await
        .unwrap_or_default();
    assert_eq!(all.len(), 1);
    assert_eq!(
        store
            .active_conversation(customer)
            .await
            .ok()
            .flatten()
            .map(|c| c.id),
        Some(conversations[0])
    );
    assert_eq!(
        store
            .messages(conversations[0])
            .await
            .map(|m| m.len())
            .unwrap_or_default(),
        16
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_workers_on_four_instances_drain_a_thousand_jobs_each_exactly_once() {
    let Some(db) = ScratchSchema::new("drain").await else {
        return;
    };
    let mut ids = Vec::new();
    for _ in 0..10 {
        let jobs: Vec<NewJob> = (0..100)
            .map(|_| common::job(JobKind::Analysis, MessageId::generate(now()), 3))
            .collect();
        ids.extend(jobs.iter().map(|j| j.id));
        let out = db
            .store()
            .commit(Commit {
                jobs,
                ..Commit::default()
            })
            .await;
        assert!(out.is_ok(), "{out:?}");
    }
    let runs: Arc<Mutex<HashMap<replytrack::conversation::JobId, u32>>> = Arc::default();
    let mut workers = Vec::new();
    for _ in 0..4 {
        // Each worker is its own app instance, with its own pool.
        let store = db
            .another_instance(|b| b.pool_size(2))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let runs = runs.clone();
        workers.push(tokio::spawn(async move {
            let lease = chrono::Duration::seconds(300);
            loop {
                let claimed = store
                    .claim_jobs(JobKind::Analysis, 10, now(), lease)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                if claimed.is_empty() {
                    break;
                }
                for l in claimed {
                    if let Ok(mut r) = runs.lock() {
                        *r.entry(l.job.id).or_default() += 1;
                    }
                    store
                        .complete_job(l.job.id, l.attempt(), now(), Commit::default())
                        .await
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }));
    }
    for w in workers {
        assert!(w.await.is_ok());
    }
    let runs = runs.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(runs.len(), 1_000, "every job ran");
    assert!(runs.values().all(|n| *n == 1), "no job ran twice");
    for id in ids.iter().step_by(97) {
        assert_eq!(
            db.store().job(*id).await.ok().flatten().map(|j| j.state),
            Some(JobState::Done { at: now() })
        );
    }
}

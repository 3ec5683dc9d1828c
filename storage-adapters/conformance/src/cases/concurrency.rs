//! Many writers at once: the invariants hold because the store enforces them, not because the
//! callers took turns. Engine cases run [`Engine::ingest`] from 16 tasks on a two-thread
//! runtime.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, JobKind, JobState, NewCustomer};
use replytrack::engine::{Engine, EngineConfig, IngestOutcome, OutboundDraft};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::ports::{
    Commit, CommitOutcome, Conflict, DedupeKey, Store, StoreError, TimelineScope, Write,
};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

use crate::fixtures::*;

const DOMAIN: &str = "reply.acme.example";
const TASKS: usize = 16;

fn engine(store: Arc<dyn Store>, config: EngineConfig) -> Arc<Engine> {
    let secret = Secret::from_bytes(&[7; 32]).unwrap_or_else(|e| panic!("secret: {e}"));
    let key = KeyId::new(0).unwrap_or_else(|| panic!("key id 0 is valid"));
    let authority = TokenAuthority::builder(Keyring::single(key, secret))
        .domain(DOMAIN)
        .build()
        .unwrap_or_else(|e| panic!("authority: {e}"));
    let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example")
        .unwrap_or_else(|e| panic!("account: {e}"));
    let format = AddressFormat::new(DOMAIN).unwrap_or_else(|e| panic!("format: {e}"));
    Arc::new(
        Engine::builder(authority, format, account)
            .store(store)
            .mailer(Arc::new(MemoryMailer::new()))
            .config(config)
            .build()
            .unwrap_or_else(|e| panic!("engine: {e}")),
    )
}

/// Run `TASKS` copies of a task at once and collect their results.
async fn together<T, F, Fut>(task: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let handles: Vec<_> = (0..TASKS).map(|i| tokio::spawn(task(i))).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap_or_else(|e| panic!("a task panicked: {e}")));
    }
    out
}

/// 16 deliveries of the same webhook at once store the reply once; the others are told it is a
/// duplicate of that message.
pub async fn concurrent_deliveries_of_one_webhook_store_one_message(store: Arc<dyn Store>) {
    let e = engine(store.clone(), EngineConfig::default());
    let marie = e
        .add_customer(NewCustomer::new("marie@example.fr"), t0())
        .await
        .unwrap_or_else(|err| panic!("customer: {err}"));
    let (email, _) = e
        .send(
            marie.id,
            OutboundDraft::new("Votre essai", "Bonjour !").start_conversation(),
            t0(),
        )
        .await
        .unwrap_or_else(|err| panic!("send: {err}"));
    let reply = InboundMessage {
        message_id: Some("webhook-1@example.fr".into()),
        from: Some(Mailbox::new("marie@example.fr")),
        to: vec![Mailbox::new(email.reply_address.clone())],
        subject: Some("Re: Votre essai".into()),
        text_body: Some("Oui, merci !".into()),
        ..InboundMessage::default()
    };
    let outcomes = together(|_| {
        let e = e.clone();
        let reply = reply.clone();
        async move { e.ingest(reply, at(60)).await }
    })
    .await;
    let mut stored = Vec::new();
    let mut duplicates = Vec::new();
    for o in outcomes {
        match o {
            Ok(IngestOutcome::Stored(s)) => stored.push(s.message),
            Ok(IngestOutcome::Duplicate { existing }) => duplicates.push(existing),
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!(stored.len(), 1);
    assert!(duplicates.iter().all(|d| *d == Some(stored[0])));
    let conv = email
        .conversation
        .unwrap_or_else(|| panic!("the email started a conversation"));
    let thread = ok("messages", store.messages(conv).await);
    let inbound: Vec<_> = thread
        .iter()
        .filter(|m| m.direction == replytrack::conversation::Direction::Inbound)
        .collect();
    assert_eq!(inbound.len(), 1);
    assert_eq!(inbound[0].id, stored[0]);
}

/// 16 different first messages from the same contact at once all land in one conversation,
/// opened by exactly one of them.
pub async fn concurrent_first_messages_from_a_contact_open_one_conversation(store: Arc<dyn Store>) {
    let config = EngineConfig {
        conflict_retries: 64,
        forward_inline: false,
        ..EngineConfig::default()
    };
    let e = engine(store.clone(), config);
    let ana = e
        .add_customer(NewCustomer::new("ana@lojasouza.com.br"), t0())
        .await
        .unwrap_or_else(|err| panic!("customer: {err}"));
    let outcomes = together(|i| {
        let e = e.clone();
        let msg = InboundMessage {
            message_id: Some(format!("first-{i}@lojasouza.com.br")),
            from: Some(Mailbox::new("ana@lojasouza.com.br")),
            to: vec![Mailbox::new("hello@acme.example")],
            text_body: Some(format!("Olá, mensagem {i}")),
            ..InboundMessage::default()
        };
        async move { e.ingest(msg, at(60)).await }
    })
    .await;
    let mut conversations = BTreeSet::new();
    let mut opened = 0;
    for o in outcomes {
        match o {
            Ok(IngestOutcome::Stored(s)) => {
                conversations.insert(s.conversation);
                opened += usize::from(s.opened);
            }
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!(conversations.len(), 1);
    assert_eq!(opened, 1);
    let conv = *conversations
        .first()
        .unwrap_or_else(|| panic!("one conversation"));
    assert_eq!(
        ok("active", store.active_conversation(ana.id).await).map(|c| c.id),
        Some(conv)
    );
    assert_eq!(ok("messages", store.messages(conv).await).len(), TASKS);
}

/// 4 workers claiming batches from a queue of 1 000 jobs run each job exactly once.
pub async fn four_workers_drain_a_thousand_jobs_each_exactly_once(store: Arc<dyn Store>) {
    let c = stored_customer(store.as_ref(), "queue").await;
    let mut all = Vec::new();
    for batch in 0..10 {
        let jobs: Vec<_> = (0..100)
            .map(|i| job(JobKind::Analysis, at(batch * 100 + i), 3))
            .collect();
        all.extend(jobs.iter().map(|j| j.id));
        apply(
            store.as_ref(),
            Commit {
                jobs,
                ..Commit::default()
            },
        )
        .await;
    }
    let now = at(10_000);
    let ran = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let store = store.clone();
            let ran = ran.clone();
            tokio::spawn(async move {
                loop {
                    let leases = ok(
                        "claim",
                        store
                            .claim_jobs(JobKind::Analysis, 8, now, Duration::minutes(5))
                            .await,
                    );
                    if leases.is_empty() {
                        break;
                    }
                    for l in leases {
                        let done = Commit {
                            events: vec![event(c.id, None, now, &format!("worker {w}"))],
                            ..Commit::default()
                        };
                        ok(
                            "complete",
                            store.complete_job(l.job.id, l.attempt(), now, done).await,
                        );
                        if let Ok(mut r) = ran.lock() {
                            r.push(l.job.id);
                        }
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap_or_else(|e| panic!("a worker panicked: {e}"));
    }
    let mut ran = ran.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(ran.len(), 1_000, "every job ran once, none twice");
    ran.sort();
    all.sort();
    assert_eq!(ran, all);
    for id in all.iter().step_by(97) {
        let j = ok("job", store.job(*id).await).unwrap_or_else(|| panic!("stored"));
        assert_eq!((j.state, j.attempts), (JobState::Done { at: now }, 1));
    }
    assert_eq!(
        ok(
            "timeline",
            store.timeline(TimelineScope::Customer(c.id)).await
        )
        .len(),
        1_000
    );
}

/// 16 commits carrying the same dedupe key at once: one is applied, the others are duplicates
/// of its message.
pub async fn concurrent_commits_with_one_dedupe_key_apply_once(store: Arc<dyn Store>) {
    let (c, conv) = stored_conversation(store.as_ref(), "race", at(0)).await;
    let key = DedupeKey::new("<same@example.com>");
    let messages: Vec<_> = (0..TASKS)
        .map(|i| message(c.id, Some(conv.id), None, &format!("copy {i}"), at(1)))
        .collect();
    let outcomes = together(|i| {
        let store = store.clone();
        let commit = Commit {
            dedupe_key: Some(key.clone()),
            messages: vec![Write::Insert(messages[i].clone())],
            ..Commit::default()
        };
        async move { store.commit(commit).await }
    })
    .await;
    let thread = ok("messages", store.messages(conv.id).await);
    assert_eq!(thread.len(), 1);
    let winner = thread[0].id;
    let mut applied = 0;
    for o in outcomes {
        match o {
            Ok(CommitOutcome::Applied) => applied += 1,
            Ok(CommitOutcome::Duplicate { existing }) => assert_eq!(existing, Some(winner)),
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    assert_eq!(applied, 1);
}

/// 16 workers claiming the same job at once: one gets it.
pub async fn concurrent_claims_of_one_job_lease_it_once(store: Arc<dyn Store>) {
    let j = job(JobKind::Forward, at(0), 3);
    apply(
        store.as_ref(),
        Commit {
            jobs: vec![j.clone()],
            ..Commit::default()
        },
    )
    .await;
    let claims = together(|_| {
        let store = store.clone();
        async move { store.claim_job(j.id, at(1), Duration::minutes(5)).await }
    })
    .await;
    let won: Vec<_> = claims.into_iter().filter_map(|c| ok("claim", c)).collect();
    assert_eq!(won.len(), 1);
    assert_eq!(won[0].attempt(), 1);
}

/// 16 updates made from the same read at once: one is applied, the others see its version.
pub async fn concurrent_updates_from_one_read_let_one_win(store: Arc<dyn Store>) {
    let (_, conv) = stored_conversation(store.as_ref(), "edit", at(0)).await;
    let results = together(|i| {
        let store = store.clone();
        let mut edit = conv.clone();
        edit.assignee = Some(format!("agent{i}"));
        async move {
            store
                .commit(Commit {
                    conversations: vec![Write::update(edit, 1)],
                    ..Commit::default()
                })
                .await
        }
    })
    .await;
    let mut applied = 0;
    for r in results {
        match r {
            Ok(CommitOutcome::Applied) => applied += 1,
            Err(StoreError::Conflict(Conflict::Version {
                expected: 1,
                found: 2,
                ..
            })) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(applied, 1);
    assert_eq!(read_conversation(store.as_ref(), conv.id).await.version, 2);
}

/// 16 commits each opening a new conversation for the same customer at once: one is applied,
/// the others are refused naming it.
pub async fn concurrent_conversation_opens_for_one_customer_let_one_win(store: Arc<dyn Store>) {
    let c = stored_customer(store.as_ref(), "opens").await;
    let convs: Vec<_> = (0..TASKS).map(|_| conversation(c.id, at(1))).collect();
    let results = together(|i| {
        let store = store.clone();
        let commit = Commit {
            conversations: vec![Write::Insert(convs[i].clone())],
            ..Commit::default()
        };
        async move { store.commit(commit).await }
    })
    .await;
    let active = ok("active", store.active_conversation(c.id).await)
        .unwrap_or_else(|| panic!("one conversation is current"));
    let mut applied = 0;
    for r in results {
        match r {
            Ok(CommitOutcome::Applied) => applied += 1,
            Err(StoreError::Conflict(Conflict::ActiveConversation { existing, .. })) => {
                assert_eq!(existing, active.id);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(applied, 1);
}

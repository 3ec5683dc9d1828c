//! The PostgreSQL store (issue 6).
//!
//! - `store_postgres/ingest`: `Engine::ingest` of replies (token verify and lookup, sender check,
//!   extraction, the commit, the inline forward through claim + complete), 16 at a time, into a
//!   fresh schema;
//! - `store_postgres/inbox`: conversation lists (newest activity first, 50 per page: no filter,
//!   by status, by assignee, by label, by team and status, the next page by cursor, a search for
//!   two common words, a search for a rare one) on a seeded schema;
//! - `store_postgres/timeline`: a conversation's timeline, a customer's timeline and a
//!   conversation's messages on the same schema;
//! - `store_postgres/claim`: 4 workers, each its own store instance, claiming batches of 10 jobs
//!   and completing each.
//!
//! Before the criterion groups run, the inbox and timeline reads are also timed one by one (1 000
//! each) and their p50/p95/p99 printed, since criterion reports means.
//!
//! Needs PostgreSQL at `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`); when it
//! is unreachable the benchmark prints `SKIPPED: …` and measures nothing (with `CI=true` it
//! panics). The seed is `REPLYTRACK_BENCH_CONVERSATIONS` conversations (default 100 000; each
//! customer has a resolved one and a current one), each with
//! `REPLYTRACK_BENCH_MESSAGES_PER_CONVERSATION` messages (default 10, so 1 000 000; 12 words of a
//! 50-word vocabulary and an order reference out of 20 000 each) and one timeline event per
//! message, written through `Store::commit` in batches of 500 conversations
//! (`REPLYTRACK_BENCH_CONVERSATIONS=0` skips the seeded groups). Every schema is dropped at the
//! end (`REPLYTRACK_BENCH_KEEP_SCHEMA=1` keeps the seeded one for inspection). The seeded tables
//! are `ANALYZE`d, as autovacuum would (it is off on this machine).
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, JobId, JobKind, MessageId, NewCustomer, NewJob};
use replytrack::engine::{ComposedEmail, Engine, IngestOutcome, OutboundDraft};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::ports::{Commit, ConversationCursor, ConversationQuery, Store, TimelineScope};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
use replytrack_postgres::testing::ScratchSchema;
use tokio::runtime::Runtime;

#[path = "store_postgres/seed.rs"]
mod seed;

const DOMAIN: &str = "reply.acme.example";
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .expect("valid time")
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn engine(store: Arc<dyn Store>) -> Engine {
    let secret = Secret::from_bytes(&[7; 32]).expect("secret");
    let authority = TokenAuthority::builder(Keyring::single(KeyId::new(0).expect("key"), secret))
        .domain(DOMAIN)
        .build()
        .expect("authority");
    let account =
        AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example").expect("account");
    Engine::builder(
        authority,
        AddressFormat::new(DOMAIN).expect("format"),
        account,
    )
    .store(store)
    .mailer(Arc::new(MemoryMailer::new()))
    .build()
    .expect("engine")
}

fn reply(to: &ComposedEmail, n: u64) -> InboundMessage {
    InboundMessage {
        message_id: Some(format!("pg-bench-{n}@mail.example.fr")),
        in_reply_to: vec![to.email.message_id.clone()],
        references: vec![to.email.message_id.clone()],
        from: Some(Mailbox::with_name("Client", to.message.to[0].clone())),
        to: vec![Mailbox::new(to.reply_address.clone())],
        subject: Some("Re: Votre essai Acme".into()),
        text_body: Some(
            "Bonjour,\n\nNous aimerions passer au forfait Pro. Pouvez-vous m'envoyer un devis ?\n\n\
             Cordialement,\nMarie\n\nLe mar. 3 mars 2026, Acme <hello@acme.example> a écrit :\n\
             > Votre essai se termine dans 3 jours.\n"
                .into(),
        ),
        ..InboundMessage::default()
    }
}

/// p50, p95 and p99 of `n` runs of `op`, each timed alone.
fn percentiles<F, Fut>(rt: &Runtime, name: &str, n: usize, mut op: F)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut samples: Vec<Duration> = Vec::with_capacity(n);
    rt.block_on(async {
        for i in 0..n {
            let started = Instant::now();
            op(i).await;
            samples.push(started.elapsed());
        }
    });
    samples.sort();
    let at = |p: usize| samples[(samples.len() * p / 100).min(samples.len() - 1)];
    println!(
        "{name:<40} p50 {:>7.3} ms  p95 {:>7.3} ms  p99 {:>7.3} ms  ({n} runs)",
        at(50).as_secs_f64() * 1e3,
        at(95).as_secs_f64() * 1e3,
        at(99).as_secs_f64() * 1e3,
    );
}

fn inbox_queries(cursor: ConversationCursor) -> Vec<(&'static str, ConversationQuery)> {
    vec![
        ("inbox/all", ConversationQuery::default()),
        (
            "inbox/open",
            ConversationQuery {
                status: Some("open".into()),
                ..ConversationQuery::default()
            },
        ),
        (
            "inbox/assignee",
            ConversationQuery {
                assignee: Some("agent7".into()),
                ..ConversationQuery::default()
            },
        ),
        (
            "inbox/label",
            ConversationQuery {
                label: Some("vip".into()),
                ..ConversationQuery::default()
            },
        ),
        (
            "inbox/team_open",
            ConversationQuery {
                team: Some("billing".into()),
                status: Some("open".into()),
                ..ConversationQuery::default()
            },
        ),
        (
            "inbox/next_page",
            ConversationQuery {
                after: Some(cursor),
                ..ConversationQuery::default()
            },
        ),
        (
            "inbox/search_common",
            ConversationQuery {
                text: Some("devis remboursement".into()),
                ..ConversationQuery::default()
            },
        ),
        (
            "inbox/search_rare",
            ConversationQuery {
                text: Some("ref4242".into()),
                ..ConversationQuery::default()
            },
        ),
    ]
}

fn reads(c: &mut Criterion) {
    let rt = runtime();
    let n: usize = std::env::var("REPLYTRACK_BENCH_CONVERSATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    if n == 0 {
        return;
    }
    let per: usize = std::env::var("REPLYTRACK_BENCH_MESSAGES_PER_CONVERSATION")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let Some(seeded) = seed::seed(&rt, n, per) else {
        return;
    };
    let store = seeded.db.store().clone();
    let first_page = rt
        .block_on(store.conversations(&ConversationQuery::default()))
        .expect("first page");
    let cursor = ConversationCursor::of(first_page.last().expect("a full first page"));
    let queries = inbox_queries(cursor);
    for (name, q) in &queries {
        let store = store.clone();
        let runs = if name.starts_with("inbox/search") {
            200
        } else {
            1_000
        };
        percentiles(&rt, name, runs, |_| {
            let store = store.clone();
            let q = q.clone();
            async move {
                std::hint::black_box(store.conversations(&q).await.expect("list"));
            }
        });
    }
    let convs = &seeded.conversations;
    let custs = &seeded.customers;
    let pick = |i: usize, len: usize| (i.wrapping_mul(7_919) + 13) % len;
    percentiles(&rt, "timeline/conversation", 1_000, |i| {
        let store = store.clone();
        let id = convs[pick(i, convs.len())];
        async move {
            std::hint::black_box(
                store
                    .timeline(TimelineScope::Conversation(id))
                    .await
                    .expect("timeline"),
            );
        }
    });
    percentiles(&rt, "timeline/customer", 1_000, |i| {
        let store = store.clone();
        let id = custs[pick(i, custs.len())];
        async move {
            std::hint::black_box(
                store
                    .timeline(TimelineScope::Customer(id))
                    .await
                    .expect("timeline"),
            );
        }
    });
    percentiles(&rt, "timeline/messages", 1_000, |i| {
        let store = store.clone();
        let id = convs[pick(i, convs.len())];
        async move {
            std::hint::black_box(store.messages(id).await.expect("messages"));
        }
    });

    let mut group = c.benchmark_group("store_postgres/inbox");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(500));
    for (name, q) in &queries {
        group.bench_function(name.trim_start_matches("inbox/"), |b| {
            b.iter(|| rt.block_on(store.conversations(q)).expect("list"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("store_postgres/timeline");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(500));
    let mut i = 0usize;
    group.bench_function("conversation", |b| {
        b.iter(|| {
            i += 1;
            let id = convs[pick(i, convs.len())];
            rt.block_on(store.timeline(TimelineScope::Conversation(id)))
                .expect("timeline")
        })
    });
    group.bench_function("customer", |b| {
        b.iter(|| {
            i += 1;
            let id = custs[pick(i, custs.len())];
            rt.block_on(store.timeline(TimelineScope::Customer(id)))
                .expect("timeline")
        })
    });
    group.finish();
    if std::env::var("REPLYTRACK_BENCH_KEEP_SCHEMA").is_ok_and(|v| v == "1") {
        println!("kept schema {} for inspection", seeded.db.schema());
        std::mem::forget(seeded);
    }
}

fn ingest(c: &mut Criterion) {
    let rt = runtime();
    let Some(db) = rt.block_on(ScratchSchema::with("bench_ingest", |b| b.pool_size(16))) else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(db.store().clone());
    let engine = engine(store);
    let sent: Arc<Vec<ComposedEmail>> = Arc::new(rt.block_on(async {
        let mut sent = Vec::new();
        for i in 0..200 {
            let c = engine
                .add_customer(
                    NewCustomer::new(format!("customer{i}@example.fr")).name(format!("Client {i}")),
                    now(),
                )
                .await
                .expect("customer");
            let (composed, _) = engine
                .send(
                    c.id,
                    OutboundDraft::new("Votre essai Acme", "Bonjour, votre essai se termine.")
                        .start_conversation(),
                    now(),
                )
                .await
                .expect("composed");
            sent.push(composed);
        }
        sent
    }));
    let counter = Arc::new(AtomicU64::new(0));
    let mut group = c.benchmark_group("store_postgres/ingest");
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.warm_up_time(Duration::from_secs(1));
    group.bench_function("reply_stored_16_concurrent", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let done = Arc::new(AtomicU64::new(0));
                let started = Instant::now();
                let tasks: Vec<_> = (0..16)
                    .map(|_| {
                        let engine = engine.clone();
                        let sent = sent.clone();
                        let done = done.clone();
                        let counter = counter.clone();
                        tokio::spawn(async move {
                            while done.fetch_add(1, Ordering::Relaxed) < iters {
                                let n = counter.fetch_add(1, Ordering::Relaxed);
                                let to = &sent[(n % sent.len() as u64) as usize];
                                let out = engine.ingest(reply(to, n), now()).await;
                                assert!(matches!(out, Ok(IngestOutcome::Stored(_))), "{out:?}");
                            }
                        })
                    })
                    .collect();
                for t in tasks {
                    t.await.expect("ingest task");
                }
                started.elapsed()
            })
        })
    });
    group.finish();
    println!(
        "ingested {} replies in total",
        counter.load(Ordering::Relaxed)
    );
}

fn claim(c: &mut Criterion) {
    let rt = runtime();
    let Some(db) = rt.block_on(ScratchSchema::new("bench_claim")) else {
        return;
    };
    let workers: Vec<_> = (0..4)
        .map(|_| {
            rt.block_on(db.another_instance(|b| b.pool_size(2)))
                .expect("instance")
        })
        .collect();
    let mut group = c.benchmark_group("store_postgres/claim");
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.warm_up_time(Duration::from_secs(1));
    group.bench_function("4_workers_batches_of_10", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let mut left = iters as usize;
                while left > 0 {
                    let n = left.min(1_000);
                    let jobs = (0..n)
                        .map(|_| NewJob {
                            id: JobId::generate(now()),
                            kind: JobKind::Analysis,
                            message: MessageId::generate(now()),
                            run_at: now(),
                            max_attempts: 3,
                        })
                        .collect();
                    db.store()
                        .commit(Commit {
                            jobs,
                            ..Commit::default()
                        })
                        .await
                        .expect("enqueue");
                    left -= n;
                }
                let claimed = Arc::new(AtomicUsize::new(0));
                let started = Instant::now();
                let tasks: Vec<_> = workers
                    .iter()
                    .map(|w| {
                        let w = w.clone();
                        let claimed = claimed.clone();
                        tokio::spawn(async move {
                            loop {
                                let leases = w
                                    .claim_jobs(
                                        JobKind::Analysis,
                                        10,
                                        now(),
                                        chrono::Duration::minutes(5),
                                    )
                                    .await
                                    .expect("claim");
                                if leases.is_empty() {
                                    break;
                                }
                                for l in leases {
                                    w.complete_job(l.job.id, l.attempt(), now(), Commit::default())
                                        .await
                                        .expect("complete");
                                    claimed.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                        })
                    })
                    .collect();
                for t in tasks {
                    t.await.expect("worker");
                }
                assert_eq!(claimed.load(Ordering::Relaxed), iters as usize);
                started.elapsed()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, ingest, claim, reads);
criterion_main!(benches);

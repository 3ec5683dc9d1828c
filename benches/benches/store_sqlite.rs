//! The SQLite store: ingest throughput, inbox-list / timeline / search latency on a large seeded
//! database, and job-claim throughput with 4 workers.
//!
//! - `sqlite_ingest/reply_stored`: `Engine::ingest` of a reply (token lookup, extraction, the
//!   commit of message + events + conversation + jobs, the inline forward: claim, send to an
//!   in-memory mailer, complete) into a WAL file with `synchronous = NORMAL`.
//! - `sqlite_read/*`: one query each on a database seeded once (and kept under
//!   `target/tmp/replytrack-bench-sqlite/`) with `REPLYTRACK_BENCH_CONVERSATIONS` conversations
//!   (default 100 000) of `REPLYTRACK_BENCH_MESSAGES` messages each (default 10), one timeline
//!   event per message. Besides criterion's means, p50/p95/p99 over 2 000 random queries of each
//!   kind are printed.
//! - `sqlite_jobs/claim_complete_4_workers`: 4 threads draining a queue, each claiming 10 jobs at
//!   a time and completing them; time per job.
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use replytrack::address::AddressFormat;
use replytrack::conversation::{
    AccountSettings, Channel, Conversation, ConversationId, ConversationStatus, CustomerId,
    Direction, EventKind, JobId, JobKind, Message, MessageId, NewCustomer, NewJob, OpenedBy,
    TimelineEvent,
};
use replytrack::engine::{ComposedEmail, Engine, IngestOutcome, OutboundDraft};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::ports::{
    Commit, ConversationCursor, ConversationQuery, Store, TimelineScope, Write,
};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
use replytrack_sqlite::{Execution, SqliteOptions, SqliteStore};

const DOMAIN: &str = "reply.acme.example";
const BODY: &str = "Bonjour,\n\nMerci pour votre message. Nous envoyons environ 5 000 emails par \
mois et nous aimerions passer au forfait Pro. Pouvez-vous m'envoyer un devis ?\n\nCordialement,\n\
Marie\n\nLe mar. 3 mars 2026 à 10:12, Acme <hello@acme.example> a écrit :\n> Bonjour Marie,\n>\n\
> Votre essai se termine dans 3 jours.\n";
/// Words in about 40% of the messages each (the worst case for search).
const WORDS: &[&str] = &[
    "invoice",
    "shipping",
    "delay",
    "refund",
    "pricing",
    "plan",
    "upgrade",
    "contract",
    "renewal",
    "meeting",
    "demo",
    "trial",
    "discount",
    "integration",
    "export",
    "password",
    "login",
    "billing",
    "order",
    "question",
    "thanks",
    "urgent",
    "feedback",
    "report",
];
/// Topic words `t0`…`t1999`: two per message, so each is in about one message in 1 000.
const TOPICS: usize = 2_000;
const AGENTS: usize = 20;
const LABELS: &[&str] = &[
    "vip",
    "billing",
    "bug",
    "lead",
    "churn-risk",
    "partner",
    "press",
    "legal",
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .expect("valid time")
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

fn dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("replytrack-bench-sqlite");
    std::fs::create_dir_all(&d).expect("bench directory");
    d
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.to_path_buf().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Whether a benchmark group is selected by the command line's filter (`cargo bench -- FILTER`):
/// the set-up of unselected groups (seeding, percentiles) is skipped too.
fn wanted(group: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty()
        || filters
            .iter()
            .any(|f| group.contains(f.as_str()) || f.starts_with(group))
}

/// A tiny deterministic generator (xorshift), so the seeded data is the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

// ---------------------------------------------------------------- ingest

fn engine(store: Arc<SqliteStore>) -> (Engine, Vec<ComposedEmail>) {
    let secret = Secret::from_bytes(&[7; 32]).expect("secret");
    let authority = TokenAuthority::builder(Keyring::single(KeyId::new(0).expect("key"), secret))
        .domain(DOMAIN)
        .build()
        .expect("authority");
    let account =
        AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example").expect("account");
    let engine = Engine::builder(
        authority,
        AddressFormat::new(DOMAIN).expect("format"),
        account,
    )
    .store(store)
    .mailer(Arc::new(MemoryMailer::new()))
    .build()
    .expect("engine");
    let mut sent = Vec::new();
    for i in 0..200 {
        let c = block(engine.add_customer(
            NewCustomer::new(format!("customer{i}@example.fr")).name(format!("Client {i}")),
            now(),
        ))
        .expect("customer");
        let (composed, _) = block(
            engine.send(
                c.id,
                OutboundDraft::new("Votre essai Acme", "Bonjour, votre essai se termine.")
                    .start_conversation(),
                now(),
            ),
        )
        .expect("composed");
        sent.push(composed);
    }
    (engine, sent)
}

fn reply(to: &ComposedEmail, n: u64) -> InboundMessage {
    InboundMessage {
        message_id: Some(format!("bench-{n}@mail.example.fr")),
        in_reply_to: vec![to.email.message_id.clone()],
        references: vec![to.email.message_id.clone()],
        from: Some(Mailbox::with_name("Client", to.message.to[0].clone())),
        to: vec![Mailbox::new(to.reply_address.clone())],
        subject: Some("Re: Votre essai Acme".into()),
        text_body: Some(BODY.into()),
        ..InboundMessage::default()
    }
}

fn ingest(c: &mut Criterion) {
    if !wanted("sqlite_ingest") {
        return;
    }
    let mut group = c.benchmark_group("sqlite_ingest");
    group.throughput(Throughput::Elements(1));
    for (name, execution) in [
        ("threads", Execution::Threads),
        ("caller_thread", Execution::CallerThread),
    ] {
        let path = dir().join(format!("ingest-{name}.db"));
        remove_db(&path);
        let options = SqliteOptions::new().execution(execution);
        let store = Arc::new(SqliteStore::open_with(&path, options).expect("store"));
        let (engine, sent) = engine(store);
        let mut n = 0u64;
        group.bench_function(format!("reply_stored/{name}"), |b| {
            b.iter(|| {
                n += 1;
                let to = &sent[(n % sent.len() as u64) as usize];
                let out = block(engine.ingest(reply(to, n), now()));
                assert!(matches!(out, Ok(IngestOutcome::Stored(_))));
                black_box(out)
            })
        });
        let dup = reply(&sent[0], 0);
        block(engine.ingest(dup.clone(), now())).expect("first copy");
        group.bench_function(format!("duplicate/{name}"), |b| {
            b.iter(|| {
                let out = block(engine.ingest(dup.clone(), now()));
                assert!(matches!(out, Ok(IngestOutcome::Duplicate { .. })));
                black_box(out)
            })
        });
    }
    group.finish();
}

// ---------------------------------------------------------------- seeded reads

struct Seeded {
    store: SqliteStore,
    conversations: Vec<(ConversationId, CustomerId)>,
}

fn message(
    customer: CustomerId,
    conv: ConversationId,
    at: DateTime<Utc>,
    rng: &mut Rng,
) -> Message {
    let words: Vec<&str> = (0..8).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    let body = format!(
        "{} t{} t{} {}",
        words.join(" "),
        rng.below(TOPICS),
        rng.below(TOPICS),
        &BODY[..120]
    );
    Message {
        id: MessageId::generate(at),
        customer,
        conversation: Some(conv),
        direction: if rng.below(2) == 0 {
            Direction::Inbound
        } else {
            Direction::Outbound
        },
        kind: None,
        party: None,
        author: None,
        from: Some("client@example.fr".into()),
        to: vec!["hello@acme.example".into()],
        cc: Vec::new(),
        subject: Some(format!("Re: {}", words[0])),
        preview: replytrack::conversation::preview(&body),
        body,
        html: None,
        reply: None,
        attachments: Vec::new(),
        token: None,
        rfc_message_id: None,
        in_reply_to: Vec::new(),
        references: Vec::new(),
        delivery: None,
        provider_message_id: None,
        created_at: at,
        sent_at: None,
        version: 0,
    }
}

/// Open the seeded database, building it first when it is missing or of another size.
fn seeded() -> Seeded {
    let n_conv = env_usize("REPLYTRACK_BENCH_CONVERSATIONS", 100_000);
    let per = env_usize("REPLYTRACK_BENCH_MESSAGES", 10);
    let path = dir().join(format!("seeded-v2-{n_conv}x{per}.db"));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let ready = path.exists()
        && SqliteStore::open(&path)
            .ok()
            .and_then(|s| block(s.stats()).ok())
            .is_some_and(|s| {
                s.conversations == n_conv as u64 && s.messages == (n_conv * per) as u64
            });
    if !ready {
        remove_db(&path);
        let store = SqliteStore::open(&path).expect("store");
        let started = Instant::now();
        let batch = 200;
        for start in (0..n_conv).step_by(batch) {
            let mut commit = Commit::default();
            for i in start..(start + batch).min(n_conv) {
                let created = now() - Duration::minutes(rng.below(525_600) as i64);
                let c = NewCustomer::new(format!("seed{i}@example.com"))
                    .build(created)
                    .expect("customer");
                let mut conv = Conversation::new(
                    c.id,
                    if i % 10 == 0 {
                        Channel::Manual
                    } else {
                        Channel::Email
                    },
                    OpenedBy::Contact,
                    Some(format!(
                        "About {} and {}",
                        WORDS[rng.below(WORDS.len())],
                        WORDS[rng.below(WORDS.len())]
                    )),
                    created,
                );
                conv.status = match rng.below(10) {
                    0..=2 => ConversationStatus::Open,
                    3..=4 => ConversationStatus::Pending,
                    5 => ConversationStatus::Snoozed {
                        until: now() + Duration::hours(rng.below(100) as i64),
                    },
                    _ => ConversationStatus::Resolved,
                };
                conv.assignee = Some(format!("agent{}", rng.below(AGENTS)));
                conv.team = Some(format!("team{}", rng.below(5)));
                if rng.below(3) == 0 {
                    conv.labels
                        .insert(LABELS[rng.below(LABELS.len())].to_string());
                }
                let mut at = created;
                for _ in 0..per {
                    at += Duration::minutes(1 + rng.below(600) as i64);
                    let m = message(c.id, conv.id, at, &mut rng);
                    commit.events.push(TimelineEvent::new(
                        c.id,
                        Some(conv.id),
                        Some(m.id),
                        at,
                        EventKind::ReplyReceived {
                            from: "client@example.fr".into(),
                            subject: m.subject.clone(),
                            text: m.preview.clone(),
                            lang: Some("fr".into()),
                        },
                    ));
                    commit.messages.push(Write::Insert(m));
                }
                conv.note_inbound(at);
                commit.customers.push(Write::Insert(c));
                commit.conversations.push(Write::Insert(conv));
            }
            block(store.commit(commit)).expect("seed commit");
        }
        eprintln!(
            "seeded {n_conv} conversations, {} messages in {:.1} s",
            n_conv * per,
            started.elapsed().as_secs_f64()
        );
    }
    let store = SqliteStore::open(&path).expect("store");
    let mut conversations = Vec::new();
    let mut after = None;
    loop {
        let page = block(store.conversations(&ConversationQuery {
            limit: 5_000,
            after,
            ..ConversationQuery::default()
        }))
        .expect("page");
        let Some(last) = page.last() else { break };
        after = Some(ConversationCursor::of(last));
        conversations.extend(page.iter().map(|c| (c.id, c.customer)));
    }
    Seeded {
        store,
        conversations,
    }
}

/// p50 / p95 / p99 of up to `runs` calls of `f` (fewer when they pass 5 s), printed.
fn percentiles(name: &str, runs: usize, mut f: impl FnMut(usize)) {
    let budget = Instant::now();
    let mut times: Vec<StdDuration> = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i);
        times.push(t.elapsed());
        if i >= 50 && budget.elapsed() > StdDuration::from_secs(5) {
            break;
        }
    }
    times.sort();
    let n = times.len();
    let at = |q: f64| times[((n as f64 * q) as usize).min(n - 1)];
    eprintln!(
        "{name}: {n} runs, p50 {:?}  p95 {:?}  p99 {:?}",
        at(0.50),
        at(0.95),
        at(0.99)
    );
}

/// Makes one query of a kind, with random parameters.
type QueryMaker = Box<dyn Fn(&mut Rng) -> ConversationQuery>;

fn reads(c: &mut Criterion) {
    if !wanted("sqlite_read") {
        return;
    }
    let s = seeded();
    let store = &s.store;
    let convs = &s.conversations;
    let mut rng = Rng(42);
    let queries: Vec<(&str, QueryMaker)> = vec![
        (
            "inbox_first_page",
            Box::new(|_| ConversationQuery::default()),
        ),
        (
            "status_open_page",
            Box::new(|_| ConversationQuery {
                status: Some("open".into()),
                ..ConversationQuery::default()
            }),
        ),
        (
            "assignee_page",
            Box::new(|r| ConversationQuery {
                assignee: Some(format!("agent{}", r.below(AGENTS))),
                ..ConversationQuery::default()
            }),
        ),
        (
            "assignee_and_status_page",
            Box::new(|r| ConversationQuery {
                assignee: Some(format!("agent{}", r.below(AGENTS))),
                status: Some("open".into()),
                ..ConversationQuery::default()
            }),
        ),
        (
            "label_page",
            Box::new(|r| ConversationQuery {
                label: Some(LABELS[r.below(LABELS.len())].into()),
                ..ConversationQuery::default()
            }),
        ),
        (
            "search_rare_word_page",
            Box::new(|r| ConversationQuery {
                text: Some(format!("t{}", r.below(TOPICS))),
                ..ConversationQuery::default()
            }),
        ),
        (
            "search_common_words_page",
            Box::new(|r| ConversationQuery {
                text: Some(format!(
                    "{} {}",
                    WORDS[r.below(WORDS.len())],
                    WORDS[r.below(WORDS.len())]
                )),
                ..ConversationQuery::default()
            }),
        ),
    ];
    let deep_cursor = {
        let (id, _) = convs[convs.len() / 2];
        let c = block(store.conversation(id))
            .expect("read")
            .expect("stored");
        ConversationCursor::of(&c)
    };
    let mut group = c.benchmark_group("sqlite_read");
    for (name, q) in &queries {
        percentiles(name, 2_000, |_| {
            black_box(block(store.conversations(&q(&mut rng))).expect("list"));
        });
        group.bench_function(*name, |b| {
            b.iter(|| black_box(block(store.conversations(&q(&mut rng))).expect("list")))
        });
    }
    let deep = ConversationQuery {
        after: Some(deep_cursor),
        ..ConversationQuery::default()
    };
    percentiles("inbox_page_50000_deep", 2_000, |_| {
        black_box(block(store.conversations(&deep)).expect("list"));
    });
    group.bench_function("inbox_page_50000_deep", |b| {
        b.iter(|| black_box(block(store.conversations(&deep)).expect("list")))
    });
    let pick = |rng: &mut Rng| convs[rng.below(convs.len())];
    percentiles("timeline_conversation", 2_000, |_| {
        let (id, _) = pick(&mut rng);
        black_box(block(store.timeline(TimelineScope::Conversation(id))).expect("timeline"));
    });
    group.bench_function("timeline_conversation", |b| {
        b.iter(|| {
            let (id, _) = pick(&mut rng);
            black_box(block(store.timeline(TimelineScope::Conversation(id))).expect("timeline"))
        })
    });
    percentiles("timeline_customer", 2_000, |_| {
        let (_, cus) = pick(&mut rng);
        black_box(block(store.timeline(TimelineScope::Customer(cus))).expect("timeline"));
    });
    group.bench_function("timeline_customer", |b| {
        b.iter(|| {
            let (_, cus) = pick(&mut rng);
            black_box(block(store.timeline(TimelineScope::Customer(cus))).expect("timeline"))
        })
    });
    percentiles("messages_of_conversation", 2_000, |_| {
        let (id, _) = pick(&mut rng);
        black_box(block(store.messages(id)).expect("messages"));
    });
    group.bench_function("messages_of_conversation", |b| {
        b.iter(|| {
            let (id, _) = pick(&mut rng);
            black_box(block(store.messages(id)).expect("messages"))
        })
    });
    group.finish();
}

// ---------------------------------------------------------------- job queue

/// Enqueue `n` jobs, then let 4 threads drain them (claim 10, complete each); the elapsed time.
fn drain(store: &Arc<SqliteStore>, n: usize, round: u64) -> StdDuration {
    let at = now() + Duration::seconds(round as i64);
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let jobs = chunk
            .iter()
            .map(|_| NewJob {
                id: JobId::generate(at),
                kind: JobKind::Analysis,
                message: MessageId::generate(at),
                run_at: at,
                max_attempts: 3,
            })
            .collect();
        block(store.commit(Commit {
            jobs,
            ..Commit::default()
        }))
        .expect("enqueue");
    }
    let started = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            std::thread::spawn(move || {
                let mut done = 0;
                loop {
                    let leases =
                        block(store.claim_jobs(JobKind::Analysis, 10, at, Duration::minutes(5)))
                            .expect("claim");
                    if leases.is_empty() {
                        return done;
                    }
                    for l in leases {
                        block(store.complete_job(l.job.id, l.attempt(), at, Commit::default()))
                            .expect("complete");
                        done += 1;
                    }
                }
            })
        })
        .collect();
    let total: usize = workers.into_iter().map(|w| w.join().expect("worker")).sum();
    assert_eq!(total, n);
    started.elapsed()
}

fn jobs(c: &mut Criterion) {
    if !wanted("sqlite_jobs") {
        return;
    }
    let path = dir().join("jobs.db");
    remove_db(&path);
    let store = Arc::new(SqliteStore::open(&path).expect("store"));
    let mut round = 0;
    let t = drain(&store, 4_000, round);
    eprintln!(
        "4 workers drained 4 000 jobs in {:?}: {:.0} jobs/s",
        t,
        4_000.0 / t.as_secs_f64()
    );
    let mut group = c.benchmark_group("sqlite_jobs");
    group.throughput(Throughput::Elements(1));
    group.bench_function("claim_complete_4_workers", |b| {
        b.iter_custom(|iters| {
            round += 1;
            let n = (iters as usize).max(40);
            let t = drain(&store, n, round);
            t.mul_f64(iters as f64 / n as f64)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(StdDuration::from_secs(3));
    targets = ingest, reads, jobs
}
criterion_main!(benches);

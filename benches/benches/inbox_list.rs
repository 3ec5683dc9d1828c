//! Inbox listing on the SQLite store: `Engine::inbox` pages (rows with contact, labels, latest
//! message and markers, one statement each) over 100 000 conversations and 1 000 000 messages.
//!
//! The database is seeded once and kept under `target/tmp/replytrack-bench-sqlite/`
//! (`inbox-v1-{conversations}x{messages}.db`, sizes from `REPLYTRACK_BENCH_CONVERSATIONS`,
//! default 100 000, and `REPLYTRACK_BENCH_MESSAGES`, default 10); a later run reuses it. Each
//! query kind is run up to 2 000 times with random parameters (within 5 s) and p50/p95/p99 are
//! printed; then criterion measures a few of them.
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use replytrack::address::AddressFormat;
use replytrack::analysis::{Analysis, ResponseType};
use replytrack::conversation::{
    AccountSettings, Channel, Conversation, ConversationStatus, CustomerId, Direction, Message,
    MessageId, NewCustomer, OpenedBy, Priority,
};
use replytrack::engine::Engine;
use replytrack::ports::{
    Commit, ConversationCursor, ConversationQuery, InboxQuery, InboxTab, Store, Write,
};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
use replytrack_sqlite::SqliteStore;

const DOMAIN: &str = "reply.acme.example";
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
/// Topic words `t0`…`t1999`: one per message, so each is in about one message in 2 000.
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
const TEXT: &str = "Bonjour, merci pour votre message. Nous envoyons environ 5 000 emails par \
mois et nous aimerions passer au forfait Pro. Pouvez-vous m'envoyer un devis ? Cordialement, Marie";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .expect("valid time")
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.to_path_buf().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
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

fn message(
    customer: CustomerId,
    conv: &Conversation,
    at: DateTime<Utc>,
    last: bool,
    rng: &mut Rng,
) -> Message {
    let body = format!(
        "{} {} t{} {}",
        WORDS[rng.below(WORDS.len())],
        WORDS[rng.below(WORDS.len())],
        rng.below(TOPICS),
        TEXT
    );
    let direction = match rng.below(10) {
        0 if last => Direction::Note,
        0..=4 => Direction::Inbound,
        _ => Direction::Outbound,
    };
    let analysis = (direction == Direction::Inbound && rng.below(4) == 0).then(|| Analysis {
        response_type: match rng.below(3) {
            0 => ResponseType::Standard,
            1 => ResponseType::HighValue,
            _ => ResponseType::NeedsAttention,
        },
        ..Analysis::default()
    });
    Message {
        id: MessageId::generate(at),
        customer,
        conversation: Some(conv.id),
        direction,
        kind: None,
        party: None,
        author: None,
        from: Some("client@example.fr".into()),
        to: vec!["hello@acme.example".into()],
        cc: Vec::new(),
        subject: None,
        preview: replytrack::conversation::preview(&body),
        body,
        html: None,
        reply: None,
        analysis,
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

fn seed(store: &SqliteStore, n_conv: usize, per: usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    let batch = 200;
    for start in (0..n_conv).step_by(batch) {
        let mut commit = Commit::default();
        for i in start..(start + batch).min(n_conv) {
            let created = now() - Duration::minutes(rng.below(525_600) as i64);
            let mut c = NewCustomer::new(format!("seed{i}@example.com"))
                .name(format!("Client {i}"))
                .build(created)
                .expect("customer");
            c.phone = (i % 5 == 0).then(|| format!("+3361{i:07}"));
            let mut conv = Conversation::new(
                c.id,
                if i % 5 == 0 {
                    Channel::Whatsapp
                } else {
                    Channel::Email
                },
                OpenedBy::Contact,
                Some(format!("About {}", WORDS[rng.below(WORDS.len())])),
                created,
            );
            conv.status = match rng.below(10) {
                0..=2 => ConversationStatus::Open,
                3..=4 => ConversationStatus::Pending,
                _ => ConversationStatus::Resolved,
            };
            if rng.below(10) >= 3 {
                conv.assignee = Some(format!("agent{}", rng.below(AGENTS)));
            }
            conv.team = Some(format!("team{}", rng.below(5)));
            conv.priority = match rng.below(8) {
                0 => Priority::Urgent,
                1 => Priority::High,
                2 => Priority::Low,
                _ => Priority::None,
            };
            if rng.below(3) == 0 {
                conv.labels
                    .insert(LABELS[rng.below(LABELS.len())].to_string());
            }
            let mut at = created;
            for k in 0..per {
                at += Duration::minutes(1 + rng.below(600) as i64);
                let m = message(c.id, &conv, at, k + 1 == per, &mut rng);
                match m.direction {
                    Direction::Inbound => conv.note_inbound(at),
                    Direction::Outbound => conv.note_outbound(at),
                    _ => {}
                }
                commit.messages.push(Write::Insert(m));
            }
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

/// The seeded store (built when missing or of another size) and a cursor 50 000 rows deep.
fn seeded() -> (Arc<SqliteStore>, ConversationCursor) {
    let n_conv = env_usize("REPLYTRACK_BENCH_CONVERSATIONS", 100_000);
    let per = env_usize("REPLYTRACK_BENCH_MESSAGES", 10);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("replytrack-bench-sqlite");
    std::fs::create_dir_all(&dir).expect("bench directory");
    let path = dir.join(format!("inbox-v1-{n_conv}x{per}.db"));
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
        seed(&store, n_conv, per);
    }
    let store = Arc::new(SqliteStore::open(&path).expect("store"));
    let depth = (n_conv / 2).max(1);
    let mut after = None;
    let mut walked = 0;
    while walked < depth {
        let page = block(store.conversations(&ConversationQuery {
            limit: 5_000.min(depth - walked),
            after,
            ..ConversationQuery::default()
        }))
        .expect("page");
        let Some(last) = page.last() else { break };
        after = Some(ConversationCursor::of(last));
        walked += page.len();
    }
    (store, after.expect("a deep cursor"))
}

fn engine(store: Arc<SqliteStore>) -> Engine {
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

type QueryMaker = Box<dyn Fn(&mut Rng) -> InboxQuery>;

fn inbox(c: &mut Criterion) {
    let (store, deep) = seeded();
    let engine = engine(store);
    let queries: Vec<(&str, QueryMaker)> = vec![
        ("all_first_page", Box::new(|_| InboxQuery::default())),
        (
            "mine_first_page",
            Box::new(|r| InboxQuery {
                tab: InboxTab::Mine(format!("agent{}", r.below(AGENTS))),
                ..InboxQuery::default()
            }),
        ),
        (
            "unassigned_open_first_page",
            Box::new(|_| InboxQuery {
                tab: InboxTab::Unassigned,
                status: Some("open".into()),
                ..InboxQuery::default()
            }),
        ),
        (
            "deep_cursor_page",
            Box::new(move |_| InboxQuery {
                after: Some(deep),
                ..InboxQuery::default()
            }),
        ),
        (
            "label_first_page",
            Box::new(|r| InboxQuery {
                labels: vec![LABELS[r.below(LABELS.len())].into()],
                ..InboxQuery::default()
            }),
        ),
        (
            "label_deep_cursor_page",
            Box::new(move |r| InboxQuery {
                labels: vec![LABELS[r.below(LABELS.len())].into()],
                after: Some(deep),
                ..InboxQuery::default()
            }),
        ),
        (
            "whatsapp_urgent_page",
            Box::new(|_| InboxQuery {
                channel: Some(Channel::Whatsapp),
                priority: Some(Priority::Urgent),
                ..InboxQuery::default()
            }),
        ),
        (
            "response_type_high_value_page",
            Box::new(|_| InboxQuery {
                response_type: Some(ResponseType::HighValue),
                ..InboxQuery::default()
            }),
        ),
        (
            "search_rare_word_page",
            Box::new(|r| InboxQuery {
                text: Some(format!("t{}", r.below(TOPICS))),
                ..InboxQuery::default()
            }),
        ),
        (
            "search_common_word_page",
            Box::new(|r| InboxQuery {
                text: Some(WORDS[r.below(WORDS.len())].into()),
                ..InboxQuery::default()
            }),
        ),
        (
            "search_with_label_page",
            Box::new(|r| InboxQuery {
                text: Some(WORDS[r.below(WORDS.len())].into()),
                labels: vec![LABELS[r.below(LABELS.len())].into()],
                ..InboxQuery::default()
            }),
        ),
    ];
    let mut rng = Rng(42);
    for (name, make) in &queries {
        percentiles(name, 2_000, |_| {
            let q = make(&mut rng);
            let page = block(engine.inbox(q)).expect("inbox page");
            black_box(page);
        });
    }
    let mut group = c.benchmark_group("inbox_list");
    group.sample_size(30);
    for (name, make) in queries.iter().filter(|(n, _)| {
        matches!(
            *n,
            "all_first_page" | "deep_cursor_page" | "label_first_page" | "search_rare_word_page"
        )
    }) {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(block(engine.inbox(make(&mut rng)))).expect("page"))
        });
    }
    group.finish();
}

criterion_group!(benches, inbox);
criterion_main!(benches);

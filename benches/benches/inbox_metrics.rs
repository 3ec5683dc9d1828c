//! Inbox metrics over a large memory store.
//!
//! - `inbox_metrics/engine_metrics_week`: `Engine::metrics` over one week for
//!   `REPLYTRACK_BENCH_CONVERSATIONS` conversations (default 100 000) seeded in a `MemoryStore`,
//!   each with its opening, assignment, a contact message, an answer and (every other one) a
//!   resolution, spread over the week: the paged conversation reads, one timeline read per
//!   conversation, the per-conversation measure in calendar and business hours (Paris,
//!   weekdays 09:00–18:00), and the aggregation.
//! - `inbox_metrics/report_only`: the aggregation alone, over the precomputed per-conversation
//!   metrics.
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use replytrack::address::AddressFormat;
use replytrack::conversation::{
    AccountSettings, Channel, Conversation, ConversationStatus, EventKind, NewCustomer, OpenedBy,
    Party, TimelineEvent,
};
use replytrack::engine::Engine;
use replytrack::inbox::metrics::{Period, report};
use replytrack::inbox::{InboxSettings, Schedule};
use replytrack::ports::{Commit, ConversationQuery, Store, Write};
use replytrack::store::{MemoryMailer, MemoryStore};
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

const DOMAIN: &str = "reply.acme.example";

fn conversations() -> usize {
    std::env::var("REPLYTRACK_BENCH_CONVERSATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0)
        .single()
        .expect("a valid instant")
}

fn schedule() -> Schedule {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("valid time");
    Schedule::builder(replytrack::conversation::Tz::Europe__Paris)
        .weekdays(t(9), t(18))
        .expect("valid hours")
        .build()
}

fn seed(n: usize) -> Arc<MemoryStore> {
    let store = Arc::new(MemoryStore::new());
    let start = monday();
    let agents = ["ana", "bob", "chloe", "dan", "eve"];
    let mut commit = Commit::default();
    for i in 0..n {
        let at = start + Duration::seconds((i as i64 * 7 * 86_400) / n.max(1) as i64);
        let customer = NewCustomer::new(format!("c{i}@example.fr"))
            .build(at)
            .expect("valid address");
        let channel = if i % 4 == 0 {
            Channel::Manual
        } else {
            Channel::Email
        };
        let mut conv = Conversation::new(customer.id, channel, OpenedBy::Contact, None, at);
        let agent = agents[i % agents.len()].to_string();
        conv.assignee = Some(agent.clone());
        let answered = at + Duration::minutes(17 + (i % 600) as i64);
        conv.note_inbound(at);
        conv.note_outbound(answered);
        let ev = |t, kind| TimelineEvent::new(customer.id, Some(conv.id), None, t, kind);
        let mut events = vec![
            ev(
                at,
                EventKind::ConversationOpened {
                    source: OpenedBy::Contact,
                    channel,
                },
            ),
            ev(
                at,
                EventKind::Assigned {
                    assignee: Some(agent),
                    team: None,
                },
            ),
            ev(
                at,
                EventKind::ManualReplyLogged {
                    party: Party::Contact,
                    author: None,
                    text: "Bonjour".into(),
                },
            ),
            ev(
                answered,
                EventKind::ManualReplyLogged {
                    party: Party::Business,
                    author: None,
                    text: "Voici".into(),
                },
            ),
        ];
        if i % 2 == 0 {
            let resolved = answered + Duration::hours(1);
            conv.status = ConversationStatus::Resolved;
            conv.resolved_at = Some(resolved);
            events.push(ev(
                resolved,
                EventKind::StatusChanged {
                    from: ConversationStatus::Pending,
                    to: ConversationStatus::Resolved,
                    cause: "resolve".into(),
                },
            ));
        } else {
            conv.status = ConversationStatus::Pending;
        }
        commit.customers.push(Write::Insert(customer));
        commit.conversations.push(Write::Insert(conv));
        commit.events.extend(events);
        if commit.conversations.len() >= 1_000 {
            futures::executor::block_on(store.commit(std::mem::take(&mut commit)))
                .expect("seed commit");
        }
    }
    if !commit.is_empty() {
        futures::executor::block_on(store.commit(commit)).expect("seed commit");
    }
    store
}

fn engine(store: Arc<MemoryStore>) -> Engine {
    let keys = Keyring::single(
        KeyId::new(0).expect("key id"),
        Secret::from_bytes(&[7; 32]).expect("secret"),
    );
    let authority = TokenAuthority::builder(keys)
        .domain(DOMAIN)
        .build()
        .expect("authority");
    let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example")
        .expect("addresses")
        .time_zone(replytrack::conversation::Tz::Europe__Paris);
    Engine::builder(
        authority,
        AddressFormat::new(DOMAIN).expect("domain"),
        account,
    )
    .store(store)
    .mailer(Arc::new(MemoryMailer::new()))
    .inbox(InboxSettings::new().schedule(schedule()))
    .build()
    .expect("engine")
}

fn bench(c: &mut Criterion) {
    let n = conversations();
    let store = seed(n);
    let e = engine(store);
    let week = Period {
        start: monday(),
        end: monday() + Duration::days(7),
    };
    let all = ConversationQuery::default();
    let first = futures::executor::block_on(e.metrics(week, &all)).expect("metrics");
    assert_eq!(
        first.opened as usize, n,
        "every seeded conversation counted"
    );
    println!(
        "inbox_metrics: {n} conversations, first response {:?}, resolution rate {:?}",
        first.first_response, first.resolution_rate
    );
    let per = futures::executor::block_on(e.conversation_metrics_in(week, &all, &e.schedule()))
        .expect("per-conversation metrics");

    let mut g = c.benchmark_group("inbox_metrics");
    g.sample_size(10)
        .measurement_time(StdDuration::from_secs(20))
        .throughput(Throughput::Elements(n as u64));
    g.bench_function("engine_metrics_week", |b| {
        b.iter(|| black_box(futures::executor::block_on(e.metrics(week, &all)).expect("metrics")))
    });
    let sched = e.schedule();
    g.bench_function("report_only", |b| {
        b.iter(|| black_box(report(&per, week, &sched)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! The seeded schema of the PostgreSQL benchmark: customers with a resolved and a current
//! conversation each, messages and timeline events, written through `Store::commit`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::DateTime;
use chrono::Utc;
use replytrack::conversation::{
    Channel, Conversation, ConversationId, ConversationStatus, CustomerId, Direction, EventKind,
    Message, MessageId, OpenedBy, TimelineEvent,
};
use replytrack::ports::{Commit, Store, Write};
use replytrack_postgres::testing::ScratchSchema;
use tokio::runtime::Runtime;

use super::now;

const WORDS: &[&str] = &[
    "bonjour",
    "merci",
    "devis",
    "prix",
    "forfait",
    "pro",
    "essai",
    "facture",
    "question",
    "livraison",
    "commande",
    "retard",
    "remboursement",
    "contrat",
    "renouvellement",
    "rendez",
    "vous",
    "demain",
    "semaine",
    "équipe",
    "support",
    "urgent",
    "problème",
    "connexion",
    "compte",
    "mot",
    "passe",
    "export",
    "import",
    "données",
    "invoice",
    "order",
    "refund",
    "shipping",
    "delay",
    "account",
    "login",
    "password",
    "upgrade",
    "plan",
    "price",
    "quote",
    "trial",
    "meeting",
    "tomorrow",
    "thanks",
    "hello",
    "issue",
    "billing",
    "team",
];
const AGENTS: usize = 20;
const TEAMS: &[&str] = &["sales", "support", "billing", "onboarding", "success"];
const LABELS: &[&str] = &[
    "vip", "lead", "churn", "bug", "feature", "billing", "partner", "press", "spam", "legal",
];

/// A small deterministic generator (xorshift), so every run seeds the same data.
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
    fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| WORDS[self.below(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
    /// A body: common words, and an order reference from a long tail (`ref0` … `ref19999`).
    fn body(&mut self) -> String {
        format!(
            "{} ref{} {}",
            self.words(6),
            self.below(20_000),
            self.words(6)
        )
    }
}

fn seeded_message(
    customer: CustomerId,
    conversation: &Conversation,
    body: String,
    at: DateTime<Utc>,
) -> Message {
    Message {
        id: MessageId::generate(at),
        customer,
        conversation: Some(conversation.id),
        direction: Direction::Inbound,
        kind: None,
        party: None,
        author: None,
        from: Some("client@example.fr".into()),
        to: vec!["hello@acme.example".into()],
        cc: Vec::new(),
        subject: conversation.subject.clone(),
        preview: replytrack::conversation::preview(&body),
        body,
        html: None,
        reply: None,
        analysis: None,
        attachments: Vec::new(),
        token: None,
        rfc_message_id: None,
        in_reply_to: Vec::new(),
        references: Vec::new(),
        delivery: None,
        provider_message_id: None,
        created_at: at,
        sent_at: Some(at),
        version: 0,
    }
}

/// One commit's worth of seed: `pairs` customers with a resolved and a current conversation
/// each, `per_conversation` messages per conversation and one timeline event per message.
fn seed_batch(
    batch: u64,
    pairs: usize,
    per_conversation: usize,
) -> (Commit, Vec<ConversationId>, Vec<CustomerId>) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (batch + 1).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let mut commit = Commit::default();
    let mut convs = Vec::new();
    let mut customers = Vec::new();
    for _ in 0..pairs {
        let customer = CustomerId::generate(now());
        customers.push(customer);
        for current in [false, true] {
            let created = now() - chrono::Duration::minutes(rng.below(525_600) as i64);
            let subject = Some(rng.words(4));
            let mut c = Conversation::new(
                customer,
                Channel::Email,
                OpenedBy::Contact,
                subject,
                created,
            );
            c.status = if current {
                match rng.below(4) {
                    0 => ConversationStatus::Pending,
                    1 => ConversationStatus::Snoozed {
                        until: now() + chrono::Duration::hours(rng.below(96) as i64),
                    },
                    _ => ConversationStatus::Open,
                }
            } else {
                ConversationStatus::Resolved
            };
            if rng.below(3) > 0 {
                c.assignee = Some(format!("agent{}", rng.below(AGENTS)));
                c.team = Some(TEAMS[rng.below(TEAMS.len())].to_string());
            }
            if rng.below(2) == 0 {
                c.labels.insert(LABELS[rng.below(LABELS.len())].to_string());
            }
            let mut at = created;
            for _ in 0..per_conversation {
                at += chrono::Duration::minutes(1 + rng.below(600) as i64);
                let body = rng.body();
                let m = seeded_message(customer, &c, body.clone(), at);
                commit.events.push(TimelineEvent::new(
                    customer,
                    Some(c.id),
                    Some(m.id),
                    at,
                    EventKind::ReplyReceived {
                        from: "client@example.fr".into(),
                        subject: c.subject.clone(),
                        text: body,
                        lang: Some("fr".into()),
                    },
                ));
                commit.messages.push(Write::Insert(m));
            }
            c.last_inbound_at = Some(at);
            convs.push(c.id);
            // The resolved one first: the current one may then be inserted.
            commit.conversations.push(Write::Insert(c));
        }
    }
    (commit, convs, customers)
}

/// A seeded schema and what is in it.
pub struct Seeded {
    /// The schema (dropped with it).
    pub db: ScratchSchema,
    /// Every conversation.
    pub conversations: Vec<ConversationId>,
    /// Every customer.
    pub customers: Vec<CustomerId>,
}

pub fn seed(rt: &Runtime, conversations: usize, per_conversation: usize) -> Option<Seeded> {
    rt.block_on(async {
        let db = ScratchSchema::with("bench_seed", |b| b.pool_size(8)).await?;
        let started = Instant::now();
        let pairs_per_batch = 250;
        let batches = conversations.div_ceil(2 * pairs_per_batch) as u64;
        let next = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let store = db.store().clone();
            let next = next.clone();
            tasks.push(tokio::spawn(async move {
                let mut convs = Vec::new();
                let mut custs = Vec::new();
                loop {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b >= batches {
                        break;
                    }
                    let (commit, c, k) = seed_batch(b, pairs_per_batch, per_conversation);
                    store.commit(commit).await.expect("seed commit");
                    convs.extend(c);
                    custs.extend(k);
                }
                (convs, custs)
            }));
        }
        let mut all_convs = Vec::new();
        let mut all_custs = Vec::new();
        for t in tasks {
            let (c, k) = t.await.expect("seed task");
            all_convs.extend(c);
            all_custs.extend(k);
        }
        // Statistics, as autovacuum would gather them (it is off on the benchmark machine).
        db.store().analyze().await.expect("analyze");
        println!(
            "seeded {} conversations, {} messages, {} events in {:.1}s",
            all_convs.len(),
            all_convs.len() * per_conversation,
            all_convs.len() * per_conversation,
            started.elapsed().as_secs_f64()
        );
        Some(Seeded {
            db,
            conversations: all_convs,
            customers: all_custs,
        })
    })
}

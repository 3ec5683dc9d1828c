//! `Engine::ingest` over the in-memory store: messages per second.
//!
//! 200 customers each get an email that starts a conversation; the benchmark then ingests
//! replies to them, each with a fresh `Message-ID` so every one is stored. Three paths:
//! - `ingest/reply_stored`: a built `InboundMessage` (no MIME parsing): token scan and verify,
//!   token lookup, sender check, reply extraction, the commit (message, events, conversation,
//!   jobs) and the inline forward (rendered with mail-builder, handed to an in-memory mailer);
//! - `ingest/raw_reply_stored`: the same from raw RFC 5322 bytes (parse + classify + the above);
//! - `ingest/duplicate`: a webhook retry of a stored message (refused at the dedupe check).
//!
//! And the analysis worker over the same store:
//! - `analysis_worker/run_analysis_batch_50`: `Engine::run_analysis(50, now)` with the offline
//!   heuristic analyzer over 50 freshly stored replies: claim, load the message and its context
//!   (customer, token record, answered email, conversation), analyse, and the one commit that
//!   completes the job with the analysis, the private note, labels and priority. Throughput is
//!   counted in replies analysed. Ingesting the 50 replies is setup, outside the timing.
use std::hint::black_box;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, NewCustomer};
use replytrack::engine::{ComposedEmail, Engine, IngestOutcome, OutboundDraft};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::store::{MemoryMailer, MemoryStore};
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

const DOMAIN: &str = "reply.acme.example";
const BODY: &str = "Bonjour,\n\nMerci pour votre message. Nous envoyons environ 5 000 emails par \
mois et nous aimerions passer au forfait Pro. Pouvez-vous m'envoyer un devis ?\n\nCordialement,\n\
Marie\n\nLe mar. 3 mars 2026 à 10:12, Acme <hello@acme.example> a écrit :\n> Bonjour Marie,\n>\n\
> Votre essai se termine dans 3 jours.\n";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .expect("valid time")
}

fn engine() -> (Engine, Vec<ComposedEmail>) {
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
    .store(Arc::new(MemoryStore::new()))
    .mailer(Arc::new(MemoryMailer::new()))
    .build()
    .expect("engine");
    let mut sent = Vec::new();
    for i in 0..200 {
        let c = futures::executor::block_on(engine.add_customer(
            NewCustomer::new(format!("customer{i}@example.fr")).name(format!("Client {i}")),
            now(),
        ))
        .expect("customer");
        let (composed, _) = futures::executor::block_on(
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

fn raw_reply(to: &ComposedEmail, n: u64) -> Vec<u8> {
    format!(
        "From: Client <{from}>\r\nTo: <{reply}>\r\nSubject: Re: Votre essai Acme\r\n\
         Message-ID: <raw-{n}@mail.example.fr>\r\nIn-Reply-To: <{mid}>\r\nReferences: <{mid}>\r\n\
         Date: Tue, 3 Mar 2026 11:02:00 +0100\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}",
        from = to.message.to[0],
        reply = to.reply_address,
        mid = to.email.message_id,
        body = BODY.replace('\n', "\r\n"),
    )
    .into_bytes()
}

fn ingest(c: &mut Criterion) {
    let (engine, sent) = engine();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(1));
    let mut n = 0u64;
    group.bench_function("reply_stored", |b| {
        b.iter(|| {
            n += 1;
            let to = &sent[(n % sent.len() as u64) as usize];
            let out = futures::executor::block_on(engine.ingest(reply(to, n), now()));
            assert!(matches!(out, Ok(IngestOutcome::Stored(_))));
            black_box(out)
        })
    });
    group.bench_function("raw_reply_stored", |b| {
        b.iter(|| {
            n += 1;
            let to = &sent[(n % sent.len() as u64) as usize];
            let raw = raw_reply(to, n);
            let out = futures::executor::block_on(engine.ingest_raw(&raw, now()));
            assert!(matches!(out, Ok(IngestOutcome::Stored(_))));
            black_box(out)
        })
    });
    let dup = reply(&sent[0], 0);
    futures::executor::block_on(engine.ingest(dup.clone(), now())).expect("first copy");
    group.bench_function("duplicate", |b| {
        b.iter(|| {
            let out = futures::executor::block_on(engine.ingest(dup.clone(), now()));
            assert!(matches!(out, Ok(IngestOutcome::Duplicate { .. })));
            black_box(out)
        })
    });
    group.finish();
}

fn analysis_worker(c: &mut Criterion) {
    const BATCH: usize = 50;
    let (engine, sent) = engine();
    let mut group = c.benchmark_group("analysis_worker");
    group.throughput(Throughput::Elements(BATCH as u64));
    let mut n = 1_000_000u64;
    group.bench_function("run_analysis_batch_50", |b| {
        b.iter_batched(
            || {
                for _ in 0..BATCH {
                    n += 1;
                    let to = &sent[(n % sent.len() as u64) as usize];
                    let out = futures::executor::block_on(engine.ingest(reply(to, n), now()));
                    assert!(matches!(out, Ok(IngestOutcome::Stored(_))));
                }
            },
            |()| {
                let run = futures::executor::block_on(engine.run_analysis(BATCH, now()))
                    .expect("the worker runs");
                assert_eq!(run.analysed, BATCH);
                black_box(run)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = ingest, analysis_worker
}
criterion_main!(benches);

//! Token issue/verify and recipient scanning.
use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use replytrack::address::{ScanOptions, scan, split_addresses};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

fn authority() -> TokenAuthority {
    let secret = Secret::from_bytes(&[9; 32]).expect("valid secret");
    TokenAuthority::builder(Keyring::single(KeyId::new(0).expect("key id"), secret))
        .domain("reply.example.com")
        .build()
        .expect("valid authority")
}

fn tokens(c: &mut Criterion) {
    let a = authority();
    let now = Utc
        .with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .expect("valid time");
    let issued = a.issue(now).expect("issue").token.to_string();
    let forged = format!(
        "{}{}",
        &issued[..15],
        if issued.ends_with('a') { 'b' } else { 'a' }
    );
    c.bench_function("token/issue", |b| b.iter(|| a.issue(black_box(now))));
    c.bench_function("token/verify_valid", |b| {
        b.iter(|| a.verify(black_box(&issued), now))
    });
    c.bench_function("token/verify_forged", |b| {
        b.iter(|| a.verify(black_box(&forged), now))
    });
    c.bench_function("token/verify_malformed", |b| {
        b.iter(|| a.verify(black_box("not-a-token"), now))
    });
}

fn scanning(c: &mut Criterion) {
    let token = "7k3m9q2x5c8v1b4n";
    // A realistic reply: Gmail-style recipients, a long References chain, our token in Cc.
    let msg = InboundMessage {
        from: Some(Mailbox::with_name(
            "Marie Dupont",
            "marie@boulangerie-dupont.fr",
        )),
        to: vec![
            Mailbox::with_name("Acme Support", "support@acme.example"),
            Mailbox::with_name("Jean Martin", "jean.martin@boulangerie-dupont.fr"),
        ],
        cc: vec![Mailbox::with_name(
            "Acme",
            format!("reply+{token}@reply.example.com"),
        )],
        delivered_to: vec!["support@acme.example".into()],
        references: (0..12)
            .map(|i| format!("CAF=xyz{i}q-abcdefghijklmnop@mail.gmail.com"))
            .collect(),
        ..InboundMessage::default()
    };
    let opts = ScanOptions {
        domain: "reply.example.com".into(),
    };
    c.bench_function("address/scan_header_block", |b| {
        b.iter(|| scan(black_box(&msg), &opts))
    });
    let list = "\"Dupont, Marie\" <marie@boulangerie-dupont.fr>, =?UTF-8?Q?Fran=C3=A7ois?= <f@x.fr>, \
                Acme <reply+7k3m9q2x5c8v1b4n@reply.example.com>, team: a@b.example, c@d.example;";
    c.bench_function("address/split_list", |b| {
        b.iter(|| split_addresses(black_box(list)))
    });
}

criterion_group!(benches, tokens, scanning);
criterion_main!(benches);

//! Deliveries as bytes: nothing received is lost. `ingest_raw` and `ingest_payload` keep the
//! bytes before ingesting and dead-letter what cannot be read.

#![allow(clippy::unwrap_used)]

mod engine_support;

use engine_support::*;
use replytrack::engine::{EngineConfig, IngestOutcome, RejectReason};
use replytrack::ports::Store;
use replytrack::provider::{ProviderKind, ProviderOptions};
use sha2::{Digest, Sha256};

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn reply_mime(reply_address: &str, in_reply_to: &str) -> String {
    format!(
        "From: Marie Dupont <marie@boulangerie-dupont.fr>\r\n\
         To: <{reply_address}>\r\n\
         Subject: Re: Votre essai\r\n\
         Message-ID: <deliver-1@mail.gmail.com>\r\n\
         In-Reply-To: <{in_reply_to}>\r\n\
         Date: Tue, 3 Mar 2026 11:02:00 +0100\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\
         \r\n\
         Merci, nous prenons le forfait Pro.\r\n"
    )
}

#[test]
fn raw_bytes_are_archived_once_even_when_delivered_twice() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let raw = reply_mime(&sent.reply_address, &sent.email.message_id).into_bytes();

    let first = run(w.engine.ingest_raw(&raw, at(2026, 3, 3, 10, 5))).unwrap();
    assert!(
        matches!(first, IngestOutcome::Stored(_)),
        "{}",
        first.explain()
    );
    let again = run(w.engine.ingest_raw(&raw, at(2026, 3, 3, 10, 6))).unwrap();
    assert!(
        matches!(again, IngestOutcome::Duplicate { .. }),
        "{}",
        again.explain()
    );

    let kept = run(w.store.raw_inbound(&sha(&raw)))
        .unwrap()
        .expect("archived");
    assert_eq!(kept.bytes, raw);
    assert_eq!(kept.source, "raw");
    assert_eq!(
        kept.received_at,
        at(2026, 3, 3, 10, 5),
        "the first delivery's time is kept"
    );
    assert!(run(w.store.dead_letters(10)).unwrap().is_empty());
}

#[test]
fn unreadable_bytes_are_dead_lettered_with_the_error() {
    let config = EngineConfig {
        parse_limits: replytrack::message::Limits {
            max_bytes: 64,
            ..Default::default()
        },
        ..Default::default()
    };
    let w = world_with(config);
    let junk = vec![b'x'; 100];
    let outcome = run(w.engine.ingest_raw(&junk, monday_morning())).unwrap();
    let IngestOutcome::Rejected {
        reason: RejectReason::Unparseable(_),
    } = outcome
    else {
        panic!("expected Unparseable, got {}", outcome.explain());
    };
    let letters = run(w.store.dead_letters(10)).unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].raw.bytes, junk);
    assert_eq!(letters[0].raw.sha256, sha(&junk));
    assert!(
        letters[0].error.contains("could not be parsed"),
        "{}",
        letters[0].error
    );
    assert_eq!(w.store.message_count(), 0);
}

#[test]
fn a_provider_payload_is_archived_as_posted_and_a_broken_one_is_dead_lettered() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let postmark = serde_json::json!({
        "From": "marie@boulangerie-dupont.fr",
        "FromFull": {"Email": "marie@boulangerie-dupont.fr", "Name": "Marie Dupont"},
        "To": sent.reply_address,
        "ToFull": [{"Email": sent.reply_address, "Name": ""}],
        "Subject": "Re: Votre essai",
        "MessageID": "6f1c5a4e-postmark",
        "Date": "Tue, 3 Mar 2026 11:02:00 +0100",
        "TextBody": "Merci, nous prenons le forfait Pro.",
        "Headers": [
            {"Name": "Message-ID", "Value": "<deliver-pm@mail.gmail.com>"},
            {"Name": "In-Reply-To", "Value": format!("<{}>", sent.email.message_id)}
        ]
    })
    .to_string()
    .into_bytes();
    let opts = ProviderOptions::default();
    let outcome = run(w.engine.ingest_payload(
        ProviderKind::Postmark,
        &postmark,
        Some("application/json"),
        &opts,
        at(2026, 3, 3, 10, 5),
    ))
    .unwrap();
    assert!(
        matches!(outcome, IngestOutcome::Stored(_)),
        "{}",
        outcome.explain()
    );
    let kept = run(w.store.raw_inbound(&sha(&postmark)))
        .unwrap()
        .expect("archived");
    assert_eq!(kept.source, "postmark");

    let broken = b"{\"From\": 42".to_vec();
    let outcome = run(w.engine.ingest_payload(
        ProviderKind::Postmark,
        &broken,
        Some("application/json"),
        &opts,
        at(2026, 3, 3, 10, 7),
    ))
    .unwrap();
    let IngestOutcome::Rejected {
        reason: RejectReason::InvalidPayload { provider, detail },
    } = &outcome
    else {
        panic!("expected InvalidPayload, got {}", outcome.explain());
    };
    assert_eq!(*provider, ProviderKind::Postmark);
    assert!(!detail.is_empty());
    let letters = run(w.store.dead_letters(10)).unwrap();
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0].raw.bytes, broken);
    assert_eq!(letters[0].raw.source, "postmark");
}

#[test]
fn keeping_raw_bytes_can_be_switched_off() {
    let w = world_with(EngineConfig {
        keep_raw: false,
        ..Default::default()
    });
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let raw = reply_mime(&sent.reply_address, &sent.email.message_id).into_bytes();
    let outcome = run(w.engine.ingest_raw(&raw, at(2026, 3, 3, 10, 5))).unwrap();
    assert!(matches!(outcome, IngestOutcome::Stored(_)));
    assert!(run(w.store.raw_inbound(&sha(&raw))).unwrap().is_none());
}

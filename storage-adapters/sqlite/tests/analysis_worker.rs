//! The analysis worker on the SQLite store: a reply ingested into a SQLite file is analysed in the
//! background, and the analysis, the private note and the applied labels survive a reopen.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, EventKind, HIGH_VALUE_LABEL, NewCustomer};
use replytrack::engine::{Engine, IngestOutcome, OutboundDraft};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::ports::{Store, TimelineScope};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};
use replytrack_sqlite::SqliteStore;

const DOMAIN: &str = "reply.acme.example";

fn engine(store: Arc<dyn Store>) -> Engine {
    let keys = Keyring::single(
        KeyId::new(0).unwrap(),
        Secret::from_bytes(&[7; 32]).unwrap(),
    );
    let authority = TokenAuthority::builder(keys)
        .domain(DOMAIN)
        .build()
        .unwrap();
    let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example").unwrap();
    Engine::builder(authority, AddressFormat::new(DOMAIN).unwrap(), account)
        .store(store)
        .mailer(Arc::new(MemoryMailer::new()))
        .build()
        .unwrap()
}

#[test]
fn a_reply_stored_in_sqlite_is_analysed_and_the_analysis_survives_a_reopen() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = std::env::temp_dir().join(format!("replytrack-worker-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("worker.db");
        let _ = std::fs::remove_file(&path);
        let now = Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0).unwrap();

        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
        let e = engine(store.clone());
        let marie = e
            .add_customer(NewCustomer::new("marie@example.fr").name("Marie"), now)
            .await
            .unwrap();
        let (email, _) = e
            .send(
                marie.id,
                OutboundDraft::new("Votre essai", "Bonjour !").start_conversation(),
                now,
            )
            .await
            .unwrap();
        let reply = InboundMessage {
            message_id: Some("r1@example.fr".into()),
            from: Some(Mailbox::new("marie@example.fr")),
            to: vec![Mailbox::new(email.reply_address.clone())],
            text_body: Some(
                "Bonjour,\n\nNous sommes très intéressés par le forfait Pro et voulons passer au \
                 forfait Pro pour nos trois boutiques. Pouvez-vous m'envoyer un devis ?\n\n\
                 Cordialement,\nMarie"
                    .into(),
            ),
            ..InboundMessage::default()
        };
        let later = now + Duration::hours(1);
        let stored = match e.ingest(reply, later).await.unwrap() {
            IngestOutcome::Stored(s) => s,
            other => panic!("{}", other.explain()),
        };

        let run = e.run_analysis(10, later).await.unwrap();
        assert_eq!(run.analysed, 1, "{run:?}");
        // Running again finds nothing left to do.
        assert_eq!(e.run_analysis(10, later).await.unwrap().analysed, 0);
        drop(e);
        drop(store);

        // Reopen the file: everything the worker wrote is there.
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
        let message = store.message(stored.message).await.unwrap().unwrap();
        let analysis = message
            .analysis
            .expect("the analysis is stored on the message");
        assert_eq!(analysis.lang, "fr");
        let timeline = store
            .timeline(TimelineScope::Customer(marie.id))
            .await
            .unwrap();
        assert!(
            timeline
                .iter()
                .any(|ev| matches!(ev.kind, EventKind::AnalysisCompleted { .. }))
        );
        assert!(timeline.iter().any(|ev| ev.kind.name() == "note_added"));
        let conversation = store
            .conversation(stored.conversation)
            .await
            .unwrap()
            .unwrap();
        if analysis.response_type == replytrack::analysis::ResponseType::HighValue {
            assert!(conversation.labels.contains(HIGH_VALUE_LABEL));
        }
        let _ = std::fs::remove_dir_all(&dir);
    });
}

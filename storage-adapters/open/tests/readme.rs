//! The README's Rust quick start, run as written (keep the two in step).

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use chrono::Utc;
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, NewCustomer};
use replytrack::engine::{Engine, IngestOutcome, OutboundDraft};
use replytrack::ports::{InboxQuery, TimelineScope};
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

#[tokio::test]
async fn the_readme_quick_start_runs() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("rt-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("replytrack.db");
    let db = db.to_str().unwrap();

    // --- README: begin ---
    let master = Secret::generate(); // keep it in your secret store
    let mut keyring = Keyring::new();
    keyring.add_derived(&master, KeyId::new(0).unwrap(), Utc::now())?;
    let tokens = TokenAuthority::builder(keyring)
        .domain("reply.yourapp.com")
        .build()?;
    let format = AddressFormat::new("reply.yourapp.com")?;
    let account = AccountSettings::new("Acme", "hello@yourapp.com", "owner@yourapp.com")?;

    let store = replytrack_open::open(&db.parse()?, &Default::default()).await?; // or postgres://…
    let mailer = Arc::new(MemoryMailer::new()); // your transport: impl replytrack::ports::Mailer
    let engine = Engine::builder(tokens, format, account)
        .store(store)
        .mailer(mailer.clone())
        .build()?;

    // Outgoing: every email gets a fresh signed reply address.
    let now = Utc::now();
    let marie = engine
        .add_customer(
            NewCustomer::new("marie@example.fr").name("Marie Dupont"),
            now,
        )
        .await?;
    let (sent, _receipt) = engine
        .send(
            marie.id,
            OutboundDraft::new("Votre essai", "Bonjour Marie, …"),
            now,
        )
        .await?;
    println!("Reply-To: {}", sent.reply_address); // reply+…@reply.yourapp.com

    // Inbound, in your webhook handler: raw MIME here; `ingest_payload` takes a provider's body.
    let reply = format!(
        "From: Marie Dupont <marie@example.fr>\r\nTo: {}\r\nSubject: Re: Votre essai\r\n\
         Message-ID: <r1@mail.example.fr>\r\n\r\nOui, je prends le forfait Pro !\r\n\r\n\
         Le lun. 2 mars 2026, Acme a écrit :\r\n> Bonjour Marie, …\r\n",
        sent.reply_address
    );
    match engine.ingest_raw(reply.as_bytes(), Utc::now()).await? {
        IngestOutcome::Stored(s) => println!("stored in {}", s.conversation),
        other => println!("{}: {}", other.name(), other.explain()), // duplicate, forged, bounce…
    }

    // In a worker: forwards go out with the ingest; analyses run in the background.
    engine.run_analysis(50, Utc::now()).await?;
    let inbox = engine.inbox(InboxQuery::default()).await?;
    for row in &inbox.rows {
        println!(
            "{:?} {:?} {:?}",
            row.contact_name, row.status, row.last_message
        );
    }
    let timeline = engine.timeline(TimelineScope::Customer(marie.id)).await?;
    // --- README: end ---

    let kinds: Vec<&str> = timeline.iter().map(|e| e.kind.name()).collect();
    for kind in [
        "email_sent",
        "reply_received",
        "reply_forwarded",
        "analysis_completed",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(inbox.rows.len(), 1);
    assert!(inbox.rows[0].waiting);
    assert!(mailer.sent().len() >= 2, "the email and the forward");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

//! Shared set-up for the engine scenario tests: one account (Acme, replies at
//! `reply.acme.example`, forwards to the owner's inbox, Paris time), an in-memory store and a
//! mailer that keeps what it sends.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use replytrack::address::AddressFormat;
use replytrack::conversation::{AccountSettings, Customer, NewCustomer};
use replytrack::engine::{ComposedEmail, Engine, EngineConfig, OutboundDraft};
use replytrack::message::{InboundMessage, Limits, Mailbox};
use replytrack::store::{MemoryMailer, MemoryStore};
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

pub const DOMAIN: &str = "reply.acme.example";
pub const OWNER: &str = "owner@acme.example";
pub const FROM: &str = "hello@acme.example";

pub struct World {
    pub engine: Engine,
    pub store: Arc<MemoryStore>,
    pub mailer: Arc<MemoryMailer>,
}

pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("a valid test instant")
}

/// Tuesday 3 March 2026, 10:00 UTC: the day the stories start.
pub fn monday_morning() -> DateTime<Utc> {
    at(2026, 3, 3, 10, 0)
}

pub fn run<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

pub fn authority() -> TokenAuthority {
    let secret = Secret::from_bytes(&[7; 32]).expect("a 32-byte secret");
    let mut ring = Keyring::new();
    ring.add_derived(
        &secret,
        KeyId::new(1).expect("key id"),
        at(2025, 1, 1, 0, 0),
    )
    .expect("one key");
    TokenAuthority::builder(ring)
        .domain(DOMAIN)
        .build()
        .expect("a valid authority")
}

pub fn world_with(config: EngineConfig) -> World {
    let store = Arc::new(MemoryStore::new());
    let mailer = Arc::new(MemoryMailer::new());
    let account = AccountSettings::new("Acme", FROM, OWNER)
        .expect("valid addresses")
        .from_name("Acme")
        .time_zone(chrono_tz::Europe::Paris);
    let engine = Engine::builder(
        authority(),
        AddressFormat::new(DOMAIN).expect("valid domain"),
        account,
    )
    .store(store.clone())
    .mailer(mailer.clone())
    .config(config)
    .build()
    .expect("a valid engine");
    World {
        engine,
        store,
        mailer,
    }
}

pub fn world() -> World {
    world_with(EngineConfig::default())
}

impl World {
    pub fn customer(&self, name: &str, email: &str) -> Customer {
        run(self
            .engine
            .add_customer(NewCustomer::new(email).name(name), monday_morning()))
        .expect("customer added")
    }

    /// Compose and send an email that starts a conversation.
    pub fn write_to(
        &self,
        customer: &Customer,
        subject: &str,
        now: DateTime<Utc>,
    ) -> ComposedEmail {
        let (composed, sent) = run(self.engine.send(
            customer.id,
            OutboundDraft::new(
                subject,
                "Bonjour,\n\nVotre essai se termine dans 3 jours.\n",
            )
            .start_conversation(),
            now,
        ))
        .expect("composed");
        sent.expect("the memory mailer accepts it");
        composed
    }
}

/// A parsed copy of raw bytes (the real MIME parser).
pub fn parse(raw: &[u8]) -> InboundMessage {
    InboundMessage::parse(raw, &Limits::default()).expect("the test message parses")
}

/// A person's reply built field by field (no MIME parsing involved).
pub fn reply_to(
    composed: &ComposedEmail,
    from: (&str, &str),
    message_id: &str,
    text: &str,
) -> InboundMessage {
    InboundMessage {
        message_id: Some(message_id.to_string()),
        in_reply_to: vec![composed.email.message_id.clone()],
        references: vec![composed.email.message_id.clone()],
        from: Some(Mailbox::with_name(from.0, from.1)),
        to: vec![Mailbox::new(composed.reply_address.clone())],
        subject: Some(format!(
            "Re: {}",
            composed.message.subject.clone().unwrap_or_default()
        )),
        text_body: Some(text.to_string()),
        ..InboundMessage::default()
    }
}

/// The value of a header in raw RFC 5322 bytes (first occurrence, unfolded).
pub fn header(raw: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

impl World {
    /// A stored message, which must exist.
    pub async fn store_message(
        &self,
        id: replytrack::conversation::MessageId,
    ) -> replytrack::conversation::Message {
        use replytrack::ports::Store;
        self.store
            .message(id)
            .await
            .expect("store works")
            .expect("message exists")
    }
}

//! Fixtures shared by the integration tests: a fixed clock, an engine over a store, records.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use replytrack::address::AddressFormat;
use replytrack::conversation::{
    AccountSettings, Channel, Conversation, Customer, Direction, EventKind, JobId, JobKind,
    Message, MessageId, NewCustomer, NewJob, OpenedBy, TimelineEvent,
};
use replytrack::engine::{ComposedEmail, Engine, EngineConfig, OutboundDraft};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::ports::Store;
use replytrack::store::MemoryMailer;
use replytrack::token::{KeyId, Keyring, Secret, TokenAuthority};

pub const DOMAIN: &str = "reply.acme.example";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn engine(store: Arc<dyn Store>, config: EngineConfig) -> Engine {
    let secret = Secret::from_bytes(&[7; 32]).unwrap_or_else(|e| panic!("{e}"));
    let key = KeyId::new(0).unwrap_or_else(|| panic!("key id 0"));
    let authority = TokenAuthority::builder(Keyring::single(key, secret))
        .domain(DOMAIN)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let account = AccountSettings::new("Acme", "hello@acme.example", "owner@acme.example")
        .unwrap_or_else(|e| panic!("{e}"));
    Engine::builder(
        authority,
        AddressFormat::new(DOMAIN).unwrap_or_else(|e| panic!("{e}")),
        account,
    )
    .store(store)
    .mailer(Arc::new(MemoryMailer::new()))
    .config(config)
    .build()
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A customer and an email sent to them; `start` opens a conversation with it.
pub async fn customer_with_email(engine: &Engine, address: &str, start: bool) -> ComposedEmail {
    let c = engine
        .add_customer(NewCustomer::new(address).name("Marie"), now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut draft = OutboundDraft::new("Votre essai Acme", "Bonjour, votre essai se termine.");
    if start {
        draft = draft.start_conversation();
    }
    let (composed, _) = engine
        .send(c.id, draft, now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    composed
}

/// A reply to an email, with its own Message-ID.
pub fn reply(to: &ComposedEmail, message_id: &str, text: &str) -> InboundMessage {
    InboundMessage {
        message_id: Some(message_id.to_string()),
        in_reply_to: vec![to.email.message_id.clone()],
        references: vec![to.email.message_id.clone()],
        from: Some(Mailbox::new(to.message.to[0].clone())),
        to: vec![Mailbox::new(to.reply_address.clone())],
        subject: Some("Re: Votre essai Acme".into()),
        text_body: Some(text.into()),
        ..InboundMessage::default()
    }
}

pub fn customer(address: &str) -> Customer {
    NewCustomer::new(address)
        .build(now())
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn conversation(customer: &Customer, subject: &str) -> Conversation {
    Conversation::new(
        customer.id,
        Channel::Email,
        OpenedBy::Contact,
        Some(subject.to_string()),
        now(),
    )
}

pub fn message(customer: &Customer, conversation: &Conversation, body: &str) -> Message {
    Message {
        id: MessageId::generate(now()),
        customer: customer.id,
        conversation: Some(conversation.id),
        direction: Direction::Inbound,
        kind: None,
        party: None,
        author: None,
        from: customer.emails.first().map(|e| e.address.clone()),
        to: vec!["hello@acme.example".into()],
        cc: Vec::new(),
        subject: conversation.subject.clone(),
        body: body.to_string(),
        html: None,
        preview: body.chars().take(20).collect(),
        reply: None,
        analysis: None,
        attachments: Vec::new(),
        token: None,
        rfc_message_id: Some(format!("{}@example.fr", MessageId::generate(now()))),
        in_reply_to: Vec::new(),
        references: Vec::new(),
        delivery: None,
        provider_message_id: None,
        created_at: now(),
        sent_at: Some(now()),
        version: 0,
    }
}

pub fn event(customer: &Customer, conversation: &Conversation, note: &str) -> TimelineEvent {
    TimelineEvent::new(
        customer.id,
        Some(conversation.id),
        None,
        now(),
        EventKind::NoteAdded {
            author: None,
            text: note.to_string(),
        },
    )
}

pub fn job(kind: JobKind, message: MessageId, max_attempts: u32) -> NewJob {
    NewJob {
        id: JobId::generate(now()),
        kind,
        message,
        run_at: now(),
        max_attempts,
    }
}

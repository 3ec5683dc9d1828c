//! Records the cases build: customers, conversations, messages, tokens, events and jobs with
//! whole-second times (every store keeps at least microseconds), and small assertion helpers.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, TimeZone, Utc};
use replytrack::conversation::{
    Channel, Conversation, ConversationId, Customer, CustomerId, Direction, EventKind, JobId,
    JobKind, Message, MessageId, NewCustomer, NewJob, OpenedBy, TimelineEvent, TokenRecord,
};
use replytrack::ports::{Commit, CommitOutcome, Store, StoreError, Write};
use replytrack::token::ReplyToken;

/// Tuesday 3 March 2026, 10:00 UTC: the instant every case starts from.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

/// `t0` plus whole seconds.
pub fn at(seconds: i64) -> DateTime<Utc> {
    t0() + Duration::seconds(seconds)
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A number never returned before in this process (unique addresses, tokens, ids).
pub fn unique() -> u64 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// A new customer with one unique address built from `name`.
pub fn customer(name: &str) -> Customer {
    NewCustomer::new(format!("{name}.{}@example.com", unique()))
        .name(name)
        .build(t0())
        .unwrap_or_else(|e| panic!("a fixture address is valid: {e}"))
}

/// A conversation the contact opened at `created`.
pub fn conversation(customer: CustomerId, created: DateTime<Utc>) -> Conversation {
    Conversation::new(customer, Channel::Email, OpenedBy::Contact, None, created)
}

/// An inbound message from the customer in `conversation`, created at `created`.
pub fn message(
    customer: CustomerId,
    conversation: Option<ConversationId>,
    subject: Option<&str>,
    body: &str,
    created: DateTime<Utc>,
) -> Message {
    Message {
        id: MessageId::generate(created),
        customer,
        conversation,
        direction: Direction::Inbound,
        kind: None,
        party: None,
        author: None,
        from: Some("someone@example.com".into()),
        to: vec!["hello@acme.example".into()],
        cc: Vec::new(),
        subject: subject.map(str::to_string),
        body: body.to_string(),
        html: None,
        preview: replytrack::conversation::preview(body),
        reply: None,
        analysis: None,
        attachments: Vec::new(),
        token: None,
        rfc_message_id: None,
        in_reply_to: Vec::new(),
        references: Vec::new(),
        delivery: None,
        provider_message_id: None,
        created_at: created,
        sent_at: None,
        version: 0,
    }
}

/// A token never used before.
pub fn token() -> ReplyToken {
    let n = u128::from(unique());
    let alphabet = b"0123456789abcdefghjkmnpqrstvwxyz";
    let mut text = String::from("zz");
    for i in 0..14 {
        let digit = (n >> (5 * (13 - i))) & 31;
        text.push(char::from(alphabet[usize::try_from(digit).unwrap_or(0)]));
    }
    ReplyToken::parse(&text).unwrap_or_else(|e| panic!("a fixture token parses: {e:?}"))
}

/// The record of a fresh token issued to `customer` for `message`.
pub fn token_record(
    customer: CustomerId,
    conversation: Option<ConversationId>,
    message: MessageId,
) -> TokenRecord {
    TokenRecord {
        token: token(),
        customer,
        conversation,
        message,
        recipients: vec!["someone@example.com".into()],
        issued_at: t0(),
        expires_at: at(90 * 86_400),
    }
}

/// A note-like event (`funnel_changed` free) on a customer's timeline at `at`.
pub fn event(
    customer: CustomerId,
    conversation: Option<ConversationId>,
    at: DateTime<Utc>,
    from: &str,
) -> TimelineEvent {
    TimelineEvent::new(
        customer,
        conversation,
        None,
        at,
        EventKind::AutoReplyReceived {
            from: from.to_string(),
            subject: None,
        },
    )
}

/// A job of `kind` due at `run_at`.
pub fn job(kind: JobKind, run_at: DateTime<Utc>, max_attempts: u32) -> NewJob {
    NewJob {
        id: JobId::generate(run_at),
        kind,
        message: MessageId::generate(run_at),
        run_at,
        max_attempts,
    }
}

/// Commit, expecting it applied.
pub async fn apply(store: &dyn Store, commit: Commit) {
    match store.commit(commit).await {
        Ok(CommitOutcome::Applied) => {}
        other => panic!("expected the commit to apply, got {other:?}"),
    }
}

/// Commit, expecting it refused.
pub async fn refuse(store: &dyn Store, commit: Commit) -> StoreError {
    match store.commit(commit).await {
        Err(e) => e,
        Ok(outcome) => panic!("expected the commit to be refused, got {outcome:?}"),
    }
}

/// Store a new customer.
pub async fn stored_customer(store: &dyn Store, name: &str) -> Customer {
    let c = customer(name);
    apply(
        store,
        Commit {
            customers: vec![Write::Insert(c.clone())],
            ..Commit::default()
        },
    )
    .await;
    read_customer(store, c.id).await
}

/// Store a new customer with a conversation opened at `created`; returns both as stored.
pub async fn stored_conversation(
    store: &dyn Store,
    name: &str,
    created: DateTime<Utc>,
) -> (Customer, Conversation) {
    let c = customer(name);
    let conv = conversation(c.id, created);
    apply(
        store,
        Commit {
            customers: vec![Write::Insert(c.clone())],
            conversations: vec![Write::Insert(conv.clone())],
            ..Commit::default()
        },
    )
    .await;
    (
        read_customer(store, c.id).await,
        read_conversation(store, conv.id).await,
    )
}

/// Read a customer that must exist.
pub async fn read_customer(store: &dyn Store, id: CustomerId) -> Customer {
    match store.customer(id).await {
        Ok(Some(c)) => c,
        other => panic!("customer {id} should be stored, got {other:?}"),
    }
}

/// Read a conversation that must exist.
pub async fn read_conversation(store: &dyn Store, id: ConversationId) -> Conversation {
    match store.conversation(id).await {
        Ok(Some(c)) => c,
        other => panic!("conversation {id} should be stored, got {other:?}"),
    }
}

/// Read a message that must exist.
pub async fn read_message(store: &dyn Store, id: MessageId) -> Message {
    match store.message(id).await {
        Ok(Some(m)) => m,
        other => panic!("message {id} should be stored, got {other:?}"),
    }
}

/// `record` with its version set, as the store returns it.
pub fn versioned<T: Clone>(record: &T, set: impl FnOnce(&mut T)) -> T {
    let mut r = record.clone();
    set(&mut r);
    r
}

/// Unwrap a store result, naming the operation on failure.
pub fn ok<T>(what: &str, r: Result<T, StoreError>) -> T {
    r.unwrap_or_else(|e| panic!("{what} failed: {e}"))
}

//! Two app instances racing: the engine re-reads and retries when the store refuses a commit
//! because someone else wrote first.

mod engine_support;

use std::sync::Arc;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use engine_support::*;
use replytrack::conversation::{
    Channel, Conversation, ConversationId, Customer, CustomerId, Job, JobId, JobKind, JobState,
    Message, MessageId, OpenedBy, TimelineEvent, TokenRecord,
};
use replytrack::engine::{Engine, IngestOutcome};
use replytrack::message::{InboundMessage, Mailbox};
use replytrack::ports::{
    Commit, CommitOutcome, ConversationQuery, DedupeKey, JobLease, JobRetry, Seen, Store,
    StoreError, TimelineScope, Write,
};
use replytrack::store::{MemoryMailer, MemoryStore};
use replytrack::token::ReplyToken;

/// A store that lets a competing writer commit just before our first commit lands.
struct Racing {
    inner: Arc<MemoryStore>,
    competitor: Mutex<Option<Commit>>,
}

#[async_trait]
impl Store for Racing {
    async fn commit(&self, commit: Commit) -> Result<CommitOutcome, StoreError> {
        let first = self.competitor.lock().ok().and_then(|mut g| g.take());
        if let Some(c) = first {
            self.inner.commit(c).await?;
        }
        self.inner.commit(commit).await
    }
    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        self.inner.customer(id).await
    }
    async fn customer_by_email(&self, a: &str) -> Result<Option<Customer>, StoreError> {
        self.inner.customer_by_email(a).await
    }
    async fn customer_by_external_id(&self, e: &str) -> Result<Option<Customer>, StoreError> {
        self.inner.customer_by_external_id(e).await
    }
    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>, StoreError> {
        self.inner.conversation(id).await
    }
    async fn active_conversation(&self, c: CustomerId) -> Result<Option<Conversation>, StoreError> {
        self.inner.active_conversation(c).await
    }
    async fn conversations(&self, q: &ConversationQuery) -> Result<Vec<Conversation>, StoreError> {
        self.inner.conversations(q).await
    }
    async fn due_snoozes(
        &self,
        now: DateTime<Utc>,
        l: usize,
    ) -> Result<Vec<Conversation>, StoreError> {
        self.inner.due_snoozes(now, l).await
    }
    async fn message(&self, id: MessageId) -> Result<Option<Message>, StoreError> {
        self.inner.message(id).await
    }
    async fn message_by_rfc_id(&self, id: &str) -> Result<Option<Message>, StoreError> {
        self.inner.message_by_rfc_id(id).await
    }
    async fn messages(&self, c: ConversationId) -> Result<Vec<Message>, StoreError> {
        self.inner.messages(c).await
    }
    async fn seen(&self, k: &DedupeKey) -> Result<Option<Seen>, StoreError> {
        self.inner.seen(k).await
    }
    async fn token(&self, t: &ReplyToken) -> Result<Option<TokenRecord>, StoreError> {
        self.inner.token(t).await
    }
    async fn timeline(&self, s: TimelineScope) -> Result<Vec<TimelineEvent>, StoreError> {
        self.inner.timeline(s).await
    }
    async fn claim_jobs(
        &self,
        k: JobKind,
        l: usize,
        now: DateTime<Utc>,
        d: Duration,
    ) -> Result<Vec<JobLease>, StoreError> {
        self.inner.claim_jobs(k, l, now, d).await
    }
    async fn claim_job(
        &self,
        id: JobId,
        now: DateTime<Utc>,
        d: Duration,
    ) -> Result<Option<JobLease>, StoreError> {
        self.inner.claim_job(id, now, d).await
    }
    async fn complete_job(
        &self,
        id: JobId,
        a: u32,
        now: DateTime<Utc>,
        c: Commit,
    ) -> Result<(), StoreError> {
        self.inner.complete_job(id, a, now, c).await
    }
    async fn fail_job(
        &self,
        id: JobId,
        a: u32,
        e: &str,
        r: JobRetry,
        now: DateTime<Utc>,
    ) -> Result<JobState, StoreError> {
        self.inner.fail_job(id, a, e, r, now).await
    }
    async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        self.inner.job(id).await
    }
}

#[test]
fn when_another_instance_opens_the_conversation_first_the_reply_joins_it() {
    let memory = Arc::new(MemoryStore::new());
    let racing = Arc::new(Racing {
        inner: memory.clone(),
        competitor: Mutex::new(None),
    });
    let account = world().engine.account().clone();
    let engine = Engine::builder(
        authority(),
        replytrack::address::AddressFormat::new(DOMAIN).unwrap(),
        account,
    )
    .store(racing.clone())
    .mailer(Arc::new(MemoryMailer::new()))
    .build()
    .unwrap();
    let ana = run(engine.add_customer(
        replytrack::conversation::NewCustomer::new("ana@lojasouza.com.br"),
        monday_morning(),
    ))
    .unwrap();

    // Another instance, handling a phone log for Ana, opens her conversation a moment before.
    let theirs = Conversation::new(
        ana.id,
        Channel::Manual,
        OpenedBy::Contact,
        None,
        monday_morning(),
    );
    *racing.competitor.lock().unwrap() = Some(Commit {
        conversations: vec![Write::Insert(theirs.clone())],
        ..Commit::default()
    });

    let msg = InboundMessage {
        message_id: Some("race@lojasouza.com.br".into()),
        from: Some(Mailbox::new("ana@lojasouza.com.br")),
        to: vec![Mailbox::new(FROM)],
        text_body: Some("Olá!".into()),
        ..InboundMessage::default()
    };
    let IngestOutcome::Stored(s) = run(engine.ingest(msg, monday_morning())).unwrap() else {
        panic!("stored");
    };
    // Our first commit was refused (a second current conversation); the retry found theirs.
    assert_eq!(s.conversation, theirs.id);
    assert!(!s.opened);
    assert_eq!(
        run(memory.active_conversation(ana.id)).unwrap().unwrap().id,
        theirs.id
    );
}

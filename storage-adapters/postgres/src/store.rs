//! `impl Store for PgStore`: the trait's methods, each delegating to the module that holds it.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use replytrack::conversation::{
    Conversation, ConversationId, Customer, CustomerId, Job, JobId, JobKind, JobState, Message,
    MessageId, TimelineEvent, TokenRecord,
};
use replytrack::ports::{
    Commit, CommitOutcome, ConversationQuery, DeadLetter, DedupeKey, InboxQuery, InboxRecord,
    JobLease, JobRetry, RawInbound, Seen, Store, StoreError, TimelineScope,
};
use replytrack::token::ReplyToken;

use crate::PgStore;
use crate::commit::{self, JobFence};

#[async_trait]
impl Store for PgStore {
    async fn commit(&self, commit: Commit) -> Result<CommitOutcome, StoreError> {
        if commit.is_empty() && commit.dedupe_key.is_none() {
            return Ok(CommitOutcome::Applied);
        }
        commit::run(self, &commit, None).await
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        self.get_customer(id).await
    }

    async fn customer_by_email(&self, address: &str) -> Result<Option<Customer>, StoreError> {
        self.get_customer_by_email(address).await
    }

    async fn customer_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Customer>, StoreError> {
        self.get_customer_by_external_id(external_id).await
    }

    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>, StoreError> {
        self.get_conversation(id).await
    }

    async fn active_conversation(
        &self,
        customer: CustomerId,
    ) -> Result<Option<Conversation>, StoreError> {
        self.get_active_conversation(customer).await
    }

    async fn conversations(
        &self,
        query: &ConversationQuery,
    ) -> Result<Vec<Conversation>, StoreError> {
        self.query_conversations(query).await
    }

    async fn inbox(&self, query: &InboxQuery) -> Result<Vec<InboxRecord>, StoreError> {
        self.query_inbox(query).await
    }

    async fn customer_by_phone(&self, phone: &str) -> Result<Option<Customer>, StoreError> {
        self.get_customer_by_phone(phone).await
    }

    async fn mark_read(
        &self,
        conversation: ConversationId,
        agent: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.put_read_mark(conversation, agent, at).await
    }

    async fn due_snoozes(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Conversation>, StoreError> {
        self.get_due_snoozes(now, limit).await
    }

    async fn message(&self, id: MessageId) -> Result<Option<Message>, StoreError> {
        self.get_message(id).await
    }

    async fn message_by_rfc_id(&self, rfc_message_id: &str) -> Result<Option<Message>, StoreError> {
        self.get_message_by_rfc_id(rfc_message_id).await
    }

    async fn messages(&self, conversation: ConversationId) -> Result<Vec<Message>, StoreError> {
        self.get_messages(conversation).await
    }

    async fn seen(&self, key: &DedupeKey) -> Result<Option<Seen>, StoreError> {
        self.get_seen(key).await
    }

    async fn token(&self, token: &ReplyToken) -> Result<Option<TokenRecord>, StoreError> {
        self.get_token(token).await
    }

    async fn timeline(&self, scope: TimelineScope) -> Result<Vec<TimelineEvent>, StoreError> {
        self.get_timeline(scope).await
    }

    async fn claim_jobs(
        &self,
        kind: JobKind,
        limit: usize,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<JobLease>, StoreError> {
        self.claim_many(kind, limit, now, lease).await
    }

    async fn claim_job(
        &self,
        id: JobId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<JobLease>, StoreError> {
        self.claim_one(id, now, lease).await
    }

    async fn complete_job(
        &self,
        id: JobId,
        attempt: u32,
        now: DateTime<Utc>,
        commit: Commit,
    ) -> Result<(), StoreError> {
        let fence = JobFence { id, attempt, now };
        commit::run(self, &commit, Some(fence)).await.map(|_| ())
    }

    async fn fail_job(
        &self,
        id: JobId,
        attempt: u32,
        error: &str,
        retry: JobRetry,
        now: DateTime<Utc>,
    ) -> Result<JobState, StoreError> {
        self.fail(id, attempt, error, retry, now).await
    }

    async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        self.get_job(id).await
    }

    async fn keep_raw(&self, raw: RawInbound) -> Result<bool, StoreError> {
        self.insert_raw(&raw).await
    }

    async fn raw_inbound(&self, sha256: &str) -> Result<Option<RawInbound>, StoreError> {
        self.get_raw(sha256).await
    }

    async fn purge_raw(&self, received_before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.delete_raw_before(received_before).await
    }

    async fn dead_letter(&self, letter: DeadLetter) -> Result<bool, StoreError> {
        self.insert_dead_letter(&letter).await
    }

    async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        self.list_dead_letters(limit).await
    }

    async fn remove_dead_letter(&self, sha256: &str) -> Result<bool, StoreError> {
        self.delete_dead_letter(sha256).await
    }
}

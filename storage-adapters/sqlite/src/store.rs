//! `impl Store for SqliteStore`: every operation as one closure on the writer thread (in an
//! `IMMEDIATE` transaction when it writes) or on a reader thread.

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
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::SqliteError;
use crate::{SqliteStore, commit, jobs, query, raw, reads};

/// Run `f` in an `IMMEDIATE` transaction: committed when it returns `Ok` and `keep` says so,
/// rolled back otherwise.
fn transaction<T>(
    conn: &mut Connection,
    f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    keep: impl FnOnce(&T) -> bool,
) -> Result<T, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(SqliteError::sql("beginning a write transaction"))?;
    let out = f(&tx)?;
    if keep(&out) {
        tx.commit()
            .map_err(SqliteError::sql("committing a write transaction"))?;
    }
    Ok(out)
}

fn always<T>(_: &T) -> bool {
    true
}

#[async_trait]
impl Store for SqliteStore {
    async fn commit(&self, c: Commit) -> Result<CommitOutcome, StoreError> {
        self.workers
            .write(move |conn| {
                let now = c.events.first().map(|e| e.at);
                transaction(
                    conn,
                    |tx| commit::apply(tx, c, now),
                    |o| *o == CommitOutcome::Applied,
                )
            })
            .await
    }

    async fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        self.workers.read(move |c| reads::customer(c, id)).await
    }

    async fn customer_by_email(&self, address: &str) -> Result<Option<Customer>, StoreError> {
        let address = address.to_string();
        self.workers
            .read(move |c| reads::customer_by_email(c, &address))
            .await
    }

    async fn customer_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<Customer>, StoreError> {
        let ext = external_id.to_string();
        self.workers
            .read(move |c| reads::customer_by_external_id(c, &ext))
            .await
    }

    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>, StoreError> {
        self.workers.read(move |c| reads::conversation(c, id)).await
    }

    async fn active_conversation(
        &self,
        customer: CustomerId,
    ) -> Result<Option<Conversation>, StoreError> {
        self.workers
            .read(move |c| reads::active_conversation(c, customer))
            .await
    }

    async fn conversations(&self, q: &ConversationQuery) -> Result<Vec<Conversation>, StoreError> {
        let q = q.clone();
        self.workers
            .read(move |c| query::conversations(c, &q))
            .await
    }

    async fn inbox(&self, q: &InboxQuery) -> Result<Vec<InboxRecord>, StoreError> {
        let q = q.clone();
        self.workers.read(move |c| query::inbox(c, &q)).await
    }

    async fn customer_by_phone(&self, phone: &str) -> Result<Option<Customer>, StoreError> {
        let phone = phone.to_string();
        self.workers
            .read(move |c| reads::customer_by_phone(c, &phone))
            .await
    }

    async fn mark_read(
        &self,
        conversation: ConversationId,
        agent: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let agent = agent.to_string();
        self.workers
            .write(move |c| query::mark_read(c, conversation, &agent, at))
            .await
    }

    async fn due_snoozes(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Conversation>, StoreError> {
        self.workers
            .read(move |c| query::due_snoozes(c, now, limit))
            .await
    }

    async fn message(&self, id: MessageId) -> Result<Option<Message>, StoreError> {
        self.workers.read(move |c| reads::message(c, id)).await
    }

    async fn message_by_rfc_id(&self, rfc_message_id: &str) -> Result<Option<Message>, StoreError> {
        let rfc = rfc_message_id.to_string();
        self.workers
            .read(move |c| reads::message_by_rfc_id(c, &rfc))
            .await
    }

    async fn messages(&self, conversation: ConversationId) -> Result<Vec<Message>, StoreError> {
        self.workers
            .read(move |c| reads::messages(c, conversation))
            .await
    }

    async fn seen(&self, key: &DedupeKey) -> Result<Option<Seen>, StoreError> {
        let key = key.clone();
        self.workers.read(move |c| reads::seen(c, &key)).await
    }

    async fn token(&self, token: &ReplyToken) -> Result<Option<TokenRecord>, StoreError> {
        let token = *token;
        self.workers.read(move |c| reads::token(c, &token)).await
    }

    async fn timeline(&self, scope: TimelineScope) -> Result<Vec<TimelineEvent>, StoreError> {
        self.workers.read(move |c| reads::timeline(c, scope)).await
    }

    async fn claim_jobs(
        &self,
        kind: JobKind,
        limit: usize,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<JobLease>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.workers
            .write(move |conn| {
                transaction(
                    conn,
                    |tx| jobs::claim_jobs(tx, kind, limit, now, lease),
                    always,
                )
            })
            .await
    }

    async fn claim_job(
        &self,
        id: JobId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<JobLease>, StoreError> {
        self.workers
            .write(move |conn| transaction(conn, |tx| jobs::claim_job(tx, id, now, lease), always))
            .await
    }

    async fn complete_job(
        &self,
        id: JobId,
        attempt: u32,
        now: DateTime<Utc>,
        commit: Commit,
    ) -> Result<(), StoreError> {
        self.workers
            .write(move |conn| {
                transaction(
                    conn,
                    |tx| jobs::complete_job(tx, id, attempt, now, commit),
                    always,
                )
            })
            .await
    }

    async fn fail_job(
        &self,
        id: JobId,
        attempt: u32,
        error: &str,
        retry: JobRetry,
        now: DateTime<Utc>,
    ) -> Result<JobState, StoreError> {
        let error = error.to_string();
        self.workers
            .write(move |conn| {
                transaction(
                    conn,
                    |tx| jobs::fail_job(tx, id, attempt, &error, retry, now),
                    always,
                )
            })
            .await
    }

    async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        self.workers.read(move |c| jobs::job(c, id)).await
    }

    async fn keep_raw(&self, r: RawInbound) -> Result<bool, StoreError> {
        self.workers.write(move |c| raw::keep(c, &r)).await
    }

    async fn raw_inbound(&self, sha256: &str) -> Result<Option<RawInbound>, StoreError> {
        let sha = sha256.to_string();
        self.workers.read(move |c| raw::get(c, &sha)).await
    }

    async fn purge_raw(&self, received_before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.workers
            .write(move |c| raw::purge(c, received_before))
            .await
    }

    async fn dead_letter(&self, letter: DeadLetter) -> Result<bool, StoreError> {
        self.workers
            .write(move |conn| transaction(conn, |tx| raw::dead_letter(tx, &letter), always))
            .await
    }

    async fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, StoreError> {
        self.workers
            .read(move |c| raw::dead_letters(c, limit))
            .await
    }

    async fn remove_dead_letter(&self, sha256: &str) -> Result<bool, StoreError> {
        let sha = sha256.to_string();
        self.workers
            .write(move |c| raw::remove_dead_letter(c, &sha))
            .await
    }
}

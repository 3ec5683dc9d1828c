//! [`Store::commit`](replytrack::ports::Store::commit) and `complete_job`: one transaction that
//! writes everything or nothing.
//!
//! The happy path trusts the database: the dedupe key is inserted first (`ON CONFLICT DO
//! NOTHING`: a concurrent delivery of the same message waits for this transaction, then finds the
//! key and writes nothing), updates carry `WHERE version = $n`, and unique indexes refuse what
//! would break a rule. When one refuses, the transaction is rolled back and [`diagnose`] reads the
//! rows in the way to name the [`Conflict`]. Deadlocks and serialization failures, and a unique
//! refusal whose cause is gone by the time it is read (the other writer rolled back), are retried.

use chrono::{DateTime, Utc};
use replytrack::conversation::{Customer, Direction, JobId, Message};
use replytrack::ports::{Commit, CommitOutcome, StoreError, Write};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Json;
use uuid::Uuid;

use crate::PgStore;
use crate::codec::{
    AsUuid, activity, channel_name, db_version, index_words, opt_text, priority_name, snooze_until,
    status_name, text, version,
};
use crate::diagnose::diagnose;
use crate::error::PgError;

/// Whole-transaction tries before giving up on deadlocks and vanished conflicts.
const TRIES: usize = 4;

/// A job whose completion rides on the commit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JobFence {
    pub id: JobId,
    pub attempt: u32,
    pub now: DateTime<Utc>,
}

/// Why a transaction stopped.
enum Failure {
    /// Report this; nothing was written.
    Final(StoreError),
    /// A unique index refused a row: read the rows in the way, then retry or report.
    Unique(String),
    /// Deadlock or serialization failure: run the transaction again.
    Transient(tokio_postgres::Error),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::Final(e)
    }
}

/// Classify a driver error during `operation`.
fn db(operation: &'static str) -> impl Fn(tokio_postgres::Error) -> Failure {
    move |e| {
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            let constraint = e
                .as_db_error()
                .and_then(|d| d.constraint())
                .unwrap_or("unknown")
                .to_string();
            return Failure::Unique(constraint);
        }
        if PgError::is_transient(&e) {
            return Failure::Transient(e);
        }
        Failure::Final(PgError::query(operation, e).into())
    }
}

type Tx<'a> = deadpool_postgres::Transaction<'a>;

/// Apply a commit, or complete a leased job with it, in one transaction.
pub(crate) async fn run(
    store: &PgStore,
    commit: &Commit,
    fence: Option<JobFence>,
) -> Result<CommitOutcome, StoreError> {
    let now = fence
        .map(|f| f.now)
        .or_else(|| commit.events.first().map(|e| e.at));
    let mut last: Option<PgError> = None;
    for _ in 0..TRIES {
        let mut client = store.client().await?;
        let tx = client
            .transaction()
            .await
            .map_err(crate::error::backend("begin a commit"))?;
        let result = async {
            if let Some(f) = &fence {
                lock_leased_job(&tx, f).await?;
            }
            let outcome = apply(&tx, commit, now).await?;
            if let Some(f) = &fence {
                tx.execute(
                    &tx.prepare_cached(FINISH_JOB).await.map_err(db("prepare"))?,
                    &[&f.id.uuid(), &f.now],
                )
                .await
                .map_err(db("mark the job done"))?;
            }
            Ok::<_, Failure>(outcome)
        }
        .await;
        match result {
            Ok(outcome) => {
                tx.commit()
                    .await
                    .map_err(crate::error::backend("commit the transaction"))?;
                return Ok(outcome);
            }
            Err(Failure::Final(e)) => {
                let _rolled_back = tx.rollback().await;
                return Err(e);
            }
            Err(Failure::Unique(constraint)) => {
                let _rolled_back = tx.rollback().await;
                if let Some(e) = diagnose(&client, commit).await? {
                    return Err(e);
                }
                last = Some(PgError::UnexplainedConflict { constraint });
            }
            Err(Failure::Transient(e)) => {
                let _rolled_back = tx.rollback().await;
                last = Some(PgError::query("commit (retried after deadlock)", e));
            }
        }
    }
    Err(last
        .unwrap_or(PgError::UnexplainedConflict {
            constraint: "unknown".to_string(),
        })
        .into())
}

const LOCK_JOB: &str = "SELECT attempts, state FROM jobs WHERE id = $1 FOR UPDATE";
const FINISH_JOB: &str =
    "UPDATE jobs SET state = 'done', finished_at = $2, lease_until = NULL WHERE id = $1";

async fn lock_leased_job(tx: &Tx<'_>, f: &JobFence) -> Result<(), Failure> {
    let stmt = tx.prepare_cached(LOCK_JOB).await.map_err(db("prepare"))?;
    let row = tx
        .query_opt(&stmt, &[&f.id.uuid()])
        .await
        .map_err(db("lock the job"))?;
    let Some(row) = row else {
        return Err(StoreError::NotFound {
            entity: "job",
            id: f.id.to_string(),
        }
        .into());
    };
    let attempts: i64 = row.try_get(0).map_err(db("read the job"))?;
    let state: &str = row.try_get(1).map_err(db("read the job"))?;
    if attempts != i64::from(f.attempt) || state != "leased" {
        return Err(StoreError::LeaseLost {
            job: f.id,
            attempt: f.attempt,
        }
        .into());
    }
    Ok(())
}

const INSERT_DEDUPE: &str = "INSERT INTO dedupe_keys (key, message_id, created_at) \
     VALUES ($1, $2, COALESCE($3::timestamptz, now())) ON CONFLICT (key) DO NOTHING";
const SELECT_DEDUPE: &str = "SELECT message_id FROM dedupe_keys WHERE key = $1";

/// Everything but the job: dedupe key, then records in the contract's order.
async fn apply(
    tx: &Tx<'_>,
    c: &Commit,
    now: Option<DateTime<Utc>>,
) -> Result<CommitOutcome, Failure> {
    if let Some(key) = &c.dedupe_key {
        let first_message = c.messages.iter().find_map(|w| match w {
            Write::Insert(m) => Some(m.id.uuid()),
            Write::Update { .. } => None,
        });
        let key = text(key.as_str());
        let stmt = tx
            .prepare_cached(INSERT_DEDUPE)
            .await
            .map_err(db("prepare"))?;
        let inserted = tx
            .execute(&stmt, &[&key, &first_message, &now])
            .await
            .map_err(db("insert the dedupe key"))?;
        if inserted == 0 {
            let stmt = tx
                .prepare_cached(SELECT_DEDUPE)
                .await
                .map_err(db("prepare"))?;
            let row = tx
                .query_opt(&stmt, &[&key])
                .await
                .map_err(db("read the dedupe key"))?;
            let existing = match row {
                Some(r) => r
                    .try_get::<_, Option<Uuid>>(0)
                    .map_err(db("read the dedupe key"))?,
                None => None,
            };
            return Ok(CommitOutcome::Duplicate {
                existing: existing
                    .map(|u| replytrack::conversation::MessageId::from_u128(u.as_u128())),
            });
        }
    }
    for w in &c.customers {
        write_customer(tx, w).await?;
    }
    for w in &c.conversations {
        write_conversation(tx, w).await?;
    }
    for w in &c.messages {
        write_message(tx, w).await?;
    }
    for t in &c.tokens {
        let stmt = tx
            .prepare_cached(
                "INSERT INTO tokens (token, customer_id, conversation_id, message_id, expires_at, doc) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .await
            .map_err(db("prepare"))?;
        tx.execute(
            &stmt,
            &[
                &t.token.to_string(),
                &t.customer.uuid(),
                &t.conversation.map(AsUuid::uuid),
                &t.message.uuid(),
                &t.expires_at,
                &Json(t),
            ],
        )
        .await
        .map_err(db("insert a token record"))?;
    }
    if !c.events.is_empty() {
        insert_events(tx, c).await?;
    }
    if !c.jobs.is_empty() {
        insert_jobs(tx, c, now).await?;
    }
    Ok(CommitOutcome::Applied)
}

/// The stored version after a write, and the version an update expects.
fn versions<T>(w: &Write<T>) -> (i64, Option<i64>) {
    match w {
        Write::Insert(_) => (1, None),
        Write::Update {
            expected_version, ..
        } => (
            db_version(expected_version.saturating_add(1)),
            Some(db_version(*expected_version)),
        ),
    }
}

/// An update matched no row: the record is missing, or at another version.
async fn version_failure(
    tx: &Tx<'_>,
    entity: &'static str,
    sql: &'static str,
    id: Uuid,
    shown: String,
    expected: i64,
) -> Failure {
    let row = match tx.prepare_cached(sql).await {
        Ok(stmt) => tx.query_opt(&stmt, &[&id]).await,
        Err(e) => Err(e),
    };
    match row {
        Err(e) => db("read a version")(e),
        Ok(None) => StoreError::NotFound { entity, id: shown }.into(),
        Ok(Some(r)) => match r.try_get::<_, i64>(0) {
            Err(e) => db("read a version")(e),
            Ok(found) => StoreError::from(replytrack::ports::Conflict::Version {
                entity,
                id: shown,
                expected: version(expected),
                found: version(found),
            })
            .into(),
        },
    }
}

async fn write_customer(tx: &Tx<'_>, w: &Write<Customer>) -> Result<(), Failure> {
    let (new_version, expected) = versions(w);
    let mut r = w.record().clone();
    r.version = version(new_version);
    let id = r.id.uuid();
    let external = opt_text(r.external_id.as_deref());
    match expected {
        None => {
            let stmt = tx
                .prepare_cached(
                    "INSERT INTO customers (id, external_id, version, created_at, doc) \
                     VALUES ($1, $2, 1, $3, $4)",
                )
                .await
                .map_err(db("prepare"))?;
            tx.execute(&stmt, &[&id, &external, &r.created_at, &Json(&r)])
                .await
                .map_err(db("insert a customer"))?;
        }
        Some(expected) => {
            let stmt = tx
                .prepare_cached(
                    "UPDATE customers SET external_id = $2, created_at = $3, doc = $4, \
                     version = version + 1 WHERE id = $1 AND version = $5",
                )
                .await
                .map_err(db("prepare"))?;
            let n = tx
                .execute(
                    &stmt,
                    &[&id, &external, &r.created_at, &Json(&r), &expected],
                )
                .await
                .map_err(db("update a customer"))?;
            if n == 0 {
                let sql = "SELECT version FROM customers WHERE id = $1";
                return Err(
                    version_failure(tx, "customer", sql, id, r.id.to_string(), expected).await,
                );
            }
        }
    }
    let addresses: Vec<String> = r.emails.iter().map(|e| text(&e.address).into()).collect();
    if expected.is_some() {
        let stmt = tx
            .prepare_cached(
                "DELETE FROM customer_emails WHERE customer_id = $1 AND NOT (address = ANY($2))",
            )
            .await
            .map_err(db("prepare"))?;
        tx.execute(&stmt, &[&id, &addresses])
            .await
            .map_err(db("update a customer's addresses"))?;
    }
    if !addresses.is_empty() {
        let stmt = tx
            .prepare_cached(
                "INSERT INTO customer_emails (address, customer_id) \
                 SELECT DISTINCT a, $2::uuid FROM unnest($1::text[]) AS a \
                 WHERE NOT EXISTS \
                   (SELECT 1 FROM customer_emails e WHERE e.address = a AND e.customer_id = $2)",
            )
            .await
            .map_err(db("prepare"))?;
        tx.execute(&stmt, &[&addresses, &id])
            .await
            .map_err(db("insert a customer's addresses"))?;
    }
    Ok(())
}

async fn write_conversation(
    tx: &Tx<'_>,
    w: &Write<replytrack::conversation::Conversation>,
) -> Result<(), Failure> {
    let (new_version, expected) = versions(w);
    let mut r = w.record().clone();
    r.version = version(new_version);
    let id = r.id.uuid();
    let labels: Vec<String> = r.labels.iter().map(|l| text(l).into()).collect();
    let search = index_words(&[r.subject.as_deref()]);
    let assignee = opt_text(r.assignee.as_deref());
    let team = opt_text(r.team.as_deref());
    let status = status_name(&r.status);
    let until = snooze_until(&r.status);
    let channel = channel_name(r.channel);
    let priority = priority_name(r.priority);
    let activity_at = activity(&r);
    let doc = Json(&r);
    let customer = r.customer.uuid();
    match expected {
        None => {
            let stmt = tx
                .prepare_cached(
                    "INSERT INTO conversations (id, customer_id, status, snooze_until, channel, \
                     assignee, team, labels, priority, activity_at, created_at, version, search, doc) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, \
                     array_to_tsvector($12::text[]), $13)",
                )
                .await
                .map_err(db("prepare"))?;
            tx.execute(
                &stmt,
                &[
                    &id,
                    &customer,
                    &status,
                    &until,
                    &channel,
                    &assignee,
                    &team,
                    &labels,
                    &priority,
                    &activity_at,
                    &r.created_at,
                    &search,
                    &doc,
                ],
            )
            .await
            .map_err(db("insert a conversation"))?;
        }
        Some(expected) => {
            let stmt = tx
                .prepare_cached(
                    "UPDATE conversations SET customer_id = $2, status = $3, snooze_until = $4, \
                     channel = $5, assignee = $6, team = $7, labels = $8, priority = $9, \
                     activity_at = $10, created_at = $11, search = array_to_tsvector($12::text[]), \
                     doc = $13, version = version + 1 WHERE id = $1 AND version = $14",
                )
                .await
                .map_err(db("prepare"))?;
            let n = tx
                .execute(
                    &stmt,
                    &[
                        &id,
                        &customer,
                        &status,
                        &until,
                        &channel,
                        &assignee,
                        &team,
                        &labels,
                        &priority,
                        &activity_at,
                        &r.created_at,
                        &search,
                        &doc,
                        &expected,
                    ],
                )
                .await
                .map_err(db("update a conversation"))?;
            if n == 0 {
                let sql = "SELECT version FROM conversations WHERE id = $1";
                return Err(version_failure(
                    tx,
                    "conversation",
                    sql,
                    id,
                    r.id.to_string(),
                    expected,
                )
                .await);
            }
        }
    }
    Ok(())
}

/// The `direction` column.
pub(crate) fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Outbound => "outbound",
        Direction::Inbound => "inbound",
        Direction::ManualLog => "manual_log",
        Direction::Note => "note",
    }
}

async fn write_message(tx: &Tx<'_>, w: &Write<Message>) -> Result<(), Failure> {
    let (new_version, expected) = versions(w);
    let mut r = w.record().clone();
    r.version = version(new_version);
    let id = r.id.uuid();
    let search = index_words(&[r.subject.as_deref(), Some(&r.body)]);
    let rfc = opt_text(r.rfc_message_id.as_deref());
    let direction = direction_name(r.direction);
    let customer = r.customer.uuid();
    let conversation = r.conversation.map(AsUuid::uuid);
    let doc = Json(&r);
    match expected {
        None => {
            let stmt = tx
                .prepare_cached(
                    "INSERT INTO messages (id, customer_id, conversation_id, direction, \
                     rfc_message_id, created_at, version, search, doc) \
                     VALUES ($1, $2, $3, $4, $5, $6, 1, array_to_tsvector($7::text[]), $8)",
                )
                .await
                .map_err(db("prepare"))?;
            tx.execute(
                &stmt,
                &[
                    &id,
                    &customer,
                    &conversation,
                    &direction,
                    &rfc,
                    &r.created_at,
                    &search,
                    &doc,
                ],
            )
            .await
            .map_err(db("insert a message"))?;
        }
        Some(expected) => {
            let stmt = tx
                .prepare_cached(
                    "UPDATE messages SET customer_id = $2, \
                     seq = CASE WHEN conversation_id IS DISTINCT FROM $3 \
                           THEN nextval('message_seq') ELSE seq END, \
                     conversation_id = $3, direction = $4, rfc_message_id = $5, created_at = $6, \
                     search = array_to_tsvector($7::text[]), doc = $8, version = version + 1 \
                     WHERE id = $1 AND version = $9",
                )
                .await
                .map_err(db("prepare"))?;
            let n = tx
                .execute(
                    &stmt,
                    &[
                        &id,
                        &customer,
                        &conversation,
                        &direction,
                        &rfc,
                        &r.created_at,
                        &search,
                        &doc,
                        &expected,
                    ],
                )
                .await
                .map_err(db("update a message"))?;
            if n == 0 {
                let sql = "SELECT version FROM messages WHERE id = $1";
                return Err(
                    version_failure(tx, "message", sql, id, r.id.to_string(), expected).await,
                );
            }
        }
    }
    Ok(())
}

async fn insert_events(tx: &Tx<'_>, c: &Commit) -> Result<(), Failure> {
    let ids: Vec<Uuid> = c.events.iter().map(|e| e.id.uuid()).collect();
    let customers: Vec<Uuid> = c.events.iter().map(|e| e.customer.uuid()).collect();
    let conversations: Vec<Option<Uuid>> = c
        .events
        .iter()
        .map(|e| e.conversation.map(AsUuid::uuid))
        .collect();
    let messages: Vec<Option<Uuid>> = c
        .events
        .iter()
        .map(|e| e.message.map(AsUuid::uuid))
        .collect();
    let ats: Vec<DateTime<Utc>> = c.events.iter().map(|e| e.at).collect();
    let kinds: Vec<&str> = c.events.iter().map(|e| e.kind.name()).collect();
    let docs: Vec<Json<&replytrack::conversation::TimelineEvent>> =
        c.events.iter().map(Json).collect();
    let stmt = tx
        .prepare_cached(
            "INSERT INTO events (id, customer_id, conversation_id, message_id, at, kind, doc) \
             SELECT id, customer_id, conversation_id, message_id, at, kind, doc \
             FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], \
                         $6::text[], $7::json[]) \
                  WITH ORDINALITY AS e(id, customer_id, conversation_id, message_id, at, kind, doc, n) \
             ORDER BY n",
        )
        .await
        .map_err(db("prepare"))?;
    tx.execute(
        &stmt,
        &[
            &ids,
            &customers,
            &conversations,
            &messages,
            &ats,
            &kinds,
            &docs,
        ],
    )
    .await
    .map_err(db("insert timeline events"))?;
    Ok(())
}

async fn insert_jobs(tx: &Tx<'_>, c: &Commit, now: Option<DateTime<Utc>>) -> Result<(), Failure> {
    let ids: Vec<Uuid> = c.jobs.iter().map(|j| j.id.uuid()).collect();
    let kinds: Vec<&str> = c.jobs.iter().map(|j| j.kind.name()).collect();
    let messages: Vec<Uuid> = c.jobs.iter().map(|j| j.message.uuid()).collect();
    let max_attempts: Vec<i64> = c.jobs.iter().map(|j| i64::from(j.max_attempts)).collect();
    let run_at: Vec<DateTime<Utc>> = c.jobs.iter().map(|j| j.run_at).collect();
    let stmt = tx
        .prepare_cached(
            "INSERT INTO jobs (id, kind, message_id, state, attempts, max_attempts, run_at, created_at) \
             SELECT id, kind, message_id, 'queued', 0, max_attempts, run_at, \
                    COALESCE($6::timestamptz, run_at) \
             FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::timestamptz[]) \
                  AS j(id, kind, message_id, max_attempts, run_at)",
        )
        .await
        .map_err(db("prepare"))?;
    tx.execute(
        &stmt,
        &[&ids, &kinds, &messages, &max_attempts, &run_at, &now],
    )
    .await
    .map_err(db("enqueue jobs"))?;
    Ok(())
}

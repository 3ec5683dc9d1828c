//! [`Store::commit`](replytrack::ports::Store::commit) and `complete_job`: one transaction that
//! writes everything or nothing.
//!
//! The happy path trusts the database and costs one round trip: `BEGIN`, every write and
//! `COMMIT` pipelined ([`crate::plan`], [`crate::pipeline`]). The dedupe key goes first (`ON
//! CONFLICT DO NOTHING`: a concurrent delivery of the same message waits for this transaction,
//! then finds the key), updates carry `WHERE version = $n`, unique indexes refuse what would
//! break a rule, and a check that fails aborts the transaction. The first failure is read back
//! in order; the rows in the way are then read to name the [`Conflict`] ([`crate::diagnose`]). Deadlocks, serialization failures and refusals whose cause is gone by
//! the time it is read (the other writer rolled back) are retried a few times.

use chrono::{DateTime, Utc};
use deadpool_postgres::Object;
use replytrack::conversation::{JobId, MessageId};
use replytrack::ports::{Commit, CommitOutcome, Conflict, StoreError};
use tokio_postgres::error::SqlState;
use uuid::Uuid;

use crate::PgStore;
use crate::codec::{AsUuid, text, version};
use crate::diagnose::diagnose;
use crate::error::{PgError, backend};
use crate::pipeline;
use crate::plan::{self, Check};

/// Whole-transaction tries before giving up on deadlocks and vanished conflicts.
const TRIES: usize = 4;

/// A job whose completion rides on the commit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JobFence {
    pub id: JobId,
    pub attempt: u32,
    pub now: DateTime<Utc>,
}

/// Why a transaction did not commit.
enum Failure {
    /// Report this.
    Final(StoreError),
    /// A unique index refused a row: read the rows in the way, then report or retry.
    Unique(String),
    /// Deadlock or serialization failure: run the transaction again.
    Transient(tokio_postgres::Error),
    /// The dedupe key was already stored.
    Duplicate,
    /// A versioned update matched no row.
    Stale {
        entity: &'static str,
        version_sql: &'static str,
        id: Uuid,
        shown: String,
        expected: i64,
    },
    /// The job is not leased to this attempt (or does not exist).
    Fence { id: JobId, attempt: u32 },
}

/// Classify a driver error of the step doing `operation`.
fn classify(operation: &'static str, e: tokio_postgres::Error) -> Failure {
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

/// Apply a commit, or complete a leased job with it, in one transaction.
pub(crate) async fn run(
    store: &PgStore,
    commit: &Commit,
    fence: Option<JobFence>,
) -> Result<CommitOutcome, StoreError> {
    let now = fence
        .map(|f| f.now)
        .or_else(|| commit.events.first().map(|e| e.at));
    let mut steps = Vec::new();
    if let Some(f) = fence {
        steps.push(plan::finish_job(f.id, f.attempt, f.now));
    }
    steps.extend(plan::steps(commit, now));
    let mut last: Option<PgError> = None;
    for _ in 0..TRIES {
        let mut client = store.client().await?;
        let failure = match attempt(&mut client, &steps).await {
            Ok(()) => return Ok(CommitOutcome::Applied),
            Err(f) => f,
        };
        match failure {
            Failure::Final(e) => return Err(e),
            Failure::Unique(constraint) => {
                if let Some(e) = diagnose(&client, commit).await? {
                    return Err(e);
                }
                last = Some(PgError::UnexplainedConflict { constraint });
            }
            Failure::Transient(e) => {
                last = Some(PgError::query("commit (retried after a deadlock)", e));
            }
            Failure::Stale {
                entity,
                version_sql,
                id,
                shown,
                expected,
            } => match stored_version(&client, version_sql, id).await? {
                None => return Err(StoreError::NotFound { entity, id: shown }),
                Some(found) if found != expected => {
                    return Err(Conflict::Version {
                        entity,
                        id: shown,
                        expected: version(expected),
                        found: version(found),
                    }
                    .into());
                }
                // Inserted by a writer that committed after this update looked: try again.
                Some(_) => {}
            },
            Failure::Fence { id, attempt } => {
                return Err(match stored_job(&client, id).await? {
                    false => StoreError::NotFound {
                        entity: "job",
                        id: id.to_string(),
                    },
                    true => StoreError::LeaseLost { job: id, attempt },
                });
            }
            Failure::Duplicate => {
                if let Some(f) = fence {
                    // The results are already stored: the job is done all the same.
                    let finish = [plan::finish_job(f.id, f.attempt, f.now)];
                    match attempt(&mut client, &finish).await {
                        Ok(()) => {}
                        Err(Failure::Fence { id, attempt }) => {
                            return Err(StoreError::LeaseLost { job: id, attempt });
                        }
                        Err(_) => continue,
                    }
                }
                if let Some(key) = &commit.dedupe_key {
                    let existing = stored_dedupe(&client, key.as_str()).await?;
                    return Ok(CommitOutcome::Duplicate { existing });
                }
            }
        }
    }
    Err(last
        .unwrap_or(PgError::UnexplainedConflict {
            constraint: "unknown".to_string(),
        })
        .into())
}

/// The SQLSTATE `require_rows` raises when a checked statement touched no row.
const CHECK_FAILED: &str = "RT409";

/// One transaction in one round trip; why it did not commit, if it did not.
async fn attempt(client: &mut Object, steps: &[plan::Step]) -> Result<(), Failure> {
    match pipeline::transaction(client, steps).await {
        pipeline::Outcome::Committed => Ok(()),
        pipeline::Outcome::Failed(i, e) => {
            let Some(step) = steps.get(i) else {
                return Err(classify("commit", e));
            };
            if e.code().map(SqlState::code) != Some(CHECK_FAILED) {
                return Err(classify(step.operation, e));
            }
            Err(match &step.check {
                Check::Dedupe => Failure::Duplicate,
                Check::Updated {
                    entity,
                    version_sql,
                    id,
                    shown,
                    expected,
                } => Failure::Stale {
                    entity,
                    version_sql,
                    id: *id,
                    shown: shown.clone(),
                    expected: *expected,
                },
                Check::Fence { id, attempt } => Failure::Fence {
                    id: *id,
                    attempt: *attempt,
                },
                Check::None => classify(step.operation, e),
            })
        }
        pipeline::Outcome::Broken(operation, e) => Err(if PgError::is_transient(&e) {
            Failure::Transient(e)
        } else {
            Failure::Final(PgError::query(operation, e).into())
        }),
    }
}

async fn stored_version(
    client: &Object,
    sql: &'static str,
    id: Uuid,
) -> Result<Option<i64>, StoreError> {
    let stmt = client
        .prepare_cached(sql)
        .await
        .map_err(backend("read a version"))?;
    client
        .query_opt(&stmt, &[&id])
        .await
        .map_err(backend("read a version"))?
        .map(|r| r.try_get::<_, i64>(0))
        .transpose()
        .map_err(backend("read a version"))
}

async fn stored_job(client: &Object, id: JobId) -> Result<bool, StoreError> {
    let stmt = client
        .prepare_cached("SELECT 1 FROM jobs WHERE id = $1")
        .await
        .map_err(backend("read a job"))?;
    Ok(client
        .query_opt(&stmt, &[&id.uuid()])
        .await
        .map_err(backend("read a job"))?
        .is_some())
}

async fn stored_dedupe(client: &Object, key: &str) -> Result<Option<MessageId>, StoreError> {
    let stmt = client
        .prepare_cached("SELECT message_id FROM dedupe_keys WHERE key = $1")
        .await
        .map_err(backend("read the dedupe key"))?;
    let id: Option<Uuid> = client
        .query_opt(&stmt, &[&text(key)])
        .await
        .map_err(backend("read the dedupe key"))?
        .map(|r| r.try_get::<_, Option<Uuid>>(0))
        .transpose()
        .map_err(backend("read the dedupe key"))?
        .flatten();
    Ok(id.map(|u| MessageId::from_u128(u.as_u128())))
}

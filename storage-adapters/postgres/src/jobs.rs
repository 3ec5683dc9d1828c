//! The durable job queue: claims with `FOR UPDATE SKIP LOCKED`, leases fenced by the attempt
//! number, retries at a time the worker chooses, dead letters.
//!
//! A claim takes jobs that are queued and due, or leased with an ended lease (a worker that
//! died). Each claimed job counts one more attempt and is leased until `now + lease`; a job whose
//! attempts are already spent is dead-lettered instead of claimed (every lease it had ran out).

use chrono::{DateTime, Duration, Utc};
use replytrack::conversation::{Job, JobId, JobKind, JobState, MessageId};
use replytrack::ports::{JobLease, JobRetry, StoreError};
use tokio_postgres::Row;
use uuid::Uuid;

use crate::PgStore;
use crate::codec::{AsUuid, col, job_kind};
use crate::error::{PgError, backend, cut};

/// Columns of a job row, in [`job_from_row`]'s order.
const JOB_COLUMNS: &str = "j.id, j.kind, j.message_id, j.state, j.lease_until, j.finished_at, \
                           j.attempts, j.max_attempts, j.run_at, j.last_error, j.created_at";

/// Longest `last_error` kept, in characters.
const MAX_ERROR_CHARS: usize = 2_000;

/// The claim update applied to the rows picked by a `due` CTE ($2: now, $4: lease end).
fn claim_sql(pick: &str) -> String {
    format!(
        "WITH due AS ({pick} FOR UPDATE SKIP LOCKED) \
         UPDATE jobs j SET \
           attempts = CASE WHEN j.attempts >= j.max_attempts THEN j.attempts ELSE j.attempts + 1 END, \
           state = CASE WHEN j.attempts >= j.max_attempts THEN 'dead' ELSE 'leased' END, \
           lease_until = CASE WHEN j.attempts >= j.max_attempts THEN NULL ELSE $4::timestamptz END, \
           finished_at = CASE WHEN j.attempts >= j.max_attempts THEN $2::timestamptz END, \
           last_error = CASE WHEN j.attempts >= j.max_attempts \
             THEN COALESCE(j.last_error, 'attempts exhausted by expired leases') \
             ELSE j.last_error END \
         FROM due WHERE j.id = due.id \
         RETURNING {JOB_COLUMNS}"
    )
}

/// Due: queued with `run_at <= now`, or leased with an ended lease.
const DUE: &str =
    "((state = 'queued' AND run_at <= $2) OR (state = 'leased' AND lease_until <= $2))";

fn claim_many_sql() -> String {
    claim_sql(&format!(
        "SELECT id FROM jobs WHERE kind = $1 AND state IN ('queued', 'leased') AND {DUE} \
         ORDER BY run_at, id LIMIT $3"
    ))
}

fn claim_one_sql() -> String {
    claim_sql(&format!(
        "SELECT id FROM jobs WHERE id = $1 AND {DUE} LIMIT $3"
    ))
}

/// A job from a row of [`JOB_COLUMNS`].
fn job_from_row(row: &Row) -> Result<Job, StoreError> {
    let id: Uuid = col(row, "id")?;
    let kind: &str = col(row, "kind")?;
    let state: &str = col(row, "state")?;
    let lease_until: Option<DateTime<Utc>> = col(row, "lease_until")?;
    let finished_at: Option<DateTime<Utc>> = col(row, "finished_at")?;
    let bad = |column: &'static str, value: &str| -> StoreError {
        PgError::BadColumn {
            entity: "job",
            id: id.to_string(),
            column,
            value: cut(value),
        }
        .into()
    };
    let state = match (state, lease_until, finished_at) {
        ("queued", _, _) => JobState::Queued,
        ("leased", Some(until), _) => JobState::Leased { until },
        ("done", _, Some(at)) => JobState::Done { at },
        ("dead", _, Some(at)) => JobState::Dead { at },
        (other, _, _) => return Err(bad("state", other)),
    };
    let attempts: i64 = col(row, "attempts")?;
    let max_attempts: i64 = col(row, "max_attempts")?;
    let message: Uuid = col(row, "message_id")?;
    Ok(Job {
        id: JobId::from_u128(id.as_u128()),
        kind: job_kind(&id, kind)?,
        message: MessageId::from_u128(message.as_u128()),
        state,
        attempts: u32::try_from(attempts).map_err(|_| bad("attempts", &attempts.to_string()))?,
        max_attempts: u32::try_from(max_attempts)
            .map_err(|_| bad("max_attempts", &max_attempts.to_string()))?,
        run_at: col(row, "run_at")?,
        last_error: col(row, "last_error")?,
        created_at: col(row, "created_at")?,
    })
}

/// The leases among claimed rows (dead-lettered ones dropped), oldest `run_at` first, and how
/// many rows the claim touched.
fn leases(rows: &[Row]) -> Result<(Vec<JobLease>, usize), StoreError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let job = job_from_row(row)?;
        if let JobState::Leased { until } = job.state {
            out.push(JobLease { job, until });
        }
    }
    out.sort_by_key(|a| (a.job.run_at, a.job.id));
    Ok((out, rows.len()))
}

impl PgStore {
    pub(crate) async fn claim_many(
        &self,
        kind: JobKind,
        limit: usize,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Vec<JobLease>, StoreError> {
        let until = now + lease;
        let sql = claim_many_sql();
        let mut out: Vec<JobLease> = Vec::new();
        // Dead-lettered rows use up the LIMIT without being claims: ask again for the rest.
        while out.len() < limit {
            let want = limit - out.len();
            let n = i64::try_from(want).unwrap_or(i64::MAX);
            let rows = self
                .rows("claim jobs", &sql, &[&kind.name(), &now, &n, &until])
                .await?;
            let (mut got, touched) = leases(&rows)?;
            let short = got.len() == touched;
            out.append(&mut got);
            if short || i64::try_from(touched).unwrap_or(0) < n {
                break;
            }
        }
        Ok(out)
    }

    pub(crate) async fn claim_one(
        &self,
        id: JobId,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> Result<Option<JobLease>, StoreError> {
        let until = now + lease;
        let rows = self
            .rows(
                "claim a job",
                &claim_one_sql(),
                &[&id.uuid(), &now, &1_i64, &until],
            )
            .await?;
        Ok(leases(&rows)?.0.into_iter().next())
    }

    pub(crate) async fn fail(
        &self,
        id: JobId,
        attempt: u32,
        error: &str,
        retry: JobRetry,
        now: DateTime<Utc>,
    ) -> Result<JobState, StoreError> {
        let error: String = error
            .chars()
            .take(MAX_ERROR_CHARS)
            .map(|c| if c == '\0' { '\u{fffd}' } else { c })
            .collect();
        let retry_at = match retry {
            JobRetry::At(at) => Some(at),
            JobRetry::DeadLetter => None,
        };
        let sql = format!(
            "UPDATE jobs j SET last_error = $3, \
               state = CASE WHEN $4::timestamptz IS NULL THEN 'dead' ELSE 'queued' END, \
               run_at = COALESCE($4::timestamptz, j.run_at), \
               lease_until = NULL, \
               finished_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz END \
             WHERE j.id = $1 AND j.attempts = $2 AND j.state = 'leased' \
             RETURNING {JOB_COLUMNS}"
        );
        let row = self
            .row(
                "fail a job",
                &sql,
                &[&id.uuid(), &i64::from(attempt), &error, &retry_at, &now],
            )
            .await?;
        match row {
            Some(r) => Ok(job_from_row(&r)?.state),
            None => match self.get_job(id).await? {
                None => Err(StoreError::NotFound {
                    entity: "job",
                    id: id.to_string(),
                }),
                Some(_) => Err(StoreError::LeaseLost { job: id, attempt }),
            },
        }
    }

    pub(crate) async fn get_job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs j WHERE j.id = $1");
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&sql)
            .await
            .map_err(backend("read a job"))?;
        client
            .query_opt(&stmt, &[&id.uuid()])
            .await
            .map_err(backend("read a job"))?
            .map(|r| job_from_row(&r))
            .transpose()
    }
}

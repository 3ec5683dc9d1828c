//! The job queue: claims under the write lock (SQLite's one writer plays the part of
//! `FOR UPDATE SKIP LOCKED`), leases, the attempt number as fencing token, retries and dead
//! letters. The same rules as the in-memory store's, row for row.

use chrono::{DateTime, Duration, Utc};
use replytrack::conversation::{Job, JobId, JobKind, JobState};
use replytrack::ports::{Commit, JobLease, JobRetry, StoreError, cut_error};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::codec::{job_kind, micros, parse, time};
use crate::error::SqliteError;

type Result<T> = std::result::Result<T, StoreError>;

const COLUMNS: &str = "id, kind, message, state, lease_until, finished_at, attempts, \
                       max_attempts, run_at, last_error, created_at";

const EXHAUSTED: &str = "attempts exhausted by expired leases";

/// The raw columns of a job row, read before they are checked.
struct RawJob {
    id: String,
    kind: String,
    message: String,
    state: String,
    lease_until: Option<i64>,
    finished_at: Option<i64>,
    attempts: i64,
    max_attempts: i64,
    run_at: i64,
    last_error: Option<String>,
    created_at: i64,
}

fn raw(r: &Row<'_>) -> rusqlite::Result<RawJob> {
    Ok(RawJob {
        id: r.get(0)?,
        kind: r.get(1)?,
        message: r.get(2)?,
        state: r.get(3)?,
        lease_until: r.get(4)?,
        finished_at: r.get(5)?,
        attempts: r.get(6)?,
        max_attempts: r.get(7)?,
        run_at: r.get(8)?,
        last_error: r.get(9)?,
        created_at: r.get(10)?,
    })
}

fn decode(j: RawJob) -> std::result::Result<Job, SqliteError> {
    let id = j.id.as_str();
    let at = |column, v| time("job", id, column, v);
    let missing = |column: &'static str| SqliteError::Column {
        entity: "job",
        id: id.to_string(),
        column,
        value: "NULL".into(),
    };
    let state = match j.state.as_str() {
        "queued" => JobState::Queued,
        "leased" => JobState::Leased {
            until: at(
                "lease_until",
                j.lease_until.ok_or_else(|| missing("lease_until"))?,
            )?,
        },
        "done" => JobState::Done {
            at: at(
                "finished_at",
                j.finished_at.ok_or_else(|| missing("finished_at"))?,
            )?,
        },
        "dead" => JobState::Dead {
            at: at(
                "finished_at",
                j.finished_at.ok_or_else(|| missing("finished_at"))?,
            )?,
        },
        other => {
            return Err(SqliteError::Column {
                entity: "job",
                id: id.to_string(),
                column: "state",
                value: other.chars().take(64).collect(),
            });
        }
    };
    Ok(Job {
        id: parse("job", "id", id)?,
        kind: job_kind(id, &j.kind)?,
        message: parse("job", "message", &j.message)?,
        state,
        attempts: u32::try_from(j.attempts).unwrap_or(u32::MAX),
        max_attempts: u32::try_from(j.max_attempts).unwrap_or(u32::MAX),
        run_at: at("run_at", j.run_at)?,
        last_error: j.last_error,
        created_at: at("created_at", j.created_at)?,
    })
}

pub(crate) fn job(conn: &Connection, id: JobId) -> Result<Option<Job>> {
    let row = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id.to_string()], raw).optional())
        .map_err(SqliteError::sql("reading a job"))?;
    Ok(match row {
        Some(r) => Some(decode(r)?),
        None => None,
    })
}

/// Write a job's state, attempts, run time and error back.
fn save(tx: &Connection, j: &Job) -> Result<()> {
    let (state, lease_until, finished_at) = match j.state {
        JobState::Queued => ("queued", None, None),
        JobState::Leased { until } => ("leased", Some(micros(until)), None),
        JobState::Done { at } => ("done", None, Some(micros(at))),
        JobState::Dead { at } => ("dead", None, Some(micros(at))),
    };
    tx.prepare_cached(
        "UPDATE jobs SET state = ?2, lease_until = ?3, finished_at = ?4, attempts = ?5,
             run_at = ?6, last_error = ?7
         WHERE id = ?1",
    )
    .and_then(|mut s| {
        s.execute(params![
            j.id.to_string(),
            state,
            lease_until,
            finished_at,
            j.attempts,
            micros(j.run_at),
            j.last_error
        ])
    })
    .map_err(SqliteError::sql("updating a job"))?;
    Ok(())
}

/// Whether a job can be claimed at `now`: queued and due, or leased with the lease ended.
fn free(j: &Job, now: DateTime<Utc>) -> bool {
    match j.state {
        JobState::Queued => j.run_at <= now,
        JobState::Leased { until } => until <= now,
        JobState::Done { .. } | JobState::Dead { .. } => false,
    }
}

/// Claim a free job, or dead-letter it when its attempts are spent (a worker crashed holding
/// each of its leases).
fn take(
    tx: &Connection,
    mut j: Job,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<JobLease>> {
    if j.attempts >= j.max_attempts {
        j.state = JobState::Dead { at: now };
        j.last_error.get_or_insert_with(|| EXHAUSTED.to_string());
        save(tx, &j)?;
        return Ok(None);
    }
    let until = now + lease;
    j.attempts += 1;
    j.state = JobState::Leased { until };
    save(tx, &j)?;
    Ok(Some(JobLease { job: j, until }))
}

pub(crate) fn claim_jobs(
    tx: &Connection,
    kind: JobKind,
    limit: usize,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Vec<JobLease>> {
    let mut out = Vec::new();
    // Each round reads up to the missing number of free jobs in order; claimed ones are then
    // leased past `now` and dead-lettered ones finished, so the next round reads new rows.
    while out.len() < limit {
        let want = limit - out.len();
        let batch: Vec<RawJob> = {
            let mut stmt = tx
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM jobs
                     WHERE kind = ?1 AND state IN ('queued', 'leased') AND run_at <= ?2
                       AND (state = 'queued' OR lease_until <= ?2)
                     ORDER BY run_at, id LIMIT ?3"
                ))
                .map_err(SqliteError::sql("claiming jobs"))?;
            let rows = stmt
                .query_map(
                    params![
                        kind.name(),
                        micros(now),
                        i64::try_from(want).unwrap_or(i64::MAX)
                    ],
                    raw,
                )
                .map_err(SqliteError::sql("claiming jobs"))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(SqliteError::sql("claiming jobs"))?
        };
        let full = batch.len() == want;
        for r in batch {
            let j = decode(r)?;
            if free(&j, now)
                && let Some(l) = take(tx, j, now, lease)?
            {
                out.push(l);
            }
        }
        if !full {
            break;
        }
    }
    Ok(out)
}

pub(crate) fn claim_job(
    tx: &Connection,
    id: JobId,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<JobLease>> {
    match job(tx, id)? {
        Some(j) if free(&j, now) => take(tx, j, now, lease),
        _ => Ok(None),
    }
}

/// The job, if it is leased to `attempt`.
fn leased(tx: &Connection, id: JobId, attempt: u32) -> Result<Job> {
    let j = job(tx, id)?.ok_or_else(|| StoreError::NotFound {
        entity: "job",
        id: id.to_string(),
    })?;
    if j.attempts != attempt || !matches!(j.state, JobState::Leased { .. }) {
        return Err(StoreError::LeaseLost { job: id, attempt });
    }
    Ok(j)
}

pub(crate) fn complete_job(
    tx: &Connection,
    id: JobId,
    attempt: u32,
    now: DateTime<Utc>,
    commit: Commit,
) -> Result<()> {
    let mut j = leased(tx, id, attempt)?;
    // A duplicate means the results were stored under that key before: the job is done.
    let _outcome = crate::commit::apply(tx, commit, Some(now))?;
    j.state = JobState::Done { at: now };
    save(tx, &j)
}

pub(crate) fn fail_job(
    tx: &Connection,
    id: JobId,
    attempt: u32,
    error: &str,
    retry: JobRetry,
    now: DateTime<Utc>,
) -> Result<JobState> {
    let mut j = leased(tx, id, attempt)?;
    j.last_error = Some(cut_error(error));
    j.state = match retry {
        JobRetry::At(at) => {
            j.run_at = at;
            JobState::Queued
        }
        JobRetry::DeadLetter => JobState::Dead { at: now },
    };
    save(tx, &j)?;
    Ok(j.state)
}

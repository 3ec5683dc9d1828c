//! The durable job queue: claims with leases, the attempt number as fencing token, retries with
//! backoff and dead letters.

use std::sync::Arc;

use chrono::Duration;
use replytrack::conversation::{JobId, JobKind, JobState, NewJob, RetryPolicy};
use replytrack::ports::{
    Commit, Conflict, DedupeKey, JobRetry, MAX_ERROR_CHARS, Store, StoreError, TimelineScope, Write,
};

use crate::fixtures::*;

fn lease() -> Duration {
    Duration::minutes(5)
}

async fn enqueue(s: &dyn Store, jobs: Vec<NewJob>) {
    apply(
        s,
        Commit {
            jobs,
            ..Commit::default()
        },
    )
    .await;
}

async fn state(s: &dyn Store, id: JobId) -> JobState {
    ok("job", s.job(id).await)
        .unwrap_or_else(|| panic!("job {id} is stored"))
        .state
}

/// Due jobs of the asked kind are claimed oldest `run_at` first, up to the limit; each gets a
/// lease until `now + lease` and its first attempt. Jobs not yet due and other kinds stay.
pub async fn a_claim_leases_due_jobs_oldest_first(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let late = job(JobKind::Analysis, at(2), 3);
    let oldest = job(JobKind::Analysis, at(0), 3);
    let middle = job(JobKind::Analysis, at(1), 3);
    let future = job(JobKind::Analysis, at(100), 3);
    let other = job(JobKind::Forward, at(0), 3);
    enqueue(
        s,
        vec![
            late.clone(),
            oldest.clone(),
            middle.clone(),
            future.clone(),
            other.clone(),
        ],
    )
    .await;
    let now = at(10);
    let got = ok(
        "claim",
        s.claim_jobs(JobKind::Analysis, 2, now, lease()).await,
    );
    assert_eq!(
        got.iter().map(|l| l.job.id).collect::<Vec<_>>(),
        vec![oldest.id, middle.id]
    );
    for l in &got {
        assert_eq!(l.attempt(), 1);
        assert_eq!(l.until, now + lease());
        assert_eq!(
            l.job.state,
            JobState::Leased {
                until: now + lease()
            }
        );
        assert_eq!(state(s, l.job.id).await, l.job.state);
    }
    let rest = ok(
        "claim",
        s.claim_jobs(JobKind::Analysis, 10, now, lease()).await,
    );
    assert_eq!(
        rest.iter().map(|l| l.job.id).collect::<Vec<_>>(),
        vec![late.id]
    );
    assert_eq!(state(s, future.id).await, JobState::Queued);
    assert_eq!(state(s, other.id).await, JobState::Queued);
    assert!(
        ok(
            "claim",
            s.claim_jobs(JobKind::Analysis, 0, now, lease()).await
        )
        .is_empty()
    );
}

/// A leased job is invisible until its lease ends; then another worker claims it with the next
/// attempt number.
pub async fn a_leased_job_is_not_claimed_again_until_its_lease_ends(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let j = job(JobKind::Forward, at(0), 5);
    enqueue(s, vec![j.clone()]).await;
    let first = ok(
        "claim",
        s.claim_jobs(JobKind::Forward, 5, at(0), lease()).await,
    );
    assert_eq!(first.len(), 1);
    let just_before = at(0) + lease() - Duration::seconds(1);
    assert!(
        ok(
            "claim",
            s.claim_jobs(JobKind::Forward, 5, just_before, lease())
                .await
        )
        .is_empty()
    );
    assert_eq!(
        ok("claim", s.claim_job(j.id, just_before, lease()).await),
        None
    );
    let again = ok(
        "claim",
        s.claim_jobs(JobKind::Forward, 5, at(0) + lease(), lease())
            .await,
    );
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempt(), 2);
    assert_eq!(again[0].until, at(0) + lease() * 2);
}

/// `claim_job` takes one job by id when it is due and free, and `None` otherwise.
pub async fn claim_job_takes_one_free_job_by_id(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let j = job(JobKind::Forward, at(0), 3);
    let later = job(JobKind::Forward, at(60), 3);
    enqueue(s, vec![j.clone(), later.clone()]).await;
    let l = ok("claim", s.claim_job(j.id, at(0), lease()).await)
        .unwrap_or_else(|| panic!("a due free job is claimed"));
    assert_eq!((l.job.id, l.attempt()), (j.id, 1));
    assert_eq!(ok("again", s.claim_job(j.id, at(1), lease()).await), None);
    assert_eq!(
        ok("not due", s.claim_job(later.id, at(59), lease()).await),
        None
    );
    assert_eq!(
        ok(
            "unknown",
            s.claim_job(JobId::generate(at(0)), at(0), lease()).await
        ),
        None
    );
    ok(
        "complete",
        s.complete_job(j.id, 1, at(1), Commit::default()).await,
    );
    assert_eq!(
        ok("done", s.claim_job(j.id, at(1_000), lease()).await),
        None
    );
}

/// Completing writes the job's results in the same step and marks it done; it is never
/// claimed again and cannot be completed twice.
pub async fn completing_a_job_applies_its_commit_and_finishes_it(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let c = stored_customer(s, "results").await;
    let j = job(JobKind::Analysis, at(0), 3);
    enqueue(s, vec![j.clone()]).await;
    let l = ok(
        "claim",
        s.claim_jobs(JobKind::Analysis, 1, at(0), lease()).await,
    );
    let e = event(c.id, None, at(1), "analysis");
    ok(
        "complete",
        s.complete_job(
            j.id,
            l[0].attempt(),
            at(1),
            Commit {
                events: vec![e.clone()],
                ..Commit::default()
            },
        )
        .await,
    );
    assert_eq!(state(s, j.id).await, JobState::Done { at: at(1) });
    assert_eq!(
        ok("timeline", s.timeline(TimelineScope::Customer(c.id)).await),
        vec![e]
    );
    let twice = s.complete_job(j.id, 1, at(2), Commit::default()).await;
    assert!(
        matches!(twice, Err(StoreError::LeaseLost { job, attempt: 1 }) if job == j.id),
        "{twice:?}"
    );
    assert!(
        ok(
            "claim",
            s.claim_jobs(JobKind::Analysis, 5, at(10_000), lease())
                .await
        )
        .is_empty()
    );
}

/// A worker whose lease ended and whose job was claimed again can neither complete (its results
/// are not written) nor fail it; the new holder can.
pub async fn a_worker_whose_lease_was_lost_cannot_complete_or_fail(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let c = stored_customer(s, "slow").await;
    let j = job(JobKind::Forward, at(0), 5);
    enqueue(s, vec![j.clone()]).await;
    let slow =
        ok("claim", s.claim_job(j.id, at(0), lease()).await).unwrap_or_else(|| panic!("claimed"));
    let fast = ok("claim", s.claim_job(j.id, at(0) + lease(), lease()).await)
        .unwrap_or_else(|| panic!("claimed after the lease ended"));
    assert_eq!((slow.attempt(), fast.attempt()), (1, 2));
    let late = s
        .complete_job(
            j.id,
            slow.attempt(),
            at(400),
            Commit {
                events: vec![event(c.id, None, at(400), "late")],
                ..Commit::default()
            },
        )
        .await;
    assert!(
        matches!(late, Err(StoreError::LeaseLost { attempt: 1, .. })),
        "{late:?}"
    );
    assert!(ok("timeline", s.timeline(TimelineScope::Customer(c.id)).await).is_empty());
    let fail = s
        .fail_job(j.id, slow.attempt(), "late", JobRetry::DeadLetter, at(400))
        .await;
    assert!(
        matches!(fail, Err(StoreError::LeaseLost { attempt: 1, .. })),
        "{fail:?}"
    );
    assert_eq!(
        state(s, j.id).await,
        JobState::Leased {
            until: at(0) + lease() * 2
        }
    );
    ok(
        "complete",
        s.complete_job(j.id, fast.attempt(), at(401), Commit::default())
            .await,
    );
    assert_eq!(state(s, j.id).await, JobState::Done { at: at(401) });
}

/// When the results commit is refused, nothing is written and the job stays leased to the
/// worker, which may then fail it or complete it otherwise.
pub async fn a_completion_whose_commit_is_refused_leaves_the_job_leased(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let taken = stored_customer(s, "taken").await;
    let j = job(JobKind::Analysis, at(0), 3);
    enqueue(s, vec![j.clone()]).await;
    let l =
        ok("claim", s.claim_job(j.id, at(0), lease()).await).unwrap_or_else(|| panic!("claimed"));
    let err = s
        .complete_job(
            j.id,
            l.attempt(),
            at(1),
            Commit {
                customers: vec![Write::Insert(taken.clone())],
                events: vec![event(taken.id, None, at(1), "x")],
                ..Commit::default()
            },
        )
        .await;
    assert!(
        matches!(
            err,
            Err(StoreError::Conflict(Conflict::IdTaken {
                entity: "customer",
                ..
            }))
        ),
        "{err:?}"
    );
    assert_eq!(state(s, j.id).await, l.job.state);
    assert!(
        ok(
            "timeline",
            s.timeline(TimelineScope::Customer(taken.id)).await
        )
        .is_empty()
    );
    ok(
        "complete",
        s.complete_job(j.id, l.attempt(), at(2), Commit::default())
            .await,
    );
    assert_eq!(state(s, j.id).await, JobState::Done { at: at(2) });
}

/// Results stored before (their dedupe key is known) still finish the job: a worker that
/// crashed after storing them and before finishing is not a failure.
pub async fn a_completion_whose_results_are_already_stored_finishes_the_job(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let key = DedupeKey::new(&format!("analysis:{}", unique()));
    apply(
        s,
        Commit {
            dedupe_key: Some(key.clone()),
            ..Commit::default()
        },
    )
    .await;
    let j = job(JobKind::Analysis, at(0), 3);
    enqueue(s, vec![j.clone()]).await;
    let l =
        ok("claim", s.claim_job(j.id, at(0), lease()).await).unwrap_or_else(|| panic!("claimed"));
    ok(
        "complete",
        s.complete_job(
            j.id,
            l.attempt(),
            at(1),
            Commit {
                dedupe_key: Some(key),
                ..Commit::default()
            },
        )
        .await,
    );
    assert_eq!(state(s, j.id).await, JobState::Done { at: at(1) });
}

/// A failed attempt puts the job back in the queue for the given time with its error; it is
/// not claimed before then.
pub async fn a_failed_job_is_queued_again_at_its_retry_time(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let j = job(JobKind::Forward, at(0), 5);
    enqueue(s, vec![j.clone()]).await;
    let l =
        ok("claim", s.claim_job(j.id, at(0), lease()).await).unwrap_or_else(|| panic!("claimed"));
    let long_error = "é".repeat(MAX_ERROR_CHARS + 500);
    let st = ok(
        "fail",
        s.fail_job(j.id, l.attempt(), &long_error, JobRetry::At(at(30)), at(1))
            .await,
    );
    assert_eq!(st, JobState::Queued);
    let stored = ok("job", s.job(j.id).await).unwrap_or_else(|| panic!("stored"));
    assert_eq!(
        (stored.state, stored.run_at, stored.attempts),
        (JobState::Queued, at(30), 1)
    );
    let kept = stored.last_error.unwrap_or_default();
    assert_eq!(kept.chars().count(), MAX_ERROR_CHARS);
    assert!(kept.chars().all(|c| c == 'é'));
    assert!(
        ok(
            "early",
            s.claim_jobs(JobKind::Forward, 5, at(29), lease()).await
        )
        .is_empty()
    );
    let again = ok(
        "claim",
        s.claim_jobs(JobKind::Forward, 5, at(30), lease()).await,
    );
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempt(), 2);
    assert_eq!(again[0].job.last_error.as_deref(), Some(kept.as_str()));
}

/// A failure can dead-letter the job at once; a dead job is kept and never claimed.
pub async fn a_failed_job_can_be_dead_lettered(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let j = job(JobKind::Forward, at(0), 5);
    enqueue(s, vec![j.clone()]).await;
    let l =
        ok("claim", s.claim_job(j.id, at(0), lease()).await).unwrap_or_else(|| panic!("claimed"));
    let st = ok(
        "fail",
        s.fail_job(
            j.id,
            l.attempt(),
            "550 mailbox unavailable",
            JobRetry::DeadLetter,
            at(3),
        )
        .await,
    );
    assert_eq!(st, JobState::Dead { at: at(3) });
    let stored = ok("job", s.job(j.id).await).unwrap_or_else(|| panic!("stored"));
    assert_eq!(stored.state, JobState::Dead { at: at(3) });
    assert_eq!(
        stored.last_error.as_deref(),
        Some("550 mailbox unavailable")
    );
    assert!(
        ok(
            "claim",
            s.claim_jobs(JobKind::Forward, 5, at(100_000), lease())
                .await
        )
        .is_empty()
    );
    assert_eq!(
        ok("claim", s.claim_job(j.id, at(100_000), lease()).await),
        None
    );
}

/// A worker that fails every attempt and retries at `RetryPolicy::next_run` sees the doubling
/// delays, then the dead letter after the last attempt.
pub async fn retries_follow_the_backoff_policy_until_the_dead_letter(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let policy = RetryPolicy {
        max_attempts: 4,
        base_delay_seconds: 30,
        max_delay_seconds: 3_600,
    };
    let j = job(JobKind::Forward, at(0), policy.max_attempts);
    enqueue(s, vec![j.clone()]).await;
    let mut now = at(0);
    let mut delays = Vec::new();
    loop {
        let got = ok(
            "claim",
            s.claim_jobs(JobKind::Forward, 1, now, lease()).await,
        );
        let Some(l) = got.first() else {
            panic!("the job is due at {now}");
        };
        let retry = match policy.next_run(l.attempt(), now) {
            Some(next) => JobRetry::At(next),
            None => JobRetry::DeadLetter,
        };
        let st = ok(
            "fail",
            s.fail_job(j.id, l.attempt(), "timeout", retry, now).await,
        );
        match (retry, st) {
            (JobRetry::At(next), JobState::Queued) => {
                delays.push((next - now).num_seconds());
                now = next;
            }
            (JobRetry::DeadLetter, JobState::Dead { .. }) => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(delays, vec![30, 60, 120]);
    let stored = ok("job", s.job(j.id).await).unwrap_or_else(|| panic!("stored"));
    assert_eq!(stored.attempts, 4);
    assert!(matches!(stored.state, JobState::Dead { .. }));
}

/// A job whose every attempt ended with a lost lease (crashed workers) is dead-lettered when
/// claimed once more, with an error saying so.
pub async fn a_job_whose_attempts_are_spent_by_lost_leases_is_dead_lettered(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let j = job(JobKind::Analysis, at(0), 2);
    let next = job(JobKind::Analysis, at(1), 2);
    enqueue(s, vec![j.clone(), next.clone()]).await;
    let first = ok("claim", s.claim_job(j.id, at(0), lease()).await);
    assert_eq!(first.map(|l| l.attempt()), Some(1));
    let second = ok("claim", s.claim_job(j.id, at(0) + lease(), lease()).await);
    assert_eq!(second.map(|l| l.attempt()), Some(2));
    let third = ok(
        "claim",
        s.claim_jobs(JobKind::Analysis, 1, at(0) + lease() * 2, lease())
            .await,
    );
    // The spent job is dead-lettered and the claim moves on to the next one.
    assert_eq!(
        third.iter().map(|l| l.job.id).collect::<Vec<_>>(),
        vec![next.id]
    );
    let stored = ok("job", s.job(j.id).await).unwrap_or_else(|| panic!("stored"));
    assert_eq!(
        stored.state,
        JobState::Dead {
            at: at(0) + lease() * 2
        }
    );
    assert_eq!(stored.attempts, 2);
    assert_eq!(
        stored.last_error.as_deref(),
        Some("attempts exhausted by expired leases")
    );
}

/// Completing or failing a job that does not exist is `NotFound`.
pub async fn operations_on_an_unknown_job_are_not_found(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let id = JobId::generate(at(0));
    let done = s.complete_job(id, 1, at(0), Commit::default()).await;
    assert!(
        matches!(done, Err(StoreError::NotFound { entity: "job", .. })),
        "{done:?}"
    );
    let failed = s.fail_job(id, 1, "x", JobRetry::DeadLetter, at(0)).await;
    assert!(
        matches!(failed, Err(StoreError::NotFound { entity: "job", .. })),
        "{failed:?}"
    );
}

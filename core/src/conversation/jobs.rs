//! The durable job queue's data: forwards and analyses, with leases, retries and dead letters.
//!
//! Jobs are written in the same store transaction as the message they concern, so a crash
//! between storing a reply and forwarding it loses nothing: a worker claims the job later. A
//! claim takes a lease (the job is invisible to other workers until it ends) and counts an
//! attempt; the worker then completes it, or fails it with the next run time from
//! [`RetryPolicy::next_run`], which dead-letters it after [`RetryPolicy::max_attempts`].

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{JobId, MessageId};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Forward an inbound reply to the account's inbox.
    Forward,
    /// Analyse an inbound reply.
    Analysis,
}

impl JobKind {
    /// The kind name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Analysis => "analysis",
        }
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewJob {
    /// Its id (chosen by the engine, so it can claim this very job right after the commit).
    pub id: JobId,
    /// What to do.
    pub kind: JobKind,
    /// The message it concerns.
    pub message: MessageId,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// Attempts before it is dead-lettered.
    pub max_attempts: u32,
}

/// Where a job is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for `run_at`.
    Queued,
    /// Claimed by a worker until the lease ends; after that another worker may claim it.
    Leased {
        /// When the lease ends.
        until: DateTime<Utc>,
    },
    /// Done.
    Done {
        /// When.
        at: DateTime<Utc>,
    },
    /// Given up after too many attempts, or a permanent failure. Kept for inspection.
    Dead {
        /// When.
        at: DateTime<Utc>,
    },
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// Its id.
    pub id: JobId,
    /// What to do.
    pub kind: JobKind,
    /// The message it concerns.
    pub message: MessageId,
    /// Where it is.
    pub state: JobState,
    /// Claims so far (the current claim included). A claim's attempt number fences it: completing
    /// or failing with an older attempt number is refused.
    pub attempts: u32,
    /// Attempts before it is dead-lettered.
    pub max_attempts: u32,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// The last failure, as the worker described it.
    pub last_error: Option<String>,
    /// When it was enqueued.
    pub created_at: DateTime<Utc>,
}

/// When to run a failed job again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Attempts before dead-lettering.
    pub max_attempts: u32,
    /// Delay after the first failure.
    pub base_delay_seconds: i64,
    /// Longest delay.
    pub max_delay_seconds: i64,
}

impl Default for RetryPolicy {
    /// 8 attempts; 30 s, 1 min, 2 min, … capped at 1 h.
    fn default() -> Self {
        Self {
            max_attempts: 8,
            base_delay_seconds: 30,
            max_delay_seconds: 3_600,
        }
    }
}

impl RetryPolicy {
    /// After attempt number `attempts` failed at `now`: the next run time, or `None` to
    /// dead-letter (no attempts left).
    pub fn next_run(&self, attempts: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts {
            return None;
        }
        let exp = attempts.saturating_sub(1).min(30);
        let delay = self
            .base_delay_seconds
            .max(1)
            .saturating_mul(1_i64 << exp)
            .min(self.max_delay_seconds.max(1));
        now.checked_add_signed(Duration::seconds(delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn backoff_doubles_then_caps_then_dead_letters() {
        let now = Utc
            .with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
            .single()
            .unwrap_or_default();
        let p = RetryPolicy::default();
        let delays: Vec<i64> = (1..=7)
            .map(|a| (p.next_run(a, now).unwrap() - now).num_seconds())
            .collect();
        assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920]);
        assert_eq!(p.next_run(8, now), None);
        let capped = RetryPolicy {
            max_attempts: 100,
            ..p
        };
        assert_eq!(
            (capped.next_run(50, now).unwrap() - now).num_seconds(),
            3_600
        );
    }
}

//! The background workers: forwards, analyses and raw-byte retention, as tokio tasks that poll
//! the store's durable queue and stop cleanly.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::TimeDelta;
use replytrack::engine::Engine;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Settings of the [`Workers`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerConfig {
    /// Pause between polls of an empty queue (default 5 s). A poll that finds a full batch polls
    /// again at once.
    pub poll_interval: Duration,
    /// Jobs claimed per poll (default 16).
    pub batch: usize,
    /// Run the forward worker (default true).
    pub forwards: bool,
    /// Run the analysis worker (default true).
    pub analysis: bool,
    /// Purge raw bytes kept by the endpoints after this long (default 30 days; `None` keeps them
    /// forever). Dead letters are never purged.
    pub raw_retention: Option<TimeDelta>,
    /// Pause between purges (default 1 hour).
    pub purge_interval: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(5),
            batch: 16,
            forwards: true,
            analysis: true,
            raw_retention: Some(TimeDelta::days(30)),
            purge_interval: Duration::from_secs(3_600),
        }
    }
}

impl WorkerConfig {
    /// Another poll interval.
    pub fn poll_interval(mut self, every: Duration) -> Self {
        self.poll_interval = every;
        self
    }

    /// Another batch size (at least 1).
    pub fn batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// Run the forward worker or not.
    pub fn forwards(mut self, on: bool) -> Self {
        self.forwards = on;
        self
    }

    /// Run the analysis worker or not.
    pub fn analysis(mut self, on: bool) -> Self {
        self.analysis = on;
        self
    }

    /// Another raw-byte retention (`None`: keep forever).
    pub fn raw_retention(mut self, retention: Option<TimeDelta>) -> Self {
        self.raw_retention = retention;
        self
    }
}

/// Counters of what the workers did since they started.
#[derive(Debug, Default)]
pub struct WorkerStats {
    forwards: AtomicU64,
    analyses: AtomicU64,
    purged: AtomicU64,
    errors: AtomicU64,
}

impl WorkerStats {
    /// Forward jobs run (whatever their result).
    pub fn forwards(&self) -> u64 {
        self.forwards.load(Ordering::Relaxed)
    }

    /// Analysis jobs run (whatever their result).
    pub fn analyses(&self) -> u64 {
        self.analyses.load(Ordering::Relaxed)
    }

    /// Raw deliveries purged.
    pub fn purged(&self) -> u64 {
        self.purged.load(Ordering::Relaxed)
    }

    /// Polls that failed (the store did not answer).
    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }
}

/// The running workers. Drop them and they stop at their next pause; call
/// [`Workers::shutdown`] to wait until the batch in hand is finished.
#[derive(Debug)]
pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    stats: Arc<WorkerStats>,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Forwards,
    Analysis,
    Purge,
}

impl Workers {
    /// Start the workers on the current tokio runtime. Several processes may run them on one
    /// database: each job is leased to one worker at a time.
    ///
    /// # Panics
    /// Outside a tokio runtime.
    pub fn spawn(engine: Engine, config: WorkerConfig) -> Self {
        let (stop, _) = watch::channel(false);
        let stats = Arc::new(WorkerStats::default());
        let mut kinds = Vec::new();
        if config.forwards {
            kinds.push(Kind::Forwards);
        }
        if config.analysis {
            kinds.push(Kind::Analysis);
        }
        if config.raw_retention.is_some() {
            kinds.push(Kind::Purge);
        }
        let tasks = kinds
            .into_iter()
            .map(|kind| {
                let worker = Worker {
                    engine: engine.clone(),
                    config: config.clone(),
                    stats: Arc::clone(&stats),
                    kind,
                };
                tokio::spawn(worker.run(stop.subscribe()))
            })
            .collect();
        Self { stop, tasks, stats }
    }

    /// What the workers did so far.
    pub fn stats(&self) -> &Arc<WorkerStats> {
        &self.stats
    }

    /// Ask the workers to stop, and wait until each has finished the batch it holds.
    pub async fn shutdown(self) {
        let _ignored = self.stop.send(true);
        for task in self.tasks {
            if let Err(e) = task.await {
                tracing::error!(error = %e, "a worker task ended abnormally");
            }
        }
        tracing::info!("workers stopped");
    }
}

struct Worker {
    engine: Engine,
    config: WorkerConfig,
    stats: Arc<WorkerStats>,
    kind: Kind,
}

impl Worker {
    async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::debug!(worker = ?self.kind, "worker started");
        loop {
            if *stop.borrow() {
                break;
            }
            let again = self.step().await;
            let pause = match (self.kind, again) {
                (Kind::Purge, _) => self.config.purge_interval,
                (_, true) => Duration::ZERO,
                (_, false) => self.config.poll_interval,
            };
            if pause.is_zero() {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                changed = stop.changed() => {
                    if changed.is_err() {
                        break; // the Workers value is gone
                    }
                }
            }
        }
        tracing::debug!(worker = ?self.kind, "worker stopped");
    }

    /// One poll. `true` when a full batch was found (poll again at once).
    async fn step(&self) -> bool {
        let now = self.engine.now();
        let batch = self.config.batch.max(1);
        match self.kind {
            Kind::Forwards => match self.engine.run_forwards(batch, now).await {
                Ok(reports) => {
                    for r in &reports {
                        tracing::info!(job = %r.job, message = %r.message, status = r.status.describe(), "forward");
                    }
                    self.stats
                        .forwards
                        .fetch_add(reports.len() as u64, Ordering::Relaxed);
                    reports.len() >= batch
                }
                Err(e) => self.failed("forwards", &e),
            },
            Kind::Analysis => match self.engine.run_analysis(batch, now).await {
                Ok(run) => {
                    let n = run.reports.len();
                    for r in &run.reports {
                        tracing::info!(job = %r.job, message = %r.message, status = ?r.status, "analysis");
                    }
                    self.stats.analyses.fetch_add(n as u64, Ordering::Relaxed);
                    n >= batch
                }
                Err(e) => self.failed("analysis", &e),
            },
            Kind::Purge => {
                let Some(retention) = self.config.raw_retention else {
                    return false;
                };
                match self.engine.store().purge_raw(now - retention).await {
                    Ok(n) => {
                        if n > 0 {
                            tracing::info!(purged = n, "raw deliveries past retention purged");
                        }
                        self.stats.purged.fetch_add(n, Ordering::Relaxed);
                    }
                    Err(e) => {
                        self.failed("purge", &e);
                    }
                }
                false
            }
        }
    }

    fn failed(&self, worker: &'static str, e: &dyn std::fmt::Display) -> bool {
        self.stats.errors.fetch_add(1, Ordering::Relaxed);
        tracing::error!(worker, error = %e, "worker poll failed; retrying after the poll interval");
        false
    }
}

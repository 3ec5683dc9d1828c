//! Where SQLite work runs ([`Execution`](crate::Execution)):
//!
//! - on threads that own the connections: one writer (SQLite has one writer at a time anyway)
//!   and a few readers; async callers hand them closures and await the answer on a oneshot
//!   channel, so the store works under any executor and never blocks one;
//! - or on the calling thread, holding a connection's lock: no hand-off between threads.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use replytrack::ports::StoreError;
use rusqlite::Connection;

use crate::error::SqliteError;

type Task = Box<dyn FnOnce(&mut Connection) + Send>;

/// The connections and where their work runs.
#[derive(Debug)]
pub(crate) enum Workers {
    /// Work is handed to threads that own the connections.
    Threads(Threads),
    /// Work runs on the caller's thread under a connection's lock.
    Inline(Inline),
}

/// The connections, each behind its lock, for work on the calling thread.
#[derive(Debug)]
pub(crate) struct Inline {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

/// A lock's guard even when a caller panicked holding it: the connection is still sound (the
/// panicking operation's transaction was rolled back when it was dropped).
fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Inline {
    fn reader(&self) -> &Mutex<Connection> {
        let n = self.readers.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        // A free reader if there is one, else wait for the next in turn.
        (0..n)
            .filter_map(|i| self.readers.get((start + i) % n))
            .find(|m| m.try_lock().is_ok())
            .or_else(|| self.readers.get(start % n.max(1)))
            .unwrap_or(&self.writer)
    }
}

impl Workers {
    /// Run work on the calling thread with these connections.
    pub(crate) fn inline(writer: Connection, readers: Vec<Connection>) -> Self {
        Self::Inline(Inline {
            writer: Mutex::new(writer),
            readers: readers.into_iter().map(Mutex::new).collect(),
            next: AtomicUsize::new(0),
        })
    }

    /// Hand work to threads owning these connections.
    pub(crate) fn threads(
        writer: Connection,
        readers: Vec<Connection>,
    ) -> Result<Self, SqliteError> {
        Threads::start(writer, readers).map(Self::Threads)
    }

    /// Run `f` on the writer connection.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        match self {
            Self::Threads(t) => t.write(f).await,
            Self::Inline(i) => f(&mut lock(&i.writer)),
        }
    }

    /// Run `f` on a reader connection (the writer's when there are none).
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        match self {
            Self::Threads(t) => t.read(f).await,
            Self::Inline(i) => f(&mut lock(i.reader())),
        }
    }
}

/// The writer thread, the reader threads, and the queues to them.
#[derive(Debug)]
pub(crate) struct Threads {
    writer: Option<mpsc::Sender<Task>>,
    /// `None` when reads go to the writer (an in-memory database has one connection).
    readers: Option<mpsc::Sender<Task>>,
    threads: Vec<JoinHandle<()>>,
}

fn spawn(
    name: String,
    conn: Connection,
    queue: Arc<Mutex<mpsc::Receiver<Task>>>,
) -> Result<JoinHandle<()>, SqliteError> {
    std::thread::Builder::new()
        .name(name)
        .spawn(move || {
            let mut conn = conn;
            loop {
                let task = match queue.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(task) = task else { return };
                // A panicking task drops its answer channel (the caller sees WorkerPanicked)
                // and its open transaction (rolled back); the thread serves the next task.
                let _ = catch_unwind(AssertUnwindSafe(|| task(&mut conn)));
            }
        })
        .map_err(SqliteError::Spawn)
}

impl Threads {
    /// Start a writer on `writer` and one reader thread per connection in `readers`.
    pub(crate) fn start(writer: Connection, readers: Vec<Connection>) -> Result<Self, SqliteError> {
        let mut threads = Vec::new();
        let (wtx, wrx) = mpsc::channel::<Task>();
        threads.push(spawn(
            "replytrack-sqlite-writer".into(),
            writer,
            Arc::new(Mutex::new(wrx)),
        )?);
        let readers_tx = if readers.is_empty() {
            None
        } else {
            let (rtx, rrx) = mpsc::channel::<Task>();
            let shared = Arc::new(Mutex::new(rrx));
            for (i, conn) in readers.into_iter().enumerate() {
                threads.push(spawn(
                    format!("replytrack-sqlite-reader-{i}"),
                    conn,
                    shared.clone(),
                )?);
            }
            Some(rtx)
        };
        Ok(Self {
            writer: Some(wtx),
            readers: readers_tx,
            threads,
        })
    }

    async fn run<T, F>(
        queue: Option<&mpsc::Sender<Task>>,
        role: &'static str,
        f: F,
    ) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let task: Task = Box::new(move |conn| {
            let _ = tx.send(f(conn));
        });
        queue
            .ok_or(SqliteError::WorkerGone(role))?
            .send(task)
            .map_err(|_| SqliteError::WorkerGone(role))?;
        rx.await.map_err(|_| SqliteError::WorkerPanicked(role))?
    }

    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        Self::run(self.writer.as_ref(), "writer", f).await
    }

    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        match &self.readers {
            Some(q) => Self::run(Some(q), "reader", f).await,
            None => Self::run(self.writer.as_ref(), "writer", f).await,
        }
    }
}

impl Drop for Threads {
    /// Close the queues and wait for the threads to finish what they were given, so the
    /// connections are closed (and the WAL checkpointed) when the store is gone.
    fn drop(&mut self) {
        self.writer.take();
        self.readers.take();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

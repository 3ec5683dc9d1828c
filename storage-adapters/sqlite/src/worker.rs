//! The threads that own the connections: one writer (SQLite has one writer at a time anyway)
//! and a few readers. Async callers hand them closures and await the answer on a oneshot
//! channel, so the store works under any executor and never blocks one.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use replytrack::ports::StoreError;
use rusqlite::Connection;

use crate::error::SqliteError;

type Task = Box<dyn FnOnce(&mut Connection) + Send>;

/// The writer thread, the reader threads, and the queues to them.
#[derive(Debug)]
pub(crate) struct Workers {
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

impl Workers {
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

    /// Run `f` on the writer connection.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        Self::run(self.writer.as_ref(), "writer", f).await
    }

    /// Run `f` on a reader connection (the writer's when there are none).
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
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

impl Drop for Workers {
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

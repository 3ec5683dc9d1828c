//! One transaction in one round trip: `BEGIN`, every statement and `COMMIT` are sent before any
//! answer is awaited.
//!
//! tokio-postgres sends a request when its future is first polled, and answers come back in the
//! order requests were sent. [`in_order`] first-polls the futures in the order given, all in the
//! same poll, so the server runs `BEGIN`, the statements in order, then `COMMIT`, exactly as if
//! each had been awaited in turn. When a statement fails (a unique index, a `require_rows`
//! check), the server refuses the rest (SQLSTATE 25P02) and the `COMMIT` rolls the transaction
//! back; the caller reads the first failure.
//!
//! Dropping the future part-way (a host timeout) is safe: either nothing was sent, or everything
//! was, and the server finishes the transaction (commits or rolls back) on its own; the
//! connection goes back to the pool outside any transaction.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use deadpool_postgres::Object;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Error, Statement};

use crate::plan::Step;

/// Run futures, first-polling each in the order given during the same poll; their outputs in
/// that order.
pub(crate) async fn in_order<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in futures.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => *slot = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}

/// What a transaction did.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Every statement ran and the transaction committed.
    Committed,
    /// The statement at this index failed first; the transaction was rolled back.
    Failed(usize, Error),
    /// `BEGIN` or `COMMIT` failed (a lost connection, a serialization failure at commit): the
    /// transaction did not commit.
    Broken(&'static str, Error),
}

type Request<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// Run the steps as one transaction in one round trip (after preparing statements this
/// connection has not seen yet).
pub(crate) async fn transaction(client: &Object, steps: &[Step]) -> Outcome {
    let mut texts: Vec<&'static str> = Vec::new();
    for s in steps {
        if !texts.contains(&s.sql) {
            texts.push(s.sql);
        }
    }
    let mut prepared: Vec<Statement> = Vec::with_capacity(texts.len());
    let outcomes = in_order(texts.iter().map(|sql| client.prepare_cached(sql)).collect()).await;
    for (sql, outcome) in texts.iter().zip(outcomes) {
        match outcome {
            Ok(stmt) => prepared.push(stmt),
            Err(e) => {
                let first = steps.iter().position(|s| s.sql == *sql).unwrap_or(0);
                return Outcome::Failed(first, e);
            }
        }
    }
    let params: Vec<Vec<&(dyn ToSql + Sync)>> = steps
        .iter()
        .map(|s| {
            s.params
                .iter()
                .map(|p| p.as_ref() as &(dyn ToSql + Sync))
                .collect()
        })
        .collect();
    let mut requests: Vec<Request<'_>> = Vec::with_capacity(steps.len() + 2);
    requests.push(Box::pin(client.batch_execute("BEGIN")));
    for (step, params) in steps.iter().zip(&params) {
        let Some(stmt) = texts
            .iter()
            .position(|t| *t == step.sql)
            .and_then(|i| prepared.get(i))
        else {
            continue;
        };
        requests.push(Box::pin(async move {
            client.query(stmt, params).await.map(|_rows| ())
        }));
    }
    requests.push(Box::pin(client.batch_execute("COMMIT")));
    let mut results = in_order(requests).await.into_iter();
    let begin = results.next();
    let commit = results.next_back();
    if let Some(Err(e)) = begin {
        return Outcome::Broken("begin a transaction", e);
    }
    for (i, r) in results.enumerate() {
        if let Err(e) = r {
            return Outcome::Failed(i, e);
        }
    }
    match commit {
        Some(Err(e)) => Outcome::Broken("commit the transaction", e),
        _ => Outcome::Committed,
    }
}

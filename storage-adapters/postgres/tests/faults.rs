//! Faults: a connection that dies, or an ingest that is abandoned, in the middle of the
//! transaction. Nothing may be half-written, the error must be typed, and the retry must work.
//!
//! To stop an ingest mid-transaction without hooks in the store, another session holds an
//! exclusive lock on the `jobs` table: the ingest's commit writes its dedupe key, conversation,
//! message and events, then waits to enqueue its jobs. The test finds that waiting session in
//! `pg_stat_activity` by its application name and kills or abandons it there. The store has one
//! connection, warmed by a first ingest, so every statement is already prepared and the wait
//! happens inside the transaction.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{customer_with_email, engine, now, reply};
use replytrack::conversation::Direction;
use replytrack::engine::{EngineConfig, EngineError, IngestOutcome};
use replytrack::ports::{DedupeKey, Store, StoreError, TimelineScope};
use replytrack_postgres::PgError;
use replytrack_postgres::testing::ScratchSchema;
use tokio_postgres::{Client, NoTls};

async fn admin(db: &ScratchSchema) -> Client {
    let (client, conn) = tokio_postgres::connect(db.url(), NoTls)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(conn);
    client
}

/// The pid of the store's session that waits on a lock in the middle of a transaction that
/// already wrote, once there is one (at most ~20 s).
async fn blocked_session(admin: &Client, app: &str) -> i32 {
    for _ in 0..1_000 {
        let row = admin
            .query_opt(
                // backend_xid is set once the transaction has written something: the session
                // waits with its dedupe key, conversation, message and events written.
                "SELECT pid FROM pg_stat_activity \
                 WHERE application_name = $1 AND wait_event_type = 'Lock' \
                   AND backend_xid IS NOT NULL LIMIT 1",
                &[&app],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(r) = row {
            return r.get(0);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the ingest never blocked on the jobs table");
}

/// Inbound messages and reply events stored for the conversation.
async fn replies_stored(
    store: &dyn Store,
    sent: &replytrack::engine::ComposedEmail,
) -> (usize, usize) {
    let conv = sent
        .conversation
        .unwrap_or_else(|| panic!("a conversation"));
    let inbound = store
        .messages(conv)
        .await
        .unwrap_or_default()
        .iter()
        .filter(|m| m.direction == Direction::Inbound)
        .count();
    let events = store
        .timeline(TimelineScope::Conversation(conv))
        .await
        .unwrap_or_default()
        .iter()
        .filter(|e| e.kind.name() == "reply_received")
        .count();
    (inbound, events)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_killed_mid_ingest_writes_nothing_and_the_retry_stores_the_reply() {
    let app = format!("rt_fault_kill_{}", std::process::id());
    let Some(db) = ScratchSchema::with("fault_kill", |b| {
        b.application_name(app.clone()).pool_size(1)
    })
    .await
    else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(db.store().clone());
    let engine = engine(store.clone(), EngineConfig::default());
    let sent = customer_with_email(&engine, "marie@example.fr", true).await;
    let warm = engine
        .ingest(reply(&sent, "warm@mail.example.fr", "Bonjour"), now())
        .await;
    assert!(matches!(warm, Ok(IngestOutcome::Stored(_))), "{warm:?}");
    let msg = reply(&sent, "killed@mail.example.fr", "Oui, je suis intéressée.");

    let mut locker = admin(&db).await;
    let lock = locker.transaction().await.unwrap_or_else(|e| panic!("{e}"));
    lock.batch_execute(&format!(
        "LOCK TABLE {}.jobs IN ACCESS EXCLUSIVE MODE",
        db.schema()
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let ingest = {
        let engine = engine.clone();
        let msg = msg.clone();
        tokio::spawn(async move { engine.ingest(msg, now()).await })
    };
    let killer = admin(&db).await;
    let pid = blocked_session(&killer, &app).await;
    killer
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = ingest.await.unwrap_or_else(|e| panic!("{e}"));
    lock.rollback().await.unwrap_or_else(|e| panic!("{e}"));

    match &result {
        Err(EngineError::Store(StoreError::Backend(source))) => {
            let pg = source.downcast_ref::<PgError>();
            assert!(
                matches!(pg, Some(PgError::ConnectionLost { .. })),
                "a lost connection is reported as such: {pg:?}"
            );
        }
        other => panic!("expected a backend error, got {other:?}"),
    }
    assert_eq!(
        replies_stored(store.as_ref(), &sent).await,
        (1, 1),
        "nothing half-written: only the first reply is there"
    );
    assert_eq!(
        store
            .seen(&DedupeKey::new("mid:killed@mail.example.fr"))
            .await
            .ok(),
        Some(None),
        "the dedupe key went with the transaction"
    );

    let again = engine.ingest(msg, now()).await;
    assert!(matches!(again, Ok(IngestOutcome::Stored(_))), "{again:?}");
    assert_eq!(replies_stored(store.as_ref(), &sent).await, (2, 2));
}

/// A host that gives up on a request (a timeout, a client gone) drops the ingest future. The
/// commit was sent whole — `BEGIN`, the writes and `COMMIT` in one pipeline — so the server
/// finishes it on its own: the reply is stored once, whole, and the retry is told so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ingest_abandoned_mid_commit_is_finished_whole_and_the_retry_is_a_duplicate() {
    let app = format!("rt_fault_drop_{}", std::process::id());
    let Some(db) = ScratchSchema::with("fault_drop", |b| {
        b.application_name(app.clone()).pool_size(1)
    })
    .await
    else {
        return;
    };
    let store: Arc<dyn Store> = Arc::new(db.store().clone());
    let engine = engine(store.clone(), EngineConfig::default());
    let sent = customer_with_email(&engine, "marie@example.fr", true).await;
    let warm = engine
        .ingest(reply(&sent, "warm@mail.example.fr", "Bonjour"), now())
        .await;
    assert!(matches!(warm, Ok(IngestOutcome::Stored(_))), "{warm:?}");
    let msg = reply(&sent, "dropped@mail.example.fr", "Oui !");

    let mut locker = admin(&db).await;
    let lock = locker.transaction().await.unwrap_or_else(|e| panic!("{e}"));
    lock.batch_execute(&format!(
        "LOCK TABLE {}.jobs IN ACCESS EXCLUSIVE MODE",
        db.schema()
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let ingest = {
        let engine = engine.clone();
        let msg = msg.clone();
        tokio::spawn(async move { engine.ingest(msg, now()).await })
    };
    let watcher = admin(&db).await;
    blocked_session(&watcher, &app).await;
    ingest.abort();
    assert!(ingest.await.is_err_and(|e| e.is_cancelled()));
    lock.rollback().await.unwrap_or_else(|e| panic!("{e}"));

    let again = engine.ingest(msg, now()).await;
    let Ok(IngestOutcome::Duplicate {
        existing: Some(existing),
    }) = again
    else {
        panic!("expected a duplicate of the abandoned ingest, got {again:?}");
    };
    assert_eq!(
        replies_stored(store.as_ref(), &sent).await,
        (2, 2),
        "the abandoned reply is stored whole, once"
    );
    assert_eq!(
        store.message(existing).await.ok().flatten().map(|m| m.body),
        Some("Oui !".to_string())
    );
}

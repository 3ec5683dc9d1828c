//! The database file itself: migrations on open, its settings, the invariants its indexes
//! enforce without the store's code, and a lock held by another process.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use replytrack::conversation::{Channel, Conversation, NewCustomer, OpenedBy};
use replytrack::ports::{Commit, Store, StoreError, Write};
use replytrack_sqlite::{SqliteError, SqliteOptions, SqliteStore, latest_version};
use rusqlite::Connection;

fn fresh(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("replytrack-sqlite-database");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
    path
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

fn one_customer(store: &SqliteStore, email: &str) -> replytrack::conversation::Customer {
    let now = Utc
        .with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .unwrap_or_default();
    let c = NewCustomer::new(email)
        .build(now)
        .unwrap_or_else(|e| panic!("{e}"));
    block(store.commit(Commit {
        customers: vec![Write::Insert(c.clone())],
        conversations: vec![Write::Insert(Conversation::new(
            c.id,
            Channel::Email,
            OpenedBy::Contact,
            Some("Hello".into()),
            now,
        ))],
        ..Commit::default()
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    c
}

#[test]
fn opening_applies_the_migrations_once_and_reopening_keeps_the_data() {
    let path = fresh("reopen");
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(block(store.schema_version()).ok(), Some(latest_version()));
    let c = one_customer(&store, "keep@example.com");
    drop(store);
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(block(store.schema_version()).ok(), Some(latest_version()));
    let found = block(store.customer(c.id)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.map(|x| x.id), Some(c.id));
    let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows, latest_version());
}

#[test]
fn a_database_from_a_newer_build_is_refused() {
    let path = fresh("newer");
    drop(SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}")));
    let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    conn.execute(
        "INSERT INTO schema_migrations (version, name) VALUES (?1, 'from the future')",
        [latest_version() + 1],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let err = SqliteStore::open(&path).err();
    assert!(
        matches!(err, Some(SqliteError::SchemaTooNew { found, known })
            if found == latest_version() + 1 && known == latest_version()),
        "{err:?}"
    );
}

#[test]
fn the_file_is_in_wal_mode_with_foreign_keys_enforced() {
    let path = fresh("settings");
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mode, "wal");
    drop(conn);
    // A conversation for a customer that does not exist is refused by the foreign key.
    let now = Utc::now();
    let ghost = NewCustomer::new("ghost@example.com")
        .build(now)
        .unwrap_or_else(|e| panic!("{e}"));
    let orphan = Conversation::new(ghost.id, Channel::Email, OpenedBy::Contact, None, now);
    let err = block(store.commit(Commit {
        conversations: vec![Write::Insert(orphan.clone())],
        ..Commit::default()
    }));
    assert!(matches!(err, Err(StoreError::Backend(_))), "{err:?}");
    assert_eq!(
        block(store.conversation(orphan.id)).unwrap_or_else(|e| panic!("{e}")),
        None
    );
    assert_eq!(
        block(store.check_integrity()).unwrap_or_else(|e| panic!("{e}")),
        Vec::<String>::new()
    );
}

/// The invariants hold even for a writer that skips the store's checks (another program, a
/// bug): the database's own indexes refuse the rows.
#[test]
fn the_database_itself_refuses_rows_that_break_the_invariants() {
    let path = fresh("invariants");
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let c = one_customer(&store, "inv@example.com");
    drop(store);
    let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let refused = |sql: &str| {
        let r = conn.execute_batch(sql);
        assert!(
            matches!(&r, Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation),
            "{sql}: {r:?}"
        );
    };
    // A second conversation that is not resolved for the same customer.
    refused(&format!(
        "INSERT INTO conversations (id, customer, status, channel, activity, version, record)
         VALUES ('cnv_x', '{}', 'pending', 'email', 0, 1, '{{}}')",
        c.id
    ));
    // The same address for another customer.
    refused(&format!(
        "INSERT INTO customers (id, version, record) VALUES ('cus_other', 1, '{{}}');
         INSERT INTO customer_emails (address, customer) VALUES ('{}', 'cus_other')",
        c.emails[0].address
    ));
    // A dedupe key twice, a token record twice.
    conn.execute_batch("INSERT INTO dedupe_keys (key) VALUES ('mid:a@b')")
        .unwrap_or_else(|e| panic!("{e}"));
    refused("INSERT INTO dedupe_keys (key) VALUES ('mid:a@b')");
    conn.execute_batch(&format!(
        "INSERT INTO tokens (token, customer, record) VALUES ('t1', '{}', '{{}}')",
        c.id
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    refused(&format!(
        "INSERT INTO tokens (token, customer, record) VALUES ('t1', '{}', '{{}}')",
        c.id
    ));
}

/// Another process holding the write lock past the busy timeout: the commit fails with a
/// typed backend error and writes nothing; once the lock is gone, the retry is applied.
#[test]
fn a_commit_blocked_by_another_writer_fails_typed_and_succeeds_when_retried() {
    let path = fresh("busy");
    let store = SqliteStore::open_with(
        &path,
        SqliteOptions::new().busy_timeout(Duration::from_millis(50)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let other = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    other
        .execute_batch("BEGIN IMMEDIATE")
        .unwrap_or_else(|e| panic!("{e}"));
    let now = Utc::now();
    let c = NewCustomer::new("busy@example.com")
        .build(now)
        .unwrap_or_else(|e| panic!("{e}"));
    let commit = Commit {
        customers: vec![Write::Insert(c.clone())],
        ..Commit::default()
    };
    let err = block(store.commit(commit.clone()));
    let Err(StoreError::Backend(source)) = err else {
        panic!("expected a backend error, got {err:?}");
    };
    assert!(
        matches!(
            source.downcast_ref::<SqliteError>(),
            Some(SqliteError::Sql { .. })
        ),
        "{source}"
    );
    assert!(source.to_string().contains("locked"), "{source}");
    other
        .execute_batch("ROLLBACK")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        block(store.customer(c.id)).unwrap_or_else(|e| panic!("{e}")),
        None
    );
    block(store.commit(commit)).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        block(store.customer(c.id))
            .unwrap_or_else(|e| panic!("{e}"))
            .is_some()
    );
}

//! The inbox scenarios of `replytrack::inbox::scenarios` on the SQLite store: routing, the
//! out-of-hours auto-reply, automation rules and metrics, each over a fresh in-memory database
//! and, for the auto-reply (whose once-a-day fact must survive a restart), a file.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Arc;

use replytrack::inbox::scenarios;
use replytrack::ports::Store;
use replytrack_sqlite::SqliteStore;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap()
}

fn sqlite() -> Arc<dyn Store> {
    Arc::new(SqliteStore::open_in_memory().unwrap())
}

#[test]
fn round_robin_skips_an_offline_agent_and_a_full_one() {
    runtime()
        .block_on(scenarios::round_robin_skips_an_offline_agent_and_a_full_one(sqlite()))
        .unwrap();
}

#[test]
fn a_friday_night_message_gets_one_auto_reply_in_a_file_database() {
    let dir = std::env::temp_dir().join(format!("replytrack-inbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("auto-reply.db");
    let _ = std::fs::remove_file(&path);
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).unwrap());
    runtime()
        .block_on(scenarios::a_friday_night_message_gets_one_auto_reply(store))
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_urgent_label_reassigns_and_notifies_and_rules_cannot_loop() {
    runtime()
        .block_on(scenarios::an_urgent_label_reassigns_and_notifies_and_rules_cannot_loop(sqlite()))
        .unwrap();
}

#[test]
fn metrics_over_a_seeded_week() {
    runtime()
        .block_on(scenarios::metrics_over_a_seeded_week(sqlite()))
        .unwrap();
}

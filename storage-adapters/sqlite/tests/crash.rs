//! Faults: a process killed while it writes leaves a database that reopens consistent, with
//! every commit whole or absent.
//!
//! The test runs itself as a child process (the same test binary, this test only, with an
//! environment variable naming the database): the child commits in a loop until it is killed
//! with SIGKILL at an arbitrary moment, usually inside a transaction. The parent then reopens
//! the file, checks it, and lets a new child continue on it, three times over.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use replytrack::conversation::{
    Channel, Conversation, Direction, EventKind, JobId, JobKind, Message, MessageId, NewCustomer,
    NewJob, OpenedBy, TimelineEvent,
};
use replytrack::ports::{Commit, ConversationQuery, DedupeKey, Store, TimelineScope, Write};
use replytrack_sqlite::SqliteStore;

const CHILD_DB: &str = "REPLYTRACK_SQLITE_CRASH_CHILD_DB";
const READY: &str = "replytrack-crash-child-ready";
const TEST_NAME: &str = "a_database_reopened_after_its_writer_is_killed_mid_write_is_consistent";
/// Each commit writes: 1 customer, 1 conversation, MESSAGES messages, EVENTS events, 2 jobs,
/// 1 dedupe key.
const MESSAGES: usize = 3;
const EVENTS: usize = 4;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

fn message(
    customer: replytrack::conversation::CustomerId,
    conv: &Conversation,
    i: usize,
) -> Message {
    Message {
        id: MessageId::generate(now()),
        customer,
        conversation: Some(conv.id),
        direction: Direction::Inbound,
        kind: None,
        party: None,
        author: None,
        from: None,
        to: Vec::new(),
        cc: Vec::new(),
        subject: Some(format!("crash test {i}")),
        body: "lorem ipsum dolor sit amet ".repeat(40),
        html: None,
        preview: String::new(),
        reply: None,
        analysis: None,
        attachments: Vec::new(),
        token: None,
        rfc_message_id: None,
        in_reply_to: Vec::new(),
        references: Vec::new(),
        delivery: None,
        provider_message_id: None,
        created_at: now(),
        sent_at: None,
        version: 0,
    }
}

/// One commit of the child's loop.
fn unit(n: u64) -> Commit {
    let c = NewCustomer::new(format!("c{n}.{}@example.com", std::process::id()))
        .build(now())
        .unwrap_or_else(|e| panic!("valid: {e}"));
    let conv = Conversation::new(c.id, Channel::Email, OpenedBy::Contact, None, now());
    let messages: Vec<_> = (0..MESSAGES).map(|i| message(c.id, &conv, i)).collect();
    let events = (0..EVENTS)
        .map(|i| {
            TimelineEvent::new(
                c.id,
                Some(conv.id),
                messages.get(i).map(|m| m.id),
                now(),
                EventKind::AutoReplyReceived {
                    from: format!("e{i}"),
                    subject: None,
                },
            )
        })
        .collect();
    let jobs = [JobKind::Forward, JobKind::Analysis]
        .into_iter()
        .map(|kind| NewJob {
            id: JobId::generate(now()),
            kind,
            message: messages[0].id,
            run_at: now(),
            max_attempts: 3,
        })
        .collect();
    Commit {
        dedupe_key: Some(DedupeKey::new(&format!("crash-{}-{n}", std::process::id()))),
        customers: vec![Write::Insert(c)],
        conversations: vec![Write::Insert(conv)],
        messages: messages.into_iter().map(Write::Insert).collect(),
        tokens: Vec::new(),
        events,
        jobs,
    }
}

/// The child: commit forever (until killed), saying [`READY`] after the first commit.
fn child(path: &Path) {
    let store = SqliteStore::open(path).unwrap_or_else(|e| panic!("child open: {e}"));
    let mut n = 0_u64;
    loop {
        futures::executor::block_on(store.commit(unit(n)))
            .unwrap_or_else(|e| panic!("child commit: {e}"));
        if n == 0 {
            // On a line of its own: the harness has just printed the test name without one.
            println!("\n{READY}");
        }
        n += 1;
    }
}

fn check(path: &Path) -> u64 {
    let store = SqliteStore::open(path).unwrap_or_else(|e| panic!("reopen: {e}"));
    futures::executor::block_on(async {
        let problems = store
            .check_integrity()
            .await
            .unwrap_or_else(|e| panic!("integrity check: {e}"));
        assert!(problems.is_empty(), "{problems:?}");
        let s = store.stats().await.unwrap_or_else(|e| panic!("stats: {e}"));
        let units = s.customers;
        assert!(units > 0, "the child committed before it was killed");
        assert_eq!(s.conversations, units, "{s:?}");
        assert_eq!(s.dedupe_keys, units, "{s:?}");
        assert_eq!(s.messages, units * MESSAGES as u64, "{s:?}");
        assert_eq!(s.events, units * EVENTS as u64, "{s:?}");
        assert_eq!(s.jobs, units * 2, "{s:?}");
        // Every stored conversation reads back whole, with its thread and timeline.
        let latest = store
            .conversations(&ConversationQuery {
                limit: 20,
                ..ConversationQuery::default()
            })
            .await
            .unwrap_or_else(|e| panic!("list: {e}"));
        assert!(!latest.is_empty());
        for c in latest {
            let thread = store.messages(c.id).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(thread.len(), MESSAGES);
            let tl = store
                .timeline(TimelineScope::Conversation(c.id))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(tl.len(), EVENTS);
        }
        units
    })
}

fn run_child_and_kill(path: &Path, after: Duration) {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("test binary: {e}"));
    let mut child = Command::new(exe)
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads", "1"])
        .env(CHILD_DB, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn the child: {e}"));
    let stdout = child
        .stdout
        .take()
        .unwrap_or_else(|| panic!("child stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let ready = lines.any(|l| l.map(|l| l.trim() == READY).unwrap_or(false));
    assert!(ready, "the child never committed");
    std::thread::sleep(after);
    child
        .kill()
        .unwrap_or_else(|e| panic!("kill the child: {e}"));
    let _ = child.wait();
}

#[test]
fn a_database_reopened_after_its_writer_is_killed_mid_write_is_consistent() {
    if let Some(path) = std::env::var_os(CHILD_DB) {
        child(Path::new(&path));
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("replytrack-sqlite-crash");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("crash.db");
    let mut units = 0;
    for round in 0..3_u64 {
        run_child_and_kill(&path, Duration::from_millis(150 + 70 * round));
        let now_units = check(&path);
        assert!(now_units > units, "round {round} committed nothing");
        units = now_units;
    }
}

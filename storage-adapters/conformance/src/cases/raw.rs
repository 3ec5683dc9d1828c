//! Raw inbound bytes kept under a retention period, and the dead letters of what could not be
//! parsed.

use std::sync::Arc;

use replytrack::ports::{DeadLetter, MAX_ERROR_CHARS, RawInbound, Store};

use crate::fixtures::*;

fn raw(source: &str, bytes: &[u8], received: i64) -> RawInbound {
    RawInbound::new(source, bytes.to_vec(), at(received))
}

/// Raw bytes are kept under their SHA-256, once: a retry of the same payload changes nothing.
pub async fn raw_bytes_are_kept_once_and_read_back(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let mut bytes = b"From: a@example.com\r\nSubject: hi\r\n\r\nbody".to_vec();
    bytes.extend([0, 255, 128, 13, 10]);
    let first = raw("sendgrid", &bytes, 0);
    assert_eq!(first.sha256.len(), 64);
    assert!(ok("keep", s.keep_raw(first.clone()).await));
    let retry = raw("sendgrid", &bytes, 60);
    assert!(!ok("keep again", s.keep_raw(retry).await));
    assert_eq!(
        ok("read", s.raw_inbound(&first.sha256).await),
        Some(first.clone())
    );
    let empty = raw("raw", b"", 0);
    assert!(ok("keep empty", s.keep_raw(empty.clone()).await));
    assert_eq!(ok("read", s.raw_inbound(&empty.sha256).await), Some(empty));
    assert_eq!(ok("unknown", s.raw_inbound(&"0".repeat(64)).await), None);
}

/// Purging removes what was received before the cut-off and keeps the rest.
pub async fn purging_raw_bytes_keeps_those_inside_the_retention(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let old = raw("mailgun", b"old", 0);
    let edge = raw("mailgun", b"edge", 100);
    let new = raw("mailgun", b"new", 200);
    for r in [&old, &edge, &new] {
        assert!(ok("keep", s.keep_raw(r.clone()).await));
    }
    assert_eq!(ok("purge", s.purge_raw(at(100)).await), 1);
    assert_eq!(ok("old", s.raw_inbound(&old.sha256).await), None);
    assert_eq!(ok("edge", s.raw_inbound(&edge.sha256).await), Some(edge));
    assert_eq!(ok("new", s.raw_inbound(&new.sha256).await), Some(new));
    assert_eq!(ok("purge", s.purge_raw(at(100)).await), 0);
    assert_eq!(ok("purge all", s.purge_raw(at(1_000)).await), 2);
}

/// Dead letters keep the bytes and the error, and are listed newest first up to a limit.
pub async fn dead_letters_keep_the_bytes_and_the_error_newest_first(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let letters: Vec<DeadLetter> = [(10, "a"), (30, "b"), (20, "c")]
        .into_iter()
        .map(|(t, name)| DeadLetter {
            raw: raw("postmark", format!("payload {name}").as_bytes(), t),
            error: format!("invalid JSON at line 1 column {t} ({name})"),
        })
        .collect();
    for l in &letters {
        assert!(ok("dead letter", s.dead_letter(l.clone()).await));
    }
    let listed = ok("list", s.dead_letters(10).await);
    assert_eq!(
        listed,
        vec![letters[1].clone(), letters[2].clone(), letters[0].clone()]
    );
    assert_eq!(ok("list", s.dead_letters(2).await), listed[..2].to_vec());
    assert!(ok("list", s.dead_letters(0).await).is_empty());
}

/// The same bytes dead-lettered again are kept once, with the latest error (cut to
/// [`MAX_ERROR_CHARS`]).
pub async fn a_dead_letter_is_kept_once_with_its_latest_error(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let first = DeadLetter {
        raw: raw("ses", b"not a notification", 0),
        error: "first error".into(),
    };
    assert!(ok("dead letter", s.dead_letter(first.clone()).await));
    let again = DeadLetter {
        raw: raw("ses", b"not a notification", 50),
        error: "ü".repeat(MAX_ERROR_CHARS + 10),
    };
    assert!(!ok("again", s.dead_letter(again).await));
    let listed = ok("list", s.dead_letters(10).await);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].raw, first.raw);
    assert_eq!(listed[0].error, "ü".repeat(MAX_ERROR_CHARS));
}

/// Purging raw bytes does not touch dead letters; removing one does, once.
pub async fn dead_letters_survive_a_raw_purge_until_removed(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let letter = DeadLetter {
        raw: raw("raw", b"\xff\xfe garbage", 0),
        error: "no header block".into(),
    };
    assert!(ok("keep", s.keep_raw(letter.raw.clone()).await));
    assert!(ok("dead letter", s.dead_letter(letter.clone()).await));
    assert_eq!(ok("purge", s.purge_raw(at(10)).await), 1);
    assert_eq!(ok("list", s.dead_letters(10).await), vec![letter.clone()]);
    assert!(ok("remove", s.remove_dead_letter(&letter.raw.sha256).await));
    assert!(!ok(
        "remove again",
        s.remove_dead_letter(&letter.raw.sha256).await
    ));
    assert!(ok("list", s.dead_letters(10).await).is_empty());
}

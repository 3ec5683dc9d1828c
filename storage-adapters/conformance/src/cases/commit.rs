//! [`Store::commit`]: all-or-nothing and dedupe keys. The rules a commit is checked against
//! are in [`super::unique`].

use std::sync::Arc;

use replytrack::conversation::{JobKind, JobState, NewCustomer, TimelineEvent};
use replytrack::ports::{
    Commit, CommitOutcome, Conflict, DedupeKey, Seen, Store, StoreError, TimelineScope, Write,
};

use crate::fixtures::*;

/// One commit writes a customer, a conversation, a message, a token, events and a job; each
/// reads back as written, at version 1.
pub async fn a_commit_stores_every_record_at_version_one(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let c = customer("marie");
    let conv = conversation(c.id, at(0));
    let mut m = message(c.id, Some(conv.id), Some("Essai"), "Bonjour", at(1));
    m.rfc_message_id = Some(format!("m{}@example.fr", unique()));
    let tok = token_record(c.id, Some(conv.id), m.id);
    let e1 = event(c.id, Some(conv.id), at(1), "first");
    let e2 = event(c.id, None, at(2), "second");
    let j = job(JobKind::Analysis, at(1), 3);
    apply(
        s,
        Commit {
            dedupe_key: Some(DedupeKey::new(&format!("k{}", unique()))),
            customers: vec![Write::Insert(c.clone())],
            conversations: vec![Write::Insert(conv.clone())],
            messages: vec![Write::Insert(m.clone())],
            tokens: vec![tok.clone()],
            events: vec![e1.clone(), e2.clone()],
            jobs: vec![j.clone()],
        },
    )
    .await;

    let mut c1 = c.clone();
    c1.version = 1;
    assert_eq!(ok("customer", s.customer(c.id).await), Some(c1));
    let mut conv1 = conv.clone();
    conv1.version = 1;
    assert_eq!(
        ok("conversation", s.conversation(conv.id).await),
        Some(conv1.clone())
    );
    assert_eq!(ok("active", s.active_conversation(c.id).await), Some(conv1));
    let mut m1 = m.clone();
    m1.version = 1;
    assert_eq!(ok("message", s.message(m.id).await), Some(m1.clone()));
    assert_eq!(ok("messages", s.messages(conv.id).await), vec![m1]);
    assert_eq!(ok("token", s.token(&tok.token).await), Some(tok));
    assert_eq!(
        ok("timeline", s.timeline(TimelineScope::Customer(c.id)).await),
        vec![e1.clone(), e2]
    );
    assert_eq!(
        ok(
            "timeline",
            s.timeline(TimelineScope::Conversation(conv.id)).await
        ),
        vec![e1]
    );
    let stored = ok("job", s.job(j.id).await).unwrap_or_else(|| panic!("job {} stored", j.id));
    assert_eq!(
        (
            stored.kind,
            stored.message,
            stored.state,
            stored.attempts,
            stored.max_attempts,
            stored.run_at,
            stored.last_error
        ),
        (j.kind, j.message, JobState::Queued, 0, 3, j.run_at, None)
    );
}

/// A commit refused by a unique rule writes none of its records, nor its dedupe key.
pub async fn a_refused_commit_writes_nothing(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let marie = stored_customer(s, "marie").await;
    let address = marie.emails[0].address.to_uppercase();
    let other = NewCustomer::new(format!(" {address} "))
        .build(at(0))
        .unwrap_or_else(|e| panic!("valid: {e}"));
    let conv = conversation(other.id, at(0));
    let m = message(other.id, Some(conv.id), None, "hi", at(0));
    let tok = token_record(other.id, Some(conv.id), m.id);
    let j = job(JobKind::Forward, at(0), 3);
    let key = DedupeKey::new(&format!("k{}", unique()));
    let err = refuse(
        s,
        Commit {
            dedupe_key: Some(key.clone()),
            customers: vec![Write::Insert(other.clone())],
            conversations: vec![Write::Insert(conv.clone())],
            messages: vec![Write::Insert(m.clone())],
            tokens: vec![tok.clone()],
            events: vec![event(other.id, Some(conv.id), at(0), "x")],
            jobs: vec![j.clone()],
        },
    )
    .await;
    assert!(
        matches!(&err, StoreError::Conflict(Conflict::EmailTaken { customer, address: a })
            if *customer == marie.id && *a == marie.emails[0].address),
        "{err:?}"
    );
    assert_nothing_of(s, &other.id, conv.id, m.id, &tok.token, j.id, &key).await;
}

async fn assert_nothing_of(
    s: &dyn Store,
    customer: &replytrack::conversation::CustomerId,
    conv: replytrack::conversation::ConversationId,
    m: replytrack::conversation::MessageId,
    tok: &replytrack::token::ReplyToken,
    j: replytrack::conversation::JobId,
    key: &DedupeKey,
) {
    assert_eq!(ok("customer", s.customer(*customer).await), None);
    assert_eq!(ok("conversation", s.conversation(conv).await), None);
    assert_eq!(ok("active", s.active_conversation(*customer).await), None);
    assert_eq!(ok("message", s.message(m).await), None);
    assert!(ok("messages", s.messages(conv).await).is_empty());
    assert_eq!(ok("token", s.token(tok).await), None);
    assert!(
        ok(
            "timeline",
            s.timeline(TimelineScope::Customer(*customer)).await
        )
        .is_empty()
    );
    assert_eq!(ok("job", s.job(j).await), None);
    assert_eq!(ok("seen", s.seen(key).await), None);
}

/// A conflict found only at the last write (a reused job id) still rolls back every earlier
/// write of the commit.
pub async fn a_conflict_in_the_last_write_rolls_back_the_earlier_ones(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let taken = job(JobKind::Forward, at(0), 3);
    apply(
        s,
        Commit {
            jobs: vec![taken.clone()],
            ..Commit::default()
        },
    )
    .await;
    let c = customer("late");
    let conv = conversation(c.id, at(0));
    let m = message(c.id, Some(conv.id), Some("s"), "b", at(0));
    let tok = token_record(c.id, Some(conv.id), m.id);
    let fresh = job(JobKind::Analysis, at(0), 3);
    let key = DedupeKey::new(&format!("k{}", unique()));
    let err = refuse(
        s,
        Commit {
            dedupe_key: Some(key.clone()),
            customers: vec![Write::Insert(c.clone())],
            conversations: vec![Write::Insert(conv.clone())],
            messages: vec![Write::Insert(m.clone())],
            tokens: vec![tok.clone()],
            events: vec![event(c.id, Some(conv.id), at(0), "x")],
            jobs: vec![fresh.clone(), taken.clone()],
        },
    )
    .await;
    assert!(
        matches!(&err, StoreError::Conflict(Conflict::IdTaken { entity: "job", id })
            if *id == taken.id.to_string()),
        "{err:?}"
    );
    assert_nothing_of(s, &c.id, conv.id, m.id, &tok.token, fresh.id, &key).await;
    // The same commit without the reused job goes through.
    apply(
        s,
        Commit {
            dedupe_key: Some(key.clone()),
            customers: vec![Write::Insert(c.clone())],
            conversations: vec![Write::Insert(conv.clone())],
            messages: vec![Write::Insert(m.clone())],
            tokens: vec![tok],
            jobs: vec![fresh],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        ok("seen", s.seen(&key).await),
        Some(Seen {
            message: Some(m.id)
        })
    );
}

/// The second commit carrying a stored key writes nothing and names the first message.
pub async fn a_second_commit_with_the_same_dedupe_key_is_a_duplicate(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, conv) = stored_conversation(s, "dup", at(0)).await;
    let key = DedupeKey::new(&format!("<{}@mail.example>", unique()));
    let first = message(c.id, Some(conv.id), None, "one", at(1));
    let second = message(c.id, Some(conv.id), None, "two", at(2));
    let commit = |m: &replytrack::conversation::Message| Commit {
        dedupe_key: Some(key.clone()),
        messages: vec![Write::Insert(m.clone())],
        events: vec![event(c.id, Some(conv.id), at(1), "e")],
        ..Commit::default()
    };
    assert_eq!(
        ok("first", s.commit(commit(&first)).await),
        CommitOutcome::Applied
    );
    assert_eq!(
        ok("second", s.commit(commit(&second)).await),
        CommitOutcome::Duplicate {
            existing: Some(first.id)
        }
    );
    assert_eq!(ok("message", s.message(second.id).await), None);
    assert_eq!(ok("messages", s.messages(conv.id).await).len(), 1);
    assert_eq!(
        ok("timeline", s.timeline(TimelineScope::Customer(c.id)).await).len(),
        1
    );
    assert_eq!(
        ok("seen", s.seen(&key).await),
        Some(Seen {
            message: Some(first.id)
        })
    );
}

/// A key stored with a commit that inserts no message is remembered with none.
pub async fn a_dedupe_key_without_a_message_is_remembered_without_one(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let key = DedupeKey::new(&format!("quarantine:{}", unique()));
    assert_eq!(ok("seen", s.seen(&key).await), None);
    let commit = Commit {
        dedupe_key: Some(key.clone()),
        ..Commit::default()
    };
    assert_eq!(
        ok("first", s.commit(commit.clone()).await),
        CommitOutcome::Applied
    );
    assert_eq!(ok("seen", s.seen(&key).await), Some(Seen { message: None }));
    assert_eq!(
        ok("again", s.commit(commit).await),
        CommitOutcome::Duplicate { existing: None }
    );
    let long = DedupeKey::new(&"x".repeat(5_000));
    assert!(long.as_str().len() <= DedupeKey::MAX_LEN);
    apply(
        s,
        Commit {
            dedupe_key: Some(long.clone()),
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        ok("seen", s.seen(&long).await),
        Some(Seen { message: None })
    );
}

/// A duplicate is reported as such even when its writes would also be refused.
pub async fn the_dedupe_check_comes_before_the_other_checks(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let marie = stored_customer(s, "marie").await;
    let key = DedupeKey::new(&format!("k{}", unique()));
    apply(
        s,
        Commit {
            dedupe_key: Some(key.clone()),
            ..Commit::default()
        },
    )
    .await;
    let outcome = s
        .commit(Commit {
            dedupe_key: Some(key),
            customers: vec![Write::Insert(marie.clone())],
            ..Commit::default()
        })
        .await;
    assert!(
        matches!(outcome, Ok(CommitOutcome::Duplicate { existing: None })),
        "{outcome:?}"
    );
}

/// The key is stored with the first message the commit inserts (not an updated one).
pub async fn the_first_inserted_message_is_remembered_with_the_key(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, conv) = stored_conversation(s, "order", at(0)).await;
    let old = message(c.id, Some(conv.id), None, "old", at(0));
    apply(
        s,
        Commit {
            messages: vec![Write::Insert(old.clone())],
            ..Commit::default()
        },
    )
    .await;
    let a = message(c.id, Some(conv.id), None, "a", at(1));
    let b = message(c.id, Some(conv.id), None, "b", at(2));
    let key = DedupeKey::new(&format!("k{}", unique()));
    let mut old2 = old.clone();
    old2.body = "old, edited".into();
    apply(
        s,
        Commit {
            dedupe_key: Some(key.clone()),
            messages: vec![
                Write::update(old2, 1),
                Write::Insert(a.clone()),
                Write::Insert(b),
            ],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        ok("seen", s.seen(&key).await),
        Some(Seen {
            message: Some(a.id)
        })
    );
}

/// A commit with nothing in it is applied and changes nothing.
pub async fn an_empty_commit_is_applied(store: Arc<dyn Store>) {
    let s = store.as_ref();
    assert_eq!(
        ok("empty", s.commit(Commit::default()).await),
        CommitOutcome::Applied
    );
    let c = stored_customer(s, "after").await;
    let e: Vec<TimelineEvent> = ok("timeline", s.timeline(TimelineScope::Customer(c.id)).await);
    assert!(e.is_empty());
}

//! [`Store::commit`]: all-or-nothing, dedupe keys, the one-current-conversation rule, versions
//! and the unique rules.

use std::sync::Arc;

use replytrack::conversation::{
    ConversationStatus, CustomerEmail, JobKind, JobState, NewCustomer, TimelineEvent,
};
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

/// A customer's second conversation that is not resolved is refused, naming the first.
pub async fn a_customer_has_one_current_conversation(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, first) = stored_conversation(s, "max", at(0)).await;
    for status in [
        ConversationStatus::Open,
        ConversationStatus::Pending,
        ConversationStatus::Snoozed { until: at(60) },
    ] {
        let mut second = conversation(c.id, at(1));
        second.status = status;
        let err = refuse(
            s,
            Commit {
                conversations: vec![Write::Insert(second.clone())],
                ..Commit::default()
            },
        )
        .await;
        assert!(
            matches!(&err, StoreError::Conflict(Conflict::ActiveConversation { customer, existing })
                if *customer == c.id && *existing == first.id),
            "{status}: {err:?}"
        );
        assert_eq!(ok("second", s.conversation(second.id).await), None);
    }
    // A resolved one beside it is fine, and so is another customer's.
    let mut resolved = conversation(c.id, at(2));
    resolved.status = ConversationStatus::Resolved;
    let other = stored_customer(s, "other").await;
    apply(
        s,
        Commit {
            conversations: vec![
                Write::Insert(resolved.clone()),
                Write::Insert(conversation(other.id, at(2))),
            ],
            ..Commit::default()
        },
    )
    .await;
    // Reopening the resolved one while the first is current is refused too.
    let mut reopened = read_conversation(s, resolved.id).await;
    reopened.status = ConversationStatus::Open;
    let err = refuse(
        s,
        Commit {
            conversations: vec![Write::update(reopened, 1)],
            ..Commit::default()
        },
    )
    .await;
    assert!(
        matches!(&err, StoreError::Conflict(Conflict::ActiveConversation { existing, .. })
            if *existing == first.id),
        "{err:?}"
    );
    assert_eq!(
        ok("active", s.active_conversation(c.id).await).map(|x| x.id),
        Some(first.id)
    );
}

/// Resolving the current conversation and opening a new one in the same commit is one step.
pub async fn resolving_one_conversation_and_opening_another_in_one_commit_is_allowed(
    store: Arc<dyn Store>,
) {
    let s = store.as_ref();
    let (c, first) = stored_conversation(s, "swap", at(0)).await;
    let mut resolved = first.clone();
    resolved.status = ConversationStatus::Resolved;
    resolved.resolved_at = Some(at(5));
    let second = conversation(c.id, at(6));
    apply(
        s,
        Commit {
            conversations: vec![
                Write::update(resolved, first.version),
                Write::Insert(second.clone()),
            ],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        ok("active", s.active_conversation(c.id).await).map(|x| x.id),
        Some(second.id)
    );
    assert_eq!(
        read_conversation(s, first.id).await.status,
        ConversationStatus::Resolved
    );
}

/// The rule is checked write by write: opening the new one before resolving the old one in
/// the same commit is refused (as a database's unique index does).
pub async fn opening_before_resolving_in_one_commit_is_refused(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, first) = stored_conversation(s, "order", at(0)).await;
    let mut resolved = first.clone();
    resolved.status = ConversationStatus::Resolved;
    let second = conversation(c.id, at(6));
    let err = refuse(
        s,
        Commit {
            conversations: vec![
                Write::Insert(second.clone()),
                Write::update(resolved, first.version),
            ],
            ..Commit::default()
        },
    )
    .await;
    assert!(
        matches!(
            &err,
            StoreError::Conflict(Conflict::ActiveConversation { .. })
        ),
        "{err:?}"
    );
    assert_eq!(read_conversation(s, first.id).await, first);
    assert_eq!(ok("second", s.conversation(second.id).await), None);
}

/// Updates carry the version they read; a stale one is refused with both versions named.
pub async fn an_update_from_a_stale_read_is_refused(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, conv) = stored_conversation(s, "ana", at(0)).await;
    let m = message(c.id, Some(conv.id), None, "hi", at(1));
    apply(
        s,
        Commit {
            messages: vec![Write::Insert(m.clone())],
            ..Commit::default()
        },
    )
    .await;
    let mut c2 = c.clone();
    c2.name = Some("Ana".into());
    let mut conv2 = conv.clone();
    conv2.assignee = Some("lea".into());
    let mut m2 = read_message(s, m.id).await;
    m2.body = "edited".into();
    apply(
        s,
        Commit {
            customers: vec![Write::update(c2.clone(), 1)],
            conversations: vec![Write::update(conv2.clone(), 1)],
            messages: vec![Write::update(m2.clone(), 1)],
            ..Commit::default()
        },
    )
    .await;
    let stale = [
        (
            "customer",
            c.id.to_string(),
            Commit {
                customers: vec![Write::update(c, 1)],
                ..Commit::default()
            },
        ),
        (
            "conversation",
            conv.id.to_string(),
            Commit {
                conversations: vec![Write::update(conv, 1)],
                ..Commit::default()
            },
        ),
        (
            "message",
            m.id.to_string(),
            Commit {
                messages: vec![Write::update(m, 1)],
                ..Commit::default()
            },
        ),
    ];
    for (entity, id, commit) in stale {
        let err = refuse(s, commit).await;
        assert!(
            matches!(&err, StoreError::Conflict(Conflict::Version { entity: e, id: i, expected: 1, found: 2 })
                if *e == entity && *i == id),
            "{entity}: {err:?}"
        );
    }
    assert_eq!(read_customer(s, c2.id).await.name.as_deref(), Some("Ana"));
    assert_eq!(
        read_conversation(s, conv2.id).await.assignee.as_deref(),
        Some("lea")
    );
    assert_eq!(read_message(s, m2.id).await.body, "edited");
}

/// Updating a record that was never stored is `NotFound`, and writes nothing else.
pub async fn an_update_of_a_missing_record_is_not_found(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let ghost = customer("ghost");
    let conv = conversation(ghost.id, at(0));
    let m = message(ghost.id, None, None, "boo", at(0));
    let cases = [
        (
            "customer",
            ghost.id.to_string(),
            Commit {
                customers: vec![Write::update(ghost.clone(), 1)],
                ..Commit::default()
            },
        ),
        (
            "conversation",
            conv.id.to_string(),
            Commit {
                conversations: vec![Write::update(conv.clone(), 1)],
                ..Commit::default()
            },
        ),
        (
            "message",
            m.id.to_string(),
            Commit {
                messages: vec![Write::update(m.clone(), 1)],
                ..Commit::default()
            },
        ),
    ];
    for (entity, id, mut commit) in cases {
        let e = event(ghost.id, None, at(0), "x");
        commit.events.push(e);
        let err = refuse(s, commit).await;
        assert!(
            matches!(&err, StoreError::NotFound { entity: en, id: i } if *en == entity && *i == id),
            "{entity}: {err:?}"
        );
    }
    assert!(
        ok(
            "timeline",
            s.timeline(TimelineScope::Customer(ghost.id)).await
        )
        .is_empty()
    );
}

/// Each update adds one to the version; the stored record carries it.
pub async fn versions_count_updates(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (_, conv) = stored_conversation(s, "v", at(0)).await;
    let mut current = conv;
    for n in 1..=3_u64 {
        assert_eq!(current.version, n);
        let mut next = current.clone();
        next.labels.insert(format!("l{n}"));
        apply(
            s,
            Commit {
                conversations: vec![Write::update(next, n)],
                ..Commit::default()
            },
        )
        .await;
        current = read_conversation(s, current.id).await;
    }
    assert_eq!(current.version, 4);
    assert_eq!(current.labels.len(), 3);
}

/// An address belongs to one customer: inserting or updating another customer with it is
/// refused, naming the owner; a customer may keep and reorder its own.
pub async fn an_email_address_belongs_to_one_customer(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let a = stored_customer(s, "a").await;
    let b = stored_customer(s, "b").await;
    let mut b2 = b.clone();
    b2.emails.push(CustomerEmail {
        address: a.emails[0].address.clone(),
        status: Default::default(),
    });
    let err = refuse(
        s,
        Commit {
            customers: vec![Write::update(b2, b.version)],
            ..Commit::default()
        },
    )
    .await;
    assert!(
        matches!(&err, StoreError::Conflict(Conflict::EmailTaken { customer, .. }) if *customer == a.id),
        "{err:?}"
    );
    // Its own addresses, another added, order changed: fine.
    let mut a2 = a.clone();
    a2.emails.insert(
        0,
        CustomerEmail {
            address: format!("second.{}@example.com", unique()),
            status: Default::default(),
        },
    );
    apply(
        s,
        Commit {
            customers: vec![Write::update(a2.clone(), a.version)],
            ..Commit::default()
        },
    )
    .await;
    for e in &a2.emails {
        assert_eq!(
            ok("by email", s.customer_by_email(&e.address).await).map(|c| c.id),
            Some(a.id)
        );
    }
    assert_eq!(read_customer(s, b.id).await, b);
}

/// An address a customer no longer has is free: nobody is found by it, another may take it.
pub async fn an_address_released_by_one_customer_can_be_taken_by_another(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let a = stored_customer(s, "a").await;
    let b = stored_customer(s, "b").await;
    let address = a.emails[0].address.clone();
    let mut a2 = a.clone();
    a2.emails = vec![CustomerEmail {
        address: format!("new.{}@example.com", unique()),
        status: Default::default(),
    }];
    let mut b2 = b.clone();
    b2.emails.push(CustomerEmail {
        address: address.clone(),
        status: Default::default(),
    });
    apply(
        s,
        Commit {
            customers: vec![Write::update(a2, a.version)],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(ok("by email", s.customer_by_email(&address).await), None);
    apply(
        s,
        Commit {
            customers: vec![Write::update(b2, b.version)],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        ok("by email", s.customer_by_email(&address).await).map(|c| c.id),
        Some(b.id)
    );
}

/// An external id belongs to one customer; it can be given up and taken.
pub async fn an_external_id_belongs_to_one_customer(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let ext = format!("crm-{}", unique());
    let mut a = customer("a");
    a.external_id = Some(ext.clone());
    apply(
        s,
        Commit {
            customers: vec![Write::Insert(a.clone())],
            ..Commit::default()
        },
    )
    .await;
    let mut b = customer("b");
    b.external_id = Some(ext.clone());
    let err = refuse(
        s,
        Commit {
            customers: vec![Write::Insert(b.clone())],
            ..Commit::default()
        },
    )
    .await;
    assert!(
        matches!(&err, StoreError::Conflict(Conflict::ExternalIdTaken { external_id, customer })
            if *external_id == ext && *customer == a.id),
        "{err:?}"
    );
    assert_eq!(
        ok("by ext", s.customer_by_external_id(&ext).await).map(|c| c.id),
        Some(a.id)
    );
    let mut a2 = read_customer(s, a.id).await;
    a2.external_id = None;
    apply(
        s,
        Commit {
            customers: vec![Write::update(a2, 1), Write::Insert(b.clone())],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        ok("by ext", s.customer_by_external_id(&ext).await).map(|c| c.id),
        Some(b.id)
    );
}

/// A token has one record; a second is refused.
pub async fn a_token_has_one_record(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let c = stored_customer(s, "t").await;
    let first = token_record(
        c.id,
        None,
        replytrack::conversation::MessageId::generate(t0()),
    );
    apply(
        s,
        Commit {
            tokens: vec![first.clone()],
            ..Commit::default()
        },
    )
    .await;
    let mut again = token_record(
        c.id,
        None,
        replytrack::conversation::MessageId::generate(t0()),
    );
    again.token = first.token;
    let err = refuse(
        s,
        Commit {
            tokens: vec![again],
            ..Commit::default()
        },
    )
    .await;
    assert!(
        matches!(&err, StoreError::Conflict(Conflict::TokenTaken(t)) if *t == first.token),
        "{err:?}"
    );
    assert_eq!(ok("token", s.token(&first.token).await), Some(first));
}

/// Inserting a customer, conversation, message or job under an id already stored is refused.
pub async fn an_insert_reusing_an_id_is_refused(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (c, conv) = stored_conversation(s, "ids", at(0)).await;
    let m = message(c.id, Some(conv.id), None, "x", at(0));
    let j = job(JobKind::Forward, at(0), 1);
    apply(
        s,
        Commit {
            messages: vec![Write::Insert(m.clone())],
            jobs: vec![j.clone()],
            ..Commit::default()
        },
    )
    .await;
    let mut c2 = c.clone();
    c2.emails = vec![CustomerEmail {
        address: format!("fresh.{}@example.com", unique()),
        status: Default::default(),
    }];
    let mut conv2 = conv.clone();
    conv2.status = ConversationStatus::Resolved;
    let cases = [
        (
            "customer",
            c.id.to_string(),
            Commit {
                customers: vec![Write::Insert(c2)],
                ..Commit::default()
            },
        ),
        (
            "conversation",
            conv.id.to_string(),
            Commit {
                conversations: vec![Write::Insert(conv2)],
                ..Commit::default()
            },
        ),
        (
            "message",
            m.id.to_string(),
            Commit {
                messages: vec![Write::Insert(m.clone())],
                ..Commit::default()
            },
        ),
        (
            "job",
            j.id.to_string(),
            Commit {
                jobs: vec![j.clone()],
                ..Commit::default()
            },
        ),
    ];
    for (entity, id, commit) in cases {
        let err = refuse(s, commit).await;
        assert!(
            matches!(&err, StoreError::Conflict(Conflict::IdTaken { entity: e, id: i })
                if *e == entity && *i == id),
            "{entity}: {err:?}"
        );
    }
    assert_eq!(read_customer(s, c.id).await, c);
    assert_eq!(read_conversation(s, conv.id).await, conv);
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

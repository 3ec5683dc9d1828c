//! The rules a commit is checked against: one current conversation per customer, optimistic
//! versions, one customer per address and per external id, one record per token, fresh ids.

use std::sync::Arc;

use replytrack::conversation::{ConversationStatus, CustomerEmail, JobKind};
use replytrack::ports::{Commit, Conflict, Store, StoreError, TimelineScope, Write};

use crate::fixtures::*;

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

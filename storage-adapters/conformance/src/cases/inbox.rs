//! Inbox rows ([`Store::inbox`]): the tab and filters, each row's contact, latest message and
//! read mark; read marks ([`Store::mark_read`]); customers by phone ([`Store::customer_by_phone`]).

use std::sync::Arc;

use replytrack::analysis::{Analysis, ResponseType};
use replytrack::conversation::{
    Channel, Conversation, ConversationId, ConversationStatus, Direction, Priority,
};
use replytrack::ports::{
    Commit, ConversationCursor, InboxQuery, InboxRecord, InboxTab, Store, StoreError, Write,
};

use super::listing::{conv_at, seed};
use crate::fixtures::*;

async fn rows(s: &dyn Store, q: InboxQuery) -> Vec<InboxRecord> {
    ok("inbox", s.inbox(&q).await)
}

async fn ids(s: &dyn Store, q: InboxQuery) -> Vec<ConversationId> {
    rows(s, q)
        .await
        .into_iter()
        .map(|r| r.conversation.id)
        .collect()
}

/// Store messages (in this order) in a stored conversation.
async fn add(s: &dyn Store, messages: Vec<replytrack::conversation::Message>) {
    apply(
        s,
        Commit {
            messages: messages.into_iter().map(Write::Insert).collect(),
            ..Commit::default()
        },
    )
    .await;
}

/// Update a stored conversation.
async fn change(s: &dyn Store, conv: &Conversation, set: impl FnOnce(&mut Conversation)) {
    let stored = read_conversation(s, conv.id).await;
    let mut next = stored.clone();
    set(&mut next);
    apply(
        s,
        Commit {
            conversations: vec![Write::update(next, stored.version)],
            ..Commit::default()
        },
    )
    .await;
}

/// A row carries the conversation as stored, its customer's name and first address, and its
/// latest message that is not a private note: the stored preview (or a preview of the body
/// when that is empty), the direction, and the time it was sent (else stored).
pub async fn inbox_rows_carry_the_contact_and_the_latest_message(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (marie, conv) = stored_conversation(s, "Marie", at(0)).await;
    let (_, quiet) = stored_conversation(s, "Quiet", at(-10)).await;
    let first = message(marie.id, Some(conv.id), None, "Bonjour", at(10));
    let mut answer = message(
        marie.id,
        Some(conv.id),
        None,
        "Hello   there,\n\n how can I help?",
        at(20),
    );
    answer.direction = Direction::Outbound;
    answer.preview = String::new();
    answer.sent_at = Some(at(25));
    let mut note = message(marie.id, Some(conv.id), None, "private", at(30));
    note.direction = Direction::Note;
    add(s, vec![first, answer.clone(), note]).await;
    change(s, &conv, |c| {
        c.last_outbound_at = Some(at(25));
        c.waiting_since = None;
    })
    .await;

    let got = rows(s, InboxQuery::default()).await;
    assert_eq!(got.len(), 2);
    let row = &got[0];
    assert_eq!(row.conversation, read_conversation(s, conv.id).await);
    assert_eq!(row.contact_name.as_deref(), Some("Marie"));
    assert_eq!(
        row.contact.as_deref(),
        marie.emails.first().map(|e| e.address.as_str())
    );
    let last = row
        .last_message
        .as_ref()
        .unwrap_or_else(|| panic!("a last message"));
    assert_eq!(last.id, answer.id, "the note is skipped");
    assert_eq!(last.direction, Direction::Outbound);
    assert_eq!(last.preview, "Hello there, how can I help?");
    assert_eq!(last.at, at(25));
    assert_eq!(row.read_at, None);
    assert_eq!(got[1].conversation.id, quiet.id);
    assert_eq!(got[1].last_message, None);
}

/// Tabs: mine (assigned to the agent), unassigned, all.
pub async fn inbox_tabs_show_mine_unassigned_and_all(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let mut a = conv_at(0);
    a.assignee = Some("ana".into());
    let mut b = conv_at(10);
    b.assignee = Some("bob".into());
    let mut c = conv_at(20);
    c.team = Some("sales".into());
    let d = conv_at(30);
    let st = seed(s, vec![a, b, c, d]).await;
    let tab = |tab| InboxQuery {
        tab,
        ..InboxQuery::default()
    };
    assert_eq!(
        ids(s, tab(InboxTab::Mine("ana".into()))).await,
        vec![st[0].id]
    );
    assert_eq!(
        ids(s, tab(InboxTab::Unassigned)).await,
        vec![st[3].id, st[2].id]
    );
    assert_eq!(
        ids(s, tab(InboxTab::All)).await,
        vec![st[3].id, st[2].id, st[1].id, st[0].id]
    );
    let mine_in_sales = InboxQuery {
        tab: InboxTab::Mine("ana".into()),
        team: Some("sales".into()),
        ..InboxQuery::default()
    };
    assert!(ids(s, mine_in_sales).await.is_empty());
    let unassigned_sales = InboxQuery {
        tab: InboxTab::Unassigned,
        team: Some("sales".into()),
        ..InboxQuery::default()
    };
    assert_eq!(ids(s, unassigned_sales).await, vec![st[2].id]);
}

/// Filters: status, channel, every label given, priority, and a message analysed as a response
/// type.
pub async fn inbox_filters_by_status_channel_labels_priority_and_response_type(
    store: Arc<dyn Store>,
) {
    let s = store.as_ref();
    let mut a = conv_at(0);
    a.labels = ["vip".to_string(), "billing".to_string()].into();
    a.priority = Priority::Urgent;
    let mut b = conv_at(10);
    b.labels = ["vip".to_string()].into();
    b.channel = Channel::Whatsapp;
    let mut c = conv_at(20);
    c.status = ConversationStatus::Resolved;
    c.priority = Priority::Urgent;
    let st = seed(s, vec![a, b, c]).await;
    let mut analysed = message(
        st[1].customer,
        Some(st[1].id),
        None,
        "we want 500 seats",
        at(11),
    );
    analysed.analysis = Some(Analysis {
        response_type: ResponseType::HighValue,
        ..Analysis::default()
    });
    let plain = message(st[0].customer, Some(st[0].id), None, "hello", at(1));
    add(s, vec![analysed, plain]).await;

    let q = |set: fn(&mut InboxQuery)| {
        let mut q = InboxQuery::default();
        set(&mut q);
        q
    };
    assert_eq!(
        ids(s, q(|q| q.status = Some("resolved".into()))).await,
        vec![st[2].id]
    );
    assert_eq!(
        ids(s, q(|q| q.channel = Some(Channel::Whatsapp))).await,
        vec![st[1].id]
    );
    assert_eq!(
        ids(s, q(|q| q.labels = vec!["vip".into()])).await,
        vec![st[1].id, st[0].id]
    );
    assert_eq!(
        ids(s, q(|q| q.labels = vec!["vip".into(), "billing".into()])).await,
        vec![st[0].id]
    );
    assert_eq!(
        ids(
            s,
            q(|q| q.labels = vec!["billing".into(), "vip".into(), "billing".into()])
        )
        .await,
        vec![st[0].id]
    );
    assert!(
        ids(s, q(|q| q.labels = vec!["vip".into(), "nope".into()]))
            .await
            .is_empty()
    );
    assert_eq!(
        ids(s, q(|q| q.priority = Some(Priority::Urgent))).await,
        vec![st[2].id, st[0].id]
    );
    assert_eq!(
        ids(s, q(|q| q.response_type = Some(ResponseType::HighValue))).await,
        vec![st[1].id]
    );
    assert!(
        ids(
            s,
            q(|q| q.response_type = Some(ResponseType::NeedsAttention))
        )
        .await
        .is_empty()
    );
    let mut both = q(|q| q.labels = vec!["vip".into()]);
    both.priority = Some(Priority::Urgent);
    assert_eq!(ids(s, both).await, vec![st[0].id]);
}

/// Search finds resolved conversations too, combines with the filters, and pages follow the
/// cursor without repeating or skipping a row.
pub async fn inbox_search_and_pages_follow_the_cursor(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let mut convs: Vec<Conversation> = (0..7).map(|i| conv_at(i * 10)).collect();
    convs[2].status = ConversationStatus::Resolved;
    for c in convs.iter_mut().step_by(2) {
        c.labels = ["refund".to_string()].into();
    }
    let st = seed(s, convs).await;
    let mut said = Vec::new();
    for (i, c) in st.iter().enumerate() {
        let body = if i % 3 == 0 {
            "nothing here"
        } else {
            "Where is my Refund?"
        };
        said.push(message(c.customer, Some(c.id), None, body, at(1)));
    }
    add(s, said).await;
    // Refund in bodies: 1, 2, 4, 5; labelled: 0, 2, 4, 6.
    let search = InboxQuery {
        text: Some("refund".into()),
        ..InboxQuery::default()
    };
    assert_eq!(
        ids(s, search.clone()).await,
        vec![st[5].id, st[4].id, st[2].id, st[1].id]
    );
    let labelled_search = InboxQuery {
        labels: vec!["refund".into()],
        ..search.clone()
    };
    assert_eq!(ids(s, labelled_search).await, vec![st[4].id, st[2].id]);
    let mut seen = Vec::new();
    let mut after: Option<ConversationCursor> = None;
    loop {
        let page = rows(
            s,
            InboxQuery {
                limit: 3,
                after,
                ..InboxQuery::default()
            },
        )
        .await;
        assert!(page.len() <= 3);
        let Some(last) = page.last() else { break };
        after = Some(ConversationCursor::of(&last.conversation));
        seen.extend(page.iter().map(|r| r.conversation.id));
    }
    let expected: Vec<ConversationId> = st.iter().rev().map(|c| c.id).collect();
    assert_eq!(seen, expected);
    let empty = InboxQuery {
        text: Some(" ... ".into()),
        ..InboxQuery::default()
    };
    assert!(ids(s, empty).await.is_empty());
}

/// A read mark is returned for its reader only; a later mark replaces it, an earlier one does
/// not; marking an unknown conversation is not found.
pub async fn read_marks_are_kept_per_agent_latest_first(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let (_, conv) = stored_conversation(s, "Reader", at(0)).await;
    ok("mark_read", s.mark_read(conv.id, "ana", at(50)).await);
    ok("mark_read", s.mark_read(conv.id, "ana", at(40)).await);
    ok("mark_read", s.mark_read(conv.id, "bob", at(10)).await);
    let read_by = |reader: Option<&str>| InboxQuery {
        reader: reader.map(str::to_string),
        ..InboxQuery::default()
    };
    let first = |r: Vec<InboxRecord>| r.first().and_then(|r| r.read_at);
    assert_eq!(first(rows(s, read_by(Some("ana"))).await), Some(at(50)));
    assert_eq!(first(rows(s, read_by(Some("bob"))).await), Some(at(10)));
    assert_eq!(first(rows(s, read_by(Some("eve"))).await), None);
    assert_eq!(first(rows(s, read_by(None)).await), None);
    ok("mark_read", s.mark_read(conv.id, "ana", at(60)).await);
    change(s, &conv, |c| c.assignee = Some("ana".into())).await;
    let mine = InboxQuery {
        tab: InboxTab::Mine("ana".into()),
        ..InboxQuery::default()
    };
    assert_eq!(
        first(rows(s, mine).await),
        Some(at(60)),
        "the Mine agent reads by default"
    );
    let unknown = ConversationId::generate(t0());
    assert!(matches!(
        s.mark_read(unknown, "ana", at(1)).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// A customer is found by their phone in any usual spelling (normalised to E.164); the oldest
/// wins when several share it; a changed phone is found under the new number only.
pub async fn customers_are_found_by_phone_in_e164(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let mut first = customer("Phone");
    first.phone = Some("+33 6 12 34 56 78".into());
    let mut second = customer("Phone");
    second.phone = Some("33612345678".into());
    let mut other = customer("Other");
    other.phone = Some("+1 (415) 523-8886".into());
    for c in [&first, &second, &other] {
        apply(
            s,
            Commit {
                customers: vec![Write::Insert(c.clone())],
                ..Commit::default()
            },
        )
        .await;
    }
    let oldest = if first.id < second.id {
        &first
    } else {
        &second
    };
    let found = |r: Result<Option<replytrack::conversation::Customer>, StoreError>| {
        ok("customer_by_phone", r).map(|c| c.id)
    };
    assert_eq!(
        found(s.customer_by_phone("+33612345678").await),
        Some(oldest.id)
    );
    assert_eq!(
        found(s.customer_by_phone("33 6-12.34.56.78").await),
        Some(oldest.id)
    );
    assert_eq!(
        found(s.customer_by_phone("+14155238886").await),
        Some(other.id)
    );
    assert_eq!(found(s.customer_by_phone("+999999999").await), None);
    assert_eq!(found(s.customer_by_phone("not a phone").await), None);
    let stored = read_customer(s, other.id).await;
    let mut moved = stored.clone();
    moved.phone = Some("+44 20 7946 0958".into());
    apply(
        s,
        Commit {
            customers: vec![Write::update(moved, stored.version)],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(found(s.customer_by_phone("+14155238886").await), None);
    assert_eq!(
        found(s.customer_by_phone("+442079460958").await),
        Some(other.id)
    );
}

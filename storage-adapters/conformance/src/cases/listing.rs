//! Conversation lists: newest activity first, filtered by status, assignee, team, channel,
//! label and customer, paged with a cursor; and the snoozes that are due.

use std::sync::Arc;

use replytrack::conversation::{Channel, Conversation, ConversationId, ConversationStatus};
use replytrack::ports::{Commit, ConversationCursor, ConversationQuery, Store, Write};

use crate::fixtures::*;

/// Store each conversation with a customer of its own; returns them as stored.
pub(crate) async fn seed(s: &dyn Store, convs: Vec<Conversation>) -> Vec<Conversation> {
    let mut out = Vec::new();
    for mut conv in convs {
        let c = customer("list");
        conv.customer = c.id;
        apply(
            s,
            Commit {
                customers: vec![Write::Insert(c)],
                conversations: vec![Write::Insert(conv.clone())],
                ..Commit::default()
            },
        )
        .await;
        conv.version = 1;
        out.push(conv);
    }
    out
}

/// A conversation created at `created` (its customer is set by [`seed`]).
pub(crate) fn conv_at(created: i64) -> Conversation {
    conversation(
        replytrack::conversation::CustomerId::generate(t0()),
        at(created),
    )
}

pub(crate) async fn list(s: &dyn Store, q: ConversationQuery) -> Vec<ConversationId> {
    ok("conversations", s.conversations(&q).await)
        .into_iter()
        .map(|c| c.id)
        .collect()
}

fn ids(convs: &[&Conversation]) -> Vec<ConversationId> {
    convs.iter().map(|c| c.id).collect()
}

/// The list is ordered by last activity (creation, last inbound, last outbound), newest
/// first; equal activity puts the higher id first.
pub async fn conversations_are_listed_newest_activity_first(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let mut a = conv_at(0);
    a.last_inbound_at = Some(at(500));
    let b = conv_at(100);
    let mut c = conv_at(50);
    c.last_outbound_at = Some(at(300));
    c.last_inbound_at = Some(at(60));
    let d = conv_at(200);
    let e = conv_at(200);
    let stored = seed(s, vec![a, b, c, d, e]).await;
    let [a, b, c, d, e] = [0, 1, 2, 3, 4].map(|i| &stored[i]);
    let (hi, lo) = if d.id > e.id { (d, e) } else { (e, d) };
    assert_eq!(
        list(s, ConversationQuery::default()).await,
        ids(&[a, c, hi, lo, b])
    );
    let full = ok(
        "conversations",
        s.conversations(&ConversationQuery::default()).await,
    );
    assert_eq!(full[0], *a, "the listed records are the stored ones");
}

/// The status filter takes a status name.
pub async fn conversations_filter_by_status(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let statuses = [
        ConversationStatus::Open,
        ConversationStatus::Pending,
        ConversationStatus::Snoozed { until: at(900) },
        ConversationStatus::Resolved,
        ConversationStatus::Open,
    ];
    let convs = statuses
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let mut c = conv_at(i64::try_from(i).unwrap_or(0) * 10);
            c.status = *st;
            c
        })
        .collect();
    let stored = seed(s, convs).await;
    let q = |name: &str| ConversationQuery {
        status: Some(name.into()),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q("open")).await, ids(&[&stored[4], &stored[0]]));
    assert_eq!(list(s, q("pending")).await, ids(&[&stored[1]]));
    assert_eq!(list(s, q("snoozed")).await, ids(&[&stored[2]]));
    assert_eq!(list(s, q("resolved")).await, ids(&[&stored[3]]));
    assert!(list(s, q("closed")).await.is_empty());
}

/// Assignee, team and channel filters match exactly, and combine.
pub async fn conversations_filter_by_assignee_team_and_channel(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let spec = [
        (Some("lea"), Some("sales"), Channel::Email),
        (Some("lea"), Some("support"), Channel::Manual),
        (Some("tom"), Some("sales"), Channel::Email),
        (None, None, Channel::Whatsapp),
        (Some("Lea"), Some("sales"), Channel::Email),
    ];
    let convs = spec
        .iter()
        .enumerate()
        .map(|(i, (a, t, ch))| {
            let mut c = conv_at(i64::try_from(i).unwrap_or(0) * 10);
            c.assignee = a.map(str::to_string);
            c.team = t.map(str::to_string);
            c.channel = *ch;
            c
        })
        .collect();
    let st = seed(s, convs).await;
    let q = ConversationQuery {
        assignee: Some("lea".into()),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q).await, ids(&[&st[1], &st[0]]));
    let q = ConversationQuery {
        team: Some("sales".into()),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q).await, ids(&[&st[4], &st[2], &st[0]]));
    let q = ConversationQuery {
        channel: Some(Channel::Email),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q).await, ids(&[&st[4], &st[2], &st[0]]));
    let q = ConversationQuery {
        channel: Some(Channel::Whatsapp),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q).await, ids(&[&st[3]]));
    let q = ConversationQuery {
        assignee: Some("lea".into()),
        team: Some("sales".into()),
        channel: Some(Channel::Email),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q).await, ids(&[&st[0]]));
}

/// A label filter finds conversations carrying that label among others; a customer filter
/// finds all of a customer's conversations, resolved ones included.
pub async fn conversations_filter_by_label_and_customer(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let labels: [&[&str]; 4] = [&["vip", "billing"], &["billing"], &[], &["vip"]];
    let convs = labels
        .iter()
        .enumerate()
        .map(|(i, ls)| {
            let mut c = conv_at(i64::try_from(i).unwrap_or(0) * 10);
            c.labels = ls.iter().map(|l| l.to_string()).collect();
            c
        })
        .collect();
    let st = seed(s, convs).await;
    let q = |l: &str| ConversationQuery {
        label: Some(l.into()),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q("vip")).await, ids(&[&st[3], &st[0]]));
    assert_eq!(list(s, q("billing")).await, ids(&[&st[1], &st[0]]));
    assert!(list(s, q("VIP")).await.is_empty());

    // One customer, an old resolved conversation and a current one.
    let (c, old) = stored_conversation(s, "history", at(1_000)).await;
    let mut resolved = old.clone();
    resolved.status = ConversationStatus::Resolved;
    let current = conversation(c.id, at(2_000));
    apply(
        s,
        Commit {
            conversations: vec![
                Write::update(resolved, old.version),
                Write::Insert(current.clone()),
            ],
            ..Commit::default()
        },
    )
    .await;
    let q = ConversationQuery {
        customer: Some(c.id),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q).await, vec![current.id, old.id]);
    let q = ConversationQuery {
        customer: Some(c.id),
        status: Some("resolved".into()),
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q).await, vec![old.id]);
}

/// Pages of `limit` conversations, each continuing after the cursor of the previous page's
/// last one, list every conversation once, in order (ties in activity included).
pub async fn conversation_pages_follow_the_cursor(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let convs = [0, 10, 10, 10, 20, 30, 30, 40]
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let mut c = conv_at(t);
            if i % 2 == 0 {
                c.status = ConversationStatus::Pending;
            }
            c
        })
        .collect();
    seed(s, convs).await;
    for filter in [None, Some("pending".to_string())] {
        let base = ConversationQuery {
            status: filter.clone(),
            limit: 100,
            ..ConversationQuery::default()
        };
        let all = ok("all", s.conversations(&base).await);
        let mut paged = Vec::new();
        let mut after = None;
        let mut pages = 0;
        loop {
            let page = ok(
                "page",
                s.conversations(&ConversationQuery {
                    limit: 3,
                    after,
                    ..base.clone()
                })
                .await,
            );
            if page.is_empty() {
                break;
            }
            pages += 1;
            assert!(page.len() <= 3);
            after = page.last().map(ConversationCursor::of);
            paged.extend(page);
            assert!(pages <= all.len(), "paging does not end");
        }
        assert_eq!(paged, all, "filter {filter:?}");
        assert_eq!(pages, all.len().div_ceil(3));
    }
}

/// A limit of 0 means the default page of 50.
pub async fn the_default_page_holds_fifty(store: Arc<dyn Store>) {
    let s = store.as_ref();
    seed(s, (0..60).map(conv_at).collect()).await;
    assert_eq!(list(s, ConversationQuery::default()).await.len(), 50);
    let q = ConversationQuery {
        limit: 55,
        ..ConversationQuery::default()
    };
    assert_eq!(list(s, q).await.len(), 55);
}

/// Updating a conversation's activity, assignee or labels moves it in every list.
pub async fn an_updated_conversation_moves_in_the_list(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let mut first = conv_at(0);
    first.labels.insert("x".into());
    first.assignee = Some("lea".into());
    let st = seed(s, vec![first, conv_at(10), conv_at(20)]).await;
    assert_eq!(
        list(s, ConversationQuery::default()).await,
        ids(&[&st[2], &st[1], &st[0]])
    );
    let mut moved = st[0].clone();
    moved.note_inbound(at(30));
    moved.labels.clear();
    moved.labels.insert("y".into());
    moved.assignee = Some("tom".into());
    apply(
        s,
        Commit {
            conversations: vec![Write::update(moved, 1)],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(
        list(s, ConversationQuery::default()).await,
        ids(&[&st[0], &st[2], &st[1]])
    );
    let by = |label: Option<&str>, assignee: Option<&str>| ConversationQuery {
        label: label.map(str::to_string),
        assignee: assignee.map(str::to_string),
        ..ConversationQuery::default()
    };
    assert!(list(s, by(Some("x"), None)).await.is_empty());
    assert_eq!(list(s, by(Some("y"), None)).await, vec![st[0].id]);
    assert!(list(s, by(None, Some("lea"))).await.is_empty());
    assert_eq!(list(s, by(None, Some("tom"))).await, vec![st[0].id]);
}

/// Snoozes that end at or before `now` are due, soonest first (ties: lower id first), at most
/// `limit`; later snoozes and other statuses are not.
pub async fn due_snoozes_come_soonest_first_up_to_the_limit(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let statuses = [
        ConversationStatus::Snoozed { until: at(10) },
        ConversationStatus::Snoozed { until: at(5) },
        ConversationStatus::Snoozed { until: at(20) },
        ConversationStatus::Snoozed { until: at(5) },
        ConversationStatus::Open,
        ConversationStatus::Resolved,
    ];
    let convs = statuses
        .iter()
        .map(|st| {
            let mut c = conv_at(0);
            c.status = *st;
            c
        })
        .collect();
    let st = seed(s, convs).await;
    let (lo, hi) = if st[1].id < st[3].id {
        (&st[1], &st[3])
    } else {
        (&st[3], &st[1])
    };
    let due = |limit| async move {
        ok("due", s.due_snoozes(at(10), limit).await)
            .into_iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(due(10).await, ids(&[lo, hi, &st[0]]));
    assert_eq!(due(2).await, ids(&[lo, hi]));
    assert!(ok("none", s.due_snoozes(at(4), 10).await).is_empty());
}

//! Full-text search over conversation subjects and message subjects and bodies
//! ([`ConversationQuery::text`]).

use std::sync::Arc;

use replytrack::conversation::{Conversation, ConversationStatus};
use replytrack::ports::{Commit, ConversationCursor, ConversationQuery, Store, Write};

use super::listing::{conv_at, list, seed};
use crate::fixtures::*;

fn search(text: &str) -> ConversationQuery {
    ConversationQuery {
        text: Some(text.into()),
        ..ConversationQuery::default()
    }
}

/// Add a message with this subject and body to a stored conversation.
async fn say(s: &dyn Store, conv: &Conversation, subject: Option<&str>, body: &str) {
    apply(
        s,
        Commit {
            messages: vec![Write::Insert(message(
                conv.customer,
                Some(conv.id),
                subject,
                body,
                at(1),
            ))],
            ..Commit::default()
        },
    )
    .await;
}

/// A word is found in a conversation's subject, a message's subject or a message's body.
pub async fn search_finds_words_in_subjects_and_message_bodies(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let mut titled = conv_at(0);
    titled.subject = Some("Invoice for March".into());
    let st = seed(s, vec![titled, conv_at(10), conv_at(20), conv_at(30)]).await;
    say(s, &st[1], Some("Question about the invoice"), "Hello").await;
    say(
        s,
        &st[2],
        None,
        "Could you send the invoice again?\nThanks, Ana",
    )
    .await;
    say(s, &st[3], Some("Unrelated"), "Nothing to see").await;
    assert_eq!(
        list(s, search("invoice")).await,
        vec![st[2].id, st[1].id, st[0].id]
    );
    assert_eq!(list(s, search("ana")).await, vec![st[2].id]);
    assert!(list(s, search("refund")).await.is_empty());
}

/// With several words, one subject or one message must hold them all.
pub async fn search_needs_every_word_in_one_subject_or_message(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let st = seed(s, vec![conv_at(0), conv_at(10)]).await;
    say(s, &st[0], None, "the pro plan price").await;
    say(s, &st[1], None, "the pro plan").await;
    say(s, &st[1], None, "what price").await;
    assert_eq!(list(s, search("pro price")).await, vec![st[0].id]);
    assert_eq!(
        list(s, search("plan, pro!")).await,
        vec![st[1].id, st[0].id]
    );
}

/// Words match whole and in any case; punctuation separates words.
pub async fn search_matches_whole_words_in_any_case(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let st = seed(s, vec![conv_at(0), conv_at(10)]).await;
    say(
        s,
        &st[0],
        Some("RÉPONSE rapide"),
        "Merci! Le devis-2026 est OK.",
    )
    .await;
    say(s, &st[1], None, "devise").await;
    assert_eq!(list(s, search("devis")).await, vec![st[0].id]);
    assert_eq!(list(s, search("DEVIS 2026")).await, vec![st[0].id]);
    assert_eq!(list(s, search("réponse")).await, vec![st[0].id]);
    assert_eq!(list(s, search("merci ok")).await, vec![st[0].id]);
    assert!(list(s, search("dev")).await.is_empty());
}

/// Resolved conversations are searched too.
pub async fn search_includes_resolved_conversations(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let mut done = conv_at(0);
    done.status = ConversationStatus::Resolved;
    done.subject = Some("Old contract renewal".into());
    let st = seed(s, vec![done, conv_at(10)]).await;
    say(s, &st[1], None, "renewal please").await;
    assert_eq!(list(s, search("renewal")).await, vec![st[1].id, st[0].id]);
}

/// The text combines with the other filters and with cursor pages.
pub async fn search_combines_with_filters_and_pages(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let convs = (0..7)
        .map(|i| {
            let mut c = conv_at(i * 10);
            if i % 2 == 1 {
                c.assignee = Some("lea".into());
            }
            c
        })
        .collect();
    let st = seed(s, convs).await;
    for (i, c) in st.iter().enumerate() {
        let (first, second) = if i == 6 {
            ("no match", "nothing here")
        } else {
            ("shipping delay", "shipping delay again")
        };
        say(s, c, None, first).await;
        say(s, c, None, second).await;
    }
    let q = ConversationQuery {
        assignee: Some("lea".into()),
        ..search("delay")
    };
    assert_eq!(list(s, q).await, vec![st[5].id, st[3].id, st[1].id]);
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = ok(
            "page",
            s.conversations(&ConversationQuery {
                limit: 2,
                after,
                ..search("shipping")
            })
            .await,
        );
        if page.is_empty() {
            break;
        }
        after = page.last().map(ConversationCursor::of);
        paged.extend(page.into_iter().map(|c| c.id));
        assert!(paged.len() <= 6, "paging does not end");
    }
    let expected: Vec<_> = st[..6].iter().rev().map(|c| c.id).collect();
    assert_eq!(paged, expected);
}

/// A text without any word (empty, spaces, punctuation) finds nothing.
pub async fn a_search_without_words_finds_nothing(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let st = seed(s, vec![conv_at(0)]).await;
    say(s, &st[0], None, "anything at all ... !!!").await;
    for text in ["", "   ", "!!!", "...", "\"", "*"] {
        assert!(list(s, search(text)).await.is_empty(), "{text:?}");
    }
    // Search syntax of a database is not interpreted: it is only punctuation between words.
    assert_eq!(list(s, search("\"anything\" OR -nothing*")).await, vec![]);
    assert_eq!(list(s, search("anything AND at")).await, vec![]);
    assert_eq!(list(s, search("\"anything\" all*")).await, vec![st[0].id]);
}

/// A message's edited body is searched as edited.
pub async fn search_sees_updated_messages(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let st = seed(s, vec![conv_at(0)]).await;
    let m = message(st[0].customer, Some(st[0].id), None, "first draft", at(1));
    apply(
        s,
        Commit {
            messages: vec![Write::Insert(m.clone())],
            ..Commit::default()
        },
    )
    .await;
    assert_eq!(list(s, search("draft")).await, vec![st[0].id]);
    let mut edited = read_message(s, m.id).await;
    edited.body = "final version".into();
    apply(
        s,
        Commit {
            messages: vec![Write::update(edited, 1)],
            ..Commit::default()
        },
    )
    .await;
    assert!(list(s, search("draft")).await.is_empty());
    assert_eq!(list(s, search("final")).await, vec![st[0].id]);
}

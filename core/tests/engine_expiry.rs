//! Expired reply addresses: the reply is refused, and the next email brings a new address.

mod engine_support;

use chrono::Duration;
use engine_support::*;
use replytrack::conversation::{ConversationStatus, EventKind};
use replytrack::engine::{IngestOutcome, OutboundDraft};
use replytrack::ports::TimelineScope;

#[test]
fn an_expired_token_is_refused_and_the_next_email_issues_a_new_one_and_reopens_the_conversation() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let conv = sent.conversation.unwrap();
    run(w.engine.resolve(conv, at(2026, 3, 4, 9, 0))).unwrap();

    // Four months later Marie answers the old email: the address has expired (90 days).
    let later = monday_morning() + Duration::days(120);
    let msg = reply_to(
        &sent,
        ("Marie Dupont", "marie@boulangerie-dupont.fr"),
        "late@x.fr",
        "Toujours d'actualité ?",
    );
    let outcome = run(w.engine.ingest(msg.clone(), later)).unwrap();
    assert_eq!(
        outcome,
        IngestOutcome::Expired {
            token: sent.token.token,
            expired_at: sent.token.expires_at,
            customer: Some(marie.id),
            conversation: Some(conv),
        }
    );
    assert!(outcome.explain().contains("the next email"));
    // Nothing of it is stored as a message, the conversation stays resolved, nothing forwarded.
    assert_eq!(w.store.message_count(), 1);
    assert_eq!(w.mailer.sent().len(), 1);
    let c = run(w.engine.conversation(conv)).unwrap().unwrap();
    assert_eq!(c.status, ConversationStatus::Resolved);
    // The same webhook again changes nothing more.
    assert_eq!(run(w.engine.ingest(msg, later)).unwrap(), outcome);
    let refusals = run(w.engine.timeline(TimelineScope::Customer(marie.id)))
        .unwrap()
        .iter()
        .filter(|e| e.kind.name() == "expired_reply_refused")
        .count();
    assert_eq!(refusals, 1);

    // The next email (a one-off, as far as the caller knows) carries a new token, continues the
    // old conversation and reopens it.
    let (next, _) = run(w.engine.send(
        marie.id,
        OutboundDraft::new("Nouvelles offres", "Bonjour Marie, voici nos offres."),
        later + Duration::hours(1),
    ))
    .unwrap();
    assert_ne!(next.token.token, sent.token.token);
    assert_eq!(next.reissued, Some(sent.token.token));
    assert_eq!(next.conversation, Some(conv));
    let c = run(w.engine.conversation(conv)).unwrap().unwrap();
    assert_eq!(c.status, ConversationStatus::Pending);
    let reissued = run(w.engine.timeline(TimelineScope::Conversation(conv)))
        .unwrap()
        .into_iter()
        .find_map(|e| match e.kind {
            EventKind::TokenReissued { previous, token } => Some((previous, token)),
            _ => None,
        });
    assert_eq!(reissued, Some((sent.token.token, next.token.token)));
    assert!(
        run(w.engine.customer(marie.id))
            .unwrap()
            .unwrap()
            .pending_reissue
            .is_none()
    );

    // And a reply on the new address is stored in that conversation.
    let msg = reply_to(
        &next,
        ("Marie Dupont", "marie@boulangerie-dupont.fr"),
        "new@x.fr",
        "Parfait, merci.",
    );
    match run(w.engine.ingest(msg, later + Duration::hours(2))).unwrap() {
        IngestOutcome::Stored(s) => assert_eq!(s.conversation, conv),
        other => panic!("expected stored, got {}", other.explain()),
    }
}

#[test]
fn a_token_one_second_inside_its_lifetime_is_still_accepted() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let msg = reply_to(
        &sent,
        ("Marie Dupont", "marie@boulangerie-dupont.fr"),
        "edge@x.fr",
        "Oui",
    );
    let edge = sent.token.expires_at - Duration::seconds(1);
    assert!(matches!(
        run(w.engine.ingest(msg, edge)).unwrap(),
        IngestOutcome::Stored(_)
    ));
}

//! Outgoing email: a fresh token each, threading headers, delivery that never goes backwards.

mod engine_support;

use engine_support::*;
use replytrack::conversation::{DeliveryEvent, DeliveryStatus, FunnelStage};
use replytrack::engine::{DeliveryOutcome, OutboundDraft};
use replytrack::ports::TimelineScope;

#[test]
fn every_email_gets_its_own_token_in_reply_to_and_message_id() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let first = run(w.engine.compose_outbound(
        marie.id,
        OutboundDraft::new("Bienvenue chez Acme", "Bonjour Marie !").start_conversation(),
        monday_morning(),
    ))
    .unwrap();
    let parsed = parse(&first.email.raw);
    assert_eq!(parsed.reply_to[0].address, first.reply_address);
    assert_eq!(
        first.reply_address,
        format!("reply+{}@{DOMAIN}", first.token.token)
    );
    let mid = parsed.message_id.clone().unwrap();
    assert!(mid.starts_with(&first.token.token.to_string()), "{mid}");
    assert!(mid.ends_with(&format!("@{DOMAIN}")));
    assert_eq!(parsed.to[0].address, "marie@boulangerie-dupont.fr");
    assert_eq!(parsed.subject.as_deref(), Some("Bienvenue chez Acme"));
    assert_eq!(
        parsed.header("X-Replytrack-Id"),
        Some(first.message.id.to_string().as_str())
    );
    assert!(parsed.in_reply_to.is_empty());
    assert_eq!(first.message.delivery, Some(DeliveryStatus::Queued));

    // The next email in the conversation has a new token and threads under the first.
    let second = run(w.engine.compose_outbound(
        marie.id,
        OutboundDraft::new("Re: Bienvenue chez Acme", "Une question ?")
            .continue_conversation(first.conversation.unwrap()),
        monday_morning(),
    ))
    .unwrap();
    assert_ne!(second.token.token, first.token.token);
    let parsed = parse(&second.email.raw);
    assert_eq!(
        parsed.in_reply_to,
        std::slice::from_ref(&first.email.message_id)
    );
    assert_eq!(
        parsed.references,
        std::slice::from_ref(&first.email.message_id)
    );
    assert_eq!(second.conversation, first.conversation);
}

#[test]
fn sending_records_the_email_on_the_timeline_and_moves_the_funnel() {
    let w = world();
    let max = w.customer("Max Müller", "max@mueller-gmbh.de");
    assert_eq!(max.funnel, FunnelStage::New);
    let sent = w.write_to(&max, "Ihre Testphase", monday_morning());
    let max = run(w.engine.customer(max.id)).unwrap().unwrap();
    assert_eq!(max.funnel, FunnelStage::Contacted);
    let kinds: Vec<&str> = run(w.engine.timeline(TimelineScope::Customer(max.id)))
        .unwrap()
        .iter()
        .map(|e| e.kind.name())
        .collect();
    assert_eq!(
        kinds,
        [
            "conversation_opened",
            "delivery_changed",
            "email_sent",
            "funnel_changed"
        ]
    );
    let m = run(w.store_message(sent.message.id));
    assert_eq!(m.delivery, Some(DeliveryStatus::Sent));
    assert_eq!(m.provider_message_id.as_deref(), Some("memory-1"));
}

#[test]
fn delivery_moves_forward_and_refuses_to_go_back() {
    let w = world();
    let ana = w.customer("Ana Souza", "ana@lojasouza.com.br");
    let sent = w.write_to(&ana, "Seu teste", monday_morning());
    let id = sent.message.id;
    let t = at(2026, 3, 3, 10, 1);
    assert_eq!(
        run(w.engine.record_delivery_status(id, DeliveryEvent::Read, t)).unwrap(),
        DeliveryOutcome::Changed {
            from: DeliveryStatus::Sent,
            to: DeliveryStatus::Read
        }
    );
    // The "delivered" webhook arrives late: refused, nothing changes.
    match run(w
        .engine
        .record_delivery_status(id, DeliveryEvent::Delivered, t))
    .unwrap()
    {
        DeliveryOutcome::Refused(e) => assert_eq!(e.state, DeliveryStatus::Read),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        run(w.engine.record_delivery_status(id, DeliveryEvent::Read, t)).unwrap(),
        DeliveryOutcome::Unchanged(DeliveryStatus::Read)
    );
    assert_eq!(
        run(w.store_message(id)).delivery,
        Some(DeliveryStatus::Read)
    );
}

#[test]
fn an_unsubscribed_customer_gets_no_email() {
    let w = world();
    let sarah = w.customer("Sarah Jones", "sarah@jonesandco.co.uk");
    run(w.engine.funnel_event(
        sarah.id,
        replytrack::conversation::FunnelEvent::Unsubscribed,
        monday_morning(),
    ))
    .unwrap();
    let err = run(w.engine.compose_outbound(
        sarah.id,
        OutboundDraft::new("News", "Hi"),
        monday_morning(),
    ))
    .unwrap_err();
    assert!(err.to_string().contains("unsubscribed"), "{err}");
}

#[test]
fn a_header_injection_in_the_subject_stays_in_the_subject() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let c = run(w.engine.compose_outbound(
        marie.id,
        OutboundDraft::new("Offre\r\nBcc: all@evil.example", "Bonjour"),
        monday_morning(),
    ))
    .unwrap();
    let parsed = parse(&c.email.raw);
    assert!(parsed.header("Bcc").is_none());
    assert_eq!(
        parsed.subject.as_deref(),
        Some("Offre Bcc: all@evil.example")
    );
}

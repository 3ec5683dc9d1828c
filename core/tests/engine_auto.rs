//! Automatic mail: out-of-office replies, bounces, and our own mail coming back.

mod engine_support;

use engine_support::*;
use replytrack::conversation::{AddressStatus, ConversationStatus, DeliveryStatus, FunnelStage};
use replytrack::engine::IngestOutcome;
use replytrack::message::Mailbox;
use replytrack::ports::{Store, TimelineScope};

#[test]
fn an_out_of_office_is_recorded_but_neither_reopens_nor_forwards() {
    let w = world();
    let max = w.customer("Max Müller", "max@mueller-gmbh.de");
    let sent = w.write_to(&max, "Ihre Testphase endet", monday_morning());
    let conv = sent.conversation.unwrap();
    run(w.engine.resolve(conv, at(2026, 3, 3, 10, 30))).unwrap();
    let raw = format!(
        "From: Max Müller <max@mueller-gmbh.de>\r\n\
         To: <{}>\r\n\
         Subject: Automatische Antwort: Ihre Testphase endet\r\n\
         Auto-Submitted: auto-replied\r\n\
         X-Auto-Response-Suppress: All\r\n\
         Message-ID: <ooo-1@mueller-gmbh.de>\r\n\
         In-Reply-To: <{}>\r\n\
         Date: Tue, 3 Mar 2026 11:00:00 +0100\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         \r\n\
         Ich bin bis zum 10. März nicht im Büro.\r\n",
        sent.reply_address, sent.email.message_id
    );
    let outcome = run(w.engine.ingest_raw(raw.as_bytes(), at(2026, 3, 3, 11, 0))).unwrap();
    let IngestOutcome::AutoReplyRecorded { conversation, .. } = outcome else {
        panic!("expected an auto reply, got {}", outcome.explain());
    };
    assert_eq!(conversation, Some(conv));
    let c = run(w.engine.conversation(conv)).unwrap().unwrap();
    assert_eq!(c.status, ConversationStatus::Resolved, "not reopened");
    assert_eq!(w.mailer.sent().len(), 1, "not forwarded, not answered");
    assert!(w.store.jobs().is_empty(), "no forward or analysis job");
    let customer = run(w.engine.customer(max.id)).unwrap().unwrap();
    assert_eq!(
        customer.funnel,
        FunnelStage::Contacted,
        "an auto reply is not a reply"
    );
    let last = run(w.engine.timeline(TimelineScope::Conversation(conv)))
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(last.kind.name(), "auto_reply_received");
}

fn dsn(sent: &replytrack::engine::ComposedEmail, to: &str, status: &str, action: &str) -> String {
    format!(
        "From: Mail Delivery Subsystem <mailer-daemon@mx.example.net>\r\n\
         To: <hello@acme.example>\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         Message-ID: <dsn-{status}@mx.example.net>\r\n\
         Date: Tue, 3 Mar 2026 10:01:00 +0000\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\
         \r\n\
         --b1\r\n\
         Content-Type: text/plain\r\n\
         \r\n\
         Your message could not be delivered.\r\n\
         --b1\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         Reporting-MTA: dns; mx.example.net\r\n\
         \r\n\
         Final-Recipient: rfc822; {to}\r\n\
         Action: {action}\r\n\
         Status: {status}\r\n\
         Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\
         --b1\r\n\
         Content-Type: text/rfc822-headers\r\n\
         \r\n\
         From: Acme <hello@acme.example>\r\n\
         To: {to}\r\n\
         Reply-To: <{reply}>\r\n\
         Subject: Votre essai\r\n\
         Message-ID: <{mid}>\r\n\
         --b1--\r\n",
        reply = sent.reply_address,
        mid = sent.email.message_id,
    )
}

#[test]
fn a_hard_bounce_marks_the_customer_and_fails_the_email() {
    let w = world();
    let juan = w.customer("Juan García", "juan@ferreteria-garcia.es");
    let sent = w.write_to(&juan, "Su prueba", monday_morning());
    let raw = dsn(&sent, "juan@ferreteria-garcia.es", "5.1.1", "failed");
    let outcome = run(w.engine.ingest_raw(raw.as_bytes(), at(2026, 3, 3, 10, 1))).unwrap();
    let IngestOutcome::BounceRecorded {
        hard,
        customer,
        conversation,
        addresses,
        customer_bounced,
        ..
    } = outcome
    else {
        panic!("expected a bounce, got {}", outcome.explain());
    };
    assert!(hard);
    assert_eq!(customer, juan.id);
    assert_eq!(conversation, sent.conversation);
    assert_eq!(addresses, ["juan@ferreteria-garcia.es"]);
    assert!(customer_bounced);
    let juan = run(w.engine.customer(juan.id)).unwrap().unwrap();
    assert!(matches!(
        juan.emails[0].status,
        AddressStatus::HardBounced { .. }
    ));
    assert_eq!(juan.funnel, FunnelStage::Bounced);
    let original = run(w.store.message(sent.message.id)).unwrap().unwrap();
    assert_eq!(original.delivery, Some(DeliveryStatus::Failed));
    assert_eq!(w.mailer.sent().len(), 1, "a bounce is never forwarded");
    // Nothing more is composed for an address that bounced.
    let err = run(w.engine.compose_outbound(
        juan.id,
        replytrack::engine::OutboundDraft::new("Encore", "?"),
        at(2026, 3, 4, 10, 0),
    ))
    .unwrap_err();
    assert!(err.to_string().contains("no deliverable address"), "{err}");
}

#[test]
fn a_soft_bounce_is_counted_and_the_address_stays_usable() {
    let w = world();
    let ana = w.customer("Ana Souza", "ana@lojasouza.com.br");
    let sent = w.write_to(&ana, "Seu teste", monday_morning());
    let raw = dsn(&sent, "ana@lojasouza.com.br", "4.2.2", "delayed");
    let outcome = run(w.engine.ingest_raw(raw.as_bytes(), at(2026, 3, 3, 10, 1))).unwrap();
    assert!(
        matches!(outcome, IngestOutcome::BounceRecorded { hard: false, .. }),
        "{}",
        outcome.explain()
    );
    let ana = run(w.engine.customer(ana.id)).unwrap().unwrap();
    assert!(matches!(
        ana.emails[0].status,
        AddressStatus::SoftBounced { count: 1, .. }
    ));
    assert_eq!(ana.deliverable_emails().count(), 1);
}

#[test]
fn a_bounce_for_nobody_we_know_is_reported_unattributed() {
    let w = world();
    let raw = "From: MAILER-DAEMON@mx.example.net\r\nTo: hello@acme.example\r\n\
               Subject: Delivery Status Notification (Failure)\r\nMessage-ID: <u1@mx.example.net>\r\n\
               X-Failed-Recipients: ghost@nowhere.example\r\n\r\nDelivery failed.\r\n";
    let outcome = run(w.engine.ingest_raw(raw.as_bytes(), monday_morning())).unwrap();
    assert_eq!(
        outcome,
        IngestOutcome::BounceUnattributed {
            failed_recipients: vec!["ghost@nowhere.example".into()]
        }
    );
}

#[test]
fn our_own_forward_coming_back_to_a_reply_address_is_dropped() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let msg = reply_to(
        &sent,
        ("Marie Dupont", "marie@boulangerie-dupont.fr"),
        "r@x.fr",
        "Oui",
    );
    run(w.engine.ingest(msg, at(2026, 3, 3, 11, 0))).unwrap();
    // The owner's mailbox auto-forwards everything to the reply address: the forward returns.
    let forward = w.mailer.sent().pop().unwrap();
    let mut echoed = parse(&forward.raw);
    echoed.to = vec![Mailbox::new(sent.reply_address.clone())];
    let outcome = run(w.engine.ingest(echoed, at(2026, 3, 3, 11, 1))).unwrap();
    assert!(
        matches!(outcome, IngestOutcome::OwnLoopDropped { .. }),
        "{}",
        outcome.explain()
    );
    assert_eq!(w.mailer.sent().len(), 2, "no second forward");
}

#[test]
fn our_outgoing_email_echoed_back_is_an_own_loop() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let echoed = parse(&sent.email.raw);
    let outcome = run(w.engine.ingest(echoed, at(2026, 3, 3, 11, 1))).unwrap();
    assert!(
        matches!(outcome, IngestOutcome::OwnLoopDropped { .. }),
        "{}",
        outcome.explain()
    );
}

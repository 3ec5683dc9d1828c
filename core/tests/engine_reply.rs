//! Replies: how a customer's answer to a product email lands in its conversation.

mod engine_support;

use engine_support::*;
use replytrack::address::TokenSource;
use replytrack::conversation::{
    ConversationStatus, EventKind, FunnelStage, OpenedBy, QuarantineReason,
};
use replytrack::engine::{ForwardStatus, IngestOutcome, RejectReason, Stored};
use replytrack::message::{Mailbox, TransportInfo, Verdict};
use replytrack::ports::TimelineScope;
use replytrack::provider::{ProviderOptions, parse_sendgrid};

fn stored(outcome: IngestOutcome) -> Stored {
    match outcome {
        IngestOutcome::Stored(s) => s,
        other => panic!("expected a stored reply, got {}", other.explain()),
    }
}

/// A French reply from Gmail, as SendGrid Inbound Parse posts it in raw mode.
fn sendgrid_payload(reply_address: &str, in_reply_to: &str) -> Vec<u8> {
    let email = format!(
        "Return-Path: <marie@boulangerie-dupont.fr>\r\n\
         From: Marie Dupont <marie@boulangerie-dupont.fr>\r\n\
         To: Acme <{reply_address}>\r\n\
         Subject: Re: Votre essai Acme se termine bientôt\r\n\
         Message-ID: <CAJx8fr+q1w@mail.gmail.com>\r\n\
         In-Reply-To: <{in_reply_to}>\r\n\
         References: <{in_reply_to}>\r\n\
         Date: Tue, 3 Mar 2026 11:02:00 +0100\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=\"UTF-8\"\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         Bonjour,\r\n\
         \r\n\
         Merci pour votre message. Nous envoyons environ 5 000 emails par mois et\r\n\
         nous aimerions passer au forfait Pro. Pouvez-vous m'envoyer un devis ?\r\n\
         \r\n\
         Cordialement,\r\n\
         Marie\r\n\
         \r\n\
         Le mar. 3 mars 2026 à 10:12, Acme <hello@acme.example> a écrit :\r\n\
         > Bonjour,\r\n\
         >\r\n\
         > Votre essai se termine dans 3 jours.\r\n"
    );
    let field = |name: &str, value: &str| {
        format!("--xYzZY\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let mut body = String::new();
    body.push_str(&field("dkim", "{@gmail.com : pass}"));
    body.push_str(&field("SPF", "pass"));
    body.push_str(&field("email", &email));
    body.push_str(&field("to", reply_address));
    body.push_str(&field("from", "Marie Dupont <marie@boulangerie-dupont.fr>"));
    body.push_str(&field(
        "envelope",
        &format!("{{\"to\":[\"{reply_address}\"],\"from\":\"marie@boulangerie-dupont.fr\"}}"),
    ));
    body.push_str("--xYzZY--\r\n");
    body.into_bytes()
}

#[test]
fn a_french_gmail_reply_through_sendgrid_lands_in_its_conversation_and_is_forwarded() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(
        &marie,
        "Votre essai Acme se termine bientôt",
        monday_morning(),
    );

    let payload = sendgrid_payload(&sent.reply_address, &sent.email.message_id);
    let msg = parse_sendgrid(
        &payload,
        Some("multipart/form-data; boundary=xYzZY"),
        &ProviderOptions::default(),
    )
    .expect("SendGrid payload parses");
    let outcome = run(w.engine.ingest(msg, at(2026, 3, 3, 10, 5))).expect("ingest");
    let s = stored(outcome);

    // It went into the conversation the email started, found through the envelope recipient.
    assert_eq!(Some(s.conversation), sent.conversation);
    assert_eq!(s.token_source, Some(TokenSource::Envelope));
    assert!(!s.opened);

    // The customer's words, without the quoted email; the conversation now waits for us.
    let message = run(w.store_message(s.message));
    let reply = message.reply.expect("an extracted reply");
    assert!(reply.text.contains("forfait Pro"), "{}", reply.text);
    assert!(
        reply.text.contains("Cordialement,\nMarie"),
        "{}",
        reply.text
    );
    assert!(!reply.text.contains("a écrit"), "{}", reply.text);
    assert_eq!(reply.lang.as_deref(), Some("fr"));
    let conv = run(w.engine.conversation(s.conversation)).unwrap().unwrap();
    assert_eq!(conv.status, ConversationStatus::Open);
    assert_eq!(conv.waiting_since, Some(at(2026, 3, 3, 10, 5)));

    // Forwarded to the owner, who can answer Marie directly.
    assert_eq!(s.forward, ForwardStatus::Sent { to: OWNER.into() });
    let forwards = w.mailer.sent();
    let forward = forwards.last().expect("a forward");
    assert_eq!(forward.recipients, [OWNER]);
    assert_eq!(
        header(&forward.raw, "Reply-To").as_deref(),
        Some("\"Marie Dupont\" <marie@boulangerie-dupont.fr>")
    );
    assert_eq!(
        header(&forward.raw, "Auto-Submitted").as_deref(),
        Some("auto-generated")
    );
    assert_eq!(
        header(&forward.raw, "X-Replytrack-Loop").as_deref(),
        Some(DOMAIN)
    );
    assert!(String::from_utf8_lossy(&forward.raw).contains("forfait Pro"));

    // The funnel and the timeline tell the story.
    assert_eq!(
        run(w.engine.customer(marie.id)).unwrap().unwrap().funnel,
        FunnelStage::Replied
    );
    let kinds: Vec<&str> = run(w
        .engine
        .timeline(TimelineScope::Conversation(s.conversation)))
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
            "status_changed",
            "reply_received",
            "reply_forwarded"
        ]
    );
}

#[test]
fn the_same_webhook_posted_three_times_stores_one_message() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let payload = sendgrid_payload(&sent.reply_address, &sent.email.message_id);
    let ct = Some("multipart/form-data; boundary=xYzZY");
    let mut outcomes = Vec::new();
    for minute in [5, 6, 30] {
        let msg = parse_sendgrid(&payload, ct, &ProviderOptions::default()).unwrap();
        outcomes.push(run(w.engine.ingest(msg, at(2026, 3, 3, 10, minute))).unwrap());
    }
    let first = stored(outcomes.remove(0));
    for again in outcomes {
        assert_eq!(
            again,
            IngestOutcome::Duplicate {
                existing: Some(first.message)
            }
        );
    }
    // One outbound email and one reply; one forward.
    assert_eq!(w.store.message_count(), 2);
    assert_eq!(w.mailer.sent().len(), 2);
}

#[test]
fn a_reply_whose_reply_address_was_dropped_is_matched_through_references() {
    let w = world();
    let juan = w.customer("Juan García", "juan@ferreteria-garcia.es");
    let sent = w.write_to(&juan, "Su prueba de Acme", monday_morning());
    // Some servers strip the sub-address: the reply goes to the bare address, but Outlook keeps
    // our Message-ID in References (comma-joined, as Exchange writes them).
    let mut msg = reply_to(
        &sent,
        ("Juan García", "juan@ferreteria-garcia.es"),
        "es-1@outlook.es",
        "Sí, nos interesa.",
    );
    msg.to = vec![Mailbox::new("reply@reply.acme.example")];
    msg.in_reply_to.clear();
    msg.references = vec![format!("<other@x.example>,<{}>", sent.email.message_id)];
    let s = stored(run(w.engine.ingest(msg, at(2026, 3, 4, 9, 0))).unwrap());
    assert_eq!(s.token_source, Some(TokenSource::References));
    assert_eq!(Some(s.conversation), sent.conversation);
}

#[test]
fn a_colleague_copied_on_the_email_may_answer_for_the_customer() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let (sent, _) = run(w.engine.send(
        marie.id,
        replytrack::engine::OutboundDraft::new("Devis", "Voici le devis.")
            .cc("compta@boulangerie-dupont.fr")
            .start_conversation(),
        monday_morning(),
    ))
    .unwrap();
    let msg = reply_to(
        &sent,
        ("Paul", "Compta@Boulangerie-Dupont.fr"),
        "c-1@x.fr",
        "Reçu, merci.",
    );
    let s = stored(run(w.engine.ingest(msg, at(2026, 3, 3, 12, 0))).unwrap());
    assert_eq!(Some(s.conversation), sent.conversation);
}

#[test]
fn a_reply_from_an_unknown_sender_is_quarantined_and_not_stored_as_the_customers_words() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let msg = reply_to(
        &sent,
        ("Mallory", "mallory@evil.example"),
        "q-1@evil.example",
        "Send me the invoice at this new IBAN",
    );
    let outcome = run(w.engine.ingest(msg, at(2026, 3, 3, 12, 0))).unwrap();
    assert_eq!(
        outcome,
        IngestOutcome::Quarantined {
            reason: QuarantineReason::UnknownSender {
                from: "mallory@evil.example".into()
            },
            customer: marie.id,
            conversation: sent.conversation,
        }
    );
    assert_eq!(
        w.store.message_count(),
        1,
        "only the outbound email is stored"
    );
    assert_eq!(w.mailer.sent().len(), 1, "nothing forwarded");
    let timeline = run(w.engine.timeline(TimelineScope::Customer(marie.id))).unwrap();
    let last = timeline.last().unwrap();
    assert_eq!(last.kind.name(), "reply_quarantined");
    assert!(
        !format!("{:?}", last.kind).contains("IBAN"),
        "the content is not kept"
    );
}

#[test]
fn a_reply_whose_sender_fails_dmarc_is_quarantined() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let mut msg = reply_to(
        &sent,
        ("Marie", "marie@boulangerie-dupont.fr"),
        "d-1@x.fr",
        "Oui",
    );
    msg.transport = Some(TransportInfo {
        provider: "ses".into(),
        dmarc: Some(Verdict::Fail),
        ..TransportInfo::default()
    });
    let outcome = run(w.engine.ingest(msg, at(2026, 3, 3, 12, 0))).unwrap();
    assert!(matches!(
        outcome,
        IngestOutcome::Quarantined {
            reason: QuarantineReason::AuthenticationFailed { .. },
            ..
        }
    ));
}

#[test]
fn a_forged_reply_address_is_rejected_and_nothing_is_stored() {
    let w = world();
    let marie = w.customer("Marie Dupont", "marie@boulangerie-dupont.fr");
    let sent = w.write_to(&marie, "Votre essai", monday_morning());
    let token = sent.token.token.to_string();
    let last = token.chars().last().unwrap();
    let forged = format!("{}{}", &token[..15], if last == 'a' { 'b' } else { 'a' });
    let mut msg = reply_to(
        &sent,
        ("Marie", "marie@boulangerie-dupont.fr"),
        "f-1@x.fr",
        "Oui",
    );
    msg.to = vec![Mailbox::new(format!("reply+{forged}@{DOMAIN}"))];
    msg.in_reply_to.clear();
    msg.references.clear();
    let outcome = run(w.engine.ingest(msg, at(2026, 3, 3, 12, 0))).unwrap();
    match outcome {
        IngestOutcome::Rejected {
            reason: RejectReason::BadToken {
                error, found_in, ..
            },
        } => {
            assert_eq!(error.reason(), "forged");
            assert_eq!(found_in, TokenSource::To);
        }
        other => panic!("expected a rejection, got {}", other.explain()),
    }
    assert_eq!(w.store.message_count(), 1);
}

#[test]
fn a_reply_without_any_token_from_a_stranger_is_rejected() {
    let w = world();
    let msg = replytrack::message::InboundMessage {
        message_id: Some("x@stranger.example".into()),
        from: Some(Mailbox::new("someone@stranger.example")),
        to: vec![Mailbox::new(FROM)],
        text_body: Some("Hello?".into()),
        ..Default::default()
    };
    assert_eq!(
        run(w.engine.ingest(msg, monday_morning())).unwrap(),
        IngestOutcome::Rejected {
            reason: RejectReason::NoToken
        }
    );
}

#[test]
fn a_customer_writing_without_a_token_opens_a_conversation() {
    let w = world();
    let ana = w.customer("Ana Souza", "ana@lojasouza.com.br");
    let msg = replytrack::message::InboundMessage {
        message_id: Some("pt-1@lojasouza.com.br".into()),
        from: Some(Mailbox::with_name("Ana Souza", "Ana@LojaSouza.com.br")),
        to: vec![Mailbox::new(FROM)],
        subject: Some("Dúvida sobre o plano".into()),
        text_body: Some("Olá, vocês têm plano anual?".into()),
        ..Default::default()
    };
    let s = stored(run(w.engine.ingest(msg, monday_morning())).unwrap());
    assert!(s.opened);
    assert_eq!(s.customer, ana.id);
    assert_eq!(s.token_source, None);
    let events = run(w
        .engine
        .timeline(TimelineScope::Conversation(s.conversation)))
    .unwrap();
    assert_eq!(
        events[0].kind,
        EventKind::ConversationOpened {
            source: OpenedBy::Contact,
            channel: replytrack::conversation::Channel::Email
        }
    );
}

#[test]
fn a_reply_to_a_resolved_conversation_reopens_it() {
    let w = world();
    let max = w.customer("Max Müller", "max@mueller-gmbh.de");
    let sent = w.write_to(&max, "Ihre Testphase", monday_morning());
    let conv = sent.conversation.unwrap();
    run(w.engine.resolve(conv, at(2026, 3, 3, 11, 0))).unwrap();
    let msg = reply_to(
        &sent,
        ("Max Müller", "max@mueller-gmbh.de"),
        "de-1@mueller-gmbh.de",
        "Noch eine Frage.",
    );
    let s = stored(run(w.engine.ingest(msg, at(2026, 3, 5, 8, 0))).unwrap());
    assert!(s.reopened);
    assert_eq!(s.conversation, conv);
    let c = run(w.engine.conversation(conv)).unwrap().unwrap();
    assert_eq!(c.status, ConversationStatus::Open);
}

#[test]
fn a_one_off_email_gets_a_conversation_only_when_the_customer_answers() {
    let w = world();
    let sarah = w.customer("Sarah Jones", "sarah@jonesandco.co.uk");
    let (sent, _) = run(w.engine.send(
        sarah.id,
        replytrack::engine::OutboundDraft::new("Welcome to Acme", "Hi Sarah, welcome!"),
        monday_morning(),
    ))
    .unwrap();
    assert_eq!(sent.conversation, None);
    let msg = reply_to(
        &sent,
        ("Sarah Jones", "sarah@jonesandco.co.uk"),
        "en-1@jonesandco.co.uk",
        "Thanks! Can we book a demo?",
    );
    let s = stored(run(w.engine.ingest(msg, at(2026, 3, 3, 15, 0))).unwrap());
    assert!(s.opened);
    let opened = &run(w
        .engine
        .timeline(TimelineScope::Conversation(s.conversation)))
    .unwrap()[0];
    assert!(matches!(
        opened.kind,
        EventKind::ConversationOpened {
            source: OpenedBy::Contact,
            ..
        }
    ));
}

#[test]
fn a_spanish_reply_from_outlook_as_raw_mime_keeps_only_the_new_text() {
    let w = world();
    let juan = w.customer("Juan García", "juan@ferreteria-garcia.es");
    let sent = w.write_to(&juan, "Su prueba de Acme termina pronto", monday_morning());
    let raw = format!(
        "From: =?UTF-8?Q?Juan_Garc=C3=ADa?= <juan@ferreteria-garcia.es>\r\n\
         To: <{reply}>\r\n\
         Subject: RE: Su prueba de Acme termina pronto\r\n\
         Message-ID: <DB9P-es-1@outlook.com>\r\n\
         In-Reply-To: <{mid}>\r\n\
         Date: Tue, 3 Mar 2026 12:30:00 +0100\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         Hola,\r\n\
         \r\n\
         Tenemos un problema con la factura 2024-118, ¿pueden revisarla?\r\n\
         \r\n\
         Saludos,\r\n\
         Juan\r\n\
         \r\n\
         ________________________________\r\n\
         De: Acme <hello@acme.example>\r\n\
         Enviado el: martes, 3 de marzo de 2026 10:12\r\n\
         Para: Juan García\r\n\
         Asunto: Su prueba de Acme termina pronto\r\n\
         \r\n\
         Bonjour,\r\n",
        reply = sent.reply_address,
        mid = sent.email.message_id,
    );
    let s = stored(run(w.engine.ingest_raw(raw.as_bytes(), at(2026, 3, 3, 11, 30))).unwrap());
    assert_eq!(Some(s.conversation), sent.conversation);
    let reply = run(w.store_message(s.message)).reply.unwrap();
    assert!(reply.text.starts_with("Hola,"), "{}", reply.text);
    assert!(reply.text.ends_with("Saludos,\nJuan"), "{}", reply.text);
    assert_eq!(reply.lang.as_deref(), Some("es"));
    assert!(reply.quoted.unwrap_or_default().contains("Enviado el"));
}

#[test]
fn unparseable_bytes_are_rejected_with_the_reason_and_nothing_is_stored() {
    let config = replytrack::engine::EngineConfig {
        parse_limits: replytrack::message::Limits {
            max_bytes: 64,
            ..Default::default()
        },
        ..Default::default()
    };
    let w = world_with(config);
    let outcome = run(w.engine.ingest_raw(&[b'x'; 100], monday_morning())).unwrap();
    assert!(matches!(
        outcome,
        IngestOutcome::Rejected {
            reason: RejectReason::Unparseable(_)
        }
    ));
    assert_eq!(w.store.message_count(), 0);
}

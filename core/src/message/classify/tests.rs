//! Classification tests on small hand-written messages.

use super::*;
use crate::message::{Envelope, Limits, TransportInfo};

fn parse(raw: &str) -> InboundMessage {
    InboundMessage::parse(raw.replace('\n', "\r\n").as_bytes(), &Limits::default()).unwrap()
}

fn kind_of(raw: &str) -> Classification {
    classify(&parse(raw), &ClassifyOptions::default())
}

fn rules(c: &Classification) -> Vec<&str> {
    c.evidence.iter().map(|e| e.rule.as_str()).collect()
}

fn with_headers(headers: &str) -> String {
    format!("From: Marie <marie@example.fr>\nTo: reply+t@reply.example.com\n{headers}\n\nMerci !\n")
}

#[test]
fn a_person_s_reply_is_a_reply_without_evidence() {
    let c = kind_of(&with_headers("Subject: Re: Your quote"));
    assert_eq!(c.kind, MessageKind::Reply);
    assert!(c.evidence.is_empty());
    assert!(!c.mailing_list);
    assert_eq!(c.bounce, None);
}

#[test]
fn auto_submitted_other_than_no_is_an_auto_reply() {
    for value in [
        "auto-replied",
        "auto-generated",
        "Auto-Notified; owner-email=x@y",
    ] {
        let c = kind_of(&with_headers(&format!("Auto-Submitted: {value}")));
        assert_eq!(c.kind, MessageKind::AutoReply, "{value}");
        assert_eq!(rules(&c), vec![rule::AUTO_SUBMITTED]);
    }
    let c = kind_of(&with_headers("Auto-Submitted: no"));
    assert_eq!(c.kind, MessageKind::Reply);
}

#[test]
fn vendor_autoreply_headers_are_auto_replies() {
    let c = kind_of(&with_headers("X-Autoreply: yes"));
    assert_eq!(rules(&c), vec![rule::X_AUTOREPLY]);
    let c = kind_of(&with_headers("X-Autorespond: Vacation"));
    assert_eq!(rules(&c), vec![rule::X_AUTORESPOND]);
    let c = kind_of(&with_headers("X-Autoreply: no"));
    assert_eq!(c.kind, MessageKind::Reply);
}

#[test]
fn precedence_bulk_junk_and_auto_reply_are_auto_replies() {
    for value in ["bulk", "junk", "auto_reply", "Bulk (newsletter)"] {
        let c = kind_of(&with_headers(&format!("Precedence: {value}")));
        assert_eq!(c.kind, MessageKind::AutoReply, "{value}");
        assert_eq!(rules(&c), vec![rule::PRECEDENCE]);
    }
}

#[test]
fn mailing_list_mail_is_flagged_not_taken_for_an_auto_reply() {
    let c = kind_of(&with_headers(
        "List-Id: Customers <customers.lists.example.fr>\nPrecedence: bulk",
    ));
    assert_eq!(c.kind, MessageKind::Reply);
    assert!(c.mailing_list);
    assert_eq!(rules(&c), vec![rule::LIST_ID]);
    let c = kind_of(&with_headers("Precedence: list"));
    assert_eq!(c.kind, MessageKind::Reply);
    assert!(c.mailing_list);
    assert_eq!(rules(&c), vec![rule::PRECEDENCE_LIST]);
}

#[test]
fn out_of_office_subjects_are_recognised_in_every_supported_language() {
    let subjects = [
        "Automatic reply: Your quote",
        "Out of Office: back on Monday",
        "Out of office",
        "[Auto-Reply] Your quote",
        "Réponse automatique : Votre devis",
        "Réponse automatique d'absence du bureau : Votre devis",
        "Respuesta automática: Su presupuesto",
        "Resposta automática: Seu orçamento",
        "Automatische Antwort: Ihr Angebot",
        "Abwesenheitsnotiz: Ihr Angebot",
        "Risposta automatica: Il suo preventivo",
        "Automatisch antwoord: Uw offerte",
        "Automatyczna odpowiedź: Twoja oferta",
        "Odpowiedź automatyczna: Twoja oferta",
        "Automatiskt svar: Din offert",
        "Automatisk svar: Dit tilbud",
        "Fraværende: Ditt tilbud",
        "Автоматический ответ: Ваше предложение",
        "自動応答: お見積もり",
        "【自動返信】お問い合わせありがとうございます",
    ];
    for subject in subjects {
        let c = kind_of(&with_headers(&format!("Subject: {subject}")));
        assert_eq!(c.kind, MessageKind::AutoReply, "{subject}");
        assert_eq!(rules(&c), vec![rule::OOO_SUBJECT], "{subject}");
    }
}

#[test]
fn subjects_that_only_mention_an_absence_are_replies() {
    for subject in [
        "Re: Automatic reply: Your quote",
        "Out of office furniture order",
        "Question about automatic replies",
        "Re: Réponse automatique : Votre devis",
    ] {
        let c = kind_of(&with_headers(&format!("Subject: {subject}")));
        assert_eq!(c.kind, MessageKind::Reply, "{subject}");
    }
}

#[test]
fn x_auto_response_suppress_alone_is_not_enough() {
    let c = kind_of(&with_headers(
        "X-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: marie@example.fr",
    ));
    assert_eq!(c.kind, MessageKind::Reply);
    assert!(c.evidence.is_empty());
}

#[test]
fn exchange_markers_are_recorded_beside_stronger_evidence() {
    let c = kind_of(&with_headers(
        "Subject: Automatic reply: Hi\nAuto-Submitted: auto-generated\nX-Auto-Response-Suppress: All",
    ));
    assert_eq!(c.kind, MessageKind::AutoReply);
    assert_eq!(
        rules(&c),
        vec![
            rule::AUTO_SUBMITTED,
            rule::OOO_SUBJECT,
            rule::EXCHANGE_MARKER
        ]
    );
}

#[test]
fn a_null_return_path_is_an_auto_reply() {
    let c = kind_of(&with_headers("Return-Path: <>"));
    assert_eq!(c.kind, MessageKind::AutoReply);
    assert_eq!(rules(&c), vec![rule::NULL_RETURN_PATH]);

    let mut msg = parse(&with_headers("Subject: hi"));
    msg.transport = Some(TransportInfo {
        envelope: Some(Envelope {
            mail_from: Some(String::new()),
            rcpt_to: vec![],
        }),
        ..TransportInfo::default()
    });
    let c = classify(&msg, &ClassifyOptions::default());
    assert_eq!(rules(&c), vec![rule::NULL_RETURN_PATH]);
}

const GMAIL_DSN: &str = "Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: reply+tok1@reply.example.com
Subject: Delivery Status Notification (Failure)
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"

--dsn
Content-Type: text/plain; charset=UTF-8

Your message wasn't delivered to nobody@example.org.
--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com

Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
 not exist.
--dsn
Content-Type: message/rfc822

From: Support <reply+tok1@reply.example.com>
To: nobody@example.org
Message-ID: <out-7@app.example.com>
Subject: Welcome

Hello
--dsn--
";

#[test]
fn a_dsn_is_a_hard_bounce_with_its_recipient_status_and_original() {
    let c = kind_of(GMAIL_DSN);
    assert_eq!(c.kind, MessageKind::Bounce);
    assert_eq!(
        rules(&c),
        vec![
            rule::DSN_REPORT,
            rule::MAILER_DAEMON_SENDER,
            rule::BOUNCE_SUBJECT
        ]
    );
    let report = c.bounce.unwrap();
    assert!(report.hard);
    assert_eq!(report.failed_recipients, vec!["nobody@example.org"]);
    assert_eq!(report.status.as_deref(), Some("5.1.1"));
    assert_eq!(report.action.as_deref(), Some("failed"));
    assert_eq!(
        report.diagnostic.as_deref(),
        Some("550-5.1.1 The email account that you tried to reach does not exist.")
    );
    assert_eq!(
        report.original_message_id.as_deref(),
        Some("out-7@app.example.com")
    );
}

#[test]
fn a_delayed_dsn_with_rfc822_headers_is_a_soft_bounce() {
    let c = kind_of(
        "From: postmaster@mx.example.org\nSubject: Delayed Mail (still being retried)\n\
         Content-Type: multipart/report; report-type=\"delivery-status\"; boundary=b\n\n\
         --b\n\nStill trying.\n--b\nContent-Type: message/delivery-status\n\n\
         Reporting-MTA: dns; mx.example.org\n\nOriginal-Recipient: rfc822;slow@example.net\n\
         Final-Recipient: rfc822; <slow@example.net>\nAction: delayed\nStatus: 4.4.7 (timeout)\n\
         --b\nContent-Type: text/rfc822-headers\n\nFrom: reply+tok9@reply.example.com\n\
         To: slow@example.net\nMessage-ID: <out-9@app.example.com>\n--b--\n",
    );
    assert_eq!(c.kind, MessageKind::Bounce);
    let report = c.bounce.unwrap();
    assert!(!report.hard);
    assert_eq!(report.failed_recipients, vec!["slow@example.net"]);
    assert_eq!(report.status.as_deref(), Some("4.4.7"));
    assert_eq!(report.action.as_deref(), Some("delayed"));
    assert_eq!(
        report.original_message_id.as_deref(),
        Some("out-9@app.example.com")
    );
}

#[test]
fn x_failed_recipients_makes_a_bounce_and_names_the_recipient() {
    let c = kind_of(
        "From: Mail Delivery System <Mailer-Daemon@mx.example.net>\n\
         Subject: Mail delivery failed: returning message to sender\n\
         X-Failed-Recipients: gone@example.net\n\n\
         This message was created automatically by mail delivery software.\n\n\
         gone@example.net\n    SMTP error from remote mail server after RCPT TO:\n\
         550 5.1.1 User unknown\n",
    );
    assert_eq!(c.kind, MessageKind::Bounce);
    assert_eq!(rules(&c)[0], rule::X_FAILED_RECIPIENTS);
    let report = c.bounce.unwrap();
    assert_eq!(report.failed_recipients, vec!["gone@example.net"]);
    assert_eq!(report.status.as_deref(), Some("5.1.1"));
    assert!(report.hard);
}

#[test]
fn a_mailer_daemon_failure_notice_recovers_the_recipient_from_the_original() {
    let c = kind_of(
        "From: MAILER-DAEMON@mail.example.net\nSubject: failure notice\n\
         Content-Type: multipart/mixed; boundary=q\n\n--q\n\n\
         Hi. This is the qmail-send program. Sorry, it didn't work out.\n--q\n\
         Content-Type: message/rfc822\n\nFrom: reply+tok3@reply.example.com\n\
         To: Lost <lost@example.net>\nMessage-ID: <out-3@app.example.com>\n\nHello\n--q--\n",
    );
    assert_eq!(c.kind, MessageKind::Bounce);
    assert_eq!(
        rules(&c),
        vec![rule::MAILER_DAEMON_SENDER, rule::BOUNCE_SUBJECT]
    );
    let report = c.bounce.unwrap();
    assert_eq!(report.failed_recipients, vec!["lost@example.net"]);
    assert!(report.hard);
    assert_eq!(
        report.original_message_id.as_deref(),
        Some("out-3@app.example.com")
    );
}

#[test]
fn a_localized_exchange_ndr_with_a_null_path_is_a_bounce() {
    let c = kind_of(
        "Return-Path: <>\nFrom: Microsoft Outlook <MicrosoftExchange329e71ec88ae@contoso.de>\n\
         Subject: Unzustellbar: Ihr Angebot\n\nDie Nachricht konnte nicht zugestellt werden.\n",
    );
    assert_eq!(c.kind, MessageKind::Bounce);
    assert_eq!(
        rules(&c),
        vec![rule::MAILER_DAEMON_SENDER, rule::BOUNCE_SUBJECT]
    );
}

#[test]
fn a_postmaster_writing_normally_is_a_reply_and_so_is_a_person_quoting_a_bounce_subject() {
    let c = kind_of("From: postmaster@example.org\nSubject: Re: your question\n\nHello\n");
    assert_eq!(c.kind, MessageKind::Reply);
    let c = kind_of("From: bob@example.org\nSubject: Undeliverable: my last mail?\n\nHm\n");
    assert_eq!(c.kind, MessageKind::Reply);
}

fn own_opts() -> ClassifyOptions {
    ClassifyOptions {
        own_domains: vec!["app.example.com".into()],
        own_addresses: vec!["support@reply.example.com".into()],
    }
}

#[test]
fn our_own_mail_echoed_back_is_an_own_loop() {
    let msg = parse(&format!(
        "From: Support <Support@reply.example.com>\n{REPLYTRACK_ID_HEADER}: out-42\n\
         Auto-Submitted: auto-replied\nSubject: We are closed\n\nBack tomorrow.\n"
    ));
    let c = classify(&msg, &own_opts());
    assert_eq!(c.kind, MessageKind::OwnLoop);
    assert_eq!(rules(&c), vec![rule::OWN_SENDER, rule::OWN_MARKER_HEADER]);

    let msg =
        parse("From: news@mail.app.example.com\nMessage-ID: <x1@app.example.com>\n\nNewsletter\n");
    let c = classify(&msg, &own_opts());
    assert_eq!(c.kind, MessageKind::OwnLoop);
    assert_eq!(rules(&c), vec![rule::OWN_SENDER, rule::OWN_MESSAGE_ID]);
}

#[test]
fn own_sender_or_marker_alone_is_not_an_own_loop() {
    let msg = parse("From: support@reply.example.com\nMessage-ID: <a@gmail.com>\n\nHi\n");
    assert_eq!(classify(&msg, &own_opts()).kind, MessageKind::Reply);
    let msg = parse(&format!(
        "From: marie@example.fr\n{REPLYTRACK_ID_HEADER}: out-42\nMessage-ID: <b@app.example.com>\n\nHi\n"
    ));
    assert_eq!(classify(&msg, &own_opts()).kind, MessageKind::Reply);
}

#[test]
fn a_bounce_of_our_mail_is_a_bounce_not_an_own_loop() {
    let c = classify(&parse(GMAIL_DSN), &own_opts());
    assert_eq!(c.kind, MessageKind::Bounce);
}

#[test]
fn our_own_mta_reporting_a_delay_is_a_bounce_not_an_own_loop() {
    // The report comes from our domain with a Message-ID at our domain, as an own loop would.
    let raw = GMAIL_DSN
        .replace(
            "mailer-daemon@googlemail.com",
            "MAILER-DAEMON@mx1.app.example.com",
        )
        .replace(
            "Subject: Delivery",
            "Message-ID: <E3EE9FDF2041A4@mx1.app.example.com>\nSubject: Delivery",
        )
        .replace(
            "Action: failed\nStatus: 5.1.1",
            "Action: delayed\nStatus: 4.4.1",
        );
    let c = classify(&parse(&raw), &own_opts());
    assert_eq!(c.kind, MessageKind::Bounce);
    assert!(c.bounce.is_some_and(|b| !b.hard));

    // Without a report, a mailer-daemon at our domain with a bounce subject is a bounce too.
    let raw = "From: MAILER-DAEMON@mx1.app.example.com\nMessage-ID: <q1@mx1.app.example.com>\n\
               Subject: Undelivered Mail Returned to Sender\nReturn-Path: <>\n\nNo such user\n";
    assert_eq!(classify(&parse(raw), &own_opts()).kind, MessageKind::Bounce);
}

#[test]
fn delivery_status_blocks_are_read_per_recipient() {
    let blocks = bounce::parse_delivery_status(
        "Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@x\nAction: failed\nStatus: 5.2.2\n\n\
         Final-Recipient: rfc822; b@y\nAction: delivered\nStatus: 2.0.0\n",
    );
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].recipient.as_deref(), Some("a@x"));
    assert_eq!(blocks[0].status.as_deref(), Some("5.2.2"));
    assert_eq!(blocks[1].action.as_deref(), Some("delivered"));
}

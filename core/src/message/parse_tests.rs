//! End-to-end tests of [`InboundMessage::parse`] on small hand-written messages.

use chrono::{TimeZone, Utc};

use super::*;

fn parse(raw: &str) -> InboundMessage {
    InboundMessage::parse(raw.replace('\n', "\r\n").as_bytes(), &Limits::default()).unwrap()
}

fn parse_bytes(raw: &[u8]) -> InboundMessage {
    InboundMessage::parse(raw, &Limits::default()).unwrap()
}

pub(super) const REPLY: &str = "Return-Path: <marie@example.fr>
Delivered-To: reply+tok1@reply.example.com
Delivered-To: inbox@mx.example.com
X-Original-To: reply+tok1@reply.example.com
X-Forwarded-To: archive@example.com
Envelope-To: reply+tok1@reply.example.com, other@example.com
Message-ID: <CAB123@mail.example.fr>
In-Reply-To: <out-1@app.example.com>
References: <root@app.example.com>
 <out-1@app.example.com>
From: =?UTF-8?Q?Marie_Dupr=C3=A9?= <marie@example.fr>
Sender: Assistant <assist@example.fr>
Reply-To: \"Dupré, Marie\" <m.dupre@example.fr>
To: Support <reply+tok1@reply.example.com>, Team: a@example.com, b@example.com;
Cc: =?iso-8859-1?q?Andr=E9?= <andre@example.fr>
Date: Mon, 3 Mar 2025 10:12:00 +0100
Subject: =?UTF-8?B?UmU6IFZvdHJlIGRlbWFuZGU=?=
 =?UTF-8?Q?_d=C3=A9taill=C3=A9e?=
X-Mailer: Example
 Mail 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour, ça marche.

Le lun. 3 mars 2025, Support a écrit :
> Question ?
";

#[test]
fn every_header_field_of_a_plain_reply_is_read() {
    let msg = parse(REPLY);
    assert_eq!(msg.return_path.as_deref(), Some("marie@example.fr"));
    assert_eq!(
        msg.delivered_to,
        vec!["reply+tok1@reply.example.com", "inbox@mx.example.com"]
    );
    assert_eq!(msg.x_original_to, vec!["reply+tok1@reply.example.com"]);
    assert_eq!(msg.x_forwarded_to, vec!["archive@example.com"]);
    assert_eq!(
        msg.envelope_to,
        vec!["reply+tok1@reply.example.com", "other@example.com"]
    );
    assert_eq!(msg.message_id.as_deref(), Some("CAB123@mail.example.fr"));
    assert_eq!(msg.in_reply_to, vec!["out-1@app.example.com"]);
    assert_eq!(
        msg.references,
        vec!["root@app.example.com", "out-1@app.example.com"]
    );
    assert_eq!(
        msg.from,
        Some(Mailbox::with_name("Marie Dupré", "marie@example.fr"))
    );
    assert_eq!(
        msg.sender,
        Some(Mailbox::with_name("Assistant", "assist@example.fr"))
    );
    assert_eq!(
        msg.reply_to,
        vec![Mailbox::with_name("Dupré, Marie", "m.dupre@example.fr")]
    );
    assert_eq!(
        msg.to,
        vec![
            Mailbox::with_name("Support", "reply+tok1@reply.example.com"),
            Mailbox::new("a@example.com"),
            Mailbox::new("b@example.com"),
        ]
    );
    assert_eq!(
        msg.cc,
        vec![Mailbox::with_name("André", "andre@example.fr")]
    );
    assert_eq!(
        msg.date,
        Some(Utc.with_ymd_and_hms(2025, 3, 3, 9, 12, 0).unwrap())
    );
    assert_eq!(msg.subject.as_deref(), Some("Re: Votre demande détaillée"));
    assert_eq!(
        msg.text_body.as_deref(),
        Some("Bonjour, ça marche.\n\nLe lun. 3 mars 2025, Support a écrit :\n> Question ?\n")
    );
    assert!(!msg.text_from_html);
    assert_eq!(
        msg.content_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert!(msg.warnings.is_empty(), "{:?}", msg.warnings);
    assert_eq!(msg.raw_sha256.as_ref().map(String::len), Some(64));
    assert!(msg.transport.is_none());
}

#[test]
fn headers_are_kept_in_order_unfolded_and_decoded() {
    let msg = parse(REPLY);
    assert_eq!(msg.headers.len(), 19);
    assert_eq!(
        msg.headers[0],
        ("Return-Path".into(), "<marie@example.fr>".into())
    );
    assert_eq!(msg.header("x-mailer"), Some("Example Mail 1.0"));
    assert_eq!(msg.header("Subject"), Some("Re: Votre demande détaillée"));
    assert_eq!(msg.header_values("Delivered-To").count(), 2);
}

#[test]
fn exchange_comma_joined_references_are_split() {
    let msg = parse("From: a@x\nReferences: <a@x>,<b@y>,<c@z>\nIn-Reply-To: <c@z>\n\nhi\n");
    assert_eq!(msg.references, vec!["a@x", "b@y", "c@z"]);
    assert_eq!(msg.in_reply_to, vec!["c@z"]);
}

#[test]
fn null_return_path_is_an_empty_string() {
    let msg = parse("Return-Path: <>\nFrom: MAILER-DAEMON@mx.example\n\nbounce\n");
    assert_eq!(msg.return_path.as_deref(), Some(""));
}

#[test]
fn iso_8859_1_quoted_printable_body_is_decoded() {
    let msg = parse(
        "From: a@x\nContent-Type: text/plain; charset=\"ISO-8859-1\"\n\
         Content-Transfer-Encoding: quoted-printable\n\n\
         Tr=E8s bien, merci. Voil=E0 une longue ligne coup=\n=E9e en deux.\n",
    );
    assert_eq!(
        msg.text_body.as_deref(),
        Some("Très bien, merci. Voilà une longue ligne coupée en deux.\n")
    );
    assert!(msg.warnings.is_empty());
}

#[test]
fn windows_1252_base64_body_is_decoded() {
    // "\x93Merci\x94 \x96 5\x80" in Windows-1252, base64-encoded.
    let msg = parse(
        "From: a@x\nContent-Type: text/plain; charset=windows-1252\n\
         Content-Transfer-Encoding: base64\n\nk01lcmNplCCWIDWA\n",
    );
    assert_eq!(
        msg.text_body.as_deref(),
        Some("\u{201c}Merci\u{201d} \u{2013} 5€")
    );
}

#[test]
fn mislabelled_utf8_body_falls_back_with_a_warning() {
    let msg =
        parse_bytes(b"From: a@x\nContent-Type: text/plain; charset=utf-8\n\nCaf\xe9 cr\xe8me\n");
    assert_eq!(msg.text_body.as_deref(), Some("Café crème\n"));
    assert_eq!(msg.warnings.len(), 1);
    assert!(
        msg.warnings[0].contains("windows-1252"),
        "{:?}",
        msg.warnings
    );
}

#[test]
fn raw_latin1_subject_is_read_with_a_warning() {
    let msg = parse_bytes(b"From: a@x\nSubject: R\xe9ponse\n\nok\n");
    assert_eq!(msg.subject.as_deref(), Some("Réponse"));
    assert_eq!(msg.warnings.len(), 1);
}

#[test]
fn html_only_message_gets_its_text_from_the_html() {
    let html = "<div>Yes, <b>let's</b> talk.</div>";
    let msg = parse(&format!(
        "From: a@x\nContent-Type: text/html; charset=utf-8\n\n{html}\n"
    ));
    assert_eq!(msg.html_body.as_deref(), Some(format!("{html}\n").as_str()));
    assert!(msg.text_from_html);
    assert_eq!(
        msg.text_body,
        Some(crate::html::html_to_text(&format!("{html}\n")))
    );
}

pub(super) const ALTERNATIVE_WITH_ATTACHMENTS: &str = "From: a@x
Content-Type: multipart/mixed; boundary=\"outer\"

This is a multi-part message in MIME format.
--outer
Content-Type: multipart/alternative; boundary=\"alt\"

--alt
Content-Type: text/plain; charset=utf-8

Plain version
--alt
Content-Type: multipart/related; boundary=\"rel\"; type=\"text/html\"

--rel
Content-Type: text/html; charset=utf-8

<p>HTML version <img src=\"cid:logo@x\"></p>
--rel
Content-Type: image/png
Content-ID: <logo@x>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--rel--
--alt--
--outer
Content-Type: application/pdf; name=\"devis.pdf\"
Content-Disposition: attachment; filename=\"=?UTF-8?Q?devis_sign=C3=A9.pdf?=\"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--outer
Content-Type: text/plain; name=notes.txt
Content-Disposition: attachment

notes
--outer--
";

#[test]
fn nested_alternative_picks_plain_text_and_html_and_lists_attachments() {
    let msg = parse(ALTERNATIVE_WITH_ATTACHMENTS);
    assert_eq!(msg.text_body.as_deref(), Some("Plain version"));
    assert!(!msg.text_from_html);
    assert_eq!(
        msg.html_body.as_deref(),
        Some("<p>HTML version <img src=\"cid:logo@x\"></p>")
    );
    assert_eq!(msg.attachments.len(), 3);

    let logo = &msg.attachments[0];
    assert_eq!(logo.content_type, "image/png");
    assert_eq!(logo.content_id.as_deref(), Some("logo@x"));
    assert!(logo.inline);
    assert_eq!(logo.size, 8);

    let pdf = &msg.attachments[1];
    assert_eq!(pdf.filename.as_deref(), Some("devis signé.pdf"));
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.size, 9);
    assert!(!pdf.inline);
    assert_eq!(pdf.sha256, super::body::sha256_hex(b"%PDF-1.4\n"));

    let notes = &msg.attachments[2];
    assert_eq!(notes.filename.as_deref(), Some("notes.txt"));
    assert_eq!(notes.content_type, "text/plain");
}

#[test]
fn mixed_inline_text_parts_are_joined() {
    let msg = parse(
        "From: a@x\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n\
         Content-Type: image/jpeg\nContent-Disposition: inline\n\nxx\n--b\n\nsecond\n--b--\n",
    );
    assert_eq!(msg.text_body.as_deref(), Some("first\nsecond"));
    assert_eq!(msg.attachments.len(), 1);
    assert!(msg.attachments[0].inline);
}

#[test]
fn blank_plain_alternative_gives_way_to_the_html() {
    let msg = parse(
        "From: a@x\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\n  \n--b\n\
         Content-Type: text/html\n\n<p>Real text</p>\n--b--\n",
    );
    assert!(msg.text_from_html);
    assert_eq!(
        msg.text_body,
        Some(crate::html::html_to_text("<p>Real text</p>"))
    );
}

#[test]
fn format_flowed_with_delsp_is_unflowed() {
    let msg = parse(
        "From: a@x\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\n\
         This is one para \ngraph that flo \nws.\n> quoted li \n> ne\n\nHard\nbreaks\n",
    );
    assert_eq!(
        msg.text_body.as_deref(),
        Some("This is one paragraph that flows.\n> quoted line\n\nHard\nbreaks\n")
    );
}

pub(super) const DSN_WITH_MESSAGE: &str = "Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: reply+tok1@reply.example.com
Subject: Delivery Status Notification (Failure)
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"

--dsn
Content-Type: text/plain; charset=UTF-8

Your message wasn't delivered to nobody@example.org because the address couldn't be found.
--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Arrival-Date: Mon, 03 Mar 2025 02:12:00 -0800

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

Hello there
--dsn--
";

#[test]
fn dsn_with_an_attached_message_exposes_status_and_original() {
    let msg = parse(DSN_WITH_MESSAGE);
    assert_eq!(
        msg.content_type.as_deref(),
        Some("multipart/report; report-type=delivery-status; boundary=dsn")
    );
    assert!(
        msg.text_body
            .as_deref()
            .unwrap()
            .starts_with("Your message wasn't")
    );
    assert_eq!(msg.delivery_status.len(), 1);
    assert!(msg.delivery_status[0].contains("Status: 5.1.1"));
    assert_eq!(msg.attached_messages.len(), 1);
    let original = &msg.attached_messages[0];
    assert_eq!(
        original.message_id.as_deref(),
        Some("out-7@app.example.com")
    );
    assert_eq!(
        original.from.as_ref().unwrap().address,
        "reply+tok1@reply.example.com"
    );
    assert_eq!(original.text_body.as_deref(), Some("Hello there"));
    assert_eq!(msg.attachments.len(), 1);
    assert_eq!(msg.attachments[0].content_type, "message/rfc822");
}

#[test]
fn dsn_with_rfc822_headers_exposes_the_original_headers() {
    let msg = parse(
        "From: MAILER-DAEMON@mx.example.org\nContent-Type: multipart/report; \
         report-type=delivery-status; boundary=b\n\n--b\n\nDelivery failed.\n--b\n\
         Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; x@y\nAction: delayed\n\
         Status: 4.4.7\n--b\nContent-Type: text/rfc822-headers\n\n\
         From: reply+tok9@reply.example.com\nMessage-ID: <out-9@app.example.com>\n--b--\n",
    );
    assert_eq!(msg.attached_messages.len(), 1);
    let headers = &msg.attached_messages[0];
    assert_eq!(headers.message_id.as_deref(), Some("out-9@app.example.com"));
    assert_eq!(headers.text_body, None);
    assert!(msg.attachments.is_empty());
}

#[test]
fn base64_encoded_attached_message_is_parsed() {
    // "Subject: inner\r\n\r\nbody" in base64.
    let msg = parse(
        "From: a@x\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nsee attached\n--b\n\
         Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n\
         U3ViamVjdDogaW5uZXINCg0KYm9keQ==\n--b--\n",
    );
    assert_eq!(msg.attached_messages.len(), 1);
    assert_eq!(msg.attached_messages[0].subject.as_deref(), Some("inner"));
    assert_eq!(msg.attached_messages[0].text_body.as_deref(), Some("body"));
}

#[test]
fn empty_and_garbage_input_is_not_a_message() {
    for raw in [
        &b""[..],
        b"\r\n",
        b"\x00\x01\x02garbage",
        b"hello world\n\nbody",
    ] {
        let err = InboundMessage::parse(raw, &Limits::default()).unwrap_err();
        assert!(
            matches!(err, ParseError::NotAMessage { .. }),
            "{raw:?}: {err}"
        );
    }
}

#[test]
fn headers_without_a_body_are_a_message() {
    let msg = parse_bytes(b"Subject: only headers");
    assert_eq!(msg.subject.as_deref(), Some("only headers"));
    assert_eq!(msg.text_body, None);
}

#[test]
fn an_oversized_message_is_refused_before_parsing() {
    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    let err = InboundMessage::parse(b"Subject: eleven bytes\n\n", &limits).unwrap_err();
    assert_eq!(
        err,
        ParseError::TooLarge {
            size: 23,
            limit: 10
        }
    );
    assert_eq!(
        err.to_string(),
        "message is 23 bytes, over the limit of 10 bytes"
    );
}

#[test]
fn limits_count_attached_messages_too() {
    let limits = Limits {
        max_headers: 5,
        ..Limits::default()
    };
    let err = InboundMessage::parse(DSN_WITH_MESSAGE.as_bytes(), &limits).unwrap_err();
    assert!(matches!(
        err,
        ParseError::TooManyHeaders { count: 6, limit: 5 }
    ));
    let limits = Limits {
        max_parts: 4,
        ..Limits::default()
    };
    let err = InboundMessage::parse(DSN_WITH_MESSAGE.as_bytes(), &limits).unwrap_err();
    assert_eq!(err, ParseError::TooManyParts { count: 5, limit: 4 });
}

#[test]
fn a_long_header_line_names_the_limit() {
    let raw = format!("From: a@x\nSubject: {}\n\nbody\n", "x".repeat(70_000));
    let err = InboundMessage::parse(raw.as_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        ParseError::LineTooLong {
            offset: 10,
            len: 70_009,
            limit: 65_536
        }
    );
}

#[test]
fn a_megabyte_body_line_is_accepted() {
    let raw = format!("From: a@x\n\n{}\n", "word ".repeat(200_000));
    let msg = parse_bytes(raw.as_bytes());
    assert_eq!(msg.text_body.map(|t| t.len()), Some(1_000_001));
}

#[test]
fn unclosed_encoded_words_in_a_long_folded_subject_are_kept_literally() {
    let words = "=?AB?q? ".repeat(100);
    let subject = vec![words.trim_end(); 1000].join("\n ");
    let msg = parse(&format!("From: a@x\nSubject: {subject}\n\nbody\n"));
    let expected = vec![words.trim_end(); 1000].join(" ");
    assert_eq!(msg.subject.as_deref(), Some(expected.as_str()));
}

fn nested_multiparts(levels: usize) -> String {
    let mut raw = String::from("From: a@x\n");
    for i in 0..levels {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"n{i}\"\n\n--n{i}\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\n\ninnermost\n");
    for i in (0..levels).rev() {
        raw.push_str(&format!("--n{i}--\n"));
    }
    raw
}

#[test]
fn nesting_up_to_the_limit_parses_and_beyond_it_is_refused() {
    let msg = parse_bytes(nested_multiparts(31).as_bytes());
    assert_eq!(msg.text_body.as_deref(), Some("innermost"));
    let err = InboundMessage::parse(nested_multiparts(32).as_bytes(), &Limits::default());
    assert!(matches!(
        err,
        Err(ParseError::TooDeep {
            depth: 33,
            limit: 32,
            ..
        })
    ));
}

#[test]
fn two_hundred_nested_multiparts_cannot_overflow_the_stack() {
    let raw = nested_multiparts(200);
    let err = InboundMessage::parse(raw.as_bytes(), &Limits::default()).unwrap_err();
    assert!(matches!(err, ParseError::TooDeep { limit: 32, .. }));
    // Even with no depth limit asked for, the ceiling holds, and the deepest allowed nesting
    // parses on a test thread's stack.
    let unlimited = Limits {
        max_depth: usize::MAX,
        ..Limits::default()
    };
    let err = InboundMessage::parse(raw.as_bytes(), &unlimited).unwrap_err();
    assert!(matches!(
        err,
        ParseError::TooDeep {
            limit: MAX_DEPTH_CEILING,
            ..
        }
    ));
    let deepest = nested_multiparts(MAX_DEPTH_CEILING - 1);
    let msg = InboundMessage::parse(deepest.as_bytes(), &unlimited).unwrap();
    assert_eq!(msg.text_body.as_deref(), Some("innermost"));
}

fn nested_messages(levels: usize) -> String {
    let mut raw = String::new();
    for i in 0..levels {
        raw.push_str(&format!(
            "Subject: level {i}\nContent-Type: message/rfc822\n\n"
        ));
    }
    raw.push_str("Subject: innermost\n\ntext\n");
    raw
}

#[test]
fn ten_thousand_nested_messages_cannot_overflow_the_stack() {
    let raw = nested_messages(10_000);
    let err = InboundMessage::parse(raw.as_bytes(), &Limits::default()).unwrap_err();
    assert!(matches!(
        err,
        ParseError::TooDeep {
            depth: 33,
            limit: 32,
            ..
        }
    ));
    let unlimited = Limits {
        max_depth: usize::MAX,
        ..Limits::default()
    };
    let err = InboundMessage::parse(raw.as_bytes(), &unlimited).unwrap_err();
    assert!(matches!(
        err,
        ParseError::TooDeep {
            limit: MAX_DEPTH_CEILING,
            ..
        }
    ));
    let msg = InboundMessage::parse(
        nested_messages(MAX_DEPTH_CEILING - 1).as_bytes(),
        &unlimited,
    )
    .unwrap();
    let mut depth = 1;
    let mut current = &msg;
    while let Some(inner) = current.attached_messages.first() {
        current = inner;
        depth += 1;
    }
    assert_eq!(depth, MAX_DEPTH_CEILING);
    assert_eq!(current.subject.as_deref(), Some("innermost"));
}

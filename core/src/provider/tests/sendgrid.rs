//! SendGrid Inbound Parse, parsed and raw mode.

use super::*;
use crate::message::{Mailbox, Verdict};
use crate::provider::{ProviderError, parse_sendgrid};

const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

#[test]
fn parsed_mode_decodes_latin1_text_and_windows_1252_html_by_their_declared_charsets() {
    let msg = parse_sendgrid(SENDGRID_PARSED, Some(SENDGRID_CT), &opts()).expect("parses");
    let text = msg.text_body.as_deref().expect("text");
    assert!(text.starts_with("Bonjour,\n\nÇa me convient très bien, à jeudi."));
    assert!(text.contains("Acme <sales@acme.example> a écrit :"));
    assert!(!msg.text_from_html);
    let html = msg.html_body.as_deref().expect("html");
    assert!(html.contains("\u{201c}Parfait\u{201d} \u{2013} merci ! Prix : 120 \u{20ac}"));
    assert_eq!(msg.subject.as_deref(), Some("Réponse à votre devis"));
    assert_eq!(
        msg.from,
        Some(Mailbox::with_name("Marie Dupré", "marie@example.fr"))
    );
    assert!(msg.warnings.is_empty(), "{:?}", msg.warnings);
}

#[test]
fn parsed_mode_takes_ids_and_dates_from_the_headers_field() {
    let msg = parse_sendgrid(SENDGRID_PARSED, Some(SENDGRID_CT), &opts()).expect("parses");
    assert_eq!(msg.message_id.as_deref(), Some("CAN0-sg-1@mail.example.fr"));
    assert_eq!(msg.in_reply_to, vec!["rt-out-1@product.example"]);
    assert_eq!(
        msg.references,
        vec!["rt-out-0@product.example", "rt-out-1@product.example"]
    );
    assert_eq!(
        msg.to,
        vec![Mailbox::with_name(
            "Acme Sales",
            "reply+tok123@reply.example.com"
        )]
    );
    assert_eq!(msg.cc, vec![Mailbox::new("paul@example.fr")]);
    assert_eq!(
        msg.date.map(|d| d.to_rfc3339()),
        Some("2026-12-01T09:00:00+00:00".to_string())
    );
    assert_eq!(msg.header("MIME-Version"), Some("1.0"));
    assert_eq!(msg.header_values("Received").count(), 2);
    assert_eq!(msg.raw_sha256, None);
}

#[test]
fn transport_carries_the_envelope_verdicts_score_and_ip() {
    let msg = parse_sendgrid(SENDGRID_PARSED, Some(SENDGRID_CT), &opts()).expect("parses");
    let t = msg.transport.expect("transport");
    assert_eq!(t.provider, "sendgrid");
    let envelope = t.envelope.expect("envelope");
    assert_eq!(envelope.rcpt_to, vec!["reply+tok123@reply.example.com"]);
    assert_eq!(envelope.mail_from.as_deref(), Some("marie@example.fr"));
    assert_eq!(t.spf, Some(Verdict::Pass));
    assert_eq!(t.dkim, Some(Verdict::Pass));
    assert_eq!(t.spam_score, Some(0.012));
    assert_eq!(t.sender_ip.as_deref(), Some("192.0.2.10"));
    assert_eq!(t.provider_message_id, None);
}

#[test]
fn attachments_keep_name_type_size_hash_and_inline_content_id() {
    let msg = parse_sendgrid(SENDGRID_PARSED, Some(SENDGRID_CT), &opts()).expect("parses");
    assert_eq!(msg.attachments.len(), 2);
    let pdf = &msg.attachments[0];
    assert_eq!(pdf.filename.as_deref(), Some("devis-signé.pdf"));
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.size, PDF.len() as u64);
    assert_eq!(pdf.sha256, sha256(PDF));
    assert!(!pdf.inline);
    let logo = &msg.attachments[1];
    assert_eq!(logo.content_id.as_deref(), Some("ii_kx1"));
    assert!(logo.inline, "the HTML shows cid:ii_kx1");
}

#[test]
fn a_body_starting_with_its_boundary_needs_no_content_type() {
    let with = parse_sendgrid(SENDGRID_PARSED, Some(SENDGRID_CT), &opts()).expect("parses");
    let without = parse_sendgrid(SENDGRID_PARSED, None, &opts()).expect("parses");
    assert_eq!(with, without);
}

#[test]
fn raw_mode_hands_the_email_field_to_the_mime_parser_and_keeps_the_transport() {
    let msg = parse_sendgrid(SENDGRID_RAW, Some(SENDGRID_CT), &opts()).expect("parses");
    let t = msg.transport.expect("transport");
    assert_eq!(t.provider, "sendgrid");
    assert_eq!(t.spf, Some(Verdict::SoftFail));
    assert_eq!(t.dkim, Some(Verdict::Pass));
    assert_eq!(t.spam_score, Some(1.5));
    assert_eq!(
        t.envelope.expect("envelope").rcpt_to,
        vec!["reply+tok123@reply.example.com"]
    );
    // The MIME parser sees exactly the `email` bytes: one byte under their size is refused.
    let err = parse_sendgrid(
        SENDGRID_RAW,
        Some(SENDGRID_CT),
        &mime_limit(REPLY_EML.len() - 1),
    )
    .expect_err("over the MIME limit");
    assert!(matches!(
        err,
        ProviderError::Mime { field: "email", source: crate::message::ParseError::TooLarge { size, .. } }
            if size == REPLY_EML.len()
    ));
    assert!(
        parse_sendgrid(
            SENDGRID_RAW,
            Some(SENDGRID_CT),
            &mime_limit(REPLY_EML.len())
        )
        .is_ok()
    );
}

/// Needs the real MIME parser (core/src/message/parse.rs); fails against the stub.
#[test]
fn raw_mode_message_fields_come_from_the_mime() {
    let msg = parse_sendgrid(SENDGRID_RAW, Some(SENDGRID_CT), &opts()).expect("parses");
    assert_eq!(msg.message_id.as_deref(), Some("reply-1@mail.example.fr"));
    assert_eq!(msg.subject.as_deref(), Some("Re: votre devis"));
}

#[test]
fn html_only_parsed_mode_derives_the_text_from_the_html() {
    let body =
        b"--b\r\nContent-Disposition: form-data; name=\"headers\"\r\n\r\nSubject: x\r\n\r\n--b\r\n\
Content-Disposition: form-data; name=\"html\"\r\n\r\n<p>Oui</p>\r\n--b--\r\n";
    let msg =
        parse_sendgrid(body, Some("multipart/form-data; boundary=b"), &opts()).expect("parses");
    assert!(msg.text_from_html);
    assert!(msg.text_body.is_some());
}

#[test]
fn undeclared_non_utf8_field_is_read_as_windows_1252_with_a_warning() {
    let body =
        b"--b\r\nContent-Disposition: form-data; name=\"headers\"\r\n\r\nSubject: x\r\n\r\n--b\r\n\
Content-Disposition: form-data; name=\"text\"\r\n\r\nCaf\xe9\r\n--b--\r\n";
    let msg =
        parse_sendgrid(body, Some("multipart/form-data; boundary=b"), &opts()).expect("parses");
    assert_eq!(msg.text_body.as_deref(), Some("Café"));
    assert_eq!(msg.warnings.len(), 1);
    assert!(msg.warnings[0].contains("`text`"));
}

#[test]
fn declared_utf8_with_bad_bytes_is_decoded_lossily_with_a_warning() {
    let body =
        b"--b\r\nContent-Disposition: form-data; name=\"headers\"\r\n\r\nSubject: x\r\n\r\n--b\r\n\
Content-Disposition: form-data; name=\"charsets\"\r\n\r\n{\"text\":\"UTF-8\"}\r\n--b\r\n\
Content-Disposition: form-data; name=\"text\"\r\n\r\nCaf\xe9\r\n--b--\r\n";
    let msg =
        parse_sendgrid(body, Some("multipart/form-data; boundary=b"), &opts()).expect("parses");
    assert_eq!(msg.text_body.as_deref(), Some("Caf\u{fffd}"));
    assert!(
        msg.warnings
            .iter()
            .any(|w| w.contains("`text`") && w.contains("UTF-8"))
    );
}

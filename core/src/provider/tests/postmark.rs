//! Postmark inbound JSON.

use super::*;
use crate::message::{Mailbox, Verdict};
use crate::provider::{ProviderError, parse_postmark};

const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

#[test]
fn full_addresses_bodies_and_header_ids_fill_the_message() {
    let msg = parse_postmark(POSTMARK, &opts()).expect("parses");
    assert_eq!(
        msg.from,
        Some(Mailbox::with_name("Marie Dupont", "marie@example.fr"))
    );
    assert_eq!(
        msg.to,
        vec![Mailbox::with_name(
            "Acme Sales",
            "reply+tok123@reply.example.com"
        )]
    );
    assert_eq!(msg.cc, vec![Mailbox::with_name("Paul", "paul@example.fr")]);
    assert_eq!(msg.reply_to, vec![Mailbox::new("marie.dupont@example.fr")]);
    assert_eq!(msg.subject.as_deref(), Some("Re: votre devis"));
    assert!(
        msg.text_body
            .as_deref()
            .is_some_and(|t| t.starts_with("Oui, ça me va."))
    );
    assert_eq!(msg.html_body.as_deref(), Some("<p>Oui, ça me va.</p>"));
    assert_eq!(
        msg.date.map(|d| d.to_rfc3339()),
        Some("2026-12-01T09:00:00+00:00".to_string())
    );
    assert_eq!(msg.return_path.as_deref(), Some("marie@example.fr"));
}

#[test]
fn rfc_message_id_comes_from_headers_and_postmark_id_goes_to_transport() {
    let msg = parse_postmark(POSTMARK, &opts()).expect("parses");
    assert_eq!(
        msg.message_id.as_deref(),
        Some("pm-reply-1@mail.example.fr")
    );
    assert_eq!(msg.in_reply_to, vec!["rt-out-1@product.example"]);
    assert_eq!(
        msg.references,
        vec!["rt-out-0@product.example", "rt-out-1@product.example"]
    );
    let t = msg.transport.expect("transport");
    assert_eq!(
        t.provider_message_id.as_deref(),
        Some("73e6d360-66eb-11e1-8e72-a8904824019b")
    );
}

#[test]
fn transport_has_original_recipient_spf_and_spam_from_postmark_headers() {
    let msg = parse_postmark(POSTMARK, &opts()).expect("parses");
    let t = msg.transport.expect("transport");
    assert_eq!(t.provider, "postmark");
    let envelope = t.envelope.expect("envelope");
    assert_eq!(envelope.rcpt_to, vec!["reply+tok123@reply.example.com"]);
    assert_eq!(envelope.mail_from.as_deref(), Some("marie@example.fr"));
    assert_eq!(t.spf, Some(Verdict::Pass));
    assert_eq!(t.spam, Some(Verdict::Pass));
    assert_eq!(t.spam_score, Some(-0.1));
    assert_eq!(t.mailbox_hash.as_deref(), Some("tok123"));
}

#[test]
fn token_only_in_mailbox_hash_is_kept_on_the_transport() {
    let msg = parse_postmark(POSTMARK_HASH_ONLY, &opts()).expect("parses");
    let t = msg.transport.as_ref().expect("transport");
    assert_eq!(t.mailbox_hash.as_deref(), Some("tok123"));
    assert!(msg.to.iter().all(|m| !m.address.contains("tok123")));
    let envelope = t.envelope.as_ref().expect("envelope");
    assert!(envelope.rcpt_to.iter().all(|a| !a.contains("tok123")));
}

#[test]
fn base64_attachments_keep_size_and_hash_only() {
    let msg = parse_postmark(POSTMARK, &opts()).expect("parses");
    assert_eq!(msg.attachments.len(), 1);
    let pdf = &msg.attachments[0];
    assert_eq!(pdf.filename.as_deref(), Some("devis-signé.pdf"));
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.size, PDF.len() as u64);
    assert_eq!(pdf.sha256, sha256(PDF));
}

#[test]
fn plain_from_and_to_strings_serve_when_full_forms_are_absent() {
    let body = br#"{"From": "\"Bob\" <bob@example.com>", "To": "a@x.y, b@x.y", "Headers": null}"#;
    let msg = parse_postmark(body, &opts()).expect("parses");
    assert_eq!(msg.from, Some(Mailbox::with_name("Bob", "bob@example.com")));
    assert_eq!(msg.to.len(), 2);
}

#[test]
fn missing_sender_is_named() {
    let err = parse_postmark(br#"{"Subject": "x"}"#, &opts()).expect_err("no From");
    assert!(matches!(&err, ProviderError::MissingField { field } if field == "FromFull"));
}

#[test]
fn wrong_types_and_bad_base64_name_their_json_path() {
    let err = parse_postmark(br#"{"From": "a@b.c", "ToFull": "x"}"#, &opts()).expect_err("type");
    assert!(matches!(&err, ProviderError::WrongType { field, .. } if field == "ToFull"));
    let err = parse_postmark(
        br#"{"From": "a@b.c", "Headers": [{"Name": "X", "Value": 3}]}"#,
        &opts(),
    )
    .expect_err("type");
    assert!(matches!(&err, ProviderError::WrongType { field, .. } if field == "Headers[0].Value"));
    let err = parse_postmark(
        br#"{"From": "a@b.c", "Attachments": [{"Name": "a", "Content": "%%%"}]}"#,
        &opts(),
    )
    .expect_err("base64");
    assert!(
        matches!(&err, ProviderError::InvalidField { field, .. } if field == "Attachments[0].Content")
    );
}

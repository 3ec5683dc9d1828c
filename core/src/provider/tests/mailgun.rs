//! Mailgun routes and webhook signatures.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};

use super::*;
use crate::message::{Mailbox, Verdict};
use crate::provider::{
    Freshness, InMemoryReplayGuard, MailgunSignature, MailgunSigningKey, ProviderError,
    ReplayGuard, SignatureError, parse_mailgun, verify_mailgun_signature,
};

const KEY: &str = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
const SIGNED_AT: i64 = 1_796_115_600; // 2026-12-01T09:00:00Z, the fixtures' timestamp

fn key() -> MailgunSigningKey {
    MailgunSigningKey::new(KEY)
}

fn at(offset_secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(SIGNED_AT + offset_secs, 0).expect("valid time")
}

fn sign(timestamp: &str, token: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(KEY.as_bytes()).expect("any key length");
    mac.update(timestamp.as_bytes());
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[test]
fn forward_route_fields_build_the_message() {
    let msg = parse_mailgun(MAILGUN_MULTIPART, Some(MAILGUN_CT), &opts()).expect("parses");
    assert_eq!(
        msg.from,
        Some(Mailbox::with_name("Marie Dupont", "marie@example.fr"))
    );
    assert_eq!(msg.subject.as_deref(), Some("Re: votre devis"));
    assert_eq!(
        msg.text_body.as_deref(),
        Some("Oui, ça me va.\r\n\r\n> Voici le devis\r\n"),
        "body-plain is used, stripped-text ignored"
    );
    assert_eq!(
        msg.message_id.as_deref(),
        Some("mg-reply-1@mail.example.fr")
    );
    assert_eq!(msg.in_reply_to, vec!["rt-out-1@product.example"]);
    assert_eq!(msg.to, vec![Mailbox::new("reply+tok123@reply.example.com")]);
    assert_eq!(msg.attachments.len(), 1);
    let logo = &msg.attachments[0];
    assert_eq!(logo.filename.as_deref(), Some("logo.png"));
    assert_eq!(logo.content_id.as_deref(), Some("logo@x"));
    assert!(logo.inline);
    assert_eq!(logo.sha256, sha256(b"\x89PNG\r\n\x1a\n"));
}

#[test]
fn forward_route_transport_has_envelope_and_mailgun_verdicts() {
    let msg = parse_mailgun(MAILGUN_MULTIPART, Some(MAILGUN_CT), &opts()).expect("parses");
    let t = msg.transport.expect("transport");
    assert_eq!(t.provider, "mailgun");
    let envelope = t.envelope.expect("envelope");
    assert_eq!(envelope.mail_from.as_deref(), Some("marie@example.fr"));
    assert_eq!(envelope.rcpt_to, vec!["reply+tok123@reply.example.com"]);
    assert_eq!(t.spf, Some(Verdict::Pass));
    assert_eq!(t.dkim, Some(Verdict::Pass));
    assert_eq!(t.spam, Some(Verdict::Pass));
    assert_eq!(t.spam_score, Some(0.3));
}

#[test]
fn urlencoded_route_reads_like_the_multipart_one() {
    let form = parse_mailgun(MAILGUN_MULTIPART, Some(MAILGUN_CT), &opts()).expect("parses");
    let urlenc = parse_mailgun(MAILGUN_URLENCODED, Some(URLENCODED_CT), &opts()).expect("parses");
    assert_eq!(urlenc.text_body, form.text_body);
    assert_eq!(urlenc.html_body, form.html_body);
    assert_eq!(urlenc.message_id, form.message_id);
    assert_eq!(urlenc.headers, form.headers);
    assert_eq!(urlenc.transport, form.transport);
    assert!(urlenc.attachments.is_empty());
    let sniffed = parse_mailgun(MAILGUN_URLENCODED, None, &opts()).expect("parses");
    assert_eq!(sniffed, urlenc);
}

#[test]
fn body_mime_is_preferred_when_the_route_posts_it() {
    let err = parse_mailgun(
        MAILGUN_MIME,
        Some(MAILGUN_CT),
        &mime_limit(REPLY_EML.len() - 1),
    )
    .expect_err("the MIME parser sees exactly body-mime");
    assert!(matches!(
        err,
        ProviderError::Mime {
            field: "body-mime",
            ..
        }
    ));
    let msg = parse_mailgun(MAILGUN_MIME, Some(MAILGUN_CT), &mime_limit(REPLY_EML.len()))
        .expect("parses");
    let envelope = msg.transport.and_then(|t| t.envelope).expect("envelope");
    assert_eq!(envelope.rcpt_to, vec!["reply+tok123@reply.example.com"]);
}

#[test]
fn signature_fields_come_out_of_the_form_and_verify() {
    let sig = MailgunSignature::from_form(MAILGUN_MULTIPART, Some(MAILGUN_CT), &opts().limits)
        .expect("fields present");
    assert_eq!(sig.timestamp, SIGNED_AT.to_string());
    let mut guard = InMemoryReplayGuard::default();
    assert_eq!(
        sig.verify(&key(), at(30), &Freshness::default(), &mut guard),
        Ok(())
    );
    let urlenc = MailgunSignature::from_form(MAILGUN_URLENCODED, None, &opts().limits)
        .expect("fields present");
    assert_eq!(urlenc, sig);
}

#[test]
fn bad_signature_is_refused_and_never_remembered() {
    let sig = MailgunSignature::from_form(MAILGUN_MULTIPART, Some(MAILGUN_CT), &opts().limits)
        .expect("fields present");
    let mut guard = InMemoryReplayGuard::default();
    let forged = MailgunSignature {
        signature: sign(&sig.timestamp, "another-token"),
        ..sig.clone()
    };
    assert_eq!(
        forged.verify(&key(), at(30), &Freshness::default(), &mut guard),
        Err(SignatureError::BadSignature)
    );
    let wrong_key = MailgunSigningKey::new("key-somebody-else");
    assert_eq!(
        sig.verify(&wrong_key, at(30), &Freshness::default(), &mut guard),
        Err(SignatureError::BadSignature)
    );
    assert!(guard.is_empty());
    // The same request still verifies: nothing was burnt by the forgeries.
    assert_eq!(
        sig.verify(&key(), at(30), &Freshness::default(), &mut guard),
        Ok(())
    );
}

#[test]
fn stale_and_future_timestamps_are_refused() {
    let ts = SIGNED_AT.to_string();
    let token = "tok-stale";
    let signature = sign(&ts, token);
    let mut guard = InMemoryReplayGuard::default();
    let fresh = Freshness::default();
    assert_eq!(
        verify_mailgun_signature(&key(), &ts, token, &signature, at(301), &fresh, &mut guard),
        Err(SignatureError::Stale {
            age_secs: 301,
            max_age_secs: 300
        })
    );
    assert_eq!(
        verify_mailgun_signature(&key(), &ts, token, &signature, at(-61), &fresh, &mut guard),
        Err(SignatureError::FromTheFuture {
            ahead_secs: 61,
            max_skew_secs: 60
        })
    );
    assert_eq!(
        verify_mailgun_signature(&key(), &ts, token, &signature, at(-60), &fresh, &mut guard),
        Ok(())
    );
}

#[test]
fn a_replayed_token_is_refused() {
    let ts = SIGNED_AT.to_string();
    let signature = sign(&ts, "tok-once");
    let mut guard = InMemoryReplayGuard::default();
    let fresh = Freshness::default();
    assert_eq!(
        verify_mailgun_signature(
            &key(),
            &ts,
            "tok-once",
            &signature,
            at(1),
            &fresh,
            &mut guard
        ),
        Ok(())
    );
    assert_eq!(
        verify_mailgun_signature(
            &key(),
            &ts,
            "tok-once",
            &signature,
            at(2),
            &fresh,
            &mut guard
        ),
        Err(SignatureError::Replayed)
    );
}

#[test]
fn malformed_signature_fields_are_named() {
    let mut guard = InMemoryReplayGuard::default();
    let fresh = Freshness::default();
    let now = at(0);
    let good = sign("1796115600", "t");
    assert_eq!(
        verify_mailgun_signature(&key(), "soon", "t", &good, now, &fresh, &mut guard),
        Err(SignatureError::MalformedTimestamp)
    );
    assert_eq!(
        verify_mailgun_signature(&key(), "1796115600", "t", "xyz", now, &fresh, &mut guard),
        Err(SignatureError::MalformedSignature)
    );
    assert_eq!(
        verify_mailgun_signature(&key(), "1796115600", "", &good, now, &fresh, &mut guard),
        Err(SignatureError::MalformedToken)
    );
    let upper = good.to_ascii_uppercase();
    assert_eq!(
        verify_mailgun_signature(&key(), "1796115600", "t", &upper, now, &fresh, &mut guard),
        Ok(())
    );
}

#[test]
fn signature_fields_come_out_of_a_json_event_webhook() {
    let body = format!(
        r#"{{"signature": {{"timestamp": {SIGNED_AT}, "token": "abc", "signature": "{}"}}, "event-data": {{}}}}"#,
        sign(&SIGNED_AT.to_string(), "abc")
    );
    let sig = MailgunSignature::from_webhook_json(body.as_bytes(), &opts().limits).expect("parses");
    let mut guard = InMemoryReplayGuard::default();
    assert_eq!(
        sig.verify(&key(), at(5), &Freshness::default(), &mut guard),
        Ok(())
    );
    let missing = MailgunSignature::from_webhook_json(b"{}", &opts().limits).expect_err("missing");
    assert!(matches!(missing, ProviderError::MissingField { field } if field == "signature"));
}

#[test]
fn in_memory_guard_forgets_expired_tokens_and_stays_bounded() {
    let mut guard = InMemoryReplayGuard::with_capacity(2);
    assert!(guard.check_and_remember("a", at(100)));
    assert!(guard.check_and_remember("b", at(200)));
    assert!(!guard.check_and_remember("a", at(100)));
    assert!(
        guard.check_and_remember("c", at(300)),
        "evicts a, the first to expire"
    );
    assert_eq!(guard.len(), 2);
    guard.prune(at(250));
    assert_eq!(guard.len(), 1);
    assert!(!guard.check_and_remember("c", at(300)));
}

#[test]
fn signing_key_debug_is_redacted() {
    let shown = format!("{:?}", key());
    assert!(!shown.contains(KEY));
    assert!(shown.contains("redacted"));
}

#[test]
fn missing_message_headers_is_named() {
    let body = b"recipient=a%40b.c&body-plain=hi";
    let err = parse_mailgun(body, Some(URLENCODED_CT), &opts()).expect_err("missing");
    assert!(matches!(&err, ProviderError::MissingField { field } if field == "message-headers"));
    assert_eq!(
        err.to_string(),
        "required field `message-headers` is missing"
    );
}

#[test]
fn message_headers_that_are_not_pairs_are_named() {
    let body = b"message-headers=%5B%5B%22Subject%22%2C%22x%22%5D%2C%5B1%2C2%5D%5D";
    let err = parse_mailgun(body, Some(URLENCODED_CT), &opts()).expect_err("bad pair");
    assert!(
        matches!(&err, ProviderError::WrongType { field, .. } if field == "message-headers[1]")
    );
}

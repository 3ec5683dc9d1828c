//! Amazon SES via SNS: notifications, confirmations, signatures v1 and v2.

use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::message::Verdict;
use crate::provider::{
    ProviderError, SesDelivery, SnsError, SnsExpectations, SnsMessage, SnsMessageType, parse_ses,
    parse_ses_verified, ses,
};

const TOPIC: &str = "arn:aws:sns:eu-west-1:123456789012:replytrack-inbound";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T09:00:10Z")
        .expect("valid")
        .with_timezone(&Utc)
}

fn expect() -> SnsExpectations {
    SnsExpectations::new(TOPIC, now())
}

fn sns(body: &[u8]) -> SnsMessage {
    SnsMessage::parse(body, &opts().limits).expect("SNS envelope parses")
}

fn message(delivery: SesDelivery) -> crate::message::InboundMessage {
    match delivery {
        SesDelivery::Message(msg) => *msg,
        other => panic!("expected a message, got {other:?}"),
    }
}

#[test]
fn received_notification_fills_transport_from_mail_and_receipt() {
    let msg = message(parse_ses(SES_BASE64_V1, &opts()).expect("parses"));
    let t = msg.transport.expect("transport");
    assert_eq!(t.provider, "ses");
    assert_eq!(
        t.provider_message_id.as_deref(),
        Some("o3vrnil0e2ic28trm7dfhrc2v0cnbrsmg8tl1u01")
    );
    let envelope = t.envelope.expect("envelope");
    assert_eq!(envelope.mail_from.as_deref(), Some("marie@example.fr"));
    assert_eq!(envelope.rcpt_to, vec!["reply+tok123@reply.example.com"]);
    assert_eq!(t.spam, Some(Verdict::Pass));
    assert_eq!(t.virus, Some(Verdict::Pass));
    assert_eq!(t.spf, Some(Verdict::Pass));
    assert_eq!(t.dkim, Some(Verdict::Neutral), "GRAY");
    assert_eq!(t.dmarc, Some(Verdict::TempError), "PROCESSING_FAILED");
}

#[test]
fn base64_content_is_decoded_before_mime_parsing() {
    let err = parse_ses(SES_BASE64_V1, &mime_limit(REPLY_EML.len() - 1)).expect_err("limit");
    assert!(matches!(
        err,
        ProviderError::Mime { field: "content", source: crate::message::ParseError::TooLarge { size, .. } }
            if size == REPLY_EML.len()
    ));
    assert!(parse_ses(SES_BASE64_V1, &mime_limit(REPLY_EML.len())).is_ok());
}

#[test]
fn utf8_content_is_parsed_as_is() {
    let err = parse_ses(SES_UTF8_V2, &mime_limit(REPLY_EML.len() - 1)).expect_err("limit");
    assert!(matches!(
        err,
        ProviderError::Mime { field: "content", source: crate::message::ParseError::TooLarge { size, .. } }
            if size == REPLY_EML.len()
    ));
    let msg = message(parse_ses(SES_UTF8_V2, &opts()).expect("parses"));
    assert_eq!(msg.transport.expect("transport").spf, Some(Verdict::Pass));
}

/// Needs the real MIME parser (core/src/message/parse.rs); fails against the stub.
#[test]
fn ses_message_fields_come_from_the_decoded_mime() {
    let msg = message(parse_ses(SES_BASE64_V1, &opts()).expect("parses"));
    assert_eq!(msg.message_id.as_deref(), Some("reply-1@mail.example.fr"));
    assert_eq!(msg.in_reply_to, vec!["rt-out-1@product.example"]);
}

#[test]
fn bare_notification_from_raw_message_delivery_is_read_too() {
    let msg = message(parse_ses(SES_BARE, &opts()).expect("parses"));
    assert_eq!(msg.transport.expect("transport").provider, "ses");
}

#[test]
fn signature_v1_and_v2_verify_against_the_supplied_certificate() {
    let v1 = sns(SES_BASE64_V1);
    assert_eq!(v1.signature_version.as_deref(), Some("1"));
    assert_eq!(v1.verify(SNS_CERT, &expect()), Ok(()));
    let v2 = sns(SES_UTF8_V2);
    assert_eq!(v2.signature_version.as_deref(), Some("2"));
    assert!(
        v2.message.contains("Oui, ça me va"),
        "signed text is non-ASCII UTF-8"
    );
    assert_eq!(v2.verify(SNS_CERT, &expect()), Ok(()));
    assert!(parse_ses_verified(SES_UTF8_V2, SNS_CERT, &expect(), &opts()).is_ok());
}

#[test]
fn tampered_messages_fail_verification_in_both_versions() {
    for body in [SES_BASE64_V1, SES_UTF8_V2] {
        let good = sns(body);
        let mut message = good.clone();
        message.message = message.message.replace("PASS", "FAIL");
        assert_eq!(
            message.verify(SNS_CERT, &expect()),
            Err(SnsError::BadSignature)
        );
        let mut subject = good.clone();
        subject.subject = None;
        assert_eq!(
            subject.verify(SNS_CERT, &expect()),
            Err(SnsError::BadSignature)
        );
        let mut stamp = good.clone();
        stamp.timestamp = "2026-12-01T09:00:04.112Z".to_string();
        assert_eq!(
            stamp.verify(SNS_CERT, &expect()),
            Err(SnsError::BadSignature)
        );
        let mut swapped = good.clone();
        swapped.signature_version = Some(if good.signature_version.as_deref() == Some("1") {
            "2".to_string()
        } else {
            "1".to_string()
        });
        assert_eq!(
            swapped.verify(SNS_CERT, &expect()),
            Err(SnsError::BadSignature)
        );
    }
    let tampered = String::from_utf8_lossy(SES_UTF8_V2).replace("tok123", "tok999");
    let err = parse_ses_verified(tampered.as_bytes(), SNS_CERT, &expect(), &opts())
        .expect_err("tampered");
    assert!(matches!(err, ProviderError::Sns(SnsError::BadSignature)));
}

#[test]
fn another_topic_is_refused() {
    let other = SnsExpectations::new("arn:aws:sns:eu-west-1:123456789012:someone-else", now());
    assert!(matches!(
        sns(SES_BASE64_V1).verify(SNS_CERT, &other),
        Err(SnsError::TopicMismatch { .. })
    ));
}

#[test]
fn signing_cert_urls_off_the_regional_sns_host_are_refused() {
    let good = sns(SES_BASE64_V1);
    assert_eq!(good.check_signing_cert_url(TOPIC), Ok(()));
    for url in [
        "http://sns.eu-west-1.amazonaws.com/cert.pem",
        "https://sns.us-east-1.amazonaws.com/cert.pem",
        "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem",
        "https://evil.example/sns.eu-west-1.amazonaws.com/cert.pem",
        "https://user@sns.eu-west-1.amazonaws.com/cert.pem",
        "https://sns.eu-west-1.amazonaws.com:8443/cert.pem",
        "https://sns.eu-west-1.amazonaws.com/cert.pem?x=.pem",
        "https://sns.eu-west-1.amazonaws.com/cert.txt",
    ] {
        let mut msg = good.clone();
        msg.signing_cert_url = Some(url.to_string());
        assert!(
            matches!(
                msg.check_signing_cert_url(TOPIC),
                Err(SnsError::UntrustedCertUrl { .. })
            ),
            "{url} should be refused"
        );
    }
}

#[test]
fn unusable_certificates_versions_and_ages_are_named() {
    let good = sns(SES_BASE64_V1);
    assert!(matches!(
        good.verify(
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            &expect()
        ),
        Err(SnsError::BadCertificate { .. })
    ));
    let far_future = SnsExpectations::new(TOPIC, now() + TimeDelta::days(365 * 150));
    assert!(matches!(
        good.verify(SNS_CERT, &far_future),
        Err(SnsError::CertificateExpired { .. })
    ));
    let strict = SnsExpectations {
        max_age: Some(TimeDelta::seconds(5)),
        ..expect()
    };
    assert!(matches!(
        good.verify(SNS_CERT, &strict),
        Err(SnsError::TooOld { .. })
    ));
    let mut v3 = good.clone();
    v3.signature_version = Some("3".to_string());
    assert!(matches!(
        v3.verify(SNS_CERT, &expect()),
        Err(SnsError::UnsupportedSignatureVersion { .. })
    ));
    let mut unsigned = good;
    unsigned.signature = None;
    assert_eq!(
        unsigned.verify(SNS_CERT, &expect()),
        Err(SnsError::MissingField { field: "Signature" })
    );
}

#[test]
fn subscription_confirmation_returns_what_the_host_must_confirm() {
    let msg = sns(SNS_SUBSCRIBE);
    assert_eq!(msg.message_type, SnsMessageType::SubscriptionConfirmation);
    assert_eq!(msg.verify(SNS_CERT, &expect()), Ok(()));
    let SesDelivery::SubscriptionConfirmation(sub) =
        parse_ses_verified(SNS_SUBSCRIBE, SNS_CERT, &expect(), &opts()).expect("verifies")
    else {
        panic!("expected a subscription confirmation");
    };
    assert_eq!(sub.topic_arn, TOPIC);
    assert!(
        sub.subscribe_url
            .starts_with("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription")
    );
    assert!(sub.token.starts_with("2336412f37fb"));
    assert_eq!(msg.subscription(), Some(sub));
    let err =
        parse_provider(ProviderKind::Ses, SNS_SUBSCRIBE, None, &opts()).expect_err("not mail");
    assert!(matches!(err, ProviderError::NotANotification { .. }));
    let mut tampered = msg;
    tampered.subscribe_url = Some("https://sns.eu-west-1.amazonaws.com/?Action=Evil".to_string());
    assert_eq!(
        tampered.verify(SNS_CERT, &expect()),
        Err(SnsError::BadSignature)
    );
}

#[test]
fn other_notification_types_and_actions_without_content_are_named() {
    let bounce = br#"{"notificationType": "Bounce", "mail": {}}"#;
    assert!(matches!(
        ses::parse_notification(bounce, &opts()),
        Err(ProviderError::UnsupportedNotification { notification_type }) if notification_type == "Bounce"
    ));
    let s3 = br#"{"notificationType": "Received", "mail": {},
        "receipt": {"action": {"type": "S3", "bucketName": "b", "objectKey": "k"}}}"#;
    assert!(matches!(
        ses::parse_notification(s3, &opts()),
        Err(ProviderError::SesWithoutContent { action }) if action == "S3"
    ));
    let bad_b64 = br#"{"notificationType": "Received", "mail": {}, "content": "***",
        "receipt": {"action": {"type": "SNS", "encoding": "BASE64"}}}"#;
    assert!(matches!(
        ses::parse_notification(bad_b64, &opts()),
        Err(ProviderError::InvalidField { field, .. }) if field == "content"
    ));
}

#[test]
fn a_notification_message_that_is_not_json_is_named() {
    let body = br#"{"Type": "Notification", "MessageId": "m", "TopicArn": "t", "Message": "{oops",
        "Timestamp": "2026-12-01T09:00:00Z"}"#;
    let err = parse_ses(body, &opts()).expect_err("bad JSON");
    assert!(matches!(&err, ProviderError::InvalidJson { field: Some(f), .. } if f == "Message"));
    assert!(
        err.to_string()
            .starts_with("invalid JSON in field `Message`")
    );
}

#[test]
fn unsubscribe_confirmation_is_reported_as_such() {
    let body = String::from_utf8_lossy(SNS_SUBSCRIBE).replace(
        "\"SubscriptionConfirmation\"",
        "\"UnsubscribeConfirmation\"",
    );
    let delivery = parse_ses(body.as_bytes(), &opts()).expect("parses");
    assert!(matches!(
        delivery,
        SesDelivery::UnsubscribeConfirmation(sub) if sub.topic_arn == TOPIC
    ));
    // The signature covered the original Type, so the edited message no longer verifies.
    assert_eq!(
        sns(body.as_bytes()).verify(SNS_CERT, &expect()),
        Err(SnsError::BadSignature)
    );
}

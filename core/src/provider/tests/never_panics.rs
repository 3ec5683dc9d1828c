//! Every adapter returns a value or a typed error on arbitrary bytes; none panics.

use proptest::prelude::*;

use super::*;
use crate::provider::{MailgunSignature, SnsMessage, basic_auth, multipart::parse_form};

fn content_types() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("multipart/form-data; boundary=xYzZY".to_string())),
        Just(Some("application/x-www-form-urlencoded".to_string())),
        "[ -~]{0,60}".prop_map(Some),
    ]
}

/// Arbitrary bytes, or a fixture with a random slice replaced by arbitrary bytes.
fn payloads() -> impl Strategy<Value = Vec<u8>> {
    let fixtures: Vec<&'static [u8]> = vec![
        SENDGRID_PARSED,
        SENDGRID_RAW,
        MAILGUN_MULTIPART,
        MAILGUN_URLENCODED,
        POSTMARK,
        SES_BASE64_V1,
        SNS_SUBSCRIBE,
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2_000),
        (
            prop::sample::select(fixtures),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            prop::collection::vec(any::<u8>(), 0..40),
        )
            .prop_map(|(fixture, a, b, junk)| {
                let (x, y) = (a.index(fixture.len()), b.index(fixture.len()));
                let (start, end) = (x.min(y), x.max(y));
                let mut out = fixture[..start].to_vec();
                out.extend(junk);
                out.extend_from_slice(&fixture[end..]);
                out
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn adapters_never_panic(body in payloads(), ct in content_types()) {
        for kind in ProviderKind::ALL {
            let _ = parse_provider(kind, &body, ct.as_deref(), &opts());
        }
        let _ = crate::provider::parse_ses(&body, &opts());
        let _ = parse_form(&body, ct.as_deref(), &opts().limits);
        let _ = MailgunSignature::from_form(&body, ct.as_deref(), &opts().limits);
        let _ = MailgunSignature::from_webhook_json(&body, &opts().limits);
        if let Ok(sns) = SnsMessage::parse(&body, &opts().limits) {
            let now = chrono::DateTime::from_timestamp(1_796_115_610, 0).unwrap_or_default();
            let _ = sns.verify(SNS_CERT, &crate::provider::SnsExpectations::new(sns.topic_arn.clone(), now));
        }
        let _ = basic_auth::check(Some(&String::from_utf8_lossy(&body)), "u", "p");
    }

    #[test]
    fn header_text_helpers_never_panic(text in "\\PC{0,300}") {
        let _ = crate::message::header::Field::new("Subject", &text).text();
        let _ = crate::message::mailbox::parse_mailboxes(&text);
        let _ = crate::message::mailbox::parse_ids(&text);
        let _ = crate::provider::headers::parse_header_block(&text, "headers", 100, &mut Vec::new());
        let _ = crate::provider::verdict::parse_sendgrid_dkim(&text, Some("example.fr"));
    }
}

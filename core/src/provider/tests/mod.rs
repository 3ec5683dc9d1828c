//! Adapter tests over payloads that mirror each provider's documented format (fixtures in
//! `../testdata/`, written by `make_fixtures.py`).

mod bad_input;
mod mailgun;
mod multipart;
mod never_panics;
mod postmark;
mod sendgrid;
mod ses;

use sha2::{Digest, Sha256};

use super::{ProviderKind, ProviderOptions, parse_provider};

/// The raw reply every raw-MIME fixture carries.
pub(super) const REPLY_EML: &[u8] = include_bytes!("../testdata/reply.eml");
pub(super) const SENDGRID_PARSED: &[u8] = include_bytes!("../testdata/sendgrid_parsed.multipart");
pub(super) const SENDGRID_RAW: &[u8] = include_bytes!("../testdata/sendgrid_raw.multipart");
pub(super) const SENDGRID_CT: &str = "multipart/form-data; boundary=xYzZY";
pub(super) const MAILGUN_MULTIPART: &[u8] = include_bytes!("../testdata/mailgun_forward.multipart");
pub(super) const MAILGUN_URLENCODED: &[u8] =
    include_bytes!("../testdata/mailgun_forward.urlencoded");
pub(super) const MAILGUN_MIME: &[u8] = include_bytes!("../testdata/mailgun_mime.multipart");
pub(super) const MAILGUN_CT: &str = "multipart/form-data; boundary=\"mg-7d1a9c\"";
pub(super) const URLENCODED_CT: &str = "application/x-www-form-urlencoded";
pub(super) const POSTMARK: &[u8] = include_bytes!("../testdata/postmark_inbound.json");
pub(super) const POSTMARK_HASH_ONLY: &[u8] =
    include_bytes!("../testdata/postmark_mailbox_hash.json");
pub(super) const SES_BASE64_V1: &[u8] = include_bytes!("../testdata/ses_sns_base64_v1.json");
pub(super) const SES_UTF8_V2: &[u8] = include_bytes!("../testdata/ses_sns_utf8_v2.json");
pub(super) const SES_BARE: &[u8] = include_bytes!("../testdata/ses_bare_notification.json");
pub(super) const SNS_SUBSCRIBE: &[u8] =
    include_bytes!("../testdata/sns_subscription_confirmation.json");
pub(super) const SNS_CERT: &[u8] = include_bytes!("../testdata/sns-test-cert.pem");

pub(super) fn opts() -> ProviderOptions {
    ProviderOptions::default()
}

pub(super) fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Options whose MIME limit is `max` bytes: lets a test see exactly which bytes an adapter hands
/// to the MIME parser (one byte too many is refused with the size).
pub(super) fn mime_limit(max: usize) -> ProviderOptions {
    let mut o = opts();
    o.mime.max_bytes = max;
    o
}

#[test]
fn provider_kind_reads_writes_and_serializes_its_lowercase_name() {
    for kind in ProviderKind::ALL {
        assert_eq!(kind.as_str().parse::<ProviderKind>(), Ok(kind));
        assert_eq!(kind.to_string(), kind.as_str());
        let json = serde_json::to_string(&kind).expect("serializes");
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
    }
    assert_eq!(
        "SendGrid".parse::<ProviderKind>(),
        Ok(ProviderKind::SendGrid)
    );
    let err = "sparkpost".parse::<ProviderKind>().expect_err("unknown");
    assert!(err.to_string().contains("sparkpost"));
}

#[test]
fn parse_provider_dispatches_and_names_the_provider_in_transport() {
    let cases: [(ProviderKind, &[u8], Option<&str>); 5] = [
        (ProviderKind::Raw, REPLY_EML, None),
        (ProviderKind::SendGrid, SENDGRID_PARSED, Some(SENDGRID_CT)),
        (ProviderKind::Mailgun, MAILGUN_MULTIPART, Some(MAILGUN_CT)),
        (ProviderKind::Postmark, POSTMARK, None),
        (ProviderKind::Ses, SES_BASE64_V1, None),
    ];
    for (kind, body, ct) in cases {
        let msg = parse_provider(kind, body, ct, &opts()).expect("fixture parses");
        let transport = msg.transport.expect("transport is always set");
        assert_eq!(transport.provider, kind.as_str());
    }
}

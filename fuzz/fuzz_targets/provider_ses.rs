//! Amazon SES notifications through SNS: the envelope, the notification inside it, the string
//! to sign and the signing-certificate URL check. (Signature verification itself is covered by
//! the proptest in core/src/provider/tests/never_panics.rs.)
#![no_main]
use libfuzzer_sys::fuzz_target;
use replytrack::provider::{ProviderOptions, SnsMessage, parse_ses};

fuzz_target!(|data: &[u8]| {
    let opts = ProviderOptions::default();
    let _ = parse_ses(data, &opts);
    if let Ok(sns) = SnsMessage::parse(data, &opts.limits) {
        let _ = sns.string_to_sign();
        let _ = sns.check_signing_cert_url(&sns.topic_arn);
        let _ = sns.check_signing_cert_url("arn:aws:sns:eu-west-1:123456789012:inbound");
    }
});

//! Mailgun route payloads (multipart and urlencoded) and their signature fields.
#![no_main]
use libfuzzer_sys::fuzz_target;
use replytrack::provider::{MailgunSignature, ProviderOptions, parse_mailgun};

fuzz_target!(|data: &[u8]| {
    let opts = ProviderOptions::default();
    let _ = parse_mailgun(data, None, &opts);
    let _ = parse_mailgun(data, Some("application/x-www-form-urlencoded"), &opts);
    let _ = parse_mailgun(data, Some("multipart/form-data; boundary=mg"), &opts);
    let _ = MailgunSignature::from_form(data, None, &opts.limits);
    let _ = MailgunSignature::from_webhook_json(data, &opts.limits);
});

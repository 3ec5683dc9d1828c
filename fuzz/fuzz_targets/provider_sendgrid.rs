//! SendGrid Inbound Parse payloads: arbitrary bytes, with and without a multipart content type.
#![no_main]
use libfuzzer_sys::fuzz_target;
use replytrack::provider::{ProviderOptions, parse_sendgrid};

fuzz_target!(|data: &[u8]| {
    let opts = ProviderOptions::default();
    let _ = parse_sendgrid(data, None, &opts);
    let _ = parse_sendgrid(data, Some("multipart/form-data; boundary=xYzZY"), &opts);
});

//! Postmark inbound JSON.
#![no_main]
use libfuzzer_sys::fuzz_target;
use replytrack::provider::{ProviderOptions, parse_postmark};

fuzz_target!(|data: &[u8]| {
    let _ = parse_postmark(data, &ProviderOptions::default());
});

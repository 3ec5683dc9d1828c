//! Fuzz `InboundMessage::parse` and `classify`: no input may panic, hang or overflow the stack.
#![no_main]
use libfuzzer_sys::fuzz_target;
use replytrack::message::{ClassifyOptions, InboundMessage, Limits, classify};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_bytes: 1024 * 1024,
        ..Limits::default()
    };
    if let Ok(msg) = InboundMessage::parse(data, &limits) {
        let opts = ClassifyOptions {
            own_domains: vec!["app.example.com".into()],
            own_addresses: vec!["support@reply.example.com".into()],
        };
        let _ = classify(&msg, &opts);
    }
});

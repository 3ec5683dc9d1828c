#![no_main]
//! Address parsing and splitting never panic, whatever the header value.
use libfuzzer_sys::fuzz_target;
use replytrack::address::{find_token, parse_address, split_addresses, token_in_message_id};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = split_addresses(&text);
    let _ = parse_address(&text, Some("reply.example.com"));
    let _ = find_token(&text, None);
    let _ = token_in_message_id(&text, "reply.example.com");
});

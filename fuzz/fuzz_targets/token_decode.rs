#![no_main]
//! Token decoding and verification never panic, whatever the bytes.
use chrono::DateTime;
use libfuzzer_sys::fuzz_target;
use replytrack::token::{KeyId, Keyring, ReplyToken, Secret, TokenAuthority};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(t) = ReplyToken::parse(&text) {
        // Canonical form round-trips.
        assert_eq!(ReplyToken::parse(&t.to_string()).ok(), Some(t));
    }
    let secret = Secret::from_bytes(&[7; 32]).expect("32 bytes is a valid secret");
    let key = KeyId::new(0).expect("0 is a valid key id");
    if let Ok(a) = TokenAuthority::builder(Keyring::single(key, secret)).build() {
        let secs = data.iter().fold(0i64, |acc, b| acc.wrapping_mul(31).wrapping_add(i64::from(*b)));
        let now = DateTime::from_timestamp(secs.rem_euclid(4_000_000_000), 0).unwrap_or_default();
        let _ = a.verify(&text, now);
    }
});

//! Fuzz reply extraction and HTML conversion: any bytes, as text and as HTML.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let reply = replytrack::reply::extract_text(&input);
    assert!(reply.text.len() <= input.len());
    assert!(!reply.only_quote || reply.text.is_empty());
    let _ = replytrack::reply::extract_html(&input);
    let _ = replytrack::html::html_to_text(&input);
    let _ = replytrack::reply::unflow(&input, data.first().is_some_and(|b| b & 1 == 1));
});

//! Property tests: parsing and classifying never panic, whatever the bytes.

use proptest::prelude::*;
use proptest::sample::Index;

use super::parse_tests::{ALTERNATIVE_WITH_ATTACHMENTS, DSN_WITH_MESSAGE, REPLY};
use super::*;

/// Fragments that steer mutations into the parser's interesting paths.
const TOKENS: &[&str] = &[
    "\r\n",
    "\n",
    "\n\n",
    ":",
    ";",
    "\"",
    "<",
    ">",
    "=?",
    "?=",
    "=?utf-8?q?",
    "=?x?b?",
    "=",
    "--",
    "--outer",
    "--alt--",
    "--dsn",
    " ",
    "\t",
    ">",
    "Content-Type: multipart/mixed; boundary=outer\n",
    "Content-Type: message/rfc822\n\n",
    "Content-Type: text/plain; format=flowed; delsp=yes; charset=shift_jis\n",
    "Content-Transfer-Encoding: base64\n",
    "Content-Transfer-Encoding: quoted-printable\n",
    "filename*0*=utf-8''%E2%82; filename*1*=%AC",
    "\u{e9}",
    "\u{FFFD}",
];

fn mutate(base: &str, edits: &[(Index, u8, u8, Index)]) -> Vec<u8> {
    let mut bytes = base.as_bytes().to_vec();
    for (at, op, byte, token) in edits {
        let pos = if bytes.is_empty() {
            0
        } else {
            at.index(bytes.len())
        };
        match op % 4 {
            0 => bytes.insert(pos, *byte),
            1 if !bytes.is_empty() => {
                bytes.remove(pos);
            }
            2 if !bytes.is_empty() => bytes[pos] = *byte,
            _ => {
                let token = TOKENS[token.index(TOKENS.len())].as_bytes();
                bytes.splice(pos..pos, token.iter().copied());
            }
        }
    }
    bytes
}

fn parse_and_classify(bytes: &[u8]) {
    parse_and_classify_within(bytes, &Limits::default());
}

fn parse_and_classify_within(bytes: &[u8], limits: &Limits) {
    if let Ok(msg) = InboundMessage::parse(bytes, limits) {
        let opts = ClassifyOptions {
            own_domains: vec!["app.example.com".into()],
            own_addresses: vec!["support@reply.example.com".into()],
        };
        let _ = classify(&msg, &opts);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        parse_and_classify(&bytes);
    }

    #[test]
    fn parse_never_panics_on_mutated_valid_messages(
        sample in 0usize..3,
        edits in proptest::collection::vec((any::<Index>(), any::<u8>(), any::<u8>(), any::<Index>()), 0..24),
    ) {
        let base = [REPLY, ALTERNATIVE_WITH_ATTACHMENTS, DSN_WITH_MESSAGE][sample];
        parse_and_classify(&mutate(base, &edits));
    }

    #[test]
    fn tight_limits_fail_cleanly_on_mutated_messages(
        sample in 0usize..3,
        edits in proptest::collection::vec((any::<Index>(), any::<u8>(), any::<u8>(), any::<Index>()), 0..8),
        max_parts in 1usize..6,
        max_depth in 0usize..4,
        max_headers in 0usize..20,
        max_line_len in 0usize..80,
        max_header_bytes in 0usize..400,
    ) {
        let base = [REPLY, ALTERNATIVE_WITH_ATTACHMENTS, DSN_WITH_MESSAGE][sample];
        let limits = Limits { max_bytes: 4096, max_parts, max_depth, max_headers, max_line_len, max_header_bytes };
        parse_and_classify_within(&mutate(base, &edits), &limits);
    }

    #[test]
    fn parse_never_panics_on_token_soup(
        tokens in proptest::collection::vec(any::<Index>(), 0..200),
    ) {
        let mut raw = String::from("From: a@x\nContent-Type: multipart/mixed; boundary=outer\n\n");
        for t in tokens {
            raw.push_str(TOKENS[t.index(TOKENS.len())]);
        }
        parse_and_classify(raw.as_bytes());
    }
}

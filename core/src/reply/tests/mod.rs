//! Behaviour tests for reply extraction, by topic.

mod attribution;
mod html;
mod inline;
mod outlook;
mod props;
mod signature;

use super::{CutKind, Reply, extract_html, extract_text};

/// Extract from text and check the reply text and that something was quoted.
#[track_caller]
fn assert_reply(input: &str, expected: &str) -> Reply {
    let reply = extract_text(input);
    assert_eq!(reply.text, expected, "input:\n{input}");
    reply
}

/// Extract from HTML and check the reply text.
#[track_caller]
fn assert_html_reply(input: &str, expected: &str) -> Reply {
    let reply = extract_html(input);
    assert_eq!(reply.text, expected, "input:\n{input}");
    reply
}

#[test]
fn plain_message_without_quote_is_kept_whole() {
    let r = assert_reply(
        "Hello,\n\nAre you open on Sunday?\n",
        "Hello,\n\nAre you open on Sunday?",
    );
    assert_eq!(r.quoted, None);
    assert_eq!(r.cut_by, None);
    assert!(!r.only_quote);
}

#[test]
fn crlf_is_normalised_and_text_trimmed() {
    let r = assert_reply(
        "\r\n  Yes please.\r\n\r\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\r\n> Want one?\r\n",
        "Yes please.",
    );
    assert_eq!(
        r.quoted.as_deref(),
        Some("On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n> Want one?")
    );
}

#[test]
fn empty_input_gives_empty_reply() {
    assert_eq!(extract_text(""), Reply::default());
    assert_eq!(extract_html(""), Reply::default());
}

#[test]
fn format_agnostic_same_reply_from_text_and_html() {
    let text = "Sounds good, see you then.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie Dupont <marie@example.fr> wrote:\n> Shall we meet at 3?\n";
    let html = r#"<div dir="ltr">Sounds good, see you then.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Mar 3, 2025 at 10:12 AM Marie Dupont &lt;<a href="mailto:marie@example.fr">marie@example.fr</a>&gt; wrote:<br></div><blockquote class="gmail_quote">Shall we meet at 3?</blockquote></div>"#;
    let a = extract_text(text);
    let b = extract_html(html);
    assert_eq!(a.text, b.text);
    assert_eq!(a.quoted, b.quoted);
}

#[test]
fn cut_kind_is_reported() {
    let r = extract_text("Ok\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n> a\n");
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
}

//! Property tests: extraction never panics and never invents text.

use proptest::prelude::*;

use crate::html::html_to_text;
use crate::reply::{extract_html, extract_text};

/// Pieces that steer the extractor into its rules.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n".to_string()),
        Just("> quoted line\n".to_string()),
        Just(">> deeper\n".to_string()),
        Just("From: Marie <m@x.fr>\nSent: Monday\nTo: Paul\nSubject: x\n".to_string()),
        Just("---------- Forwarded message ---------\n".to_string()),
        Just("-- \n".to_string()),
        Just("Sent from my iPhone\n".to_string()),
        Just("Cordialement,\nMarie Dupont\n+33 1 23 45 67 89\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        "[a-zA-Zéà ,.:>@<-]{0,40}\n",
        "\\PC{0,20}",
    ]
}

fn html_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<div class=\"gmail_quote\">".to_string()),
        Just("<blockquote type=\"cite\">".to_string()),
        Just("</blockquote>".to_string()),
        Just("<div id=\"divRplyFwdMsg\">".to_string()),
        Just("<br>".to_string()),
        Just("</div>".to_string()),
        Just("<a href=\"https://x.example\">".to_string()),
        Just("</a>".to_string()),
        Just("&nbsp;&amp;&#x41;&bogus;".to_string()),
        Just("<style>p{}</style>".to_string()),
        Just("<!-- c -->".to_string()),
        "[a-z<>/=\"' &;#]{0,30}",
        "\\PC{0,20}",
    ]
}

/// Characters of `s`, ignoring whitespace and quote markers.
fn letters(s: &str) -> usize {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '>')
        .count()
}

proptest! {
    #[test]
    fn extract_text_never_panics_and_never_grows(parts in prop::collection::vec(fragment(), 0..20)) {
        let input: String = parts.concat();
        let r = extract_text(&input);
        prop_assert!(r.text.len() <= input.len());
        prop_assert!(letters(&r.text) <= letters(&input));
        prop_assert_eq!(r.text.trim(), r.text.as_str());
        prop_assert!(!r.text.contains('\r'));
        prop_assert!(!r.only_quote || r.text.is_empty());
    }

    #[test]
    fn extract_text_never_panics_on_any_string(input in "\\PC*") {
        let r = extract_text(&input);
        prop_assert!(r.text.len() <= input.len());
    }

    #[test]
    fn extract_html_never_panics_and_never_grows(parts in prop::collection::vec(html_fragment(), 0..20)) {
        let input: String = parts.concat();
        let r = extract_html(&input);
        let rendered = html_to_text(&input);
        prop_assert!(letters(&r.text) <= letters(&rendered));
    }

    #[test]
    fn html_to_text_never_panics_on_any_string(input in "\\PC*") {
        let _ = html_to_text(&input);
    }
}

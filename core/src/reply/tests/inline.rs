//! Inline (interleaved) answers, bottom-posting, and quote-only replies.

use super::assert_reply;
use crate::reply::{CutKind, extract_text};

#[test]
fn inline_answers_keep_their_quoted_context() {
    let input = "\
Hi Marie,

On Mon, Mar 3, 2025 at 10:12 AM Marie Dupont <marie@example.fr> wrote:
> Can you deliver on Tuesday?

Yes, before noon.

> And do you take cards?

Yes, Visa and Mastercard.

> Thanks,
> Marie
>
> Marie Dupont | ACME
";
    let r = assert_reply(
        input,
        "Hi Marie,\n\n> Can you deliver on Tuesday?\n\nYes, before noon.\n\n> And do you take cards?\n\nYes, Visa and Mastercard.",
    );
    assert_eq!(r.cut_by, Some(CutKind::Inline));
    let quoted = r.quoted.unwrap_or_default();
    assert!(quoted.starts_with("On Mon, Mar 3, 2025"));
    assert!(quoted.ends_with("> Marie Dupont | ACME"));
    assert!(!quoted.contains("Yes, before noon."));
}

#[test]
fn inline_answers_without_greeting_start_at_the_first_quoted_line() {
    let input = "\
On 3 Mar 2025, at 10:12, Marie <m@x.fr> wrote:
> 1. Size?
M
> 2. Colour?
Blue
> 3. Anything else?
";
    let r = assert_reply(input, "> 1. Size?\nM\n> 2. Colour?\nBlue");
    assert_eq!(r.cut_by, Some(CutKind::Inline));
    assert!(!r.only_quote);
}

#[test]
fn nested_quotes_in_inline_context_are_kept_as_they_are() {
    let input = "\
Le 3 mars 2025 à 10:12, Marie <m@x.fr> a écrit :
> Le 2 mars 2025 à 09:00, Paul <p@x.fr> a écrit :
>> Prix ?
> 10 euros.
D'accord.
> Livraison ?
Demain.
";
    assert_reply(
        input,
        "> Le 2 mars 2025 à 09:00, Paul <p@x.fr> a écrit :\n>> Prix ?\n> 10 euros.\nD'accord.\n> Livraison ?\nDemain.",
    );
}

#[test]
fn bottom_posted_answer_is_kept_alone() {
    let input = "\
On Mon, Mar 3, 2025 at 10:12 AM Marie Dupont <marie@example.fr> wrote:
> Can you deliver on Tuesday?
> Thanks, Marie

Yes, Tuesday before noon is fine.

Paul
";
    let r = assert_reply(input, "Yes, Tuesday before noon is fine.\n\nPaul");
    assert_eq!(r.cut_by, Some(CutKind::BottomPost));
    assert_eq!(
        r.quoted.as_deref(),
        Some(
            "On Mon, Mar 3, 2025 at 10:12 AM Marie Dupont <marie@example.fr> wrote:\n> Can you deliver on Tuesday?\n> Thanks, Marie"
        )
    );
}

#[test]
fn bottom_posted_answer_with_signature_moves_the_signature() {
    let input = "\
Am 03.03.2025 um 10:12 schrieb Max <max@example.de>:
> Passt Dienstag?

Ja, Dienstag passt.

-- 
Paul Martin
ACME GmbH
";
    let r = assert_reply(input, "Ja, Dienstag passt.");
    assert_eq!(r.signature.as_deref(), Some("--\nPaul Martin\nACME GmbH"));
}

#[test]
fn footer_below_the_quote_is_not_an_answer() {
    let input = "\
Ok for me.

On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:
> Tuesday?

Sent from my iPhone
";
    let r = assert_reply(input, "Ok for me.");
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
}

#[test]
fn only_quote_gives_empty_text() {
    let r = extract_text("On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n>\n> Hello?\n>\n");
    assert_eq!(r.text, "");
    assert!(r.only_quote);
    assert!(r.quoted.is_some());
}

#[test]
fn only_quote_html_gives_empty_text() {
    let r = crate::reply::extract_html(
        r#"<div class="gmail_quote"><div class="gmail_attr">On Mon, Mar 3, 2025 at 10:12 AM Marie &lt;m@x.fr&gt; wrote:</div><blockquote class="gmail_quote">Hello?</blockquote></div>"#,
    );
    assert_eq!(r.text, "");
    assert!(r.only_quote);
}

#[test]
fn a_hundred_thousand_quote_lines_are_handled() {
    let mut input =
        String::from("Top answer.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n");
    for i in 0..100_000 {
        input.push_str(&format!("> line {i}\n"));
    }
    let r = assert_reply(&input, "Top answer.");
    assert_eq!(r.quoted.map(|q| q.lines().count()), Some(100_001));
}

#[test]
fn quoted_lines_without_attribution_at_the_end_stay_text() {
    // No attribution: the `>` lines are the person's own (a pasted log, a citation).
    let input = "Look at this error:\n> connection refused\n> retrying in 5s";
    assert_reply(input, input);
}

#[test]
fn mailing_list_footer_below_the_quote_is_not_an_answer() {
    let input = "\
Fixed in the next release.

On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:
> The export fails.

_______________________________________________
users mailing list
users@lists.example.org
https://lists.example.org/listinfo/users
";
    let r = assert_reply(input, "Fixed in the next release.");
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
}

#[test]
fn signature_below_the_quoted_tail_of_inline_answers_is_the_signature() {
    let input = "\
Le 03/03/2025 à 10:12, Claire Martin a écrit :
> Comme convenu :
> - 12 licences

Nous serons plutôt 14.

> - engagement annuel

Est-il possible de payer mensuellement ?

>
> Claire Martin
> Kalendo

-- 
Olivier Garnier
Garnier Immobilier
";
    let r = assert_reply(
        input,
        "> Comme convenu :\n> - 12 licences\n\nNous serons plutôt 14.\n\n> - engagement annuel\n\nEst-il possible de payer mensuellement ?",
    );
    assert_eq!(r.cut_by, Some(CutKind::Inline));
    assert_eq!(
        r.signature.as_deref(),
        Some("--\nOlivier Garnier\nGarnier Immobilier")
    );
    assert!(r.quoted.is_some_and(|q| q.ends_with("> Kalendo")));
}

#[test]
fn signature_below_a_bottom_posted_answer_and_its_quote_is_the_signature() {
    let input = "On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n> Tuesday?\n\nTuesday is fine.\n\n> See you\n\n-- \nPaul Martin\n";
    let r = assert_reply(input, "Tuesday is fine.");
    assert_eq!(r.cut_by, Some(CutKind::BottomPost));
    assert_eq!(r.signature.as_deref(), Some("--\nPaul Martin"));
    let quoted = r.quoted.unwrap_or_default();
    assert!(
        quoted.starts_with("On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n> Tuesday?")
    );
    assert!(quoted.ends_with("> See you"));
}

#[test]
fn signature_under_a_top_posted_answer_s_quote_is_no_answer() {
    // Thunderbird can place the signature below the quote: it is not an inline answer.
    let input = "Yes, Tuesday.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n> Tuesday?\n\n-- \nPaul Martin\nACME\n";
    let r = assert_reply(input, "Yes, Tuesday.");
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
    assert_eq!(r.signature.as_deref(), Some("--\nPaul Martin\nACME"));
    assert!(r.quoted.is_some_and(|q| q.ends_with("> Tuesday?")));
}

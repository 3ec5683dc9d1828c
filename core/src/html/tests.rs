use super::*;

#[test]
fn block_elements_and_br_start_lines() {
    assert_eq!(
        html_to_text("<p>One</p><p>Two<br>Three</p><div>Four</div>Five"),
        "One\nTwo\nThree\nFour\nFive"
    );
}

#[test]
fn gmail_empty_div_is_a_blank_line() {
    assert_eq!(
        html_to_text("<div dir=\"ltr\"><div>Hi,</div><div><br></div><div>Thanks</div></div>"),
        "Hi,\n\nThanks"
    );
}

#[test]
fn empty_block_is_a_blank_line() {
    assert_eq!(html_to_text("<p>a</p><p></p><p>b</p>"), "a\n\nb");
}

#[test]
fn outlook_nbsp_paragraph_is_a_blank_line() {
    let html = "<p class=MsoNormal>Bonjour,<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>\
                <p class=MsoNormal>Merci<o:p></o:p></p>";
    assert_eq!(html_to_text(html), "Bonjour,\n\nMerci");
}

#[test]
fn whitespace_collapses_like_a_browser() {
    assert_eq!(
        html_to_text("<p>  Hello \n\t  <b> big </b>\n world  </p>"),
        "Hello big world"
    );
}

#[test]
fn nbsp_is_a_space_that_does_not_collapse() {
    assert_eq!(html_to_text("a&nbsp;&nbsp;b"), "a  b");
}

#[test]
fn entities_are_decoded() {
    assert_eq!(
        html_to_text("Caf&eacute; &amp; cr&#232;me &lt;ok&gt; &#x1F600;"),
        "Café & crème <ok> 😀"
    );
}

#[test]
fn blockquotes_become_prefixed_lines_and_nest() {
    let html = "<div>Reply</div><blockquote>Quoted<br>two<blockquote>inner</blockquote>\
                back</blockquote>after";
    assert_eq!(
        html_to_text(html),
        "Reply\n> Quoted\n> two\n> > inner\n> back\nafter"
    );
}

#[test]
fn blank_line_inside_blockquote_keeps_its_marker() {
    assert_eq!(
        html_to_text("<blockquote><div>a</div><div><br></div><div>b</div></blockquote>"),
        "> a\n>\n> b"
    );
}

#[test]
fn links_keep_their_target_when_the_text_differs() {
    assert_eq!(
        html_to_text(r#"See <a href="https://example.com/doc?a=1&amp;b=2">the doc</a>."#),
        "See the doc <https://example.com/doc?a=1&b=2>."
    );
}

#[test]
fn links_whose_text_is_the_url_are_not_repeated() {
    assert_eq!(
        html_to_text(r#"<a href="https://www.example.com/">www.example.com</a>"#),
        "www.example.com"
    );
    assert_eq!(
        html_to_text(r#"Marie &lt;<a href="mailto:marie@example.fr">marie@example.fr</a>&gt;"#),
        "Marie <marie@example.fr>"
    );
}

#[test]
fn mailto_link_with_a_name_shows_the_address() {
    assert_eq!(
        html_to_text(r#"<a href="mailto:marie@example.fr?subject=x">Marie</a>"#),
        "Marie <marie@example.fr>"
    );
}

#[test]
fn head_style_script_and_hidden_elements_are_dropped() {
    let html = "<html><head><title>T</title><style>p{color:red}</style></head>\
                <body><script>alert(1)</script><span style=\"display: none\">preheader</span>\
                <p>Visible</p></body></html>";
    assert_eq!(html_to_text(html), "Visible");
}

#[test]
fn lists_get_bullets_and_numbers() {
    assert_eq!(
        html_to_text("<ul><li>a</li><li>b</li></ul><ol><li>x</li><li>y</li></ol>"),
        "- a\n- b\n1. x\n2. y"
    );
}

#[test]
fn table_cells_are_separated_and_rows_are_lines() {
    assert_eq!(
        html_to_text("<table><tr><td>Tel:</td><td>+33 1 23</td></tr><tr><td>Web</td></tr></table>"),
        "Tel: +33 1 23\nWeb"
    );
}

#[test]
fn pre_keeps_whitespace_and_newlines() {
    assert_eq!(html_to_text("<pre>a  b\n  c</pre>"), "a  b\n  c");
}

#[test]
fn lines_are_never_wrapped() {
    let long = "word ".repeat(200);
    let text = html_to_text(&format!("<p>{long}</p>"));
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn gmail_quote_container_is_marked_on_the_attribution_line() {
    let html = r#"<div dir="ltr">Thanks!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Mar 3, 2025 at 10:12 AM Marie &lt;<a href="mailto:m@x.fr">m@x.fr</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Question?</blockquote></div>"#;
    let lines = html_to_lines(html);
    let first = lines.iter().find(|l| l.container.is_some());
    assert_eq!(first.and_then(|l| l.container), Some(QuoteContainer::Gmail));
    assert!(first.is_some_and(|l| l.text.starts_with("On Mon, Mar 3")));
    assert_eq!(lines.last().map(|l| l.depth), Some(1));
}

#[test]
fn blockquote_with_a_left_quote_bar_is_a_quote_container() {
    let html = r#"<div>Oui.</div><blockquote style="margin-left:5px; border-left: 2px solid #ff6600"><div>Message du 03/03/25</div></blockquote>"#;
    let lines = html_to_lines(html);
    let first = lines.iter().find(|l| l.container.is_some());
    assert_eq!(first.and_then(|l| l.container), Some(QuoteContainer::Other));
    assert_eq!(first.map(|l| l.text.as_str()), Some("Message du 03/03/25"));
}

#[test]
fn indented_blockquote_without_a_bar_is_no_container() {
    // Gmail's "indent" button, and a bare blockquote the author typed.
    for html in [
        r#"<div>See:</div><blockquote style="margin:0 0 0 40px;border:none;padding:0px"><div>x</div></blockquote>"#,
        r#"<div>See:</div><blockquote style="border-left:none"><div>x</div></blockquote>"#,
        r#"<div>See:</div><blockquote><div>x</div></blockquote>"#,
    ] {
        let lines = html_to_lines(html);
        assert!(lines.iter().all(|l| l.container.is_none()), "{html}");
        assert_eq!(lines.last().map(|l| l.depth), Some(1));
    }
}

#[test]
fn outlook_appendonsend_marker_moves_to_the_next_line() {
    let html = r#"<div>Yes.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg"><b>From:</b> Marie</div>"#;
    let lines = html_to_lines(html);
    let first = lines.iter().find(|l| l.container.is_some());
    assert_eq!(
        first.and_then(|l| l.container),
        Some(QuoteContainer::OutlookAppendOnSend)
    );
    assert_eq!(first.map(|l| l.text.as_str()), Some("From: Marie"));
}

#[test]
fn malformed_html_degrades_to_text() {
    // A stray `</p>` is an empty paragraph to a browser: it breaks the line.
    assert_eq!(html_to_text("a <b>b</i> c</div></p> <"), "a b c\n<");
    assert_eq!(html_to_text("<div"), "");
    assert_eq!(html_to_text("</blockquote>x"), "x");
}

#[test]
fn deep_nesting_is_bounded_and_linear() {
    let html = "<blockquote>".repeat(10_000) + "deep" + &"</blockquote>".repeat(10_000);
    let text = html_to_text(&html);
    assert!(text.ends_with("deep"));
    assert!(text.len() < 2 * MAX_RENDERED_QUOTE_DEPTH + 10);
}

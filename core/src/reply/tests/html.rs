//! HTML-aware cutting, by client.

use super::assert_html_reply;
use crate::html::QuoteContainer;
use crate::message::InboundMessage;
use crate::reply::{CutKind, extract};

#[test]
fn gmail_quote_is_cut() {
    let html = r#"<div dir="ltr"><div>Yes, Tuesday works.</div><div><br></div><div>Paul</div></div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">Le lun. 3 mars 2025 à 10:12, Marie &lt;<a href="mailto:m@x.fr">m@x.fr</a>&gt; a écrit&nbsp;:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir="ltr">Mardi ?</div></blockquote></div>"#;
    let r = assert_html_reply(html, "Yes, Tuesday works.\n\nPaul");
    assert_eq!(
        r.cut_by,
        Some(CutKind::HtmlContainer(QuoteContainer::Gmail))
    );
    assert_eq!(
        r.quoted.as_deref(),
        Some("Le lun. 3 mars 2025 à 10:12, Marie <m@x.fr> a écrit :\n> Mardi ?")
    );
}

#[test]
fn apple_mail_blockquote_cite_is_cut() {
    let html = r#"<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto"><div dir="ltr">Parfait, merci !</div><div dir="ltr"><br><blockquote type="cite">Le 3 mars 2025 à 10:12, Marie Dupont &lt;marie@example.fr&gt; a écrit&nbsp;:<br><br></blockquote></div><blockquote type="cite"><div dir="ltr">Bonjour, c'est bon pour mardi ?</div></blockquote></body></html>"#;
    let r = assert_html_reply(html, "Parfait, merci !");
    assert_eq!(
        r.cut_by,
        Some(CutKind::HtmlContainer(QuoteContainer::BlockquoteCite))
    );
}

#[test]
fn thunderbird_moz_cite_prefix_is_cut() {
    let html = r#"<html><body><p>Danke, passt.</p><div class="moz-cite-prefix">Am 03.03.25 um 10:12 schrieb Max Mustermann:<br></div><blockquote type="cite" cite="mid:abc@example.de">Passt Dienstag?</blockquote></body></html>"#;
    let r = assert_html_reply(html, "Danke, passt.");
    assert_eq!(
        r.cut_by,
        Some(CutKind::HtmlContainer(QuoteContainer::Thunderbird))
    );
}

#[test]
fn outlook_web_divrplyfwdmsg_is_cut() {
    let html = r#"<html><body><div style="font-family:Calibri">Bien reçu, merci.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri" style="font-size:11pt"><b>De&nbsp;:</b> Marie Dupont &lt;marie@example.fr&gt;<br><b>Envoyé&nbsp;:</b> lundi 3 mars 2025 10:12<br><b>À&nbsp;:</b> Paul<br><b>Objet&nbsp;:</b> Commande</font><div>&nbsp;</div></div><div>Bonjour Paul, ...</div></body></html>"#;
    let r = assert_html_reply(html, "Bien reçu, merci.");
    assert_eq!(
        r.cut_by,
        Some(CutKind::HtmlContainer(QuoteContainer::OutlookAppendOnSend))
    );
    assert!(r.quoted.is_some_and(|q| q.starts_with("De : Marie Dupont")));
}

#[test]
fn outlook_desktop_border_top_separator_is_cut() {
    let html = r#"<div class="WordSection1"><p class="MsoNormal">Passt so.<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>Von:</b> Max Mustermann &lt;max@example.de&gt; <br><b>Gesendet:</b> Montag, 3. März 2025 10:12<br><b>An:</b> Paul Martin &lt;paul@example.com&gt;<br><b>Betreff:</b> Bestellung<o:p></o:p></p></div></div><p class="MsoNormal">Hallo Paul<o:p></o:p></p></div>"#;
    let r = assert_html_reply(html, "Passt so.");
    assert_eq!(r.cut_by, Some(CutKind::OutlookHeader));
}

#[test]
fn border_top_without_header_block_is_not_a_cut() {
    let html = r#"<p>Thanks!</p><div style="border-top:solid #ccc 1px">Paul Martin<br>ACME</div>"#;
    let r = crate::reply::extract_html(html);
    assert_eq!(r.cut_by, None);
    assert!(r.text.starts_with("Thanks!"));
}

#[test]
fn yahoo_quoted_is_cut() {
    let html = r#"<html><body><div class="ydp1234yahoo-style-wrap"><div>Sure, send it over.</div></div><div id="yahoo_quoted_5678" class="yahoo_quoted"><div style="font-family:Helvetica"><div>On Monday, March 3, 2025, 10:12:05 AM GMT+1, Marie Dupont &lt;marie@example.fr&gt; wrote:</div><div><br></div><div><div>Can I send the file?</div></div></div></div></body></html>"#;
    let r = assert_html_reply(html, "Sure, send it over.");
    assert_eq!(
        r.cut_by,
        Some(CutKind::HtmlContainer(QuoteContainer::Yahoo))
    );
}

#[test]
fn gmail_inline_answers_in_html_keep_context() {
    let html = r#"<div dir="ltr">Hi Marie, answers below.</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Mar 3, 2025 at 10:12 AM Marie &lt;m@x.fr&gt; wrote:<br></div><blockquote class="gmail_quote">Size?</blockquote><div>M</div><blockquote class="gmail_quote">Colour?</blockquote><div>Blue</div><blockquote class="gmail_quote">Thanks</blockquote></div>"#;
    let r = assert_html_reply(
        html,
        "Hi Marie, answers below.\n\n> Size?\nM\n> Colour?\nBlue",
    );
    assert_eq!(r.cut_by, Some(CutKind::Inline));
}

#[test]
fn html_gt_in_prose_is_text_not_a_quote() {
    let html = "<div>&gt; 100 items were shipped</div><div>Thanks</div>";
    let r = assert_html_reply(html, "> 100 items were shipped\nThanks");
    assert_eq!(r.quoted, None);
}

#[test]
fn message_prefers_html_when_text_part_shows_no_quote() {
    let msg = InboundMessage {
        text_body: Some("Sure.\n\nSomething nobody recognises:\nold text\n".into()),
        html_body: Some(
            r#"<div>Sure.</div><div class="gmail_quote">Something nobody recognises:<br>old text</div>"#.into(),
        ),
        ..InboundMessage::default()
    };
    let r = extract(&msg);
    assert_eq!(r.text, "Sure.");
    assert_eq!(
        r.cut_by,
        Some(CutKind::HtmlContainer(QuoteContainer::Gmail))
    );
}

#[test]
fn message_uses_text_part_when_it_shows_the_quote() {
    let msg = InboundMessage {
        text_body: Some(
            "Sure.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n> Ok?\n".into(),
        ),
        html_body: Some(r#"<div>Sure <b>thing</b>.</div><div class="gmail_quote">x</div>"#.into()),
        ..InboundMessage::default()
    };
    assert_eq!(extract(&msg).text, "Sure.");
}

#[test]
fn message_with_text_from_html_uses_the_html() {
    let msg = InboundMessage {
        text_body: Some("Yes.\nSomething:\nold".into()),
        text_from_html: true,
        html_body: Some(
            r#"<div>Yes.</div><div class="yahoo_quoted">Something:<br>old</div>"#.into(),
        ),
        ..InboundMessage::default()
    };
    assert_eq!(extract(&msg).text, "Yes.");
}

#[test]
fn message_with_only_text_uses_it() {
    let msg = InboundMessage {
        text_body: Some("Yes.\n\nMarie wrote:\n> ok?".into()),
        ..InboundMessage::default()
    };
    assert_eq!(extract(&msg).text, "Yes.");
}

#[test]
fn html_links_and_entities_survive_in_the_reply() {
    let html =
        r#"<div>Voir <a href="https://example.com/suivi">le suivi</a> &amp; merci&nbsp;!</div>"#;
    assert_html_reply(html, "Voir le suivi <https://example.com/suivi> & merci !");
}

#[test]
fn trailing_blockquote_with_a_quote_bar_and_no_attribution_is_cut() {
    let html = r#"<div dir="ltr"><div>Hola Javier:</div><div><br></div><div>Me gustaría contratar el plan anual.</div><div><br></div><div>Un saludo,</div><div>Rocío</div><br><blockquote style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex"><div>Hola Rocío:</div><div>¿Cómo va tu prueba?</div></blockquote></div>"#;
    let r = assert_html_reply(
        html,
        "Hola Javier:\n\nMe gustaría contratar el plan anual.\n\nUn saludo,\nRocío",
    );
    assert_eq!(
        r.cut_by,
        Some(CutKind::HtmlContainer(QuoteContainer::Other))
    );
    assert!(r.quoted.is_some_and(|q| q.starts_with("> Hola Rocío:")));
}

#[test]
fn orange_webmail_quote_is_cut_with_its_header_lines() {
    let html = r#"<div>Je voudrais annuler mon abonnement.</div><div><br></div><div>Cordialement,</div><div>Gérard Blanc</div><div><br></div><blockquote style="margin-left:5px;padding-left:5px;border-left:2px solid #ff6600"><div>Message du 03/03/25 10:12</div><div>De : &quot;Claire Martin&quot; &lt;claire@example.com&gt;</div><div>A : gerard@orange.fr</div><div>Objet : Votre essai</div><div><br></div><div>Bonjour Gérard,</div></blockquote>"#;
    let r = assert_html_reply(
        html,
        "Je voudrais annuler mon abonnement.\n\nCordialement,\nGérard Blanc",
    );
    assert!(
        r.quoted
            .is_some_and(|q| q.starts_with("> Message du 03/03/25 10:12"))
    );
    assert_eq!(r.signature, None);
}

#[test]
fn a_passage_quoted_with_a_bar_in_the_middle_of_the_text_is_kept() {
    let html = r#"<div>You wrote in the contract:</div><blockquote style="border-left:2px solid #ccc"><div>Payment within 30 days.</div></blockquote><div>Can we make it 45?</div>"#;
    assert_html_reply(
        html,
        "You wrote in the contract:\n> Payment within 30 days.\nCan we make it 45?",
    );
}

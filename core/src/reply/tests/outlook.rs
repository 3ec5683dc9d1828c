//! Outlook header blocks in each language, "Original Message" lines, rules, and forwards.

use super::assert_reply;
use crate::reply::{CutKind, extract_text};

#[track_caller]
fn assert_header_cut(answer: &str, block: &str) {
    let input = format!("{answer}\n\n{block}\n\nBonjour,\nMerci de confirmer.\n");
    let r = assert_reply(&input, answer);
    assert_eq!(r.cut_by, Some(CutKind::OutlookHeader));
    let first = block.lines().next().unwrap_or_default();
    assert!(r.quoted.is_some_and(|q| q.starts_with(first)));
}

#[test]
fn outlook_english_header_block_is_cut() {
    assert_header_cut(
        "Confirmed, thanks.",
        "From: Marie Dupont <marie@example.fr>\nSent: Monday, March 3, 2025 10:12 AM\nTo: Paul Martin <paul@example.com>\nSubject: RE: Order 1234",
    );
}

#[test]
fn outlook_header_block_with_original_message_line_is_cut_at_that_line() {
    assert_header_cut(
        "Confirmed.",
        "-----Original Message-----\nFrom: Marie Dupont [mailto:marie@example.fr]\nSent: Monday, March 3, 2025 10:12 AM\nTo: Paul Martin\nSubject: RE: Order 1234",
    );
}

#[test]
fn outlook_web_header_block_under_an_underscore_rule_is_cut_at_the_rule() {
    assert_header_cut(
        "Confirmed.",
        "________________________________\nFrom: Marie Dupont <marie@example.fr>\nSent: Monday, March 3, 2025 10:12\nTo: Paul Martin <paul@example.com>\nSubject: Order 1234",
    );
}

#[test]
fn outlook_french_header_block_is_cut() {
    assert_header_cut(
        "C'est noté, merci.",
        "De : Marie Dupont <marie@example.fr>\nEnvoyé : lundi 3 mars 2025 10:12\nÀ : Paul Martin <paul@example.com>\nObjet : RE: Commande 1234",
    );
}

#[test]
fn outlook_spanish_header_block_is_cut() {
    assert_header_cut(
        "Perfecto, gracias.",
        "De: Juan García <juan@ejemplo.es>\nEnviado el: lunes, 3 de marzo de 2025 10:12\nPara: Paul Martin <paul@example.com>\nAsunto: RE: Pedido 1234",
    );
}

#[test]
fn outlook_portuguese_header_block_is_cut() {
    assert_header_cut(
        "Perfeito, obrigado.",
        "De: Ana Souza <ana@exemplo.com.br>\nEnviado: segunda-feira, 3 de março de 2025 10:12\nPara: Paul Martin <paul@example.com>\nAssunto: RE: Pedido 1234",
    );
}

#[test]
fn outlook_german_header_block_is_cut() {
    assert_header_cut(
        "Passt, danke.",
        "Von: Max Mustermann <max@example.de>\nGesendet: Montag, 3. März 2025 10:12\nAn: Paul Martin <paul@example.com>\nBetreff: AW: Bestellung 1234",
    );
}

#[test]
fn outlook_italian_dutch_and_polish_header_blocks_are_cut() {
    assert_header_cut(
        "Va bene.",
        "Da: Marco Rossi <marco@esempio.it>\nInviato: lunedì 3 marzo 2025 10:12\nA: Paul Martin <paul@example.com>\nOggetto: R: Ordine 1234",
    );
    assert_header_cut(
        "Prima.",
        "Van: Jan de Vries <jan@voorbeeld.nl>\nVerzonden: maandag 3 maart 2025 10:12\nAan: Paul Martin <paul@example.com>\nOnderwerp: RE: Bestelling 1234",
    );
    assert_header_cut(
        "Dobrze.",
        "Od: Anna Kowalska <anna@przyklad.pl>\nWysłano: poniedziałek, 3 marca 2025 10:12\nDo: Paul Martin <paul@example.com>\nTemat: RE: Zamówienie 1234",
    );
}

#[test]
fn outlook_nordic_header_blocks_are_cut() {
    assert_header_cut(
        "Bra.",
        "Från: Erik Svensson <erik@exempel.se>\nSkickat: den 3 mars 2025 10:12\nTill: Paul Martin <paul@example.com>\nÄmne: SV: Order 1234",
    );
    assert_header_cut(
        "Fint.",
        "Fra: Mette Hansen <mette@eksempel.dk>\nSendt: 3. marts 2025 10:12\nTil: Paul Martin <paul@example.com>\nEmne: SV: Ordre 1234",
    );
}

#[test]
fn outlook_russian_and_japanese_header_blocks_are_cut() {
    assert_header_cut(
        "Хорошо.",
        "От: Иван Петров <ivan@primer.ru>\nОтправлено: 3 марта 2025 г. 10:12\nКому: Paul Martin <paul@example.com>\nТема: RE: Заказ 1234",
    );
    assert_header_cut(
        "了解しました。",
        "差出人: 田中太郎 <tanaka@example.jp>\n送信日時: 2025年3月3日 10:12\n宛先: Paul Martin <paul@example.com>\n件名: RE: 注文 1234",
    );
}

#[test]
fn bold_headers_from_html_conversion_are_cut() {
    assert_header_cut(
        "Ok.",
        "*From:* Marie Dupont <marie@example.fr>\n*Sent:* Monday, March 3, 2025 10:12 AM\n*To:* Paul\n*Subject:* Order",
    );
}

#[test]
fn wrapped_recipient_list_in_header_block_is_cut() {
    assert_header_cut(
        "Ok.",
        "From: Marie Dupont <marie@example.fr>\nSent: Monday, March 3, 2025 10:12 AM\nTo: Paul Martin <paul@example.com>; Jeanne Roux\n<jeanne@example.com>\nCc: Team <team@example.com>\nSubject: Order",
    );
}

#[test]
fn a_lone_from_line_in_prose_is_not_a_header_block() {
    let input = "From: my point of view this works.\nTo: be confirmed tomorrow.\nThanks";
    let r = assert_reply(input, input);
    assert_eq!(r.cut_by, None);
}

#[test]
fn original_message_line_alone_is_a_cut() {
    let r = assert_reply(
        "Fine.\n\n-----Ursprüngliche Nachricht-----\nHallo\n",
        "Fine.",
    );
    assert_eq!(r.cut_by, Some(CutKind::OutlookHeader));
}

#[test]
fn samsung_original_message_separator_is_a_cut() {
    assert_reply(
        "Yes.\n\n-------- Original message --------\nFrom: Marie <m@x.fr>\nDate: 03/03/2025 10:12 (GMT+01:00)\nTo: paul@example.com\nSubject: Order\n\nHello",
        "Yes.",
    );
}

#[test]
fn gmail_forward_keeps_the_text_above() {
    let r = assert_reply(
        "FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Marie <m@x.fr>\nDate: Mon, Mar 3, 2025 at 10:12 AM\nSubject: Order\nTo: <paul@example.com>\n\nHello\n",
        "FYI, see below.",
    );
    assert_eq!(r.cut_by, Some(CutKind::Forward));
}

#[test]
fn forwards_in_other_languages_keep_the_text_above() {
    for sep in [
        "---------- Message transféré ---------",
        "---------- Mensaje reenviado ---------",
        "---------- Mensagem encaminhada ---------",
        "---------- Weitergeleitete Nachricht ---------",
        "-------- Weitergeleitete Nachricht --------",
        "Begin forwarded message:",
        "Début du message réexpédié :",
        "Anfang der weitergeleiteten Nachricht:",
        "---------- Messaggio inoltrato ---------",
        "---------- Doorgestuurd bericht ---------",
        "---------- Пересланное сообщение ---------",
    ] {
        let input =
            format!("Voir ci-dessous.\n\n{sep}\nFrom: Marie <m@x.fr>\nSubject: Order\n\nHello\n");
        assert_reply(&input, "Voir ci-dessous.");
    }
}

#[test]
fn pure_forward_has_empty_text() {
    let r = extract_text(
        "---------- Forwarded message ---------\nFrom: Marie <m@x.fr>\nSubject: x\n\nHello\n",
    );
    assert_eq!(r.text, "");
    assert!(r.only_quote);
}

#[test]
fn quoted_original_message_block_is_cut() {
    let r = assert_reply(
        "Thanks!\n\n> -----Original Message-----\n> From: Paul\n> Sent: Tuesday\n> Subject: x\n>\n> Hello\n",
        "Thanks!",
    );
    assert_eq!(r.cut_by, Some(CutKind::OutlookHeader));
}

#[test]
fn quoted_header_block_opening_the_quote_is_cut() {
    assert_reply(
        "Ok.\n\n> From: Paul Martin <paul@example.com>\n> Sent: Tuesday, March 4, 2025 9:30\n> To: Bob\n> Subject: x\n>\n> Hello\n",
        "Ok.",
    );
}

#[test]
fn t_online_original_nachricht_line_is_cut_at_that_line() {
    assert_header_cut(
        "Bitte kündigen Sie mein Konto.\n\nMit freundlichen Grüßen\nBrigitte Lang",
        "----- Original Nachricht ----\nVon:     \"Jonas Becker\" <jonas@example.com>\nAn:      brigitte@t-online.de\nDatum:   03.03.2025 10:12\nBetreff: Ihr Test",
    );
    let r = extract_text(
        "Danke.\n\n\n----- Original Nachricht ----\nVon: Jonas <j@example.com>\nAn: b@t-online.de\nDatum: 03.03.2025 10:12\nBetreff: Test\n\nHallo\n",
    );
    assert_eq!(r.signature, None);
}

#[test]
fn orange_dated_intro_above_a_header_block_is_cut_at_the_intro() {
    assert_header_cut(
        "Je voudrais annuler, merci.",
        "Message du 03/03/25 10:12\nDe : \"Claire Martin\" <claire@example.com>\nA : gerard@orange.fr\nCopie à :\nObjet : Votre essai",
    );
    // Quoted, as Orange's text part writes it.
    let r = assert_reply(
        "Je voudrais annuler.\n\n> Message du 03/03/25 10:12\n> De : \"Claire\" <claire@example.com>\n> A : gerard@orange.fr\n> Objet : Votre essai\n>\n> Bonjour\n",
        "Je voudrais annuler.",
    );
    assert_eq!(r.cut_by, Some(CutKind::OutlookHeader));
    assert!(r.quoted.is_some_and(|q| q.starts_with("> Message du")));
}

#[test]
fn a_dated_intro_line_without_a_header_block_is_prose() {
    let r = extract_text("Message du 03/03/25 10:12\nJe confirme la commande.\n");
    assert_eq!(r.cut_by, None);
    assert_eq!(
        r.text,
        "Message du 03/03/25 10:12\nJe confirme la commande."
    );
}

//! Attribution lines in each language and client, also wrapped, and prose that only looks like
//! one.

use super::assert_reply;
use crate::reply::{CutKind, extract_text};

/// A top-posted reply above `attribution` and a two-line quote.
fn top_posted(answer: &str, attribution: &str) -> String {
    format!("{answer}\n\n{attribution}\n> Bonjour,\n> Pouvez-vous confirmer ?\n")
}

#[track_caller]
fn assert_cut_at(answer: &str, attribution: &str) {
    let input = top_posted(answer, attribution);
    let r = assert_reply(&input, answer);
    let quoted = r.quoted.unwrap_or_default();
    assert!(
        quoted.starts_with(attribution.lines().next().unwrap_or_default()),
        "{quoted}"
    );
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
}

#[test]
fn gmail_english_attribution_is_cut() {
    assert_cut_at(
        "Yes, confirmed.",
        "On Mon, Mar 3, 2025 at 10:12 AM Marie Dupont <marie@example.fr> wrote:",
    );
}

#[test]
fn apple_mail_english_attribution_is_cut() {
    assert_cut_at(
        "Confirmed.",
        "On 3 Mar 2025, at 10:12, Marie Dupont <marie@example.fr> wrote:",
    );
}

#[test]
fn outlook_mac_attribution_with_quoted_name_is_cut() {
    assert_cut_at(
        "Confirmed.",
        "On 3/3/25, 10:12 AM, \"Marie Dupont\" <marie@example.fr> wrote:",
    );
}

#[test]
fn yahoo_attribution_is_cut() {
    assert_cut_at(
        "Confirmed.",
        "On Monday, March 3, 2025, 10:12:05 AM GMT+1, Marie Dupont <marie@example.fr> wrote:",
    );
}

#[test]
fn thunderbird_attribution_without_address_is_cut() {
    assert_cut_at("Confirmed.", "On 03/03/2025 10:12, Marie Dupont wrote:");
}

#[test]
fn french_gmail_attribution_is_cut() {
    assert_cut_at(
        "Oui, c'est confirmé.",
        "Le lun. 3 mars 2025 à 10:12, Marie <m@x.fr> a écrit :",
    );
}

#[test]
fn french_apple_and_yahoo_attributions_are_cut() {
    assert_cut_at(
        "Oui.",
        "Le 3 mars 2025 à 10:12, Marie Dupont <marie@example.fr> a écrit :",
    );
    assert_cut_at(
        "Oui.",
        "Le lundi 3 mars 2025 à 10:12:05 UTC+1, Marie Dupont <marie@example.fr> a écrit :",
    );
}

#[test]
fn spanish_gmail_attribution_is_cut() {
    assert_cut_at(
        "Sí, confirmado.",
        "El lun, 3 mar 2025 a las 10:12, Juan (<j@x.es>) escribió:",
    );
}

#[test]
fn portuguese_brazil_gmail_attribution_is_cut() {
    assert_cut_at(
        "Sim, confirmado.",
        "Em seg., 3 de mar. de 2025 às 10:12, Ana <a@x.br> escreveu:",
    );
}

#[test]
fn portuguese_portugal_gmail_attribution_is_cut() {
    assert_cut_at(
        "Sim, confirmado.",
        "Ana Silva <ana@exemplo.pt> escreveu no dia segunda, 3/03/2025 à(s) 10:12:",
    );
}

#[test]
fn german_gmail_and_apple_attributions_are_cut() {
    assert_cut_at(
        "Ja, passt.",
        "Am Mo., 3. März 2025 um 10:12 Uhr schrieb Max <m@x.de>:",
    );
    assert_cut_at(
        "Ja, passt.",
        "Am 03.03.2025 um 10:12 schrieb Max Mustermann <max@example.de>:",
    );
}

#[test]
fn german_name_first_attribution_is_cut() {
    assert_cut_at(
        "Ja, passt.",
        "Max Mustermann <max@example.de> schrieb am 03.03.2025 10:12:",
    );
}

#[test]
fn italian_gmail_attribution_is_cut() {
    assert_cut_at(
        "Sì, confermato.",
        "Il giorno lun 3 mar 2025 alle ore 10:12 Marco Rossi <marco@esempio.it> ha scritto:",
    );
}

#[test]
fn dutch_gmail_attribution_is_cut() {
    assert_cut_at(
        "Ja, bevestigd.",
        "Op ma 3 mrt 2025 om 10:12 schreef Jan de Vries <jan@voorbeeld.nl>:",
    );
}

#[test]
fn polish_gmail_attribution_is_cut() {
    assert_cut_at(
        "Tak, potwierdzam.",
        "pon., 3 mar 2025 o 10:12 Anna Kowalska <anna@przyklad.pl> napisał(a):",
    );
}

#[test]
fn swedish_danish_and_norwegian_attributions_are_cut() {
    assert_cut_at(
        "Ja, det stämmer.",
        "Den mån 3 mars 2025 kl 10:12 skrev Erik <erik@exempel.se>:",
    );
    assert_cut_at(
        "Ja, det passer.",
        "Den man. 3. mar. 2025 kl. 10.12 skrev Mette <mette@eksempel.dk>:",
    );
    assert_cut_at(
        "Ja, det stemmer.",
        "man. 3. mar. 2025 kl. 10:12 skrev Ola Nordmann <ola@eksempel.no>:",
    );
}

#[test]
fn russian_attributions_with_and_without_verb_are_cut() {
    assert_cut_at(
        "Да, подтверждаю.",
        "пн, 3 мар. 2025 г. в 10:12, Иван <ivan@primer.ru>:",
    );
    assert_cut_at(
        "Да, подтверждаю.",
        "3 марта 2025 г., в 10:12, Иван Петров <ivan@primer.ru> написал(а):",
    );
}

#[test]
fn japanese_attributions_are_cut() {
    assert_cut_at(
        "承知しました。",
        "2025年3月3日(月) 10:12 田中太郎 <tanaka@example.jp>:",
    );
    assert_cut_at(
        "承知しました。",
        "2025/03/03 10:12、田中太郎 <tanaka@example.jp>のメール:",
    );
}

#[test]
fn attribution_wrapped_over_two_lines_is_cut() {
    let input = "Sounds good.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie Dupont <marie.dupont@example.fr>\nwrote:\n> Is Tuesday fine?\n";
    let r = assert_reply(input, "Sounds good.");
    assert!(r.quoted.is_some_and(|q| q.starts_with("On Mon, Mar 3")));
}

#[test]
fn attribution_wrapped_over_three_lines_is_cut() {
    let input = "Sounds good.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie-Christine Dupont-Lefebvre\n<marie-christine.dupont-lefebvre@example.fr>\nwrote:\n> Is Tuesday fine?\n";
    let r = assert_reply(input, "Sounds good.");
    assert!(r.quoted.is_some_and(|q| q.starts_with("On Mon, Mar 3")));
}

#[test]
fn sentence_above_a_wrapped_attribution_stays() {
    let input = "Thanks for the update.\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <marie@example.fr>\nwrote:\n> Update\n";
    assert_reply(input, "Thanks for the update.");
}

#[test]
fn attribution_with_a_blank_line_before_the_quote_is_cut() {
    let input = "Ok.\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n\n> Is that ok?\n";
    assert_reply(input, "Ok.");
}

#[test]
fn short_name_attribution_before_a_quote_is_cut() {
    assert_reply("Yes.\n\nMarie Dupont wrote:\n> Coming?\n", "Yes.");
}

#[test]
fn prose_ending_in_wrote_is_not_an_attribution() {
    let input = "Here is what the customer wrote:\nthe delivery was late twice.\nCan you check?\n";
    let r = assert_reply(input, input.trim());
    assert_eq!(r.cut_by, None);
}

#[test]
fn prose_wrote_before_a_quote_without_name_shape_is_kept() {
    let input = "This is what our supplier wrote:\n> prices go up in May\nWhat do you think?";
    let r = assert_reply(input, input);
    assert_eq!(r.cut_by, None);
}

#[test]
fn prose_with_a_date_and_wrote_followed_by_prose_is_kept() {
    let input = "On Monday 3 March my manager wrote:\nwe need two more licences.\nThanks!";
    assert_reply(input, input);
}

#[test]
fn angle_bracket_line_in_prose_without_attribution_is_kept() {
    let input = "The result was\n> 100 items\nwhich is more than expected.";
    let r = assert_reply(input, input);
    assert_eq!(r.quoted, None);
}

#[test]
fn mutt_and_horde_style_attributions_are_cut() {
    assert_reply(
        "Done.\n\n* Marie Dupont <marie@example.fr> [2025-03-03 10:12]:\n> Please do\n",
        "Done.",
    );
    assert_reply(
        "Done.\n\nQuoting Marie Dupont <marie@example.fr>:\n> Please do\n",
        "Done.",
    );
}

#[test]
fn quote_only_reply_is_empty_and_flagged() {
    let r = extract_text("On Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n> Anything?\n");
    assert_eq!(r.text, "");
    assert!(r.only_quote);
    assert_eq!(r.lang, None);
}

#[test]
fn quote_only_with_mobile_footer_is_still_only_quote() {
    let r = extract_text(
        "Sent from my iPhone\n\nOn 3 Mar 2025, at 10:12, Marie <m@x.fr> wrote:\n> Anything?\n",
    );
    assert_eq!(r.text, "");
    assert!(r.only_quote);
    assert_eq!(r.signature.as_deref(), Some("Sent from my iPhone"));
}

#[test]
fn quoted_attribution_opening_the_quote_is_cut() {
    let r = assert_reply(
        "Yes\n\n> On Mar 4, 2025, at 09:30, Paul Martin <paul@acme.example> wrote:\n>\n> Are you coming?\n",
        "Yes",
    );
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
}

#[test]
fn quoted_attribution_inside_the_persons_quote_is_not_a_cut_without_shape() {
    let input = "See what she said:\n> I think so:\n> yes";
    assert_reply(input, input);
}

#[test]
fn yahoo_german_attribution_is_cut() {
    assert_cut_at(
        "Ja, gerne!",
        "Am Dienstag, 4. März 2025 um 09:30:12 MEZ hat Paul Martin <paul@example.com> Folgendes geschrieben:",
    );
}

#[test]
fn sentence_citing_someone_before_a_quote_is_not_an_attribution() {
    let input = "As John wrote:\n> the server is down\nI disagree, it is up.";
    let r = assert_reply(input, input);
    assert_eq!(r.cut_by, None);
}

#[test]
fn apple_mail_dutch_attribution_inside_the_quote_is_cut() {
    let input = "Donderdagochtend kan ik wel, bel me maar om 10 uur.\n\n\
                 > Op 3 mrt 2025, om 10:12 heeft Daan de Vries <daan@example.com> het volgende geschreven:\n\
                 > \n> Hoi Emma,\n> Je proefperiode loopt donderdag af.\n";
    let r = assert_reply(input, "Donderdagochtend kan ik wel, bel me maar om 10 uur.");
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
}

#[test]
fn apple_mail_polish_attribution_inside_the_quote_is_cut() {
    let input = "Czwartek rano mi pasuje.\n\n\
                 > Wiadomość napisana przez Katarzyna Nowak <k.nowak@example.com> w dniu 3 marca 2025, o godz. 10:12:\n\
                 > \n> Dzień dobry,\n> Twój okres próbny kończy się w czwartek.\n";
    let r = assert_reply(input, "Czwartek rano mi pasuje.");
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
}

#[test]
fn czech_finnish_and_turkish_attributions_are_cut() {
    assert_cut_at(
        "Ano, platí.",
        "Dne 3. 3. 2025 v 10:12 Marie Dupont <marie@example.fr> napsal(a):",
    );
    assert_cut_at(
        "Kyllä, sopii.",
        "ma 3.3.2025 klo 10.12 Marie Dupont <marie@example.fr> kirjoitti:",
    );
    assert_cut_at(
        "Evet, uygun.",
        "Marie Dupont <marie@example.fr>, 3 Mar 2025 Pzt, 10:12 tarihinde şunu yazdı:",
    );
}

#[test]
fn zoho_dash_framed_attribution_is_cut() {
    let input = "Thursday works for me.\n\n\
                 ---- On Mon, 03 Mar 2025 10:12:41 +0100 Marie Dupont <marie@example.fr> wrote ----\n\n\
                 Hi,\nYour trial ends on Thursday.\n";
    let r = assert_reply(input, "Thursday works for me.");
    assert_eq!(r.cut_by, Some(CutKind::Attribution));
}

#[test]
fn dutch_prose_about_a_debit_is_not_an_attribution() {
    let text = "Het bedrag wordt op 10 maart automatisch afgeschreven:\n- 20 euro\n";
    let r = extract_text(text);
    assert_eq!(r.cut_by, None, "{:?}", r.quoted);
}

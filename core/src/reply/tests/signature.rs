//! Signatures: delimiter, mobile footers, sign-off blocks, contact blocks, disclaimers.

use super::assert_reply;
use crate::reply::extract_text;

#[track_caller]
fn assert_signature(input: &str, text: &str, signature: &str) {
    let r = assert_reply(input, text);
    assert_eq!(r.signature.as_deref(), Some(signature), "input:\n{input}");
}

#[test]
fn dash_dash_space_delimiter_moves_everything_after_it() {
    assert_signature(
        "Works for me.\n\n-- \nPaul Martin\nACME Inc.\n",
        "Works for me.",
        "--\nPaul Martin\nACME Inc.",
    );
}

#[test]
fn mobile_footers_in_each_language_move_to_signature() {
    for footer in [
        "Sent from my iPhone",
        "Sent from my iPad",
        "Sent from my Samsung Galaxy smartphone.",
        "Sent from Mail for Windows",
        "Sent from Yahoo Mail on Android",
        "Get Outlook for iOS",
        "Get Outlook for Android",
        "Envoyé de mon iPhone",
        "Envoyé depuis mon appareil Galaxy",
        "Obtenir Outlook pour Android",
        "Enviado desde mi iPhone",
        "Enviado do meu iPhone",
        "Enviado de meu iPhone",
        "Von meinem iPhone gesendet",
        "Gesendet von Outlook für Android",
        "Inviato da iPhone",
        "Verzonden vanaf mijn iPhone",
        "Wysłane z iPhone'a",
        "Skickat från min iPhone",
        "Sendt fra min iPhone",
        "Отправлено с iPhone",
        "iPhoneから送信",
        "Outlook für iOS<https://aka.ms/o0ukef> herunterladen",
        "Hämta Outlook för iOS<https://aka.ms/o0ukef>",
        "Hent Outlook til Android",
        "iOS 版 Outlook を入手",
    ] {
        let input = format!("Ok, merci.\n\n{footer}\n");
        assert_signature(&input, "Ok, merci.", footer);
    }
}

#[test]
fn footer_right_under_the_text_moves_too() {
    assert_signature("Ok!\nSent from my iPhone", "Ok!", "Sent from my iPhone");
}

#[test]
fn sign_off_and_name_stay_and_contact_block_moves() {
    assert_signature(
        "Bonjour,\n\nLe devis me convient.\n\nCordialement,\nMarie Dupont\nResponsable achats | ACME SAS\nTél. : +33 1 23 45 67 89\n12 rue de la Paix, 75002 Paris\nwww.acme.fr\n",
        "Bonjour,\n\nLe devis me convient.\n\nCordialement,\nMarie Dupont",
        "Responsable achats | ACME SAS\nTél. : +33 1 23 45 67 89\n12 rue de la Paix, 75002 Paris\nwww.acme.fr",
    );
}

#[test]
fn sign_offs_in_each_language_keep_the_name() {
    for (sign_off, name) in [
        ("Best regards,", "Paul Martin"),
        ("Kind regards", "Paul"),
        ("Saludos cordiales,", "Juan García"),
        ("Atenciosamente,", "Ana Souza"),
        ("Mit freundlichen Grüßen", "Max Mustermann"),
        ("Cordiali saluti,", "Marco Rossi"),
        ("Met vriendelijke groet,", "Jan de Vries"),
        ("Pozdrawiam,", "Anna Kowalska"),
        ("Med vänliga hälsningar,", "Erik Svensson"),
        ("Med venlig hilsen", "Mette Hansen"),
        ("Med vennlig hilsen", "Ola Nordmann"),
        ("С уважением,", "Иван Петров"),
        ("よろしくお願いいたします。", "田中太郎"),
    ] {
        let input = format!(
            "The offer is fine.\n\n{sign_off}\n{name}\nSales Manager\nACME GmbH\nTel: +49 30 1234567\n"
        );
        let text = format!("The offer is fine.\n\n{sign_off}\n{name}");
        assert_signature(
            &input,
            &text,
            "Sales Manager\nACME GmbH\nTel: +49 30 1234567",
        );
    }
}

#[test]
fn sign_off_with_name_on_the_same_line() {
    assert_signature(
        "See you Tuesday.\n\nThanks, Paul\nACME Ltd | +44 20 7946 0958\n",
        "See you Tuesday.\n\nThanks, Paul",
        "ACME Ltd | +44 20 7946 0958",
    );
}

#[test]
fn contact_block_without_sign_off_keeps_the_name() {
    assert_signature(
        "Please send the invoice again.\n\nKaren Green\nGraphic Designer\nTel: +44 1632 960123\nkaren@example.co.uk\n",
        "Please send the invoice again.\n\nKaren Green",
        "Graphic Designer\nTel: +44 1632 960123\nkaren@example.co.uk",
    );
}

#[test]
fn disclaimer_paragraph_moves_to_signature() {
    assert_signature(
        "Approved.\n\nRegards,\nBob\n\nCONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the addressee. If you have received this e-mail in error, please notify the sender.\n",
        "Approved.\n\nRegards,\nBob",
        "CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the addressee. If you have received this e-mail in error, please notify the sender.",
    );
}

#[test]
fn french_disclaimer_moves_to_signature() {
    let r = extract_text(
        "Validé.\n\nCe message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de ses destinataires.\n",
    );
    assert_eq!(r.text, "Validé.");
    assert!(r.signature.is_some());
}

#[test]
fn sign_off_followed_by_prose_is_not_a_signature() {
    let input = "Thanks,\nI will call you tomorrow about the second delivery and the invoice.\n";
    let r = assert_reply(input, input.trim());
    assert_eq!(r.signature, None);
}

#[test]
fn postscript_after_the_name_is_kept() {
    let input = "Deal.\n\nBest,\nPaul\n\nP.S. Bring the samples.";
    let r = assert_reply(input, input);
    assert_eq!(r.signature, None);
}

#[test]
fn short_reply_with_name_only_has_no_signature() {
    let r = assert_reply(
        "Yes, please.\n\nThanks,\nMarie",
        "Yes, please.\n\nThanks,\nMarie",
    );
    assert_eq!(r.signature, None);
}

#[test]
fn signature_with_footer_and_quote() {
    let input = "Ok for Tuesday.\n\nBest regards,\nPaul Martin\nHead of Sales, ACME Inc.\n+1 555 010 2030\n\nSent from my iPhone\n\nOn Mon, Mar 3, 2025 at 10:12 AM Marie <m@x.fr> wrote:\n> Tuesday?\n";
    assert_signature(
        input,
        "Ok for Tuesday.\n\nBest regards,\nPaul Martin",
        "Head of Sales, ACME Inc.\n+1 555 010 2030\n\nSent from my iPhone",
    );
}

#[test]
fn signature_lines_are_not_in_the_language_guess_input() {
    let r = extract_text(
        "Merci beaucoup pour votre réponse, je valide la commande pour mardi prochain.\n\nCordialement,\nMarie\n\nSent from my iPhone",
    );
    assert_eq!(r.lang.as_deref(), Some("fr"));
}

#[test]
fn avast_footer_moves_to_signature() {
    let r =
        extract_text("Ok.\n\nVirus-free.www.avast.com\n<#DAB4FAD8-2DD7-40BB-A1B8-4E2AA1F9FDF2>\n");
    assert_eq!(r.text, "Ok.");
}

#[test]
fn thanks_with_a_name_then_the_senders_name_stays_text() {
    let r = assert_reply(
        "Thanks John\n\nMarie\n\n________________________________\nDe : John <john@example.com>\nEnvoyé : mardi 4 mars 2025 09:30\nÀ : Marie\nObjet : devis\n",
        "Thanks John\n\nMarie",
    );
    assert_eq!(r.signature, None);
}

#[test]
fn japanese_contact_block_keeps_the_name() {
    assert_signature(
        "承知しました。明日お送りします。\n\n田中太郎\n株式会社サンプル 営業部\nTEL: 03-1234-5678\n",
        "承知しました。明日お送りします。\n\n田中太郎",
        "株式会社サンプル 営業部\nTEL: 03-1234-5678",
    );
}

#[test]
fn a_name_alone_then_a_company_and_phone_paragraph_keeps_the_name() {
    for (name, block) in [
        ("Greg Turner", "Turner HVAC Services\nOffice: 503-555-0110"),
        (
            "Sébastien Caron",
            "Conducteur de travaux – Caron BTP\n06 98 76 54 32",
        ),
        (
            "Camille Roux",
            "Service État civil – Mairie de Saint-Aubin\n03 80 00 00 00",
        ),
    ] {
        let input = format!("Yes, the reminders went out.\n\n{name}\n\n{block}\n");
        assert_signature(
            &input,
            &format!("Yes, the reminders went out.\n\n{name}"),
            block,
        );
    }
}

#[test]
fn a_last_paragraph_with_one_phone_number_and_no_name_above_stays_text() {
    let input = "Can you call me back?\n\nMy number:\n06 98 76 54 32";
    let r = assert_reply(input, input);
    assert_eq!(r.signature, None);
}

#[test]
fn two_sign_offs_joined_by_and_are_one_sign_off() {
    for sign_off in [
        "Gracias y un saludo,",
        "Thanks and best regards,",
        "Merci et bonne journée,",
        "Danke und viele Grüße",
    ] {
        let input = format!(
            "La factura está mal.\n\n{sign_off}\nPilar Navarro\n\nAsesoría Navarro\nTel. 96 000 00 00\n"
        );
        assert_signature(
            &input,
            &format!("La factura está mal.\n\n{sign_off}\nPilar Navarro"),
            "Asesoría Navarro\nTel. 96 000 00 00",
        );
    }
}

#[test]
fn a_long_signature_of_several_paragraphs_is_found_under_the_sign_off() {
    assert_signature(
        "Wir benötigen 18 Lizenzen.\n\nMit freundlichen Grüßen\n\nHans Müller\n\nLeiter Einkauf\n\nMüller Logistik GmbH & Co. KG\nHafenstraße 25 | 28217 Bremen\nTel.: +49 421 000000\nE-Mail: h.mueller@example.de\n\nSitz: Bremen | Registergericht: Amtsgericht Bremen HRA 00000\nPersönlich haftende Gesellschafterin: Müller Verwaltungs-GmbH\n",
        "Wir benötigen 18 Lizenzen.\n\nMit freundlichen Grüßen\n\nHans Müller",
        "Leiter Einkauf\n\nMüller Logistik GmbH & Co. KG\nHafenstraße 25 | 28217 Bremen\nTel.: +49 421 000000\nE-Mail: h.mueller@example.de\n\nSitz: Bremen | Registergericht: Amtsgericht Bremen HRA 00000\nPersönlich haftende Gesellschafterin: Müller Verwaltungs-GmbH",
    );
}

#[test]
fn japanese_signature_framed_by_rules_keeps_the_name() {
    let block = "━━━━━━━━━━━━━━━━━━━━\n高橋商事株式会社\n営業部 課長 高橋 健\nTEL: 03-0000-0000\n━━━━━━━━━━━━━━━━━━━━";
    assert_signature(
        &format!(
            "お見積もりをお送りください。\n\n何卒よろしくお願いいたします。\n\n高橋\n\n{block}\n"
        ),
        "お見積もりをお送りください。\n\n何卒よろしくお願いいたします。\n\n高橋",
        block,
    );
    // Without a sign-off, a rule line above the contact block is not taken for a name.
    assert_signature(
        &format!("お見積もりをお送りください。\n\n高橋\n\n{block}\n"),
        "お見積もりをお送りください。\n\n高橋",
        block,
    );
}

"""Reply extraction in the languages our customers write in, and HTML to text."""

from __future__ import annotations

import pytest

import replytrack as rt
from conftest import DOMAIN, raw_reply, read


def test_french_gmail_reply_keeps_the_answer_and_cuts_quote_and_signature():
    reply = rt.extract_reply(rt.parse_email(read("reply_5k.eml")))

    assert reply.text.startswith("Bonjour Paul,")
    assert reply.text.endswith("Cordialement,\nMarie Dupré")
    assert "Voici notre proposition" not in reply.text
    assert reply.signature == "Responsable achats\n+33 1 23 45 67 89"
    assert reply.quoted.startswith("Le lun. 2 mars 2026")
    assert reply.cut_by == rt.CutKind.ATTRIBUTION
    assert reply.lang == "fr"
    assert str(reply) == reply.text


def test_spanish_reply_from_a_raw_message():
    body = (
        "Hola Paul,\n\nSí, el martes nos viene bien. ¿Podrían enviarnos la factura?\n\n"
        "Saludos,\nJuan\n\n"
        "El lun, 2 mar 2026 a las 17:40, Paul Martin (<paul@acme.example>) escribió:\n"
        "> ¿Les viene bien el martes?\n"
    )
    msg = rt.parse_email(raw_reply(to=f"reply+0123456789abcdef@{DOMAIN}", body=body))

    reply = rt.extract_reply(msg)

    assert reply.text == (
        "Hola Paul,\n\nSí, el martes nos viene bien. ¿Podrían enviarnos la factura?\n\nSaludos,\nJuan"
    )
    assert reply.quoted.endswith("> ¿Les viene bien el martes?")
    assert reply.lang == "es"
    assert reply.cut_by == "attribution"


def test_portuguese_reply_from_plain_text():
    reply = rt.strip_text(
        "Olá Paul,\n\nObrigada, a proposta está ótima. Podemos assinar na próxima semana.\n\n"
        "Abraços,\nAna\n\n"
        "Em seg., 2 de mar. de 2026 às 17:40, Paul Martin <paul@acme.example> escreveu:\n"
        "> Segue a proposta.\n"
    )

    assert reply.text.endswith("Abraços,\nAna")
    assert "Segue a proposta" not in reply.text
    assert reply.lang == "pt"
    assert reply.cut_by == rt.CutKind.ATTRIBUTION


def test_french_outlook_header_block_is_cut():
    reply = rt.strip_text(
        "Bien reçu, je reviens vers vous demain.\n\n"
        "________________________________\n"
        "De : Paul Martin <paul@acme.example>\n"
        "Envoyé : lundi 2 mars 2026 17:40\n"
        "À : Marie Dupont <marie@example.fr>\n"
        "Objet : Votre devis\n\n"
        "Bonjour Marie, voici le devis.\n"
    )

    assert reply.text == "Bien reçu, je reviens vers vous demain."
    assert reply.cut_by == rt.CutKind.OUTLOOK_HEADER


def test_message_that_is_only_a_quote_has_empty_text():
    reply = rt.strip_text("On Mon, 2 Mar 2026, Paul <paul@acme.example> wrote:\n> Hello?\n")

    assert reply.text == ""
    assert reply.only_quote is True


def test_html_reply_names_the_quote_container():
    reply = rt.strip_html(
        '<div>Sounds good, thanks!</div><div class="gmail_quote">'
        "<div>On Mon, Paul wrote:</div><blockquote>old text</blockquote></div>"
    )

    assert reply.text == "Sounds good, thanks!"
    assert reply.cut_by == rt.CutKind.HTML_CONTAINER
    assert reply.quote_container == rt.QuoteContainer.GMAIL
    assert reply.to_dict()["quote_container"] == "gmail"


def test_html_to_text_renders_blocks_entities_and_quotes():
    text = rt.html_to_text(
        "<div>Hello&nbsp;<b>Marie</b>,</div><div><br></div><blockquote>Old <i>text</i></blockquote>"
    )

    assert text == "Hello Marie,\n\n> Old text"


@pytest.mark.parametrize(
    "subject, headers, kind",
    [
        ("Re: Votre devis", "", rt.MessageKind.REPLY),
        ("Réponse automatique : Votre devis", "Auto-Submitted: auto-replied\n", rt.MessageKind.AUTO_REPLY),
        ("Abwesenheitsnotiz: Ihr Angebot", "", rt.MessageKind.AUTO_REPLY),
    ],
)
def test_classify_says_reply_or_auto_reply_with_evidence(subject, headers, kind):
    msg = rt.parse_email(raw_reply(to="sales@acme.example", body="Hi\n", subject=subject, extra_headers=headers))

    c = rt.classify(msg)

    assert c.kind == kind
    assert (len(c.evidence) > 0) == (kind != rt.MessageKind.REPLY)
    assert c.to_dict()["kind"] == kind.value


def test_bounce_is_classified_with_its_report():
    raw = (
        "From: Mail Delivery Subsystem <mailer-daemon@mx.example.fr>\r\n"
        "To: reply+0123456789abcdef@reply.example.com\r\n"
        "Subject: Undeliverable: Votre devis\r\n"
        "Return-Path: <>\r\n"
        "X-Failed-Recipients: nobody@example.fr\r\n"
        "\r\n"
        "Delivery failed.\r\n"
    ).encode()

    c = rt.classify(rt.parse_email(raw))

    assert c.kind == rt.MessageKind.BOUNCE
    assert c.bounce is not None
    assert c.bounce.failed_recipients == ["nobody@example.fr"]
    assert "x_failed_recipients_header" in [e.rule for e in c.evidence]


def test_own_mail_echoed_back_is_an_own_loop():
    raw = raw_reply(
        to="reply+0123456789abcdef@reply.example.com",
        body="Our own newsletter\n",
        extra_headers="X-Replytrack-Id: out-42\n",
    ).replace(b"marie@example.fr", b"sales@acme.example")

    c = rt.classify(rt.parse_email(raw), own_domains=["acme.example"])

    assert c.kind == rt.MessageKind.OWN_LOOP

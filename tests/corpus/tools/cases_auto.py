"""Automatic replies (out of office, auto-responders, helpdesk acknowledgements) and look-alikes
that are real replies."""

from attribution import When
from case import case, raddr
from clients import Body, div_lines, gmail, outlook_msgid, owa
from common import SENDERS, orig, reply
from mime import Multi, Text, seeded

OUR_SUBJECTS = {
    "en": "Your Kalendo subscription renews on March 15",
    "fr": "Votre essai Kalendo se termine dans 3 jours",
    "es": "Propuesta Kalendo Pro para 8 usuarios",
    "pt-br": "Proposta comercial – Kalendo Pro",
    "pt-pt": "O seu período experimental do Kalendo termina na quinta-feira",
    "de": "Ihr Angebot für Kalendo Pro (15 Nutzer)",
    "it": "Offerta Kalendo Pro per il vostro studio",
    "nl": "Factuur februari – Kalendo",
    "pl": "Twój okres próbny Kalendo kończy się w czwartek",
    "sv": "Din provperiod hos Kalendo slutar på torsdag",
    "no": "Prøveperioden din hos Kalendo utløper torsdag",
    "ru": "Ваш пробный период Kalendo заканчивается в четверг",
    "ja": "Kalendo無料トライアル終了のお知らせ",
}


def exchange_body(cid, text, lang_attr="EN-US"):
    html = (
        '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n</head>\n'
        f'<body lang="{lang_attr}">\n<div>\n' + div_lines(text) + "\n</div>\n</body>\n</html>\n"
    )
    node = Multi("alternative", [Text(text, cte="quoted-printable"), Text(html, subtype="html", cte="quoted-printable")],
                 f"_000_{outlook_msgid(cid).split('@')[0]}_")
    return Body(node, "exchange", "", False, False, msgid=outlook_msgid(cid), shape="alternative")


def text_body(cid, text, client, domain, charset="utf-8", cte=None):
    return Body(Text(text, charset=charset, cte=cte), client, "", False, False,
                msgid=f"{seeded(cid, 24)}@{domain}", shape="text")


def auto(cid, lang, frm, subject, body, headers, to_token=True, references=True, **kw):
    tok_case = cid
    from case import token

    tok = token(tok_case)
    sender = SENDERS[lang]
    our_mid = f"{tok}.{seeded(cid, 10, '0123456789abcdefghjkmnpqrstvwxyz')}@reply.example.com"
    to = [(sender[0], raddr(tok))] if to_token else [sender]
    case(cid, body, kind="auto_reply", frm=frm, to=to, subject=subject, when=When(2025, 3, 3, 10, 12, 58), lang=lang,
         in_reply_to=[our_mid] if references else [], references=[our_mid] if references else [], extra=headers,
         check_reply=False, **kw)


EXCHANGE = [("X-MS-Has-Attach", ""), ("X-MS-TNEF-Correlator", ""), ("X-MS-Exchange-Organization-SCL", "-1"),
            ("X-MS-Exchange-Generated-Message-Source", "Mailbox Rules Agent")]


def build():
    # --- Exchange / Outlook out-of-office, localized subjects ---------------------------------------
    cid = "auto_reply/auto-exchange-en"
    auto(cid, "en", ("John Smith", "jsmith@contoso-health.org"), "Automatic reply: " + OUR_SUBJECTS["en"],
         exchange_body(cid, "Thank you for your email. I am out of the office until Monday, March 10, with limited access to email. For urgent matters, please contact our office at (215) 555-0100.\n\nBest regards,\nJohn Smith"),
         [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All"), ("Thread-Topic", OUR_SUBJECTS["en"])] + EXCHANGE,
         crlf=True, tags=["exchange", "auto-submitted", "subject"])

    cid = "auto_reply/auto-exchange-fr-nbsp"
    auto(cid, "fr", ("Nathalie Dupont", "nathalie.dupont@transports-garnier.fr"), "Réponse automatique\u00a0: " + OUR_SUBJECTS["fr"],
         exchange_body(cid, "Bonjour,\n\nJe suis absente du bureau jusqu'au lundi 10 mars inclus. Pour toute demande urgente, vous pouvez contacter Julien Morel à l'adresse julien.morel@transports-garnier.fr.\n\nCordialement,\nNathalie Dupont", "FR"),
         [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All")] + EXCHANGE,
         subject_style="Q", subject_charset="iso-8859-1", crlf=True, tags=["exchange", "auto-submitted", "subject", "nbsp"])

    cid = "auto_reply/auto-exchange-es-subject-only"
    auto(cid, "es", ("Álvaro Morales", "amorales@grupomorales.com"), "Respuesta automática: " + OUR_SUBJECTS["es"],
         exchange_body(cid, "Gracias por su mensaje. Estaré fuera de la oficina hasta el 10 de marzo, con acceso limitado al correo electrónico. Para asuntos urgentes, contacte con compras@grupomorales.com.\n\nUn saludo,\nÁlvaro Morales", "ES"),
         [], crlf=True, tags=["exchange", "subject-only"])

    cid = "auto_reply/auto-exchange-pt-br-subject-and-suppress"
    auto(cid, "pt-br", ("Marcelo Costa", "marcelo.costa@construtoracosta.com.br"), "Resposta automática: " + OUR_SUBJECTS["pt-br"],
         exchange_body(cid, "Olá,\n\nEstou em férias até o dia 17 de março, com acesso restrito ao e-mail. Em caso de urgência, favor entrar em contato com financeiro@construtoracosta.com.br.\n\nAtenciosamente,\nMarcelo Costa", "PT-BR"),
         [("X-Auto-Response-Suppress", "All")], to_token=False, crlf=True, expect_source="references",
         tags=["exchange", "subject-only"])

    cid = "auto_reply/auto-exchange-de-auto-replied"
    auto(cid, "de", ("Hans Müller", "h.mueller@mueller-logistik.de"), "Automatische Antwort: " + OUR_SUBJECTS["de"],
         exchange_body(cid, "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 14. März nicht im Büro und habe nur eingeschränkt Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an einkauf@mueller-logistik.de.\n\nMit freundlichen Grüßen\nHans Müller", "DE"),
         [("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")] + EXCHANGE, crlf=True,
         tags=["exchange", "auto-submitted", "subject"])

    cid = "auto_reply/auto-exchange-it-subject-only"
    auto(cid, "it", ("Francesca Russo", "f.russo@studiorusso.it"), "Risposta automatica: " + OUR_SUBJECTS["it"],
         exchange_body(cid, "Grazie per il messaggio. Sarò fuori ufficio fino al 10 marzo. Per urgenze può contattare segreteria@studiorusso.it.\n\nCordiali saluti\nFrancesca Russo", "IT"),
         [], crlf=True, tags=["exchange", "subject-only"])

    cid = "auto_reply/auto-exchange-nl-subject-only"
    auto(cid, "nl", ("Pieter Bakker", "p.bakker@bakkerinstallatie.nl"), "Automatisch antwoord: " + OUR_SUBJECTS["nl"],
         exchange_body(cid, "Bedankt voor je bericht. Ik ben tot en met 10 maart afwezig en lees mijn e-mail niet. Voor dringende zaken kun je contact opnemen met info@bakkerinstallatie.nl.\n\nMet vriendelijke groet,\nPieter Bakker", "NL"),
         [], crlf=True, tags=["exchange", "subject-only"])

    cid = "auto_reply/auto-exchange-pl"
    auto(cid, "pl", ("Agnieszka Wiśniewska", "a.wisniewska@wisniewska-dental.pl"), "Odpowiedź automatyczna: " + OUR_SUBJECTS["pl"],
         exchange_body(cid, "Dziękuję za wiadomość. Jestem na urlopie do 10 marca. W pilnych sprawach proszę o kontakt z recepcja@wisniewska-dental.pl.\n\nZ poważaniem\nAgnieszka Wiśniewska", "PL"),
         [("Auto-Submitted", "auto-generated")] + EXCHANGE, crlf=True, tags=["exchange", "auto-submitted", "subject"])

    cid = "auto_reply/auto-exchange-sv-subject-only"
    auto(cid, "sv", ("Johan Nilsson", "johan.nilsson@nilssonbygg.se"), "Automatiskt svar: " + OUR_SUBJECTS["sv"],
         exchange_body(cid, "Tack för ditt mejl. Jag är på semester till och med den 10 mars och läser inte min e-post. Vid brådskande ärenden, kontakta kontoret@nilssonbygg.se.\n\nMed vänliga hälsningar\nJohan Nilsson", "SV"),
         [], crlf=True, tags=["exchange", "subject-only"])

    cid = "auto_reply/auto-exchange-no-subject-only"
    auto(cid, "no", ("Kari Nordmann", "kari.nordmann@nordmann-eiendom.no"), "Automatisk svar: " + OUR_SUBJECTS["no"],
         exchange_body(cid, "Takk for e-posten din. Jeg er på ferie til og med 10. mars og har begrenset tilgang til e-post. Ved hastesaker, kontakt post@nordmann-eiendom.no.\n\nMed vennlig hilsen\nKari Nordmann", "NO-BOK"),
         [], crlf=True, tags=["exchange", "subject-only"])

    cid = "auto_reply/auto-exchange-ru"
    auto(cid, "ru", ("Дмитрий Иванов", "d.ivanov@stroyservis.ru"), "Автоматический ответ: " + OUR_SUBJECTS["ru"],
         exchange_body(cid, "Здравствуйте!\n\nЯ нахожусь в отпуске до 10 марта. По срочным вопросам обращайтесь, пожалуйста, к моему коллеге: sales@stroyservis.ru.\n\nС уважением,\nДмитрий Иванов", "RU"),
         [("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All")] + EXCHANGE, crlf=True,
         tags=["exchange", "auto-submitted", "subject"])

    cid = "auto_reply/auto-exchange-ja-subject-only"
    auto(cid, "ja", ("高橋 健", "k.takahashi@takahashi-shoji.co.jp"), "自動応答: " + OUR_SUBJECTS["ja"],
         exchange_body(cid, "お問い合わせありがとうございます。\n誠に勝手ながら、3月10日まで休暇をいただいております。\n休暇明けに順次ご返信いたします。\n\n高橋商事株式会社\n高橋 健", "JA"),
         [], crlf=True, tags=["exchange", "subject-only"])

    cid = "auto_reply/auto-exchange-2003-out-of-office"
    auto(cid, "en", ("Walter Greene", "wgreene@greene-insurance.com"), "Out of Office AutoReply: " + OUR_SUBJECTS["en"],
         exchange_body(cid, "I will be out of the office from March 3 through March 7. I will respond to your message when I return."),
         [("Precedence", "bulk"), ("X-MimeOLE", "Produced By Microsoft Exchange V6.5")], crlf=True,
         tags=["exchange", "precedence-bulk", "subject"])

    # --- Other responders ------------------------------------------------------------------------------
    cid = "auto_reply/auto-gmail-vacation-custom-subject"
    auto(cid, "fr", ("Marie Dupont", "marie.dupont@gmail.com"), "Absente jusqu'au 10 mars",
         text_body(cid, "Bonjour,\n\nJe suis en congés jusqu'au 10 mars et je lirai votre message à mon retour.\n\nMarie", "gmail", "mail.gmail.com"),
         [("Auto-Submitted", "auto-replied")], tags=["gmail", "auto-submitted", "header-only"])

    cid = "auto_reply/auto-helpdesk-x-autoreply"
    auto(cid, "fr", ("Support Menuiserie Lefèvre", "support@menuiserie-lefevre.fr"), "[#20931] Votre demande a bien été reçue",
         text_body(cid, "Bonjour,\n\nNous avons bien reçu votre message. Un membre de notre équipe vous répondra sous 48 heures ouvrées.\n\nLe service client Menuiserie Lefèvre", "helpdesk", "menuiserie-lefevre.fr"),
         [("X-Autoreply", "yes"), ("X-Mailer", "Helpdesk Mailer 4.2")], tags=["helpdesk", "x-autoreply", "header-only"])

    cid = "auto_reply/auto-cpanel-x-autorespond"
    auto(cid, "en", ("Bright Smile Dental", "info@brightsmiledental.com"), "Re: " + OUR_SUBJECTS["en"],
         text_body(cid, "Thank you for contacting Bright Smile Dental. Our office hours are Monday to Friday, 8am to 5pm. We will get back to you as soon as possible.", "cpanel", "brightsmiledental.com"),
         [("X-Autorespond", OUR_SUBJECTS["en"])], tags=["x-autorespond", "header-only"])

    cid = "auto_reply/auto-helpdesk-precedence-bulk"
    auto(cid, "es", ("Atención al cliente Grupo Morales", "soporte@grupomorales.com"), "Solicitud recibida: Re: " + OUR_SUBJECTS["es"],
         text_body(cid, "Hemos recibido tu solicitud (#58112). Te responderemos lo antes posible.\n\nEquipo de Atención al Cliente", "helpdesk", "grupomorales.com"),
         [("Precedence", "bulk")], tags=["helpdesk", "precedence-bulk", "header-only"])

    cid = "auto_reply/auto-unix-vacation-precedence-junk"
    auto(cid, "de", ("Wolfgang Schäfer", "w.schaefer@t-online.de"), "Re: " + OUR_SUBJECTS["de"],
         text_body(cid, "Ich bin bis zum 14.03. im Urlaub und lese meine E-Mails nicht. Ihre Nachricht wird nicht weitergeleitet.\n\nW. Schäfer", "vacation", "t-online.de", charset="iso-8859-1", cte="8bit"),
         [("Precedence", "junk")], subject_charset="iso-8859-1", subject_style="Q", name_charset="iso-8859-1", name_enc="Q",
         tags=["precedence-junk", "header-only"])

    cid = "auto_reply/auto-null-return-path"
    auto(cid, "pt-pt", ("Ana Sousa", "ana.sousa@sapo.pt"), "Ausência: " + OUR_SUBJECTS["pt-pt"],
         text_body(cid, "Olá,\n\nEstou ausente até dia 10 de março, sem acesso ao correio eletrónico. Responderei assim que regressar.\n\nAna Sousa", "sapo", "sapo.pt"),
         [], return_path="<>", tags=["null-return-path", "header-only"])

    cid = "auto_reply/auto-precedence-auto-reply"
    auto(cid, "en", ("Greg Turner", "gturner@turnerhvac.com"), "Thanks for your message",
         text_body(cid, "Thanks for reaching out to Turner HVAC. We received your message and will respond within one business day.", "responder", "turnerhvac.com"),
         [("Precedence", "auto_reply")], tags=["precedence-auto-reply", "header-only"])

    cid = "auto_reply/auto-lotus-notes-abwesenheitsnotiz"
    auto(cid, "de", ("Petra Klein", "petra.klein@steuerberatung-klein.de"), "Abwesenheitsnotiz: " + OUR_SUBJECTS["de"],
         text_body(cid, "Ich werde ab 03.03.2025 nicht im Büro sein. Ich kehre zurück am 10.03.2025.\n\nIn dringenden Fällen wenden Sie sich bitte an kanzlei@steuerberatung-klein.de.", "lotus-notes", "steuerberatung-klein.de"),
         [("Auto-Submitted", "auto-generated"), ("X-Mailer", "Lotus Domino Release 9.0.1FP10")], tags=["lotus-notes", "auto-submitted", "subject"])

    cid = "auto_reply/auto-icloud-vacation"
    auto(cid, "en", ("Robert Chen", "robert.chen@me.com"), "Re: " + OUR_SUBJECTS["en"],
         text_body(cid, "I'm traveling until March 12 with limited email. I'll reply when I'm back.\n\nRob", "icloud", "me.com"),
         [("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes")], tags=["icloud", "auto-submitted", "x-autoreply", "header-only"])

    # --- Look-alikes that are real replies ------------------------------------------------------------
    cid = "auto_reply/reply-mentions-out-of-office"
    m = orig(cid, "en", ("Hannah Brooks", "hannah.brooks@northwind-academy.edu"), "Getting started with Kalendo",
             "Hi Hannah,\n\nIs there anything I can help you set up?\n\nSarah")
    body = owa("en", "Hi Sarah,\n\nI'm out of the office next week for spring break, so could we schedule the onboarding call for the week after? Any morning works.\n\nThanks,\nHannah", m, seed=cid)
    reply(cid, "en", body, ("Hannah Brooks", "hannah.brooks@northwind-academy.edu"), m, prefix="RE: ", crlf=True,
          extra=[("X-Auto-Response-Suppress", "All")], tags=["look-alike", "underscore-rule", "header-block"])

    cid = "auto_reply/reply-auto-submitted-no"
    m = orig(cid, "de", ("Lena Schmidt", "lena.schmidt@example.org"), "Ihr Kalendo-Test endet am Donnerstag",
             "Hallo Lena,\n\nHätten Sie diese Woche 15 Minuten Zeit?\n\nJonas")
    body = gmail("de", "Hallo Jonas,\n\nja, Freitag um 11 Uhr würde mir passen. Bis dann!\n\nLena", m, seed=cid)
    reply(cid, "de", body, ("Lena Schmidt", "lena.schmidt@example.org"), m, extra=[("Auto-Submitted", "no")], tags=["look-alike"])

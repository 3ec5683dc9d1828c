"""MIME shapes: transfer encodings, charsets (including wrong ones), attachments, nesting."""

from attribution import apple_attr, thunderbird_attr
from case import DROP
from clients import Body, div_lines, esc, flow, gmail, gmail_msgid, plain, quote, tb_msgid
from common import orig, reply
from mime import Binary, Multi, Raw, Text, encoded_words, seeded, tiny_pdf, tiny_png

FOLLOWUP = (
    "Your Kalendo trial",
    """Hi {first},

How is your Kalendo trial going so far? If you have any questions about booking pages or reminders, just reply to this email.

Sarah""",
)


def o(cid, customer, lang="en", tpl=FOLLOWUP, **kw):
    subject, text = tpl
    return orig(cid, lang, customer, subject, text.format(first=customer[0].split()[0]), **kw)


def tb_bottom(m, lang, rep):
    return thunderbird_attr(lang, m.when, m.sender_name) + "\n" + quote(m.text) + "\n\n" + rep + "\n"


def build():
    cid = "mime/mime-text-base64"
    me = ("Kenji Watanabe", "kenji.watanabe@watanabe-dental.com")
    m = o(cid, me)
    rep = "Hi Sarah,\n\nSo far so good. One question: can patients cancel their own appointments from the reminder email?\n\nKenji"
    raw = rep + "\n\n" + thunderbird_attr("en", m.when, m.sender_name) + "\n" + quote(m.text) + "\n"
    body = plain(raw, "thunderbird", rep, True, False, cte="base64", headers=[("User-Agent", "Mozilla Thunderbird")],
                 msgid=tb_msgid(cid, "watanabe-dental.com"))
    reply(cid, "en", body, me, m)

    cid = "mime/mime-qp-equals-and-long-lines"
    me = ("Fatima Zahra", "fatima.zahra@zahra-beauty.com")
    m = o(cid, me)
    rep = ("Hi Sarah,\n\nThe booking link https://book.example.org/zahra-beauty?service=facial&duration=60&ref=email_campaign_march shows "
           "\"no availability\" for every day, even though my calendar is empty. Is the setting min_notice=24h the reason?\n\nFatima")
    body = gmail("en", rep, m, seed=cid, plain_cte="quoted-printable")
    reply(cid, "en", body, me, m)

    cid = "mime/mime-utf8-label-cp1252-bytes"
    me = ("Véronique Lefort", "veronique.lefort@cabinet-lefort.fr")
    m = o(cid, me, lang="fr", tpl=("Votre essai Kalendo", "Bonjour {first},\n\nComment se passe votre essai de Kalendo ?\n\nClaire"))
    rep = "Bonjour Claire,\n\nTrès bien, merci ! Nous aimerions passer à la formule Équipe dès le mois prochain. Pouvez-vous m’envoyer le devis ?\n\nVéronique"
    raw = rep + "\n\n" + thunderbird_attr("fr", m.when, m.sender_name) + "\n" + quote(m.text) + "\n"
    body = plain(raw, "php-mailer", rep, True, False, charset="windows-1252", declared_charset="utf-8", cte="8bit",
                 headers=[("X-Mailer", "PHPMailer 5.2.9 (https://github.com/PHPMailer/PHPMailer/)")])
    reply(cid, "fr", body, me, m, name_enc="Q", tags=["mislabelled-charset"])

    cid = "mime/mime-us-ascii-label-utf8-bytes"
    me = ("Jörg Bäumer", "joerg.baeumer@baeumer-holzbau.de")
    m = o(cid, me, lang="de", tpl=("Ihr Kalendo-Test", "Hallo {first},\n\nwie läuft Ihr Test mit Kalendo?\n\nJonas"))
    rep = "Hallo Herr Becker,\n\nläuft gut. Können wir die Erinnerungen auch per SMS verschicken? Viele unserer Kunden lesen keine E-Mails.\n\nGrüße\nJörg Bäumer"
    raw = rep + "\n\n" + thunderbird_attr("de", m.when, m.sender_name) + "\n" + quote(m.text) + "\n"
    body = plain(raw, "old-mailer", rep, True, False, charset="utf-8", declared_charset="us-ascii", cte="8bit")
    reply(cid, "de", body, me, m, tags=["mislabelled-charset"])

    cid = "mime/mime-no-charset-utf8-bytes"
    me = ("Martín Aguirre", "martin.aguirre@aguirre-veterinaria.com.ar")
    m = o(cid, me, lang="es", tpl=("Tu prueba de Kalendo", "Hola {first}:\n\n¿Cómo va tu prueba de Kalendo?\n\nJavier"))
    rep = "Hola Javier,\n\nVa bárbaro. ¿Se puede conectar Kalendo con Mercado Pago para cobrar la seña de los turnos?\n\nSaludos,\nMartín"
    raw = rep + "\n\n" + thunderbird_attr("es", m.when, m.sender_name) + "\n" + quote(m.text) + "\n"
    body = plain(raw, "old-mailer", rep, True, False, charset="utf-8", declared_charset="", cte="8bit")
    reply(cid, "es", body, me, m, tags=["mislabelled-charset", "es-ar"])

    cid = "mime/mime-unknown-8bit-charset"
    me = ("Gonçalo Matos", "goncalo.matos@matos-fisioterapia.pt")
    m = o(cid, me, lang="pt-pt", tpl=("O seu período experimental", "Olá {first},\n\nComo está a correr o período experimental?\n\nInês"))
    rep = "Olá Inês,\n\nEstá a correr bem. Gostava de saber se é possível ter duas agendas separadas na mesma conta.\n\nGonçalo"
    raw = rep + "\n\n" + thunderbird_attr("pt-pt", m.when, m.sender_name) + "\n" + quote(m.text) + "\n"
    body = plain(raw, "old-mailer", rep, True, False, charset="utf-8", declared_charset="unknown-8bit", cte="8bit")
    reply(cid, "pt-pt", body, me, m, tags=["mislabelled-charset"])

    cid = "mime/mime-format-flowed-delsp"
    me = ("Nathan Brooks", "nathan.brooks@mac.com")
    m = o(cid, me)
    rep = ("Hi Sarah,\n\nIt's going well overall, although the reminder emails arrive in our clients' spam folders more often than "
           "I would like. Is there a way to send them from our own domain instead of yours?\n\nThanks,\nNathan")
    raw = rep + "\n\n> " + apple_attr("en", m.when, m.sender_name, m.sender_addr) + "\n> \n" + quote(m.text, empty="> ") + "\n"
    body = plain(flow(raw, delsp=True), "apple-mail", rep, True, False, charset="utf-8", cte="quoted-printable", flowed=True,
                 delsp=True, quote_charset=False, headers=[("X-Mailer", "Apple Mail (2.3826.400.131.1.6)")],
                 msgid=f"{seeded(cid, 8, '0123456789ABCDEF')}-1C2D-4E5F-8A9B-{seeded(cid, 12, '0123456789ABCDEF')}@mac.com")
    reply(cid, "en", body, me, m)

    cid = "mime/mime-html-only-entities"
    me = ("Amélie Rousseau", "amelie.rousseau@rousseau-osteo.fr")
    m = o(cid, me, lang="fr", tpl=("Votre essai Kalendo", "Bonjour {first},\n\nComment se passe votre essai de Kalendo ?\n\nClaire"))
    html = (
        "<html>\n<body>\n<div>Bonjour&nbsp;Claire,</div>\n<div><br>\n</div>\n"
        "<div>L&#8217;essai se passe tr&egrave;s bien&nbsp;! Deux questions&nbsp;:\n   la formule\n   &laquo;&nbsp;&Eacute;quipe&nbsp;&raquo; "
        "inclut-elle les rappels par SMS, et le prix de 9&nbsp;&euro; est-il HT ou TTC&nbsp;?</div>\n<div><br></div>\n"
        "<div>Merci &amp; bonne journ&eacute;e,</div>\n<div>Am&eacute;lie</div>\n<div><br></div>\n"
        f'<blockquote style="border-left: 2px solid #ccc; padding-left: 8px">\n<div>{esc(thunderbird_attr("fr", m.when, m.sender_name))}</div>\n'
        f"{div_lines(m.text)}\n</blockquote>\n</body>\n</html>\n"
    )
    html = html.encode("ascii", "xmlcharrefreplace").decode("ascii")
    node = Text(html, subtype="html", charset="us-ascii", cte="7bit")
    body = Body(node, "webmail", "Bonjour Claire,\n\nL’essai se passe très bien ! Deux questions : la formule « Équipe » inclut-elle les rappels par SMS, et le prix de 9 € est-il HT ou TTC ?\n\nMerci & bonne journée,\nAmélie",
                True, False, shape="html")
    reply(cid, "fr", body, me, m, name_enc="Q", tags=["html-entities"])

    cid = "mime/mime-html-only-base64-crlf"
    me = ("Rocío Márquez", "rocio.marquez@marquez-nutricion.es")
    m = o(cid, me, lang="es", tpl=("Tu prueba de Kalendo", "Hola {first}:\n\n¿Cómo va tu prueba de Kalendo?\n\nJavier"))
    rep = "Hola Javier:\n\nMuy bien, gracias. Me gustaría contratar el plan Solo anual. ¿Cómo hago el pago?\n\nUn saludo,\nRocío"
    html = (
        '<html><head><meta charset="utf-8"></head><body><div dir="ltr">'
        + div_lines(rep)
        + f'<br><blockquote style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">{div_lines(m.text)}</blockquote></div></body></html>\n'
    )
    body = Body(Text(html, subtype="html", cte="base64"), "webmail", rep, True, False, shape="html")
    reply(cid, "es", body, me, m, crlf=True)

    cid = "mime/mime-html-only-iso-8859-1"
    me = ("Günter Maier", "guenter.maier@maier-fliesen.de")
    m = o(cid, me, lang="de", tpl=("Ihr Kalendo-Test", "Hallo {first},\n\nwie läuft Ihr Test mit Kalendo?\n\nJonas"))
    rep = "Hallo Herr Becker,\n\ndanke der Nachfrage. Wir möchten gerne weitermachen, aber nur mit zwei Zugängen für das Büro.\n\nGruß\nGünter Maier"
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>'
        + div_lines(rep)
        + "<div><br></div><div>" + esc(thunderbird_attr("de", m.when, m.sender_name)) + "</div>"
        + f'<blockquote type="cite">{div_lines(m.text)}</blockquote></body></html>\n'
    )
    body = Body(Text(html, subtype="html", charset="iso-8859-1", cte="quoted-printable"), "webmail", rep, True, False, shape="html")
    reply(cid, "de", body, me, m, subject_charset="iso-8859-1", subject_style="Q", name_charset="iso-8859-1", name_enc="Q")

    cid = "mime/mime-gmail-inline-image-and-pdf"
    me = ("Hiroshi Tanaka", "hiroshi.tanaka@tanaka-clinic.com")
    m = o(cid, me)
    cidref = "ii_m7t2x9k30"
    rep_plain = "Hi Sarah,\n\nThis is what I see when I open the booking page:\n\n[image: booking-error.png]\n\nI also attached our price list, which should be on the page.\n\nHiroshi"
    b = gmail("en", rep_plain, m, seed=cid)
    # Put the image element where Gmail puts it, in the HTML alternative.
    alt = b.node
    html_part = alt.parts[1]
    html_part.text = html_part.text.replace(
        "<div>[image: booking-error.png]</div>",
        f'<div><img src="cid:{cidref}" alt="booking-error.png" width="542" height="311"><br></div>',
    )
    related = Multi("related", [alt, Binary("image/png", tiny_png(cid, 6, 4), filename="booking-error.png", disposition="inline",
                                             cid=cidref, extra_headers=[("X-Attachment-Id", cidref)])],
                    "000000000000" + seeded(cid + "r", 12))
    b.node = related
    reply(cid, "en", b, me, m, mixed_boundary="000000000000" + seeded(cid + "m", 12),
          attachments=[Binary("application/pdf", tiny_pdf("Price list"), filename="Tanaka Clinic price list 2025.pdf",
                              extra_headers=[("X-Attachment-Id", "f_m7t2xa1q1")])],
          tags=["inline-image"])

    cid = "mime/mime-attachments-rfc2231-and-text"
    me = ("Zoë Kowalczyk", "zoe.kowalczyk@kowalczyk-studio.pl")
    m = o(cid, me, lang="pl", tpl=("Twój okres próbny", "Dzień dobry,\n\njak przebiega okres próbny Kalendo?\n\nKatarzyna"))
    rep = "Dzień dobry,\n\nw załączniku przesyłam listę pracowników oraz notatki z naszego spotkania. Proszę o ofertę na 7 licencji.\n\nZoë Kowalczyk"
    raw = rep + "\n\n" + thunderbird_attr("pl", m.when, m.sender_name) + "\n" + quote(m.text) + "\n"
    body = plain(raw, "thunderbird", rep, True, False, cte="8bit", flowed=False, quote_charset=False,
                 headers=[("User-Agent", "Mozilla Thunderbird")], msgid=tb_msgid(cid, "kowalczyk-studio.pl"))
    reply(cid, "pl", body, me, m, attachments=[
        Binary("application/pdf", tiny_pdf("Lista"), filename="Lista pracowników – marzec.pdf", filename_style="rfc2231"),
        Text("Spotkanie 28.02: 7 osób, 2 gabinety, przypomnienia SMS.\n", charset="utf-8", cte="8bit", disposition="attachment",
             filename="notatki.txt"),
    ], tags=["rfc2231-filename"])

    cid = "mime/mime-raw-utf8-header"
    me = ("Søren Østergaard", "soren@ostergaard-tandklinik.dk")
    m = o(cid, me, lang="da", tpl=("Din prøveperiode", "Hej {first},\n\nHvordan går det med prøveperioden?\n\nMette"))
    rep = "Hej Mette,\n\nDet går fint. Vi vil gerne fortsætte med to behandlere fra næste måned.\n\nVenlig hilsen\nSøren"
    raw = rep + "\n\nDen 3. mar. 2025 kl. 10.12 skrev Mette Jensen <mette.jensen@example.com>:\n" + quote(m.text) + "\n"
    body = plain(raw, "custom-mailer", rep, True, False, cte="8bit")
    reply(cid, "da", body, me, m, subject="Re: Din prøveperiode – næste skridt", subject_style="raw", tags=["raw-utf8-header"])

    cid = "mime/mime-subject-mixed-encodings"
    me = ("Hélène Garnier", "helene.garnier@garnier-kine.fr")
    m = o(cid, me, lang="fr", tpl=("Réunion du mercredi 5 mars", "Bonjour {first},\n\nJe vous confirme notre réunion de mercredi à 10h.\n\nClaire"))
    subj = "Re: Réunion du mercredi 5 mars – ordre du jour"
    body = gmail("fr", "Bonjour Claire,\n\nParfait. J'ajouterais à l'ordre du jour la question des rappels par SMS et leur coût.\n\nHélène", m, seed=cid)
    raw_subject = ("Re: " + "".join(encoded_words("Réunion", "iso-8859-1", "Q")) + " du\n "
                   + "\n ".join(encoded_words("mercredi 5 mars – ordre du jour", "utf-8", "B")))
    reply(cid, "fr", body, me, m, subject=subj, subject_raw=raw_subject, name_enc="Q", tags=["mixed-encoded-words"])

    cid = "mime/mime-forward-as-attachment"
    me = ("Patrick Doyle", "patrick.doyle@doyle-physio.ie")
    m = o(cid, me)
    note = "Hi Sarah,\n\nForwarding the complaint from one of our clients as an attachment. She says she was double-booked on Friday. Can you check the logs?\n\nPatrick"
    inner_headers = [
        ("From", "Siobhan Kelly <siobhan.kelly@gmail.com>"),
        ("To", "Doyle Physio <bookings@doyle-physio.ie>"),
        ("Subject", "Double booking on Friday"),
        ("Date", "Sat, 1 Mar 2025 18:03:11 +0000"),
        ("Message-ID", "<CAJ8nq1ZzX4pW3f9LbR2y7T5uK6vA0cE1dF2gH3@mail.gmail.com>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="UTF-8"'),
    ]
    inner = "".join(f"{k}: {v}\n" for k, v in inner_headers) + "\nHi,\n\nI turned up on Friday at 9am and someone else had the same slot. Please sort this out.\n\nSiobhan\n"
    node = Multi("mixed", [Text(note + "\n", cte="7bit"), Raw("message/rfc822", inner, extra_headers=[("Content-Disposition", 'attachment; filename="Double booking on Friday.eml"')])],
                 "_002_" + seeded(cid, 24, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + "_")
    body = Body(node, "outlook", note, False, False, shape="mixed",
                msgid=f"DB9PR03MB{seeded(cid, 20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}@DB9PR03MB7000.eurprd03.prod.outlook.com")
    reply(cid, "en", body, me, m, subject="FW: Double booking on Friday", in_reply_to=[], references=[], crlf=True,
          to=[("Sarah Mitchell", __import__("case").raddr(m.token))], expect={"attachments": DROP}, tags=["forward-as-attachment"])

"""German replies."""

from attribution import gmail_android_de_attr
from clients import (Body, apple, div_lines, esc, flow, gmail, gmail_forward, outlook, owa, plain, samsung, shape_node,
                     tb_msgid, thunderbird, yahoo)
from common import OUTLOOK_RE, orig, reply
from mime import Binary, seeded, tiny_zip

TRIAL = (
    "Ihr Kalendo-Test endet am Donnerstag",
    """Hallo {first},

Ihr Testzeitraum bei Kalendo endet am Donnerstag. Hätten Sie diese Woche 15 Minuten Zeit für ein kurzes Gespräch, um den passenden Tarif zu finden?

Viele Grüße
Jonas Becker
Kalendo""",
)

OFFER = (
    "Ihr Angebot für Kalendo Pro (15 Nutzer)",
    """Guten Tag {first},

wie besprochen, hier die Eckdaten unseres Angebots:
- 15 Lizenzen Kalendo Pro zu 9 € pro Nutzer und Monat
- Einrichtung und Schulung inklusive
- Jahresvertrag, quartalsweise Abrechnung

Bei Fragen melden Sie sich gerne.

Mit freundlichen Grüßen
Jonas Becker""",
)

SUPPORT = (
    "Ticket #77120: Termine werden doppelt angezeigt",
    """Hallo {first},

wir haben den Fehler behoben, durch den Termine doppelt im Outlook-Kalender angezeigt wurden. Können Sie bitte prüfen, ob jetzt alles wieder stimmt?

Viele Grüße
Ihr Kalendo-Support""",
)


def o(cid, tpl, customer, **kw):
    subject, text = tpl
    return orig(cid, "de", customer, subject, text.format(first=customer[0].split()[0]), **kw)


def build():
    L = "de"
    cid = "de/de-gmail-simple"
    me = ("Lena Schmidt", "lena.schmidt@gmail.com")
    m = o(cid, TRIAL, me)
    body = gmail(L, "Hallo Jonas,\n\nMittwoch um 14 Uhr passt mir gut. Schicken Sie mir gerne eine Einladung.\n\nViele Grüße\nLena", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "de/de-gmail-signature-impressum"
    me = ("Thomas Weber", "t.weber@weber-elektrotechnik.de")
    m = o(cid, OFFER, me)
    body = gmail(
        L,
        "Hallo Herr Becker,\n\ndanke für das Angebot. Ist die Schulung vor Ort in Stuttgart oder nur online? Falls vor Ort möglich, können wir nächste Woche unterschreiben.\n\nBeste Grüße\nThomas Weber",
        m,
        sig="Thomas Weber\nGeschäftsführer\n\nWeber Elektrotechnik GmbH\nKönigstraße 10, 70173 Stuttgart\nTel.: +49 711 000000\nFax: +49 711 000001\nwww.weber-elektrotechnik.de\n\nSitz der Gesellschaft: Stuttgart\nAmtsgericht Stuttgart, HRB 000000\nGeschäftsführer: Thomas Weber, Anja Weber",
        seed=cid,
    )
    reply(cid, L, body, me, m, tags=["sig-delimiter"])

    cid = "de/de-gmail-wrapped-attribution-3-lines"
    me = ("Sabine Hoffmann", "sabine.hoffmann@praxis-hoffmann.de")
    m = o(cid, SUPPORT, me, sender=("Kundenservice Kalendo Deutschland – Team Onboarding für Praxen und Kliniken",
                                     "onboarding.praxen.kliniken.deutschland@example.com"))
    body = gmail(L, "Hallo,\n\njetzt sieht alles gut aus, die doppelten Termine sind verschwunden. Vielen Dank!\n\nSabine Hoffmann", m, seed=cid)
    reply(cid, L, body, me, m, tags=["wrapped-attribution"])

    cid = "de/de-gmail-android-schrieb-am"
    me = ("Max Braun", "max.braun@web.de")
    m = o(cid, TRIAL, me)
    body = gmail(L, "Passt, bis Donnerstag!", m, attr=gmail_android_de_attr(m.when, m.sender_name, m.sender_addr), seed=cid)
    reply(cid, L, body, me, m, tags=["gmail-android"])

    cid = "de/de-gmail-forward"
    me = ("Claudia Zimmermann", "c.zimmermann@zimmermann-physio.de")
    m = o(cid, OFFER, me)
    body = gmail_forward(
        L,
        "Hallo Herr Becker,\n\nanbei die Rückfrage unserer Datenschutzbeauftragten. Können Sie uns den AV-Vertrag schicken?\n\nViele Grüße\nClaudia Zimmermann",
        ["Von: Dr. Eva Krüger <datenschutz@zimmermann-physio.de>", "Date: Mo., 3. März 2025 um 15:02 Uhr",
         "Subject: Kalendo – Auftragsverarbeitung", "To: Claudia Zimmermann <c.zimmermann@zimmermann-physio.de>"],
        "Liebe Frau Zimmermann,\n\nbevor wir Patientendaten in Kalendo speichern, brauchen wir einen Auftragsverarbeitungsvertrag nach Art. 28 DSGVO und die Angabe, wo die Server stehen.\n\nViele Grüße\nEva Krüger",
        seed=cid,
    )
    reply(cid, L, body, me, m, subject="Fwd: Kalendo – Auftragsverarbeitung", in_reply_to=[], references=[], tags=["forward"])

    # --- Outlook -----------------------------------------------------------------------------------
    cid = "de/de-outlook-header-block"
    me = ("Müller, Hans", "h.mueller@mueller-logistik.de")
    m = o(cid, OFFER, ("Hans Müller", me[1]))
    body = outlook(
        L,
        "Sehr geehrter Herr Becker,\n\nvielen Dank für Ihr Angebot. Wir benötigen allerdings 18 Lizenzen, da zum 1. April drei neue Disponenten bei uns anfangen. Bitte passen Sie das Angebot entsprechend an.\n\nMit freundlichen Grüßen\n\nHans Müller",
        m,
        sig="Leiter Einkauf\n\nMüller Logistik GmbH & Co. KG\nHafenstraße 25 | 28217 Bremen\nTel.: +49 421 000000 | Mobil: +49 170 0000000\nE-Mail: h.mueller@mueller-logistik.de<mailto:h.mueller@mueller-logistik.de>\n\nSitz: Bremen | Registergericht: Amtsgericht Bremen HRA 00000\nPersönlich haftende Gesellschafterin: Müller Verwaltungs-GmbH",
        seed=cid,
        body_lang="DE",
    )
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"], extra=[("X-Auto-Response-Suppress", "All")])

    cid = "de/de-outlook-urspruengliche-nachricht"
    me = ("Petra Klein", "petra.klein@steuerberatung-klein.de")
    m = o(cid, TRIAL, me)
    body = outlook(L, "Hallo Herr Becker,\n\nwir haben uns entschieden, Kalendo nach dem Test weiter zu nutzen. Bitte senden Sie mir die Unterlagen für den Tarif Team.\n\nFreundliche Grüße\nPetra Klein", m,
                   sig="Steuerberatung Klein\nLindenallee 4\n50968 Köln\nTelefon 0221 000000", sep="original", plain_mode=True,
                   charset="iso-8859-1", seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, subject_charset="iso-8859-1", subject_style="Q",
          tags=["header-block", "original-message"])

    cid = "de/de-owa-underscore"
    me = ("Stefan Wagner", "stefan.wagner@stadtwerke-musterstadt.de")
    m = o(cid, SUPPORT, me)
    body = owa(L, "Hallo,\n\nleider werden bei zwei Kollegen die Termine weiterhin doppelt angezeigt. Beide nutzen Outlook 2019, nicht Microsoft 365.\n\nGruß\nStefan Wagner", m, seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block", "underscore-rule"])

    cid = "de/de-outlook-mobile-ios"
    me = ("Julia Fischer", "julia.fischer@outlook.de")
    m = o(cid, TRIAL, me)
    body = owa(L, "Donnerstag 9 Uhr wäre gut.", m, mobile="outlook-ios", seed=cid)
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], tags=["mobile-footer", "underscore-rule"])

    cid = "de/de-outlook-only-quote"
    me = ("Dieter Krause", "d.krause@krause-maschinenbau.de")
    m = o(cid, SUPPORT, me)
    body = outlook(L, "", m, seed=cid, layout="only_quote", body_lang="DE")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"])

    cid = "de/de-outlook-attachment-xlsx"
    me = ("Monika Schröder", "m.schroeder@schroeder-partner.de")
    m = o(cid, OFFER, me)
    body = outlook(L, "Hallo Herr Becker,\n\nanbei wie besprochen die Liste der Mitarbeiter, die einen Zugang brauchen.\n\nViele Grüße\nMonika Schröder", m,
                   sig="Personalabteilung\nSchröder & Partner Rechtsanwälte\nTel. 040 000000", seed=cid, body_lang="DE")
    reply(cid, L, body, me, m, prefix=OUTLOOK_RE[L], crlf=True, tags=["header-block"],
          attachments=[Binary("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", tiny_zip(cid),
                              filename="Mitarbeiterliste Kalendo.xlsx", filename_style="outlook")],
          mixed_boundary="_004_" + body.msgid.split("@")[0] + "_")

    # --- Apple -------------------------------------------------------------------------------------
    cid = "de/de-iphone"
    me = ("Katrin Schulz", "katrin.schulz@icloud.com")
    m = o(cid, TRIAL, me)
    body = apple(L, "Hallo Jonas, können wir das auf nächste Woche verschieben? Ich bin diese Woche auf einer Messe.", m, device="iphone", seed=cid)
    reply(cid, L, body, me, m, subject_style="Q", tags=["mobile-footer"])

    cid = "de/de-apple-mail"
    me = ("Florian Richter", "florian@richter-architekten.de")
    m = o(cid, OFFER, me)
    body = apple(L, "Hallo Herr Becker,\n\ndas klingt gut. Schicken Sie mir bitte den Vertrag als PDF, ich lasse ihn von unserem Anwalt prüfen.\n\nBeste Grüße\nFlorian Richter", m, seed=cid)
    reply(cid, L, body, me, m, subject_style="Q")

    # --- Thunderbird ---------------------------------------------------------------------------------
    cid = "de/de-thunderbird-bottom-post"
    me = ("Wolfgang Schäfer", "w.schaefer@t-online.de")
    m = o(cid, SUPPORT, me)
    body = thunderbird(L, "Guten Tag,\n\nbei mir ist jetzt alles in Ordnung. Danke für die schnelle Hilfe.\n\nW. Schäfer", m,
                       sig="Wolfgang Schäfer\nSchäfer Heizung & Sanitär\nTel. 089 000000", seed=cid, domain="t-online.de")
    reply(cid, L, body, me, m, tags=["bottom-post", "sig-delimiter"])

    cid = "de/de-thunderbird-inline"
    me = ("Andreas Neumann", "andreas.neumann@neumann-it.de")
    m = o(cid, OFFER, me)
    q = m.text.split("\n")
    ql = lambda lines: "\n".join(("> " + l) if l else ">" for l in lines)  # noqa: E731
    inline = (
        ql(q[2:4]) + "\n\nGibt es einen Rabatt ab 20 Lizenzen?\n\n"
        + ql(q[4:5]) + "\n\nWie viele Stunden Schulung sind enthalten?\n\n"
        + ql(q[5:6]) + "\n\nMonatliche Abrechnung wäre uns lieber."
    )
    raw = "Am 03.03.25 um 10:12 schrieb Jonas Becker:\n" + ql(q[:2]) + "\n" + inline + "\n\nGruß\nAndreas\n\n" + ql(q[6:]) + "\n"
    body = plain(flow(raw), "thunderbird", ql(q[:2]) + "\n" + inline + "\n\nGruß\nAndreas", True, False, cte="8bit", flowed=True,
                 quote_charset=False, headers=[("User-Agent", "Mozilla Thunderbird")], msgid=tb_msgid(cid, "neumann-it.de"))
    reply(cid, L, body, me, m, tags=["inline"])

    cid = "de/de-thunderbird-iso-8859-1-8bit"
    me = ("Jürgen Groß", "juergen.gross@gross-baeckerei.de")
    m = o(cid, TRIAL, me)
    body = thunderbird(L, "Hallo Herr Becker,\n\nwir möchten Kalendo für unsere drei Filialen weiter nutzen. Größere Änderungen brauchen wir nicht, nur eine zusätzliche Filiale in Düsseldorf.\n\nGrüße aus Köln\nJürgen Groß", m,
                       layout="top", seed=cid, domain="gross-baeckerei.de", flowed=False, charset="ISO-8859-1", cte="8bit")
    reply(cid, L, body, me, m, subject_charset="iso-8859-1", subject_style="Q", name_charset="iso-8859-1", name_enc="Q")

    # --- Webmails --------------------------------------------------------------------------------------
    cid = "de/de-gmx"
    me = ("Markus Wolf", "markus.wolf@gmx.de")
    m = o(cid, TRIAL, me)
    rep = "Hallo Herr Becker,\n\nich würde gerne vom Tarif Solo auf Team wechseln. Geht das auch mitten im Monat?\n\nMit freundlichen Grüßen\nMarkus Wolf"
    block = ["Gesendet: Montag, 03. März 2025 um 10:12 Uhr", 'Von: "Jonas Becker" <jonas.becker@example.com>',
             "An: markus.wolf@gmx.de", f"Betreff: {m.subject}"]
    text = rep + "\n \n \n\n" + "\n".join(block) + "\n" + m.text + "\n"
    lab_html = "<br/>".join(f"<b>{esc(l.split(': ', 1)[0])}:</b>&nbsp;{esc(l.split(': ', 1)[1])}" for l in block)
    html = (
        '<html><head></head><body><div style="font-family: Verdana;font-size: 12.0px;">'
        + "".join(f"<div>{esc(l) if l else '&nbsp;'}</div>" for l in rep.split("\n"))
        + "<div>&nbsp;</div><div>&nbsp;</div>"
        '<div name="quote" style="margin:10px 5px 5px 10px; padding: 10px 0 10px 10px; border-left:2px solid #C3D9E5; word-wrap: break-word; -webkit-nbsp-mode: space; -webkit-line-break: after-white-space;">'
        f'<div style="margin:0 0 10px 0;">{lab_html}</div><div name="quoted-content">{div_lines(m.text)}</div></div></div></body></html>\n'
    )
    node = shape_node(text, html, "alternative", "alt-" + seeded(cid, 20, "0123456789abcdef"), html_kw=dict(cte="quoted-printable"))
    body = Body(node, "gmx", rep, True, False, msgid=f"trinity-{seeded(cid, 8)}-{seeded(cid + 'a', 4)}-{seeded(cid + 'b', 4)}-{seeded(cid + 'c', 12)}-1741003181123@3c-app-gmx-bap12",
                shape="alternative", headers=[("Importance", "normal"), ("Sensitivity", "Normal"), ("X-Priority", "3")])
    reply(cid, L, body, me, m, prefix="Aw: ", tags=["header-block"])

    cid = "de/de-tonline-webmail"
    me = ("Brigitte Lang", "brigitte.lang@t-online.de")
    m = o(cid, TRIAL, me)
    rep = "Hallo Herr Becker,\n\nbitte kündigen Sie mein Konto zum Monatsende. Die Praxis wird zum 31. März geschlossen.\n\nMit freundlichen Grüßen\nBrigitte Lang"
    raw = (rep + "\n\n\n----- Original Nachricht ----\n" + 'Von:     "Jonas Becker" <jonas.becker@example.com>\n'
           + "An:      brigitte.lang@t-online.de\nDatum:   03.03.2025 10:12\n" + f"Betreff: {m.subject}\n\n" + m.text + "\n")
    body = plain(raw, "t-online", rep, True, False, charset="iso-8859-15", cte="quoted-printable")
    reply(cid, L, body, me, m, subject_charset="iso-8859-15", subject_style="Q", tags=["header-block"])

    cid = "de/de-yahoo"
    me = ("Heike Wolff", "heike.wolff@yahoo.de")
    m = o(cid, TRIAL, me)
    body = yahoo(L, "Hallo Herr Becker,\n\nich melde mich nach meinem Urlaub wieder bei Ihnen, voraussichtlich ab dem 17. März.\n\nGruß\nHeike Wolff", m, seed=cid)
    reply(cid, L, body, me, m)

    cid = "de/de-samsung"
    me = ("Ali Yilmaz", "ali.yilmaz@gmx.net")
    m = o(cid, SUPPORT, me)
    body = samsung(L, "Ja passt jetzt. Danke", m, seed=cid)
    reply(cid, L, body, me, m, tags=["mobile-footer", "header-block"])

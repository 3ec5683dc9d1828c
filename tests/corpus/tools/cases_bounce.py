"""Bounces: RFC 3464 delivery-status reports with the original attached whole or as headers only,
hard (5.x.x) and soft (4.x.x), and the plain-text kinds (Exim, qmail)."""

from attribution import When
from case import DROP, case, raddr, token
from clients import Body, div_lines
from mime import Multi, Raw, Text, mailbox, render_message, seeded

OUR_DOMAIN = "example.com"


def our_original(tok, sender, customer, subject, text, when):
    """Our outgoing message as the remote MTA got it: reply address in Reply-To, token in the
    Message-ID, our own tracking header."""
    mid = f"{tok}.{seeded(tok, 10, '0123456789abcdefghjkmnpqrstvwxyz')}@reply.example.com"
    headers = [
        ("Return-Path", "<bounce@example.com>"),
        ("DKIM-Signature", "v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=rt1; h=from:to:subject:date:message-id:reply-to;\n\tbh=" + seeded(tok, 43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "=;\n\tb=" + seeded(tok + "b", 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")),
        ("From", mailbox(*sender)),
        ("Reply-To", mailbox(sender[0], raddr(tok))),
        ("To", mailbox(*customer)),
        ("Subject", subject_enc(subject)),
        ("Date", when.rfc()),
        ("Message-ID", f"<{mid}>"),
        ("X-Replytrack-Id", "msg_01JNE" + seeded(tok, 21, "0123456789ABCDEFGHJKMNPQRSTVWXYZ")),
        ("List-Unsubscribe", f"<mailto:unsubscribe+{tok}@reply.example.com>"),
    ]
    body = Multi("alternative", [Text(text, cte="quoted-printable"),
                                 Text(f"<html><body>{div_lines(text)}</body></html>\n", subtype="html", cte="quoted-printable")],
                 "rt-" + seeded(tok, 24))
    full = render_message(headers, body)
    head_only = full.split(b"\n\n", 1)[0] + b"\n"
    return full, head_only, mid


def subject_enc(s):
    from mime import subject_header

    return subject_header(s, "B")


def dsn_status(reporting_mta, recipients, arrival, extra_fields=()):
    """message/delivery-status body: per-message fields, then one block per recipient
    (addr, action, status, diagnostic, remote_mta)."""
    out = f"Reporting-MTA: dns; {reporting_mta}\n"
    for k, v in extra_fields:
        out += f"{k}: {v}\n"
    out += f"Arrival-Date: {arrival}\n"
    for addr, action, status, diag, remote in recipients:
        out += f"\nFinal-Recipient: rfc822; {addr}\nOriginal-Recipient: rfc822;{addr}\nAction: {action}\nStatus: {status}\n"
        if remote:
            out += f"Remote-MTA: dns; {remote}\n"
        if diag:
            out += f"Diagnostic-Code: smtp; {diag}\n"
        if action == "delayed":
            out += "Will-Retry-Until: Sat, 8 Mar 2025 10:12:59 +0100 (CET)\n"
    return out


def bounce(cid, *, frm, subject, notification, status, original, attach="rfc822", to="bounce@example.com",
           headers=(), boundary=None, html_notification=None, expect=None, tags=(), when=None, crlf=False,
           subject_style="B", token_expect=None, source_expect="bounced_original", lang=None, extra_top=(), case_kw=None):
    full, head_only, mid = original
    parts = []
    if html_notification:
        parts.append(Multi("alternative", [Text(notification, cte="quoted-printable"),
                                           Text(html_notification, subtype="html", cte="quoted-printable")],
                           "alt-" + seeded(cid, 20)))
    else:
        parts.append(Text(notification, charset="us-ascii", cte="7bit", extra_headers=[("Content-Description", "Notification")]))
    parts.append(Raw("message/delivery-status", status, extra_headers=[("Content-Description", "Delivery report")]))
    if attach == "rfc822":
        parts.append(Raw("message/rfc822", full, extra_headers=[("Content-Description", "Undelivered Message")]))
    elif attach == "headers":
        parts.append(Raw("text/rfc822-headers", head_only, extra_headers=[("Content-Description", "Undelivered Message Headers")]))
    node = Multi("report", parts, boundary or (seeded(cid, 10, "0123456789ABCDEF") + ".1741000000/mx"),
                 params="report-type=delivery-status")
    body = Body(node, "mta", "", False, False, msgid=f"{seeded(cid, 14, '0123456789ABCDEF')}@{frm[1].split('@')[1]}", shape="report")
    tok = original[2].split(".")[0]
    # Whether a message/rfc822 or text/rfc822-headers part counts as an attachment is left open.
    expect = dict(expect or {}, attachments=DROP)
    kw = {}
    if source_expect == "bounced_original":
        kw = dict(expect_source="bounced_original", expect_token=tok)
    elif source_expect:
        kw = dict(expect_source=source_expect)
    case(cid, body, kind="bounce", frm=frm, to=[(None, to)], subject=subject, when=when or When(2025, 3, 3, 10, 12, 59),
         return_path="<>", extra=list(headers), check_reply=False, expect=expect, tags=list(tags), crlf=crlf,
         subject_style=subject_style, lang=lang, top_extra=list(extra_top), **kw, **(case_kw or {}))


def build():
    sent = When(2025, 3, 3, 10, 12, 41)

    # 1. Postfix at the recipient's side, unknown user, whole original attached.
    cid = "bounce/bounce-postfix-5.1.1-rfc822"
    tok = token(cid)
    orig = our_original(tok, ("Claire Martin", "claire.martin@example.com"), ("Jean Dupont", "jean@boulangerie-dupont.fr"),
                        "Votre essai Kalendo se termine dans 3 jours",
                        "Bonjour Jean,\n\nVotre période d'essai de Kalendo se termine jeudi.\n\nClaire Martin", sent)
    note = (
        "This is the mail system at host mail.boulangerie-dupont.fr.\n\n"
        "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n"
        "For further assistance, please send mail to postmaster.\n\n"
        "If you do so, please include this problem report. You can\ndelete your own text from the attached returned message.\n\n"
        "                   The mail system\n\n"
        '<jean@boulangerie-dupont.fr>: unknown user: "jean"\n'
    )
    status = dsn_status("mail.boulangerie-dupont.fr", [("jean@boulangerie-dupont.fr", "failed", "5.1.1", None, None)],
                        "Mon,  3 Mar 2025 10:12:58 +0100 (CET)",
                        [("X-Postfix-Queue-ID", "4Z6QmB3xk1z9sWd"), ("X-Postfix-Sender", "rfc822; bounce@example.com")])
    bounce(cid, frm=("Mail Delivery System", "MAILER-DAEMON@mail.boulangerie-dupont.fr"), subject="Undelivered Mail Returned to Sender",
           notification=note, status=status, original=orig, headers=[("Auto-Submitted", "auto-replied")],
           boundary="4Z6QmB3xk1z9sWd.1741000378/mail.boulangerie-dupont.fr",
           expect={"bounce_hard": True, "failed_recipients": ["jean@boulangerie-dupont.fr"]}, tags=["postfix", "hard", "auto-submitted"])

    # 2. Amazon SES, whole original.
    cid = "bounce/bounce-ses-5.1.1"
    tok = token(cid)
    orig = our_original(tok, ("Sarah Mitchell", "sarah.mitchell@example.com"), ("Pedro Alves", "pedro.alves1234@gmail.com"),
                        "Quick question about your team's scheduling", "Hi Pedro,\n\nWould you have 15 minutes on Thursday?\n\nSarah", sent)
    note = ("An error occurred while trying to deliver the mail to the following recipients:\n"
            "pedro.alves1234@gmail.com\n")
    status = dsn_status("a8-50.smtp-out.amazonses.com",
                        [("pedro.alves1234@gmail.com", "failed", "5.1.1",
                          "550-5.1.1 The email account that you tried to reach does not exist. Please try\n 550-5.1.1 double-checking the recipient's email address for typos or\n 550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser",
                          "gmail-smtp-in.l.google.com")],
                        "Mon, 03 Mar 2025 09:12:42 +0000")
    bounce(cid, frm=(None, "MAILER-DAEMON@amazonses.com"), subject="Delivery Status Notification (Failure)", notification=note,
           status=status, original=orig, boundary=f"{seeded(cid, 20)}-0000000000",
           headers=[("X-SES-Outgoing", "2025.03.03-54.240.8.50"), ("Feedback-ID", "::1.us-east-1.xyz:AmazonSES")],
           expect={"bounce_hard": True, "failed_recipients": ["pedro.alves1234@gmail.com"]}, tags=["ses", "hard"])

    # 3. Google Workspace relay, X-Failed-Recipients, whole original.
    cid = "bounce/bounce-google-workspace-x-failed-recipients"
    tok = token(cid)
    orig = our_original(tok, ("Rafael Souza", "rafael.souza@example.com"), ("Camila Rocha", "camila.rocha@clinicarocha.com.br"),
                        "Seu teste do Kalendo termina na quinta-feira", "Olá Camila,\n\nSeu período de teste termina na quinta-feira.\n\nRafael", sent)
    note = ("** Endereço não encontrado **\n\nSua mensagem não foi entregue a camila.rocha@clinicarocha.com.br porque o endereço não foi "
            "encontrado ou não pode receber e-mails.\n\nA resposta do servidor remoto foi:\n\n550 5.1.1 <camila.rocha@clinicarocha.com.br>: Recipient address rejected: User unknown\n")
    html = f"<html><body><div>{div_lines(note)}</div></body></html>\n"
    status = dsn_status("googlemail.com", [("camila.rocha@clinicarocha.com.br", "failed", "5.1.1",
                                            "550 5.1.1 <camila.rocha@clinicarocha.com.br>: Recipient address rejected: User unknown",
                                            "mx.clinicarocha.com.br. 203.0.113.40")],
                        "Mon, 03 Mar 2025 01:12:42 -0800 (PST)",
                        [("Received-From-MTA", "dns; rafael.souza@example.com")])
    bounce(cid, frm=("Mail Delivery Subsystem", "mailer-daemon@googlemail.com"), subject="Delivery Status Notification (Failure)",
           notification=note, html_notification=html, status=status, original=orig, boundary="000000000000" + seeded(cid, 12),
           headers=[("X-Failed-Recipients", "camila.rocha@clinicarocha.com.br"), ("Auto-Submitted", "auto-replied")],
           expect={"bounce_hard": True, "failed_recipients": ["camila.rocha@clinicarocha.com.br"]},
           tags=["google", "hard", "x-failed-recipients"])

    # 4. Exchange Online, headers only, In-Reply-To/References to our message.
    cid = "bounce/bounce-exchange-online-5.1.10-headers"
    tok = token(cid)
    orig = our_original(tok, ("Sarah Mitchell", "sarah.mitchell@example.com"), ("Tom Harris", "tom.harris@contoso-health.org"),
                        "Your Kalendo subscription renews on March 15", "Hi Tom,\n\nYour annual plan renews on March 15.\n\nSarah", sent)
    note = ("Your message to tom.harris@contoso-health.org couldn't be delivered.\n\n"
            "tom.harris wasn't found at contoso-health.org.\n\n"
            "Action Required\nRecipient\n\nUnknown To address\n\n"
            "How to Fix It\nThe address may be misspelled or may not exist. Try one or more of the following:\n\n"
            "  * Send the message again following these steps: In Outlook, open this non-delivery report (NDR) and choose Send Again from the Report ribbon.\n\n"
            "Diagnostic information for administrators:\n\nGenerating server: DM6PR04MB6700.namprd04.prod.outlook.com\n\n"
            "tom.harris@contoso-health.org\nRemote server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n")
    html = "<html><head></head><body>" + div_lines(note) + "</body></html>\n"
    status = dsn_status("DM6PR04MB6700.namprd04.prod.outlook.com",
                        [("tom.harris@contoso-health.org", "failed", "5.1.10",
                          "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", None)],
                        "Mon, 3 Mar 2025 09:12:43 +0000")
    mid = orig[2]
    bounce(cid, frm=("Microsoft Outlook", "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@contosohealth.onmicrosoft.com"),
           subject="Undeliverable: Your Kalendo subscription renews on March 15", notification=note, html_notification=html,
           status=status, original=orig, attach="headers", boundary=f"_000_{seeded(cid, 30, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}_",
           case_kw=dict(in_reply_to=[mid], references=[mid]),
           headers=[("Thread-Topic", "Your Kalendo subscription renews on March 15"),
                    ("X-MS-Exchange-Message-Is-Ndr", ""), ("Auto-Submitted", "auto-replied"), ("X-MS-Exchange-Generated-Message-Source", "DSN")],
           source_expect="references", crlf=True,
           expect={"bounce_hard": True, "failed_recipients": ["tom.harris@contoso-health.org"]},
           tags=["exchange", "hard", "rfc822-headers"])

    # 5. Exchange on-premises, French NDR, whole original.
    cid = "bounce/bounce-exchange-fr-non-remis"
    tok = token(cid)
    orig = our_original(tok, ("Claire Martin", "claire.martin@example.com"), ("Sylvie Roux", "sylvie.roux@transports-garnier.fr"),
                        "Votre devis Kalendo Pro (12 utilisateurs)", "Bonjour Sylvie,\n\nVoici le récapitulatif de notre proposition.\n\nClaire", sent)
    note = ("Impossible de remettre le message à ces destinataires ou groupes :\n\n"
            "sylvie.roux@transports-garnier.fr (sylvie.roux@transports-garnier.fr)\n"
            "L'adresse de messagerie que vous avez entrée est introuvable. Vérifiez l'adresse de messagerie du destinataire et essayez de renvoyer le message.\n\n"
            "Informations de diagnostic pour les administrateurs :\n\nServeur de génération : EXCH01.transports-garnier.local\n\n"
            "sylvie.roux@transports-garnier.fr\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n")
    html = "<html><body>" + div_lines(note) + "</body></html>\n"
    status = dsn_status("EXCH01.transports-garnier.local", [("sylvie.roux@transports-garnier.fr", "failed", "5.1.1",
                                                              "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", None)],
                        "Mon, 3 Mar 2025 10:12:44 +0100")
    bounce(cid, frm=("Postmaster", "postmaster@transports-garnier.fr"), subject="Non remis : Votre devis Kalendo Pro (12 utilisateurs)",
           notification=note, html_notification=html, status=status, original=orig, crlf=True,
           headers=[("Content-Language", "fr-FR"), ("X-MS-Exchange-Message-Is-Ndr", "")],
           expect={"bounce_hard": True, "failed_recipients": ["sylvie.roux@transports-garnier.fr"]}, tags=["exchange", "hard", "fr"])

    # 6. Exchange, German NDR, mailbox full but permanent (5.2.2).
    cid = "bounce/bounce-exchange-de-5.2.2-mailbox-full"
    tok = token(cid)
    orig = our_original(tok, ("Jonas Becker", "jonas.becker@example.com"), ("Uwe Brandt", "u.brandt@mueller-logistik.de"),
                        "Ihr Angebot für Kalendo Pro (15 Nutzer)", "Guten Tag Herr Brandt,\n\nanbei unser Angebot.\n\nJonas Becker", sent)
    note = ("Ihre Nachricht konnte nicht an u.brandt@mueller-logistik.de übermittelt werden.\n\n"
            "Das Postfach des Empfängers ist voll und kann derzeit keine Nachrichten annehmen.\n\n"
            "Diagnoseinformationen für Administratoren:\n\nu.brandt@mueller-logistik.de\n"
            "Remoteserver hat '552 5.2.2 STOREDRV.Deliver; mailbox full' zurückgegeben\n")
    html = "<html><body>" + div_lines(note) + "</body></html>\n"
    status = dsn_status("mail.mueller-logistik.de", [("u.brandt@mueller-logistik.de", "failed", "5.2.2",
                                                       "552 5.2.2 STOREDRV.Deliver; mailbox full", None)],
                        "Mon, 3 Mar 2025 10:12:45 +0100")
    bounce(cid, frm=("Microsoft Outlook", "postmaster@mueller-logistik.de"), subject="Unzustellbar: Ihr Angebot für Kalendo Pro (15 Nutzer)",
           notification=note, html_notification=html, status=status, original=orig, crlf=True,
           headers=[("Content-Language", "de-DE"), ("X-MS-Exchange-Message-Is-Ndr", "")],
           expect={"bounce_hard": True, "failed_recipients": ["u.brandt@mueller-logistik.de"]}, tags=["exchange", "hard", "de", "mailbox-full"])

    # 7. Gmail-side delay, 4.2.2, headers only.
    cid = "bounce/bounce-google-delay-4.2.2"
    tok = token(cid)
    orig = our_original(tok, ("Javier Ortega", "javier.ortega@example.com"), ("Lucía Fernández", "lucia.fernandez@clinicafernandez.es"),
                        "Tu prueba de Kalendo termina el jueves", "Hola Lucía:\n\nTu periodo de prueba termina este jueves.\n\nJavier", sent)
    note = ("** Entrega retrasada **\n\nSe ha producido un problema temporal al entregar tu mensaje a lucia.fernandez@clinicafernandez.es. "
            "Gmail lo volverá a intentar durante 46 horas más. Si no es posible entregarlo, recibirás una notificación.\n\n"
            "La respuesta del servidor remoto fue:\n\n452 4.2.2 The recipient's inbox is out of storage space.\n")
    status = dsn_status("googlemail.com", [("lucia.fernandez@clinicafernandez.es", "delayed", "4.2.2",
                                            "452 4.2.2 The recipient's inbox is out of storage space.", "mx.clinicafernandez.es. 203.0.113.66")],
                        "Mon, 03 Mar 2025 01:12:42 -0800 (PST)")
    bounce(cid, frm=("Mail Delivery Subsystem", "mailer-daemon@googlemail.com"), subject="Delivery Status Notification (Delay)",
           notification=note, html_notification=f"<html><body>{div_lines(note)}</body></html>\n", status=status, original=orig,
           attach="headers", boundary="000000000000" + seeded(cid, 12), when=When(2025, 3, 3, 14, 12, 59),
           expect={"bounce_hard": False}, tags=["google", "soft", "delayed", "rfc822-headers"])

    # 8. Postfix delay warning, 4.4.1, headers only.
    cid = "bounce/bounce-postfix-delay-4.4.1"
    tok = token(cid)
    orig = our_original(tok, ("Jonas Becker", "jonas.becker@example.com"), ("Sabine Hoffmann", "sabine.hoffmann@praxis-hoffmann.de"),
                        "Ihr Kalendo-Test endet am Donnerstag", "Hallo Sabine,\n\nIhr Testzeitraum endet am Donnerstag.\n\nJonas", sent)
    note = (
        "This is the mail system at host mx1.example.com.\n\n"
        "####################################################################\n"
        "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
        "####################################################################\n\n"
        "Your message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n"
        "                   The mail system\n\n"
        "<sabine.hoffmann@praxis-hoffmann.de>: connect to mx.praxis-hoffmann.de[203.0.113.77]:25:\n    Connection timed out\n"
    )
    status = dsn_status("mx1.example.com", [("sabine.hoffmann@praxis-hoffmann.de", "delayed", "4.4.1",
                                             None, None)],
                        "Mon,  3 Mar 2025 10:12:41 +0100 (CET)", [("X-Postfix-Queue-ID", "4Z6QnC0Lp5z9sXb")])
    status = status.replace("Status: 4.4.1\n", "Status: 4.4.1\nDiagnostic-Code: X-Postfix; connect to mx.praxis-hoffmann.de[203.0.113.77]:25:\n    Connection timed out\n")
    bounce(cid, frm=("Mail Delivery System", "MAILER-DAEMON@mx1.example.com"), subject="Delayed Mail (still being retried)",
           notification=note, status=status, original=orig, attach="headers", when=When(2025, 3, 3, 14, 13, 2),
           boundary="4Z6QnC0Lp5z9sXb.1741007582/mx1.example.com",
           headers=[("Auto-Submitted", "auto-replied")], expect={"bounce_hard": False}, tags=["postfix", "soft", "delayed", "rfc822-headers"])

    # 9. Postfix gives up after 5 days on a full mailbox: failed, but with a 4.x.x status.
    cid = "bounce/bounce-postfix-expired-4.2.2"
    tok = token(cid)
    orig = our_original(tok, ("Inês Carvalho", "ines.carvalho@example.com"), ("Ricardo Lopes", "ricardo.lopes@lopesadvogados.pt"),
                        "Fatura de fevereiro – Kalendo", "Olá Ricardo,\n\nEnviamos em anexo a fatura de fevereiro.\n\nInês", sent)
    note = (
        "This is the mail system at host mx1.example.com.\n\n"
        "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n"
        "                   The mail system\n\n"
        "<ricardo.lopes@lopesadvogados.pt>: host mx.lopesadvogados.pt[203.0.113.90] said:\n"
        "    452 4.2.2 Mailbox full (in reply to RCPT TO command)\n"
    )
    status = dsn_status("mx1.example.com", [("ricardo.lopes@lopesadvogados.pt", "failed", "4.2.2", "452 4.2.2 Mailbox full",
                                             "mx.lopesadvogados.pt")],
                        "Mon,  3 Mar 2025 10:12:41 +0100 (CET)", [("X-Postfix-Queue-ID", "4Z6QpD1Mq6z9sYc")])
    bounce(cid, frm=("Mail Delivery System", "MAILER-DAEMON@mx1.example.com"), subject="Undelivered Mail Returned to Sender",
           notification=note, status=status, original=orig, when=When(2025, 3, 8, 10, 13, 0),
           boundary="4Z6QpD1Mq6z9sYc.1741425180/mx1.example.com", headers=[("Auto-Submitted", "auto-replied")],
           expect={"bounce_hard": False, "failed_recipients": ["ricardo.lopes@lopesadvogados.pt"]}, tags=["postfix", "soft", "expired"])

    # 10. Exim, plain text with the original inline (no report), X-Failed-Recipients.
    cid = "bounce/bounce-exim-plain-x-failed-recipients"
    tok = token(cid)
    full, _, _ = our_original(tok, ("Sarah Mitchell", "sarah.mitchell@example.com"), ("Gary Holt", "gary@holt-roofing.co.uk"),
                              "Your Kalendo subscription renews on March 15", "Hi Gary,\n\nYour plan renews on March 15.\n\nSarah", sent)
    text = (
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n"
        "  gary@holt-roofing.co.uk\n    host mx.holt-roofing.co.uk [203.0.113.120]\n"
        "    SMTP error from remote mail server after RCPT TO:<gary@holt-roofing.co.uk>:\n    550 5.1.1 <gary@holt-roofing.co.uk>: Recipient address rejected: User unknown\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        + full.decode("utf-8")
    )
    body = Body(Text(text, charset="us-ascii", cte="8bit", declared_charset=None), "exim", "", False, False,
                msgid=f"E1tp{seeded(cid, 10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}-0003Xy-2b@mx.holt-roofing.co.uk", shape="text")
    body.node.declared_charset = ""
    case(cid, body, kind="bounce", frm=("Mail Delivery System", "Mailer-Daemon@mx.holt-roofing.co.uk"), to=[(None, "bounce@example.com")],
         subject="Mail delivery failed: returning message to sender", when=When(2025, 3, 3, 9, 12, 59, tz="+0000"), return_path="<>",
         extra=[("X-Failed-Recipients", "gary@holt-roofing.co.uk"), ("Auto-Submitted", "auto-replied")], check_reply=False,
         expect={"token": DROP, "token_source": DROP, "attachments": DROP, "failed_recipients": ["gary@holt-roofing.co.uk"]},
         tags=["exim", "x-failed-recipients", "no-report"])

    # 11. qmail, plain text.
    cid = "bounce/bounce-qmail-failure-notice"
    tok = token(cid)
    full, _, _ = our_original(tok, ("Giulia Romano", "giulia.romano@example.com"), ("Paolo Greco", "paolo.greco@greco-impianti.it"),
                              "Offerta Kalendo Pro per il vostro studio", "Buongiorno Paolo,\n\nle invio l'offerta.\n\nGiulia", sent)
    text = (
        "Hi. This is the qmail-send program at mail.greco-impianti.it.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        "<paolo.greco@greco-impianti.it>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
        "--- Below this line is a copy of the message.\n\n" + full.decode("utf-8")
    )
    body = Body(Text(text, charset="utf-8", cte="8bit"), "qmail", "", False, False,
                msgid=None, shape="text")
    body.node.declared_charset = ""
    case(cid, body, kind="bounce", frm=(None, "MAILER-DAEMON@mail.greco-impianti.it"), to=[(None, "bounce@example.com")],
         subject="failure notice", when=When(2025, 3, 3, 10, 12, 59), return_path="<>", check_reply=False,
         msgid="20250303091259.28417.qmail@mail.greco-impianti.it",
         expect={"token": DROP, "token_source": DROP, "attachments": DROP}, tags=["qmail", "no-report"])

    # 12. Bounce returned to the reply address itself (our envelope sender was the reply address).
    cid = "bounce/bounce-postfix-to-reply-address"
    tok = token(cid)
    orig = our_original(tok, ("Daan de Vries", "daan.devries@example.com"), ("Emma Visser", "emma@vissertandarts.nl"),
                        "Je proefperiode van Kalendo loopt donderdag af", "Hoi Emma,\n\nJe proefperiode loopt donderdag af.\n\nDaan", sent)
    note = ("This is the mail system at host mail.vissertandarts.nl.\n\n"
            "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n"
            "                   The mail system\n\n<emma@vissertandarts.nl>: mailbox unavailable\n")
    status = dsn_status("mail.vissertandarts.nl", [("emma@vissertandarts.nl", "failed", "5.1.1", "550 5.1.1 mailbox unavailable", None)],
                        "Mon,  3 Mar 2025 10:12:58 +0100 (CET)")
    bounce(cid, frm=("Mail Delivery System", "MAILER-DAEMON@mail.vissertandarts.nl"), subject="Undelivered Mail Returned to Sender",
           notification=note, status=status, original=orig, to=raddr(tok), source_expect="to",
           boundary="8C1D2E3F4A.1741000378/mail.vissertandarts.nl",
           expect={"bounce_hard": True, "failed_recipients": ["emma@vissertandarts.nl"]}, tags=["postfix", "hard", "verp"])

    # 13. Two failed recipients in one report.
    cid = "bounce/bounce-two-recipients"
    tok = token(cid)
    orig = our_original(tok, ("Sarah Mitchell", "sarah.mitchell@example.com"), ("Front Desk", "frontdesk@oakridge-vet.com"),
                        "Getting started with Kalendo", "Hi team,\n\nWelcome aboard!\n\nSarah", sent)
    note = ("This is the mail system at host mx.oakridge-vet.com.\n\n"
            "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n"
            "                   The mail system\n\n"
            "<amy.chen@oakridge-vet.com> (expanded from <frontdesk@oakridge-vet.com>): unknown user: \"amy.chen\"\n\n"
            "<luis.ortiz@oakridge-vet.com> (expanded from <frontdesk@oakridge-vet.com>): unknown user: \"luis.ortiz\"\n")
    status = dsn_status("mx.oakridge-vet.com", [
        ("amy.chen@oakridge-vet.com", "failed", "5.1.1", None, None),
        ("luis.ortiz@oakridge-vet.com", "failed", "5.1.1", None, None),
    ], "Mon,  3 Mar 2025 04:12:58 -0500 (EST)")
    status = status.replace("Original-Recipient: rfc822;amy.chen@oakridge-vet.com", "Original-Recipient: rfc822;frontdesk@oakridge-vet.com")
    status = status.replace("Original-Recipient: rfc822;luis.ortiz@oakridge-vet.com", "Original-Recipient: rfc822;frontdesk@oakridge-vet.com")
    bounce(cid, frm=("Mail Delivery System", "MAILER-DAEMON@mx.oakridge-vet.com"), subject="Undelivered Mail Returned to Sender",
           notification=note, status=status, original=orig, boundary="5E6F7A8B9C.1741000378/mx.oakridge-vet.com",
           expect={"bounce_hard": True, "failed_recipients": ["amy.chen@oakridge-vet.com", "luis.ortiz@oakridge-vet.com"]},
           tags=["postfix", "hard", "two-recipients"])

    # 14. Sendmail, headers only.
    cid = "bounce/bounce-sendmail-headers"
    tok = token(cid)
    orig = our_original(tok, ("Erik Lindqvist", "erik.lindqvist@example.com"), ("Johan Berg", "johan.berg@nilssonbygg.se"),
                        "Din provperiod hos Kalendo slutar på torsdag", "Hej Johan,\n\nDin provperiod slutar på torsdag.\n\nErik", sent)
    note = ("The original message was received at Mon, 3 Mar 2025 10:12:42 +0100\nfrom a8-50.smtp-out.example.com [198.51.100.50]\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n<johan.berg@nilssonbygg.se>\n"
            "    (reason: 550 5.1.1 <johan.berg@nilssonbygg.se>... User unknown)\n\n"
            "   ----- Transcript of session follows -----\n... while talking to mail.nilssonbygg.se.:\n"
            ">>> RCPT To:<johan.berg@nilssonbygg.se>\n<<< 550 5.1.1 <johan.berg@nilssonbygg.se>... User unknown\n550 5.1.1 <johan.berg@nilssonbygg.se>... User unknown\n")
    status = dsn_status("mx.nilssonbygg.se", [("johan.berg@nilssonbygg.se", "failed", "5.1.1",
                                               "550 5.1.1 <johan.berg@nilssonbygg.se>... User unknown", "mail.nilssonbygg.se")],
                        "Mon, 3 Mar 2025 10:12:42 +0100", [("Received-From-MTA", "DNS; a8-50.smtp-out.example.com")])
    bounce(cid, frm=("Mail Delivery Subsystem", "MAILER-DAEMON@mx.nilssonbygg.se"), subject="Returned mail: see transcript for details",
           notification=note, status=status, original=orig, attach="headers", boundary="523A9B1C.1741000362/mx.nilssonbygg.se",
           headers=[("Auto-Submitted", "auto-generated (failure)")],
           expect={"bounce_hard": True, "failed_recipients": ["johan.berg@nilssonbygg.se"]}, tags=["sendmail", "hard", "rfc822-headers"])

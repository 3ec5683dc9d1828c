#!/usr/bin/env python3
"""Writes the provider payload fixtures in this folder.

The payloads mirror each provider's documented webhook format; the people, addresses and
tokens are invented. SNS signatures are made with `openssl dgst` over the string to sign, using
the throwaway key `sns-test-key.pem` (its self-signed certificate is `sns-test-cert.pem`), so
the Rust verifier is checked against an independent signer.

Run from this folder: `python3 make_fixtures.py`.
"""

import base64
import hashlib
import hmac
import json
import subprocess

CRLF = b"\r\n"


def multipart(boundary, fields):
    """fields: list of (name, bytes, extra_headers, filename)."""
    out = b""
    for name, data, headers, filename in fields:
        out += b"--" + boundary + CRLF
        disp = b'Content-Disposition: form-data; name="' + name + b'"'
        if filename is not None:
            disp += b'; filename="' + filename + b'"'
        out += disp + CRLF
        for h in headers:
            out += h + CRLF
        out += CRLF + data + CRLF
    out += b"--" + boundary + b"--" + CRLF
    return out


def field(name, data, headers=(), filename=None):
    return (name, data, list(headers), filename)


REPLY_MIME = (
    "Return-Path: <marie@example.fr>\r\n"
    "Received: from mail.example.fr (mail.example.fr [192.0.2.10])\r\n"
    "\tby inbound.example.net; Tue, 1 Dec 2026 09:00:02 +0000\r\n"
    "From: Marie Dupont <marie@example.fr>\r\n"
    "To: reply+tok123@reply.example.com\r\n"
    "Subject: Re: votre devis\r\n"
    "Message-ID: <reply-1@mail.example.fr>\r\n"
    "In-Reply-To: <rt-out-1@product.example>\r\n"
    "References: <rt-out-1@product.example>\r\n"
    "Date: Tue, 1 Dec 2026 10:00:00 +0100\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Oui, ça me va. Envoyez la facture.\r\n"
    "\r\n"
    "Marie\r\n"
).encode("utf-8")

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def sendgrid_parsed():
    headers = (
        "Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn\r\n"
        " Tue, 01 Dec 2026 09:00:03 +0000 (UTC)\r\n"
        "Received: from mail.example.fr (mail.example.fr [192.0.2.10])\r\n"
        "\tby mx0047p1mdw1.sendgrid.net (Postfix) with ESMTPS id 3C2F3C0B1D\r\n"
        "MIME-Version: 1.0\r\n"
        "From: =?ISO-8859-1?Q?Marie_Dupr=E9?= <marie@example.fr>\r\n"
        "Date: Tue, 1 Dec 2026 10:00:00 +0100\r\n"
        "Message-ID: <CAN0-sg-1@mail.example.fr>\r\n"
        "In-Reply-To: <rt-out-1@product.example>\r\n"
        "References: <rt-out-0@product.example> <rt-out-1@product.example>\r\n"
        "Subject: =?ISO-8859-1?Q?R=E9ponse_=E0_votre_devis?=\r\n"
        "To: Acme Sales <reply+tok123@reply.example.com>\r\n"
        "Cc: paul@example.fr\r\n"
        "Content-Type: multipart/mixed; boundary=\"000000000000a1b2c3\"\r\n"
    ).encode("ascii")
    text = (
        "Bonjour,\n\nÇa me convient très bien, à jeudi.\n\nMarie\n\n"
        "Le lun. 30 nov. 2026, Acme <sales@acme.example> a écrit :\n> Voici le devis\n"
    ).encode("iso-8859-1")
    html = (
        "<p>\u201cParfait\u201d \u2013 merci ! Prix : 120 \u20ac</p>"
        '<img src="cid:ii_kx1">'
    ).encode("windows-1252")
    info = {
        "attachment1": {
            "filename": "devis-sign\u00e9.pdf",
            "name": "devis-sign\u00e9.pdf",
            "type": "application/pdf",
        },
        "attachment2": {
            "filename": "logo.png",
            "name": "logo.png",
            "type": "image/png",
            "content-id": "ii_kx1",
        },
    }
    charsets = {
        "to": "UTF-8",
        "cc": "UTF-8",
        "html": "Windows-1252",
        "subject": "iso-8859-1",
        "from": "UTF-8",
        "text": "iso-8859-1",
    }
    fields = [
        field(b"headers", headers),
        field(b"dkim", b"{@example.fr : pass}"),
        field(b"content-ids", b'{"ii_kx1":"attachment2"}'),
        field(b"to", b"Acme Sales <reply+tok123@reply.example.com>"),
        field(b"cc", b"paul@example.fr"),
        field(b"html", html),
        field(b"from", "Marie Dupré <marie@example.fr>".encode("utf-8")),
        field(b"text", text),
        field(b"sender_ip", b"192.0.2.10"),
        field(b"spam_report", b"Spam detection software, running on the system ..."),
        field(
            b"envelope",
            b'{"to":["reply+tok123@reply.example.com"],"from":"marie@example.fr"}',
        ),
        field(b"attachments", b"2"),
        field(b"subject", "Réponse à votre devis".encode("iso-8859-1")),
        field(b"spam_score", b"0.012"),
        field(b"attachment-info", json.dumps(info).encode("ascii")),
        field(b"charsets", json.dumps(charsets).encode("ascii")),
        field(b"SPF", b"pass"),
        field(
            b"attachment1",
            PDF,
            [b"Content-Type: application/pdf"],
            "devis-signé.pdf".encode("utf-8"),
        ),
        field(
            b"attachment2",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            [b"Content-Type: image/png"],
            b"logo.png",
        ),
    ]
    return multipart(b"xYzZY", fields)


def sendgrid_raw():
    fields = [
        field(b"dkim", b"{@example.fr : pass}"),
        field(b"email", REPLY_MIME),
        field(b"to", b"reply+tok123@reply.example.com"),
        field(b"from", b"Marie Dupont <marie@example.fr>"),
        field(b"sender_ip", b"192.0.2.10"),
        field(
            b"envelope",
            b'{"to":["reply+tok123@reply.example.com"],"from":"marie@example.fr"}',
        ),
        field(b"subject", b"Re: votre devis"),
        field(b"spam_score", b"1.5"),
        field(b"charsets", b'{"to":"UTF-8","subject":"UTF-8","from":"UTF-8"}'),
        field(b"SPF", b"softfail"),
    ]
    return multipart(b"xYzZY", fields)


MAILGUN_KEY = b"key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
MAILGUN_TIMESTAMP = b"1796115600"  # 2026-12-01T09:00:00Z
MAILGUN_TOKEN = b"c3b1b7dbb9d6ed2d4aa6c9d4c05a0b7e3e4d1b6e6c2a1f0a9b"


def mailgun_fields():
    sig = hmac.new(MAILGUN_KEY, MAILGUN_TIMESTAMP + MAILGUN_TOKEN, hashlib.sha256)
    headers = [
        ["X-Mailgun-Spf", "Pass"],
        ["X-Mailgun-Dkim-Check-Result", "Pass"],
        ["X-Mailgun-Sflag", "No"],
        ["X-Mailgun-Sscore", "0.3"],
        ["Received", "from mail.example.fr by mxa.mailgun.org with ESMTP"],
        ["Date", "Tue, 1 Dec 2026 10:00:00 +0100"],
        ["From", "Marie Dupont <marie@example.fr>"],
        ["To", "reply+tok123@reply.example.com"],
        ["Message-Id", "<mg-reply-1@mail.example.fr>"],
        ["In-Reply-To", "<rt-out-1@product.example>"],
        ["References", "<rt-out-1@product.example>"],
        ["Subject", "Re: votre devis"],
        ["Mime-Version", "1.0"],
    ]
    return [
        (b"recipient", b"reply+tok123@reply.example.com"),
        (b"sender", b"marie@example.fr"),
        (b"from", b"Marie Dupont <marie@example.fr>"),
        (b"subject", b"Re: votre devis"),
        (b"body-plain", "Oui, ça me va.\r\n\r\n> Voici le devis\r\n".encode("utf-8")),
        (b"stripped-text", "Oui, ça me va.".encode("utf-8")),
        (b"body-html", '<div>Oui, ça me va.<img src="cid:logo@x"></div>'.encode("utf-8")),
        (b"attachment-count", b"1"),
        (b"timestamp", MAILGUN_TIMESTAMP),
        (b"token", MAILGUN_TOKEN),
        (b"signature", sig.hexdigest().encode("ascii")),
        (b"message-headers", json.dumps(headers).encode("utf-8")),
        (b"content-id-map", b'{"<logo@x>": "attachment-1"}'),
    ]


def mailgun_multipart():
    fields = [field(n, v) for n, v in mailgun_fields()]
    fields.append(
        field(b"attachment-1", b"\x89PNG\r\n\x1a\n", [b"Content-Type: image/png"], b"logo.png")
    )
    return multipart(b"mg-7d1a9c", fields)


def mailgun_urlencoded():
    from urllib.parse import quote_plus

    pairs = [
        quote_plus(n.decode()) + "=" + quote_plus(v.decode("utf-8")) for n, v in mailgun_fields()
    ]
    return "&".join(pairs).encode("ascii")


def mailgun_mime():
    fields = [
        field(b"recipient", b"reply+tok123@reply.example.com"),
        field(b"sender", b"marie@example.fr"),
        field(b"from", b"Marie Dupont <marie@example.fr>"),
        field(b"subject", b"Re: votre devis"),
        field(b"body-mime", REPLY_MIME),
        field(b"timestamp", MAILGUN_TIMESTAMP),
        field(b"token", MAILGUN_TOKEN),
        field(b"signature", b"0" * 64),
    ]
    return multipart(b"mg-7d1a9c", fields)


def postmark(mailbox_hash_only):
    to_email = (
        "4f2a8e1c9b@inbound.postmarkapp.com"
        if mailbox_hash_only
        else "reply+tok123@reply.example.com"
    )
    payload = {
        "FromName": "Marie Dupont",
        "MessageStream": "inbound",
        "From": "marie@example.fr",
        "FromFull": {"Email": "marie@example.fr", "Name": "Marie Dupont", "MailboxHash": ""},
        "To": f"\"Acme Sales\" <{to_email}>",
        "ToFull": [{"Email": to_email, "Name": "Acme Sales", "MailboxHash": "tok123"}],
        "Cc": "\"Paul\" <paul@example.fr>",
        "CcFull": [{"Email": "paul@example.fr", "Name": "Paul", "MailboxHash": ""}],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": to_email if mailbox_hash_only else "reply+tok123@reply.example.com",
        "Subject": "Re: votre devis",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "marie.dupont@example.fr",
        "MailboxHash": "tok123",
        "Date": "Tue, 1 Dec 2026 10:00:00 +0100",
        "TextBody": "Oui, ça me va.\n\nLe 30 nov., Acme a écrit :\n> Voici le devis",
        "HtmlBody": "<p>Oui, ça me va.</p>",
        "StrippedTextReply": "Oui, ça me va.",
        "Tag": "",
        "Headers": [
            {"Name": "X-Spam-Checker-Version", "Value": "SpamAssassin 3.3.1"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "X-Spam-Score", "Value": "-0.1"},
            {"Name": "X-Spam-Tests", "Value": "DKIM_SIGNED,DKIM_VALID,SPF_PASS"},
            {
                "Name": "Received-SPF",
                "Value": "Pass (sender SPF authorized) identity=mailfrom; client-ip=192.0.2.10",
            },
            {"Name": "Return-Path", "Value": "<marie@example.fr>"},
            {"Name": "Message-ID", "Value": "<pm-reply-1@mail.example.fr>"},
            {"Name": "In-Reply-To", "Value": "<rt-out-1@product.example>"},
            {"Name": "References", "Value": "<rt-out-0@product.example> <rt-out-1@product.example>"},
            {"Name": "MIME-Version", "Value": "1.0"},
        ],
        "Attachments": [
            {
                "Name": "devis-signé.pdf",
                "Content": base64.b64encode(PDF).decode("ascii"),
                "ContentType": "application/pdf",
                "ContentLength": len(PDF),
            }
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False).encode("utf-8")


TOPIC = "arn:aws:sns:eu-west-1:123456789012:replytrack-inbound"
CERT_URL = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem"


def sign(string_to_sign, version):
    digest = "-sha1" if version == "1" else "-sha256"
    out = subprocess.run(
        ["openssl", "dgst", digest, "-sign", "sns-test-key.pem"],
        input=string_to_sign.encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout
    return base64.b64encode(out).decode("ascii")


def sns_string_to_sign(msg):
    if msg["Type"] == "Notification":
        keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{k}\n{msg[k]}\n" for k in keys if k in msg)


def sns(msg, version):
    msg = dict(msg)
    msg["SignatureVersion"] = version
    msg["Signature"] = sign(sns_string_to_sign(msg), version)
    msg["SigningCertURL"] = CERT_URL
    return json.dumps(msg, indent=2).encode("utf-8")


def ses_notification(base64_content):
    receipt = {
        "timestamp": "2026-12-01T09:00:02.500Z",
        "processingTimeMillis": 420,
        "recipients": ["reply+tok123@reply.example.com"],
        "spamVerdict": {"status": "PASS"},
        "virusVerdict": {"status": "PASS"},
        "spfVerdict": {"status": "PASS"},
        "dkimVerdict": {"status": "GRAY"},
        "dmarcVerdict": {"status": "PROCESSING_FAILED"},
        "dmarcPolicy": "none",
        "action": {
            "type": "SNS",
            "topicArn": TOPIC,
            "encoding": "BASE64" if base64_content else "UTF8",
        },
    }
    mail = {
        "timestamp": "2026-12-01T09:00:02.000Z",
        "source": "marie@example.fr",
        "messageId": "o3vrnil0e2ic28trm7dfhrc2v0cnbrsmg8tl1u01",
        "destination": ["reply+tok123@reply.example.com"],
        "headersTruncated": False,
        "headers": [{"name": "From", "value": "Marie Dupont <marie@example.fr>"}],
        "commonHeaders": {
            "returnPath": "marie@example.fr",
            "from": ["Marie Dupont <marie@example.fr>"],
            "date": "Tue, 1 Dec 2026 10:00:00 +0100",
            "to": ["reply+tok123@reply.example.com"],
            "messageId": "<reply-1@mail.example.fr>",
            "subject": "Re: votre devis",
        },
    }
    content = (
        base64.b64encode(REPLY_MIME).decode("ascii")
        if base64_content
        else REPLY_MIME.decode("utf-8")
    )
    return {"notificationType": "Received", "mail": mail, "receipt": receipt, "content": content}


def ses_sns(base64_content, version, message_id):
    # With UTF-8 content the Message keeps "ç" as a real character (escaped only in the outer
    # JSON), so the signature covers non-ASCII UTF-8 bytes.
    return sns(
        {
            "Type": "Notification",
            "MessageId": message_id,
            "TopicArn": TOPIC,
            "Subject": "Amazon SES Email Receipt Notification",
            "Message": json.dumps(ses_notification(base64_content), ensure_ascii=base64_content),
            "Timestamp": "2026-12-01T09:00:03.112Z",
            "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe"
            "&SubscriptionArn=" + TOPIC + ":0c1e2f3a",
        },
        version,
    )


def subscription_confirmation():
    return sns(
        {
            "Type": "SubscriptionConfirmation",
            "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
            "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a",
            "TopicArn": TOPIC,
            "Message": "You have chosen to subscribe to the topic " + TOPIC + ".\n"
            "To confirm the subscription, visit the SubscribeURL included in this message.",
            "SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription"
            "&TopicArn=" + TOPIC + "&Token=2336412f37fb687f5d51e6e241d09c805a5a57b30d71",
            "Timestamp": "2026-12-01T08:59:00.000Z",
        },
        "1",
    )


def write(name, data):
    with open(name, "wb") as f:
        f.write(data)


write("reply.eml", REPLY_MIME)
write("sendgrid_parsed.multipart", sendgrid_parsed())
write("sendgrid_raw.multipart", sendgrid_raw())
write("mailgun_forward.multipart", mailgun_multipart())
write("mailgun_forward.urlencoded", mailgun_urlencoded())
write("mailgun_mime.multipart", mailgun_mime())
write("postmark_inbound.json", postmark(False))
write("postmark_mailbox_hash.json", postmark(True))
write("ses_sns_base64_v1.json", ses_sns(True, "1", "d6a5b1c2-0f2e-5b7e-9d2a-4a8c6e7f1b01"))
write("ses_sns_utf8_v2.json", ses_sns(False, "2", "d6a5b1c2-0f2e-5b7e-9d2a-4a8c6e7f1b02"))
write("ses_bare_notification.json", json.dumps(ses_notification(True)).encode("utf-8"))
write("sns_subscription_confirmation.json", subscription_confirmation())

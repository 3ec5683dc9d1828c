"""parse_email: raw MIME and every provider's webhook payload into one InboundMessage."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import pytest

import replytrack as rt
import sendgrid
from conftest import DOMAIN, raw_reply, read

UTC = dt.timezone.utc


def test_raw_bytes_become_a_typed_message():
    msg = rt.parse_email(read("reply_5k.eml"))

    assert isinstance(msg, rt.InboundMessage)
    assert msg.from_ == msg.from_  # records compare by value
    assert msg.from_.name == "Marie Dupré"
    assert msg.from_.address == "marie.dupont@example.fr"
    assert str(msg.from_) == "Marie Dupré <marie.dupont@example.fr>"
    assert msg.subject == "Re: Votre devis pour l'abonnement annuel"
    assert msg.date == dt.datetime(2026, 3, 3, 10, 12, 18, tzinfo=UTC)
    assert msg.message_id == "CAFx8-fixture-5k@mail.example.fr"
    assert msg.in_reply_to == ["08zxhjva5nbwwbxg.s20bgneary@reply.example.com"]
    assert [m.address for m in msg.to] == ["reply+08zxhjva5nbwwbxg@reply.example.com"]
    assert msg.delivered_to == ["reply+08zxhjva5nbwwbxg@reply.example.com"]
    assert msg.text_body.startswith("Bonjour Paul,\n\nMerci pour le devis.")
    assert msg.html_body.startswith('<div dir="ltr">')
    assert msg.text_from_html is False
    assert msg.transport.provider == rt.Provider.RAW
    assert msg.raw_sha256 == hashlib.sha256(read("reply_5k.eml")).hexdigest()
    assert msg.header("subject") == msg.subject
    assert msg.header_values("Received")[0].startswith("from mail-wr1-f54")
    assert ("MIME-Version", "1.0") in msg.headers


def test_str_and_bytearray_inputs_parse_like_bytes():
    raw = raw_reply(to=f"reply+0123456789abcdef@{DOMAIN}", body="Oui, merci !\n")

    from_bytes = rt.parse_email(raw)

    assert rt.parse_email(bytearray(raw)) == from_bytes
    assert rt.parse_email(raw.decode("utf-8")).text_body == from_bytes.text_body == "Oui, merci !\n"


def test_other_argument_types_are_a_type_error():
    with pytest.raises(TypeError, match="bytes, bytearray or str"):
        rt.parse_email(12345)


def test_to_dict_is_plain_data_and_to_json_is_json():
    msg = rt.parse_email(read("reply_5k.eml"))

    d = msg.to_dict()
    as_json = json.loads(msg.to_json())

    assert d["from"] == {"name": "Marie Dupré", "address": "marie.dupont@example.fr"}
    assert d["to"][0]["address"] == "reply+08zxhjva5nbwwbxg@reply.example.com"
    assert d["transport"]["provider"] == "raw"
    assert d["date"] == msg.date
    assert as_json["subject"] == msg.subject
    assert as_json["from"]["address"] == "marie.dupont@example.fr"
    assert "InboundMessage(from_='marie.dupont@example.fr'" in repr(msg)


def test_sendgrid_parsed_mode_multipart(authority, address_format, now):
    issued = authority.issue(now)
    to = address_format.address(issued)
    text = "Parfait, merci !\n\nLe lun. 2 mars 2026, Acme <sales@acme.example> a écrit :\n> Voici le devis\n"
    body, content_type = sendgrid.encode(
        sendgrid.parsed_mode_fields(to, text, html="<p>Parfait, merci !</p>"),
        files={"attachment1": ("devis.pdf", b"%PDF-1.4 fake", "application/pdf")},
    )

    msg = rt.parse_email(body, provider="sendgrid", content_type=content_type)

    assert msg.from_.address == "marie@example.fr"
    assert msg.subject == "Réponse à votre devis"
    assert msg.text_body == text
    assert msg.transport.provider == "sendgrid"
    assert msg.transport.spf == rt.Verdict.PASS
    assert msg.transport.dkim == rt.Verdict.PASS
    assert msg.transport.spam_score == pytest.approx(0.1)
    assert msg.transport.sender_ip == "192.0.2.10"
    assert msg.transport.envelope.rcpt_to == [to]
    assert msg.transport.envelope.mail_from == "marie@example.fr"
    [pdf] = msg.attachments
    assert (pdf.filename, pdf.content_type, pdf.size) == ("devis.pdf", "application/pdf", 13)
    assert pdf.sha256 == hashlib.sha256(b"%PDF-1.4 fake").hexdigest()
    assert rt.scan_token(msg, DOMAIN).source == rt.TokenSource.ENVELOPE
    assert rt.extract_reply(msg).text == "Parfait, merci !"


def test_sendgrid_raw_mode_carries_the_whole_mime():
    body, content_type = sendgrid.encode(
        {
            "email": read("reply_5k.eml").decode("ascii"),
            "envelope": json.dumps({"to": ["reply+08zxhjva5nbwwbxg@reply.example.com"], "from": "m@x"}),
        }
    )

    msg = rt.parse_email(body, provider=rt.Provider.SENDGRID, content_type=content_type)

    assert msg.message_id == "CAFx8-fixture-5k@mail.example.fr"
    assert msg.transport.provider == rt.Provider.SENDGRID


def test_mailgun_urlencoded_route():
    from urllib.parse import urlencode

    body = urlencode(
        {
            "recipient": f"reply+0123456789abcdef@{DOMAIN}",
            "sender": "marie@example.fr",
            "from": "Marie Dupont <marie@example.fr>",
            "subject": "Re: votre devis",
            "body-plain": "Oui, ça me va.\r\n\r\n> Voici le devis\r\n",
            "Message-Id": "<mg-1@mail.example.fr>",
            "message-headers": json.dumps(
                [["Message-Id", "<mg-1@mail.example.fr>"], ["Subject", "Re: votre devis"]]
            ),
            "timestamp": "1772532750",
            "token": "t" * 50,
            "signature": "0" * 64,
        }
    )

    msg = rt.parse_email(body, provider="mailgun", content_type="application/x-www-form-urlencoded")

    assert msg.from_.name == "Marie Dupont"
    assert msg.text_body.startswith("Oui, ça me va.")
    assert msg.transport.provider == "mailgun"
    assert rt.scan_token(msg, DOMAIN).token == "0123456789abcdef"


def test_postmark_json_with_mailbox_hash():
    payload = {
        "FromFull": {"Email": "marie@example.fr", "Name": "Marie Dupont", "MailboxHash": ""},
        "ToFull": [{"Email": f"reply+0123456789abcdef@{DOMAIN}", "Name": "", "MailboxHash": "0123456789abcdef"}],
        "Subject": "Re: votre devis",
        "MessageID": "pm-73e6d360",
        "MailboxHash": "0123456789abcdef",
        "TextBody": "Oui merci.",
        "Headers": [{"Name": "Message-ID", "Value": "<pm-reply@mail.example.fr>"}],
    }

    msg = rt.parse_email(json.dumps(payload), provider="postmark")

    assert msg.transport.provider_message_id == "pm-73e6d360"
    assert msg.transport.mailbox_hash == "0123456789abcdef"
    assert rt.scan_token(msg, DOMAIN).source == rt.TokenSource.MAILBOX_HASH


def test_ses_notification_through_sns():
    raw = raw_reply(to=f"reply+0123456789abcdef@{DOMAIN}", body="Sí, gracias.\n")
    notification = {
        "notificationType": "Received",
        "mail": {
            "timestamp": "2026-03-03T10:12:20.000Z",
            "source": "marie@example.fr",
            "messageId": "ses-o3vrnil0e2ic28",
            "destination": [f"reply+0123456789abcdef@{DOMAIN}"],
        },
        "receipt": {
            "recipients": [f"reply+0123456789abcdef@{DOMAIN}"],
            "spfVerdict": {"status": "PASS"},
            "dkimVerdict": {"status": "FAIL"},
            "action": {"type": "SNS", "encoding": "BASE64"},
        },
        "content": base64.b64encode(raw).decode("ascii"),
    }
    sns = {
        "Type": "Notification",
        "MessageId": "d6a5b1c2",
        "TopicArn": "arn:aws:sns:eu-west-1:123456789012:inbound",
        "Message": json.dumps(notification),
        "Timestamp": "2026-03-03T10:12:21.000Z",
    }

    msg = rt.parse_email(json.dumps(sns).encode(), provider="ses")

    assert msg.text_body == "Sí, gracias.\n"
    assert msg.transport.provider == rt.Provider.SES
    assert msg.transport.spf == rt.Verdict.PASS
    assert msg.transport.dkim == rt.Verdict.FAIL


def test_empty_input_is_malformed_with_its_kind_and_field():
    with pytest.raises(rt.MalformedInput) as caught:
        rt.parse_email(b"")

    err = caught.value
    assert isinstance(err, rt.ReplytrackError)
    assert (err.kind, err.field) == ("not_a_message", "body")


def test_size_limit_names_the_limit_and_the_size():
    with pytest.raises(rt.MalformedInput) as caught:
        rt.parse_email(read("reply_5k.eml"), max_bytes=1000)

    assert caught.value.kind == "too_large"
    assert caught.value.limit == 1000
    assert caught.value.size == len(read("reply_5k.eml"))


def test_missing_sendgrid_field_names_the_field():
    body, content_type = sendgrid.encode({"text": "hello"})

    with pytest.raises(rt.MalformedInput) as caught:
        rt.parse_email(body, provider="sendgrid", content_type=content_type)

    assert (caught.value.kind, caught.value.field) == ("missing_field", "headers")


def test_unknown_provider_is_a_config_error():
    with pytest.raises(rt.ConfigError) as caught:
        rt.parse_email(b"From: a@b\r\n\r\nhi", provider="sparkpost")

    assert caught.value.reason == "unknown_provider"
    assert caught.value.provider == "sparkpost"


def test_hostile_input_is_refused_or_parsed_never_crashes():
    inputs = [b"\x00" * 1000, b"From: a@b\r\n" * 5000 + b"\r\n", "=?utf-8?q?" * 10000, b"--x\r\n" * 1000]
    for data in inputs:
        try:
            rt.parse_email(data)
        except rt.MalformedInput:
            pass

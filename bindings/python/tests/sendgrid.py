"""Building SendGrid Inbound Parse payloads the way SendGrid posts them (multipart/form-data)."""

from __future__ import annotations

import json

import requests


def parsed_mode_fields(to: str, text: str, html: str | None = None) -> dict[str, str]:
    """The form fields of a parsed-mode POST (SendGrid's default)."""
    headers = (
        "Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn\n"
        "MIME-Version: 1.0\n"
        "From: =?UTF-8?Q?Marie_Dupr=C3=A9?= <marie@example.fr>\n"
        "Date: Tue, 3 Mar 2026 11:12:18 +0100\n"
        "Message-ID: <CAN0-sg-1@mail.example.fr>\n"
        "In-Reply-To: <rt-out-1@product.example>\n"
        "Subject: =?UTF-8?Q?R=C3=A9ponse_=C3=A0_votre_devis?=\n"
        f"To: Acme Sales <{to}>\n"
        'Content-Type: multipart/alternative; boundary="000000000000a1b2c3"\n'
    )
    fields = {
        "headers": headers,
        "dkim": "{@example.fr : pass}",
        "to": f"Acme Sales <{to}>",
        "from": "Marie Dupré <marie@example.fr>",
        "text": text,
        "sender_ip": "192.0.2.10",
        "envelope": json.dumps({"to": [to], "from": "marie@example.fr"}),
        "attachments": "0",
        "subject": "Réponse à votre devis",
        "charsets": json.dumps(
            {"to": "UTF-8", "html": "UTF-8", "subject": "UTF-8", "from": "UTF-8", "text": "UTF-8"}
        ),
        "SPF": "pass",
        "spam_score": "0.1",
    }
    if html is not None:
        fields["html"] = html
    return fields


def encode(fields: dict[str, str], files: dict | None = None) -> tuple[bytes, str]:
    """The body and Content-Type of the multipart POST `requests` would send."""
    req = requests.Request(
        "POST",
        "http://127.0.0.1/inbound",
        data={k: v.encode("utf-8") for k, v in fields.items()},
        files=files or {},
    ).prepare()
    return req.body, req.headers["Content-Type"]

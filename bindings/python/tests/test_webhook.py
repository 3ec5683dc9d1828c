"""A Flask endpoint receiving a real SendGrid Inbound Parse POST over HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator

import pytest
import requests
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

import replytrack as rt
import sendgrid
from conftest import DOMAIN

USER, PASSWORD = "sendgrid", "inbound-s3cret"


def make_app(authority: rt.TokenAuthority) -> Flask:
    app = Flask("replytrack-webhook-test")
    auth = rt.BasicAuth(USER, PASSWORD)

    @app.post("/inbound/sendgrid")
    def inbound():
        if not auth.is_authorized(request.headers.get("Authorization")):
            return jsonify(error="unauthorized"), 401
        body = request.get_data(cache=True, parse_form_data=False)
        try:
            msg = rt.parse_email(body, provider="sendgrid", content_type=request.content_type)
        except rt.MalformedInput as e:
            return jsonify(error=e.kind, field=e.field), 400
        found = rt.scan_token(msg, DOMAIN)
        if found is None:
            return jsonify(error="no_token"), 422
        try:
            verified = authority.verify(found.token)
        except rt.TokenExpired as e:
            return jsonify(error="expired", expired_at=e.expired_at.isoformat()), 410
        except rt.TokenError as e:
            return jsonify(error=e.reason), 403
        reply = rt.extract_reply(msg)
        return jsonify(
            token=verified.token,
            source=found.source,
            kind=rt.classify(msg).kind,
            text=reply.text,
            lang=reply.lang,
            attachments=[a.filename for a in msg.attachments],
        )

    return app


@pytest.fixture
def server(authority) -> Iterator[str]:
    srv = make_server("127.0.0.1", 0, make_app(authority), threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()
        thread.join(timeout=10)


def basic(user: str = USER, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def post(url: str, fields: dict[str, str], files: dict | None = None, headers=None) -> requests.Response:
    return requests.post(
        url + "/inbound/sendgrid",
        data={k: v.encode("utf-8") for k, v in fields.items()},
        files=files or {},
        headers=headers if headers is not None else basic(),
        timeout=30,
    )


def test_sendgrid_post_returns_the_verified_token_and_the_reply_text(server, authority, address_format):
    issued = authority.issue()
    to = address_format.address(issued)
    text = (
        "Parfait, on part sur 25 postes.\n\nMarie\n\n"
        "Le lun. 2 mars 2026 à 17:40, Acme <sales@acme.example> a écrit :\n> Voici le devis\n"
    )

    response = post(
        server,
        sendgrid.parsed_mode_fields(to, text),
        files={"attachment1": ("bon-de-commande.pdf", b"%PDF-1.4 signed", "application/pdf")},
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "token": issued.token,
        "source": "envelope",
        "kind": "reply",
        "text": "Parfait, on part sur 25 postes.\n\nMarie",
        "lang": "fr",
        "attachments": ["bon-de-commande.pdf"],
    }


def test_forged_token_is_refused(server, authority, address_format):
    token = authority.issue().token
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")

    response = post(server, sendgrid.parsed_mode_fields(address_format.address(forged), "Hi"))

    assert response.status_code == 403
    assert response.json() == {"error": "forged"}


def test_wrong_credentials_are_refused(server, authority, address_format):
    fields = sendgrid.parsed_mode_fields(address_format.address(authority.issue()), "Hi")

    response = post(server, fields, headers=basic(password="guess"))

    assert response.status_code == 401


def test_payload_without_headers_is_a_bad_request(server):
    response = post(server, {"text": "no headers field"})

    assert response.status_code == 400
    assert response.json() == {"error": "missing_field", "field": "headers"}

#!/usr/bin/env python3
"""A SendGrid Inbound Parse receiver built on replytrack.

It accepts SendGrid's multipart/form-data POST, parses it, finds and verifies the reply token,
classifies the message (reply, auto reply, bounce, own loop), strips quoted history and
signature, and prints the token, the kind and the reply text. Storing the reply (ingest into
SQLite, the conversation timeline, forwarding, analysis) comes with the replytrack engine, which
the Python package does not expose yet; this example will grow an `engine.ingest(...)` call then.

Run it (after `bindings/python/test.sh` or `pip install ./bindings/python flask`):

    python examples/python/webhook_receiver.py --demo     # posts a sample reply to itself, prints, exits
    python examples/python/webhook_receiver.py            # serves on http://127.0.0.1:8025/inbound/sendgrid

Settings (environment):
    REPLYTRACK_SECRET_HEX   master secret, 32 bytes as hex (default: a random one per run)
    REPLYTRACK_DOMAIN       reply domain (default: reply.example.com)
    SENDGRID_BASIC_AUTH     "user:password" that SendGrid's URL carries (default: no auth)
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import sys
import threading

from flask import Flask, jsonify, request

import replytrack as rt

DOMAIN = os.environ.get("REPLYTRACK_DOMAIN", "reply.example.com")


def make_authority() -> rt.TokenAuthority:
    secret_hex = os.environ.get("REPLYTRACK_SECRET_HEX")
    if secret_hex:
        secret = rt.Secret.from_hex(secret_hex)
    else:
        print("note: REPLYTRACK_SECRET_HEX is not set; using a random secret for this run", file=sys.stderr)
        secret = rt.Secret.generate()
    return rt.TokenAuthority(rt.Keyring.single(secret), domain=DOMAIN)


def make_app(authority: rt.TokenAuthority) -> Flask:
    app = Flask(__name__)
    credentials = os.environ.get("SENDGRID_BASIC_AUTH")
    auth = rt.BasicAuth(*credentials.split(":", 1)) if credentials else None

    @app.post("/inbound/sendgrid")
    def inbound():
        if auth is not None and not auth.is_authorized(request.headers.get("Authorization")):
            return jsonify(error="unauthorized"), 401
        body = request.get_data(cache=True, parse_form_data=False)
        try:
            msg = rt.parse_email(body, provider="sendgrid", content_type=request.content_type)
        except rt.MalformedInput as e:
            # Nothing is lost: a real receiver keeps `body` in a dead-letter store here.
            print(f"unreadable payload: {e} (kind={e.kind}, field={e.field})", file=sys.stderr)
            return jsonify(error=e.kind, field=e.field), 400

        kind = rt.classify(msg).kind
        found = rt.scan_token(msg, DOMAIN)
        token, status = None, "no token"
        if found is not None:
            try:
                token = authority.verify(found.token).token
                status = "verified"
            except rt.TokenExpired as e:
                status = f"expired on {e.expired_at:%Y-%m-%d} (authentic: {e.authentic})"
            except rt.TokenError as e:
                status = e.reason
        reply = rt.extract_reply(msg)

        sender = msg.from_.address if msg.from_ else "?"
        print(f"from:  {sender}")
        print(f"token: {token or (found.token if found else '-')} ({status})")
        print(f"kind:  {kind}")
        print("reply:")
        print("  " + reply.text.replace("\n", "\n  "))
        sys.stdout.flush()
        # A refused token is still a received email: answer 2xx so the provider does not retry.
        return jsonify(token=token, status=status, kind=kind, text=reply.text)

    return app


def demo(app: Flask, authority: rt.TokenAuthority) -> int:
    """Serve on an ephemeral loopback port, post one SendGrid-shaped reply, print, stop."""
    import requests
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        issued = authority.issue()
        to = rt.AddressFormat(DOMAIN).address(issued)
        fields = {
            "headers": (
                "From: Marie Dupont <marie@example.fr>\n"
                f"To: Acme Sales <{to}>\n"
                "Subject: Re: Votre devis\n"
                f"Date: {dt.datetime.now(dt.timezone.utc):%a, %d %b %Y %H:%M:%S +0000}\n"
                "Message-ID: <demo-1@mail.example.fr>\n"
            ),
            "from": "Marie Dupont <marie@example.fr>",
            "to": f"Acme Sales <{to}>",
            "subject": "Re: Votre devis",
            "text": (
                "Bonjour,\n\nParfait pour 25 postes, envoyez-nous le bon de commande.\n\n"
                "Cordialement,\nMarie Dupont\nResponsable achats\n+33 1 23 45 67 89\n\n"
                "Le lun. 2 mars 2026 à 17:40, Acme <sales@acme.example> a écrit :\n"
                "> Voici notre proposition.\n"
            ),
            "envelope": json.dumps({"to": [to], "from": "marie@example.fr"}),
            "charsets": json.dumps({"text": "UTF-8", "subject": "UTF-8", "from": "UTF-8", "to": "UTF-8"}),
            "SPF": "pass",
        }
        credentials = os.environ.get("SENDGRID_BASIC_AUTH")
        headers = {}
        if credentials:
            headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
        response = requests.post(
            f"http://127.0.0.1:{server.server_port}/inbound/sendgrid",
            files={k: (None, v.encode("utf-8")) for k, v in fields.items()},
            headers=headers,
            timeout=30,
        )
        print(f"HTTP {response.status_code}")
        return 0 if response.ok and response.json().get("token") == issued.token else 1
    finally:
        server.shutdown()
        thread.join(timeout=10)


def main() -> int:
    ap = argparse.ArgumentParser(description="SendGrid Inbound Parse receiver (replytrack example)")
    ap.add_argument("--demo", action="store_true", help="post a sample reply to itself, print it, exit")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8025)
    args = ap.parse_args()

    authority = make_authority()
    app = make_app(authority)
    if args.demo:
        return demo(app, authority)
    print(f"listening on http://{args.host}:{args.port}/inbound/sendgrid (reply domain {DOMAIN})")
    app.run(host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A SendGrid Inbound Parse receiver built on replytrack: replies go into SQLite, analysed.

It accepts SendGrid's multipart/form-data POST and hands it to the replytrack engine, which
parses it, matches the reply token to the email it answers, stores the reply in the customer's
conversation (deduplicated, quoted history and signature stripped), forwards it to your inbox
(here: .eml files in a folder) and queues its analysis. The receiver then runs the analysis
worker (a real app runs it in a background job) and prints what the reply says.

Run it (after `bindings/python/test.sh` or `pip install ./bindings/python flask requests`):

    python examples/python/webhook_receiver.py --demo     # sends an email, posts a sample reply to
                                                          # itself, prints the analysis, exits
    python examples/python/webhook_receiver.py            # serves on http://127.0.0.1:8025/inbound/sendgrid

Settings (environment):
    REPLYTRACK_DB           SQLite path or postgres:// URL (default: replytrack.db; --demo: a temp file)
    REPLYTRACK_SECRET_HEX   master secret, 32 bytes as hex (default: a random one per run)
    REPLYTRACK_DOMAIN       reply domain (default: reply.example.com)
    REPLYTRACK_FROM         sender address of your emails, where replies are forwarded (default:
                            hello@acme.example)
    SENDGRID_BASIC_AUTH     "user:password" that SendGrid's URL carries (default: no auth)
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import sys
import tempfile
import threading

from flask import Flask, jsonify, request

import replytrack as rt

DOMAIN = os.environ.get("REPLYTRACK_DOMAIN", "reply.example.com")
FROM = os.environ.get("REPLYTRACK_FROM", "hello@acme.example")


def open_engine(db: str, outbox_dir: str) -> rt.Engine:
    secret_hex = os.environ.get("REPLYTRACK_SECRET_HEX")
    if secret_hex:
        secret = rt.Secret.from_hex(secret_hex)
    else:
        print("note: REPLYTRACK_SECRET_HEX is not set; using a random secret for this run", file=sys.stderr)
        secret = rt.Secret.generate()
    return rt.Engine.open(db, reply_domain=DOMAIN, secret=secret, from_address=FROM,
                          account_name="Acme", outbox_dir=outbox_dir)


def describe(engine: rt.Engine, result: rt.IngestResult) -> dict:
    """Run the analysis worker and return what the stored reply says."""
    engine.run_analysis()
    stored = next(m for m in engine.messages(result.conversation) if m.id == result.message)
    a = stored.analysis
    return {
        "outcome": result.outcome,
        "conversation": result.conversation,
        "from": stored.sender,
        "reply": stored.reply_text or stored.body,
        "analysis": a.to_dict() if a else None,
    }


def make_app(engine: rt.Engine) -> Flask:
    app = Flask(__name__)
    credentials = os.environ.get("SENDGRID_BASIC_AUTH")
    auth = rt.BasicAuth(*credentials.split(":", 1)) if credentials else None

    @app.post("/inbound/sendgrid")
    def inbound():
        if auth is not None and not auth.is_authorized(request.headers.get("Authorization")):
            return jsonify(error="unauthorized"), 401
        body = request.get_data(cache=True, parse_form_data=False)
        try:
            result = engine.ingest(body, provider="sendgrid", content_type=request.content_type)
        except rt.MalformedInput as e:
            # Nothing is lost: a real receiver keeps `body` in a dead-letter store here.
            print(f"unreadable payload: {e} (kind={e.kind})", file=sys.stderr)
            return jsonify(error=e.kind), 400
        except rt.StoreError as e:
            # Nothing was written: answer 5xx so SendGrid retries later.
            print(f"store error: {e}", file=sys.stderr)
            return jsonify(error="store unavailable"), 503

        if not result.stored:
            # Expired address, unknown sender, auto reply, bounce…: recorded or explained, never
            # silently dropped. Answer 2xx so the provider does not retry.
            print(f"outcome: {result.outcome}: {result.explanation}")
            sys.stdout.flush()
            return jsonify(outcome=result.outcome, explanation=result.explanation)

        out = describe(engine, result)
        a = out["analysis"] or {}
        print(f"from:     {out['from']}")
        print(f"outcome:  stored in {out['conversation']}")
        print("reply:")
        print("  " + out["reply"].replace("\n", "\n  "))
        print(f"analysis: {a.get('response_type')}, sentiment {a.get('sentiment')}, "
              f"urgency {a.get('urgency')}, opportunity {a.get('opportunity_score')}/5, "
              f"follow-up {'needed' if a.get('follow_up_needed') else 'not needed'}")
        for item in a.get("key_insights", ()):
            print(f"  - {item}")
        sys.stdout.flush()
        return jsonify(out)

    return app


def demo(app: Flask, engine: rt.Engine) -> int:
    """Serve on an ephemeral loopback port, email a customer, post their SendGrid-shaped reply to
    ourselves, print the analysis, stop."""
    import requests
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        marie = engine.find_customer("marie@example.fr") or engine.add_customer(
            "marie@example.fr", name="Marie Dupont")
        sent = engine.compose(marie.id, "Votre devis", "Bonjour Marie, voici notre proposition.")
        engine.record_sent(sent.message)  # after handing sent.eml to your transport
        to = sent.reply_address
        print(f"sent {sent.message_id} with reply address {to}")
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
        return 0 if response.ok and response.json().get("outcome") == "stored" else 1
    finally:
        server.shutdown()
        thread.join(timeout=10)


def main() -> int:
    ap = argparse.ArgumentParser(description="SendGrid Inbound Parse receiver (replytrack example)")
    ap.add_argument("--demo", action="store_true", help="post a sample reply to itself, print it, exit")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8025)
    args = ap.parse_args()

    workdir = tempfile.mkdtemp(prefix="replytrack-demo-") if args.demo else "."
    db = os.environ.get("REPLYTRACK_DB", os.path.join(workdir, "replytrack.db"))
    engine = open_engine(db, os.path.join(workdir, "forwarded"))
    print(f"store: {engine.target}; forwards: {os.path.join(workdir, 'forwarded')}")
    app = make_app(engine)
    if args.demo:
        return demo(app, engine)
    print(f"listening on http://{args.host}:{args.port}/inbound/sendgrid (reply domain {DOMAIN})")
    app.run(host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The engine, used the way a Python service uses it: open a store, write to customers, take
their replies in, read the timeline, the inbox and the insights."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import os
import shutil
import subprocess
import threading
import uuid

import pytest

import replytrack as rt
from conftest import DOMAIN, SECRET_HEX, raw_reply

FROM = "hello@acme.example"

REPLY = (
    "Bonjour,\n\nOui, l'offre nous intéresse beaucoup : nous envoyons environ 20 000 emails par mois "
    "et l'export CSV est trop lent pour nous. Pouvez-vous nous appeler cette semaine ?\n\nMarie\n"
)


def open_engine(db: str = ":memory:", **kwargs) -> rt.Engine:
    return rt.Engine.open(db, reply_domain=DOMAIN, secret=SECRET_HEX, from_address=FROM,
                          account_name="Acme", **kwargs)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


def test_compose_ingest_analyse_read_back_with_the_blocking_engine():
    with open_engine() as engine:
        t0 = utc(2026, 3, 3, 9, 0)
        marie = engine.add_customer("Marie@Example.fr", name="Marie Dupont", now=t0)
        sent = engine.compose(marie.id, "Votre devis", "Bonjour Marie, voici le devis.", now=t0)

        assert marie.email == "marie@example.fr" and marie.created_at == t0
        assert sent.reply_address.endswith("@" + DOMAIN) and sent.conversation
        assert engine.record_sent(sent.message, now=t0) == "changed"
        assert engine.record_sent(sent.message, now=t0) == "unchanged"
        msg = email.message_from_bytes(sent.eml, policy=email.policy.default)
        assert msg["Reply-To"].addresses[0].addr_spec == sent.reply_address
        assert msg["To"].addresses[0].addr_spec == "marie@example.fr"

        result = engine.ingest(raw_reply(sent.reply_address, REPLY), now=t0 + dt.timedelta(hours=2))
        assert result.stored, result.explanation
        assert result.conversation == sent.conversation and result.customer == marie.id
        assert result.forward == "sent"

        forwards = engine.outbox()
        assert len(forwards) == 1 and forwards[0].recipients == ("hello@acme.example",)
        assert b"20 000" in forwards[0].eml

        run = engine.run_analysis(now=t0 + dt.timedelta(hours=3))
        assert (run.analysed, run.failed) == (1, 0)
        assert run.reports[0].status == "analysed" and run.reports[0].message == result.message

        timeline = engine.timeline(customer=marie.id)
        kinds = [e.type for e in timeline]
        order = ["conversation_opened", "email_sent", "reply_received", "reply_forwarded",
                 "analysis_completed"]
        assert [k for k in kinds if k in order] == order
        reply_event = timeline[kinds.index("reply_received")]
        assert reply_event.at == t0 + dt.timedelta(hours=2)
        assert reply_event.at.tzinfo is not None
        assert "20 000" in reply_event.data["text"]

        stored = [m for m in engine.messages(sent.conversation) if m.direction == "inbound"]
        assert stored[0].analysis is not None
        assert stored[0].analysis.opportunity_score >= 3
        assert stored[0].reply_text.startswith("Bonjour")
        # The analysis worker labels and prioritises what it read.
        conversation = engine.get_conversation(sent.conversation)
        assert "pricing" in conversation.labels and conversation.priority == "high"

        insights = engine.insights()
        assert insights.analysed == 1
        assert sum(insights.by_sentiment.values()) == 1
        assert insights.to_dict()["analysed"] == 1


def test_inbox_status_changes_assignment_labels_notes_and_errors():
    engine = open_engine()
    t0 = utc(2026, 3, 3, 9, 0)
    c = engine.add_customer("paul@example.com", now=t0)
    logged = engine.log_manual_reply(c.id, "Paul called about pricing.", author="ana", now=t0)
    conv = logged.conversation
    assert logged.opened

    assert engine.assign(conv, "ana", team="sales", now=t0).assignee == "ana"
    labelled = engine.add_label(conv, "pricing", now=t0)
    assert labelled.labels == ("pricing",)
    assert engine.remove_label(conv, "pricing", now=t0).labels == ()
    assert engine.set_priority(conv, "high", now=t0).priority == "high"
    note = engine.add_note(conv, "Send the enterprise deck.", author="ana", now=t0)
    assert note.startswith("msg_")

    resolved = engine.resolve(conv, now=t0 + dt.timedelta(minutes=5))
    assert resolved.status == "resolved" and resolved.resolved_at == t0 + dt.timedelta(minutes=5)
    with pytest.raises(rt.TransitionError) as refused:
        engine.resolve(conv, now=t0 + dt.timedelta(minutes=6))
    assert refused.value.code == "TRANSITION_ERROR" and refused.value.state == "resolved"
    assert isinstance(refused.value, rt.EngineError) and isinstance(refused.value, rt.ReplytrackError)

    assert engine.reopen(conv, now=t0 + dt.timedelta(minutes=7)).status == "open"
    until = t0 + dt.timedelta(days=1)
    snoozed = engine.snooze(conv, until=until, now=t0 + dt.timedelta(minutes=8))
    assert snoozed.status == "snoozed" and snoozed.snoozed_until == until
    assert engine.wake_snoozed(now=until + dt.timedelta(seconds=1)) == [conv]
    assert engine.get_conversation(conv).status == "open"
    assert engine.mark_pending(conv, now=until + dt.timedelta(minutes=1)).status == "pending"

    page = engine.conversations(status="pending")
    assert [x.id for x in page] == [conv] and page.next_cursor is None
    assert len(engine.conversations(status="resolved")) == 0
    assert [x.id for x in engine.conversations(text="pricing")] == [conv]

    kinds = {e.type for e in engine.timeline(conversation=conv)}
    assert {"manual_reply_logged", "assigned", "labelled", "note_added", "status_changed"} <= kinds

    with pytest.raises(rt.NotFoundError) as missing:
        engine.resolve("cnv_" + "0" * 26)
    assert missing.value.entity == "conversation"
    with pytest.raises(ValueError):
        engine.resolve("not-an-id")
    with pytest.raises(ValueError, match="naive"):
        engine.resolve(conv, now=dt.datetime(2026, 3, 3))
    assert engine.get_customer(c.id).email == "paul@example.com"
    assert engine.find_customer("PAUL@example.com").id == c.id
    assert engine.find_customer("nobody@example.com") is None


def test_inbox_pages_follow_the_cursor():
    engine = open_engine()
    t0 = utc(2026, 3, 3, 9, 0)
    ids = []
    for i in range(5):
        c = engine.add_customer(f"c{i}@example.com", now=t0)
        ids.append(engine.log_manual_reply(c.id, f"call {i}", now=t0 + dt.timedelta(minutes=i)).conversation)

    seen, after = [], None
    while True:
        page = engine.conversations(limit=2, after=after)
        seen += [c.id for c in page]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == list(reversed(ids))


def test_a_sendgrid_payload_is_ingested_with_its_content_type():
    from sendgrid import encode, parsed_mode_fields

    engine = open_engine()
    c = engine.add_customer("marie@example.fr")
    sent = engine.compose(c.id, "Votre devis", "Bonjour")
    body, content_type = encode(parsed_mode_fields(sent.reply_address, "Merci, c'est parfait."))

    result = engine.ingest(body, provider="sendgrid", content_type=content_type)

    assert result.outcome == "stored" and result.conversation == sent.conversation
    with pytest.raises(rt.MalformedInput):
        engine.ingest(b"{not json", provider="postmark")


def test_replies_nobody_can_place_are_explained_not_dropped():
    engine = open_engine()
    result = engine.ingest(raw_reply("someone@elsewhere.example", "hello?"))
    assert result.outcome == "rejected" and not result.stored and result.explanation


def test_a_sqlite_file_is_there_for_a_second_engine(tmp_path):
    db = tmp_path / "replytrack.db"
    first = open_engine(str(db))
    c = first.add_customer("marie@example.fr", name="Marie")
    sent = first.compose(c.id, "Hello", "Hi Marie")
    assert first.ingest(raw_reply(sent.reply_address, REPLY)).stored
    first.close()
    with pytest.raises(RuntimeError):
        first.timeline(customer=c.id)

    second = open_engine(db)  # a PathLike works too
    assert second.kind == "sqlite"
    assert second.get_customer(c.id).name == "Marie"
    assert second.run_analysis().analysed == 1
    assert "analysis_completed" in [e.type for e in second.timeline(customer=c.id)]


def test_forwards_can_go_to_a_directory_of_eml_files(tmp_path):
    engine = open_engine(outbox_dir=tmp_path / "outbox")
    c = engine.add_customer("marie@example.fr")
    sent = engine.compose(c.id, "Hello", "Hi")
    engine.ingest(raw_reply(sent.reply_address, "Thanks!"))
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1 and b"Thanks!" in files[0].read_bytes()


def test_a_bad_store_or_setting_raises_typed_errors(tmp_path):
    with pytest.raises(rt.StoreError) as e:
        open_engine(str(tmp_path / "missing-dir" / "x.db"))
    assert e.value.code == "STORE_ERROR" and e.value.kind == "open"
    with pytest.raises(rt.ConfigError):
        open_engine("mysql://db/x")
    with pytest.raises(rt.ConfigError):
        rt.Engine.open(":memory:", reply_domain=DOMAIN, secret=b"short", from_address=FROM)


def test_blocking_calls_release_the_interpreter():
    engine = open_engine()
    c = engine.add_customer("marie@example.fr")
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            engine.log_manual_reply(c.id, f"note {i}")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(e.type == "manual_reply_logged" for e in engine.timeline(customer=c.id)) == 8


def test_the_asyncio_engine_end_to_end():
    async def main() -> None:
        async with await rt.AsyncEngine.open(
            ":memory:", reply_domain=DOMAIN, secret=rt.Secret.from_hex(SECRET_HEX),
            from_address=FROM,
        ) as engine:
            marie = await engine.add_customer("marie@example.fr", name="Marie")
            sent = await engine.compose(marie.id, "Votre devis", "Bonjour Marie")
            # Several calls in flight at once on one loop.
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                for _ in range(3):
                    ticks += 1
                    await asyncio.sleep(0)

            result, _ = await asyncio.gather(
                engine.ingest(raw_reply(sent.reply_address, REPLY)), ticker())
            assert result.stored and ticks == 3
            run = await engine.run_analysis()
            assert run.analysed == 1
            timeline = await engine.timeline(customer=marie.id)
            assert "analysis_completed" in [e.type for e in timeline]
            insights = await engine.insights()
            assert insights.analysed == 1 and insights.average_opportunity_score is not None
            with pytest.raises(rt.TransitionError):
                await engine.reopen(sent.conversation)
            assert engine.sync().get_customer(marie.id).name == "Marie"

    asyncio.run(main())


def test_analysis_without_a_store():
    a = rt.analyze(REPLY, subject="Votre devis")
    assert isinstance(a, rt.Analysis) and a.lang == "fr" and a.opportunity_score >= 3
    assert a.to_dict()["sentiment"] == a.sentiment

    schema = rt.analysis_json_schema()
    assert schema["type"] == "object" and "opportunity_score" in schema["properties"]

    messages = rt.build_prompt("Can you call me?", subject="Trial")
    assert [m["role"] for m in messages][0] == "system" and "Can you call me?" in messages[-1]["content"]

    fenced = "```json\n" + __import__("json").dumps(a.to_dict()) + "\n```"
    assert rt.repair_analysis(fenced) == a
    with pytest.raises(rt.MalformedInput) as bad:
        rt.repair_analysis("no json here")
    assert bad.value.code == "MALFORMED_INPUT" and bad.value.feedback


DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")


def postgres_engine(schema: str) -> rt.Engine:
    try:
        return rt.Engine.open(DATABASE_URL, reply_domain=DOMAIN, secret=SECRET_HEX,
                              from_address=FROM, pg_schema=schema)
    except rt.StoreError as e:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"PostgreSQL at DATABASE_URL is unreachable ({e}); set CI=true to fail instead")


@pytest.fixture
def schemas():
    """Fresh schema names; dropped afterwards when psql is at hand (best effort)."""
    made: list[str] = []

    def new() -> str:
        made.append(f"rt_py_{uuid.uuid4().hex[:12]}")
        return made[-1]

    yield new
    psql = shutil.which("psql")
    if psql and made:
        sql = "; ".join(f"DROP SCHEMA IF EXISTS {name} CASCADE" for name in made)
        subprocess.run([psql, DATABASE_URL, "-q", "-c", sql], capture_output=True, timeout=60, check=False)


def test_postgres_in_a_schema_of_its_own(schemas):
    schema = schemas()
    engine = postgres_engine(schema)
    assert engine.kind == "postgres"
    c = engine.add_customer("marie@example.fr", name="Marie")
    sent = engine.compose(c.id, "Votre devis", "Bonjour")
    assert engine.ingest(raw_reply(sent.reply_address, REPLY)).stored
    assert engine.run_analysis().analysed == 1

    again = postgres_engine(schema)
    assert again.get_customer(c.id).name == "Marie"
    assert again.insights().analysed == 1
    # A fresh schema sees none of it.
    assert postgres_engine(schemas()).find_customer("marie@example.fr") is None


def test_the_async_engine_has_every_call_of_the_blocking_one_with_the_same_signature():
    import inspect

    skip = {"open", "close", "sync"}
    blocking = {n for n in vars(rt.Engine) if not n.startswith("_") and n not in skip}
    asynchronous = {n for n in vars(rt.AsyncEngine) if not n.startswith("_") and n not in skip}
    assert blocking == asynchronous
    for name in blocking:
        a, b = getattr(rt.AsyncEngine, name), getattr(rt.Engine, name)
        if isinstance(inspect.getattr_static(rt.Engine, name), property):
            continue
        assert inspect.iscoroutinefunction(a), name
        assert inspect.signature(a) == inspect.signature(b), name


def test_inbox_rows_read_marks_history_and_metrics():
    with open_engine() as engine:
        t0 = utc(2026, 3, 3, 9, 0)
        marie = engine.add_customer("marie@example.fr", name="Marie Dupont", now=t0)
        sent = engine.compose(marie.id, "Votre devis", "Bonjour Marie, voici le devis.", now=t0)
        engine.record_sent(sent.message, now=t0)
        result = engine.ingest(raw_reply(sent.reply_address, REPLY), now=t0 + dt.timedelta(hours=2))
        assert result.stored, result.explanation
        engine.add_label(sent.conversation, "vip", now=t0 + dt.timedelta(hours=2))

        page = engine.inbox(reader="alice")
        assert len(page) == 1 and page.next_cursor is None
        row = page.rows[0]
        assert row.conversation == sent.conversation and row.customer == marie.id
        assert row.contact_name == "Marie Dupont" and row.channel == "email"
        assert row.status == "open" and row.waiting and row.unread
        assert row.last_message.direction == "inbound" and "20 000" in row.last_message.preview
        assert row.last_message.at.tzinfo is not None and row.activity.tzinfo is not None
        assert [(l.name, l.colour.startswith("#")) for l in row.labels] == [("vip", True)]
        assert row.to_dict()["labels"][0]["name"] == "vip"
        assert len(engine.inbox(labels=["vip"], status="open")) == 1
        assert len(engine.inbox(labels=["nope"])) == 0
        assert len(engine.inbox(tab="unassigned")) == 1
        with pytest.raises(ValueError):
            engine.inbox(tab="mine")  # mine needs an agent

        engine.mark_read(sent.conversation, "alice", now=t0 + dt.timedelta(hours=3))
        assert not engine.inbox(reader="alice").rows[0].unread
        assert engine.inbox(reader="bob").rows[0].unread

        history = engine.customer_history(marie.id)
        assert [r.conversation for r in history] == [sent.conversation]

        report = engine.metrics(since=t0 - dt.timedelta(days=1), until=t0 + dt.timedelta(days=1))
        assert report.opened == 1 and report.resolved == 0
        assert report.by_channel["email"]["inbound"] == 1
        assert report.by_channel["email"]["outbound"] == 1


def test_the_async_engine_reads_the_inbox():
    async def main() -> None:
        engine = await rt.AsyncEngine.open(":memory:", reply_domain=DOMAIN, secret=SECRET_HEX,
                                           from_address=FROM)
        t0 = utc(2026, 3, 3, 9, 0)
        marie = await engine.add_customer("marie@example.fr", now=t0)
        sent = await engine.compose(marie.id, "Devis", "Bonjour", now=t0)
        await engine.ingest(raw_reply(sent.reply_address, REPLY), now=t0 + dt.timedelta(hours=1))
        page = await engine.inbox()
        assert [r.conversation for r in page] == [sent.conversation]
        await engine.mark_read(sent.conversation, "alice")
        assert not (await engine.inbox(reader="alice")).rows[0].unread
        report = await engine.metrics(since=t0 - dt.timedelta(days=1))
        assert report.opened == 1

    asyncio.run(main())


def test_replies_are_analysed_by_an_openai_compatible_model(monkeypatch):
    import http.server
    import json

    analysis = rt.analyze("Nous prenons le forfait Pro pour 40 personnes.").to_dict()
    analysis["response_type"] = "high_value"
    analysis["key_insights"] = ["Buys the Pro plan for 40 people"]
    seen: list[dict] = []

    class FakeModel(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server API)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"),
                         "body": json.loads(body)})
            answer = json.dumps({"choices": [{"message": {"role": "assistant",
                                                          "content": json.dumps(analysis)},
                                              "finish_reason": "stop"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for var in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    try:
        llm = rt.LlmSettings(url=f"http://127.0.0.1:{server.server_address[1]}/v1",
                             model="test-model", api_key="sk-test-secret")
        assert "sk-test-secret" not in repr(llm)
        with open_engine(llm=llm) as engine:
            t0 = utc(2026, 3, 3, 9, 0)
            marie = engine.add_customer("marie@example.fr", now=t0)
            sent = engine.compose(marie.id, "Votre devis", "Bonjour", now=t0)
            result = engine.ingest(raw_reply(sent.reply_address, REPLY), now=t0 + dt.timedelta(hours=1))
            assert result.stored, result.explanation
            run = engine.run_analysis(now=t0 + dt.timedelta(hours=2))
            assert (run.analysed, run.failed) == (1, 0), run
            stored = [m for m in engine.messages(sent.conversation) if m.direction == "inbound"]
            assert stored[0].analysis.response_type == "high_value"
            assert stored[0].analysis.key_insights == ("Buys the Pro plan for 40 people",)
    finally:
        server.shutdown()
    assert seen and seen[0]["path"] == "/v1/chat/completions"
    assert seen[0]["auth"] == "Bearer sk-test-secret"
    assert seen[0]["body"]["model"] == "test-model"

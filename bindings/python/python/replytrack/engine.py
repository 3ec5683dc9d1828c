"""The conversation engine over a store: SQLite (a path, or ``":memory:"``) or PostgreSQL (a URL).

Two faces over the same calls: :class:`Engine` blocks (the interpreter is released while the
store works, so other threads run), :class:`AsyncEngine` returns awaitables for asyncio (the
work runs on a tokio runtime inside the module; the event loop is never blocked)::

    import replytrack as rt

    engine = rt.Engine.open("replytrack.db", reply_domain="reply.example.com",
                            secret=SECRET_HEX, from_address="hello@example.com")
    marie = engine.add_customer("marie@example.fr", name="Marie")
    email = engine.compose(marie.id, "Your trial", "Hello!")   # email.eml, email.reply_address
    ...                                                         # send email.eml your way
    result = engine.ingest(raw_reply_bytes)                     # in the webhook
    engine.run_analysis()                                       # in a worker
    for event in engine.timeline(customer=marie.id):
        print(event.at, event.type)

    async with await rt.AsyncEngine.open(":memory:", ...) as engine:
        result = await engine.ingest(body, provider="sendgrid", content_type=ctype)

Results are frozen dataclasses with aware UTC datetimes and a ``to_dict()``; errors are
:class:`~replytrack.errors.EngineError` subclasses (``StoreError``, ``NotFoundError``,
``TransitionError``) carrying a stable ``code`` and the Rust error's fields.

Every call takes an optional keyword ``now`` (an aware datetime); without it the clock is read.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypeVar

from replytrack import _native
from replytrack._native import Secret

__all__ = [
    "Analysis",
    "AnalysisReport",
    "AnalysisRun",
    "AsyncEngine",
    "ComposedEmail",
    "Conversation",
    "ConversationPage",
    "Customer",
    "Engine",
    "ForwardReport",
    "IngestResult",
    "Insights",
    "LoggedMessage",
    "OutboxEmail",
    "PainPoint",
    "StoredMessage",
    "TimelineEvent",
    "analysis_json_schema",
    "analyze",
    "build_prompt",
    "repair_analysis",
]


# ---- records -------------------------------------------------------------------------------

def _time(value: Any) -> datetime | None:
    if value is None:
        return None
    text = str(value)
    if text.endswith("Z"):  # datetime.fromisoformat accepts "Z" only from Python 3.11
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _iso(value: datetime | None, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"`{name}` must be a datetime.datetime, not {type(value).__name__}")
    if value.utcoffset() is None:
        raise ValueError(f"`{name}` is a naive datetime; pass an aware one, e.g. datetime.now(timezone.utc)")
    return value.astimezone(timezone.utc).isoformat()


R = TypeVar("R", bound="_Record")


class _Record:
    """Base of the result records: built from the engine's JSON, exported by ``to_dict()``."""

    _times: tuple[str, ...] = ()
    _nested: dict[str, Any] = {}
    _lists: dict[str, Any] = {}
    _bytes: tuple[str, ...] = ()
    _renamed: dict[str, str] = {}

    @classmethod
    def _from(cls: type[R], data: dict[str, Any]) -> R:
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            key = cls._renamed.get(f.name, f.name)
            if key not in data:
                continue
            value = data[key]
            if f.name in cls._times:
                value = _time(value)
            elif f.name in cls._bytes:
                value = base64.b64decode(value) if value is not None else None
            elif f.name in cls._nested and value is not None:
                value = cls._nested[f.name]._from(value)
            elif f.name in cls._lists:
                value = tuple(cls._lists[f.name]._from(v) for v in value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[f.name] = value
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """The record as a plain dict (nested records as dicts, datetimes kept as datetimes)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, _Record):
                value = value.to_dict()
            elif isinstance(value, tuple):
                value = [v.to_dict() if isinstance(v, _Record) else v for v in value]
            elif isinstance(value, dict):
                value = dict(value)
            out[f.name] = value
        return out


@dataclass(frozen=True)
class Customer(_Record):
    """A customer (contact)."""

    id: str
    emails: tuple[str, ...] = ()
    name: str | None = None
    external_id: str | None = None
    phone: str | None = None
    funnel: str = "lead"
    created_at: datetime | None = None
    version: int = 0

    _times = ("created_at",)

    @property
    def email(self) -> str:
        """The address written to by default (the first)."""
        return self.emails[0] if self.emails else ""


@dataclass(frozen=True)
class Conversation(_Record):
    """A conversation: its status (``open``, ``pending``, ``snoozed``, ``resolved``), owner, labels."""

    id: str
    customer: str
    status: str
    channel: str = "email"
    snoozed_until: datetime | None = None
    opened_by: str = "business"
    subject: str | None = None
    assignee: str | None = None
    team: str | None = None
    labels: tuple[str, ...] = ()
    priority: str = "none"
    created_at: datetime | None = None
    last_inbound_at: datetime | None = None
    last_outbound_at: datetime | None = None
    first_response_at: datetime | None = None
    waiting_since: datetime | None = None
    resolved_at: datetime | None = None
    version: int = 0

    _times = ("snoozed_until", "created_at", "last_inbound_at", "last_outbound_at",
              "first_response_at", "waiting_since", "resolved_at")


@dataclass(frozen=True)
class ComposedEmail(_Record):
    """An outgoing email, stored and queued: hand ``eml`` (RFC 5322 bytes) to your transport,
    then call ``record_sent(message)``. Replies to ``reply_address`` come back to ``ingest``."""

    message: str
    customer: str
    reply_address: str
    token: str
    eml: bytes = field(repr=False, default=b"")
    conversation: str | None = None
    expires_at: datetime | None = None
    reissued: str | None = None
    subject: str | None = None
    message_id: str = ""
    envelope_from: str = ""
    recipients: tuple[str, ...] = ()

    _times = ("expires_at",)
    _bytes = ("eml",)


@dataclass(frozen=True)
class IngestResult(_Record):
    """What ``ingest`` did. ``outcome`` is ``stored``, ``duplicate``, ``rejected``, ``expired``,
    ``quarantined``, ``auto_reply_recorded``, ``auto_reply_dropped``, ``bounce_recorded``,
    ``bounce_unattributed`` or ``own_loop_dropped``; ``explanation`` says why in one sentence."""

    outcome: str
    explanation: str = ""
    message: str | None = None
    customer: str | None = None
    conversation: str | None = None
    token_source: str | None = None
    opened: bool = False
    reopened: bool = False
    forward: str | None = None
    reason: str | None = None
    token: str | None = None
    expired_at: datetime | None = None
    hard: bool | None = None
    addresses: tuple[str, ...] = ()
    customer_bounced: bool | None = None

    _times = ("expired_at",)

    @property
    def stored(self) -> bool:
        """Whether a person's reply was stored in a conversation."""
        return self.outcome == "stored"


@dataclass(frozen=True)
class LoggedMessage(_Record):
    """A manually logged message (a call, a chat) and its conversation."""

    message: str
    conversation: str
    opened: bool = False


@dataclass(frozen=True)
class TimelineEvent(_Record):
    """One event of a timeline. ``type`` is e.g. ``email_sent``, ``reply_received``,
    ``status_changed``, ``note_added``, ``analysis_completed``; ``data`` holds its fields."""

    id: str
    customer: str
    at: datetime
    type: str
    conversation: str | None = None
    message: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    _times = ("at",)


@dataclass(frozen=True)
class ConversationPage(_Record):
    """One page of an inbox query; pass ``next_cursor`` as ``after=`` for the next (None: the end)."""

    items: tuple[Conversation, ...] = ()
    next_cursor: str | None = None

    _lists = {"items": Conversation}

    def __iter__(self) -> Iterator[Conversation]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class LabelChip(_Record):
    """A label as an inbox row shows it: its name and colour (``#rrggbb``)."""

    name: str
    colour: str | None = None


@dataclass(frozen=True)
class LastMessage(_Record):
    """The latest message of a conversation (private notes left out): ``direction`` is
    ``inbound`` or ``outbound``; ``preview`` is its first words."""

    id: str
    direction: str
    preview: str
    at: datetime | None = None

    _times = ("at",)


@dataclass(frozen=True)
class InboxRow(_Record):
    """One row of the inbox list: the contact (``customer`` links to the customer record),
    labels with colours, the last message, ``waiting`` (the contact waits for an answer) and
    ``unread`` (the contact wrote after the reader last read it)."""

    conversation: str
    customer: str
    channel: str
    status: str
    priority: str = "none"
    contact_name: str | None = None
    contact: str | None = None
    subject: str | None = None
    assignee: str | None = None
    team: str | None = None
    labels: tuple[LabelChip, ...] = ()
    last_message: LastMessage | None = None
    activity: datetime | None = None
    waiting: bool = False
    unread: bool = False
    snoozed_until: datetime | None = None
    cursor: str = ""

    _times = ("activity", "snoozed_until")
    _nested = {"last_message": LastMessage}
    _lists = {"labels": LabelChip}


@dataclass(frozen=True)
class InboxPage(_Record):
    """One page of inbox rows; pass ``next_cursor`` as ``after=`` for the next (None: the end)."""

    rows: tuple[InboxRow, ...] = ()
    next_cursor: str | None = None

    _lists = {"rows": InboxRow}

    def __iter__(self) -> Iterator[InboxRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class MetricsReport(_Record):
    """Inbox metrics over a period: conversations opened and resolved, the resolution rate,
    first-response, reply and resolution times (each ``{count, calendar_seconds,
    business_seconds}``: means in calendar time and in business hours), and message volumes by
    channel, agent and day (each ``{inbound, outbound}``)."""

    opened: int = 0
    resolved: int = 0
    resolution_rate: float | None = None
    first_response: dict[str, Any] | None = None
    reply_time: dict[str, Any] | None = None
    resolution_time: dict[str, Any] | None = None
    by_channel: dict[str, Any] = field(default_factory=dict)
    by_agent: dict[str, Any] = field(default_factory=dict)
    by_day: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis(_Record):
    """The structured analysis of a reply (the schema of ``analysis_json_schema()``)."""

    schema_version: int = 1
    response_type: str = "standard"
    key_insights: tuple[str, ...] = ()
    sentiment: str = "neutral"
    urgency: str = "low"
    opportunity_score: int = 1
    follow_up_needed: bool = False
    product_interest: str = "none"
    action_items: tuple[str, ...] = ()
    product_usage: str | None = None
    monthly_volume: dict[str, Any] | None = None
    pain_points: tuple[str, ...] = ()
    references: tuple[dict[str, Any], ...] = ()
    suggested_labels: tuple[str, ...] = ()
    recommended_actions: tuple[str, ...] = ()
    lang: str = "en"


@dataclass(frozen=True)
class StoredMessage(_Record):
    """A stored message of a conversation, with its analysis once the worker has run."""

    id: str
    customer: str
    direction: str
    body: str = ""
    conversation: str | None = None
    party: str | None = None
    author: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()
    subject: str | None = None
    reply_text: str | None = None
    analysis: Analysis | None = None
    created_at: datetime | None = None

    _times = ("created_at",)
    _nested = {"analysis": Analysis}
    _renamed = {"sender": "from"}


@dataclass(frozen=True)
class PainPoint(_Record):
    """A pain point and how many replies mentioned it."""

    text: str
    count: int


@dataclass(frozen=True)
class Insights(_Record):
    """What the analysed replies say together: counts by response type, sentiment and product
    interest, the mean opportunity score, follow-ups needed, the top pain points."""

    analysed: int = 0
    by_response_type: dict[str, int] = field(default_factory=dict)
    by_sentiment: dict[str, int] = field(default_factory=dict)
    product_interest: dict[str, int] = field(default_factory=dict)
    average_opportunity_score: float | None = None
    follow_ups_needed: int = 0
    top_pain_points: tuple[PainPoint, ...] = ()

    _lists = {"top_pain_points": PainPoint}


@dataclass(frozen=True)
class AnalysisReport(_Record):
    """One analysis job the worker ran: ``status`` is ``analysed``, ``skipped``, ``failed``,
    ``dead_lettered`` or ``lease_lost``."""

    job: str
    message: str
    attempt: int
    status: str
    detail: str = ""


@dataclass(frozen=True)
class AnalysisRun(_Record):
    """What one ``run_analysis`` call did."""

    analysed: int = 0
    skipped: int = 0
    failed: int = 0
    dead_lettered: int = 0
    lease_lost: int = 0
    reports: tuple[AnalysisReport, ...] = ()

    _lists = {"reports": AnalysisReport}


@dataclass(frozen=True)
class ForwardReport(_Record):
    """One forward job: ``status`` is ``sent``, ``queued``, ``busy``, ``dead`` or ``disabled``."""

    job: str
    message: str
    status: str
    detail: str = ""


@dataclass(frozen=True)
class OutboxEmail(_Record):
    """An email the engine's mailer sent (a forward to the account's inbox)."""

    message_id: str
    envelope_from: str
    recipients: tuple[str, ...] = ()
    eml: bytes = field(repr=False, default=b"")

    _bytes = ("eml",)


# ---- the calls, shared by both engines -------------------------------------------------------

def _secret_bytes(secret: Secret | bytes | str) -> bytes:
    if isinstance(secret, Secret):
        return bytes(secret.expose())
    if isinstance(secret, (bytes, bytearray, memoryview)):
        return bytes(secret)
    if isinstance(secret, str):
        return bytes(Secret.from_hex(secret).expose())
    raise TypeError("`secret` must be a replytrack.Secret, bytes, or a hex string")


@dataclass(frozen=True)
class LlmSettings:
    """Analyse replies with an OpenAI-compatible model (OpenAI, Azure, Ollama, llama.cpp, vLLM)
    instead of the offline analyzer: ``url`` is the API base (``https://api.openai.com/v1``,
    ``http://127.0.0.1:11434/v1``); ``json_object`` asks for JSON mode where the server has no
    strict JSON Schema output. The key is never shown by ``repr``."""

    url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    json_object: bool = False

    def _to_json(self) -> str:
        return json.dumps({"url": self.url, "model": self.model, "api_key": self.api_key,
                           "json_object": self.json_object})


def _open_native(
    db: str | os.PathLike[str],
    reply_domain: str,
    secret: Secret | bytes | str,
    from_address: str,
    account_name: str | None,
    forward_to: str | None,
    from_name: str | None,
    pg_schema: str | None,
    outbox_dir: str | os.PathLike[str] | None,
    forward_replies: bool,
    analyze_replies: bool,
    key_id: int,
    llm: LlmSettings | None = None,
) -> _native._Engine:
    return _native._Engine.open(
        os.fspath(db),
        reply_domain,
        _secret_bytes(secret),
        from_address,
        account_name or reply_domain,
        forward_to,
        from_name,
        pg_schema,
        os.fspath(outbox_dir) if outbox_dir is not None else None,
        forward_replies,
        analyze_replies,
        key_id,
        llm._to_json() if llm is not None else None,
    )


def _args(now: datetime | None, **kwargs: Any) -> str:
    kwargs["now"] = _iso(now, "now")
    return json.dumps({k: v for k, v in kwargs.items() if v is not None})


def _body(body: bytes | bytearray | memoryview | str) -> str:
    if isinstance(body, str):
        body = body.encode("utf-8")
    return base64.b64encode(bytes(body)).decode("ascii")


def _provider(provider: Any) -> str | None:
    if provider is None:
        return None
    return str(getattr(provider, "value", provider))


def _parse_list(cls: type[R]) -> Any:
    return lambda data: [cls._from(d) for d in data]


def _parse_optional(cls: type[R]) -> Any:
    return lambda data: None if data is None else cls._from(data)


class _Base:
    _native: _native._Engine

    @property
    def kind(self) -> str:
        """``sqlite``, ``sqlite-memory`` or ``postgres``."""
        return self._native.kind

    @property
    def target(self) -> str:
        """The store it was opened on (a password in a URL is hidden)."""
        return self._native.target

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._native.target}>"


_OPEN_DOC = """Open the store ``db`` and build an engine for one account.

        ``db``: a SQLite path (created and migrated), ``":memory:"``, or a ``postgres://`` URL
        (``pg_schema`` puts the tables in that schema). ``secret``: the token secret
        (a :class:`Secret`, 32+ raw bytes, or hex). ``reply_domain``: where reply addresses
        live. ``from_address``: the sender of outgoing email; replies are forwarded to
        ``forward_to`` (default ``from_address``) through the engine's mailer, which keeps them
        (``outbox()``) and, with ``outbox_dir``, writes each as an ``.eml`` file.
        ``forward_replies`` / ``analyze_replies`` turn off the forward and analysis jobs.
        ``llm``: :class:`LlmSettings` to analyse with an OpenAI-compatible model (default: the
        offline analyzer).
        Raises :class:`StoreError` when the store cannot be opened, :class:`ConfigError` for a bad
        setting."""


class Engine(_Base):
    """The engine with blocking calls (each releases the interpreter while the store works).

    Build it with :meth:`Engine.open`. Thread-safe: share one across threads."""

    def __init__(self, native: _native._Engine) -> None:
        self._native = native

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str],
        *,
        reply_domain: str,
        secret: Secret | bytes | str,
        from_address: str,
        account_name: str | None = None,
        forward_to: str | None = None,
        from_name: str | None = None,
        pg_schema: str | None = None,
        outbox_dir: str | os.PathLike[str] | None = None,
        forward_replies: bool = True,
        analyze_replies: bool = True,
        key_id: int = 0,
        llm: LlmSettings | None = None,
    ) -> Engine:
        return cls(_open_native(db, reply_domain, secret, from_address, account_name, forward_to,
                                from_name, pg_schema, outbox_dir, forward_replies, analyze_replies,
                                key_id, llm))

    open.__doc__ = _OPEN_DOC

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop this handle to the store (it closes when no call holds it any more)."""
        self._native = _Closed()  # type: ignore[assignment]

    def _run(self, op: str, args: str, parse: Any) -> Any:
        return parse(json.loads(self._native.call(op, args)))

    # customers
    def add_customer(self, email: str | None = None, *, emails: list[str] | None = None,
                     name: str | None = None, external_id: str | None = None,
                     phone: str | None = None, now: datetime | None = None) -> Customer:
        """Create a customer with one address (or several, ``emails``)."""
        return self._run("add_customer", _args(now, email=email, emails=emails, name=name,
                                               external_id=external_id, phone=phone),
                         Customer._from)

    def get_customer(self, customer_id: str) -> Customer | None:
        """A customer by id, or None."""
        return self._run("get_customer", _args(None, id=customer_id), _parse_optional(Customer))

    def find_customer(self, email: str) -> Customer | None:
        """The customer with this address (any case), or None."""
        return self._run("find_customer", _args(None, email=email), _parse_optional(Customer))

    # outbound
    def compose(self, customer: str, subject: str, text: str, *, html: str | None = None,
                conversation: str | None = None, start_conversation: bool = True,
                cc: list[str] | None = None, author: str | None = None,
                now: datetime | None = None) -> ComposedEmail:
        """Compose an email to a customer with a fresh reply address, stored as queued: send
        ``.eml`` yourself, then call :meth:`record_sent`. ``conversation`` continues one."""
        return self._run("compose", _args(now, customer=customer, subject=subject, text=text,
                                          html=html, conversation=conversation,
                                          start_conversation=start_conversation, cc=cc,
                                          author=author), ComposedEmail._from)

    def record_sent(self, message: str, *, provider_message_id: str | None = None,
                    now: datetime | None = None) -> str:
        """Note that the transport accepted a composed email: ``"changed"``, ``"unchanged"`` (a
        repeat) or ``"refused"``."""
        return self._run("record_sent", _args(now, message=message,
                                              provider_message_id=provider_message_id), str)

    # inbound
    def ingest(self, body: bytes | str, *, provider: Any = None, content_type: str | None = None,
               now: datetime | None = None) -> IngestResult:
        """Ingest a reply: raw RFC 5322 bytes, or a provider's webhook payload (``provider`` =
        ``"sendgrid"``, ``"mailgun"``, ``"postmark"``, ``"ses"``… with the request's
        ``content_type``). Never drops a message silently: see ``IngestResult.outcome``."""
        return self._run("ingest", _args(now, body=_body(body), provider=_provider(provider),
                                         content_type=content_type), IngestResult._from)

    def log_manual_reply(self, customer: str, text: str, *, party: str = "contact",
                         author: str | None = None, occurred_at: datetime | None = None,
                         conversation: str | None = None,
                         now: datetime | None = None) -> LoggedMessage:
        """Log something said outside email (a call, a chat): ``party`` ``contact`` or ``business``."""
        return self._run("log_manual_reply", _args(
            now, customer=customer, text=text, party=party, author=author,
            occurred_at=_iso(occurred_at, "occurred_at"), conversation=conversation),
            LoggedMessage._from)

    # reading
    def timeline(self, *, customer: str | None = None,
                 conversation: str | None = None) -> list[TimelineEvent]:
        """The events of a customer or of one conversation, oldest first."""
        return self._run("timeline", _args(None, customer=customer, conversation=conversation),
                         _parse_list(TimelineEvent))

    def messages(self, conversation: str) -> list[StoredMessage]:
        """The messages of a conversation, oldest first, with their analyses."""
        return self._run("messages", _args(None, conversation=conversation),
                         _parse_list(StoredMessage))

    def get_conversation(self, conversation_id: str) -> Conversation | None:
        """A conversation by id, or None."""
        return self._run("get_conversation", _args(None, id=conversation_id),
                         _parse_optional(Conversation))

    def conversations(self, *, status: str | None = None, customer: str | None = None,
                      assignee: str | None = None, label: str | None = None,
                      team: str | None = None, channel: str | None = None,
                      text: str | None = None, limit: int = 50,
                      after: str | None = None) -> ConversationPage:
        """The inbox: conversations by latest activity, filtered; ``after`` is a page's
        ``next_cursor``; ``text`` searches subjects and messages."""
        return self._run("conversations", _args(
            None, status=status, customer=customer, assignee=assignee, label=label, team=team,
            channel=channel, text=text, limit=limit, after=after), ConversationPage._from)

    def insights(self, *, status: str | None = None, customer: str | None = None,
                 label: str | None = None, limit: int = 0, top: int = 5) -> Insights:
        """Aggregate the analyses of the selected conversations' replies."""
        return self._run("insights", _args(None, status=status, customer=customer, label=label,
                                           limit=limit, top=top), Insights._from)

    def inbox(self, *, tab: str = "all", agent: str | None = None, status: str | None = None,
              channel: str | None = None, labels: list[str] | None = None,
              assignee: str | None = None, team: str | None = None,
              priority: str | None = None, response_type: str | None = None,
              customer: str | None = None, text: str | None = None, limit: int = 50,
              after: str | None = None, reader: str | None = None) -> InboxPage:
        """The inbox list as rows, newest activity first: ``tab`` is ``all``, ``unassigned`` or
        ``mine`` (with ``agent``); ``labels`` must all match; ``text`` searches (resolved
        conversations too); ``after`` is a page's ``next_cursor``; ``reader`` decides ``unread``."""
        return self._run("inbox", _args(
            None, tab=tab, agent=agent, status=status, channel=channel, labels=labels,
            assignee=assignee, team=team, priority=priority, response_type=response_type,
            customer=customer, text=text, limit=limit, after=after, reader=reader),
            InboxPage._from)

    def mark_read(self, conversation: str, agent: str, *, now: datetime | None = None) -> None:
        """Record that ``agent`` has read the conversation (its row is no longer ``unread``)."""
        return self._run("mark_read", _args(now, conversation=conversation, agent=agent),  # type: ignore[no-any-return, func-returns-value]
                         lambda _: None)

    def customer_history(self, customer: str) -> list[InboxRow]:
        """All of a customer's conversations, on every channel, newest first."""
        return self._run("customer_history", _args(None, customer=customer),
                         _parse_list(InboxRow))

    def metrics(self, *, since: datetime, until: datetime | None = None,
                status: str | None = None, customer: str | None = None,
                assignee: str | None = None, label: str | None = None,
                team: str | None = None, channel: str | None = None) -> MetricsReport:
        """Inbox metrics for conversations active in ``[since, until)`` (``until``: now):
        response and resolution times in calendar and business hours, volumes."""
        return self._run("metrics", _args(
            None, since=_iso(since, "since"), until=_iso(until, "until"), status=status,
            customer=customer, assignee=assignee, label=label, team=team, channel=channel),
            MetricsReport._from)

    # inbox changes
    def resolve(self, conversation: str, *, now: datetime | None = None) -> Conversation:
        """Resolve a conversation (TransitionError if it is already resolved)."""
        return self._run("resolve", _args(now, conversation=conversation), Conversation._from)

    def reopen(self, conversation: str, *, now: datetime | None = None) -> Conversation:
        """Reopen a resolved or snoozed conversation."""
        return self._run("reopen", _args(now, conversation=conversation), Conversation._from)

    def mark_pending(self, conversation: str, *, now: datetime | None = None) -> Conversation:
        """Mark a conversation as waiting for the customer."""
        return self._run("mark_pending", _args(now, conversation=conversation), Conversation._from)

    def snooze(self, conversation: str, *, until: datetime | None = None,
               preset: str | None = None, now: datetime | None = None) -> Conversation:
        """Snooze until an instant, or a ``preset``: ``one_hour``, ``two_hours``, ``four_hours``,
        ``tomorrow_morning``, ``next_monday`` (in the account's time zone)."""
        return self._run("snooze", _args(now, conversation=conversation,
                                         until=_iso(until, "until"), preset=preset),
                         Conversation._from)

    def wake_snoozed(self, *, now: datetime | None = None) -> list[str]:
        """Reopen the conversations whose snooze has ended; returns their ids."""
        return self._run("wake_snoozed", _args(now), list)

    def assign(self, conversation: str, assignee: str | None, *, team: str | None = None,
               now: datetime | None = None) -> Conversation:
        """Assign to an agent (and team); ``None`` unassigns."""
        return self._run("assign", _args(now, conversation=conversation, assignee=assignee,
                                         team=team), Conversation._from)

    def add_label(self, conversation: str, label: str, *,
                  now: datetime | None = None) -> Conversation:
        """Add a label."""
        return self._run("label", _args(now, conversation=conversation, label=label, add=True),
                         Conversation._from)

    def remove_label(self, conversation: str, label: str, *,
                     now: datetime | None = None) -> Conversation:
        """Remove a label."""
        return self._run("label", _args(now, conversation=conversation, label=label, add=False),
                         Conversation._from)

    def set_priority(self, conversation: str, priority: str, *,
                     now: datetime | None = None) -> Conversation:
        """Set the priority: ``none``, ``low``, ``medium``, ``high`` or ``urgent``."""
        return self._run("set_priority", _args(now, conversation=conversation, priority=priority),
                         Conversation._from)

    def add_note(self, conversation: str, text: str, *, author: str | None = None,
                 now: datetime | None = None) -> str:
        """Add an internal note; returns its message id."""
        return self._run("add_note", _args(now, conversation=conversation, text=text,
                                           author=author), str)

    # workers
    def run_analysis(self, *, batch: int = 50, now: datetime | None = None) -> AnalysisRun:
        """Run up to ``batch`` due analysis jobs with the offline analyzer."""
        return self._run("run_analysis", _args(now, batch=batch), AnalysisRun._from)

    def run_forwards(self, *, limit: int = 50, now: datetime | None = None) -> list[ForwardReport]:
        """Run up to ``limit`` due forward jobs (failed inline forwards are retried here)."""
        return self._run("run_forwards", _args(now, limit=limit), _parse_list(ForwardReport))

    def outbox(self) -> list[OutboxEmail]:
        """The emails the engine's mailer sent (the latest 1000), oldest first."""
        return self._run("outbox", _args(None), _parse_list(OutboxEmail))


class _Closed:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("this engine is closed")


class AsyncEngine(_Base):
    """The engine for asyncio: the same calls as :class:`Engine`, each a coroutine. The store
    work runs on the module's tokio runtime; the event loop only receives the result."""

    def __init__(self, native: _native._Engine) -> None:
        self._native = native
        self._sync = Engine(native)

    @classmethod
    async def open(
        cls,
        db: str | os.PathLike[str],
        *,
        reply_domain: str,
        secret: Secret | bytes | str,
        from_address: str,
        account_name: str | None = None,
        forward_to: str | None = None,
        from_name: str | None = None,
        pg_schema: str | None = None,
        outbox_dir: str | os.PathLike[str] | None = None,
        forward_replies: bool = True,
        analyze_replies: bool = True,
        key_id: int = 0,
        llm: LlmSettings | None = None,
    ) -> AsyncEngine:
        native = await asyncio.to_thread(
            _open_native, db, reply_domain, secret, from_address, account_name, forward_to,
            from_name, pg_schema, outbox_dir, forward_replies, analyze_replies, key_id, llm)
        return cls(native)

    open.__doc__ = _OPEN_DOC

    async def __aenter__(self) -> AsyncEngine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop this handle to the store."""
        self._native = _Closed()  # type: ignore[assignment]
        self._sync.close()

    def sync(self) -> Engine:
        """A blocking engine over the same store."""
        return self._sync

    async def _run(self, op: str, args: str, parse: Any) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()

        def settle(result: str | None, error: BaseException | None) -> None:
            if future.cancelled():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)  # type: ignore[arg-type]

        def done(result: str | None, error: BaseException | None) -> None:
            # Called on a runtime thread: hand the outcome to the loop's own thread.
            try:
                loop.call_soon_threadsafe(settle, result, error)
            except RuntimeError:
                pass  # the loop is closed: nobody awaits this any more

        self._native.submit(op, args, done)
        return parse(json.loads(await future))

    async def add_customer(self, email: str | None = None, *, emails: list[str] | None = None,
                     name: str | None = None, external_id: str | None = None,
                     phone: str | None = None, now: datetime | None = None) -> Customer:
        """Create a customer with one address (or several, ``emails``)."""
        return await self._run(*Engine.add_customer(_RECORDER, email, emails=emails, name=name, external_id=external_id, phone=phone, now=now))  # type: ignore[arg-type, misc]

    async def get_customer(self, customer_id: str) -> Customer | None:
        """A customer by id, or None."""
        return await self._run(*Engine.get_customer(_RECORDER, customer_id))  # type: ignore[arg-type, misc]

    async def find_customer(self, email: str) -> Customer | None:
        """The customer with this address (any case), or None."""
        return await self._run(*Engine.find_customer(_RECORDER, email))  # type: ignore[arg-type, misc]

    async def compose(self, customer: str, subject: str, text: str, *, html: str | None = None,
                conversation: str | None = None, start_conversation: bool = True,
                cc: list[str] | None = None, author: str | None = None,
                now: datetime | None = None) -> ComposedEmail:
        """Compose an email to a customer with a fresh reply address, stored as queued: send
        ``.eml`` yourself, then call :meth:`record_sent`. ``conversation`` continues one."""
        return await self._run(*Engine.compose(_RECORDER, customer, subject, text, html=html, conversation=conversation, start_conversation=start_conversation, cc=cc, author=author, now=now))  # type: ignore[arg-type, misc]

    async def record_sent(self, message: str, *, provider_message_id: str | None = None,
                    now: datetime | None = None) -> str:
        """Note that the transport accepted a composed email: ``"changed"``, ``"unchanged"`` (a
        repeat) or ``"refused"``."""
        return await self._run(*Engine.record_sent(_RECORDER, message, provider_message_id=provider_message_id, now=now))  # type: ignore[arg-type, misc]

    async def ingest(self, body: bytes | str, *, provider: Any = None, content_type: str | None = None,
               now: datetime | None = None) -> IngestResult:
        """Ingest a reply: raw RFC 5322 bytes, or a provider's webhook payload (``provider`` =
        ``"sendgrid"``, ``"mailgun"``, ``"postmark"``, ``"ses"``… with the request's
        ``content_type``). Never drops a message silently: see ``IngestResult.outcome``."""
        return await self._run(*Engine.ingest(_RECORDER, body, provider=provider, content_type=content_type, now=now))  # type: ignore[arg-type, misc]

    async def log_manual_reply(self, customer: str, text: str, *, party: str = "contact",
                         author: str | None = None, occurred_at: datetime | None = None,
                         conversation: str | None = None,
                         now: datetime | None = None) -> LoggedMessage:
        """Log something said outside email (a call, a chat): ``party`` ``contact`` or ``business``."""
        return await self._run(*Engine.log_manual_reply(_RECORDER, customer, text, party=party, author=author, occurred_at=occurred_at, conversation=conversation, now=now))  # type: ignore[arg-type, misc]

    async def timeline(self, *, customer: str | None = None,
                 conversation: str | None = None) -> list[TimelineEvent]:
        """The events of a customer or of one conversation, oldest first."""
        return await self._run(*Engine.timeline(_RECORDER, customer=customer, conversation=conversation))  # type: ignore[arg-type, misc]

    async def messages(self, conversation: str) -> list[StoredMessage]:
        """The messages of a conversation, oldest first, with their analyses."""
        return await self._run(*Engine.messages(_RECORDER, conversation))  # type: ignore[arg-type, misc]

    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        """A conversation by id, or None."""
        return await self._run(*Engine.get_conversation(_RECORDER, conversation_id))  # type: ignore[arg-type, misc]

    async def conversations(self, *, status: str | None = None, customer: str | None = None,
                      assignee: str | None = None, label: str | None = None,
                      team: str | None = None, channel: str | None = None,
                      text: str | None = None, limit: int = 50,
                      after: str | None = None) -> ConversationPage:
        """The inbox: conversations by latest activity, filtered; ``after`` is a page's
        ``next_cursor``; ``text`` searches subjects and messages."""
        return await self._run(*Engine.conversations(_RECORDER, status=status, customer=customer, assignee=assignee, label=label, team=team, channel=channel, text=text, limit=limit, after=after))  # type: ignore[arg-type, misc]

    async def insights(self, *, status: str | None = None, customer: str | None = None,
                 label: str | None = None, limit: int = 0, top: int = 5) -> Insights:
        """Aggregate the analyses of the selected conversations' replies."""
        return await self._run(*Engine.insights(_RECORDER, status=status, customer=customer, label=label, limit=limit, top=top))  # type: ignore[arg-type, misc]

    async def inbox(self, *, tab: str = "all", agent: str | None = None, status: str | None = None,
              channel: str | None = None, labels: list[str] | None = None,
              assignee: str | None = None, team: str | None = None,
              priority: str | None = None, response_type: str | None = None,
              customer: str | None = None, text: str | None = None, limit: int = 50,
              after: str | None = None, reader: str | None = None) -> InboxPage:
        """The inbox list as rows, newest activity first: ``tab`` is ``all``, ``unassigned`` or
        ``mine`` (with ``agent``); ``labels`` must all match; ``text`` searches (resolved
        conversations too); ``after`` is a page's ``next_cursor``; ``reader`` decides ``unread``."""
        return await self._run(*Engine.inbox(_RECORDER, tab=tab, agent=agent, status=status, channel=channel, labels=labels, assignee=assignee, team=team, priority=priority, response_type=response_type, customer=customer, text=text, limit=limit, after=after, reader=reader))  # type: ignore[arg-type, misc]

    async def mark_read(self, conversation: str, agent: str, *, now: datetime | None = None) -> None:
        """Record that ``agent`` has read the conversation (its row is no longer ``unread``)."""
        await self._run(*Engine.mark_read(_RECORDER, conversation, agent, now=now))  # type: ignore[arg-type, misc, func-returns-value]

    async def customer_history(self, customer: str) -> list[InboxRow]:
        """All of a customer's conversations, on every channel, newest first."""
        return await self._run(*Engine.customer_history(_RECORDER, customer))  # type: ignore[arg-type, misc]

    async def metrics(self, *, since: datetime, until: datetime | None = None,
                status: str | None = None, customer: str | None = None,
                assignee: str | None = None, label: str | None = None,
                team: str | None = None, channel: str | None = None) -> MetricsReport:
        """Inbox metrics for conversations active in ``[since, until)`` (``until``: now):
        response and resolution times in calendar and business hours, volumes."""
        return await self._run(*Engine.metrics(_RECORDER, since=since, until=until, status=status, customer=customer, assignee=assignee, label=label, team=team, channel=channel))  # type: ignore[arg-type, misc]

    async def resolve(self, conversation: str, *, now: datetime | None = None) -> Conversation:
        """Resolve a conversation (TransitionError if it is already resolved)."""
        return await self._run(*Engine.resolve(_RECORDER, conversation, now=now))  # type: ignore[arg-type, misc]

    async def reopen(self, conversation: str, *, now: datetime | None = None) -> Conversation:
        """Reopen a resolved or snoozed conversation."""
        return await self._run(*Engine.reopen(_RECORDER, conversation, now=now))  # type: ignore[arg-type, misc]

    async def mark_pending(self, conversation: str, *, now: datetime | None = None) -> Conversation:
        """Mark a conversation as waiting for the customer."""
        return await self._run(*Engine.mark_pending(_RECORDER, conversation, now=now))  # type: ignore[arg-type, misc]

    async def snooze(self, conversation: str, *, until: datetime | None = None,
               preset: str | None = None, now: datetime | None = None) -> Conversation:
        """Snooze until an instant, or a ``preset``: ``one_hour``, ``two_hours``, ``four_hours``,
        ``tomorrow_morning``, ``next_monday`` (in the account's time zone)."""
        return await self._run(*Engine.snooze(_RECORDER, conversation, until=until, preset=preset, now=now))  # type: ignore[arg-type, misc]

    async def wake_snoozed(self, *, now: datetime | None = None) -> list[str]:
        """Reopen the conversations whose snooze has ended; returns their ids."""
        return await self._run(*Engine.wake_snoozed(_RECORDER, now=now))  # type: ignore[arg-type, misc]

    async def assign(self, conversation: str, assignee: str | None, *, team: str | None = None,
               now: datetime | None = None) -> Conversation:
        """Assign to an agent (and team); ``None`` unassigns."""
        return await self._run(*Engine.assign(_RECORDER, conversation, assignee, team=team, now=now))  # type: ignore[arg-type, misc]

    async def add_label(self, conversation: str, label: str, *,
                  now: datetime | None = None) -> Conversation:
        """Add a label."""
        return await self._run(*Engine.add_label(_RECORDER, conversation, label, now=now))  # type: ignore[arg-type, misc]

    async def remove_label(self, conversation: str, label: str, *,
                     now: datetime | None = None) -> Conversation:
        """Remove a label."""
        return await self._run(*Engine.remove_label(_RECORDER, conversation, label, now=now))  # type: ignore[arg-type, misc]

    async def set_priority(self, conversation: str, priority: str, *,
                     now: datetime | None = None) -> Conversation:
        """Set the priority: ``none``, ``low``, ``medium``, ``high`` or ``urgent``."""
        return await self._run(*Engine.set_priority(_RECORDER, conversation, priority, now=now))  # type: ignore[arg-type, misc]

    async def add_note(self, conversation: str, text: str, *, author: str | None = None,
                 now: datetime | None = None) -> str:
        """Add an internal note; returns its message id."""
        return await self._run(*Engine.add_note(_RECORDER, conversation, text, author=author, now=now))  # type: ignore[arg-type, misc]

    async def run_analysis(self, *, batch: int = 50, now: datetime | None = None) -> AnalysisRun:
        """Run up to ``batch`` due analysis jobs with the offline analyzer."""
        return await self._run(*Engine.run_analysis(_RECORDER, batch=batch, now=now))  # type: ignore[arg-type, misc]

    async def run_forwards(self, *, limit: int = 50, now: datetime | None = None) -> list[ForwardReport]:
        """Run up to ``limit`` due forward jobs (failed inline forwards are retried here)."""
        return await self._run(*Engine.run_forwards(_RECORDER, limit=limit, now=now))  # type: ignore[arg-type, misc]

    async def outbox(self) -> list[OutboxEmail]:
        """The emails the engine's mailer sent (the latest 1000), oldest first."""
        return await self._run(*Engine.outbox(_RECORDER, ))  # type: ignore[arg-type, misc]


class _Recorder:
    """Stands in for an engine: returns the call a method would run instead of running it, so
    :class:`AsyncEngine` runs exactly what :class:`Engine` would."""

    def _run(self, op: str, args: str, parse: Any) -> tuple[str, str, Any]:
        return op, args, parse


_RECORDER: Any = _Recorder()


# ---- analysis without a store ---------------------------------------------------------------

def analyze(text: str, *, subject: str | None = None, customer_name: str | None = None) -> Analysis:
    """Analyse a reply's text with the offline (heuristic) analyzer: no network, deterministic."""
    return Analysis._from(json.loads(_native._analyze(text, subject, customer_name)))


def analysis_json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Analysis` (for structured LLM output)."""
    return json.loads(_native._analysis_json_schema())


def build_prompt(text: str, *, subject: str | None = None,
                 customer_name: str | None = None) -> list[dict[str, str]]:
    """The chat messages (``[{role, content}]``) an LLM analyzer sends for a reply."""
    return json.loads(_native._build_prompt(text, subject, customer_name))["messages"]


def repair_analysis(output: str) -> Analysis:
    """Parse a model's output (fenced, trailing commas, wrong case…) into an :class:`Analysis`;
    raises :class:`MalformedInput` with ``feedback`` to send back to the model."""
    return Analysis._from(json.loads(_native._repair_analysis(output)))

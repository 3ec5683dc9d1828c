"""String enums used across replytrack.

Each member is a ``str`` too, so ``classification.kind == "reply"`` and
``classification.kind is MessageKind.REPLY`` both hold, and members serialise to JSON as
their values.
"""

from __future__ import annotations

import enum

__all__ = [
    "CutKind",
    "MessageKind",
    "Provider",
    "QuoteContainer",
    "TokenSource",
    "Verdict",
]


class _StrEnum(str, enum.Enum):
    """A string enum whose ``str()`` is its value (like Python 3.11's ``enum.StrEnum``)."""

    def __str__(self) -> str:
        return str(self.value)


class MessageKind(_StrEnum):
    """What kind of inbound message this is."""

    REPLY = "reply"
    """A person's reply."""
    AUTO_REPLY = "auto_reply"
    """An automatic reply (out of office, auto-responder)."""
    BOUNCE = "bounce"
    """A delivery failure report."""
    OWN_LOOP = "own_loop"
    """Our own outgoing mail echoed back."""


class Verdict(_StrEnum):
    """An authentication or content verdict reported by a provider."""

    PASS = "pass"
    FAIL = "fail"
    SOFT_FAIL = "soft_fail"
    NEUTRAL = "neutral"
    NONE = "none"
    TEMP_ERROR = "temp_error"
    PERM_ERROR = "perm_error"
    UNKNOWN = "unknown"


class TokenSource(_StrEnum):
    """Where in a message a reply token was found, best evidence first."""

    ENVELOPE = "envelope"
    MAILBOX_HASH = "mailbox_hash"
    DELIVERED_TO = "delivered_to"
    X_ORIGINAL_TO = "x_original_to"
    X_FORWARDED_TO = "x_forwarded_to"
    ENVELOPE_TO = "envelope_to"
    TO = "to"
    CC = "cc"
    REFERENCES = "references"
    BOUNCED_ORIGINAL = "bounced_original"


class CutKind(_StrEnum):
    """What decided where the person's text ends."""

    ATTRIBUTION = "attribution"
    """An attribution line ("On …, Marie wrote:") with the quote below it."""
    OUTLOOK_HEADER = "outlook_header"
    """An Outlook header block or an "Original Message" separator."""
    FORWARD = "forward"
    """A forwarded-message separator."""
    HTML_CONTAINER = "html_container"
    """A known client's HTML quote container (see ``Reply.quote_container``)."""
    INLINE = "inline"
    """Answers interleaved with the quote; the quoted context lines were kept."""
    BOTTOM_POST = "bottom_post"
    """The answer stands below the quote."""


class QuoteContainer(_StrEnum):
    """A mail client's HTML container for quoted history."""

    GMAIL = "gmail"
    BLOCKQUOTE_CITE = "blockquote_cite"
    THUNDERBIRD = "thunderbird"
    OUTLOOK_REPLY = "outlook_reply"
    OUTLOOK_APPEND_ON_SEND = "outlook_append_on_send"
    OUTLOOK_BORDER_TOP = "outlook_border_top"
    YAHOO = "yahoo"
    OTHER = "other"


class Provider(_StrEnum):
    """Which adapter reads a payload (``parse_email(..., provider=...)``)."""

    RAW = "raw"
    SENDGRID = "sendgrid"
    MAILGUN = "mailgun"
    POSTMARK = "postmark"
    SES = "ses"

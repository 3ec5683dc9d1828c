"""Inbound messages and their classification.

Mirrors the Rust module ``replytrack::message`` (and ``replytrack::html`` for ``html_to_text``).
"""

from replytrack._native import (
    Attachment,
    BounceReport,
    Classification,
    Envelope,
    Evidence,
    InboundMessage,
    Mailbox,
    TransportInfo,
    classify,
    html_to_text,
)

__all__ = [
    "Attachment",
    "BounceReport",
    "Classification",
    "Envelope",
    "Evidence",
    "InboundMessage",
    "Mailbox",
    "TransportInfo",
    "classify",
    "html_to_text",
]

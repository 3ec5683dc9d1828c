"""Provider webhooks: payloads into messages, and the checks that a request is genuine.

Mirrors the Rust module ``replytrack::provider``.
"""

from replytrack._native import (
    BasicAuth,
    MailgunReplayGuard,
    MailgunSigningKey,
    check_basic_auth,
    parse_email,
    verify_mailgun_request,
    verify_mailgun_signature,
)
from replytrack.enums import Provider

__all__ = [
    "BasicAuth",
    "MailgunReplayGuard",
    "MailgunSigningKey",
    "Provider",
    "check_basic_auth",
    "parse_email",
    "verify_mailgun_request",
    "verify_mailgun_signature",
]

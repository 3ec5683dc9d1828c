"""The exception hierarchy. Every error replytrack raises is a :class:`ReplytrackError`.

::

    ReplytrackError
    ├── TokenError            reason
    │   ├── TokenMalformed    length, character
    │   ├── TokenUnknownKey   key_id, issued
    │   ├── TokenKeyRetired   key_id
    │   ├── TokenNotYetValid  issued, now
    │   ├── TokenExpired      issued, expired_at, ttl_days, authentic
    │   └── TokenForged
    ├── MalformedInput        kind, field, limit, size, offset
    ├── SignatureError        reason (+ age_secs/max_age_secs, ahead_secs/max_skew_secs)
    ├── AuthError             reason
    └── ConfigError           reason (+ the offending setting, never a secret)

Invalid argument types and naive datetimes raise the usual ``TypeError``/``ValueError``.
"""

from replytrack._native import (
    AuthError,
    ConfigError,
    MalformedInput,
    ReplytrackError,
    SignatureError,
    TokenError,
    TokenExpired,
    TokenForged,
    TokenKeyRetired,
    TokenMalformed,
    TokenNotYetValid,
    TokenUnknownKey,
)

__all__ = [
    "AuthError",
    "ConfigError",
    "MalformedInput",
    "ReplytrackError",
    "SignatureError",
    "TokenError",
    "TokenExpired",
    "TokenForged",
    "TokenKeyRetired",
    "TokenMalformed",
    "TokenNotYetValid",
    "TokenUnknownKey",
]

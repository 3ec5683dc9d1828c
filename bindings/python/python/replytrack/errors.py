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
    ├── ConfigError           reason (+ the offending setting, never a secret)
    └── EngineError           code (+ the Rust error's fields: customer, operation, attempts…)
        ├── StoreError        kind: conflict, lease_lost, backend or open
        ├── NotFoundError     entity, id
        └── TransitionError   state, event, why

Engine errors carry a stable ``code`` (``STORE_ERROR``, ``NOT_FOUND``, ``TRANSITION_ERROR``,
``UNDELIVERABLE``, ``UNSUBSCRIBED``, ``CONTENTION``, ``WRONG_CUSTOMER``, ``SNOOZE_ERROR``,
``INVALID_ADDRESS``, ``TOKEN_ERROR``, ``RENDER_ERROR``, ``DELIVERY_ERROR``, ``NOT_OUTBOUND``), the
same codes the Node package uses.

Invalid argument types and naive datetimes raise the usual ``TypeError``/``ValueError``.
"""

from replytrack._native import (
    AuthError,
    ConfigError,
    EngineError,
    MalformedInput,
    NotFoundError,
    ReplytrackError,
    SignatureError,
    StoreError,
    TokenError,
    TokenExpired,
    TokenForged,
    TokenKeyRetired,
    TokenMalformed,
    TokenNotYetValid,
    TokenUnknownKey,
    TransitionError,
)

__all__ = [
    "AuthError",
    "ConfigError",
    "EngineError",
    "MalformedInput",
    "NotFoundError",
    "ReplytrackError",
    "SignatureError",
    "StoreError",
    "TokenError",
    "TokenExpired",
    "TokenForged",
    "TokenKeyRetired",
    "TokenMalformed",
    "TokenNotYetValid",
    "TokenUnknownKey",
    "TransitionError",
]

"""Reply tokens: secrets, keyrings, issuing and verifying without storage.

Mirrors the Rust module ``replytrack::token``.
"""

from replytrack._native import (
    DEFAULT_TTL_DAYS,
    MAX_TTL_DAYS,
    IssuedToken,
    KeyInfo,
    Keyring,
    Secret,
    TokenAuthority,
    VerifiedToken,
    normalize_token,
)

__all__ = [
    "DEFAULT_TTL_DAYS",
    "MAX_TTL_DAYS",
    "IssuedToken",
    "KeyInfo",
    "Keyring",
    "Secret",
    "TokenAuthority",
    "VerifiedToken",
    "normalize_token",
]

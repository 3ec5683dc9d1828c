"""Reply addresses: format them, parse them leniently, find the token in a message.

Mirrors the Rust module ``replytrack::address``.
"""

from replytrack._native import (
    AddressFormat,
    AddressItem,
    ParsedAddress,
    TokenMatch,
    find_token,
    parse_address,
    scan_token,
    scan_tokens,
    split_addresses,
    token_in_message_id,
)

__all__ = [
    "AddressFormat",
    "AddressItem",
    "ParsedAddress",
    "TokenMatch",
    "find_token",
    "parse_address",
    "scan_token",
    "scan_tokens",
    "split_addresses",
    "token_in_message_id",
]

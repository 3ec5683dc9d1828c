"""Shared fixtures: a fixed clock, a token authority, and sample emails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import replytrack as rt

DATA = Path(__file__).parent / "data"
DOMAIN = "reply.example.com"
SECRET_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime(2026, 3, 3, 10, 12, tzinfo=dt.timezone.utc)


@pytest.fixture
def authority() -> rt.TokenAuthority:
    keyring = rt.Keyring.single(rt.Secret.from_hex(SECRET_HEX))
    return rt.TokenAuthority(keyring, domain=DOMAIN)


@pytest.fixture
def address_format() -> rt.AddressFormat:
    return rt.AddressFormat(DOMAIN)


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def raw_reply(to: str, body: str, subject: str = "Re: Votre devis", extra_headers: str = "") -> bytes:
    """A small raw reply as a mail client would send it (CRLF line ends)."""
    text = (
        "From: Marie Dupont <marie@example.fr>\n"
        f"To: Acme Sales <{to}>\n"
        f"Subject: {subject}\n"
        "Date: Tue, 3 Mar 2026 11:12:18 +0100\n"
        "Message-ID: <CAF-reply-1@mail.example.fr>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"{extra_headers}"
        "\n"
        f"{body}"
    )
    return text.replace("\n", "\r\n").encode("utf-8")

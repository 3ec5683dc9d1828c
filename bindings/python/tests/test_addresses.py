"""Reply addresses and Message-IDs: formatted from tokens, found again in what comes back."""

from __future__ import annotations

import pytest

import replytrack as rt
from conftest import DOMAIN, raw_reply


def test_reply_address_round_trips_through_a_display_name(authority, address_format, now):
    issued = authority.issue(now)
    address = address_format.address(issued)

    parsed = rt.parse_address(f'"Dupont, Marie" <{address.upper()}>', domain=DOMAIN)

    assert address == f"reply+{issued.token}@{DOMAIN}"
    assert parsed.token == issued.token
    assert parsed.address == address.upper()
    assert parsed.valid_shape is True
    assert authority.verify(parsed.token, now).token == issued.token


def test_address_at_another_domain_has_no_token(authority, address_format, now):
    address = address_format.address(authority.issue(now))
    elsewhere = address.replace(DOMAIN, "evil.example")

    parsed = rt.parse_address(elsewhere, domain=DOMAIN)

    assert parsed.token is None and parsed.valid_shape is False
    assert rt.find_token(elsewhere, DOMAIN) is None
    assert rt.find_token(elsewhere) is not None


def test_custom_prefix_and_separator(authority, now):
    fmt = rt.AddressFormat(DOMAIN, prefix="Support", separator="-")
    token = authority.issue(now).token

    address = fmt.address(token)

    assert address == f"support-{token}@{DOMAIN}"
    assert fmt.find_token(f"Help <{address}>") == token
    assert (fmt.prefix, fmt.separator, fmt.domain) == ("support", "-", DOMAIN)


def test_bad_separator_is_a_config_error():
    with pytest.raises(rt.ConfigError) as caught:
        rt.AddressFormat(DOMAIN, separator="#")

    assert caught.value.reason == "bad_separator"


def test_message_id_embeds_the_token(authority, address_format, now):
    token = authority.issue(now).token

    message_id = address_format.message_id(token)

    assert message_id.startswith(token + ".") and message_id.endswith("@" + DOMAIN)
    assert rt.token_in_message_id(f"<{message_id}>", DOMAIN) == token
    assert address_format.message_id(token) != message_id


def test_split_addresses_handles_quotes_groups_and_comments():
    items = rt.split_addresses(
        '"Dupont, Marie" <marie@example.fr>, team: a@x.example, b@x.example; (note) c@y.example'
    )

    assert [i.address for i in items] == [
        "marie@example.fr",
        "a@x.example",
        "b@x.example",
        "c@y.example",
    ]
    assert items[0].display_name == "Dupont, Marie"
    assert items[0].to_dict() == {"display_name": "Dupont, Marie", "address": "marie@example.fr"}


def test_scan_token_prefers_the_envelope_and_finds_references(authority, address_format, now):
    issued = authority.issue(now)
    message_id = address_format.message_id(issued)
    raw = raw_reply(
        to="sales@acme.example",
        body="Yes.\n",
        extra_headers=f"References: <{message_id}>\n",
    )

    msg = rt.parse_email(raw)
    match = rt.scan_token(msg, DOMAIN)

    assert match is not None
    assert match.token == issued.token
    assert match.source == rt.TokenSource.REFERENCES == "references"
    assert rt.scan_tokens(msg, DOMAIN) == [match]


def test_scan_token_is_none_without_a_token():
    msg = rt.parse_email(raw_reply(to="sales@acme.example", body="Hi\n"))

    assert rt.scan_token(msg, DOMAIN) is None
    assert rt.scan_tokens(msg, DOMAIN) == []


def test_address_rejects_objects_that_are_not_tokens(address_format):
    with pytest.raises(TypeError):
        address_format.address(42)
    with pytest.raises(rt.TokenMalformed):
        address_format.address("short")

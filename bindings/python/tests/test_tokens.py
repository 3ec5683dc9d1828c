"""Tokens: issue, verify, and every refusal with the fields a caller acts on."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

import replytrack as rt
from conftest import DOMAIN, SECRET_HEX

UTC = dt.timezone.utc


def test_issued_token_verifies_at_the_same_instant(authority, now):
    issued = authority.issue(now)

    verified = authority.verify(issued.token, now)

    assert verified.token == issued.token == str(issued)
    assert len(issued.token) == 16
    assert verified.key_id == issued.key_id == 0
    assert issued.issued_at == dt.datetime(2026, 3, 3, tzinfo=UTC)
    assert issued.expires_at == issued.issued_at + dt.timedelta(days=90)
    assert verified.expires_at.tzinfo is not None
    assert verified.to_dict() == {
        "token": issued.token,
        "key_id": 0,
        "issued_at": issued.issued_at,
        "expires_at": issued.expires_at,
    }


def test_verify_accepts_uppercase_and_look_alikes(authority, now):
    token = authority.issue(now, handle=0x0123456).token
    shouted = token.upper().replace("1", "I").replace("0", "O")

    assert authority.verify(f"  {shouted} ", now).token == token


def test_default_clock_is_used_when_now_is_left_out(authority):
    issued = authority.issue()

    assert authority.verify(issued.token).token == issued.token
    assert issued.issued_at <= dt.datetime.now(UTC)


def test_now_in_another_zone_is_the_same_instant(authority, now):
    paris = dt.timezone(dt.timedelta(hours=1))
    issued = authority.issue(now.astimezone(paris))

    assert issued.issued_at == dt.datetime(2026, 3, 3, tzinfo=UTC)


def test_naive_datetimes_are_refused(authority):
    with pytest.raises(ValueError, match="naive"):
        authority.issue(dt.datetime(2026, 3, 3, 10, 12))


def test_expired_token_raises_token_expired_with_its_dates(authority, now):
    issued = authority.issue(now)
    later = now + dt.timedelta(days=91)

    with pytest.raises(rt.TokenExpired) as caught:
        authority.verify(issued.token, later)

    err = caught.value
    assert isinstance(err, rt.TokenError) and isinstance(err, rt.ReplytrackError)
    assert err.reason == "expired"
    assert err.issued == dt.datetime(2026, 3, 3, tzinfo=UTC)
    assert err.expired_at == dt.datetime(2026, 6, 1, tzinfo=UTC)
    assert err.ttl_days == 90
    assert err.authentic is True
    assert "expired" in str(err) and "2026-03-03" in str(err)


def test_forged_token_raises_token_forged(authority, now):
    token = authority.issue(now).token
    last = "0" if token[-1] != "0" else "1"
    forged = token[:-1] + last

    with pytest.raises(rt.TokenForged) as caught:
        authority.verify(forged, now)

    assert caught.value.reason == "forged"


def test_token_for_another_domain_is_forged(now):
    keyring = rt.Keyring.single(rt.Secret.from_hex(SECRET_HEX))
    ours = rt.TokenAuthority(keyring, domain=DOMAIN)
    theirs = rt.TokenAuthority(keyring, domain="reply.other.example")

    with pytest.raises(rt.TokenForged):
        theirs.verify(ours.issue(now).token, now)


@pytest.mark.parametrize(
    ("text", "length", "character"),
    [("abc", 3, None), ("u123456789abcdef", None, "u"), ("", 0, None)],
)
def test_malformed_tokens_say_what_is_wrong(authority, now, text, length, character):
    with pytest.raises(rt.TokenMalformed) as caught:
        authority.verify(text, now)

    assert caught.value.reason == "malformed"
    assert caught.value.length == length
    assert caught.value.character == character


def test_token_from_the_future_is_not_yet_valid(authority, now):
    issued = authority.issue(now + dt.timedelta(days=1))

    with pytest.raises(rt.TokenNotYetValid) as caught:
        authority.verify(issued.token, now)

    assert caught.value.issued == dt.datetime(2026, 3, 4, tzinfo=UTC)
    assert caught.value.now == now


def test_rotated_keyring_signs_with_the_new_key_and_still_verifies_the_old(now):
    master = rt.Secret.from_hex(SECRET_HEX)
    ring = rt.Keyring()
    ring.add_derived(master, 0, dt.datetime(2026, 1, 1, tzinfo=UTC))
    old = rt.TokenAuthority(ring).issue(now - dt.timedelta(days=20))
    ring.add_derived(master, 1, dt.datetime(2026, 3, 1, tzinfo=UTC))
    authority = rt.TokenAuthority(ring)

    new = authority.issue(now)

    assert (old.key_id, new.key_id) == (0, 1)
    assert ring.signing_key_id(now) == 1
    assert [k.key_id for k in ring.keys] == [0, 1]
    assert authority.verify(old.token, now).key_id == 0


def test_retired_key_refuses_its_tokens(now):
    ring = rt.Keyring.single(rt.Secret.from_hex(SECRET_HEX), key_id=3)
    token = rt.TokenAuthority(ring).issue(now).token
    ring.retire(3, now - dt.timedelta(seconds=1))

    with pytest.raises(rt.TokenKeyRetired) as caught:
        rt.TokenAuthority(ring).verify(token, now)

    assert caught.value.key_id == 3
    assert ring.keys[0].retired_at == now - dt.timedelta(seconds=1)


def test_unknown_key_is_reported_with_its_id(now):
    a = rt.TokenAuthority(rt.Keyring.single(rt.Secret.from_hex(SECRET_HEX), key_id=2))
    b = rt.TokenAuthority(rt.Keyring.single(rt.Secret.from_hex(SECRET_HEX), key_id=5))

    with pytest.raises(rt.TokenUnknownKey) as caught:
        b.verify(a.issue(now).token, now)

    assert caught.value.key_id == 2


def test_authority_takes_a_copy_of_the_keyring(now):
    ring = rt.Keyring.single(rt.Secret.generate())
    authority = rt.TokenAuthority(ring)
    ring.retire(0, now - dt.timedelta(days=1))

    assert authority.verify(authority.issue(now).token, now).key_id == 0


def test_secrets_never_show_in_repr_str_or_errors():
    secret = rt.Secret.from_hex(SECRET_HEX)

    assert repr(secret) == str(secret) == "Secret(<redacted>)"
    assert "0001" not in repr(rt.Keyring.single(secret))
    assert "0001" not in repr(rt.TokenAuthority(rt.Keyring.single(secret)))
    with pytest.raises(rt.ConfigError) as caught:
        rt.Secret.from_hex("zz0102030405060708090a0b0c0d0e0f")
    assert "zz01" not in str(caught.value)
    assert caught.value.reason == "bad_secret_hex"


def test_secret_round_trips_through_hex_and_compares_by_value():
    secret = rt.Secret.generate()

    again = rt.Secret.from_hex(secret.expose_hex())

    assert again == secret
    assert rt.Secret(secret.expose()) == secret
    assert secret != rt.Secret.generate()
    assert secret.derive("reply-token", 1) != secret.derive("reply-token", 2)


def test_secrets_cannot_be_pickled():
    with pytest.raises(TypeError):
        pickle.dumps(rt.Secret.generate())


def test_bad_settings_raise_config_error_with_a_reason():
    ring = rt.Keyring.single(rt.Secret.generate())
    with pytest.raises(rt.ConfigError) as ttl:
        rt.TokenAuthority(ring, ttl_days=500)
    with pytest.raises(rt.ConfigError) as domain:
        rt.TokenAuthority(ring, domain="not a domain")
    with pytest.raises(rt.ConfigError) as short:
        rt.Secret(b"short")
    with pytest.raises(rt.ConfigError) as key_id:
        rt.Keyring.single(rt.Secret.generate(), key_id=16)

    assert (ttl.value.reason, ttl.value.ttl_days) == ("bad_ttl", 500)
    assert (domain.value.reason, domain.value.domain) == ("bad_domain", "not a domain")
    assert (short.value.reason, short.value.length) == ("bad_secret_length", 5)
    assert (key_id.value.reason, key_id.value.key_id) == ("bad_key_id", 16)


def test_empty_keyring_cannot_issue(now):
    with pytest.raises(rt.ConfigError) as caught:
        rt.TokenAuthority(rt.Keyring()).issue(now)

    assert caught.value.reason == "no_signing_key"


def test_normalize_token_folds_case_and_look_alikes():
    assert rt.normalize_token("O123456789ABCDEF") == "0123456789abcdef"
    with pytest.raises(rt.TokenMalformed):
        rt.normalize_token("not-a-token")


def test_authority_settings_are_readable():
    authority = rt.TokenAuthority(
        rt.Keyring.single(rt.Secret.generate()), domain="Reply.Example.COM.", ttl_days=30
    )

    assert authority.domain == "reply.example.com"
    assert authority.ttl_days == 30
    assert rt.DEFAULT_TTL_DAYS == 90
    assert "reply.example.com" in repr(authority)

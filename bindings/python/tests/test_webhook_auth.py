"""Webhook authenticity: the Mailgun signature and HTTP basic auth."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from urllib.parse import urlencode

import pytest

import replytrack as rt

KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
NOW = dt.datetime(2026, 3, 3, 10, 12, tzinfo=dt.timezone.utc)


def sign(timestamp: int, token: str, key: str = KEY) -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def test_genuine_mailgun_signature_passes_once_then_is_a_replay():
    ts = int(NOW.timestamp()) - 10
    token = "a" * 50
    guard = rt.MailgunReplayGuard()

    rt.verify_mailgun_signature(KEY, ts, token, sign(ts, token), now=NOW, replay_guard=guard)

    with pytest.raises(rt.SignatureError) as caught:
        rt.verify_mailgun_signature(KEY, str(ts), token, sign(ts, token), now=NOW, replay_guard=guard)
    assert caught.value.reason == "replayed"
    assert len(guard) == 1


def test_wrong_key_is_a_bad_signature():
    ts = int(NOW.timestamp())
    with pytest.raises(rt.SignatureError) as caught:
        rt.verify_mailgun_signature(
            rt.MailgunSigningKey("another-key"), ts, "b" * 50, sign(ts, "b" * 50), now=NOW,
            replay_guard=rt.MailgunReplayGuard(),
        )

    assert caught.value.reason == "bad_signature"


def test_stale_signature_reports_its_age():
    ts = int(NOW.timestamp()) - 3600
    with pytest.raises(rt.SignatureError) as caught:
        rt.verify_mailgun_signature(KEY, ts, "c" * 50, sign(ts, "c" * 50), now=NOW,
                                    replay_guard=rt.MailgunReplayGuard())

    assert (caught.value.reason, caught.value.age_secs, caught.value.max_age_secs) == ("stale", 3600, 300)


def test_store_backed_guard_is_any_object_with_check_and_remember():
    class SetGuard:
        def __init__(self):
            self.seen = {}

        def check_and_remember(self, token, expires):
            fresh = token not in self.seen
            self.seen[token] = expires
            return fresh

    guard = SetGuard()
    ts = int(NOW.timestamp())
    rt.verify_mailgun_signature(KEY, ts, "d" * 50, sign(ts, "d" * 50), now=NOW, replay_guard=guard)

    assert guard.seen["d" * 50] > NOW
    with pytest.raises(rt.SignatureError):
        rt.verify_mailgun_signature(KEY, ts, "d" * 50, sign(ts, "d" * 50), now=NOW, replay_guard=guard)


def test_guard_exceptions_propagate():
    class Broken:
        def check_and_remember(self, token, expires):
            raise RuntimeError("store is down")

    ts = int(NOW.timestamp())
    with pytest.raises(RuntimeError, match="store is down"):
        rt.verify_mailgun_signature(KEY, ts, "e" * 50, sign(ts, "e" * 50), now=NOW, replay_guard=Broken())


def test_mailgun_request_body_is_verified_from_its_form_fields():
    ts = int(NOW.timestamp())
    token = "f" * 50
    body = urlencode({"timestamp": ts, "token": token, "signature": sign(ts, token), "body-plain": "hi"})

    rt.verify_mailgun_request(KEY, body, "application/x-www-form-urlencoded", now=NOW,
                              replay_guard=rt.MailgunReplayGuard())

    with pytest.raises(rt.MalformedInput) as caught:
        rt.verify_mailgun_request(KEY, "body-plain=hi", "application/x-www-form-urlencoded", now=NOW)
    assert (caught.value.kind, caught.value.field) == ("missing_field", "timestamp")


def test_signing_key_is_never_shown():
    assert KEY not in repr(rt.MailgunSigningKey(KEY))


def header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_auth_accepts_the_right_credentials_only():
    auth = rt.BasicAuth("sendgrid", "s3cret-pw")

    auth.check(header("sendgrid", "s3cret-pw"))
    assert auth.is_authorized(header("sendgrid", "s3cret-pw"))
    assert not auth.is_authorized(header("sendgrid", "wrong"))
    assert auth.user == "sendgrid"
    assert "s3cret" not in repr(auth)


@pytest.mark.parametrize(
    "value, reason",
    [
        (None, "missing"),
        ("Bearer abc", "not_basic"),
        ("Basic !!!", "malformed"),
        (header("sendgrid", "nope"), "wrong_credentials"),
    ],
)
def test_basic_auth_refusals_name_their_reason(value, reason):
    with pytest.raises(rt.AuthError) as caught:
        rt.check_basic_auth(value, "sendgrid", "s3cret-pw")

    assert caught.value.reason == reason
    assert "s3cret" not in str(caught.value)

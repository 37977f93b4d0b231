"""The identity a channel signs into a message: valid only as signed, for its conversation, before it expires."""

from __future__ import annotations

import time

from support.channel_identity import ChannelIdentity, sign, signing_key, verify

KEY = signing_key({"CHAT_JWT_SECRET": "identity-test-secret"})
SIGNED_IN = ChannelIdentity("app:cust-001", "socketio", "cust-001", "ip:203.0.113.9", int(time.time()) + 3600)


def test_a_signed_identity_is_read_back():
    assert verify(sign(SIGNED_IN, KEY), "app:cust-001", KEY) == SIGNED_IN


def test_no_secret_no_key_and_no_trust():
    assert signing_key({}) is None
    assert verify(sign(SIGNED_IN, KEY), "app:cust-001", None) is None


def test_another_conversation_another_key_or_a_changed_field_is_refused():
    value = sign(SIGNED_IN, KEY)
    assert verify(value, "rest:attacker", KEY) is None
    assert verify(value, "app:cust-001", signing_key({"CHAT_JWT_SECRET": "other"})) is None
    for field, changed in (("customer", "cust-002"), ("client", "ip:1.2.3.4"), ("expires_at", 9_999_999_999),
                           ("channel", "rest"), ("signature", "0" * 64)):
        assert verify({**value, field: changed}, "app:cust-001", KEY) is None, field
    for junk in (None, "x", [], {"conversation": "app:cust-001"}, {**value, "signature": 5}):
        assert verify(junk, "app:cust-001", KEY) is None


def test_an_expired_customer_proof_keeps_the_rest():
    expired = ChannelIdentity("app:cust-001", "socketio", "cust-001", "ip:203.0.113.9", int(time.time()) - 1)
    read = verify(sign(expired, KEY), "app:cust-001", KEY)
    assert read is not None and read.customer is None and read.client == "ip:203.0.113.9"


def test_an_identity_without_a_customer():
    anonymous = ChannelIdentity("kakao:abc", "kakao", None, "kakao:abc")
    assert verify(sign(anonymous, KEY), "kakao:abc", KEY) == anonymous

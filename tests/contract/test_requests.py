"""Helpers of the contract's requests: the idempotency key stays within the desk's limit and stays stable."""

from __future__ import annotations

from contract.requests import idempotency_key
from contract.vocabulary import MAX_IDEMPOTENCY_KEY


def test_a_short_key_is_its_parts_and_a_long_one_their_digest():
    assert idempotency_key("rest:me", "1764586000.1", "refund") == "rest:me:1764586000.1:refund"
    long = idempotency_key("rest:" + "s" * 190, "1764586000.123456", "customer_requested_agent")
    assert len(long) <= MAX_IDEMPOTENCY_KEY and long.startswith("sha256:")
    assert long == idempotency_key("rest:" + "s" * 190, "1764586000.123456", "customer_requested_agent")
    assert long != idempotency_key("rest:" + "s" * 190, "1764586000.123456", "delay_refund")


def test_a_key_with_characters_a_header_cannot_carry_is_digested():
    assert idempotency_key("rest:a\nb", "1").startswith("sha256:")

"""Conversation ids: one namespace per channel, and only characters a URL path carries as they are."""

from __future__ import annotations

import pytest

from support.conversation_ids import (
    CONVERSATION_ID, anonymous_conversation, conversation_id, customer_conversation, in_namespace, local_id,
    namespace_of, path_segment, platform_conversation,
)


@pytest.mark.parametrize("sender, expected", [
    ("me", "rest:me"), ("rest:me", "rest:me"), ("app:cust-001", "rest:app:cust-001"),
    ("010-1234-5678", "rest:010-1234-5678"), ("m.kim@example.com", "rest:m.kim@example.com"),
])
def test_a_rest_sender_stays_in_the_rest_namespace(sender, expected):
    assert in_namespace("rest", sender) == expected
    assert namespace_of(expected) == "rest"


@pytest.mark.parametrize("local", ["", "a" * 191, "a/b", "a#b", "a b", "x/../app:cust-001", "한글", "a%2Fb", "a\nb"])
def test_local_ids_a_path_cannot_carry_as_they_are_are_refused(local):
    with pytest.raises(ValueError):
        conversation_id("rest", local)


def test_an_unknown_namespace_is_refused():
    with pytest.raises(ValueError):
        conversation_id("admin", "x")
    assert namespace_of("admin:x") is None and namespace_of("plain") is None and namespace_of("app:") is None


def test_ids_of_the_channels():
    assert customer_conversation("cust-001") == "app:cust-001"
    first, second = anonymous_conversation(), anonymous_conversation()
    assert first != second and first.startswith("web:") and len(first) == 4 + 32
    assert local_id("messenger:7012345678901234", "messenger") == "7012345678901234"
    assert local_id("7012345678901234", "messenger") == "7012345678901234"


def test_a_platform_id_with_other_characters_becomes_a_stable_digest():
    plain = platform_conversation("kakao", "3b1c5e8f0a")
    assert plain == "kakao:3b1c5e8f0a"
    odd = platform_conversation("kakao", "ab/c+==")
    assert odd == platform_conversation("kakao", "ab/c+==") and odd.startswith("kakao:sha256-")
    assert CONVERSATION_ID.fullmatch(odd)


@pytest.mark.parametrize("conversation", ["rest:me", "app:cust-001", "kakao:sha256-ab", "rest:a.b~c@d+e=f-g:h"])
def test_a_valid_id_goes_into_a_path_unchanged(conversation):
    assert path_segment(conversation) == conversation


@pytest.mark.parametrize("conversation, encoded", [
    ("x/../app:cust-001", "x%2F..%2Fapp:cust-001"), ("a#b", "a%23b"), ("a?b", "a%3Fb"), ("a b", "a%20b"),
    ("a%2Fb", "a%252Fb"),
])
def test_anything_else_is_encoded_so_it_can_reach_no_other_conversation(conversation, encoded):
    assert path_segment(conversation) == encoded
    assert "/" not in path_segment(conversation)

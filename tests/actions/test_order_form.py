"""Validation of the order number in the order form."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.order_form import ValidateOrderForm
from trackers import make_tracker, user_event

DOMAIN = {"forms": {"order_form": {"required_slots": ["order_number"]}}, "slots": {}}


def requested(text, intent="inform", entities=None):
    return make_tracker([user_event(text, intent, entities)], slots={"requested_slot": "order_number"})


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ORD-261122-0042", "ORD-261122-0042"),
        ("ord2611220042", "ORD-261122-0042"),
        ("261122-0042", "ORD-261122-0042"),
        (["ORD-261122-0042", "junk"], "ORD-261122-0042"),
    ],
)
async def test_valid_numbers_are_kept_in_canonical_form(value, expected):
    dispatcher = CollectingDispatcher()
    result = await ValidateOrderForm().validate_order_number(value, dispatcher, requested("x"), DOMAIN)
    assert result == {"order_number": expected}
    assert dispatcher.messages == []


@pytest.mark.parametrize("value", ["12345", "ORD-261399-0042", "'; DROP TABLE orders; --", ""])
async def test_invalid_numbers_are_refused_with_a_message(value):
    dispatcher = CollectingDispatcher()
    result = await ValidateOrderForm().validate_order_number(value, dispatcher, requested("x"), DOMAIN)
    assert result == {"order_number": None}
    assert dispatcher.messages[0]["response"] == "utter_order_number_invalid"


async def test_number_typed_without_entity_is_extracted_from_text():
    dispatcher = CollectingDispatcher()
    result = await ValidateOrderForm().extract_order_number(dispatcher, requested("번호 ord 261122 0042요"), DOMAIN)
    assert result == {"order_number": "ORD-261122-0042"}


async def test_digits_without_a_valid_number_get_the_format_message():
    dispatcher = CollectingDispatcher()
    result = await ValidateOrderForm().extract_order_number(dispatcher, requested("12345요"), DOMAIN)
    assert result == {"order_number": None}
    assert dispatcher.messages[0]["response"] == "utter_order_number_invalid"


async def test_other_intents_are_left_to_the_dialogue_rules():
    dispatcher = CollectingDispatcher()
    result = await ValidateOrderForm().extract_order_number(
        dispatcher, requested("상담원 연결해 주세요", intent="request_agent"), DOMAIN
    )
    assert result == {}
    assert dispatcher.messages == []


async def test_nothing_is_extracted_when_another_slot_is_requested():
    tracker = make_tracker([user_event("ORD-261122-0042", "inform")], slots={"requested_slot": "other"})
    assert await ValidateOrderForm().extract_order_number(CollectingDispatcher(), tracker, DOMAIN) == {}

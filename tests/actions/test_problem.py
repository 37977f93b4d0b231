"""The problem concept: its slots are the domain's, and each turn resets what it should."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions import problem

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))


def test_every_slot_of_the_problem_is_declared_in_the_domain():
    assert set(problem.ALL_SLOTS) <= set(DOMAIN["slots"])
    assert len(set(problem.ALL_SLOTS)) == len(problem.ALL_SLOTS), "each slot belongs to one group"


def test_the_form_asks_exactly_the_slots_the_categories_and_requests_can_need():
    asked = {
        slot
        for category in (*problem.PROBLEM_CATEGORIES, "other")
        for no_order in (True, False)
        for order_given, proven in ((False, False), (True, False), (True, True))
        for finding in (None, "late", "compare", "double_charge", "open")
        for request in (None, "cancel", "change")
        for slot in problem.required_slots(category, no_order, order_given, proven, finding, request)
    }
    assert asked == set(DOMAIN["forms"]["problem_form"]["required_slots"])


@pytest.mark.parametrize("category, no_order, finding, expected", [
    ("delay", False, "late", ["order_number", "resolution"]),
    ("delay", True, None, ["problem_time"]),
    ("quality", False, "verified", ["order_number", "photos", "resolution"]),
    ("payment", False, "compare", ["order_number", "payment_amount", "payment_method", "payment_time"]),
    ("payment", False, "double_charge", ["order_number"]),
])
def test_what_each_category_asks(category, no_order, finding, expected):
    assert problem.required_slots(category, no_order, order_given=not no_order, proven=True, finding=finding) == expected


def test_an_order_not_proven_asks_its_digits_first():
    assert problem.required_slots("quality", False, order_given=True, proven=False, finding=None) == [
        "order_number", "phone_last4"]


def test_a_topic_switch_keeps_the_order_and_its_proof():
    forgotten = problem.switch_topic("payment")
    assert forgotten["form_category"] == "payment"
    assert not set(forgotten) & set(problem.ORDER_SLOTS + problem.PROOF_SLOTS)
    assert set(problem.DETAIL_SLOTS) <= set(forgotten)


def test_a_new_order_forgets_the_proof_of_the_old_one():
    reset = problem.new_order("ORD-261122-0102")
    assert reset["order_number"] == "ORD-261122-0102"
    assert all(reset[name] in (None, 0) for name in ("order_verified", "order_finding", "phone_last4", "phone_attempts"))


def test_a_correction_forgets_only_what_it_names_and_only_when_filled():
    assert problem.correction("아 주문번호 잘못 말했어요", {"order_number": "ORD-261122-0101"})[0] == "order_number"
    assert problem.correction("아 주문번호 잘못 말했어요", {}) is None
    assert problem.correction("금액 틀렸어요", {"payment_amount": 9000}) == ("payment_amount",)


@pytest.mark.parametrize("requested, response, slots", [
    ("photos", "utter_continue_without_photos", {"photos": [], "photos_unavailable": True}),
    ("phone_last4", "utter_lookup_failed", {"lookup_failed": True}),
    ("payment_time", "utter_continue_without_detail", {"payment_time": problem.UNKNOWN}),
])
def test_what_i_dont_know_sets(requested, response, slots):
    assert problem.cannot_provide(requested) == (response, slots)
    assert problem.cannot_provide("resolution") is None

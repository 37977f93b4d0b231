"""The desk's request schemas and body checks on generated JSON (Hypothesis).

Whatever JSON object arrives (``desk.http.json_object`` lets only objects through),
``parse_obj`` raises only pydantic's ``ValidationError``
(the desk's 422) and ``desk.payloads.problem_in`` only reports; what a schema
accepts survives a JSON round trip unchanged.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from contract.requests import ContactEmail, FetchRequest, MessageCreate, RatingCreate, TicketCreate
from desk.agents.schemas import LoginRequest
from desk.openapi import request_models
from desk.payloads import MAX_INT, problem_in
from desk.tickets.schemas import AssignRequest, ReplyCreate
from deskkit import unstarted_desk

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**66), 2**66), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30), st.sampled_from(["delay", "quality", "urgent", "customer", "bot", "rest", "T-20261122-0001",
                                           "2026-11-22T19:30:00+09:00", "agent@example.com", "A" * 32]),
)
JSON = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=12,
)


def bodies_for(model):
    """Dicts with the model's own fields (some left out, some extra) holding any JSON value."""
    fields = list(model.__fields__)
    return st.dictionaries(st.one_of(st.sampled_from(fields), st.text(max_size=8)), JSON, max_size=len(fields) + 1)


TEXT = st.text(min_size=1, max_size=40)
CONVERSATION = st.from_regex(r"[A-Za-z0-9._~:@+=-]{1,40}", fullmatch=True)  # support/conversation_ids.py
NEARLY_VALID = {
    TicketCreate: st.fixed_dictionaries(
        {"category": st.sampled_from(["delay", "quality", "payment", "other"]), "channel": TEXT,
         "sender_id": CONVERSATION},
        optional={
            "priority": st.sampled_from(["urgent", "high", "normal", "low"]),
            "customer_id": st.text(max_size=100), "order_number": st.text(max_size=30),
            "problem_time": st.datetimes().map(lambda d: d.isoformat()),
            "requested_resolution": st.text(max_size=40), "payment_details": st.dictionaries(st.text(max_size=8), JSON),
            "summary": st.text(max_size=200), "notify_customer": st.booleans(),
            "transcript": st.lists(st.fixed_dictionaries(
                {"author": st.sampled_from(["customer", "bot", "agent", "system"]), "text": st.text(max_size=50)},
                optional={"sent_at": st.datetimes().map(lambda d: d.isoformat())}), max_size=3),
            "attachments": st.lists(st.from_regex(r"[A-Za-z0-9_-]{16,64}", fullmatch=True), max_size=3),
        },
    ),
    MessageCreate: st.fixed_dictionaries({"author": st.sampled_from(["customer", "bot", "system"]), "text": TEXT}),
    ReplyCreate: st.fixed_dictionaries({"text": TEXT}),
    AssignRequest: st.fixed_dictionaries({"agent": st.one_of(st.integers(1, 2**40), st.emails())}),
    LoginRequest: st.fixed_dictionaries({"email": st.emails(), "password": TEXT}),
    FetchRequest: st.fixed_dictionaries({"url": TEXT}, optional={"ticket_number": st.text(min_size=1, max_size=20)}),
    RatingCreate: st.fixed_dictionaries({"rating": st.integers(1, 5)}, optional={
        "ticket_number": st.text(max_size=20), "sender_id": TEXT, "comment": st.text(max_size=100)}),
    ContactEmail: st.fixed_dictionaries({"email": st.one_of(
        st.from_regex(r"[a-z][a-z0-9._]{0,10}@[a-z][a-z0-9-]{0,10}\.(com|kr|co\.kr|net)", fullmatch=True),
        st.emails(), TEXT,
    )}),
}


REQUEST_MODELS = request_models(unstarted_desk())


def test_every_documented_request_model_is_covered():
    assert set(REQUEST_MODELS) == set(NEARLY_VALID)


@pytest.mark.parametrize("model", REQUEST_MODELS, ids=lambda m: m.__name__)
def test_schemas_raise_only_validation_errors_and_what_they_accept_round_trips(model):
    accepted = []

    @settings(max_examples=200, deadline=None)
    @given(st.one_of(NEARLY_VALID[model], bodies_for(model), st.dictionaries(st.text(max_size=10), JSON, max_size=4)))
    def check(body):
        try:
            parsed = model.parse_obj(body)
        except ValidationError:
            return
        accepted.append(parsed)
        again = model.parse_obj(json.loads(parsed.json()))
        assert again == parsed

    check()
    assert len(accepted) >= 10, "the round trip was checked on accepted bodies"


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_problem_in_reports_without_raising(value):
    problem = problem_in(value)
    text = json.dumps(value)
    if "\\u0000" in text or any(isinstance(v, int) and abs(v) > MAX_INT for v in _leaves(value)):
        assert problem is not None and problem[0] in (400, 422)
    else:
        assert problem is None


def _leaves(value):
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(item.keys())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            yield item


def test_problem_in_walks_deep_nesting_without_recursion():
    deep = "x"
    for _ in range(50_000):
        deep = [deep]
    assert problem_in(deep) is None
    assert problem_in([{"a": [deep, "\x00"]}])[1] == "invalid_characters"

"""The order question answered with a description ("아까 행복치킨에서 시킨 거요"), against the seeded orders."""

from __future__ import annotations

import json
import time

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import ActionAskOrderNumber
from actions.problem_form import ValidateProblemForm
from trackers import make_tracker, signed_identity, user_event

DOMAIN = {"forms": {"problem_form": {"required_slots": []}}, "slots": {}}
pytestmark = pytest.mark.usefixtures("services")
# seeds/demo_orders.yml: cust-001 ordered from 행복치킨 강남점 (25 minutes ago), 엄마손 김밥 (80 minutes),
# 바삭 돈까스 (90 minutes) and 마라 천국 (two days ago); 피자나라 역삼점 is cust-002's
CHICKEN, GIMBAP, PORK_CUTLET, MARA = "ORD-261122-0101", "ORD-261122-0102", "ORD-261122-0106", "ORD-261121-0109"


def asked(text, customer="cust-001", intent="inform"):
    event = user_event(text, intent, timestamp=time.time())
    event["metadata"] = signed_identity(customer=customer)
    return make_tracker([event], slots={"problem_category": "delay", "requested_slot": "order_number"},
                        active_loop="problem_form")


def offered(dispatcher):
    """The order numbers of the buttons offered, in order."""
    numbers = []
    for message in dispatcher.messages:
        for button in message.get("buttons") or []:
            if button["payload"].startswith("/inform"):
                numbers.append(json.loads(button["payload"][len("/inform"):])["order_number"])
    return numbers


async def test_a_store_named_takes_that_order_and_proves_it_by_the_sign_in():
    form, dispatcher = ValidateProblemForm(), CollectingDispatcher()
    tracker = asked("아까 행복치킨에서 시킨 거요")
    extracted = await form.extract_order_number(dispatcher, tracker, DOMAIN)
    assert extracted == {"order_number": CHICKEN}
    validated = await form.validate_order_number(extracted["order_number"], dispatcher, tracker, DOMAIN)
    assert validated["order_verified"] == f"token:{CHICKEN}"


async def test_a_time_alone_offers_the_orders_it_fits_as_buttons_and_the_question_is_not_repeated():
    form, dispatcher = ValidateProblemForm(), CollectingDispatcher()
    extracted = await form.extract_order_number(dispatcher, asked("아까 시킨 거요"), DOMAIN)
    assert extracted == {"order_number": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_pick_described_order"]
    assert offered(dispatcher) == [CHICKEN, GIMBAP, PORK_CUTLET]
    assert dispatcher.messages[0]["buttons"][-1]["payload"] == "/dont_know"

    tracker = asked("아까 시킨 거요")
    tracker.events.append({"event": "bot", "text": "...", "metadata": {"utter_action": "utter_pick_described_order"}})
    ask = CollectingDispatcher()
    await ActionAskOrderNumber().run(ask, tracker, DOMAIN)
    assert ask.messages == []


async def test_the_next_turn_asks_again():
    ask = CollectingDispatcher()
    tracker = asked("몰라요")
    tracker.events.insert(0, {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_pick_described_order"}})
    await ActionAskOrderNumber().run(ask, tracker, DOMAIN)
    assert [m["response"] for m in ask.messages] == ["utter_ask_order_number"]


async def test_another_customers_store_is_never_matched_and_only_her_own_orders_are_offered():
    form, dispatcher = ValidateProblemForm(), CollectingDispatcher()
    extracted = await form.extract_order_number(dispatcher, asked("피자나라에서 시킨 거요"), DOMAIN)
    assert extracted["order_number"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_described_order_not_found"]
    assert offered(dispatcher) == [CHICKEN, GIMBAP, PORK_CUTLET]
    assert "ORD-261122-0103" not in json.dumps(dispatcher.messages)


async def test_without_a_sign_in_a_description_is_answered_with_what_is_needed():
    form, dispatcher = ValidateProblemForm(), CollectingDispatcher()
    extracted = await form.extract_order_number(dispatcher, asked("아까 행복치킨에서 시킨 거요", customer=None), DOMAIN)
    assert extracted == {"order_number": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_described_order_needs_number"]
    assert offered(dispatcher) == []


async def test_hold_on_is_no_description():
    form, dispatcher = ValidateProblemForm(), CollectingDispatcher()
    extracted = await form.extract_order_number(dispatcher, asked("잠시만요", intent="hold_on"), DOMAIN)
    assert extracted == {} and dispatcher.messages == []


async def test_an_order_number_still_wins_over_a_description():
    form, dispatcher = ValidateProblemForm(), CollectingDispatcher()
    extracted = await form.extract_order_number(dispatcher, asked("김밥 시킨 거 ORD-261122-0102 이요"), DOMAIN)
    assert extracted == {"order_number": GIMBAP}


async def test_a_description_the_fallback_passed_on_is_read_but_not_one_a_rule_answered():
    form = ValidateProblemForm()
    passed_on = asked("좀 전에 행복치킨에서 주문한 거예요", intent="out_of_scope")
    passed_on.events += [{"event": "action", "name": "action_handle_fallback"},
                         {"event": "action", "name": "problem_form"}]
    assert await form.extract_order_number(CollectingDispatcher(), passed_on, DOMAIN) == {"order_number": CHICKEN}

    answered = asked("좀 전에 행복치킨에서 주문한 거예요", intent="out_of_scope")
    answered.events += [{"event": "action", "name": "action_handle_fallback"},
                        {"event": "bot", "text": "죄송해요, 제가 잘 이해하지 못했어요."},
                        {"event": "action", "name": "problem_form"}]
    assert await form.extract_order_number(CollectingDispatcher(), answered, DOMAIN) == {}


async def test_not_in_the_list_after_the_described_orders_goes_on_without_the_number():
    from actions.dialogue import ActionCannotProvide

    tracker = asked("목록에 없어요", intent="dont_know")
    tracker.events[:0] = [
        {"event": "active_loop", "name": "problem_form"},
        {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_described_order_not_found"}},
    ]
    dispatcher = CollectingDispatcher()
    events = await ActionCannotProvide().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_continue_without_order_number"]
    assert {"event": "slot", "timestamp": None, "name": "order_unknown", "value": True} in events


@pytest.mark.parametrize("text, switched", [
    ("좀 전에 바삭 돈까스에서 시킨 거예요", False),  # a store whose name sounds like a quality problem
    ("바삭 돈까스에서 시킨 게 다 눅눅해요", True),
])
async def test_a_store_name_that_sounds_like_a_problem_is_no_switch_of_problem(text, switched):
    from actions.dialogue import ActionSwitchProblem

    tracker = asked(text, intent="quality")
    dispatcher = CollectingDispatcher()
    events = await ActionSwitchProblem().run(dispatcher, tracker, DOMAIN)
    assert bool(events or dispatcher.messages) is switched
    if not switched:
        tracker.events += [{"event": "action", "name": "action_switch_problem"},
                           {"event": "action", "name": "problem_form"}]
        extracted = await ValidateProblemForm().extract_order_number(CollectingDispatcher(), tracker, DOMAIN)
        assert extracted == {"order_number": PORK_CUTLET}


async def test_an_opening_message_that_describes_her_order_finds_it_before_any_question():
    event = user_event("아까 행복치킨에서 시킨거 언제와요?", "delay", timestamp=time.time())
    event["metadata"] = signed_identity(customer="cust-001")
    opening = make_tracker([event], slots={"problem_category": "delay"})
    dispatcher = CollectingDispatcher()
    events = await ValidateProblemForm().run(dispatcher, opening, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["order_number"] == CHICKEN and slots["order_verified"] == f"token:{CHICKEN}"
    assert any("배달" in (m.get("text") or "") for m in dispatcher.messages), "the order's status is told"


@pytest.mark.parametrize("customer", [None, "cust-002"])
async def test_an_opening_description_finds_nothing_for_a_stranger_or_another_customer(customer):
    event = user_event("아까 행복치킨에서 시킨거 언제와요?", "delay", timestamp=time.time())
    event["metadata"] = signed_identity(customer=customer)
    opening = make_tracker([event], slots={"problem_category": "delay"})
    dispatcher = CollectingDispatcher()
    events = await ValidateProblemForm().run(dispatcher, opening, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert not slots.get("order_number") and "행복치킨" not in str(dispatcher.messages)


def _from_link(ref_number: str, customer=None, session_break: bool = False):
    """A Messenger customer who opened the chat from a link naming an order, then wrote her problem."""
    opened = user_event("/greet", "greet", timestamp=time.time() - 30)
    opened["metadata"] = {**signed_identity(customer=customer, channel="facebook"),
                          "referral": {"ref": f"order_{ref_number}", "source": "SHORTLINK", "order_number": ref_number}}
    problem = user_event("배달이 너무 안 와요", "delay", timestamp=time.time())
    problem["metadata"] = signed_identity(customer=customer, channel="facebook")
    between = [{"event": "session_started", "timestamp": time.time() - 10}] if session_break else []
    return make_tracker([opened, *between, problem], slots={"problem_category": "delay"})


async def test_the_order_named_by_the_link_she_came_from_is_taken_and_proven_as_if_typed():
    dispatcher = CollectingDispatcher()
    events = await ValidateProblemForm().run(dispatcher, _from_link(CHICKEN), DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["order_number"] == CHICKEN, "the number of the link is used"
    assert not slots.get("order_verified"), "a stranger still has to prove the order (phone digits)"


async def test_a_link_from_an_earlier_session_or_without_a_real_number_is_not_used():
    for tracker in (_from_link(CHICKEN, session_break=True), _from_link("summer_coupon")):
        dispatcher = CollectingDispatcher()
        events = await ValidateProblemForm().run(dispatcher, tracker, DOMAIN)
        slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
        assert not slots.get("order_number")

"""Cancelling or changing an order: the seeded orders' states decide what the bot says and what the ticket carries."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.order_access import proof_value
from actions.order_request import ActionStartOrderRequest, cancel_choice_of
from actions.problem_form import ValidateProblemForm
from actions.resolve import ActionSubmitProblem
from processes import http_json
from trackers import make_tracker, signed_identity, user_event

DOMAIN = {"forms": {"problem_form": {"required_slots": []}}, "slots": {}}
# the seeded demo orders (seeds/demo_orders.yml) by state, with their phone's last four digits
NOT_COOKED, COOKING, ON_THE_WAY, DELIVERED, CANCELLED = (
    ("ORD-261122-0105", "0147"), ("ORD-261122-0104", "5432"), ("ORD-261122-0101", "5678"),
    ("ORD-261122-0103", "5432"), ("ORD-261122-0108", "5432"),
)


def tracker(request, text="x", intent="inform", sender="customer-req", **slots):
    event = user_event(text, intent)
    event["metadata"] = signed_identity(sender_id=sender)
    return make_tracker([event], slots={"order_request": request, "form_category": "other", **slots},
                        sender_id=sender)


def proven(request, order, sender="customer-req", text="x", intent="inform", **slots):
    """A conversation whose order was proven by its phone digits, with the finding the form recorded."""
    number, _digits = order
    return tracker(request, text, intent, sender, order_number=number,
                   order_verified=proof_value("phone", number), **slots)


def responses(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


def slot_values(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def ticket_of(desk_server, number):
    status, ticket = http_json("GET", f"{desk_server['url']}/api/tickets/{number}",
                               headers={"Authorization": f"Bearer {desk_server['token']}"})
    assert status == 200
    return ticket


@pytest.mark.usefixtures("services")
@pytest.mark.parametrize("order, finding", [
    (NOT_COOKED, "open"), (COOKING, "cooking"), (ON_THE_WAY, "on_the_way"), (DELIVERED, "delivered"),
    (CANCELLED, "cancelled"),
])
async def test_proving_the_order_tells_its_state_for_a_request(order, finding):
    number, digits = order
    dispatcher = CollectingDispatcher()
    result = await ValidateProblemForm().validate_phone_last4(
        digits, dispatcher, tracker("cancel", order_number=number), DOMAIN)
    assert result["order_finding"] == finding and result["phone_last4"] == "****"
    [said] = dispatcher.messages
    assert "상태예요" in said["text"] and number not in said["text"]


@pytest.mark.usefixtures("services")
async def test_what_each_request_still_asks():
    form = ValidateProblemForm()
    cancel_open = proven("cancel", NOT_COOKED, order_finding="open")
    assert await form.required_slots([], CollectingDispatcher(), cancel_open, DOMAIN) == ["order_number",
                                                                                           "cancel_choice"]
    cancel_cooking = proven("cancel", COOKING, order_finding="cooking")
    assert await form.required_slots([], CollectingDispatcher(), cancel_cooking, DOMAIN) == ["order_number"]
    change = proven("change", ON_THE_WAY, order_finding="on_the_way")
    assert await form.required_slots([], CollectingDispatcher(), change, DOMAIN) == ["order_number",
                                                                                     "requested_change"]
    unproven = tracker("change", order_number=NOT_COOKED[0])
    assert await form.required_slots([], CollectingDispatcher(), unproven, DOMAIN) == ["order_number",
                                                                                       "phone_last4"]


@pytest.mark.parametrize("intent, text, choice", [
    ("deny", "/deny", "self"), ("affirm", "/affirm", "ticket"), ("inform", "앱에서 제가 할게요", "self"),
    ("inform", "그냥 접수해 주세요", "ticket"), ("inform", "음", None),
])
def test_the_choice_for_an_order_not_yet_cooked(intent, text, choice):
    assert cancel_choice_of(intent, text) == choice


@pytest.mark.usefixtures("services")
async def test_what_to_change_is_taken_in_the_customers_words_and_bounded():
    form = ValidateProblemForm()
    asked = proven("change", NOT_COOKED, text="  주소를   101동 1203호로 바꿔 주세요 ", order_finding="open",
                   requested_slot="requested_change")
    extracted = await form.extract_requested_change(CollectingDispatcher(), asked, DOMAIN)
    assert extracted == {"requested_change": "주소를 101동 1203호로 바꿔 주세요"}
    dispatcher = CollectingDispatcher()
    refused = await form.validate_requested_change("가" * 301, dispatcher, asked, DOMAIN)
    assert refused["requested_change"] is None and responses(dispatcher) == ["utter_requested_change_unclear"]


async def test_a_request_started_mid_problem_keeps_the_proven_order_and_forgets_the_rest():
    event = user_event("그냥 주문 취소할래요", "cancel_order")
    started = make_tracker([event], slots={"problem_category": "delay", "form_category": "delay",
                                           "order_number": "ORD-261122-0105", "resolution": "wait"})
    dispatcher = CollectingDispatcher()
    values = slot_values(await ActionStartOrderRequest().run(dispatcher, started, {}))
    assert values["order_request"] == "cancel" and values["form_category"] is None
    assert values["problem_category"] is None and values["resolution"] is None and values["order_finding"] is None
    assert "order_number" not in values and "order_verified" not in values, "the proven order stays"
    assert responses(dispatcher) == ["utter_start_cancel"]


async def test_the_same_request_while_its_form_asks_is_an_answer_not_a_new_start():
    event = user_event("101동 1203호로 바꿔 주세요", "change_order")
    asking = make_tracker([event], slots={"order_request": "change", "requested_slot": "requested_change",
                                          "order_number": "ORD-261122-0101"}, active_loop="problem_form")
    dispatcher = CollectingDispatcher()
    assert await ActionStartOrderRequest().run(dispatcher, asking, {}) == []
    assert dispatcher.messages == []
    extracted = await ValidateProblemForm().extract_requested_change(CollectingDispatcher(), asking, DOMAIN)
    assert extracted == {"requested_change": "101동 1203호로 바꿔 주세요"}


async def test_an_order_not_yet_cooked_is_cancelled_in_the_app_without_a_ticket(services_with_desk):
    dispatcher = CollectingDispatcher()
    done = proven("cancel", NOT_COOKED, order_finding="open", cancel_choice="self")
    values = slot_values(await ActionSubmitProblem().run(dispatcher, done, {}))
    assert responses(dispatcher) == ["utter_cancel_in_app"]
    assert "ticket_number" not in values and values["survey_due"] is True and values["order_request"] is None


@pytest.mark.parametrize("request_kind, order, finding, extra, response, priority, change", [
    ("cancel", NOT_COOKED, "open", {"cancel_choice": "ticket"}, "utter_cancel_ticket", "normal", "주문 취소"),
    ("cancel", COOKING, "cooking", {}, "utter_cancel_cooking", "high", "주문 취소"),
    ("change", NOT_COOKED, "open", {"requested_change": "콜라를 사이다로"}, "utter_change_open", "normal",
     "주문 변경: 콜라를 사이다로"),
    ("change", COOKING, "cooking", {"requested_change": "순살로"}, "utter_change_cooking", "high", "주문 변경: 순살로"),
    # a street address is masked like every text the desk stores (desk/privacy.py): the agent asks for it
    ("change", ON_THE_WAY, "on_the_way", {"requested_change": "주소를 101동 1203호로"}, "utter_change_on_the_way",
     "high", "주문 변경: 주소를 ***로"),
])
async def test_a_request_a_person_must_carry_out_becomes_a_ticket_with_the_change(
    desk_server, services_with_desk, request_kind, order, finding, extra, response, priority, change
):
    sender = f"rest:req-{request_kind}-{finding}"
    dispatcher = CollectingDispatcher()
    done = proven(request_kind, order, sender=sender, order_finding=finding, **extra)
    values = slot_values(await ActionSubmitProblem().run(dispatcher, done, {}))
    assert responses(dispatcher)[:2] == [response, "utter_ticket_created"]
    ticket = ticket_of(desk_server, values["ticket_number"])
    assert ticket["requested_change"] == change and ticket["priority"] == priority
    assert ticket["order_number"] == order[0] and ticket["category"] == "other"
    assert ticket["handoff_reason"], "the agent reads why the bot handed over"
    assert values["order_request"] is None, "the request is over once it is on the ticket"


@pytest.mark.parametrize("request_kind, order, finding, response, payloads", [
    ("cancel", ON_THE_WAY, "on_the_way", "utter_cancel_too_late", None),
    ("cancel", DELIVERED, "delivered", "utter_cancel_too_late", None),
    ("change", DELIVERED, "delivered", "utter_change_too_late", None),
    ("cancel", CANCELLED, "cancelled", "utter_order_cancelled_help", ["/payment", "/goodbye"]),
])
async def test_too_late_is_said_with_what_is_possible_instead_and_the_order_kept(
    services_with_desk, request_kind, order, finding, response, payloads
):
    dispatcher = CollectingDispatcher()
    done = proven(request_kind, order, order_finding=finding, requested_change="주소를 바꿔 주세요")
    values = slot_values(await ActionSubmitProblem().run(dispatcher, done, {}))
    assert responses(dispatcher) == [response] and "ticket_number" not in values
    if payloads:
        assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == payloads
    assert "order_number" not in values and "order_verified" not in values, "the proven order stays for a report"
    assert values["order_request"] is None and values["survey_due"] is False


async def test_without_a_proven_order_a_person_looks_it_up(desk_server, services_with_desk):
    dispatcher = CollectingDispatcher()
    unknown = tracker("cancel", sender="rest:req-unknown", order_unknown=True)
    values = slot_values(await ActionSubmitProblem().run(dispatcher, unknown, {}))
    assert responses(dispatcher)[:2] == ["utter_cancel_unknown_order", "utter_ticket_created"]
    ticket = ticket_of(desk_server, values["ticket_number"])
    assert ticket["requested_change"] == "주문 취소" and ticket["order_number"] is None


async def test_words_the_nlu_did_not_understand_still_answer_what_to_change(services):
    """"101동 1203호로 바꿔 주세요" may read as nothing (nlu_fallback) or as a late order: the form takes it."""
    from actions.dialogue import ActionHandleFallback, ActionSwitchProblem

    for intent in ("nlu_fallback", "delay"):
        event = user_event("101동 1203호로 바꿔 주세요", intent)
        asking = make_tracker([event], slots={"order_request": "change", "requested_slot": "requested_change",
                                              "form_category": "other"}, active_loop="problem_form")
        dispatcher = CollectingDispatcher()
        if intent == "nlu_fallback":
            assert await ActionHandleFallback().run(dispatcher, asking, {}) == [
                {"event": "followup", "timestamp": None, "name": "problem_form"}]
        else:
            assert await ActionSwitchProblem().run(dispatcher, asking, {}) == []
        assert dispatcher.messages == [], "no menu and no other problem: the answer is taken"


async def test_an_faq_reading_of_the_customers_words_gets_no_faq_answer_while_the_form_asks_for_them():
    from actions.dialogue import ActionFaqInForm

    event = user_event("벨 누르지 말고 문 앞에 두고 가 주세요", "other")
    event["parse_data"]["intent"]["full_retrieval_intent_name"] = "other/address_settings"
    asking = make_tracker([event], slots={"requested_slot": "requested_change"}, active_loop="problem_form")
    dispatcher = CollectingDispatcher()
    assert await ActionFaqInForm().run(dispatcher, asking, {}) == [] and dispatcher.messages == []
    question = make_tracker([event], slots={"requested_slot": "order_number"}, active_loop="problem_form")
    await ActionFaqInForm().run(dispatcher, question, {})
    assert responses(dispatcher) == ["utter_other/address_settings"], "any other question: the FAQ answer"


def _change_request(opening, answer, intent="inform"):
    events = [user_event(opening, "change_order"), {"event": "bot", "text": "..."}, user_event(answer, intent)]
    return make_tracker(events, slots={"order_request": "change", "requested_slot": "requested_change",
                                       "form_category": "other"}, active_loop="problem_form")


@pytest.mark.parametrize("answer, intent", [("/affirm", "affirm"), ("위에 말한 대로요", "inform"),
                                            ("아까 말씀드린 내용 그대로요", "inform")])
async def test_the_words_of_the_request_itself_can_be_the_change(services, answer, intent):
    asking = _change_request("탕수육 소 말고 중으로 바꿀 수 있을까요?", answer, intent)
    extracted = await ValidateProblemForm().extract_requested_change(CollectingDispatcher(), asking, {})
    assert extracted == {"requested_change": "탕수육 소 말고 중으로 바꿀 수 있을까요?"}


async def test_a_bare_request_is_not_offered_as_the_change_and_a_new_answer_is_taken(services):
    from actions.dialogue import ActionAskRequestedChange

    bare = _change_request("주문 변경하고 싶어요", "콜라를 사이다로요")
    dispatcher = CollectingDispatcher()
    await ActionAskRequestedChange().run(dispatcher, bare, {})
    assert responses(dispatcher) == ["utter_ask_requested_change"]
    extracted = await ValidateProblemForm().extract_requested_change(CollectingDispatcher(), bare, {})
    assert extracted == {"requested_change": "콜라를 사이다로요"}

    said = _change_request("탕수육 소 말고 중으로 바꿀 수 있을까요?", "x")
    dispatcher = CollectingDispatcher()
    await ActionAskRequestedChange().run(dispatcher, said, {})
    assert responses(dispatcher) == ["utter_ask_requested_change_or_as_said"]

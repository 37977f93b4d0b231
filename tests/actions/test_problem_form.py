"""The problem form's validation against the seeded demo orders."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.problem_form import ValidateProblemForm
from trackers import make_tracker, user_event

DOMAIN = {"forms": {"problem_form": {"required_slots": []}}, "slots": {}}


def tracker(category="delay", text="x", intent="inform", entities=None, metadata=None, **slots):
    event = user_event(text, intent, entities)
    if metadata is not None:
        event["metadata"] = metadata
    return make_tracker([event], slots={"problem_category": category, **slots})


def responses(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


async def test_unknown_order_number_is_refused_and_counted(orders):
    dispatcher = CollectingDispatcher()
    result = await ValidateProblemForm(orders).validate_order_number("ORD-261122-9999", dispatcher, tracker(), DOMAIN)
    assert result["order_number"] is None
    assert result["failed_validations"] == {"order_number": 1}
    assert responses(dispatcher) == ["utter_order_number_not_found"]


async def test_third_failure_hands_over(orders):
    dispatcher = CollectingDispatcher()
    result = await ValidateProblemForm(orders).validate_order_number(
        "12345", dispatcher, tracker(failed_validations={"order_number": 2}), DOMAIN
    )
    assert result["handoff_reason"] == "validation_failed"
    assert responses(dispatcher) == ["utter_too_many_failures"]


async def test_known_order_needs_phone_digits_before_any_detail(orders):
    dispatcher = CollectingDispatcher()
    form = ValidateProblemForm(orders)
    result = await form.validate_order_number("ord2611220102", dispatcher, tracker(), DOMAIN)
    assert result["order_number"] == "ORD-261122-0102"
    assert result["order_verified"] is False
    assert dispatcher.messages == [], "nothing about the order may be said before verification"
    slots = await form.required_slots([], dispatcher, tracker(order_number="ORD-261122-0102"), DOMAIN)
    assert slots == ["order_number", "phone_last4"]


async def test_signed_in_customer_is_verified_without_phone(orders):
    dispatcher = CollectingDispatcher()
    result = await ValidateProblemForm(orders).validate_order_number(
        "ORD-261122-0102", dispatcher, tracker(customer_id="cust-001"), DOMAIN
    )
    assert result["order_verified"] is True
    assert result["order_finding"] == "late"
    assert "늦어지고" in dispatcher.messages[0]["text"]


async def test_order_of_another_signed_in_customer_is_refused(orders):
    dispatcher = CollectingDispatcher()
    result = await ValidateProblemForm(orders).validate_order_number(
        "ORD-261122-0103", dispatcher, tracker(customer_id="cust-001"), DOMAIN
    )
    assert result["order_number"] is None
    assert responses(dispatcher) == ["utter_order_not_yours"]


@pytest.mark.parametrize(
    "number, category, finding",
    [
        ("ORD-261122-0101", "delay", "on_time"),
        ("ORD-261122-0102", "delay", "late"),
        ("ORD-261122-0103", "delay", "delivered"),
        ("ORD-261122-0104", "delay", "late"),
        ("ORD-261122-0105", "delay", "late"),
        ("ORD-261122-0108", "delay", "cancelled"),
        ("ORD-261122-0107", "payment", "double_charge"),
        ("ORD-261122-0108", "payment", "charged_no_order"),
        ("ORD-261121-0109", "payment", "refunded"),
        ("ORD-261122-0110", "payment", "refunded"),
        ("ORD-261121-0111", "payment", "compare"),
        ("ORD-261122-0106", "quality", "verified"),
    ],
)
async def test_right_phone_digits_verify_and_report_the_records(orders, number, category, finding):
    order = await orders.get(number)
    dispatcher = CollectingDispatcher()
    result = await ValidateProblemForm(orders).validate_phone_last4(
        order.phone_last4(), dispatcher, tracker(category, order_number=number), DOMAIN
    )
    assert result["order_verified"] is True
    assert result["order_finding"] == finding
    assert result["phone_last4"] == "****", "the digits are not kept in the tracker"
    assert dispatcher.messages, "the customer is told what was found"


async def test_three_wrong_phone_answers_end_the_lookup(orders):
    form = ValidateProblemForm(orders)
    dispatcher = CollectingDispatcher()
    first = await form.validate_phone_last4("0000", dispatcher, tracker(order_number="ORD-261122-0101"), DOMAIN)
    assert first == {"phone_last4": None, "phone_attempts": 1}
    last = await form.validate_phone_last4(
        "0000", dispatcher, tracker(order_number="ORD-261122-0101", phone_attempts=2), DOMAIN
    )
    assert last["lookup_failed"] is True
    assert responses(dispatcher) == ["utter_phone_last4_wrong", "utter_lookup_failed"]
    assert await form.required_slots([], dispatcher, tracker(lookup_failed=True), DOMAIN) == []


@pytest.mark.parametrize(
    "category, slots, expected",
    [
        ("delay", {"order_verified": True, "order_finding": "late"}, ["order_number", "resolution"]),
        ("delay", {"order_verified": True, "order_finding": "on_time"}, ["order_number"]),
        ("delay", {"order_unknown": True}, ["problem_time"]),
        ("quality", {"order_verified": True}, ["order_number", "photos", "resolution"]),
        ("quality", {"order_unknown": True}, ["problem_time", "photos", "resolution"]),
        ("payment", {"order_verified": True, "order_finding": "compare"},
         ["order_number", "payment_amount", "payment_method", "payment_time"]),
        ("payment", {"order_verified": True, "order_finding": "double_charge"}, ["order_number"]),
        ("delay", {"handoff_reason": "validation_failed"}, []),
    ],
)
async def test_required_slots_follow_category_and_records(category, slots, expected):
    got = await ValidateProblemForm().required_slots([], CollectingDispatcher(), tracker(category, **slots), DOMAIN)
    assert got == expected


async def test_photos_come_from_message_metadata():
    images = [{"type": "image", "url": f"https://cdn.example.com/{i}.jpg"} for i in range(7)]
    metadata = {"attachments": images + [{"type": "video", "url": "https://x/v.mp4"}, "junk"]}
    dispatcher = CollectingDispatcher()
    got = await ValidateProblemForm().extract_photos(
        dispatcher, tracker("quality", metadata=metadata, requested_slot="photos"), DOMAIN
    )
    assert len(got["photos"]) == 5
    assert responses(dispatcher) == ["utter_photos_too_many"]


async def test_desk_image_ids_count_as_photos():
    metadata = {"attachments": [{"type": "image", "id": "abc123"}]}
    got = await ValidateProblemForm().extract_photos(
        CollectingDispatcher(), tracker("quality", metadata=metadata, requested_slot="photos"), DOMAIN
    )
    assert got == {"photos": [{"type": "image", "id": "abc123"}]}


async def test_answer_without_photo_is_asked_again():
    dispatcher = CollectingDispatcher()
    got = await ValidateProblemForm().extract_photos(
        dispatcher, tracker("quality", text="여기요", requested_slot="photos"), DOMAIN
    )
    assert got == {"photos": None}
    assert responses(dispatcher) == ["utter_photos_missing"]


@pytest.mark.parametrize(
    "text, expected", [("환불해 주세요", "refund"), ("그냥 기다릴게요", "wait"), ("재배달 부탁드려요", "redelivery")]
)
async def test_resolution_from_words(text, expected):
    got = await ValidateProblemForm().extract_resolution(
        CollectingDispatcher(), tracker(text=text, requested_slot="resolution"), DOMAIN
    )
    assert got == {"resolution": expected}


async def test_delay_cannot_ask_for_redelivery():
    dispatcher = CollectingDispatcher()
    got = await ValidateProblemForm().validate_resolution("redelivery", dispatcher, tracker("delay"), DOMAIN)
    assert got["resolution"] is None
    assert responses(dispatcher) == ["utter_resolution_unclear"]


async def test_problem_time_resolved_against_the_message_time():
    event_time = 1_763_800_000.0  # 2025-11-22 08:26:40 UTC = 17:26:40 in Seoul
    t = make_tracker(
        [user_event("30분 전에요", "inform", timestamp=event_time)],
        slots={"problem_category": "quality", "requested_slot": "problem_time"},
    )
    got = await ValidateProblemForm().extract_problem_time(CollectingDispatcher(), t, DOMAIN)
    assert got == {"problem_time": "2025-11-22T16:56:40+09:00"}


@pytest.mark.parametrize("text, expected", [("23,000원", 23000), ("23000", 23000), ("이만삼천", None)])
async def test_bare_amount_typed_as_answer(text, expected):
    got = await ValidateProblemForm().extract_payment_amount(
        CollectingDispatcher(), tracker("payment", text=text, requested_slot="payment_amount"), DOMAIN
    )
    assert got.get("payment_amount") == expected


@pytest.mark.parametrize("text, method", [("카카오페이요", "카카오페이"), ("신용카드로 했어요", "카드"), ("제로페이", "제로페이")])
async def test_payment_method_from_words(text, method):
    got = await ValidateProblemForm().extract_payment_method(
        CollectingDispatcher(), tracker("payment", text=text, requested_slot="payment_method"), DOMAIN
    )
    assert got == {"payment_method": method}


async def test_customer_can_correct_the_order_number(orders):
    from rasa_sdk.events import SlotSet

    t = tracker(
        "delay", text="아 주문번호 잘못 말했어요", order_number="ORD-261122-0101",
        requested_slot="phone_last4", form_category="delay",
    )
    dispatcher = CollectingDispatcher()
    form_slots = ["order_number", "phone_last4", "problem_time", "photos", "resolution"]
    domain = {"forms": {"problem_form": {"required_slots": form_slots}}, "slots": {}}
    events = await ValidateProblemForm(orders).run(dispatcher, t, domain)
    assert SlotSet("order_number", None) in events
    assert responses(dispatcher)[0] == "utter_ask_again"
    assert SlotSet("requested_slot", "order_number") in events


async def test_a_new_number_in_the_correction_is_simply_taken(orders):
    t = tracker("delay", text="주문번호 잘못 말했어요 ORD-261122-0102 이에요", order_number="ORD-261122-0101")
    assert ValidateProblemForm._corrections(CollectingDispatcher(), t) == []


@pytest.mark.parametrize(
    "intent, text, slots, expected",
    [
        ("inform", "네", {}, True),
        ("delay", "아직도 안 와요", {"form_category": "delay"}, True),
        ("payment", "결제도 두 번 됐어요", {"form_category": "delay"}, False),
        ("payment", "ORD-261122-0107 결제 두 번이요", {"form_category": "delay"}, True),
        ("greet", "안녕하세요", {"form_category": "delay"}, False),
    ],
)
def test_a_problem_intent_of_another_category_is_a_topic_change(intent, text, slots, expected):
    from actions.problem_form import _is_answer

    assert _is_answer(tracker(text=text, intent=intent, **slots)) is expected


async def test_switching_the_problem_keeps_the_verified_order_and_reports_again(orders):
    from rasa_sdk.events import SlotSet

    from actions.dialogue import ActionSwitchProblem

    t = tracker(
        "payment", text="결제도 두 번 됐어요", intent="payment", form_category="delay",
        order_number="ORD-261122-0107", order_verified=True, order_finding="on_time", resolution="wait",
    )
    dispatcher = CollectingDispatcher()
    events = await ActionSwitchProblem(orders).run(dispatcher, t, {})
    assert SlotSet("form_category", "payment") in events
    assert SlotSet("resolution", None) in events
    assert SlotSet("order_finding", "double_charge") in events
    assert responses(dispatcher)[0] == "utter_sorry_payment"
    assert "두 번 승인" in dispatcher.messages[1]["text"]

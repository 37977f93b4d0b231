"""The problem form's validation against the seeded demo orders."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.problem_form import ValidateProblemForm
from support.channel_identity import METADATA_KEY
from support.order_numbers import normalize_order_number
from trackers import make_tracker, signed_identity, user_event

DOMAIN = {"forms": {"problem_form": {"required_slots": []}}, "slots": {}}
pytestmark = pytest.mark.usefixtures("services")


def tracker(category="delay", text="x", intent="inform", entities=None, metadata=None, customer=None,
            client="ip:203.0.113.9", **slots):
    event = user_event(text, intent, entities)
    event["metadata"] = {**signed_identity(customer=customer, client=client), **(metadata or {})}
    return make_tracker([event], slots={"problem_category": category, **slots})


PROVEN = {"order_number": "ORD-261122-0101"}


def responses(dispatcher):
    return [m.get("response") for m in dispatcher.messages]


def form(orders, checks):
    """The form validation, working with the test's running services (their orders and checks)."""
    return ValidateProblemForm()


async def test_a_malformed_order_number_is_refused_and_counted(orders, checks):
    dispatcher = CollectingDispatcher()
    result = await form(orders, checks).validate_order_number("12345", dispatcher, tracker(), DOMAIN)
    assert result["order_number"] is None
    assert result["failed_validations"] == {"order_number": 1}
    assert responses(dispatcher) == ["utter_order_number_invalid"]


async def test_third_failure_hands_over(orders, checks):
    dispatcher = CollectingDispatcher()
    result = await form(orders, checks).validate_order_number(
        "12345", dispatcher, tracker(failed_validations={"order_number": 2}), DOMAIN
    )
    assert result["handoff_reason"] == "validation_failed"
    assert responses(dispatcher) == ["utter_too_many_failures"]


@pytest.mark.parametrize("number", ["ord2611220102", "ORD-261122-9999"])
async def test_without_proof_known_and_unknown_numbers_both_lead_to_the_phone_question(orders, checks, number):
    dispatcher = CollectingDispatcher()
    validation = form(orders, checks)
    result = await validation.validate_order_number(number, dispatcher, tracker(), DOMAIN)
    assert result["order_number"] == normalize_order_number(number)
    assert result["order_verified"] is None
    assert dispatcher.messages == [], "nothing about the order, not even whether it exists, before verification"
    slots = await validation.required_slots([], dispatcher, tracker(order_number=result["order_number"]), DOMAIN)
    assert slots == ["order_number", "phone_last4"]


async def test_unknown_order_and_wrong_digits_get_the_same_answer(orders, checks):
    unknown, wrong = CollectingDispatcher(), CollectingDispatcher()
    validation = form(orders, checks)
    first = await validation.validate_phone_last4("5678", unknown, tracker(order_number="ORD-261122-9999"), DOMAIN)
    second = await validation.validate_phone_last4("0000", wrong, tracker(order_number="ORD-261122-0101"), DOMAIN)
    assert first == second == {"phone_last4": None, "phone_attempts": 1}
    assert unknown.messages == wrong.messages


async def test_signed_in_customer_is_verified_without_phone(orders, checks):
    dispatcher = CollectingDispatcher()
    result = await form(orders, checks).validate_order_number(
        "ORD-261122-0102", dispatcher, tracker(customer="cust-001"), DOMAIN
    )
    assert result["order_verified"] == "token:ORD-261122-0102"
    assert result["order_finding"] == "late"
    assert "늦어지고" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("number", ["ORD-261122-0103", "ORD-261122-9999"])
async def test_another_customers_order_and_a_missing_one_get_the_same_refusal(orders, checks, number):
    dispatcher = CollectingDispatcher()
    result = await form(orders, checks).validate_order_number(number, dispatcher, tracker(customer="cust-001"), DOMAIN)
    assert result["order_number"] is None
    assert responses(dispatcher) == ["utter_order_not_in_account"]


async def test_a_customer_slot_is_no_proof(orders, checks):
    """An identity an earlier message left behind, or one a client wrote unsigned, shows nothing."""
    dispatcher = CollectingDispatcher()
    unsigned = {METADATA_KEY: {"conversation": "customer-1", "channel": "rest", "customer": "cust-001",
                               "client": "x", "expires_at": 9_999_999_999, "signature": "0" * 64}}
    event = user_event("ORD-261122-0102", "inform")
    event["metadata"] = unsigned
    forged = make_tracker([event], slots={"problem_category": "delay", "customer_id": "cust-001"})
    result = await form(orders, checks).validate_order_number("ORD-261122-0102", dispatcher, forged, DOMAIN)
    assert result["order_verified"] is None and dispatcher.messages == []


async def test_an_identity_signed_for_another_conversation_is_no_proof(orders, checks):
    dispatcher = CollectingDispatcher()
    event = user_event("ORD-261122-0102", "inform")
    event["metadata"] = signed_identity(sender_id="app:cust-001", customer="cust-001")
    replayed = make_tracker([event], slots={"problem_category": "delay"}, sender_id="rest:attacker")
    result = await form(orders, checks).validate_order_number("ORD-261122-0102", dispatcher, replayed, DOMAIN)
    assert result["order_verified"] is None and dispatcher.messages == []


async def test_an_expired_customer_proof_shows_nothing(orders, checks):
    dispatcher = CollectingDispatcher()
    event = user_event("ORD-261122-0102", "inform")
    event["metadata"] = signed_identity(customer="cust-001", expires_in=-1)
    expired = make_tracker([event], slots={"problem_category": "delay"})
    result = await form(orders, checks).validate_order_number("ORD-261122-0102", dispatcher, expired, DOMAIN)
    assert result["order_verified"] is None and dispatcher.messages == []


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
async def test_right_phone_digits_verify_and_report_the_records(orders, checks, number, category, finding):
    order = await orders.get(number)
    dispatcher = CollectingDispatcher()
    result = await form(orders, checks).validate_phone_last4(
        order.phone_last4(), dispatcher, tracker(category, order_number=number), DOMAIN
    )
    assert result["order_verified"] == f"phone:{number}"
    assert result["order_finding"] == finding
    assert result["phone_last4"] == "****", "the digits are not kept in the tracker"
    assert dispatcher.messages, "the customer is told what was found"


async def test_three_wrong_phone_answers_end_the_lookup(orders, checks):
    validation = form(orders, checks)
    dispatcher = CollectingDispatcher()
    first = await validation.validate_phone_last4("0000", dispatcher, tracker(order_number="ORD-261122-0101"), DOMAIN)
    assert first == {"phone_last4": None, "phone_attempts": 1}
    last = await validation.validate_phone_last4(
        "0000", dispatcher, tracker(order_number="ORD-261122-0101", phone_attempts=2), DOMAIN
    )
    assert last["lookup_failed"] is True
    assert responses(dispatcher) == ["utter_phone_last4_wrong", "utter_lookup_failed"]
    assert await validation.required_slots([], dispatcher, tracker(lookup_failed=True), DOMAIN) == []


async def test_new_conversations_do_not_get_fresh_guesses_at_one_order(orders, checks):
    """Failures count per order across conversations: the limit locks the order, the first lock-out opens a ticket."""
    validation = form(orders, checks)
    order = await orders.get("ORD-261122-0101")
    limit = checks.rules.failures_per_order
    for attempt in range(limit - 1):
        dispatcher = CollectingDispatcher()
        guess = tracker(order_number=order.number, client=f"ip:198.51.100.{attempt}")
        result = await validation.validate_phone_last4("0000", dispatcher, guess, DOMAIN)
        assert responses(dispatcher) == ["utter_phone_last4_wrong"]
    locking = CollectingDispatcher()
    result = await validation.validate_phone_last4("0000", locking, tracker(order_number=order.number), DOMAIN)
    assert result["handoff_reason"] == "verification_locked"
    assert responses(locking) == ["utter_verification_locked_ticket"]
    # the right digits are not checked while the lock holds, and no second ticket is opened
    later = CollectingDispatcher()
    result = await validation.validate_phone_last4(
        order.phone_last4(), later, tracker(order_number=order.number, client="ip:192.0.2.77"), DOMAIN
    )
    assert result.get("order_verified") is None and result["lookup_failed"] is True
    assert "handoff_reason" not in result
    assert responses(later) == ["utter_verification_locked"]
    # a conversation that only names the order is told about the lock at once
    named = CollectingDispatcher()
    result = await validation.validate_order_number(order.number, named, tracker(client="ip:192.0.2.78"), DOMAIN)
    assert result["lookup_failed"] is True and responses(named) == ["utter_verification_locked"]


async def test_one_client_cannot_probe_many_orders(orders, checks):
    validation = form(orders, checks)
    for index in range(checks.rules.failures_per_client):
        number = f"ORD-261122-{9000 + index:04d}"
        await validation.validate_phone_last4("1234", CollectingDispatcher(), tracker(order_number=number), DOMAIN)
    dispatcher = CollectingDispatcher()
    result = await validation.validate_order_number("ORD-261122-0101", dispatcher, tracker(), DOMAIN)
    assert result["lookup_failed"] is True
    other = CollectingDispatcher()
    fine = await validation.validate_order_number("ORD-261122-0101", other, tracker(client="ip:192.0.2.1"), DOMAIN)
    assert fine["order_number"] == "ORD-261122-0101" and other.messages == [], "another client is not locked"


@pytest.mark.parametrize(
    "category, slots, expected",
    [
        ("delay", {**PROVEN, "order_verified": "phone:ORD-261122-0101", "order_finding": "late"},
         ["order_number", "resolution"]),
        ("delay", {**PROVEN, "order_verified": "token:ORD-261122-0101", "order_finding": "on_time"}, ["order_number"]),
        ("delay", {"order_unknown": True}, ["problem_time"]),
        ("quality", {**PROVEN, "order_verified": "phone:ORD-261122-0101"}, ["order_number", "photos", "resolution"]),
        ("quality", {"order_unknown": True}, ["problem_time", "photos", "resolution"]),
        ("payment", {**PROVEN, "order_verified": "phone:ORD-261122-0101", "order_finding": "compare"},
         ["order_number", "payment_amount", "payment_method", "payment_time"]),
        ("payment", {**PROVEN, "order_verified": "token:ORD-261122-0101", "order_finding": "double_charge"},
         ["order_number"]),
        # a proof of another order than the slot's now: the phone digits of this one are asked
        ("payment", {**PROVEN, "order_verified": "phone:ORD-261122-0105", "order_finding": "double_charge"},
         ["order_number", "phone_last4"]),
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
    photo_id = "u2FsdGVkX1-chat_photo_01"  # the shape of the desk's ids (contract ATTACHMENT_ID)
    metadata = {"attachments": [{"type": "image", "id": photo_id}, {"type": "image", "id": "../../etc"}]}
    got = await ValidateProblemForm().extract_photos(
        CollectingDispatcher(), tracker("quality", metadata=metadata, requested_slot="photos"), DOMAIN
    )
    assert got == {"photos": [{"type": "image", "id": photo_id}]}


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
    events = await ValidateProblemForm().run(dispatcher, t, domain)
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
        order_number="ORD-261122-0107", order_verified="phone:ORD-261122-0107", order_finding="on_time",
        resolution="wait",
    )
    dispatcher = CollectingDispatcher()
    events = await ActionSwitchProblem().run(dispatcher, t, {})
    assert SlotSet("form_category", "payment") in events
    assert SlotSet("resolution", None) in events
    assert SlotSet("order_finding", "double_charge") in events
    assert responses(dispatcher)[0] == "utter_sorry_payment"
    assert "두 번 승인" in dispatcher.messages[1]["text"]


@pytest.mark.parametrize("customer, shown", [("cust-001", True), (None, False), ("cust-002", False)])
async def test_an_order_a_token_verified_is_shown_again_only_with_that_customers_token(orders, customer, shown):
    from actions.dialogue import ActionSwitchProblem

    order = await orders.get("ORD-261122-0102")
    assert order.customer_id == "cust-001"
    t = tracker(
        "payment", text="결제도 이상해요", intent="payment", form_category="delay", customer=customer,
        order_number=order.number, order_verified=f"token:{order.number}", order_finding="late",
    )
    dispatcher = CollectingDispatcher()
    await ActionSwitchProblem().run(dispatcher, t, {})
    assert (len(dispatcher.messages) > 1) is shown


async def test_a_proven_order_is_no_proof_of_another_that_the_customer_names_next(orders, checks):
    """Found by the attack review: prove your own order, then name someone else's."""
    from actions.dialogue import ActionSwitchProblem

    mine = await orders.get("ORD-261122-0105")
    swapped = dict(order_number="ORD-261122-0102", order_verified=f"phone:{mine.number}", order_finding="late",
                   form_category="delay", phone_last4="****")
    dispatcher = CollectingDispatcher()
    result = await form(orders, checks).validate_order_number(
        "ORD-261122-0102", dispatcher, tracker("delay", text="ORD-261122-0102", **swapped), DOMAIN)
    assert result["order_verified"] is None and result["order_finding"] is None
    assert result["phone_last4"] is None, "the digits of the first order are no answer for this one"
    assert dispatcher.messages == []
    slots = await form(orders, checks).required_slots([], dispatcher, tracker("delay", **swapped), DOMAIN)
    assert slots == ["order_number", "phone_last4"]
    switch = CollectingDispatcher()
    await ActionSwitchProblem().run(switch, tracker("payment", intent="payment", **swapped), {})
    assert responses(switch) == ["utter_sorry_payment"], "nothing of the other order is reported"


async def test_the_payment_check_compares_only_a_proven_order(desk_server, services_with_desk):
    from actions.resolve import ActionSubmitProblem
    from processes import http_json

    swapped = dict(order_number="ORD-261121-0111", order_verified="phone:ORD-261122-0105", order_finding="compare",
                   form_category="payment", payment_amount=1000, payment_method="카드", payment_time="모름")
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitProblem().run(dispatcher, tracker("payment", **swapped), {})
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    assert "33,000" not in said and "utter_payment_mismatch" not in responses(dispatcher)
    number = next(e["value"] for e in events if e.get("name") == "ticket_number")
    status, ticket = http_json("GET", f"{desk_server['url']}/api/tickets/{number}",
                               headers={"Authorization": f"Bearer {desk_server['token']}"})
    assert status == 200
    assert "본인 확인 전" in ticket["summary"]


@pytest.mark.parametrize("typed", ["{phone}", "제 번호는 {phone}이에요", "{spaced}", "{plain}"])
async def test_a_whole_phone_number_is_taken_as_its_last_four_digits(orders, checks, typed):
    order = await orders.get("ORD-261122-0101")
    last4 = order.phone_last4()
    text = typed.format(phone=f"010-5555-{last4}", spaced=f"010 5555 {last4}", plain=f"0105555{last4}")
    dispatcher = CollectingDispatcher()
    validation = form(orders, checks)
    asked = tracker(text=text, requested_slot="phone_last4", **PROVEN)
    extracted = await validation.extract_phone_last4(dispatcher, asked, DOMAIN)
    assert extracted == {"phone_last4": last4}
    assert dispatcher.messages == [], "no format complaint, and the number is not echoed"
    result = await validation.validate_phone_last4(extracted["phone_last4"], dispatcher, asked, DOMAIN)
    assert result["order_verified"] == "phone:ORD-261122-0101"
    assert result["phone_last4"] == "****"


async def test_two_different_phone_numbers_are_asked_again(orders, checks):
    dispatcher = CollectingDispatcher()
    asked = tracker(text="010-1111-2222 아니면 010-3333-4444", requested_slot="phone_last4", **PROVEN)
    extracted = await form(orders, checks).extract_phone_last4(dispatcher, asked, DOMAIN)
    assert extracted == {"phone_last4": None}
    assert responses(dispatcher) == ["utter_phone_last4_format"]


@pytest.mark.parametrize("text", ["1분만요", "주문번호가 뭐였더라.. 잠시만요", "잠깐만"])
async def test_a_customer_who_needs_a_moment_is_neither_answered_nor_failed(orders, checks, text):
    dispatcher = CollectingDispatcher()
    asked = tracker(text=text, intent="hold_on", requested_slot="phone_last4", form_category="delay",
                    failed_validations={"phone_last4": 2}, **PROVEN)
    events = await form(orders, checks).run(dispatcher, asked, DOMAIN)
    assert events == [] and dispatcher.messages == [], "no format complaint, no failure, nothing extracted"


async def test_a_problem_taken_up_next_reads_the_kept_order_again_for_its_category(orders, checks):
    """The delay flow found ORD-261122-0108 cancelled; the payment problem taken next sees the money still taken."""
    dispatcher = CollectingDispatcher()
    kept = tracker("payment", intent="payment", text="/payment", order_number="ORD-261122-0108",
                   order_verified="phone:ORD-261122-0108")
    events = await form(orders, checks).run(dispatcher, kept, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["form_category"] == "payment"
    assert slots["order_finding"] == "charged_no_order"
    assert dispatcher.messages, "the customer is told what the payment records show"


async def test_an_order_not_proven_is_not_read_when_a_form_starts(orders, checks):
    dispatcher = CollectingDispatcher()
    unproven = tracker("payment", intent="payment", text="/payment", order_number="ORD-261122-0108")
    events = await form(orders, checks).run(dispatcher, unproven, DOMAIN)
    assert "order_finding" not in {e.get("name") for e in events}
    assert dispatcher.messages == []


async def test_a_hold_on_that_carries_data_is_validated_as_an_answer(orders, checks):
    dispatcher = CollectingDispatcher()
    asked = tracker(text="잠시만요 5678 맞나", intent="hold_on", requested_slot="phone_last4", form_category="delay",
                    **PROVEN)
    events = await form(orders, checks).run(dispatcher, asked, DOMAIN)
    assert events, "the digits are checked like any answer"


@pytest.mark.parametrize("slot", ["phone_last4", "order_number"])
@pytest.mark.parametrize("text", ["1분만요", "30초만 기다려 주세요", "5분 정도만요"])
async def test_a_moment_asked_for_in_digits_is_no_answer_even_when_the_nlu_misses_the_hold_on(
    orders, checks, slot, text
):
    dispatcher = CollectingDispatcher()
    asked = tracker(text=text, intent="inform", requested_slot=slot, form_category="delay",
                    **(PROVEN if slot == "phone_last4" else {}))
    extracted = await getattr(form(orders, checks), f"extract_{slot}")(dispatcher, asked, DOMAIN)
    assert extracted == {slot: None}
    assert responses(dispatcher) == ["utter_take_your_time"]


async def test_a_hold_on_whose_only_number_is_the_moment_is_not_validated(orders, checks):
    dispatcher = CollectingDispatcher()
    moment = [{"entity": "time", "value": "2026-12-07T20:00:00+09:00", "start": 0, "end": 2, "text": "1분"}]
    asked = tracker(text="1분만요", intent="hold_on", entities=moment, requested_slot="phone_last4",
                    form_category="delay", **PROVEN)
    assert await form(orders, checks).run(dispatcher, asked, DOMAIN) == []
    assert dispatcher.messages == []


@pytest.mark.parametrize("slot", ["phone_last4", "order_number"])
async def test_digits_in_a_message_a_rule_already_answered_are_no_answer(orders, checks, slot):
    """An FAQ question in the middle of the form is answered by its rule; the form then resumes without
    taking "3000" as the phone digits or as a badly written order number."""
    dispatcher = CollectingDispatcher()
    asked = tracker(text="배달비 3000원 왜 받아요?", intent="other", requested_slot=slot, form_category="delay",
                    **(PROVEN if slot == "phone_last4" else {}))
    asked.events.append({"event": "action", "name": "action_faq_in_form"})
    asked.events.append({"event": "action", "name": "problem_form"})
    extracted = await getattr(form(orders, checks), f"extract_{slot}")(dispatcher, asked, DOMAIN)
    assert extracted == {}
    assert dispatcher.messages == []

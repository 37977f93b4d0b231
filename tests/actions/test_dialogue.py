"""Not understood, unsure, noise, and several problems at once (actions/dialogue.py, actions/resolve.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import (
    ActionCannotProvide, ActionHandleFallback, ActionSwitchProblem, close_choices, consecutive_fallbacks,
)
from actions.problem_form import ValidateProblemForm
from actions.resolve import answered_by_bot
from trackers import make_tracker, user_event

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
pytestmark = pytest.mark.usefixtures("services")


def parsed(text, intent, timestamp, **extra):
    event = user_event(text, intent, timestamp=timestamp)
    event["parse_data"].update(extra)
    return event


def ranked(**confidences):
    return [{"name": "nlu_fallback", "confidence": 0.4}] + [
        {"name": name, "confidence": value} for name, value in confidences.items()
    ]


async def run_fallback(events, slots=None):
    dispatcher = CollectingDispatcher()
    result = await ActionHandleFallback().run(dispatcher, make_tracker(events, slots=slots), DOMAIN)
    return dispatcher, result


async def test_noise_gets_the_menu_and_never_a_ticket_however_often_it_comes():
    events = [parsed("ㅁㄴㅇㄹ", "nlu_fallback", t, noise="mash") for t in (1.0, 2.0, 3.0, 4.0)]
    dispatcher, result = await run_fallback(events)
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]
    assert result == []


async def test_text_not_addressed_to_support_is_not_counted_either():
    events = [user_event("엄마 나 늦어", "out_of_scope", timestamp=1.0), user_event("ㅎㅎ", "out_of_scope", timestamp=2.0)]
    dispatcher, result = await run_fallback(events)
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]
    assert result == []


def test_noise_between_two_real_misunderstandings_does_not_break_the_count():
    events = [
        user_event("음 그게", "nlu_fallback", timestamp=1.0),
        parsed("<b>", "nlu_fallback", 2.0, noise="markup"),
        user_event("저기요", "nlu_fallback", timestamp=3.0),
    ]
    assert consecutive_fallbacks(make_tracker(events)) == 2


async def test_two_close_problems_are_asked_about_with_a_button_each():
    event = parsed("늦게 와서 다 식었네", "nlu_fallback", 1.0, intent_ranking=ranked(delay=0.46, quality=0.41, other=0.1))
    dispatcher, result = await run_fallback([event])
    assert [m["response"] for m in dispatcher.messages] == ["utter_which_problem"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/delay", "/quality"]
    menu = {b["payload"]: b["title"] for b in DOMAIN["responses"]["utter_how_can_i_help"][0]["buttons"]}
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [menu["/delay"], menu["/quality"]]
    assert result == []


def test_far_apart_or_unaskable_guesses_are_not_asked_about():
    assert close_choices({"intent_ranking": ranked(delay=0.7, quality=0.2)}) == []
    assert close_choices({"intent_ranking": ranked(delay=0.3, other=0.28)}) == []
    assert close_choices({"intent_ranking": ranked(delay=0.35, greet=0.3)}) == []
    assert close_choices({"intent_ranking": ranked(delay=0.3, quality=0.29), "noise": "mash"}) == []
    assert close_choices({"intent_ranking": ranked(payment=0.38, request_agent=0.33)}) == ["payment", "request_agent"]


async def test_the_form_says_it_will_also_take_the_other_problem_and_remembers_it():
    event = parsed("한시간 넘게 걸려서 왔는데 음료도 미지근", "delay", 1.0, also_problems=["quality"])
    tracker = make_tracker([event], slots={"problem_category": "delay"})
    dispatcher = CollectingDispatcher()
    events = ValidateProblemForm._also_problems(dispatcher, tracker, "delay")
    assert [m["response"] for m in dispatcher.messages] == ["utter_also_problems"]
    assert dispatcher.messages[0]["also"] == "음식" and dispatcher.messages[0]["first"] == "배달 지연"
    assert events == [{"event": "slot", "timestamp": None, "name": "also_problems", "value": ["quality"]}]


def test_after_the_first_problem_the_other_is_offered_with_the_order_kept():
    tracker = make_tracker([user_event("x", "inform")], slots={
        "form_category": "delay", "also_problems": ["quality", "payment"], "order_number": "ORD-261122-0101",
        "order_verified": "proof", "resolution": "wait",
    })
    dispatcher = CollectingDispatcher()
    events = {e["name"]: e["value"] for e in answered_by_bot(dispatcher, tracker)}
    assert [m["response"] for m in dispatcher.messages] == ["utter_next_problem"]
    assert dispatcher.messages[0]["next"] == "음식"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/quality", "/goodbye"]
    assert events["also_problems"] == ["payment"]
    assert events["survey_due"] is False
    assert "order_number" not in events and "order_verified" not in events, "the order and its proof stay"
    assert events["resolution"] is None and events["form_category"] is None


def test_without_another_problem_the_survey_follows():
    tracker = make_tracker([user_event("x", "inform")], slots={"form_category": "delay"})
    dispatcher = CollectingDispatcher()
    events = {e["name"]: e["value"] for e in answered_by_bot(dispatcher, tracker)}
    assert dispatcher.messages == []
    assert events["survey_due"] is True and events["order_number"] is None


def in_form(text, intent, requested, attachments=None, **slots):
    event = user_event(text, intent)
    if attachments:
        event["metadata"] = {"attachments": attachments}
    return make_tracker([event], slots={"requested_slot": requested, "form_category": "delay", **slots},
                        active_loop="problem_form")


async def test_a_remedy_in_words_is_an_answer_not_a_new_problem():
    dispatcher = CollectingDispatcher()
    events = await ActionSwitchProblem().run(dispatcher, in_form("환불해 주세요", "payment", "resolution"), DOMAIN)
    assert events == [] and dispatcher.messages == []


async def test_a_longer_message_about_another_problem_still_switches():
    dispatcher = CollectingDispatcher()
    text = "아 그리고 어제 결제가 두 번 됐던데 그것도 환불해 주세요"
    events = await ActionSwitchProblem().run(dispatcher, in_form(text, "payment", "resolution"), DOMAIN)
    assert {"event": "slot", "timestamp": None, "name": "form_category", "value": "payment"} in events
    assert [m["response"] for m in dispatcher.messages] == ["utter_sorry_payment"]


async def test_a_photo_sent_with_words_the_nlu_misread_is_not_given_up():
    photo = [{"type": "image", "url": "https://cdn.example.com/a.jpg"}]
    tracker = in_form("사진 보내요", "dont_know", "photos", attachments=photo)
    dispatcher = CollectingDispatcher()
    assert await ActionCannotProvide().run(dispatcher, tracker, DOMAIN) == []
    assert dispatcher.messages == []


async def test_a_cancelled_order_offers_the_payment_problem_with_the_order_kept():
    from actions.resolve import ActionSubmitProblem

    tracker = make_tracker([user_event("x", "inform")], slots={
        "form_category": "delay", "problem_category": "delay", "order_number": "ORD-261122-0108",
        "order_verified": "phone:ORD-261122-0108", "order_finding": "cancelled",
    })
    dispatcher = CollectingDispatcher()
    events = {e["name"]: e["value"] for e in await ActionSubmitProblem().run(dispatcher, tracker, DOMAIN)}
    assert [m["response"] for m in dispatcher.messages] == ["utter_order_cancelled_help"]
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/payment", "/goodbye"]
    assert "order_number" not in events and "order_verified" not in events, "the order and its proof stay"
    assert events["order_finding"] is None, "the payment problem reads the records for itself"
    assert events["survey_due"] is False and "ticket_number" not in events
    said = DOMAIN["responses"]["utter_order_cancelled_help"][0]["text"]
    assert "말씀해 주세요" not in said, "the choice is a button, not a phrase to type"


@pytest.mark.parametrize("text, ranking", [
    ("1분만요", ranked(inform=0.41, hold_on=0.40)),  # the real model's reading of 2026-12-07
    ("3분만 기다려 주세요", ranked(inform=0.30, delay=0.25)),
])
async def test_a_moment_asked_for_but_not_understood_keeps_the_forms_question(text, ranking):
    event = parsed(text, "nlu_fallback", 1.0, intent_ranking=ranking)
    asking = make_tracker([event], slots={"requested_slot": "phone_last4", "problem_category": "delay"},
                          active_loop="problem_form")
    dispatcher = CollectingDispatcher()
    result = await ActionHandleFallback().run(dispatcher, asking, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_take_your_time"]
    assert result == [{"event": "followup", "timestamp": None, "name": "problem_form"}]


async def test_outside_a_form_a_moment_asked_for_is_not_a_question_kept_open():
    event = parsed("1분만요", "nlu_fallback", 1.0, intent_ranking=ranked(inform=0.41, hold_on=0.40))
    dispatcher, result = await run_fallback([event])
    assert [m["response"] for m in dispatcher.messages] != ["utter_take_your_time"]
    assert result == []


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback"])
async def test_an_order_described_in_words_the_nlu_could_not_place_goes_to_the_forms_question(intent):
    """"엄마손" reads as a family matter (out of scope): the form, which knows the customer's orders, decides."""
    event = user_event("좀 전에 엄마손 김밥에서 주문한 거예요", intent, timestamp=1.0)
    asking = make_tracker([event], slots={"requested_slot": "order_number", "problem_category": "delay"},
                          active_loop="problem_form")
    dispatcher = CollectingDispatcher()
    result = await ActionHandleFallback().run(dispatcher, asking, DOMAIN)
    assert dispatcher.messages == []
    assert result == [{"event": "followup", "timestamp": None, "name": "problem_form"}]


async def test_noise_at_the_order_question_is_not_passed_on():
    event = parsed("<script>시킨 거</script>", "nlu_fallback", 1.0, noise="markup")
    asking = make_tracker([event], slots={"requested_slot": "order_number"}, active_loop="problem_form")
    dispatcher = CollectingDispatcher()
    assert await ActionHandleFallback().run(dispatcher, asking, DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]


@pytest.mark.parametrize("text, entities", [
    ("ord 261122 0104 짜장면 언제 나와요", [{"entity": "order_number", "value": "ORD-261122-0104"}]),
    ("주문번호 ORD2611220104요 확인 좀요", []),
])
async def test_an_order_number_given_when_nothing_was_asked_gets_its_status_checked(text, entities):
    from actions.dialogue import ActionUnaskedAnswer

    dispatcher = CollectingDispatcher()
    events = await ActionUnaskedAnswer().run(dispatcher, make_tracker([user_event(text, "inform", entities)]), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_check_order_status"]
    assert {"event": "slot", "timestamp": None, "name": "order_number", "value": "ORD-261122-0104"} in events
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "problem_form"}


async def test_an_answer_without_an_order_number_when_nothing_was_asked_gets_the_choices():
    from actions.dialogue import ActionUnaskedAnswer

    dispatcher = CollectingDispatcher()
    assert await ActionUnaskedAnswer().run(dispatcher, make_tracker([user_event("40분 전에요", "inform")]), DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_how_can_i_help"]
    assert DOMAIN["responses"]["utter_how_can_i_help"][0]["buttons"], "the choices are buttons"

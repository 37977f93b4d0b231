"""An angry, swearing or repeating customer is handed to a person at once (dialogue/escalation_policy.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered, UserUtteranceReverted
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue.escalation_policy import EscalationPolicy

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
ESCALATE = "action_escalate"


@pytest.fixture
def policy(tmp_path) -> EscalationPolicy:
    return EscalationPolicy.create(
        EscalationPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("escalation"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("rest:policy", list(events), slots=DOMAIN.slots)


def predicted(policy: EscalationPolicy, state: DialogueStateTracker):
    """The action the policy is sure of, or None when it leaves the turn to the other policies."""
    probabilities = policy.predict_action_probabilities(state, DOMAIN).probabilities
    best = max(range(len(probabilities)), key=probabilities.__getitem__)
    return DOMAIN.action_names_or_texts[best] if probabilities[best] == 1.0 else None


def said(text: str, intent: str, escalation: str | None = None) -> list:
    parse_data = {"intent": {"name": intent, "confidence": 1.0}, "text": text}
    if escalation:
        parse_data["escalation"] = escalation
    return [ActionExecuted(ACTION_LISTEN_NAME), UserUttered(text, parse_data["intent"], parse_data=parse_data)]


@pytest.mark.parametrize("reason", ["manager", "swearing", "anger"])
def test_a_message_with_an_escalation_cue_goes_to_a_person(policy, reason):
    assert predicted(policy, tracker(*said("아 진짜 몇번째야 책임자 바꿔", "request_agent", reason))) == ESCALATE


def test_an_open_form_is_left_too(policy):
    state = tracker(ActiveLoop("problem_form"), SlotSet("requested_slot", "order_number"),
                    *said("ㅅㅂ 주문번호 몰라", "dont_know", "swearing"))
    assert predicted(policy, state) == ESCALATE


def test_after_escalating_the_bot_listens(policy):
    state = tracker(*said("책임자 바꿔", "request_agent", "manager"), ActionExecuted(ESCALATE),
                    SlotSet("handoff_ticket", "T-20261122-0001"))
    assert predicted(policy, state) == ACTION_LISTEN_NAME, "the open ticket must not stop the listen"


def test_the_escalation_wins_over_an_open_form(policy):
    """The rule policy predicts an open form as a no-user prediction, which beats any other kind."""
    state = tracker(ActiveLoop("problem_form"), SlotSet("requested_slot", "order_number"),
                    *said("책임자 바꿔", "request_agent", "manager"))
    prediction = policy.predict_action_probabilities(state, DOMAIN)
    assert prediction.is_no_user_prediction and prediction.policy_priority > 7


def test_a_calm_message_is_left_to_the_rules(policy):
    assert predicted(policy, tracker(*said("배달이 늦어요", "delay"))) is None


def test_while_a_person_has_the_conversation_the_relay_answers(policy):
    state = tracker(SlotSet("handoff_ticket", "T-20261122-0001"), *said("책임자 바꿔", "request_agent", "manager"))
    assert predicted(policy, state) is None


def test_the_same_problem_typed_three_times_goes_to_a_person(policy):
    twice = [*said("배달이 안 와요", "delay"), ActionExecuted("problem_form"), *said("아직도 안 와요", "delay")]
    assert predicted(policy, tracker(*twice)) is None
    assert predicted(policy, tracker(*twice, *said("언제 와요 배달", "delay"))) == ESCALATE


def test_button_taps_and_other_problems_are_not_repeats(policy):
    events = [*said("/delay", "delay"), *said("결제가 두 번 됐어요", "payment"), *said("/delay", "delay"),
              *said("배달이 안 와요", "delay"), *said("아직이에요", "delay")]
    assert predicted(policy, tracker(*events)) is None


def test_answers_to_the_form_are_not_repeats(policy):
    events = [*said("결제가 두 번 됐어요", "payment"), ActionExecuted("problem_form"), ActiveLoop("problem_form"),
              *said("35,000원이요", "payment"), ActionExecuted("problem_form"), SlotSet("payment_amount", 35000),
              *said("카드로 했어요", "payment"), ActionExecuted("problem_form"), SlotSet("payment_method", "카드"),
              *said("결제 내역이 이상해요", "payment")]
    assert predicted(policy, tracker(*events)) is None


def test_the_message_that_opened_the_form_is_a_report_whatever_it_filled(policy):
    """"배달이 한 시간째 안 와요" gives the form its time on the way; it is still the first report."""
    events = [*said("배달이 한 시간째 안 와요", "delay"), SlotSet("problem_time", "2026-12-07T19:00:00+09:00"),
              ActionExecuted("problem_form"), ActiveLoop("problem_form"), SlotSet("requested_slot", "order_number"),
              *said("아직도 안 와요", "delay"), ActionExecuted("problem_form"), SlotSet("order_number", None),
              *said("배달 언제 오냐고요", "delay")]
    assert predicted(policy, tracker(*events)) == ESCALATE


def test_a_latest_message_with_an_order_number_is_an_answer(policy):
    events = [*said("배달이 안 와요", "delay"), *said("아직도 안 와요", "delay"),
              ActionExecuted(ACTION_LISTEN_NAME),
              UserUttered("ORD-261122-0102 배달이 안 와요", {"name": "delay", "confidence": 1.0},
                          [{"entity": "order_number", "value": "ORD-261122-0102", "start": 0, "end": 15}])]
    assert predicted(policy, tracker(*events)) is None


def test_messages_a_fallback_took_back_are_not_counted(policy):
    events = [*said("배달이 안 와요", "delay"), UserUtteranceReverted(), *said("배달이 안 와요", "delay"),
              *said("아직이에요", "delay")]
    assert predicted(policy, tracker(*events)) is None


def test_the_count_starts_again_once_a_person_was_reached(policy):
    events = [*said("배달이 안 와요", "delay"), *said("아직도 안 와요", "delay"), ActionExecuted("action_create_ticket"),
              *said("ticket", "ticket_resolved"), *said("배달이 또 안 와요", "delay")]
    assert predicted(policy, tracker(*events)) is None


def test_a_form_left_open_by_an_old_session_does_not_make_the_new_report_an_answer(policy):
    from rasa.shared.core.events import SessionStarted

    old = [*said("배달이 안 와요", "delay"), ActionExecuted("problem_form"), ActiveLoop("problem_form")]
    new = [SessionStarted(), *said("배달 1시간째 안 와요", "delay"), SlotSet("problem_time", "2026-12-07T19:00:00+09:00"),
           ActionExecuted("problem_form"), ActiveLoop("problem_form"),
           *said("아직도 안 와요", "delay"), ActionExecuted("problem_form"), *said("언제 와요 배달", "delay")]
    assert predicted(policy, tracker(*old, *new)) == ESCALATE

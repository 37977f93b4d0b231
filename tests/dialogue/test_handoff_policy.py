"""While a ticket is open the handoff policy relays every customer message, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from dialogue.handoff_policy import HandoffPolicy

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
RELAY = "action_relay_to_agent"


@pytest.fixture
def policy(tmp_path) -> HandoffPolicy:
    return HandoffPolicy.create(
        HandoffPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("handoff"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("rest:policy", list(events), slots=DOMAIN.slots)


def predicted(policy: HandoffPolicy, state: DialogueStateTracker):
    """The action the policy is sure of, or None when it leaves the turn to the other policies."""
    probabilities = policy.predict_action_probabilities(state, DOMAIN).probabilities
    best = max(range(len(probabilities)), key=probabilities.__getitem__)
    return DOMAIN.action_names_or_texts[best] if probabilities[best] == 1.0 else None


def said(text: str, intent: str) -> list:
    return [ActionExecuted(ACTION_LISTEN_NAME), UserUttered(text, {"name": intent, "confidence": 1.0})]


def test_a_customer_message_during_a_handoff_is_relayed_whatever_it_means(policy):
    for text, intent in (("배달이 너무 늦어요", "delay"), ("상담원 연결해 주세요", "request_agent"), ("그만", "stop")):
        state = tracker(SlotSet("handoff_ticket", "T-20261122-0001"), *said(text, intent))
        assert predicted(policy, state) == RELAY, intent


def test_after_relaying_the_bot_listens(policy):
    state = tracker(SlotSet("handoff_ticket", "T-20261122-0001"), *said("아직이에요", "inform"), ActionExecuted(RELAY))
    assert predicted(policy, state) == ACTION_LISTEN_NAME


@pytest.mark.parametrize("intent", ["agent_reply", "ticket_resolved"])
def test_what_the_desk_triggers_passes_to_the_rules(policy, intent):
    state = tracker(SlotSet("handoff_ticket", "T-20261122-0001"), *said(f"EXTERNAL: {intent}", intent))
    assert predicted(policy, state) is None


def test_without_an_open_ticket_the_policy_stays_out(policy):
    assert predicted(policy, tracker(*said("배달이 너무 늦어요", "delay"))) is None

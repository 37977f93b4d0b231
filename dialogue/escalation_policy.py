"""A customer who is angry, swears, demands a manager or repeats a problem reaches a person at once.

After a customer message, this policy predicts ``action_escalate`` when the
parse data carries ``escalation`` (``nlu/escalation.py``), or when the same
problem was typed for the third time since the conversation last reached a
person. Its prediction is a no-user prediction of a higher priority than the
rule policy's, so it wins over an open form too; while a person already has
the conversation (``handoff_ticket``), the handoff policy relays instead. ``action_escalate`` (``actions/escalation.py``) opens the ticket with
the reason and says one calm sentence.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, Restarted, SessionStarted, SlotSet, UserUttered, UserUtteranceReverted,
)
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from contract.vocabulary import DELIVERY_INTENTS
from support.escalation_cues import ESCALATION, REPEATED
from support.intents import INTENT_CATEGORY

# the intents that report a problem (the FAQ's and conversational ones are not counted)
PROBLEM_INTENTS = tuple(intent for intent, category in INTENT_CATEGORY.items() if category not in (None, "other"))


def _is_typed(event: UserUttered) -> bool:
    return bool(event.text) and not event.text.lstrip().startswith("/")


def _carries_an_answer(message: UserUttered) -> bool:
    """The latest message gives an order number or a photo: the form may take it as an answer."""
    entities = (message.parse_data or {}).get("entities") or []
    metadata = message.metadata or {}
    return any(e.get("entity") == "order_number" for e in entities) or bool(metadata.get("attachments"))


def repeated_problem(
    tracker: DialogueStateTracker, times: int, reached_person: List[str], form_slots: Set[str]
) -> bool:
    """Whether the latest message is the ``times``-th typed report of its problem since a person was last reached.

    A report is a typed message (not a button tap such as ``/delay``) with the problem's intent that
    answered no question of a form: a message that came while a form was open and filled one of
    ``form_slots`` is an answer; the message that opened the form is a report, whatever it filled on
    the way ("배달이 한 시간째 안 와요" gives the form its time). The latest one is an answer when it
    carries an order number or a photo. The count starts again after a ticket was opened (any action
    in ``reached_person``), after the desk handed the conversation back, and at a session start.
    Messages a fallback took back are not counted.
    """
    latest = tracker.latest_message
    intent = (latest.intent or {}).get("name") if latest else None
    if intent not in PROBLEM_INTENTS or not _is_typed(latest) or _carries_an_answer(latest):
        return False
    reports: List[List[Any]] = []  # [intent, typed, came while a form was open, filled a form slot]
    form_open = False
    # all events, not ``applied_events()``: that collapses the form's happy-path turns, messages included
    for event in tracker.events:
        if isinstance(event, UserUtteranceReverted):  # a fallback took the message back
            if reports:
                reports.pop()
        elif isinstance(event, (Restarted, SessionStarted)):  # Rasa closes the form with the session
            reports.clear()
            form_open = False
        elif isinstance(event, ActiveLoop):
            form_open = event.name is not None
        elif isinstance(event, ActionExecuted) and event.action_name in (*reached_person, ACTION_SESSION_START_NAME):
            reports.clear()
        elif isinstance(event, UserUttered):
            said = (event.intent or {}).get("name")
            if said in DELIVERY_INTENTS.values():
                reports.clear()
            reports.append([said, _is_typed(event), form_open, False])
        elif isinstance(event, SlotSet) and reports and event.key in form_slots and event.value is not None:
            reports[-1][3] = True
    count = sum(1 for said, typed, in_form, filled in reports if said == intent and typed and not (in_form and filled))
    return count >= times


def escalation_of(
    tracker: DialogueStateTracker, times: int, reached_person: List[str], form_slots: Set[str]
) -> Optional[str]:
    """Why the latest message must reach a person now, or ``None``."""
    latest = tracker.latest_message
    if latest is None or not latest.text:
        return None
    reason = (latest.parse_data or {}).get(ESCALATION)
    if reason:
        return str(reason)
    return REPEATED if repeated_problem(tracker, times, reached_person, form_slots) else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class EscalationPolicy(Policy):
    """Hands an angry or repeating customer to a person, whatever the rules would do."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Priority above the rule policy (6) and the handoff policy (7); the action, the slot, the repeat count.

        The two never both predict: this one stands aside while a ticket is open.
        """
        return {
            "priority": 8,
            "action": "action_escalate",
            "slot": "handoff_ticket",
            "repeats": 3,
            "reached_person": ["action_create_ticket", "action_escalate"],
        }

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Escalate after a customer message that calls for it (over an open form too); listen after escalating."""
        result = self._default_predictions(domain)
        action = self.config["action"]
        latest = tracker.latest_action_name
        if latest == action:  # the ticket is open now: wait for the customer
            result[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
            return self._prediction(result)
        if latest != ACTION_LISTEN_NAME or tracker.get_slot(self.config["slot"]):
            return self._prediction(result)
        form_slots = {slot for form in domain.form_names for slot in domain.required_slots_for_form(form)}
        if escalation_of(tracker, self.config["repeats"], self.config["reached_person"], form_slots):
            result[domain.index_for_action(action)] = 1.0
            # a no-user prediction, like the rule policy's for an open form: it must win over the form
            return self._prediction(result, is_no_user_prediction=True)
        return self._prediction(result)

"""While a person handles the conversation, relay the customer's messages to them.

When the slot ``handoff_ticket`` holds an open ticket's number, every new
customer message is answered by ``action_relay_to_agent`` (which appends it to
the ticket's thread and hands out any agent reply waiting for this customer),
never by the bot's own rules. Messages that Rasa is told about by the desk
(``agent_reply``, ``ticket_resolved``) pass through to the rules.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from contract.vocabulary import DELIVERY_INTENTS


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class HandoffPolicy(Policy):
    """Routes customer messages to the agent while a ticket is open."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Priority above the rule policy; slot, action and pass-through intents."""
        return {
            "priority": 7,
            "slot": "handoff_ticket",
            "relay_action": "action_relay_to_agent",
            "pass_through_intents": list(DELIVERY_INTENTS.values()),
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
        """Relay after a customer message; listen after relaying."""
        result = self._default_predictions(domain)
        if not tracker.get_slot(self.config["slot"]):
            return self._prediction(result)
        latest = tracker.latest_action_name
        relay = self.config["relay_action"]
        if latest == ACTION_LISTEN_NAME:
            intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
            if intent not in self.config["pass_through_intents"]:
                result[domain.index_for_action(relay)] = 1.0
        elif latest == relay:
            result[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(result)

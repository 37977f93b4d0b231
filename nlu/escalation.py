"""A customer who must reach a person now: ``escalation`` in the parse data.

A demand for a manager, swearing or plain anger (``support/escalation_cues.py``)
adds ``escalation: manager | swearing | anger`` to the parse data. The intent is
left as the classifier gave it, so the ticket still knows what the problem is;
``dialogue/escalation_policy.py`` hands the conversation to a person. Messages
the noise filter marked, and text not addressed to support (``out_of_scope``:
"팀장님 자료 보내드렸습니다" pasted by mistake), are never escalated.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.noise_filter import NOISE
from nlu.stateless_component import StatelessComponent
from support.escalation_cues import ESCALATION, escalation_reason

NOT_ADDRESSED = "out_of_scope"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class Escalation(StatelessComponent):
    """Marks messages that must reach a person now, with the reason."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Add ``escalation`` to every message with a manager demand, swearing or anger."""
        for message in messages:
            if message.get(NOISE) or (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == NOT_ADDRESSED:
                continue
            reason = escalation_reason(message.get(TEXT) or "")
            if reason:
                message.set(ESCALATION, reason, add_to_output=True)
        return messages

"""Rasa's ResponseSelector, run only for messages whose intent is its retrieval intent.

The bot's FAQ answers come from a ResponseSelector on the retrieval intent
``other``. Rasa runs it on every message, though its answer is used only when
the message's intent is ``other``: a second neural network inference on every
delay, quality or payment message for nothing. This selector trains exactly like
Rasa's and skips the others at inference (their parse data has no
``response_selector`` entry, which nothing reads for them).
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

RETRIEVAL_INTENT = "retrieval_intent"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """Selects an FAQ answer, only for messages classified as the retrieval intent."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Rasa's selection for messages of the retrieval intent; the others pass unchanged."""
        wanted = self.component_config.get(RETRIEVAL_INTENT)
        chosen = [m for m in messages if wanted is None or (m.get(INTENT) or {}).get(INTENT_NAME_KEY) == wanted]
        if chosen:
            super().process(chosen)
        return messages

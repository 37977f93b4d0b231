"""The last NLU step: a message shaped like noise is not understood, whatever the classifier said.

Keyboard mash, markup, SQL, JSON or one character over and over
(``nlu/noise.py``) get the intent ``nlu_fallback`` with full confidence and the
kind of noise as ``noise`` in the parse data. The dialogue answers them with the
not-understood message and never counts them towards handing the customer over.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.noise import noise_kind
from nlu.stateless_component import StatelessComponent

NOISE = "noise"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NoiseFilter(StatelessComponent):
    """Marks noise-shaped messages as not understood (``nlu_fallback``)."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Replace the intent of every noise-shaped message; the others pass unchanged."""
        for message in messages:
            kind = noise_kind(message.get(TEXT) or "")
            if kind is None:
                continue
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, fallback, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
            message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)
            message.set(NOISE, kind, add_to_output=True)
        return messages

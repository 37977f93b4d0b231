"""Several problems in one message: the other problem categories the classifier also saw.

"늦게 온 데다 음료도 미지근했어요" is classified as one category, but the
ranking still holds the other. When the message's intent is a problem category
(delay, quality, payment), every other problem category whose confidence reaches
``threshold`` is listed, strongest first, as ``also_problems`` in the parse data.
The dialogue works on the intent's problem, tells the customer it will take the
others too, and records them on the ticket.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from support.intents import INTENT_CATEGORY

ALSO_PROBLEMS = "also_problems"
# the intents that start a problem form: those of a category other than the FAQ's
PROBLEMS = tuple(intent for intent, category in INTENT_CATEGORY.items() if category not in (None, "other"))


def also_problems(intent: str, ranking: List[Dict[str, Any]], threshold: float) -> List[str]:
    """The problem categories besides ``intent`` ranked at ``threshold`` or above, strongest first."""
    if intent not in PROBLEMS:
        return []
    found = []
    for entry in ranking:
        name = entry.get(INTENT_NAME_KEY)
        if name in PROBLEMS and name != intent and name not in found:
            if float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= threshold:
                found.append(name)
    return found


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ProblemMix(GraphComponent):
    """Lists the other problem categories a message names (``also_problems``)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """``threshold``: the confidence from which a second category counts as named."""
        return {"threshold": 0.2}

    def __init__(self, threshold: float) -> None:
        """A detector with the given confidence threshold."""
        self.threshold = threshold

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ProblemMix":
        """The detector with the configured threshold."""
        return cls(float({**cls.get_default_config(), **config}["threshold"]))

    def process(self, messages: List[Message]) -> List[Message]:
        """Add ``also_problems`` to every message that names more than one problem."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            found = also_problems(intent, message.get(INTENT_RANKING_KEY) or [], self.threshold)
            if found:
                message.set(ALSO_PROBLEMS, found, add_to_output=True)
        return messages

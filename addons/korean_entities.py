"""Rule-based entity extraction for Korean support messages.

Finds order numbers (formats in :mod:`support.order_numbers`) and stores their
canonical form as the entity value, so the slot holds ``ORD-261122-0042``
whatever the customer typed.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from support.order_numbers import find_order_numbers


def extract_entities(text: str) -> List[Dict[str, Any]]:
    """Entities found in ``text`` in Rasa's entity format (without extractor name)."""
    return [
        {"entity": "order_number", "start": m.start, "end": m.end, "value": m.value, "text": m.text}
        for m in find_order_numbers(text)
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KoreanEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts order numbers with normalised values."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "KoreanEntityExtractor":
        """Creates a new component (see parent class for full docstring)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the entities found in each message's text."""
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.add_extractor_name(extract_entities(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

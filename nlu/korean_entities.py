"""Rule-based entity extraction for Korean support messages.

Each entity's value is normalised, so slots hold what the actions need
whatever the customer typed:

* ``order_number``: the canonical ``ORD-YYMMDD-NNNN`` (:mod:`support.order_numbers`);
* ``time``: an ISO 8601 timestamp in Asia/Seoul, resolved against the time the
  message is parsed (:mod:`support.korean_time`); actions resolve the entity's
  text again against the message's own timestamp;
* ``amount``: an integer number of won (:mod:`support.amounts`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.stateless_component import StatelessComponent
from support.amounts import find_amounts
from support.korean_time import SEOUL, find_times
from support.order_numbers import find_order_numbers


def _entity(name: str, match: Any, value: Any) -> Dict[str, Any]:
    return {"entity": name, "start": match.start, "end": match.end, "value": value, "text": match.text}


def _overlaps(entity: Dict[str, Any], taken: List[Dict[str, Any]]) -> bool:
    return any(entity["start"] < other["end"] and other["start"] < entity["end"] for other in taken)


def extract_entities(text: str, reference: Optional[datetime] = None) -> List[Dict[str, Any]]:
    """Entities found in ``text`` in Rasa's entity format (without extractor name).

    Order numbers win over amounts and times over the same characters.
    """
    if not isinstance(text, str) or not text:
        return []
    reference = reference or datetime.now(SEOUL)
    entities = [_entity("order_number", m, m.value) for m in find_order_numbers(text)]
    for match in find_amounts(text):
        candidate = _entity("amount", match, match.value)
        if not _overlaps(candidate, entities):
            entities.append(candidate)
    for match in find_times(text, reference):
        candidate = _entity("time", match, match.value.isoformat())
        if text[candidate["end"] : candidate["end"] + 1] == "쯤":  # "오후 7시쯤": the span keeps 쯤
            candidate["end"] += 1
            candidate["text"] = text[candidate["start"] : candidate["end"]]
        if not _overlaps(candidate, entities):
            entities.append(candidate)
    return sorted(entities, key=lambda e: e["start"])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KoreanEntityExtractor(StatelessComponent, EntityExtractorMixin):
    """Extracts order numbers, times and amounts with normalised values."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the entities found in each message's text."""
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.add_extractor_name(extract_entities(text))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

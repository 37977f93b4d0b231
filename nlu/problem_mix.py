"""Several problems in one message: the other problem categories a message also names.

"늦게 온 데다 음료도 미지근했어요" is classified as one intent (delay or
quality), and the classifier's softmax leaves almost nothing for the other one,
so its ranking cannot tell. When the message's intent is a problem category,
every other problem category whose cue words stand in the message
(``nlu/problem_cues.py``) is listed as ``also_problems`` in the parse data. The
dialogue works on the intent's problem, tells the customer it will take the
others too, and records them on the ticket.
"""

from __future__ import annotations

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.problem_cues import named_problems
from nlu.stateless_component import StatelessComponent
from support.intents import INTENT_CATEGORY

ALSO_PROBLEMS = "also_problems"
# the intents that start a problem form: those of a category other than the FAQ's
PROBLEMS = tuple(intent for intent, category in INTENT_CATEGORY.items() if category not in (None, "other"))


def also_problems(intent: Optional[str], text: str) -> List[str]:
    """The problem categories besides ``intent`` that ``text`` names; none when ``intent`` is no problem."""
    if intent not in PROBLEMS:
        return []
    return [category for category in named_problems(text) if category in PROBLEMS and category != intent]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ProblemMix(StatelessComponent):
    """Lists the other problem categories a message names (``also_problems``)."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Add ``also_problems`` to every problem message that names more than one problem."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            found = also_problems(intent, message.get(TEXT) or "")
            if found:
                message.set(ALSO_PROBLEMS, found, add_to_output=True)
        return messages

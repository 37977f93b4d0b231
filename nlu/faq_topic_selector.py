"""The FAQ answer for a message of the retrieval intent ``other``, picked by a linear model.

The bot's FAQ answers are the responses ``utter_other/<topic>``. Rasa's
ResponseSelector picks the topic with a second DIET network: a second forward
pass, and as much Python around it as the intent classifier's, on every FAQ
question (half the parse time of such a message), and a third of the training
time. This selector fits a multinomial logistic regression
(:mod:`nlu.linear_model`) on the same sparse features of the ``other/<topic>``
examples and writes the parse data exactly as Rasa's ResponseSelector does
(``response_selector.other``: the response, its ``utter_action``, the ranking), so
Rasa's retrieval action and ``full_retrieval_intent_name`` work unchanged.
Messages of any other intent pass untouched: nothing reads a topic for them.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY, RESPONSE_SELECTOR_PROPERTY_NAME, RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY, RESPONSE_SELECTOR_RETRIEVAL_INTENTS, RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.linear_model import REGRESSION_DEFAULTS, SoftmaxWeights, sentence_vector

logger = logging.getLogger(__name__)

RESPONSES = "responses.json"
RANKING_LENGTH = 10


def utter_action(topic_key: str) -> str:
    """``other/hours`` → ``utter_other/hours``, the response Rasa's retrieval action sends."""
    return f"utter_{topic_key}"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqTopicSelector(GraphComponent):
    """Picks the FAQ topic of ``retrieval_intent`` messages by logistic regression over the sparse features."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """``retrieval_intent``: whose topics; the regression's settings (``nlu.linear_model``)."""
        return {"retrieval_intent": "other", **REGRESSION_DEFAULTS}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[SoftmaxWeights] = None,
        responses: Optional[Dict[str, List[Dict[str, Any]]]] = None,
    ) -> None:
        """A selector with a fitted ``model`` and each topic's ``responses``, or an untrained one."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model
        self.responses = responses or {}

    @classmethod
    def required_components(cls) -> List[type]:
        """Needs the sparse featurizers before it."""
        return [Featurizer]

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FaqTopicSelector":
        """An untrained selector."""
        return cls(config, model_storage, resource)

    @property
    def retrieval_intent(self) -> str:
        """The retrieval intent whose topics this selector picks."""
        return str(self.config["retrieval_intent"])

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on every ``retrieval_intent/<topic>`` example; keep each topic's responses with the weights."""
        rows, topics = [], []
        for example in training_data.intent_examples:
            key = example.get(INTENT_RESPONSE_KEY)
            vector = sentence_vector(example)
            if example.get(INTENT) == self.retrieval_intent and key and vector is not None:
                rows.append(vector)
                topics.append(key)
        if len(set(topics)) < 2:
            logger.warning("FaqTopicSelector needs at least two topics of %s; it stays untrained.",
                           self.retrieval_intent)
            return self._resource
        self.model = SoftmaxWeights.fit(rows, topics, self.config)
        self.responses = {
            topic: training_data.responses.get(utter_action(topic)) or [{TEXT: topic}] for topic in set(topics)
        }
        missing = sorted(t for t in set(topics) if utter_action(t) not in training_data.responses)
        if missing:
            logger.warning("FAQ topics without a response %s: the topic's name is answered instead", missing)
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(directory)
            (directory / RESPONSES).write_text(json.dumps(self.responses, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """For messages of the retrieval intent: the topic, its responses and the ranking, as Rasa's selector."""
        for message in messages:
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != self.retrieval_intent or self.model is None:
                continue
            vector = sentence_vector(message)
            if vector is None:
                continue
            ranking = self.model.ranking(vector, RANKING_LENGTH)
            topic, confidence = ranking[0]
            prediction = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self.responses.get(topic) or [{TEXT: topic}],
                    PREDICTED_CONFIDENCE_KEY: confidence,
                    INTENT_RESPONSE_KEY: topic,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action(topic),
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {"id": index, PREDICTED_CONFIDENCE_KEY: p, INTENT_RESPONSE_KEY: key}
                    for index, (key, p) in enumerate(ranking)
                ],
            }
            selected = message.get(RESPONSE_SELECTOR_PROPERTY_NAME, {})
            selected[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = [self.retrieval_intent]
            selected[self.retrieval_intent] = prediction
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selected, add_to_output=True)
        return messages

    @classmethod
    def load(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "FaqTopicSelector":
        """The trained selector, or an untrained one (no FAQ topic) when nothing was persisted."""
        try:
            with model_storage.read_from(resource) as directory:
                model = SoftmaxWeights.load(directory)
                responses = json.loads((directory / RESPONSES).read_text(encoding="utf-8"))
        except (ValueError, OSError):
            logger.warning("FaqTopicSelector found no trained weights; it picks no FAQ topic.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model, responses)

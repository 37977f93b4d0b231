"""A linear intent classifier on the sparse features: the lighter alternative to DIET.

Multinomial logistic regression (scikit-learn) on the message's sentence-level
sparse features (morpheme and character n-gram counts), scaled as log counts and
L2-normalised. It keeps only the weights: persisted as plain numpy arrays and a
JSON label list (no pickle), and predicted with one sparse matrix product and a
softmax, so a parse costs microseconds instead of a network's forward pass.
``make eval`` compares it with DIET on the blind set (accuracy and latency).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.linear_model import REGRESSION_DEFAULTS, SoftmaxWeights, sentence_vector

logger = logging.getLogger(__name__)

RANKING_LENGTH = 10


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Logistic regression over the sparse sentence features."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The regression's settings (:data:`nlu.linear_model.REGRESSION_DEFAULTS`)."""
        return dict(REGRESSION_DEFAULTS)

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[SoftmaxWeights] = None,
    ) -> None:
        """A classifier with a fitted ``model``, or an untrained one."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def required_components(cls) -> List[type]:
        """Needs the sparse featurizers before it."""
        return [Featurizer]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        """An untrained classifier."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the regression on every example with a text and an intent, and persist its weights."""
        rows, targets = [], []
        for example in training_data.intent_examples:
            vector = sentence_vector(example)
            if vector is not None and example.get(INTENT):
                rows.append(vector)
                targets.append(example.get(INTENT))
        if len(set(targets)) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents; it stays untrained.")
            return self._resource
        self.model = SoftmaxWeights.fit(rows, targets, self.config)
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Set each message's intent and ranking from the regression's probabilities."""
        for message in messages:
            vector = sentence_vector(message) if self.model is not None else None
            if vector is None:
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            ranking = [{INTENT_NAME_KEY: label, PREDICTED_CONFIDENCE_KEY: probability}
                       for label, probability in self.model.ranking(vector, RANKING_LENGTH)]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        """The fitted weights (:meth:`nlu.linear_model.SoftmaxWeights.save`)."""
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(directory)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LinearIntentClassifier":
        """The trained classifier, or an untrained one when nothing was persisted."""
        try:
            with model_storage.read_from(resource) as directory:
                model = SoftmaxWeights.load(directory)
        except (ValueError, OSError):
            logger.warning("LinearIntentClassifier found no trained weights; it predicts nothing.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model)

"""The linear intent classifier (nlu/linear_intent_classifier.py), trained and reloaded for real."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.linear_intent_classifier import LinearIntentClassifier
from nlu.linear_model import sentence_vector

VOCABULARY = ["배달", "늦", "안", "와", "음식", "식", "머리카락", "결제", "두", "번"]


def message(words, intent=None):
    """A message with sentence-level count features over VOCABULARY, as a CountVectorsFeaturizer gives them."""
    counts = np.array([[words.count(w) for w in VOCABULARY]], dtype=np.float32)
    data = {"text": " ".join(words)}
    if intent:
        data["intent"] = intent
    features = [Features(scipy.sparse.coo_matrix(counts), "sentence", "text", "test")]
    return Message(data=data, features=features)


TRAINING = [
    (["배달", "늦"], "delay"), (["배달", "안", "와"], "delay"), (["안", "와"], "delay"), (["늦"], "delay"),
    (["음식", "식"], "quality"), (["머리카락"], "quality"), (["음식", "머리카락"], "quality"), (["식"], "quality"),
    (["결제", "두", "번"], "payment"), (["결제"], "payment"), (["두", "번", "결제"], "payment"), (["번"], "payment"),
]


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def context():
    return ExecutionContext(graph_schema=None, model_id="test")


def test_trained_it_ranks_the_right_intent_first_and_survives_a_reload(storage):
    resource = Resource("linear")
    classifier = LinearIntentClassifier.create({}, storage, resource, context())
    classifier.train(TrainingData([message(words, intent) for words, intent in TRAINING]))
    reloaded = LinearIntentClassifier.load({}, storage, resource, context())
    for model in (classifier, reloaded):
        late, hair, twice = message(["배달", "안", "와", "늦"]), message(["머리카락", "음식"]), message(["결제", "두"])
        model.process([late, hair, twice])
        assert [m.get("intent")["name"] for m in (late, hair, twice)] == ["delay", "quality", "payment"]
        ranking = late.get("intent_ranking")
        assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-5
        assert ranking[0]["confidence"] > ranking[1]["confidence"]


def test_without_weights_it_predicts_nothing_rather_than_crashing(storage):
    empty = LinearIntentClassifier.load({}, storage, Resource("never-trained"), context())
    found = message(["배달"])
    empty.process([found])
    assert found.get("intent")["name"] is None
    assert found.get("intent_ranking") == []


def test_the_sentence_vector_is_log_scaled_and_unit_length():
    vector = sentence_vector(message(["배달", "배달", "배달", "늦"]))
    values = vector.toarray().ravel()
    assert abs(np.linalg.norm(values) - 1.0) < 1e-6
    assert values[0] / values[1] == pytest.approx(np.log1p(3) / np.log1p(1))

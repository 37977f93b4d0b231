"""The FAQ topic selector (nlu/faq_topic_selector.py), trained and reloaded for real, read by Rasa's own code."""

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

from nlu.faq_topic_selector import FaqTopicSelector

VOCABULARY = ["배달비", "비싸", "쿠폰", "어디", "영수증", "출력", "배달", "늦"]
RESPONSES = {
    "utter_other/delivery_fee": [{"text": "배달팁은 가게가 정해요."}],
    "utter_other/coupons_points": [{"text": "쿠폰은 쿠폰함에서 받아요."}],
    "utter_other/receipt": [{"text": "영수증은 주문 상세에서 봐요."}],
}


def message(words, intent=None, topic=None):
    """A message with sentence-level count features over VOCABULARY, as a CountVectorsFeaturizer gives them."""
    counts = np.array([[words.count(w) for w in VOCABULARY]], dtype=np.float32)
    data = {"text": " ".join(words)}
    if intent:
        data["intent"] = intent
    if topic:
        data["intent_response_key"] = f"{intent}/{topic}"
    return Message(data=data, features=[Features(scipy.sparse.coo_matrix(counts), "sentence", "text", "test")])


TRAINING = [
    (["배달비", "비싸"], "delivery_fee"), (["배달비"], "delivery_fee"), (["배달비", "어디"], "delivery_fee"),
    (["쿠폰", "어디"], "coupons_points"), (["쿠폰"], "coupons_points"), (["쿠폰", "출력"], "coupons_points"),
    (["영수증", "출력"], "receipt"), (["영수증"], "receipt"), (["영수증", "어디"], "receipt"),
]


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def context():
    return ExecutionContext(graph_schema=None, model_id="test")


def trained(storage, resource):
    examples = [message(words, "other", topic) for words, topic in TRAINING]
    examples += [message(["배달", "늦"], "delay"), message(["늦"], "delay")]
    selector = FaqTopicSelector.create({}, storage, resource, context())
    selector.train(TrainingData(examples, responses=RESPONSES))
    return selector


def classified(words, intent):
    found = message(words)
    found.set("intent", {"name": intent, "confidence": 0.9})
    return found


def test_the_topic_of_an_faq_message_is_written_as_rasas_response_selector_writes_it(storage):
    resource = Resource("faq")
    trained(storage, resource)
    for selector in (trained(storage, Resource("faq-2")), FaqTopicSelector.load({}, storage, resource, context())):
        question = classified(["배달비", "비싸", "어디"], "other")
        selector.process([question])
        selected = question.get("response_selector")
        assert selected["all_retrieval_intents"] == ["other"]
        response = selected["other"]["response"]
        assert response["intent_response_key"] == "other/delivery_fee"
        assert response["utter_action"] == "utter_other/delivery_fee"
        assert response["responses"] == RESPONSES["utter_other/delivery_fee"]
        ranking = selected["other"]["ranking"]
        assert ranking[0]["intent_response_key"] == "other/delivery_fee"
        assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-5
        assert ranking[0]["confidence"] == response["confidence"] > ranking[1]["confidence"]


def test_messages_of_another_intent_get_no_topic(storage):
    selector = trained(storage, Resource("faq"))
    late = classified(["배달", "늦"], "delay")
    selector.process([late])
    assert late.get("response_selector") is None


def test_rasas_processor_names_the_full_retrieval_intent_from_it(storage):
    """Rasa's processor reads the selector's output into ``full_retrieval_intent_name``, as for its own selector."""
    from rasa.core.processor import MessageProcessor

    selector = trained(storage, Resource("faq"))
    question = classified(["영수증", "출력"], "other")
    selector.process([question])
    parse_data = {"intent": dict(question.get("intent")), "response_selector": question.get("response_selector")}
    MessageProcessor._update_full_retrieval_intent(None, parse_data)  # type: ignore[arg-type]
    assert parse_data["intent"]["full_retrieval_intent_name"] == "other/receipt"


def test_without_weights_it_picks_nothing_rather_than_crashing(storage):
    empty = FaqTopicSelector.load({}, storage, Resource("never-trained"), context())
    question = classified(["쿠폰"], "other")
    empty.process([question])
    assert question.get("response_selector") is None

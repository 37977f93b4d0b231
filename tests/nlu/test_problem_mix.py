"""Several problems in one message (nlu/problem_mix.py, nlu/problem_cues.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlu.problem_cues import named_problems
from nlu.problem_mix import ALSO_PROBLEMS, ProblemMix, also_problems


@pytest.mark.parametrize(
    "text, categories",
    [
        ("한시간넘게기다렸는데 콜라는 미지근하고 감튀는 눅눅", ["delay", "quality"]),
        ("늦게 온 것도 모자라 결제가 두 번 됐어요", ["delay", "payment"]),
        ("치킨에 머리카락 나왔고 쿠폰 적용도 안 됐어요", ["quality", "payment"]),
        ("피자가 다 식었어요", ["quality"]),
        ("the food is late and cold", ["delay", "quality"]),
    ],
)
def test_the_cues_name_each_problem_a_message_reports(text, categories):
    assert named_problems(text) == categories


def test_a_remedy_asked_for_names_no_payment_problem():
    assert named_problems("국물이 다 샜어요 환불해 주세요") == ["quality"]
    assert "payment" in named_problems("환불이 아직 안 들어왔어요")


def test_the_other_problems_are_those_besides_the_intent():
    assert also_problems("quality", "한 시간 늦게 와서 다 식었어요") == ["delay"]
    assert also_problems("delay", "배달이 안 와요") == []


def test_a_message_that_is_no_problem_names_none():
    assert also_problems("other", "결제수단 변경은 어디서 해요 배달 늦으면 어떡해요") == []
    assert also_problems("nlu_fallback", "늦고 식었어요") == []


def test_the_component_adds_the_list_to_the_parse_data_only_when_there_is_one():
    several = Message(data={"text": "늦게 와서 다 식었어요", "intent": {"name": "quality", "confidence": 0.9}})
    one = Message(data={"text": "다 식었어요", "intent": {"name": "quality", "confidence": 0.9}})
    ProblemMix().process([several, one])
    assert several.as_dict(only_output_properties=True)[ALSO_PROBLEMS] == ["delay"]
    assert one.get(ALSO_PROBLEMS) is None

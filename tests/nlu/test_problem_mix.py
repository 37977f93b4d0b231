"""Several problems in one message (nlu/problem_mix.py): the other problem categories of the ranking."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from nlu.problem_mix import ALSO_PROBLEMS, ProblemMix, also_problems


def ranking(**confidences):
    return [{"name": name, "confidence": value} for name, value in confidences.items()]


def test_a_second_problem_above_the_threshold_is_listed():
    found = also_problems("delay", ranking(delay=0.55, quality=0.3, payment=0.1), threshold=0.2)
    assert found == ["quality"]


def test_several_are_listed_strongest_first():
    found = also_problems("quality", ranking(quality=0.4, payment=0.3, delay=0.25), threshold=0.2)
    assert found == ["payment", "delay"]


def test_weak_categories_and_non_problems_are_not():
    assert also_problems("delay", ranking(delay=0.8, other=0.15, quality=0.05), threshold=0.2) == []
    assert also_problems("delay", ranking(delay=0.6, request_agent=0.3), threshold=0.2) == []


def test_a_message_that_is_no_problem_names_none():
    assert also_problems("other", ranking(other=0.5, delay=0.3, quality=0.2), threshold=0.2) == []
    assert also_problems("nlu_fallback", ranking(nlu_fallback=0.4, delay=0.3, quality=0.3), threshold=0.2) == []


def test_the_component_adds_the_list_to_the_parse_data_only_when_there_is_one():
    mix = ProblemMix(threshold=0.2)
    several = Message(data={"text": "늦고 식었어요", "intent": {"name": "delay", "confidence": 0.5},
                            "intent_ranking": ranking(delay=0.5, quality=0.45)})
    one = Message(data={"text": "늦어요", "intent": {"name": "delay", "confidence": 0.9},
                        "intent_ranking": ranking(delay=0.9, quality=0.05)})
    mix.process([several, one])
    assert several.as_dict(only_output_properties=True)[ALSO_PROBLEMS] == ["quality"]
    assert one.get(ALSO_PROBLEMS) is None

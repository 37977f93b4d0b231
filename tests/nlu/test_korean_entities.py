"""Entity extraction with normalised values, through the Rasa component too."""

from __future__ import annotations

from datetime import datetime

from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from nlu.korean_entities import KoreanEntityExtractor, extract_entities
from support.korean_time import SEOUL

NOW = datetime(2026, 11, 22, 20, 15, tzinfo=SEOUL)


def by_name(entities):
    return {e["entity"]: e for e in entities}


def test_order_number_time_and_amount_in_one_message():
    text = "ORD-261122-0042 주문 30분 전에 했고 12,000원 결제했는데 안 와요"
    found = by_name(extract_entities(text, NOW))
    assert found["order_number"]["value"] == "ORD-261122-0042"
    assert found["amount"]["value"] == 12000
    assert found["time"]["value"] == "2026-11-22T19:45:00+09:00"
    for entity in found.values():
        assert text[entity["start"] : entity["end"]] == entity["text"]


def test_order_number_digits_are_not_taken_as_time_or_amount():
    found = extract_entities("261122-0042 이요", NOW)
    assert [e["entity"] for e in found] == ["order_number"]


def test_nothing_in_plain_text_or_bad_input():
    assert extract_entities("음식이 식었어요", NOW) == []
    assert extract_entities("", NOW) == []
    assert extract_entities(None, NOW) == []


def test_component_adds_entities_with_its_name():
    message = Message.build(text="주문번호 ord2611220042, 금액은 만 이천원")
    KoreanEntityExtractor().process([message])
    entities = message.get(ENTITIES)
    assert {e["entity"] for e in entities} == {"order_number", "amount"}
    assert all(e["extractor"] == "KoreanEntityExtractor" for e in entities)
    assert by_name(entities)["amount"]["value"] == 12000


def test_time_span_keeps_jjeum():
    [found] = [e for e in extract_entities("오후 7시쯤에 시켰어요", NOW) if e["entity"] == "time"]
    assert found["text"] == "오후 7시쯤"
    assert found["value"] == "2026-11-22T19:00:00+09:00"

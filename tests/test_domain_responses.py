"""The bot's own answers (domain.yml): a choice is a button, never a phrase the customer must type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
MAGIC_PHRASE = re.compile(r"['\"‘“][^'\"’”]{1,30}['\"’”]\s*(?:이)?라고\s*(?:말씀|입력|보내|써|적어|해\s*주)")


def response_texts():
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            if variant.get("text"):
                yield name, variant["text"]


def test_the_pattern_finds_a_phrase_to_type():
    assert MAGIC_PHRASE.search("'상담원 연결'이라고 말씀해 주시면 바로 접수해 드릴게요.")
    assert MAGIC_PHRASE.search("환불이 안 됐다면 '결제가 이상해요'라고 말씀해 주세요.")
    assert not MAGIC_PHRASE.search("상담원에게 접수해 드릴까요?")


@pytest.mark.parametrize("name, text", list(response_texts()))
def test_no_answer_asks_the_customer_to_type_a_magic_phrase(name, text):
    assert not MAGIC_PHRASE.search(text), f"{name}: offer a button instead of a phrase to type"


def test_the_rude_staff_answer_offers_the_handoff_as_a_button():
    variant = DOMAIN["responses"]["utter_other/complaint_person"][0]
    assert {"title": "상담원 연결", "payload": "/request_agent"} in variant["buttons"]

"""The NLU marks messages that must reach a person now, keeping their intent (nlu/escalation.py)."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from nlu.escalation import Escalation
from nlu.noise_filter import NOISE
from support.escalation_cues import ESCALATION, escalation_reason


def test_the_component_marks_the_message_and_keeps_its_intent():
    message = Message({"text": "아 진짜 짜증나네 몇번째야 책임자 바꿔", "intent": {"name": "request_agent", "confidence": 0.9}})
    calm = Message({"text": "배달이 늦어요", "intent": {"name": "delay", "confidence": 0.9}})
    Escalation().process([message, calm])
    assert message.get(ESCALATION) == "manager" and message.get("intent")["name"] == "request_agent"
    assert calm.get(ESCALATION) is None


def test_noise_is_never_escalated():
    message = Message({"text": "ㅅㅂㅅㅂㅅㅂㅅㅂㅅㅂㅅㅂ", NOISE: "repeat"})
    assert escalation_reason(message.get("text")) == "swearing", "the words alone would escalate"
    Escalation().process([message])
    assert message.get(ESCALATION) is None


def test_text_not_addressed_to_support_is_never_escalated():
    message = Message({"text": "팀장님 불러 주세요, 회의 시작합니다", "intent": {"name": "out_of_scope", "confidence": 0.9}})
    assert escalation_reason(message.get("text")) == "manager", "the words alone would escalate"
    Escalation().process([message])
    assert message.get(ESCALATION) is None

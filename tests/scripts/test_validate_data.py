"""The data validation fails on every warning the code does not account for."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("validate_data", ROOT / "scripts" / "validate_data.py")
validate_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(validate_data)
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def unused_response(name: str) -> str:
    return f"The utterance '{name}' is not used in any story or rule."


def test_a_response_nobody_says_is_left_over():
    assert validate_data.left_over([unused_response("utter_written_but_never_said")], DOMAIN) != []


def test_responses_the_code_or_a_form_says_are_accounted_for():
    said = ["utter_ticket_created", "utter_sorry_delay", "utter_action_unavailable", "utter_ask_photos"]
    assert validate_data.left_over([unused_response(name) for name in said], DOMAIN) == [], (
        "a string in actions/, an f-string utter_sorry_{category}, runtime/'s apology, a form's question"
    )


def test_only_the_desks_intents_may_have_no_examples():
    message = "The intent '{}' is listed in the domain file, but is not found in the NLU training data."
    assert validate_data.left_over([message.format("agent_reply"), message.format("ticket_resolved")], DOMAIN) == []
    assert validate_data.left_over([message.format("cancel_order")], DOMAIN) != []


def test_an_intent_nothing_reads_is_left_over():
    message = "The intent '{}' is not used in any story or rule."
    assert validate_data.left_over([message.format("inform")], DOMAIN) == [], "actions/ reads it"
    assert validate_data.left_over([message.format("small_talk_weather")], DOMAIN) != []


def test_any_other_warning_is_left_over():
    assert validate_data.left_over(["Slot 'x' has no mappings."], DOMAIN) == ["Slot 'x' has no mappings."]

"""The conversation stories' customer lines through the trained model: each must get the story's intent.

`rasa test core` (make test's "conversation tests" stage) checks the dialogue
of tests/test_stories.yml from the intents the stories annotate. Here every
typed customer line of those stories is parsed by the trained model, so the
stories run on the customer's words as well. (Rasa's own `--e2e` mode would
also compare entity values, and a time entity's value is resolved against the
clock: "40분 전" is a different timestamp on every run.)
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import yaml

STORIES = Path(__file__).resolve().parents[2] / "tests" / "test_stories.yml"


def story_lines() -> List[Tuple[str, str, str]]:
    """(story, text, intent) of every typed customer line; button payloads ("/intent{...}") are not typed."""
    lines = []
    for story in yaml.safe_load(STORIES.read_text(encoding="utf-8"))["stories"]:
        for step in story["steps"]:
            text = str(step.get("user", "")) if isinstance(step, dict) else ""
            if text and not text.startswith("/"):
                lines.append((story["story"], text, step["intent"]))
    return lines


def test_the_stories_have_typed_customer_lines():
    assert len({text for _, text, _ in story_lines()}) >= 30


def test_every_typed_line_gets_the_intent_its_story_gives_it(parse_all):
    lines = story_lines()
    parsed = parse_all([text for _, text, _ in lines])
    wrong = [f"{story}: {text!r} → {p['intent']['name']} ({p['intent'].get('confidence', 0):.2f}), story says {intent}"
             for (story, text, intent), p in zip(lines, parsed) if p["intent"]["name"] != intent]
    assert wrong == []

"""What the bot says when something failed, so an oracle can tell a real answer from an apology.

A test that only asks for "a polite Korean reply" passes for a bot that fails on
every message, since its apologies are polite Korean too. These are the apologies
(from ``domain.yml`` and ``support/customer_texts.py``) and the fallback.
"""

from __future__ import annotations

from pathlib import Path
from typing import FrozenSet, Iterable

import yaml

from support import customer_texts as say

ROOT = Path(__file__).resolve().parents[1]
_RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def response_texts(*names: str) -> FrozenSet[str]:
    """Every text variant of the named ``domain.yml`` responses."""
    return frozenset(variant["text"] for name in names for variant in _RESPONSES[name] if "text" in variant)


# the bot or a channel could not do its work
FAILURE_APOLOGIES = response_texts("utter_action_unavailable", "utter_desk_unavailable", "utter_relay_failed") | {
    say.TRY_AGAIN_LATER, say.NO_ANSWER_NOW, say.RUNNING_LATE, say.STILL_WORKING,
}
# the bot did not understand
NOT_UNDERSTOOD = response_texts("utter_default")


def apology_in(texts: Iterable[str]) -> str:
    """The first failure apology among ``texts`` ("" when there is none)."""
    return next((text for text in texts if text in FAILURE_APOLOGIES), "")

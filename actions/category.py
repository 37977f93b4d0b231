"""The category of the problem being worked on."""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from contract.vocabulary import CATEGORIES


def current_category(tracker: Tracker) -> str:
    """The form's category if a problem form started, else the latest problem intent's."""
    category: Optional[str] = tracker.get_slot("form_category") or tracker.get_slot("problem_category")
    return category if category in CATEGORIES else "other"

"""The satisfaction survey after a resolution: a 1–5 rating and an optional comment."""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.desk_client import DeskUnavailable
from actions.services import UsesServices
from contract.vocabulary import MAX_COMMENT

logger = logging.getLogger(__name__)

_RATING = re.compile(r"(?<!\d)([1-5])(?!\d)")
_WORDS = {"최고": 5, "만족": 5, "좋아": 4, "보통": 3, "별로": 2, "불만": 1, "최악": 1}
SKIP = "-"


def _holds_on(tracker: Tracker) -> bool:
    """"잠시만요": the customer needs a moment; the question stays open (data/rules.yml acknowledges it)."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") == "hold_on"


class ValidateSurveyForm(FormValidationAction):
    """Reads the rating and the comment."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "validate_survey_form"

    async def extract_survey_rating(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A digit 1–5 or a word such as 만족 / 별로 ("1분만요", a moment asked for, is none)."""
        if tracker.get_slot("requested_slot") != "survey_rating" or _holds_on(tracker):
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        if any(e.get("entity") == "survey_rating" for e in (tracker.latest_message or {}).get("entities", [])):
            return {}
        found = _RATING.search(text)
        if found:
            return {"survey_rating": int(found.group(1))}
        for word, value in _WORDS.items():
            if word in text:
                return {"survey_rating": value}
        return {}

    async def validate_survey_rating(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Whole numbers 1 to 5 only."""
        try:
            rating = int(float(slot_value))
        except (TypeError, ValueError):
            rating = 0
        if 1 <= rating <= 5:
            return {"survey_rating": rating}
        dispatcher.utter_message(response="utter_survey_rating_invalid")
        return {"survey_rating": None}

    async def extract_survey_comment(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Whatever the customer writes; "no" or the skip button leaves it empty."""
        if tracker.get_slot("requested_slot") != "survey_comment" or _holds_on(tracker):
            return {}
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        text = (message.get("text") or "").strip()
        if intent in ("deny", "stop") or not text or text.startswith("/"):
            return {"survey_comment": SKIP}
        return {"survey_comment": text[:MAX_COMMENT]}


class ActionSubmitSurvey(UsesServices, Action):
    """Store the rating with the ticket a person resolved, or as a rating of the bot's answer."""

    def name(self) -> Text:
        """The action's name in the domain."""
        return "action_submit_survey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Send the rating to the desk; a failure is logged, the customer still thanked."""
        comment = tracker.get_slot("survey_comment")
        rating = {
            "sender_id": tracker.sender_id,
            "ticket_number": tracker.get_slot("survey_ticket"),
            "rating": tracker.get_slot("survey_rating"),
            "comment": None if comment in (None, SKIP) else comment,
        }
        try:
            await self.services.desk.rate({k: v for k, v in rating.items() if v is not None})
        except DeskUnavailable as exc:
            logger.error("rating of conversation %s not stored: %s", tracker.sender_id, exc)
        dispatcher.utter_message(response="utter_survey_thanks")
        return [
            SlotSet("survey_rating", None),
            SlotSet("survey_comment", None),
            SlotSet("survey_due", None),
            SlotSet("survey_ticket", None),
        ]

"""The survey form reads a rating and a comment; a moment asked for is neither."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.survey import ValidateSurveyForm
from trackers import make_tracker, user_event


def asked(slot, text, intent="inform"):
    return make_tracker([user_event(text, intent)], slots={"requested_slot": slot}, active_loop="survey_form")


@pytest.mark.parametrize("text, intent, rating", [
    ("5", "inform", 5), ("별로였어요", "inform", 2), ("1분만요", "hold_on", None), ("잠시만요 생각해 볼게요", "hold_on", None),
])
async def test_the_rating_is_read_and_a_moment_is_no_rating(text, intent, rating):
    found = await ValidateSurveyForm().extract_survey_rating(CollectingDispatcher(), asked("survey_rating", text, intent),
                                                              {})
    assert found == ({"survey_rating": rating} if rating else {})


@pytest.mark.parametrize("text, intent, comment", [
    ("상담원분이 친절했어요", "inform", "상담원분이 친절했어요"), ("아니요", "deny", "-"), ("잠깐만요", "hold_on", None),
])
async def test_the_comment_is_kept_and_a_moment_is_no_comment(text, intent, comment):
    found = await ValidateSurveyForm().extract_survey_comment(CollectingDispatcher(),
                                                               asked("survey_comment", text, intent), {})
    assert found == ({"survey_comment": comment} if comment else {})

"""Whatever the customer typed, the ticket the action server sends is one the desk accepts.

NUL characters and unpaired surrogates (both possible in JSON), a 50,000-character
message and a conversation of 600 lines used to make the desk refuse the ticket
(422: not storable, line too long, too many lines), so the customer asking for a
person got "the desk is unavailable".
"""

from __future__ import annotations

import json

from actions.handoff import ticket_payload
from actions.transcript import transcript_from_tracker
from contract.requests import TicketCreate
from contract.vocabulary import MAX_LINE, MAX_LINES
from desk.payloads import problem_in
from trackers import bot_event, make_tracker, user_event


def _desk_accepts(payload: dict) -> None:
    sent = json.loads(json.dumps(payload))  # as aiohttp sends it
    assert problem_in(sent) is None
    TicketCreate.parse_obj(sent)


def test_nul_and_unpaired_surrogates_never_reach_the_desk(services):
    tracker = make_tracker([
        user_event("배달이\x00 늦어요", "delay", timestamp=1.0),
        bot_event("죄송해요\x00", timestamp=2.0),
        user_event("\ud800 사진 \udfff", "inform", timestamp=3.0),
        user_event("\x00", "nlu_fallback", timestamp=4.0),
    ])
    lines = [line["text"] for line in transcript_from_tracker(tracker)]
    assert lines == ["배달이 늦어요", "죄송해요", "\ufffd 사진 \ufffd", ""]
    payload = ticket_payload(services, tracker)
    _desk_accepts({**payload, "category": payload["category"] or "other"})


def test_a_huge_message_and_a_long_conversation_still_make_a_ticket(services):
    events = [user_event("가" * 50_000, "delay", timestamp=0.5)]
    events += [user_event(f"메시지 {i}", "inform", timestamp=float(i + 1)) for i in range(600)]
    lines = transcript_from_tracker(make_tracker(events))
    assert len(lines) == MAX_LINES and lines[-1]["text"] == "메시지 599", "the latest lines are kept"
    first = transcript_from_tracker(make_tracker(events[:1]))[0]["text"]
    assert first == "가" * MAX_LINE
    payload = ticket_payload(services, make_tracker(events))
    _desk_accepts({**payload, "category": payload["category"] or "other"})

"""The actions mask personal data before it leaves for the desk: transcript, summary, relayed messages."""

from __future__ import annotations

import json
import uuid

from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionCreateTicket, ticket_payload
from actions.relay import ActionRelayToAgent
from actions.transcript import transcript_from_tracker
from pii_samples import MESSAGE, assert_masked, leaks
from processes import http_json
from trackers import bot_event, make_tracker, user_event


def conversation(sender: str, timestamp: float = 1_700_000_100.0):
    events = [
        user_event(MESSAGE, "request_agent", timestamp=timestamp - 10),
        bot_event("상담원을 연결해 드릴게요.", timestamp=timestamp - 9),
        user_event("ORD-261122-0042 이에요", "inform", timestamp=timestamp),
    ]
    return make_tracker(events, slots={"order_number": "ORD-261122-0042"}, sender_id=sender)


def test_the_transcript_is_masked_and_keeps_the_order_number():
    lines = transcript_from_tracker(conversation("customer-pii"))
    text = json.dumps(lines, ensure_ascii=False)
    assert_masked(text)
    assert lines[-1]["text"] == "ORD-261122-0042 이에요"


def test_the_ticket_payload_is_masked(services):
    payload = ticket_payload(services, conversation("customer-pii"))
    assert_masked(payload["summary"])
    assert_masked(json.dumps(payload["transcript"], ensure_ascii=False))
    assert payload["order_number"] == "ORD-261122-0042"


async def test_ticket_and_relayed_message_reach_the_desk_masked(desk_server, services_with_desk):
    sender = f"pii-{uuid.uuid4().hex[:8]}"
    events = await ActionCreateTicket().run(CollectingDispatcher(), conversation(sender), {})
    number = events[0]["value"]

    later = make_tracker(
        [user_event(f"추가로요: {MESSAGE}", "inform", timestamp=1_700_000_200.0)],
        slots={"handoff_ticket": number},
        sender_id=sender,
    )
    await ActionRelayToAgent().run(CollectingDispatcher(), later, {})

    status, ticket = http_json(
        "GET", f"{desk_server['url']}/api/tickets/{number}", headers={"Authorization": f"Bearer {desk_server['token']}"}
    )
    assert status == 200
    texts = [line["text"] for line in ticket["transcript"]]
    assert any(text.startswith("추가로요: 제 번호 010-****-5678") for text in texts)
    assert_masked(json.dumps(ticket, ensure_ascii=False))
    assert leaks(ticket["summary"]) == []

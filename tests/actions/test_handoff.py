"""The handoff action against a real desk process."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from action_services import test_settings
from actions.desk_client import DeskClient
from actions.handoff import ActionCreateTicket, ticket_payload
from processes import http_json
from trackers import bot_event, make_tracker, user_event


def conversation(sender="customer-7", timestamp=1_700_000_100.0):
    events = [
        user_event("배달이 너무 늦어요", "delay", timestamp=timestamp - 10),
        bot_event("주문번호를 알려 주시겠어요?", timestamp=timestamp - 9),
        user_event("ORD-261122-0042", "inform", timestamp=timestamp),
    ]
    return make_tracker(
        events,
        slots={"problem_category": "delay", "order_number": "ORD-261122-0042"},
        sender_id=sender,
    )


def client_for(desk_server, tmp_path, url=None):
    return DeskClient(test_settings(tmp_path, url or desk_server["url"], desk_server["token"]))


def test_payload_carries_the_conversation(services):
    payload = ticket_payload(services, conversation())
    assert payload["category"] == "delay"
    assert payload["channel"] == "rest"
    assert payload["order_number"] == "ORD-261122-0042"
    assert [line["author"] for line in payload["transcript"]] == ["customer", "bot", "customer"]


async def test_ticket_is_created_and_its_number_told(desk_server, services_with_desk):
    dispatcher = CollectingDispatcher()
    events = await ActionCreateTicket().run(dispatcher, conversation(), {})

    number = events[0]["value"]
    assert dispatcher.messages[0]["response"] == "utter_ticket_created"
    assert dispatcher.messages[0]["ticket_number"] == number
    status, ticket = http_json(
        "GET", f"{desk_server['url']}/api/tickets/{number}", headers={"Authorization": f"Bearer {desk_server['token']}"}
    )
    assert status == 200
    assert ticket["category"] == "delay" and ticket["sender_id"] == "customer-7"


async def test_a_retried_action_makes_no_second_ticket(desk_server, services_with_desk):
    tracker = conversation(sender="customer-retry")
    first = await ActionCreateTicket().run(CollectingDispatcher(), tracker, {})
    second = await ActionCreateTicket().run(CollectingDispatcher(), tracker, {})
    assert first[0]["value"] == second[0]["value"]


@pytest.fixture
def outbox(services):
    return services.outbox


async def test_desk_down_keeps_the_ticket_and_creates_it_exactly_once_later(desk_server, services, outbox, tmp_path):
    dispatcher = CollectingDispatcher()
    tracker = conversation(sender="customer-outbox")
    events = await ActionCreateTicket(services).run(dispatcher, tracker, {})  # the services' desk is down
    assert dispatcher.messages[0]["response"] == "utter_ticket_queued"
    assert {"event": "slot", "name": "handoff_ticket", "value": "pending", "timestamp": None} in events
    assert len(await outbox.pending("customer-outbox")) == 1

    await outbox.append_line("customer-outbox", "아직이에요?", None)
    up = client_for(desk_server, tmp_path)
    [number] = await outbox.flush(up)
    assert await outbox.flush(up) == [], "a ticket is created exactly once"
    await up.close()

    headers = {"Authorization": f"Bearer {desk_server['token']}"}
    status, ticket = http_json("GET", f"{desk_server['url']}/api/tickets/{number}", headers=headers)
    assert status == 200 and ticket["sender_id"] == "customer-outbox"
    assert ticket["transcript"][-1]["text"] == "아직이에요?", "messages sent while waiting are not lost"
    _, pending = http_json("GET", f"{desk_server['url']}/api/deliveries/pending?sender_id=customer-outbox", headers=headers)
    assert any(number in d["text"] for d in pending["deliveries"]), "the customer is told the number"


async def test_a_ticket_the_desk_refuses_is_not_retried_forever(desk_server, outbox, tmp_path):
    await outbox.keep({"sender_id": "customer-bad", "category": "nonsense", "channel": "rest"}, "bad-key")
    client = client_for(desk_server, tmp_path)
    assert await outbox.flush(client) == []
    await client.close()
    assert await outbox.pending("customer-bad") == []


def test_tapped_buttons_read_as_the_titles_the_customer_saw():
    from actions.transcript import transcript_from_tracker

    refund = '/inform{"resolution": "refund"}'
    events = [
        bot_event("무엇을 도와드릴까요?", buttons=[{"title": "배달이 늦어요", "payload": "/delay"}]),
        user_event("/delay", "delay"),
        bot_event("어떻게 해 드릴까요?", buttons=[{"title": "계속 기다리기", "payload": '/inform{"resolution": "wait"}'},
                                              {"title": "환불 요청", "payload": refund}]),
        user_event(refund, "inform", entities=[{"entity": "resolution", "value": "refund"}]),
        user_event("/unknown_thing", "unknown_thing"),
        user_event("/stop", "stop"),
        user_event("그냥 글이에요", "inform"),
    ]
    lines = [line["text"] for line in transcript_from_tracker(make_tracker(events)) if not line["text"].endswith("?")]
    assert lines == ["[버튼] 배달이 늦어요", "[버튼] 환불 요청", "/unknown_thing", "/stop", "그냥 글이에요"], (
        "a payload no button offered (typed, or forged) stays as it was written"
    )


def test_other_problems_the_customer_named_reach_the_agent(services):
    tracker = conversation()
    tracker.slots["also_problems"] = ["quality", "payment"]
    payload = ticket_payload(services, tracker)
    assert "함께 말한 문제: 음식 품질, 결제" in payload["summary"]

"""An angry or repeating customer is handed over at once, the ticket flagged (actions/escalation.py), real desk."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import ActionEscalate
from processes import http_json
from trackers import bot_event, make_tracker, user_event


def angry(sender: str, escalation: str | None, active_loop: str | None = "problem_form"):
    latest = user_event("아 진짜 짜증나네 몇번째야 책임자 바꿔", "request_agent", timestamp=1_700_000_200.0)
    if escalation:
        latest["parse_data"]["escalation"] = escalation
    events = [
        user_event("배달이 한 시간째 안 와요", "delay", timestamp=1_700_000_100.0),
        bot_event("주문번호를 알려 주시겠어요?", timestamp=1_700_000_101.0),
        latest,
    ]
    return make_tracker(events, slots={"problem_category": "delay", "form_category": "delay",
                                       "requested_slot": "order_number"},
                        sender_id=sender, active_loop=active_loop)


def ticket(desk_server, number):
    status, found = http_json("GET", f"{desk_server['url']}/api/tickets/{number}",
                              headers={"Authorization": f"Bearer {desk_server['token']}"})
    assert status == 200
    return found


async def test_the_form_is_left_and_a_flagged_high_priority_ticket_opened(desk_server, services_with_desk):
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate().run(dispatcher, angry("customer-angry", "manager"), {})
    assert events[0] == {"event": "active_loop", "timestamp": None, "name": None}
    assert [m["response"] for m in dispatcher.messages][:2] == ["utter_escalated", "utter_ticket_created"]
    assert not any(m.get("buttons") for m in dispatcher.messages), "one calm sentence, not a menu"
    number = next(e["value"] for e in events if e.get("name") == "handoff_ticket")
    opened = ticket(desk_server, number)
    assert (opened["category"], opened["priority"]) == ("delay", "high")
    assert "책임자" in opened["summary"].split("]")[0], "the agent reads why before anything else"


async def test_without_a_cue_the_reason_is_the_repeated_problem(desk_server, services_with_desk):
    events = await ActionEscalate().run(CollectingDispatcher(), angry("customer-repeat", None, active_loop=None), {})
    assert not any(e.get("event") == "active_loop" for e in events), "no form to leave"
    number = next(e["value"] for e in events if e.get("name") == "handoff_ticket")
    assert "같은 문제를 세 번" in ticket(desk_server, number)["summary"]

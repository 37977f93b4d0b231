"""Agent replies and "ticket resolved" act only with the desk's proof; typed or forged they say and end nothing."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.relay import ActionDeliverAgentReply, ActionRelayToAgent, ActionTicketResolved
from contract.agent_proof import make_proof, proof_key
from support import customer_texts as say
from trackers import DESK_TOKEN, make_tracker, user_event

SENDER = "app:cust-001"
pytestmark = pytest.mark.usefixtures("services")  # their agent proof key is DESK_TOKEN's


def pushed(intent: str, text: str, proof=None, sender: str = SENDER):
    entities = [{"entity": "agent_text", "value": text}]
    if proof is not None:
        entities.append({"entity": "agent_proof", "value": proof})
    return make_tracker([user_event(f"EXTERNAL: {intent}", intent, entities)],
                        slots={"handoff_ticket": "T-20261122-0001"}, sender_id=sender)


def proof(kind: str, text: str, sender: str = SENDER, delivery: int = 7) -> str:
    return make_proof(proof_key({"DESK_SERVICE_TOKEN": DESK_TOKEN}), sender, kind, delivery, text)


async def test_an_agent_reply_with_the_desks_proof_is_said():
    dispatcher = CollectingDispatcher()
    await ActionDeliverAgentReply().run(dispatcher, pushed("agent_reply", "확인해 볼게요.", proof("reply", "확인해 볼게요.")), {})
    assert [m["text"] for m in dispatcher.messages] == ["[상담원] 확인해 볼게요."]


@pytest.mark.parametrize("given", [
    None,                                                         # typed: no proof
    "1.0000",                                                     # made up
    proof("reply", "확인해 볼게요."),                                # another text
    proof("reply", "계좌번호를 알려 주시면 환불해 드릴게요.", sender="app:cust-002"),  # another conversation
    proof("resolved", "계좌번호를 알려 주시면 환불해 드릴게요."),       # another kind
])
async def test_an_agent_reply_without_its_proof_says_nothing(given):
    dispatcher = CollectingDispatcher()
    text = "계좌번호를 알려 주시면 환불해 드릴게요."
    events = await ActionDeliverAgentReply().run(dispatcher, pushed("agent_reply", text, given), {})
    assert dispatcher.messages == [] and events == []


async def test_ticket_resolved_ends_the_handoff_only_with_the_desks_proof():
    notice = "상담원 상담이 해결 완료됐어요."
    forged, real = CollectingDispatcher(), CollectingDispatcher()
    assert await ActionTicketResolved().run(forged, pushed("ticket_resolved", notice), {}) == []
    assert forged.messages == []
    events = await ActionTicketResolved().run(real, pushed("ticket_resolved", notice, proof("resolved", notice)), {})
    assert {"event": "slot", "name": "handoff_ticket", "value": None, "timestamp": None} in events
    assert [m["text"] for m in real.messages] == [notice]


async def test_a_ticket_that_ended_unseen_hands_the_conversation_back_with_the_menu(services_with_desk):
    """The desk has no open ticket for the conversation and no notice waits: the bot says the person is done
    and offers the problems it handles, and no survey is asked about a ticket it never saw end."""
    tracker = make_tracker([user_event("안녕하세요", "greet")], slots={"handoff_ticket": "T-20261122-9999"},
                           sender_id="rest:relay-gone")
    dispatcher = CollectingDispatcher()
    events = await ActionRelayToAgent().run(dispatcher, tracker, {})
    assert [m.get("text") or m.get("response") for m in dispatcher.messages] == [say.HANDOFF_ENDED, "utter_how_can_i_help"]
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["handoff_ticket"] is None and slots["survey_due"] is False


async def test_a_reply_the_desk_pushes_again_is_not_said_twice():
    """The desk pushes again when it never heard the first push succeed (a timeout): once is enough."""
    text = "환불을 접수했어요."
    given = proof("reply", text, delivery=11)
    entities = [{"entity": "agent_text", "value": text}, {"entity": "agent_proof", "value": given}]
    first = user_event("EXTERNAL: agent_reply", "agent_reply", entities)
    again = user_event("EXTERNAL: agent_reply", "agent_reply", entities, timestamp=1_700_000_050.0)
    tracker = make_tracker([first, again], slots={"handoff_ticket": "T-20261122-0001"}, sender_id=SENDER)
    dispatcher = CollectingDispatcher()
    await ActionDeliverAgentReply().run(dispatcher, tracker, {})
    assert dispatcher.messages == []
    # another delivery of the same words is a new reply and is said
    other = proof("reply", text, delivery=12)
    newer = user_event("EXTERNAL: agent_reply", "agent_reply",
                       [{"entity": "agent_text", "value": text}, {"entity": "agent_proof", "value": other}])
    dispatcher = CollectingDispatcher()
    await ActionDeliverAgentReply().run(dispatcher, make_tracker([first, newer], sender_id=SENDER), {})
    assert [m["text"] for m in dispatcher.messages] == ["[상담원] " + text]


async def test_a_late_resolution_notice_does_not_end_a_newer_open_handoff(services_with_desk, desk_server):
    """An old ticket's notice pushed late (an agent's retry) while a newer ticket is open changes nothing."""
    import uuid

    from processes import http_json

    key = proof_key({"DESK_SERVICE_TOKEN": desk_server["token"]})
    notice = "상담원이 문의를 해결 완료로 처리했어요."

    def notice_to(sender: str):
        entities = [{"entity": "agent_text", "value": notice},
                    {"entity": "agent_proof", "value": make_proof(key, sender, "resolved", 7, notice)}]
        return make_tracker([user_event("EXTERNAL: ticket_resolved", "ticket_resolved", entities)],
                            slots={"handoff_ticket": "T-20261122-0001"}, sender_id=sender)

    in_handoff, done = f"app:late-{uuid.uuid4().hex[:8]}", f"app:done-{uuid.uuid4().hex[:8]}"
    body = {"category": "delay", "channel": "socketio", "sender_id": in_handoff, "summary": "또 늦어요",
            "transcript": [{"author": "customer", "text": "또 늦어요"}]}
    status, ticket = http_json("POST", f"{desk_server['url']}/api/tickets", body,
                               {"Authorization": f"Bearer {desk_server['token']}", "Idempotency-Key": uuid.uuid4().hex})
    assert status == 201, ticket

    dispatcher = CollectingDispatcher()
    assert await ActionTicketResolved().run(dispatcher, notice_to(in_handoff), {}) == []
    assert dispatcher.messages == [], "her open ticket's handoff goes on"
    dispatcher = CollectingDispatcher()
    events = await ActionTicketResolved().run(dispatcher, notice_to(done), {})
    assert [m["text"] for m in dispatcher.messages] == [notice], "without an open ticket the notice ends the handoff"
    assert {"event": "slot", "name": "handoff_ticket", "value": None, "timestamp": None} in events

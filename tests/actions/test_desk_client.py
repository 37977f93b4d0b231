"""The desk client speaks the contract: bodies checked before they leave, answers read into the contract's models."""

from __future__ import annotations

import pytest
from aiohttp import web

from action_services import test_settings
from actions.desk_client import DeskClient, DeskRejected, DeskUnavailable
from contract.responses import DeliveryList, TicketOut
from local_servers import stand_in

TICKET = {"category": "delay", "channel": "rest", "sender_id": "rest:contract-1", "summary": "배달이 늦어요",
          "transcript": [{"author": "customer", "text": "배달이 늦어요"}]}


@pytest.fixture
async def client(tmp_path):
    desk = DeskClient(test_settings(tmp_path))  # a desk that is down
    yield desk
    await desk.close()


@pytest.mark.parametrize("broken", [
    {"category": "late"},
    {"sender_id": "rest:../app:cust-001"},
    {"summary": "가" * 2001},
    {"transcript": [{"author": "agent?", "text": "hi"}]},
    {"surprise": True},
])
async def test_a_body_the_desk_would_refuse_is_refused_before_it_is_sent(client, broken):
    """The same 422 the desk answers, although the desk is down: nothing was sent."""
    with pytest.raises(DeskRejected) as refused:
        await client.create_ticket({**TICKET, **broken}, "key-1")
    assert refused.value.status == 422
    with pytest.raises(DeskUnavailable) as down:
        await client.create_ticket(TICKET, "key-1")
    assert not isinstance(down.value, DeskRejected), "a valid body goes out (and finds the desk down)"


async def test_a_rating_and_a_photo_address_are_checked_too(client):
    with pytest.raises(DeskRejected):
        await client.rate({"sender_id": "rest:a", "rating": 6})
    with pytest.raises(DeskRejected):
        await client.fetch_attachment("https://cdn.example/" + "a" * 2000)


async def test_an_answer_of_another_shape_counts_as_the_desk_failing(tmp_path):
    """A desk (or anything else on its port) answering a shape the contract does not know is not trusted."""
    async def odd(_request: web.Request) -> web.Response:
        return web.json_response({"number": 7, "status": "fine"}, status=201)

    async with stand_in([web.post("/api/tickets", odd)]) as url:
        client = DeskClient(test_settings(tmp_path, url))
        try:
            with pytest.raises(DeskUnavailable, match="unexpected shape"):
                await client.create_ticket(TICKET, "key-2")
        finally:
            await client.close()


async def test_the_real_desk_answers_in_the_contracts_models(tmp_path, desk_server):
    client = DeskClient(test_settings(tmp_path, desk_server["url"], desk_server["token"]))
    try:
        ticket = await client.create_ticket(TICKET, "key-contract-real")
        assert isinstance(ticket, TicketOut) and ticket.category == "delay"
        assert ticket.transcript[0].text == "배달이 늦어요"
        assert (await client.open_ticket_of("rest:contract-1")).number == ticket.number
        added = await client.append_message(ticket.number, "아직이에요", "key-contract-line")
        assert added.message.author == "customer" and added.ticket.number == ticket.number
        assert isinstance(await client.pending_deliveries("rest:contract-1"), DeliveryList)
    finally:
        await client.close()


async def test_the_longest_conversation_id_still_makes_one_ticket(tmp_path, desk_server):
    """A REST sender of the longest allowed id: the key of its handoff fits the desk and retries stay one ticket."""
    from contract.requests import idempotency_key
    from support.conversation_ids import MAX_LOCAL_ID

    sender = "rest:" + "s" * MAX_LOCAL_ID
    key = idempotency_key(sender, "1764586000.123456", "customer_requested_agent")
    client = DeskClient(test_settings(tmp_path, desk_server["url"], desk_server["token"]))
    try:
        first = await client.create_ticket({**TICKET, "sender_id": sender}, key)
        again = await client.create_ticket({**TICKET, "sender_id": sender}, key)
        assert first.number == again.number and first.sender_id.startswith("rest:")
        added = await client.append_message(first.number, "아직이에요", idempotency_key(sender, "1764586100.5"))
        assert added.ticket.number == first.number
    finally:
        await client.close()

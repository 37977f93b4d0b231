"""The desk client speaks the contract: bodies checked before they leave, answers read into the contract's models."""

from __future__ import annotations

import asyncio

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


class DroppingProxy:
    """A TCP proxy to the desk that closes the first ``drops`` connections as soon as a request arrives on them.

    That is what a client meets when the desk closes a pooled connection just as a request goes out on it.
    """

    def __init__(self, target: str, drops: int) -> None:
        host, port = target.split("//", 1)[1].split(":")
        self.target = (host, int(port))
        self.drops = drops
        self.requests = 0
        self._server = None

    async def __aenter__(self) -> str:
        from processes import free_port

        port = free_port()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        return f"http://127.0.0.1:{port}"

    async def __aexit__(self, *_exc) -> None:
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = await reader.read(65536)
        self.requests += 1
        if self.drops > 0:
            self.drops -= 1
            writer.close()
            return
        desk_reader, desk_writer = await asyncio.open_connection(*self.target)
        desk_writer.write(first)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, desk_writer), pipe(desk_reader, writer), return_exceptions=True)


async def test_a_connection_dropped_before_any_answer_is_tried_again_when_that_is_safe(tmp_path, desk_server):
    """The ticket (idempotent by its key) and a GET are tried once more; a rating, which has no key, is not."""
    async with DroppingProxy(desk_server["url"], drops=1) as url:
        client = DeskClient(test_settings(tmp_path, url, desk_server["token"]))
        try:
            ticket = await client.create_ticket({**TICKET, "sender_id": "rest:dropped-1"}, "key-dropped-1")
            assert ticket.sender_id == "rest:dropped-1"
        finally:
            await client.close()
    async with DroppingProxy(desk_server["url"], drops=1) as url:
        client = DeskClient(test_settings(tmp_path, url, desk_server["token"]))
        try:
            assert (await client.open_ticket_of("rest:dropped-1")).number == ticket.number
        finally:
            await client.close()
    proxy = DroppingProxy(desk_server["url"], drops=1)
    async with proxy as url:
        client = DeskClient(test_settings(tmp_path, url, desk_server["token"]))
        try:
            with pytest.raises(DeskUnavailable):
                await client.rate({"ticket_number": ticket.number, "rating": 5})
        finally:
            await client.close()
    assert proxy.requests == 1, "a request that is not safe to repeat is sent once"

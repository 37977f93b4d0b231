"""Failed pushes are tried again with back-off until Rasa is back, too old ones are given
up, and given-up rows never hold up the replies behind them."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select

from deskkit import TICKET, create_ticket
from desk.db import create_engine, create_sessionmaker
from desk.deliveries import service
from desk.deliveries.pusher import BATCH, push_once
from desk.deliveries.retry import RetryPolicy
from desk.models import Delivery, Ticket, utcnow
from local_servers import stand_in


class RasaStandIn:
    """Rasa's trigger_intent: down (503) for its first ``down`` calls, then up (for ``failing`` senders,
    down for good); records what it got."""

    def __init__(self, down: int = 0, failing: tuple = ()) -> None:
        self.down = down
        self.failing = failing
        self.calls = 0
        self.delivered = []

    async def trigger(self, request: web.Request) -> web.Response:
        self.calls += 1
        if self.calls <= self.down or request.match_info["sender"] in self.failing:
            return web.json_response({"error": "restarting"}, status=503)
        self.delivered.append((request.match_info["sender"], (await request.json())["entities"]["agent_text"]))
        return web.json_response({"tracker": {}})


@pytest.fixture
async def world(desk_app, auth, settings):
    """The desk's database with one socket.io ticket, and the pusher's view of the app."""
    ticket = await create_ticket(desk_app, auth, body={**TICKET, "channel": "socketio", "sender_id": "web:cust-1"})
    engine = create_engine(settings.database_url)
    async with aiohttp.ClientSession() as http:
        app = SimpleNamespace(ctx=SimpleNamespace(sessions=create_sessionmaker(engine), http=http, settings=settings))
        yield SimpleNamespace(app=app, number=ticket["number"])
    await engine.dispose()


async def _enqueue(world, *texts, age: timedelta = timedelta(0)):
    async with world.app.ctx.sessions() as session:
        ticket = await session.scalar(select(Ticket).where(Ticket.number == world.number))
        rows = [service.enqueue(session, ticket, text) for text in texts]
        for row in rows:
            row.created_at = utcnow() - age
        await session.commit()
        return [row.id for row in rows]


async def _rows(world):
    async with world.app.ctx.sessions() as session:
        return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())


def test_the_wait_doubles_up_to_the_cap_and_old_rows_are_given_up():
    policy = RetryPolicy(base=1, cap=60, max_age=3600)
    assert [policy.delay(n).total_seconds() for n in (1, 2, 3, 4, 7, 8, 50)] == [1, 2, 4, 8, 60, 60, 60]
    now = utcnow()
    assert not policy.gives_up(now - timedelta(seconds=3599), now) and policy.gives_up(now - timedelta(hours=1), now)


@pytest.mark.parametrize("env, message", [
    ({"DESK_DELIVERY_MAX_AGE_SECONDS": "abc"}, "number"),
    ({"DESK_DELIVERY_RETRY_CAP_SECONDS": "-1"}, "positive"),
    ({"DESK_DELIVERY_MAX_AGE_SECONDS": "inf"}, "positive"),
])
def test_bad_settings_are_refused_with_a_clear_message(env, message):
    with pytest.raises(ValueError, match=message):
        RetryPolicy.from_env(env)


async def test_replies_written_while_rasa_restarts_all_arrive_once(world):
    rasa = RasaStandIn(down=12)  # Rasa answers 503 for a while, as during a restart
    await _enqueue(world, "첫 번째 답변", "두 번째 답변")
    policy = RetryPolicy(base=0.02, cap=0.1, max_age=600)
    async with stand_in([web.post("/conversations/{sender}/trigger_intent", rasa.trigger)]) as url:
        for _ in range(200):  # bounded: stops by itself
            await push_once(world.app, url, "rasa-token", policy)
            if len(rasa.delivered) == 2:
                break
            await asyncio.sleep(0.02)
    assert [text for _, text in rasa.delivered] == ["첫 번째 답변", "두 번째 답변"], "in order, each once"
    rows = await _rows(world)
    assert all(row.delivered_at is not None and row.given_up_at is None for row in rows)
    assert rows[0].attempts > 1, "it took several tries"


async def test_a_failed_row_waits_before_its_next_try(world):
    rasa = RasaStandIn(down=1)
    await _enqueue(world, "답변")
    policy = RetryPolicy(base=30, cap=60, max_age=600)
    async with stand_in([web.post("/conversations/{sender}/trigger_intent", rasa.trigger)]) as url:
        await push_once(world.app, url, "rasa-token", policy)
        await push_once(world.app, url, "rasa-token", policy)
    assert rasa.calls == 1, "not tried again before its wait is over"
    [row] = await _rows(world)
    assert row.next_attempt_at > utcnow() + timedelta(seconds=25) and row.delivered_at is None


async def test_given_up_rows_never_hold_up_the_replies_behind_them(world):
    # more dead rows than one round takes, all too old to try again
    await _enqueue(world, *[f"오래된 답변 {n}" for n in range(BATCH + 10)], age=timedelta(days=2))
    policy = RetryPolicy(base=0.01, cap=0.01, max_age=3600)
    dead = RasaStandIn(down=10_000)
    async with stand_in([web.post("/conversations/{sender}/trigger_intent", dead.trigger)]) as url:
        for _ in range(5):
            await push_once(world.app, url, "rasa-token", policy)
            await asyncio.sleep(0.02)
    rows = await _rows(world)
    assert all(row.given_up_at is not None and row.delivered_at is None for row in rows), "given up, kept for agents"

    await _enqueue(world, "새 답변")
    rasa = RasaStandIn()
    async with stand_in([web.post("/conversations/{sender}/trigger_intent", rasa.trigger)]) as url:
        assert await push_once(world.app, url, "rasa-token", policy) == 1
    assert [text for _, text in rasa.delivered] == ["새 답변"], "the live reply goes out, the dead ones are not retried"


async def test_a_waiting_reply_holds_up_only_the_same_customers_later_replies(world, desk_app, auth):
    other = await create_ticket(desk_app, auth, key="ticket-2",
                                body={**TICKET, "channel": "socketio", "sender_id": "web:cust-2"})
    await _enqueue(world, "첫 답변", "둘째 답변")
    async with world.app.ctx.sessions() as session:
        ticket = await session.scalar(select(Ticket).where(Ticket.number == other["number"]))
        service.enqueue(session, ticket, "다른 고객 답변")
        await session.commit()
    rasa = RasaStandIn(failing=("web:cust-1",))
    policy = RetryPolicy(base=30, cap=60, max_age=600)
    async with stand_in([web.post("/conversations/{sender}/trigger_intent", rasa.trigger)]) as url:
        assert await push_once(world.app, url, "rasa-token", policy) == 1
    assert rasa.delivered == [("web:cust-2", "다른 고객 답변")], "the other customer is not held up"
    first, second, _ = await _rows(world)
    assert first.attempts == 1 and second.attempts == 0, "the second reply never overtakes the first"

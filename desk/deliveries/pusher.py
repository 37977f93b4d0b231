"""Push agent replies to customers on push channels through Rasa, as they are written.

For channels that can send at any time (socket.io, Messenger), a background task
polls the deliveries and asks Rasa to run the reply through the conversation:
``POST {RASA_URL}/conversations/{sender}/trigger_intent?output_channel=latest``
with the intent ``agent_reply`` (or ``ticket_resolved``), the text as an entity
and the desk's proof of it (:mod:`contract.agent_proof`), without which the
actions say nothing. The conversation id goes into the path encoded
(:func:`support.conversation_ids.path_segment`): a valid id is unchanged, and an
id such as ``x/../app:cust-001`` can never reach another conversation.
Request/response channels (REST, KakaoTalk) are not pushed: the action server
hands their replies out with the customer's next message.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

import aiohttp
from sanic import Sanic

from contract.agent_proof import PROOF_ENTITY, TEXT_ENTITY, make_proof, proof_key
from contract.vocabulary import DELIVERY_INTENTS, PUSH_CHANNELS, REPLY, RESOLVED
from desk.deliveries import service
from desk.deliveries.retry import RetryPolicy
from desk.models import Delivery
from support.conversation_ids import path_segment

logger = logging.getLogger(__name__)

BATCH = 50


async def push_once(app: Sanic, rasa_url: str, rasa_token: str, policy: Optional[RetryPolicy] = None) -> int:
    """Deliver every push-channel row that is due once; returns how many were delivered.

    A failed row waits before its next try (1, 2, 4 … s up to the policy's cap) and is given
    up when older than the policy's age; rows that wait or were given up are not picked, so
    they never hold up the replies behind them.
    """
    policy = policy or getattr(app.ctx, "retry_policy", None) or RetryPolicy()
    async with app.ctx.sessions() as session:
        rows = await service.due(session, BATCH, PUSH_CHANNELS)
    delivered = 0
    key = _key(app)
    for row in rows:
        ok = await _trigger(app.ctx.http, rasa_url, rasa_token, row, key)
        async with app.ctx.sessions() as session:
            if ok:
                await service.mark_delivered(session, row.id)
                delivered += 1
                continue
            failed = await service.mark_failed(session, row.id, policy)
        if failed is not None and failed.given_up_at is not None:
            logger.error("delivery %s given up after %d attempts: too old to try again", row.id, failed.attempts)
    return delivered


def _key(app: Sanic) -> bytes:
    key = proof_key({"DESK_SERVICE_TOKEN": app.ctx.settings.service_token})
    assert key is not None  # the desk does not start without a service token
    return key


def trigger_url(rasa_url: str, sender_id: str) -> str:
    """Rasa's ``trigger_intent`` URL for exactly the conversation ``sender_id`` (any unsafe character encoded)."""
    return f"{rasa_url}/conversations/{path_segment(sender_id)}/trigger_intent"


def trigger_body(row: Delivery, key: bytes) -> dict:
    """The intent, the text and the desk's proof of one delivery."""
    kind = RESOLVED if row.kind == RESOLVED else REPLY
    return {
        "name": DELIVERY_INTENTS[kind],
        "entities": {TEXT_ENTITY: row.text, PROOF_ENTITY: make_proof(key, row.sender_id, kind, row.id, row.text)},
    }


async def _trigger(http: aiohttp.ClientSession, rasa_url: str, token: str, row: Delivery, key: bytes) -> bool:
    url = trigger_url(rasa_url, row.sender_id)
    body = trigger_body(row, key)
    try:
        async with http.post(url, json=body, params={"output_channel": "latest", "token": token}) as response:
            if response.status == 200:
                logger.info("delivery %s pushed to %s conversation", row.id, row.channel)
                return True
            logger.warning("delivery %s: Rasa answered %s", row.id, response.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        logger.warning("delivery %s: Rasa unreachable: %r", row.id, exc)
    return False


async def run_pusher(app: Sanic, rasa_url: str, rasa_token: str, interval: float = 1.0) -> None:
    """Poll and push until cancelled; errors are logged and retried."""
    while True:
        try:
            await push_once(app, rasa_url, rasa_token)
        except asyncio.CancelledError:
            raise
        except Exception:  # keep the loop alive through database or network hiccups
            logger.exception("delivery pusher round failed")
        await asyncio.sleep(interval)


def start_pusher(app: Sanic, rasa_url: Optional[str], rasa_token: Optional[str]) -> Optional[asyncio.Task]:
    """Start the background task when Rasa's URL and token are configured."""
    if not rasa_url or not rasa_token:
        logger.info("RASA_URL/RASA_TOKEN not set: agent replies are not pushed")
        return None
    return asyncio.get_running_loop().create_task(run_pusher(app, rasa_url.rstrip("/"), rasa_token))

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
from contract.vocabulary import DELIVERY_INTENTS, DELIVERY_REFUSED_MARK, PUSH_CHANNELS, REPLY, RESOLVED
from desk.deliveries import service
from desk.deliveries.retry import RetryPolicy
from desk.models import Delivery
from support.conversation_ids import path_segment

logger = logging.getLogger(__name__)

BATCH = 50
PER_CUSTOMER = 20  # replies pushed to one customer in one round
CUSTOMERS_AT_ONCE = 8
# a push runs a whole Rasa turn and its channel's sends (Messenger: up to 3 tries of 10 s each);
# giving up earlier would push again a reply the customer already got
PUSH_TIMEOUT = 60.0


async def push_once(app: Sanic, rasa_url: str, rasa_token: str, policy: Optional[RetryPolicy] = None) -> int:
    """Deliver every push-channel row that is due once; returns how many were delivered.

    A failed row waits before its next try (1, 2, 4 … s up to the policy's cap) and is given
    up when older than the policy's age; rows that wait or were given up are not picked, so
    they never hold up the replies behind them.
    """
    policy = policy or getattr(app.ctx, "retry_policy", None) or RetryPolicy()
    async with app.ctx.sessions() as session:
        heads = await service.due(session, BATCH, PUSH_CHANNELS)
    key = _key(app)
    slots = asyncio.Semaphore(CUSTOMERS_AT_ONCE)

    async def customer(head: Delivery) -> int:
        """This customer's replies one after another, in order, until one has to wait."""
        delivered = 0
        row: Optional[Delivery] = head
        async with slots:
            for _ in range(PER_CUSTOMER):
                if row is None:
                    break
                outcome = await _push(app, rasa_url, rasa_token, row, key, policy)
                if outcome == WAITING:
                    break
                delivered += outcome == DELIVERED
                async with app.ctx.sessions() as session:
                    following = await service.due(session, 1, PUSH_CHANNELS, sender_id=row.sender_id)
                row = following[0] if following else None
        return delivered

    # customers side by side (bounded), so a slow channel for one does not hold up the others
    return sum(await asyncio.gather(*(customer(head) for head in heads)))


async def _push(app: Sanic, rasa_url: str, rasa_token: str, row: Delivery, key: bytes, policy: RetryPolicy) -> str:
    """Push one row and record the outcome: :data:`DELIVERED`, :data:`WAITING` (tried again
    later) or :data:`GIVEN_UP`."""
    outcome = await _trigger(app.ctx.http, rasa_url, rasa_token, row, key)
    async with app.ctx.sessions() as session:
        if outcome == DELIVERED:
            await service.mark_delivered(session, row.id)
            return DELIVERED
        failed = await service.mark_failed(session, row.id, policy, give_up=outcome == REFUSED)
    if failed is None or failed.given_up_at is None:
        return WAITING
    why = "the channel refused it" if outcome == REFUSED else "too old to try again"
    logger.error("delivery %s given up after %d attempts: %s", row.id, failed.attempts, why)
    return GIVEN_UP


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


DELIVERED, RETRY, REFUSED = "delivered", "retry", "refused"
WAITING, GIVEN_UP = "waiting", "given up"


async def _trigger(http: aiohttp.ClientSession, rasa_url: str, token: str, row: Delivery, key: bytes) -> str:
    """Push one row: :data:`DELIVERED`, :data:`RETRY` (Rasa or the channel failed for now) or
    :data:`REFUSED` (the channel will never take it: Rasa's error names :data:`DELIVERY_REFUSED_MARK`)."""
    url = trigger_url(rasa_url, row.sender_id)
    body = trigger_body(row, key)
    try:
        async with http.post(url, json=body, params={"output_channel": "latest", "token": token},
                             timeout=aiohttp.ClientTimeout(total=PUSH_TIMEOUT)) as response:
            if response.status == 200:
                logger.info("delivery %s pushed to %s conversation", row.id, row.channel)
                return DELIVERED
            text = await response.text(errors="replace")
            refused = DELIVERY_REFUSED_MARK in text
            logger.warning("delivery %s: Rasa answered %s%s", row.id, response.status,
                           " (the channel refused the message)" if refused else "")
            return REFUSED if refused else RETRY
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        logger.warning("delivery %s: Rasa unreachable: %r", row.id, exc)
    return RETRY


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

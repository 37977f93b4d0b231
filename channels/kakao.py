"""KakaoTalk channel: a 카카오 i 오픈빌더 skill server as a Rasa input channel.

Routes (under Rasa's ``/webhooks/kakao``):

* ``POST /webhooks/kakao/webhook`` – one skill request (version 2.0) per customer
  message; the answer is a skill response (version 2.0).
* ``GET /webhooks/kakao/`` – health.

Kakao waits 5 seconds for an answer. A turn that takes longer than
``callback_after_seconds`` (3.5) is answered at once with ``useCallback`` when the
request carries a ``callbackUrl`` (the block has callbacks on), and the real
answer is POSTed to that URL when it is ready. Without a callback URL the channel
waits ``reply_timeout_seconds`` (4.5), then says it is late; that turn's answer
is shown first in the customer's next answer. A request is never handed to Rasa
twice: the turn keeps running when the HTTP answer goes out early, and a
callback URL seen before is not processed again.

Only Kakao may call the webhook: every request must carry the shared secret the
skill was registered with (header ``X-Skill-Secret``, value ``KAKAO_SKILL_SECRET``);
without it, or when no secret is configured, the answer is 403. A callback URL is
used only on Kakao's callback host (``callback_hosts``, https on port 443), so a
forged request cannot make the bot POST to other hosts. The conversation of a
Kakao user is ``kakao:<user id>`` (:mod:`support.conversation_ids`).

Configured in ``credentials.yml`` under ``channels.kakao.KakaoInput``;
see docs/channels-kakao.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import time
from dataclasses import dataclass
from functools import partial
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Set
from urllib.parse import urlsplit

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.customer_input import TOO_LONG_TEXT, CustomerInput
from channels.shared_memory import shared_map
from channels.kakao_response import build_answer, callback_ack, text_response
from channels.kakao_skill import SkillRequest, SkillRequestError, parse_skill_request
from support import conversation_ids
from support import customer_texts as say
from support.channel_identity import ChannelIdentity

logger = logging.getLogger(__name__)

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# where Kakao's callback URLs point (https://bot-api.kakao.com/v1/bots/<bot id>/callback/<token>)
DEFAULT_CALLBACK_HOSTS = ("bot-api.kakao.com",)
KNOWN_KEYS = {
    "callback_hosts",
    "skill_secret",
    "skill_secret_env",
    "secret_header",
    "callback_after_seconds",
    "reply_timeout_seconds",
    "callback_timeout_seconds",
    "allow_insecure_callback",
    "quick_reply_ttl_seconds",
    "callback_lifetime_seconds",
}

_dumps = partial(json.dumps, ensure_ascii=False)
# a callback URL works once and for one minute after the request (Kakao's callback guide);
# the answer must be posted a little before that
CALLBACK_LIFETIME = 60.0
CALLBACK_MARGIN = 5.0
CALLBACK_ACCEPTED = "accepted"
# requests Kakao sends well-formed but without words the bot can take: answered with a text, not a 400
ANSWERED_IN_CHAT = {"empty_utterance": say.NOTHING_TO_READ, "utterance_too_long": TOO_LONG_TEXT}


@dataclass(frozen=True)
class KakaoConfig:
    """The channel's settings (keys of its ``credentials.yml`` block).

    Attributes:
        skill_secret: requests must carry it in ``secret_header`` (else 403); None: every request is refused.
        secret_header: the header the skill's shared secret travels in.
        callback_after: seconds a turn may take before a request with a callback URL is
            answered with ``useCallback``.
        reply_timeout: seconds a turn may take when there is no callback URL.
        callback_timeout: seconds the POST to a callback URL may take.
        callback_lifetime: seconds a callback URL works after the request (Kakao: one minute).
        allow_insecure_callback: accept ``http://`` callback URLs on this machine (tests only).
        quick_reply_ttl: seconds a customer's last quick replies are remembered.
        callback_hosts: the hosts a callback URL may point at (https, port 443).
    """

    skill_secret: Optional[str] = None
    secret_header: str = "X-Skill-Secret"
    callback_after: float = 3.5
    reply_timeout: float = 4.5
    callback_timeout: float = 10.0
    callback_lifetime: float = CALLBACK_LIFETIME
    allow_insecure_callback: bool = False
    quick_reply_ttl: float = 600.0
    callback_hosts: tuple = DEFAULT_CALLBACK_HOSTS

    @classmethod
    def from_credentials(
        cls, credentials: Optional[Mapping[str, Any]], environ: Mapping[str, str] = os.environ
    ) -> "KakaoConfig":
        """Read the block; the secret comes from ``skill_secret`` or the variable ``skill_secret_env`` names.

        A secret that is empty or still reads ``${…}`` (an unexpanded placeholder) counts as not set.

        Raises:
            ValueError: a value of the wrong type or out of range.
        """
        values = dict(credentials or {})
        unknown = sorted(set(values) - KNOWN_KEYS)
        if unknown:
            logger.warning("kakao.config unknown keys ignored: %s", ", ".join(unknown))
        secret = _secret(values.get("skill_secret"))
        env_name = values.get("skill_secret_env")
        if secret is None and env_name:
            secret = _secret(environ.get(str(env_name)))
        config = cls(
            skill_secret=secret,
            secret_header=str(values.get("secret_header") or cls.secret_header),
            callback_after=_seconds(values, "callback_after_seconds", cls.callback_after),
            reply_timeout=_seconds(values, "reply_timeout_seconds", cls.reply_timeout),
            callback_timeout=_seconds(values, "callback_timeout_seconds", cls.callback_timeout),
            callback_lifetime=_seconds(values, "callback_lifetime_seconds", cls.callback_lifetime),
            allow_insecure_callback=_flag(values.get("allow_insecure_callback", False)),
            quick_reply_ttl=_seconds(values, "quick_reply_ttl_seconds", cls.quick_reply_ttl),
            callback_hosts=_hosts(values.get("callback_hosts", DEFAULT_CALLBACK_HOSTS)),
        )
        if config.reply_timeout >= 5 or config.callback_after >= 5:
            raise ValueError("kakao: reply_timeout_seconds and callback_after_seconds must stay below Kakao's 5 s")
        return config


def _secret(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    return None if not text or text.startswith("${") else text


def _seconds(values: Mapping[str, Any], key: str, default: float) -> float:
    value = values.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"kakao: {key} must be a number of seconds")
    try:
        seconds = float(value)
    except ValueError as exc:
        raise ValueError(f"kakao: {key} must be a number of seconds") from exc
    if not 0 < seconds <= 3600:
        raise ValueError(f"kakao: {key} must be between 0 and 3600 seconds")
    return seconds


def _hosts(value: Any) -> tuple:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
        raise ValueError("kakao: callback_hosts must be a list of host names")
    hosts = tuple(item.strip().lower() for item in items if item.strip())
    if not hosts:
        raise ValueError("kakao: callback_hosts must name at least one host")
    return hosts


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0", ""):
        return value.strip().lower() in ("true", "yes", "1")
    raise ValueError("kakao: allow_insecure_callback must be true or false")


def usable_callback_url(
    url: Optional[str], allow_insecure: bool, hosts: tuple = DEFAULT_CALLBACK_HOSTS
) -> Optional[str]:
    """``url`` if answers may be POSTed there: https on port 443 of one of ``hosts``
    (or http on this machine when ``allow_insecure``, for tests)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if not host or parts.username or parts.password:
        return None
    if parts.scheme == "https" and host in hosts and port in (None, 443):
        return url
    if parts.scheme == "http" and allow_insecure and host in LOCAL_HOSTS:
        return url
    return None


async def post_callback(url: str, body: Dict[str, Any], timeout: float) -> str:
    """POST ``body`` to a callback URL; :data:`CALLBACK_ACCEPTED`, or why it was not.

    Kakao answers a callback with HTTP 200 and a JSON status (``{"taskId": …, "status":
    "SUCCESS" | "FAIL" | "ERROR", "message": …}``); only ``SUCCESS`` (or a 2xx without a
    status) means the customer got the answer.
    """
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http:
            async with http.post(url, data=_dumps(body), headers={"Content-Type": "application/json"}) as reply:
                text = await reply.text(errors="replace")
                if not 200 <= reply.status < 300:
                    return f"refused with HTTP {reply.status}"
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return f"failed ({type(error).__name__})"
    try:
        answer = json.loads(text) if text.strip() else {}
    except ValueError:
        answer = {}
    status = answer.get("status") if isinstance(answer, dict) else None
    if status is None or str(status).upper() == "SUCCESS":
        return CALLBACK_ACCEPTED
    return f"refused with status {str(status)[:20]}"


def _who(sender_id: str) -> str:
    """A short, stable pseudonym of a sender for the logs."""
    return hashlib.sha256(sender_id.encode()).hexdigest()[:12]


class KakaoInput(InputChannel):
    """The KakaoTalk channel (카카오 i 오픈빌더 skill server)."""

    @classmethod
    def name(cls) -> str:
        """The channel's name: the URL prefix and the ``input_channel`` of its messages."""
        return "kakao"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> "KakaoInput":
        """The channel configured by its ``credentials.yml`` block."""
        return cls(KakaoConfig.from_credentials(credentials))

    def __init__(self, config: Optional[KakaoConfig] = None) -> None:
        self.config = config or KakaoConfig()
        # sender → {text the customer may send back: payload for Rasa} of the last answer
        # (each map is shared over Redis when CHANNEL_REDIS_URL is set: channels/shared_memory.py)
        self.reply_maps = shared_map("kakao:replies", self.config.quick_reply_ttl)
        # sender → bot messages of a turn that finished after its request was answered
        self.late_messages = shared_map("kakao:late", self.config.quick_reply_ttl)
        # callback URL → its final answer, or {} while the turn runs
        self.callbacks = shared_map("kakao:callbacks", 300)
        self._background: Set["asyncio.Task[Any]"] = set()
        self.customer_input = CustomerInput()
        if not self.config.skill_secret:
            logger.error("kakao channel: no skill secret is configured (KAKAO_SKILL_SECRET): every request is refused")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The health and webhook routes."""
        kakao_webhook = Blueprint("kakao_webhook", __name__)

        @kakao_webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @kakao_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return kakao_webhook

    async def handle(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        """Answer one skill request."""
        if not self.config.skill_secret:
            logger.error("kakao.request refused: no skill secret is configured (KAKAO_SKILL_SECRET)")
            return response.json(
                {"error": "forbidden", "message": "The skill secret is not configured on this server."}, 403
            )
        if not self._authorized(request):
            logger.warning("kakao.request refused: missing or wrong %s header", self.config.secret_header)
            return response.json({"error": "forbidden", "message": "The skill secret is missing or wrong."}, 403)
        try:
            skill = parse_skill_request(request.body or b"")
        except SkillRequestError as error:
            if error.code in ANSWERED_IN_CHAT:
                # a well-formed request whose words the bot cannot take: the customer hears why,
                # instead of Kakao's error bubble for a 4xx
                logger.info("kakao.request answered without a turn: %s", error.code)
                return self._json(text_response(ANSWERED_IN_CHAT[error.code]))
            logger.warning("kakao.request rejected: %s (%d bytes)", error.code, len(request.body or b""))
            status = 413 if error.code == "too_large" else 400
            return response.json({"error": error.code, "message": str(error)}, status)

        who = _who(skill.user_id)
        callback_url = usable_callback_url(
            skill.callback_url, self.config.allow_insecure_callback, self.config.callback_hosts
        )
        if skill.callback_url and not callback_url:
            logger.warning("kakao.request sender=%s callback URL not allowed, answering directly", who)
        if callback_url and skill.from_bot_test:
            # Kakao refuses the callback tokens of its bot test panel ("Invalid callback token for testing purposes")
            logger.info("kakao.request sender=%s from the bot test panel: its callback URL is not used", who)
            callback_url = None
        if callback_url:
            if not await self.callbacks.add(callback_url, {}):
                seen = await self.callbacks.get(callback_url)
                logger.warning("kakao.request sender=%s repeated request for one callback URL, not processed", who)
                return self._json(seen or callback_ack(say.STILL_WORKING))

        text = await self._text_for_rasa(skill)
        started = time.monotonic()
        turn = asyncio.ensure_future(self._run_turn(on_new_message, skill, text))
        wait = self.config.callback_after if callback_url else self.config.reply_timeout
        try:
            messages = await asyncio.wait_for(asyncio.shield(turn), wait)
        except asyncio.TimeoutError:
            if callback_url:
                logger.info("kakao.turn sender=%s slow, answering through the callback URL", who)
                self._spawn(self._answer_by_callback(turn, skill.user_id, callback_url, started))
                return self._json(callback_ack(say.STILL_WORKING))
            logger.warning("kakao.turn sender=%s slow and no callback URL: the answer follows the next message", who)
            self._spawn(self._keep_late_answer(turn, skill.user_id))
            return self._json(text_response(say.RUNNING_LATE))
        except asyncio.CancelledError:
            # the HTTP request went away; the turn goes on and its answer is kept
            self._spawn(self._keep_late_answer(turn, skill.user_id))
            raise

        body = await self._answer(skill.user_id, messages)
        if callback_url:
            await self.callbacks.set(callback_url, body)
        logger.info(
            "kakao.turn sender=%s chars=%d images=%d answered in %d ms",
            who, len(skill.utterance), len(skill.image_urls), (time.monotonic() - started) * 1000,
        )
        return self._json(body)

    def _authorized(self, request: Request) -> bool:
        secret = self.config.skill_secret
        if not secret:
            return False
        given = request.headers.get(self.config.secret_header) or ""
        return hmac.compare_digest(given.encode(), secret.encode())

    async def _text_for_rasa(self, skill: SkillRequest) -> str:
        """The payload of the tapped quick reply (its ``extra``, sent back as ``action.clientExtra``),
        else the payload of a quick reply whose title the utterance repeats, else the utterance.

        Either payload is still gated like any text (:mod:`channels.customer_input`): only the
        bot's own button payloads reach Rasa as intents.
        """
        if skill.button_payload is not None:
            logger.debug("kakao.request sender=%s quick reply with its payload in clientExtra", _who(skill.user_id))
            return skill.button_payload
        offered = await self.reply_maps.get(skill.user_id) or {}
        payload = offered.get(skill.utterance)
        if payload is not None:
            logger.debug("kakao.request sender=%s quick reply mapped to its payload", _who(skill.user_id))
            return payload
        return skill.utterance

    async def _run_turn(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], skill: SkillRequest, text: str
    ) -> List[Dict[str, Any]]:
        """Hand the message to Rasa; the bot's messages, or an apology when Rasa failed."""
        collector = CollectingOutputChannel()
        conversation = conversation_ids.platform_conversation(conversation_ids.KAKAO, skill.user_id)
        # Kakao calls from its own servers and vouches for the user id: count per conversation
        identity = ChannelIdentity(conversation=conversation, channel=self.name(), customer=None, client=conversation)
        message = self.customer_input.message(text, collector, identity, metadata=skill.metadata())
        try:
            await on_new_message(message)
        except Exception:  # noqa: BLE001 - the customer gets an apology, never a 500
            logger.exception("kakao.turn sender=%s failed in Rasa", _who(skill.user_id))
            return [{"text": say.TRY_AGAIN_LATER}]
        return collector.messages

    async def _answer(
        self, sender_id: str, messages: List[Dict[str, Any]], earlier: Optional[List[Dict[str, Any]]] = None
    ) -> Dict[str, Any]:
        """The skill response for a turn, with any late answer first (``earlier``, else the ones
        kept for this sender); remembers its quick replies."""
        if earlier is None:
            earlier = await self.late_messages.pop_list(sender_id)
        if not messages and not earlier:
            logger.warning("kakao.turn sender=%s the bot said nothing (is the model loaded?)", _who(sender_id))
        answer = build_answer(messages, earlier)
        if answer.reply_map:
            await self.reply_maps.set(sender_id, answer.reply_map)
        else:
            await self.reply_maps.pop(sender_id)
        return answer.body

    async def _answer_by_callback(
        self, turn: "asyncio.Future[List[Dict[str, Any]]]", sender_id: str, url: str, started: float
    ) -> None:
        """POST the turn's answer to the callback URL while it still works (once, within its
        lifetime); an answer that is too late for it, or that Kakao refused, is kept and shown
        first in the customer's next answer."""
        who = _who(sender_id)
        margin = min(CALLBACK_MARGIN, self.config.callback_lifetime / 10)
        left = self.config.callback_lifetime - margin - (time.monotonic() - started)
        try:
            messages = await asyncio.wait_for(asyncio.shield(turn), max(left, 0.0))
        except asyncio.TimeoutError:
            logger.warning("kakao.callback sender=%s turn outlived the callback URL: answer kept for the next message", who)
            await self._keep_late_answer(turn, sender_id)
            return
        earlier = await self.late_messages.pop_list(sender_id)
        body = await self._answer(sender_id, messages, earlier)
        await self.callbacks.set(url, body)
        left = self.config.callback_lifetime - (time.monotonic() - started)
        outcome = await post_callback(url, body, min(self.config.callback_timeout, max(left, 0.1)))
        elapsed = (time.monotonic() - started) * 1000
        if outcome == CALLBACK_ACCEPTED:
            logger.info("kakao.callback sender=%s accepted after %d ms", who, elapsed)
            return
        logger.warning("kakao.callback sender=%s %s after %d ms: answer kept for the next message", who, outcome, elapsed)
        await self.late_messages.append(sender_id, list(earlier) + list(messages))

    async def _keep_late_answer(self, turn: "asyncio.Future[List[Dict[str, Any]]]", sender_id: str) -> None:
        messages = await turn
        await self.late_messages.append(sender_id, list(messages))
        logger.info("kakao.turn sender=%s late answer kept for the next message", _who(sender_id))

    async def drain(self) -> None:
        """Wait until every answer still on its way (through a callback, or kept for the next message) is out."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    @staticmethod
    def _json(body: Dict[str, Any], status: int = 200) -> HTTPResponse:
        return response.json(body, status=status, dumps=_dumps)

"""KakaoTalk's bot event API: the documented way a bot writes to a user first.

``POST {api}/v2/bots/{bot id}/talk`` with ``Authorization: KakaoAK {REST API key}``
and ``{"event": {"name", "data"}, "user": [{"type": "botUserKey", "id"}]}`` runs the
block registered for the event name in the Open Builder for that user; the block
shows ``{{#current.event.data.text}}``. Kakao answers ``{"taskId", "status":
"SUCCESS" | "FAIL", "message"?, "timestamp"}``: only ``SUCCESS`` means the task was
accepted; another status is Kakao's refusal and is not tried again. See docs/desk.md.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Mapping, Optional
from urllib.parse import quote

import aiohttp

from desk.notify.failures import NotificationNotSent

DEFAULT_API = "https://bot-api.kakao.com"
DEFAULT_EVENT = "agent_reply"
MAX_EVENT_TEXT = 400


class KakaoConfigError(ValueError):
    """A KakaoTalk event setting is malformed."""


@dataclass(frozen=True)
class KakaoEventSettings:
    """The bot and key of the event API (``DESK_KAKAO_BOT_ID``, ``DESK_KAKAO_REST_API_KEY``,
    ``DESK_KAKAO_EVENT_NAME``, ``DESK_KAKAO_API_URL``)."""

    bot_id: str
    rest_api_key: str
    event_name: str = DEFAULT_EVENT
    api_url: str = DEFAULT_API
    timeout: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Optional["KakaoEventSettings"]:
        """The settings, or None when ``DESK_KAKAO_BOT_ID`` is not set (KakaoTalk events are off).

        Raises:
            KakaoConfigError: a bot id without a key, a malformed bot id, event name or URL.
        """
        bot_id = (env.get("DESK_KAKAO_BOT_ID") or "").strip()
        if not bot_id:
            return None
        key = (env.get("DESK_KAKAO_REST_API_KEY") or "").strip()
        if not key:
            raise KakaoConfigError("DESK_KAKAO_BOT_ID is set but DESK_KAKAO_REST_API_KEY is not")
        if not all(c.isalnum() for c in bot_id.rstrip("!")) or len(bot_id) > 64:
            raise KakaoConfigError("DESK_KAKAO_BOT_ID must be the bot's id (letters and digits, '!' for a dev channel)")
        event = (env.get("DESK_KAKAO_EVENT_NAME") or DEFAULT_EVENT).strip()
        if not event or len(event) > 64 or any(c.isspace() for c in event):
            raise KakaoConfigError("DESK_KAKAO_EVENT_NAME must be the event name of the block, without spaces")
        api = (env.get("DESK_KAKAO_API_URL") or DEFAULT_API).strip().rstrip("/")
        if not api.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise KakaoConfigError("DESK_KAKAO_API_URL must be https (or http on this machine, for tests)")
        return cls(bot_id=bot_id, rest_api_key=key, event_name=event, api_url=api)


async def send_event(http: aiohttp.ClientSession, settings: KakaoEventSettings, user_id: str, text: str) -> None:
    """Run the event's block for the KakaoTalk user ``user_id`` (a botUserKey), showing ``text``.

    Raises:
        NotificationNotSent: Kakao did not accept it (``permanent`` for a refusal of the request itself).
    """
    url = f"{settings.api_url}/v2/bots/{quote(settings.bot_id, safe='!')}/talk"
    body = {
        "event": {"name": settings.event_name, "data": {"text": text[:MAX_EVENT_TEXT]}},
        "user": [{"type": "botUserKey", "id": user_id}],
    }
    headers = {"Authorization": f"KakaoAK {settings.rest_api_key}", "Content-Type": "application/json"}
    try:
        async with http.post(url, data=json.dumps(body, ensure_ascii=False), headers=headers,
                             timeout=aiohttp.ClientTimeout(total=settings.timeout)) as response:
            text_answer = await response.text(errors="replace")
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise NotificationNotSent(f"Kakao could not be reached ({type(exc).__name__})") from exc
    if status >= 500 or status == 429:
        raise NotificationNotSent(f"Kakao answered HTTP {status}")
    if status >= 400:
        raise NotificationNotSent(f"Kakao refused the event (HTTP {status})", permanent=True)
    try:
        answer = json.loads(text_answer)
    except ValueError as exc:
        raise NotificationNotSent("Kakao's answer is not JSON") from exc
    task_status = answer.get("status") if isinstance(answer, dict) else None
    if task_status != "SUCCESS":
        # Kakao answered and refused this event (e.g. a user who blocked the channel): sending it again
        # would only be refused again
        raise NotificationNotSent(f"Kakao did not accept the event (status {str(task_status)[:20]})", permanent=True)

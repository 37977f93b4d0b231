"""A KakaoTalk customer who left hears that a reply waits, through Kakao's bot event API:
a local stand-in of its documented request and answer (POST /v2/bots/{bot id}/talk,
``{"taskId", "status"}``)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, Dict, List

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select

from deskkit import TICKET, create_ticket, sign_in
from desk.app import create_app
from desk.db import create_engine, create_sessionmaker
from desk.deliveries.retry import RetryPolicy
from desk.models import Notification
from desk.notify.kakao_events import KakaoConfigError, KakaoEventSettings
from desk.notify.notifier import Notifiers, send_once
from local_servers import stand_in

USER = "f0" + "a1b2c3d4" * 8  # a botUserKey's shape
BOT = "6571a1f8e4b0a9b8c7d6e5f4"
KEY = "test-rest-api-key"


class KakaoStandIn:
    """Kakao's event API on 127.0.0.1: records each call, answers as scripted (then SUCCESS)."""

    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.answers: List[tuple] = []

    async def talk(self, request: web.Request) -> web.Response:
        self.calls.append({"bot": request.match_info["bot"], "auth": request.headers.get("Authorization"),
                           "body": await request.json()})
        status, answer = self.answers.pop(0) if self.answers else (200, {"status": "SUCCESS"})
        return web.json_response({"taskId": f"task-{len(self.calls)}", "timestamp": 1, **answer}, status=status)


@pytest.fixture
async def kakao():
    api = KakaoStandIn()
    async with stand_in([web.post("/v2/bots/{bot}/talk", api.talk)]) as url:
        api.settings = KakaoEventSettings(bot_id=BOT, rest_api_key=KEY, api_url=url, timeout=5)
        yield api


@pytest.fixture
async def world(settings, tmp_path, kakao, auth, agent):
    app = create_app(replace(settings, kakao_events=kakao.settings), name=f"kakao_{tmp_path.name}")
    ticket = await create_ticket(app, auth, body={**TICKET, "channel": "kakao", "sender_id": f"kakao:{USER}"})
    engine = create_engine(settings.database_url)
    async with aiohttp.ClientSession() as http:
        view = SimpleNamespace(ctx=SimpleNamespace(sessions=create_sessionmaker(engine),
                                                   retry_policy=RetryPolicy(base=0.01, cap=0.01)))
        yield SimpleNamespace(app=app, number=ticket["number"], view=view,
                              senders=Notifiers(kakao=kakao.settings).senders(http), agent=await sign_in(app))
    await engine.dispose()


async def _rows(world):
    async with world.view.ctx.sessions() as session:
        return list((await session.scalars(select(Notification).order_by(Notification.id))).all())


async def test_a_reply_to_a_kakaotalk_customer_sends_the_documented_event(world, kakao):
    _, replied = await world.app.asgi_client.post(
        f"/api/tickets/{world.number}/reply", json={"text": "환불 처리했어요"}, headers=world.agent
    )
    assert replied.status == 201
    await send_once(world.view, world.senders)
    [call] = kakao.calls
    assert call["bot"] == BOT and call["auth"] == f"KakaoAK {KEY}"
    assert call["body"]["event"]["name"] == "agent_reply"
    assert world.number in call["body"]["event"]["data"]["text"]
    assert "환불 처리했어요" not in call["body"]["event"]["data"]["text"], "the reply itself comes in the chat"
    assert call["body"]["user"] == [{"type": "botUserKey", "id": USER}]
    [row] = await _rows(world)
    assert row.sent_at is not None and row.channel == "kakao"


async def test_an_event_kakao_could_not_take_now_is_sent_again_and_a_refused_one_given_up(world, kakao):
    kakao.answers = [(503, {}), (429, {})]
    await world.app.asgi_client.post(f"/api/tickets/{world.number}/reply", json={"text": "확인 중이에요"},
                                     headers=world.agent)
    for _ in range(3):
        await send_once(world.view, world.senders)
        await asyncio.sleep(0.02)
    [row] = await _rows(world)
    assert len(kakao.calls) == 3 and row.sent_at is not None and row.attempts == 3

    # Kakao answers and refuses (a user who blocked the channel, a bad request): not sent again
    for answer in ((200, {"status": "FAIL", "message": "blocked"}), (400, {"status": "FAIL"})):
        kakao.answers = [answer]
        calls = len(kakao.calls)
        await world.app.asgi_client.post(f"/api/tickets/{world.number}/reply", json={"text": "또 답변"},
                                         headers=world.agent)
        await send_once(world.view, world.senders)
        await send_once(world.view, world.senders)
        refused = (await _rows(world))[-1]
        assert refused.given_up_at is not None and refused.sent_at is None and len(kakao.calls) == calls + 1


async def test_no_event_for_other_channels_or_when_kakao_is_not_configured(settings, tmp_path, auth, agent):
    app = create_app(settings, name=f"nokakao_{tmp_path.name}")
    number = (await create_ticket(app, auth, body={**TICKET, "channel": "kakao", "sender_id": f"kakao:{USER}"}))["number"]
    agent_headers = await sign_in(app)
    await app.asgi_client.post(f"/api/tickets/{number}/reply", json={"text": "답변"}, headers=agent_headers)
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine)() as session:
        assert list((await session.scalars(select(Notification))).all()) == []
    await engine.dispose()


@pytest.mark.parametrize("env, problem", [
    ({"DESK_KAKAO_BOT_ID": BOT}, "REST_API_KEY"),
    ({"DESK_KAKAO_BOT_ID": "bot/../x", "DESK_KAKAO_REST_API_KEY": KEY}, "BOT_ID"),
    ({"DESK_KAKAO_BOT_ID": BOT, "DESK_KAKAO_REST_API_KEY": KEY, "DESK_KAKAO_API_URL": "http://evil.example"}, "https"),
    ({"DESK_KAKAO_BOT_ID": BOT, "DESK_KAKAO_REST_API_KEY": KEY, "DESK_KAKAO_EVENT_NAME": "a b"}, "EVENT_NAME"),
])
def test_kakao_settings_are_checked(env, problem):
    with pytest.raises(KakaoConfigError, match=problem):
        KakaoEventSettings.from_env(env)


def test_kakao_events_are_off_without_a_bot_and_a_dev_channel_bot_is_allowed():
    assert KakaoEventSettings.from_env({}) is None
    dev = KakaoEventSettings.from_env({"DESK_KAKAO_BOT_ID": BOT + "!", "DESK_KAKAO_REST_API_KEY": KEY})
    assert dev.bot_id.endswith("!") and dev.api_url == "https://bot-api.kakao.com"

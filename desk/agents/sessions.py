"""Server-side sign-in sessions; the browser holds only a random token in a cookie."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Optional, Tuple

from sanic.response import HTTPResponse
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from desk.config import DeskSettings
from desk.models import Agent, AgentSession, utcnow

COOKIE_NAME = "desk_session"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def open_session(session: AsyncSession, agent: Agent, hours: float) -> Tuple[str, datetime]:
    """Start a session for ``agent``; returns the cookie token and its expiry.

    Expired sessions of every agent are removed on the way.
    """
    now = utcnow()
    await session.execute(delete(AgentSession).where(AgentSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=hours)
    session.add(
        AgentSession(token_hash=_token_hash(token), agent_id=agent.id, created_at=now, expires_at=expires_at)
    )
    await session.commit()
    return token, expires_at


async def agent_for_token(session: AsyncSession, token: str) -> Optional[Agent]:
    """The active agent of an unexpired session, or None."""
    if not token or len(token) > 200:
        return None
    return await session.scalar(
        select(Agent)
        .join(AgentSession, AgentSession.agent_id == Agent.id)
        .where(
            AgentSession.token_hash == _token_hash(token),
            AgentSession.expires_at > utcnow(),
            Agent.is_active.is_(True),
        )
    )


async def close_session(session: AsyncSession, token: str) -> None:
    """End the session of ``token`` (nothing happens for an unknown token)."""
    if token:
        await session.execute(delete(AgentSession).where(AgentSession.token_hash == _token_hash(token)))
        await session.commit()


def set_session_cookie(response: HTTPResponse, token: str, settings: DeskSettings) -> None:
    """Attach the session cookie: HttpOnly, SameSite=Strict, for the whole site."""
    response.cookies[COOKIE_NAME] = token
    cookie = response.cookies[COOKIE_NAME]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = int(settings.session_hours * 3600)
    if settings.cookie_secure:
        cookie["secure"] = True


def clear_session_cookie(response: HTTPResponse, settings: DeskSettings) -> None:
    """Tell the browser to forget the session cookie."""
    response.cookies[COOKIE_NAME] = ""
    cookie = response.cookies[COOKIE_NAME]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = 0
    if settings.cookie_secure:
        cookie["secure"] = True

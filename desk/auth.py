"""Who may call a route: the service token (action server, Rasa) or a signed-in agent.

The decorators put the caller on ``request.ctx``: ``request.ctx.agent`` is the
signed-in :class:`~desk.models.Agent` or None, ``request.ctx.service`` is True
for a valid service token.
"""

from __future__ import annotations

import hmac
from functools import wraps
from typing import Awaitable, Callable

from sanic import Request
from sanic.response import HTTPResponse

from desk.agents.sessions import COOKIE_NAME, agent_for_token
from desk.errors import ApiError

Handler = Callable[..., Awaitable[HTTPResponse]]


def _has_service_token(request: Request) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    expected = request.app.ctx.settings.service_token
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected.encode())


async def _signed_in_agent(request: Request):
    token = request.cookies.get(COOKIE_NAME, "")
    if not token:
        return None
    async with request.app.ctx.sessions() as session:
        return await agent_for_token(session, token)


def require_service_token(handler: Handler) -> Handler:
    """Reject a request whose ``Authorization: Bearer`` token is not the service token."""

    @wraps(handler)
    async def wrapper(request: Request, *args, **kwargs) -> HTTPResponse:
        if not _has_service_token(request):
            raise ApiError(401, "unauthorized", "A valid service token is required.")
        request.ctx.service, request.ctx.agent = True, None
        return await handler(request, *args, **kwargs)

    return wrapper


def require_agent(handler: Handler) -> Handler:
    """Reject a request without the session cookie of a signed-in agent."""

    @wraps(handler)
    async def wrapper(request: Request, *args, **kwargs) -> HTTPResponse:
        agent = await _signed_in_agent(request)
        if agent is None:
            raise ApiError(401, "unauthorized", "Sign in as an agent first.")
        request.ctx.service, request.ctx.agent = False, agent
        return await handler(request, *args, **kwargs)

    return wrapper


def require_agent_or_service(handler: Handler) -> Handler:
    """Accept either the service token or a signed-in agent's session."""

    @wraps(handler)
    async def wrapper(request: Request, *args, **kwargs) -> HTTPResponse:
        if _has_service_token(request):
            request.ctx.service, request.ctx.agent = True, None
        else:
            agent = await _signed_in_agent(request)
            if agent is None:
                raise ApiError(401, "unauthorized", "A service token or an agent session is required.")
            request.ctx.service, request.ctx.agent = False, agent
        return await handler(request, *args, **kwargs)

    return wrapper

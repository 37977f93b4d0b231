"""Who may call a route: the service token (action server, Rasa) or a signed-in agent.

The decorators put the caller on ``request.ctx``: ``request.ctx.agent`` is the
signed-in :class:`~desk.models.Agent` or None, ``request.ctx.service`` is True
for a valid service token.

A request that changes something with an agent's session cookie must come from
the desk's own pages: its ``Origin`` must be the desk's host (or one of
``DESK_ALLOWED_ORIGINS``), and without an ``Origin`` its ``Sec-Fetch-Site`` must
not say another site. Otherwise it is refused with 403 ``cross_origin``, on top of
the cookie's ``SameSite=Strict``.
"""

from __future__ import annotations

import hmac
from functools import wraps
from typing import Awaitable, Callable
from urllib.parse import urlsplit

from sanic import Request
from sanic.response import HTTPResponse

from desk.agents.sessions import COOKIE_NAME, agent_for_token
from desk.api_docs import AGENT, SERVICE, SERVICE_OR_AGENT, secured_by
from desk.errors import ApiError

Handler = Callable[..., Awaitable[HTTPResponse]]


def _has_service_token(request: Request) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    expected = request.app.ctx.settings.service_token
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected.encode())


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def same_origin(request: Request) -> bool:
    """Whether a browser sent ``request`` from the desk's own pages (see the module docstring)."""
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site") in (None, "same-origin", "none")
    try:
        netloc = urlsplit(origin).netloc.lower()
    except ValueError:
        return False
    if origin.strip().lower() == "null" or not netloc:
        return False
    if netloc == (request.headers.get("host") or "").lower():
        return True
    return origin.rstrip("/").lower() in request.app.ctx.settings.allowed_origins


def check_origin(request: Request) -> None:
    """Refuse a state-changing cookie request from another site (403 ``cross_origin``)."""
    if request.method not in SAFE_METHODS and not same_origin(request):
        raise ApiError(403, "cross_origin", "This request must come from the desk's own pages.")


async def _signed_in_agent(request: Request):
    token = request.cookies.get(COOKIE_NAME, "")
    if not token:
        return None
    check_origin(request)
    async with request.app.ctx.sessions() as session:
        return await agent_for_token(session, token)


def _requiring(service: bool, agent: bool, refusal: str, security: str) -> Callable[[Handler], Handler]:
    """A decorator that lets a request through with the service token (when ``service``) or an
    agent's session (when ``agent``), and refuses anything else with 401 and ``refusal``."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapper(request: Request, *args, **kwargs) -> HTTPResponse:
            if service and _has_service_token(request):
                request.ctx.service, request.ctx.agent = True, None
            else:
                signed_in = await _signed_in_agent(request) if agent else None
                if signed_in is None:
                    raise ApiError(401, "unauthorized", refusal)
                request.ctx.service, request.ctx.agent = False, signed_in
            return await handler(request, *args, **kwargs)

        secured_by(wrapper, security)
        return wrapper

    return decorate


require_service_token = _requiring(True, False, "A valid service token is required.", SERVICE)
require_service_token.__doc__ = "Reject a request whose ``Authorization: Bearer`` token is not the service token."
require_agent = _requiring(False, True, "Sign in as an agent first.", AGENT)
require_agent.__doc__ = "Reject a request without the session cookie of a signed-in agent."
require_agent_or_service = _requiring(True, True, "A service token or an agent session is required.", SERVICE_OR_AGENT)
require_agent_or_service.__doc__ = "Accept either the service token or a signed-in agent's session."

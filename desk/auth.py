"""Service-token authentication for calls from the action server and Rasa."""

from __future__ import annotations

import hmac
from functools import wraps
from typing import Awaitable, Callable

from sanic import Request
from sanic.response import HTTPResponse

from desk.errors import ApiError

Handler = Callable[..., Awaitable[HTTPResponse]]


def require_service_token(handler: Handler) -> Handler:
    """Reject a request whose ``Authorization: Bearer`` token is not the service token."""

    @wraps(handler)
    async def wrapper(request: Request, *args, **kwargs) -> HTTPResponse:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        expected = request.app.ctx.settings.service_token
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), expected.encode()
        ):
            raise ApiError(401, "unauthorized", "A valid service token is required.")
        return await handler(request, *args, **kwargs)

    return wrapper

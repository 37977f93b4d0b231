"""One JSON error shape for every failure the desk reports."""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional

from sanic import Request
from sanic.exceptions import PayloadTooLarge, SanicException
from sanic.response import HTTPResponse, json

from contract.responses import ErrorDetail, ErrorOut

logger = logging.getLogger(__name__)


class ApiError(SanicException):
    """A client error with a machine-readable code and a readable message."""

    def __init__(
        self, status: int, code: str, message: str, details: Any = None, headers: Optional[Dict[str, str]] = None
    ) -> None:
        super().__init__(message, status_code=status)
        self.code = code
        self.details = details
        self.response_headers = headers or {}  # e.g. Retry-After on a 429


def error_body(code: str, message: str, details: Optional[Any] = None) -> dict:
    """The JSON body of an error response (:class:`contract.responses.ErrorOut`; ``details`` only when given)."""
    detail = ErrorDetail(code=code, message=message) if details is None else ErrorDetail(
        code=code, message=message, details=details
    )
    return ErrorOut(error=detail).dict(exclude_unset=True)


def handle_exception(request: Request, exception: Exception) -> HTTPResponse:
    """Map every exception to a JSON error; unexpected ones are logged and become 500."""
    if isinstance(exception, ApiError):
        return json(
            error_body(exception.code, str(exception), exception.details),
            exception.status_code,
            headers=exception.response_headers,
        )
    if isinstance(exception, PayloadTooLarge):
        return json(error_body("payload_too_large", "The request body is too large."), 413)
    if isinstance(exception, SanicException):
        status = getattr(exception, "status_code", 500) or 500
        return json(error_body("http_error", str(exception)), status)
    route = request.route.path if request.route is not None else "(no route)"
    logger.exception("unhandled error on %s /%s", request.method, route)
    return json(error_body("internal_error", "Internal error; it has been logged."), 500)

"""Security headers on every response of the desk."""

from __future__ import annotations

from sanic import Request
from sanic.response import HTTPResponse

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


async def add_security_headers(request: Request, response: HTTPResponse) -> None:
    """Response middleware: strict CSP, no sniffing, no framing; API answers are not cached."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api/") and "cache-control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"

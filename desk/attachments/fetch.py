"""Download a photo from an allowed host, with a size and a time limit."""

from __future__ import annotations

import asyncio
from typing import Iterable
from urllib.parse import urlsplit

import aiohttp

CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """The photo could not be downloaded; ``status`` and ``code`` describe why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


def check_url(url: str, allowed_hosts: Iterable[str]) -> str:
    """The host of ``url`` if it is http(s) on an allowed host without credentials.

    Raises:
        FetchError: 400 ``url_not_allowed`` otherwise.
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as exc:
        raise FetchError(400, "url_not_allowed", "The URL is malformed.") from exc
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        raise FetchError(400, "url_not_allowed", "Only plain http(s) URLs without credentials are fetched.")
    if host not in set(allowed_hosts):
        raise FetchError(400, "url_not_allowed", "Photos are fetched only from the configured hosts.")
    return host


async def download(http: aiohttp.ClientSession, url: str, max_bytes: int, timeout: float) -> bytes:
    """The body of ``url``, streamed, stopping as soon as it passes ``max_bytes``.

    Redirects are not followed (they could lead to a host that is not allowed).

    Raises:
        FetchError: 413 when too large, 422 on a timeout, an error answer or a network error.
    """
    try:
        async with http.get(
            url, allow_redirects=False, timeout=aiohttp.ClientTimeout(total=timeout)
        ) as response:
            if response.status != 200:
                raise FetchError(422, "fetch_failed", f"The image host answered HTTP {response.status}.")
            if response.content_length is not None and response.content_length > max_bytes:
                raise FetchError(413, "file_too_large", "Images may be at most 10 MB.")
            body = bytearray()
            async for chunk in response.content.iter_chunked(CHUNK_BYTES):
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(413, "file_too_large", "Images may be at most 10 MB.")
            return bytes(body)
    except asyncio.TimeoutError as exc:
        message = f"The image host did not answer within {timeout:g} s."
        raise FetchError(422, "fetch_timeout", message) from exc
    except aiohttp.ClientError as exc:
        raise FetchError(422, "fetch_failed", "The image could not be downloaded.") from exc

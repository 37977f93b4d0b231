"""Download a photo from an allowed host, with a size and a time limit.

In the production profile (``DESK_FETCH_PUBLIC_ONLY``) a photo is fetched only
over https on port 443, from a host named in ``DESK_FETCH_ALLOWED_HOSTS`` (never
an IP literal), and only when every address the name resolves to is public: a
name that points at a private, loopback or link-local address (or is made to,
between the check and the connection) is refused, because the connection uses
exactly the addresses that were checked (:class:`PublicAddressResolver`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any, Dict, Iterable, List
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import DefaultResolver

from support.coded_errors import StatusError

CHUNK_BYTES = 64 * 1024


class FetchError(StatusError):
    """The photo could not be downloaded; ``status`` and ``code`` describe why."""


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def check_url(url: str, allowed_hosts: Iterable[str], public_only: bool = False) -> str:
    """The host of ``url`` if it is http(s) on an allowed host without credentials
    (with ``public_only``: https on port 443 and a host name, not an IP address).

    Raises:
        FetchError: 400 ``url_not_allowed`` otherwise.
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError as exc:
        raise FetchError(400, "url_not_allowed", "The URL is malformed.") from exc
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        raise FetchError(400, "url_not_allowed", "Only plain http(s) URLs without credentials are fetched.")
    if public_only and (parts.scheme != "https" or port not in (None, 443) or _is_ip_literal(host)):
        raise FetchError(400, "url_not_allowed", "Photos are fetched only over https (port 443) from named hosts.")
    if not host_allowed(host, allowed_hosts):
        raise FetchError(400, "url_not_allowed", "Photos are fetched only from the configured hosts.")
    return host


def host_allowed(host: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether ``host`` is listed, exactly or under a ``*.domain`` entry (``*.fbcdn.net``)."""
    for allowed in allowed_hosts:
        if host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:]) and len(host) > len(allowed) - 1):
            return True
    return False


def is_public(address: str) -> bool:
    """Whether ``address`` is a public (globally routable) IP address."""
    try:
        return ipaddress.ip_address(address).is_global
    except ValueError:
        return False


class PublicAddressResolver(AbstractResolver):
    """aiohttp's resolver, refusing a name unless every address it resolves to is public."""

    def __init__(self) -> None:
        self._resolver = DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> List[Dict[str, Any]]:
        """The addresses of ``host``; OSError when one of them is not public."""
        addresses = await self._resolver.resolve(host, port, family)
        if not addresses or not all(is_public(entry["host"]) for entry in addresses):
            raise OSError(f"{host} resolves to an address that is not public")
        return addresses

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self._resolver.close()


def fetch_session(public_only: bool) -> aiohttp.ClientSession:
    """The HTTP session photos are fetched with (public addresses only when ``public_only``)."""
    connector = aiohttp.TCPConnector(resolver=PublicAddressResolver()) if public_only else aiohttp.TCPConnector()
    return aiohttp.ClientSession(connector=connector, trust_env=False, auto_decompress=True)


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

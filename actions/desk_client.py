"""An async client for the desk's ticket API."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

import aiohttp

from actions.settings import ActionSettings, settings

logger = logging.getLogger(__name__)


class DeskUnavailable(RuntimeError):
    """The desk could not be reached or refused the request."""


class DeskClient:
    """Calls the desk; one pooled HTTP session per process, opened on first use."""

    def __init__(self, config: ActionSettings) -> None:
        self._config = config
        self._session: Optional[aiohttp.ClientSession] = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._config.desk_timeout),
                headers={"Authorization": f"Bearer {self._config.desk_token}"},
            )
        return self._session

    async def create_ticket(self, ticket: Dict[str, Any], idempotency_key: str) -> Dict[str, Any]:
        """Open a ticket; the same ``idempotency_key`` always yields the same ticket.

        Raises:
            DeskUnavailable: on a network error, a timeout or a non-2xx answer.
        """
        url = f"{self._config.desk_url}/api/tickets"
        try:
            async with self._http().post(
                url, json=ticket, headers={"Idempotency-Key": idempotency_key}
            ) as response:
                body = await response.json(content_type=None)
                if not 200 <= response.status < 300:
                    raise DeskUnavailable(f"desk answered {response.status}: {body}")
                return body
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise DeskUnavailable(f"desk unreachable at {url}: {exc!r}") from exc

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()


_client: Optional[DeskClient] = None


def desk_client() -> DeskClient:
    """The process-wide desk client."""
    global _client
    if _client is None:
        _client = DeskClient(settings())
    return _client

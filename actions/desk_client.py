"""An async client for the desk's ticket API."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import aiohttp

from actions.settings import ActionSettings
from support.conversation_ids import path_segment

logger = logging.getLogger(__name__)


class DeskUnavailable(RuntimeError):
    """The desk could not be reached or refused the request."""


class DeskRejected(DeskUnavailable):
    """The desk answered with a 4xx: the request itself was not acceptable."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"desk refused the request ({status}): {body}")
        self.status = status
        self.body = body


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

    async def _request(
        self,
        method: str,
        path: str,
        body: Optional[Dict[str, Any]] = None,
        headers: Optional[Dict[str, str]] = None,
        params: Optional[Dict[str, str]] = None,
    ) -> Optional[Dict[str, Any]]:
        """One desk call; the JSON answer, or None for a 404 on a GET.

        Raises:
            DeskRejected: on any other 4xx.
            DeskUnavailable: on a network error, a timeout or a 5xx.
        """
        url = f"{self._config.desk_url}{path}"
        try:
            async with self._http().request(
                method, url, json=body, headers=headers or {}, params=params or {}
            ) as response:
                answer = await response.json(content_type=None)
                if method == "GET" and response.status == 404:
                    return None
                if 400 <= response.status < 500:
                    raise DeskRejected(response.status, answer)
                if not 200 <= response.status < 300:
                    raise DeskUnavailable(f"desk answered {response.status} on {path}: {answer}")
                return answer
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise DeskUnavailable(f"desk unreachable at {url}: {exc!r}") from exc

    async def _post(self, path: str, body: Dict[str, Any], headers: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        return await self._request("POST", path, body, headers)

    async def _get(self, path: str, params: Optional[Dict[str, str]] = None) -> Optional[Dict[str, Any]]:
        return await self._request("GET", path, params=params)

    async def create_ticket(self, ticket: Dict[str, Any], idempotency_key: str) -> Dict[str, Any]:
        """Open a ticket; the same ``idempotency_key`` always yields the same ticket.

        Raises:
            DeskUnavailable: on a network error, a timeout or a non-2xx answer.
        """
        return await self._post("/api/tickets", ticket, {"Idempotency-Key": idempotency_key})

    async def fetch_attachment(self, url: str) -> Dict[str, Any]:
        """Have the desk fetch and keep a photo from a channel's URL; returns its record."""
        return await self._post("/api/attachments/fetch", {"url": url})

    async def rate(self, rating: Dict[str, Any]) -> Dict[str, Any]:
        """Store a satisfaction rating (ticket number or sender id, 1–5, comment)."""
        return await self._post("/api/ratings", rating)

    async def open_ticket_of(self, sender_id: str) -> Optional[Dict[str, Any]]:
        """The customer's open ticket, or None once it is resolved or closed."""
        return await self._get(f"/api/conversations/{path_segment(sender_id)}/open-ticket")

    async def append_message(self, number: str, text: str, idempotency_key: str) -> Dict[str, Any]:
        """Add the customer's message to the ticket's thread (once per key)."""
        return await self._post(
            f"/api/tickets/{quote(number, safe='')}/messages",
            {"author": "customer", "text": text},
            {"Idempotency-Key": idempotency_key},
        )

    async def pending_deliveries(self, sender_id: str) -> List[Dict[str, Any]]:
        """Agent replies and notices not yet delivered to this customer, oldest first."""
        answer = await self._get("/api/deliveries/pending", {"sender_id": sender_id})
        return (answer or {}).get("deliveries", [])

    async def mark_delivered(self, delivery_id: int) -> None:
        """Record that a reply reached the customer."""
        await self._post(f"/api/deliveries/{int(delivery_id)}/delivered", {})

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()

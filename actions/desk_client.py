"""An async client for the desk's ticket API, speaking the contract (:mod:`contract`).

Each body is checked with its contract model before it leaves (a body the desk
would refuse is refused here, with the same 422), and each answer is read into
its contract model (an answer of another shape counts as the desk failing).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Dict, Optional, Type, TypeVar
from urllib.parse import quote

import aiohttp
from pydantic import BaseModel, ValidationError

from actions.settings import ActionSettings
from contract.requests import ContactEmail, FetchRequest, MessageCreate, RatingCreate, TicketCreate
from contract.responses import AttachmentOut, DeliveryList, EmailSaved, MessageAdded, RatedOut, TicketOut
from support.conversation_ids import path_segment

logger = logging.getLogger(__name__)

# The desk (Sanic) closes a connection idle for 5 s. A pooled connection kept longer can be
# closed by the desk just as a request goes out on it; keep ours for less than that.
KEEPALIVE_SECONDS = 2.0
# Connection errors that mean the request never reached the desk's handler on a reused connection.
_STALE_CONNECTION = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)


class DeskUnavailable(RuntimeError):
    """The desk could not be reached or refused the request."""


class DeskRejected(DeskUnavailable):
    """The desk answered with a 4xx: the request itself was not acceptable."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"desk refused the request ({status}): {body}")
        self.status = status
        self.body = body


Model = TypeVar("Model", bound=BaseModel)


def _body(model: Type[BaseModel], data: Dict[str, Any]) -> Dict[str, Any]:
    """``data`` as ``model`` would send it; a body the desk would refuse raises :class:`DeskRejected` here."""
    try:
        checked = model.parse_obj(data)
    except ValidationError as exc:
        raise DeskRejected(422, {"error": {"code": "invalid_body", "details": exc.errors()}}) from exc
    return json.loads(checked.json(exclude_unset=True))


def _answer(model: Type[Model], data: Any, path: str) -> Model:
    """The desk's answer read as ``model``; another shape means the desk is not the one this code speaks to."""
    try:
        return model.parse_obj(data)
    except ValidationError as exc:
        raise DeskUnavailable(f"desk answered {path} in an unexpected shape: {exc.errors()[:3]}") from exc


class DeskClient:
    """Calls the desk; one pooled HTTP session per process, opened on first use."""

    def __init__(self, config: ActionSettings) -> None:
        self._config = config
        self._session: Optional[aiohttp.ClientSession] = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
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
        repeatable: bool = False,
    ) -> Optional[Dict[str, Any]]:
        """One desk call; the JSON answer, or None for a 404 on a GET.

        A call that can safely be made twice (``repeatable``: a GET, one with an
        ``Idempotency-Key``, or one that changes nothing the second time) is tried once more when the connection drops before any answer: a pooled
        connection the desk had just closed.

        Raises:
            DeskRejected: on any other 4xx.
            DeskUnavailable: on a network error, a timeout or a 5xx.
        """
        repeatable = repeatable or method == "GET" or "Idempotency-Key" in (headers or {})
        try:
            return await self._request_once(method, path, body, headers, params)
        except DeskUnavailable as exc:
            if not repeatable or not isinstance(exc.__cause__, _STALE_CONNECTION):
                raise
            logger.info("desk connection dropped on %s %s (%r); trying once more", method, path, exc.__cause__)
            return await self._request_once(method, path, body, headers, params)

    async def _request_once(
        self,
        method: str,
        path: str,
        body: Optional[Dict[str, Any]],
        headers: Optional[Dict[str, str]],
        params: Optional[Dict[str, str]],
    ) -> Optional[Dict[str, Any]]:
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

    async def _post(
        self, path: str, body: Dict[str, Any], headers: Optional[Dict[str, str]] = None, repeatable: bool = False
    ) -> Dict[str, Any]:
        return await self._request("POST", path, body, headers, repeatable=repeatable)

    async def _get(self, path: str, params: Optional[Dict[str, str]] = None) -> Optional[Dict[str, Any]]:
        return await self._request("GET", path, params=params)

    async def create_ticket(self, ticket: Dict[str, Any], idempotency_key: str) -> TicketOut:
        """Open a ticket; the same ``idempotency_key`` always yields the same ticket.

        Raises:
            DeskRejected: the body breaks the contract (checked before sending) or the desk refused it.
            DeskUnavailable: on a network error, a timeout or a non-2xx answer.
        """
        path = "/api/tickets"
        answer = await self._post(path, _body(TicketCreate, ticket), {"Idempotency-Key": idempotency_key})
        return _answer(TicketOut, answer, path)

    async def fetch_attachment(self, url: str) -> AttachmentOut:
        """Have the desk fetch and keep a photo from a channel's URL; returns its record."""
        path = "/api/attachments/fetch"
        return _answer(AttachmentOut, await self._post(path, _body(FetchRequest, {"url": url})), path)

    async def leave_email(self, number: str, address: str) -> EmailSaved:
        """Give the open ticket the address the customer left; the desk e-mails her a copy of the
        conversation and every later reply.

        Raises:
            DeskRejected: no such open ticket, not an address, or the desk sends no e-mail (503 is
                :class:`DeskUnavailable`).
        """
        path = f"/api/tickets/{quote(number, safe='')}/email"
        return _answer(EmailSaved, await self._post(path, _body(ContactEmail, {"email": address})), path)

    async def rate(self, rating: Dict[str, Any]) -> RatedOut:
        """Store a satisfaction rating (ticket number or sender id, 1–5, comment)."""
        path = "/api/ratings"
        return _answer(RatedOut, await self._post(path, _body(RatingCreate, rating)), path)

    async def open_ticket_of(self, sender_id: str) -> Optional[TicketOut]:
        """The customer's open ticket, or None once it is resolved or closed."""
        path = f"/api/conversations/{path_segment(sender_id)}/open-ticket"
        answer = await self._get(path)
        return None if answer is None else _answer(TicketOut, answer, path)

    async def append_message(self, number: str, text: str, idempotency_key: str) -> MessageAdded:
        """Add the customer's message to the ticket's thread (once per key)."""
        path = f"/api/tickets/{quote(number, safe='')}/messages"
        body = _body(MessageCreate, {"author": "customer", "text": text})
        return _answer(MessageAdded, await self._post(path, body, {"Idempotency-Key": idempotency_key}), path)

    async def pending_deliveries(self, sender_id: str) -> DeliveryList:
        """Agent replies and notices not yet delivered to this customer, oldest first."""
        path = "/api/deliveries/pending"
        answer = await self._get(path, {"sender_id": sender_id})
        return _answer(DeliveryList, answer or {"deliveries": []}, path)

    async def mark_delivered(self, delivery_id: int) -> None:
        """Record that a reply reached the customer."""
        await self._post(f"/api/deliveries/{int(delivery_id)}/delivered", {}, repeatable=True)  # twice is harmless

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()

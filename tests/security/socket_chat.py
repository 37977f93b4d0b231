"""A socket.io customer of the running bot, as a plain client would be (python-socketio)."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Tuple

import socketio


class Refused(Exception):
    """The server refused the connection; ``data`` is what it said (``{"message", "data": {"error"}}``)."""

    def __init__(self, data: Any) -> None:
        super().__init__(str(data))
        self.data = data

    @property
    def code(self) -> Optional[str]:
        inner = self.data.get("data") if isinstance(self.data, dict) else None
        return inner.get("error") if isinstance(inner, dict) else None


class ChatSocket:
    """One socket: connects with an optional customer token, records every event it receives."""

    def __init__(self, url: str, token: Optional[str] = None, auth: Any = None,
                 headers: Optional[Dict[str, str]] = None) -> None:
        self.url = url
        self.auth = auth if auth is not None else ({"token": token} if token is not None else None)
        self.headers = headers or {}
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: List[Tuple[str, Any]] = []
        self._arrived = asyncio.Event()
        self.refusal: Any = None
        for name in ("bot_uttered", "session_confirm", "session_error"):
            self.client.on(name, self._recorder(name))
        self.client.on("connect_error", self._refused)

    def _recorder(self, name: str):
        def record(data: Any = None) -> None:
            self.events.append((name, data))
            self._arrived.set()
        return record

    def _refused(self, data: Any = None) -> None:
        self.refusal = data

    async def __aenter__(self) -> "ChatSocket":
        try:
            await self.client.connect(self.url, socketio_path="/socket.io", transports=["polling"], auth=self.auth,
                                      headers=self.headers, wait_timeout=10)
        except socketio.exceptions.ConnectionError as error:
            raise Refused(self.refusal or str(error)) from None
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.client.disconnect()

    async def emit(self, event: str, data: Any) -> None:
        await self.client.emit(event, data)

    async def session(self, **data: Any) -> Dict[str, Any]:
        """``session_request``; returns the confirmed session (``session_id``, ``resume_token``?)."""
        await self.emit("session_request", data)
        return await self.next("session_confirm")

    async def say(self, text: str, **extra: Any) -> None:
        await self.emit("user_uttered", {"message": text, **extra})

    async def next(self, name: str, timeout: float = 60, containing: Optional[str] = None) -> Any:
        """The next event ``name`` (whose text contains ``containing``) not taken yet."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for index, (event, data) in enumerate(self.events):
                text = (data or {}).get("text", "") if isinstance(data, dict) else str(data)
                if event == name and (containing is None or containing in text):
                    del self.events[index]
                    return data
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"no {name} {containing or ''} within {timeout:.0f}s; got {self.events}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    def said(self) -> str:
        """Everything the bot said on this socket so far (not taken by :meth:`next`)."""
        return "\n".join((data or {}).get("text", "") for event, data in self.events if event == "bot_uttered")

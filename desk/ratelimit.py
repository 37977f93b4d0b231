"""Rate limits of the desk's public routes: an in-process sliding window per key.

Which routes and keys (docs/desk.md, "Rate limits"):

* ``POST /api/auth/login``: every attempt counts per client IP
  (``DESK_RATE_LOGIN_IP``); failed attempts also count per account
  (``DESK_RATE_LOGIN_ACCOUNT``), so guessing one agent's password from many
  addresses stops too;
* ``POST /api/chat/demo-token`` and ``GET /api/chat/history`` per client IP
  (``DESK_RATE_CHAT``);
* ``POST /api/chat/uploads`` per client IP (``DESK_RATE_UPLOADS``).

A refused request is ``429 rate_limited`` with ``Retry-After`` (whole seconds).
The client IP is the peer address; ``X-Forwarded-For`` is believed only when
the peer is one of ``DESK_TRUSTED_PROXIES`` (HAProxy/nginx in front), and then
the right-most address that is not a trusted proxy is the client. Counts live
in the process: several desk processes each count on their own.

Hand-written rather than the ``limits`` package: its in-memory storage reads the
wall clock and expires keys from a timer thread, so its windows could only be
tested by sleeping; this one takes its clock as an argument.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, Dict, Tuple

from sanic import Request

from desk.errors import ApiError
from support.client_address import Network, client_ip

SWEEP_EVERY = 1000  # hits between two sweeps of idle keys


@dataclass(frozen=True)
class Rate:
    """At most ``count`` events in any ``seconds``-long window; ``count`` 0 means no limit."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"20/300"`` (20 per 300 s) or ``"off"``.

        Raises:
            ValueError: for anything else.
        """
        text = text.strip().lower()
        if text in ("off", "0"):
            return cls(0, 1.0)
        count, sep, seconds = text.partition("/")
        if not sep or not count.isdigit() or int(count) < 1:
            raise ValueError(f"expected COUNT/SECONDS such as 20/300, or off; got {text!r}")
        try:
            window = float(seconds)
        except ValueError:
            window = -1.0
        if not 0 < window <= 86400:
            raise ValueError(f"the window must be 1 to 86400 seconds; got {text!r}")
        return cls(int(count), window)

    @property
    def enabled(self) -> bool:
        """Whether this rate limits anything."""
        return self.count > 0


class SlidingWindow:
    """Counts events per key over the last ``rate.seconds``; not thread-safe (one event loop)."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._events: Dict[str, Deque[float]] = {}
        self._since_sweep = 0

    def _recent(self, key: str, now: float) -> Deque[float]:
        events = self._events.get(key)
        if events is None:
            return deque()
        while events and events[0] <= now - self.rate.seconds:
            events.popleft()
        return events

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may act again; 0 when it may now."""
        if not self.rate.enabled:
            return 0.0
        now = self._clock()
        events = self._recent(key, now)
        if len(events) < self.rate.count:
            return 0.0
        return max(events[0] + self.rate.seconds - now, 0.001)

    def record(self, key: str) -> None:
        """Count one event for ``key``."""
        if not self.rate.enabled:
            return
        now = self._clock()
        self._recent(key, now)
        self._events.setdefault(key, deque()).append(now)
        self._since_sweep += 1
        if self._since_sweep >= SWEEP_EVERY:
            self._sweep(now)

    def hit(self, key: str) -> float:
        """Count an event unless the window is full; returns the wait (0 when counted)."""
        wait = self.retry_after(key)
        if wait == 0:
            self.record(key)
        return wait

    def tracked(self) -> int:
        """How many keys are held in memory (idle ones are dropped every few hits)."""
        return len(self._events)

    def reset(self, key: str) -> None:
        """Forget ``key``'s events (a successful sign-in clears its failures)."""
        self._events.pop(key, None)

    def _sweep(self, now: float) -> None:
        self._since_sweep = 0
        for key in [k for k, events in self._events.items() if not events or events[-1] <= now - self.rate.seconds]:
            del self._events[key]


@dataclass(frozen=True)
class RateLimitSettings:
    """The limits and the trusted proxies, from the environment (defaults in docs/desk.md)."""

    login_ip: Rate = Rate(20, 300)
    login_account: Rate = Rate(5, 900)
    chat: Rate = Rate(60, 60)
    uploads: Rate = Rate(20, 60)
    trusted_proxies: Tuple[Network, ...] = ()


class RateLimiter:
    """The desk's limiters, one sliding window per limit."""

    def __init__(self, settings: RateLimitSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.login_ip = SlidingWindow(settings.login_ip, clock)
        self.login_account = SlidingWindow(settings.login_account, clock)
        self.chat = SlidingWindow(settings.chat, clock)
        self.uploads = SlidingWindow(settings.uploads, clock)

    def client(self, request: Request) -> str:
        """The request's client IP (:func:`support.client_address.client_ip`)."""
        return client_ip(request.ip or "", request.headers.get("x-forwarded-for"), self.settings.trusted_proxies)


def too_many(wait: float, message: str) -> ApiError:
    """The 429 answer: ``rate_limited`` with ``Retry-After`` in whole seconds."""
    seconds = max(1, math.ceil(wait))
    return ApiError(429, "rate_limited", message, {"retry_after": seconds}, headers={"Retry-After": str(seconds)})


def limit(window: SlidingWindow, key: str, message: str) -> None:
    """Count the request against ``window`` for ``key``.

    Raises:
        ApiError: 429 when the window is full.
    """
    wait = window.hit(key)
    if wait:
        raise too_many(wait, message)


def limiter(request: Request) -> RateLimiter:
    """The app's rate limiter."""
    return request.app.ctx.rate_limiter

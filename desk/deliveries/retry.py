"""When a failed delivery is tried again, and when it is given up.

A reply that could not be pushed (Rasa restarting, a channel refusing) is tried
again after ``base`` seconds, then twice as long each time up to ``cap``; once it
is older than ``max_age`` it is given up and shown to agents as not delivered.
Given-up rows are never picked again by the pusher, so they cannot hold up the
replies behind them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, Mapping, Optional


@dataclass(frozen=True)
class RetryPolicy:
    """Back-off of failed deliveries (seconds)."""

    base: float = 1.0
    cap: float = 60.0
    max_age: float = 24 * 60 * 60

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "RetryPolicy":
        """``DESK_DELIVERY_MAX_AGE_SECONDS`` (default one day) and ``DESK_DELIVERY_RETRY_CAP_SECONDS`` (60).

        Raises:
            ValueError: a value that is not a positive number.
        """
        return cls(
            cap=_positive(env.get("DESK_DELIVERY_RETRY_CAP_SECONDS"), cls.cap, "DESK_DELIVERY_RETRY_CAP_SECONDS"),
            max_age=_positive(env.get("DESK_DELIVERY_MAX_AGE_SECONDS"), cls.max_age, "DESK_DELIVERY_MAX_AGE_SECONDS"),
        )

    def delay(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed try (1, 2, 4 … seconds, at most ``cap``)."""
        return timedelta(seconds=min(self.cap, self.base * 2 ** max(0, min(attempts - 1, 30))))

    def gives_up(self, created_at: datetime, now: datetime) -> bool:
        """Whether a delivery created at ``created_at`` is too old to try again."""
        return (now - created_at).total_seconds() >= self.max_age

    def after_failure(
        self, attempts: int, created_at: datetime, now: datetime, give_up: bool = False
    ) -> Dict[str, Any]:
        """The outbox fields after the ``attempts``-th failed try: when to try next, and ``given_up_at``
        (``now``) when the row is too old or ``give_up`` (refused for good)."""
        values: Dict[str, Any] = {"attempts": attempts, "next_attempt_at": now + self.delay(attempts)}
        if give_up or self.gives_up(created_at, now):
            values["given_up_at"] = now
        return values


def _positive(text: Optional[str], default: float, name: str) -> float:
    if text is None or not text.strip():
        return default
    try:
        value = float(text)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number of seconds, got {text!r}") from exc
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, got {text!r}")
    return value

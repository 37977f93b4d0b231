"""Action-server settings, read from the environment when first needed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Optional


@dataclass(frozen=True)
class ActionSettings:
    """Where the desk is and how to reach it.

    Attributes:
        desk_url: base URL of the desk service.
        desk_token: service token for the desk (secret, from the environment).
        desk_timeout: seconds to wait for one desk call.
    """

    desk_url: str
    desk_token: str
    desk_timeout: float = 5.0

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "ActionSettings":
        """Read ``DESK_URL``, ``DESK_SERVICE_TOKEN`` and ``DESK_TIMEOUT``."""
        env = os.environ if env is None else env
        return cls(
            desk_url=env.get("DESK_URL", "http://127.0.0.1:5080").rstrip("/"),
            desk_token=env.get("DESK_SERVICE_TOKEN", ""),
            desk_timeout=float(env.get("DESK_TIMEOUT", "5")),
        )


@lru_cache(maxsize=1)
def settings() -> ActionSettings:
    """The process-wide settings."""
    return ActionSettings.from_env()

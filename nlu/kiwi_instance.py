"""One Kiwi analyser per process: loading its model takes about a second."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def shared_kiwi() -> Any:
    """The process-wide ``kiwipiepy.Kiwi`` instance, loaded on first use."""
    from kiwipiepy import Kiwi

    return Kiwi()

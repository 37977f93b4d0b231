"""The model `make test` trained, loaded once for the NLU tests that parse with it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "support-bot.tar.gz"


@pytest.fixture(scope="session")
def parse_all() -> Callable[[List[str]], List[Dict[str, Any]]]:
    """Parses texts with the trained model (models/support-bot.tar.gz), as Rasa's /model/parse does."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL.relative_to(ROOT)} is missing: `make model` trains it (make test does)")
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))

    def parse(texts: List[str]) -> List[Dict[str, Any]]:
        async def run() -> List[Dict[str, Any]]:
            return [await agent.parse_message(text) for text in texts]

        return asyncio.run(run())

    return parse

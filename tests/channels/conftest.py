"""Channel tests run with the secret channels sign message identities with, as a running Rasa does."""

from __future__ import annotations

import pytest

# CHAT_JWT_SECRET in the channel tests: customer tokens and signed message identities
CHANNEL_SECRET = "test-channel-secret-0123456789abcdef"


@pytest.fixture(autouse=True)
def channel_secret(monkeypatch):
    """``CHAT_JWT_SECRET`` is set before a channel is built (it reads it then)."""
    monkeypatch.setenv("CHAT_JWT_SECRET", CHANNEL_SECRET)
    return CHANNEL_SECRET

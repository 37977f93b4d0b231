"""The action server's services for a test: its files in a temporary folder, the test secrets."""

from __future__ import annotations

from pathlib import Path

from actions import services as running_services
from actions.services import Services
from actions.settings import ActionSettings
from contract.agent_proof import proof_key
from orders.seed import DEFAULT_FILE, seed
from support.channel_identity import signing_key
from trackers import DESK_TOKEN, IDENTITY_SECRET

# nothing listens there: a desk that is down
UNREACHABLE_DESK = "http://127.0.0.1:9"


def test_settings(tmp_path: Path, desk_url: str = UNREACHABLE_DESK, desk_token: str = DESK_TOKEN) -> ActionSettings:
    """The action server's settings for a test: its files in ``tmp_path``, the test secrets."""
    return ActionSettings(
        desk_url=desk_url,
        desk_token=desk_token,
        desk_timeout=3,
        orders_url=f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'actions.db'}",
        identity_key=signing_key({"CHAT_JWT_SECRET": IDENTITY_SECRET}),
        agent_proof_key=proof_key({"DESK_SERVICE_TOKEN": desk_token}),
    )


async def started_services(tmp_path: Path, desk_url: str = UNREACHABLE_DESK, desk_token: str = DESK_TOKEN) -> Services:
    """Services as the action server opens them, with the demo orders seeded, made the running ones."""
    settings = test_settings(tmp_path, desk_url, desk_token)
    await seed(DEFAULT_FILE, settings.orders_url)
    return running_services.start(Services.from_settings(settings))

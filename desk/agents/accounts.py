"""Create agents from the command line, outside a running server."""

from __future__ import annotations

from typing import Tuple

from desk.agents.service import save_agent
from desk.db import create_engine, create_sessionmaker


async def save_agent_account(
    database_url: str, email: str, name: str, password: str, update: bool
) -> Tuple[int, bool]:
    """Create (or with ``update`` reset) an agent on ``database_url``.

    Returns:
        ``(agent id, created)``.

    Raises:
        AgentError: when the account cannot be saved as asked.
    """
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            agent, created = await save_agent(session, email, name, password, update=update)
            return agent.id, created
    finally:
        await engine.dispose()

"""Agent accounts on the database, independent of HTTP."""

from __future__ import annotations

import asyncio
from typing import List, Optional, Tuple

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from desk.agents.passwords import DUMMY_HASH, MIN_PASSWORD_LENGTH, hash_password, verify_password
from desk.models import Agent, AgentSession, utcnow


class AgentError(ValueError):
    """An agent cannot be created as asked."""


def normalize_email(email: str) -> str:
    """Emails are compared without case and surrounding spaces."""
    return email.strip().lower()


async def _off_loop(function, *args):
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


async def find_by_email(session: AsyncSession, email: str) -> Optional[Agent]:
    """The agent with ``email``, if any."""
    return await session.scalar(select(Agent).where(Agent.email == normalize_email(email)))


async def get_agent(session: AsyncSession, agent_id: int) -> Optional[Agent]:
    """The agent with ``agent_id``, if any."""
    return await session.get(Agent, agent_id)


async def list_agents(session: AsyncSession) -> List[Agent]:
    """Active agents by name."""
    result = await session.scalars(select(Agent).where(Agent.is_active.is_(True)).order_by(Agent.name))
    return list(result.all())


async def authenticate(session: AsyncSession, email: str, password: str) -> Optional[Agent]:
    """The active agent with these credentials, or None; always spends one scrypt."""
    agent = await find_by_email(session, email)
    usable = agent is not None and agent.is_active
    stored = agent.password_hash if usable else DUMMY_HASH
    matches = await _off_loop(verify_password, password, stored)
    return agent if usable and matches else None


async def save_agent(
    session: AsyncSession, email: str, name: str, password: str, update: bool = False
) -> Tuple[Agent, bool]:
    """Create an agent, or with ``update`` reset the name and password of an existing one.

    A reset that changes the password ends every session of the agent: whoever
    signed in with the old password is signed out.

    Returns:
        ``(agent, created)``.

    Raises:
        AgentError: for a malformed email, an empty name, a short password, or an
            existing email without ``update``.
    """
    email = normalize_email(email)
    name = name.strip()
    if "@" not in email or len(email) > 254:
        raise AgentError("the email address is malformed")
    if not name or len(name) > 100:
        raise AgentError("the name must have 1 to 100 characters")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AgentError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    agent = await find_by_email(session, email)
    created = agent is None
    if agent is None:
        password_hash = await _off_loop(hash_password, password)
        agent = Agent(
            email=email, name=name, password_hash=password_hash, is_active=True, created_at=utcnow()
        )
        session.add(agent)
    elif not update:
        raise AgentError("an agent with this email exists already")
    else:
        agent.name, agent.is_active = name, True
        if not await _off_loop(verify_password, password, agent.password_hash):
            agent.password_hash = await _off_loop(hash_password, password)
            await session.execute(delete(AgentSession).where(AgentSession.agent_id == agent.id))
    await session.commit()
    return agent, created

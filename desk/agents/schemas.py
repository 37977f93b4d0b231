"""Request and response shapes of sign-in and agents."""

from __future__ import annotations

from datetime import datetime
from typing import List, Optional

from pydantic import constr

from contract.base import ContractModel
from contract.responses import AgentOut
from desk.models import Agent


class LoginRequest(ContractModel):
    """``POST /api/auth/login``."""

    email: constr(strict=True, strip_whitespace=True, min_length=3, max_length=254)  # type: ignore[valid-type]
    password: constr(strict=True, min_length=1, max_length=1000)  # type: ignore[valid-type]


class SignedIn(ContractModel):
    """The agent who signed in and when the session ends."""

    agent: AgentOut
    expires_at: datetime


class CurrentAgent(ContractModel):
    """``GET /api/auth/me``."""

    agent: AgentOut


class AgentList(ContractModel):
    """``GET /api/agents``."""

    agents: List[AgentOut]


def agent_public(agent: Optional[Agent]) -> Optional[AgentOut]:
    """What the API tells about an agent."""
    if agent is None:
        return None
    return AgentOut(id=agent.id, email=agent.email, name=agent.name)

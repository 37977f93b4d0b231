"""Request and response shapes of sign-in and agents."""

from __future__ import annotations

from typing import Any, Dict, Optional

from pydantic import BaseModel, Extra, constr

from desk.models import Agent


class LoginRequest(BaseModel, extra=Extra.forbid):
    """``POST /api/auth/login``."""

    email: constr(strict=True, strip_whitespace=True, min_length=3, max_length=254)  # type: ignore[valid-type]
    password: constr(strict=True, min_length=1, max_length=1000)  # type: ignore[valid-type]


def agent_public(agent: Optional[Agent]) -> Optional[Dict[str, Any]]:
    """What the API tells about an agent."""
    if agent is None:
        return None
    return {"id": agent.id, "email": agent.email, "name": agent.name}

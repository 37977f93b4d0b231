"""HTTP routes of sign-in (``/api/auth``) and the agent list (``/api/agents``)."""

from __future__ import annotations

import logging

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from contract.responses import Status
from desk.agents import service, sessions
from desk.agents.schemas import AgentList, CurrentAgent, LoginRequest, SignedIn, agent_public
from desk.api_docs import Answer, documented
from desk.auth import check_origin, require_agent
from desk.errors import ApiError
from desk.http import answer, parse_body
from desk.ratelimit import limit, limiter, too_many

logger = logging.getLogger(__name__)

auth_bp = Blueprint("auth", url_prefix="/api/auth")
agents_bp = Blueprint("agents", url_prefix="/api/agents", strict_slashes=False)


@auth_bp.post("/login")
@documented(
    "Sign in; sets the HttpOnly, SameSite=Strict session cookie",
    {200: Answer("Signed in.", SignedIn)},
    body=LoginRequest,
    errors=(400, 401, 403, 422, 429),
)
async def login(request: Request) -> HTTPResponse:
    """Check email and password; on success set the session cookie.

    Rate-limited per client IP (every attempt) and per account (failed attempts): 429.
    """
    check_origin(request)
    limits = limiter(request)
    limit(limits.login_ip, limits.client(request), "Too many sign-in attempts; try again later.")
    data = parse_body(request, LoginRequest, "invalid_login", "sign-in request")
    account = data.email.strip().lower()
    wait = limits.login_account.retry_after(account)
    if wait:
        logger.warning("sign-in refused: too many failed attempts for one account")
        raise too_many(wait, "Too many failed sign-ins for this account; try again later.")
    settings = request.app.ctx.settings
    async with request.app.ctx.sessions() as session:
        agent = await service.authenticate(session, data.email, data.password)
        if agent is None:
            limits.login_account.record(account)
            logger.info("sign-in refused")
            raise ApiError(401, "invalid_credentials", "The email or the password is wrong.")
        limits.login_account.reset(account)
        token, expires_at = await sessions.open_session(session, agent, settings.session_hours)
    logger.info("agent %s signed in", agent.id)
    response = answer(SignedIn(agent=agent_public(agent), expires_at=expires_at))
    sessions.set_session_cookie(response, token, settings)
    return response


@auth_bp.post("/logout")
@documented("Sign out and clear the cookie", {200: Answer("Signed out.", Status)}, errors=(403,))
async def logout(request: Request) -> HTTPResponse:
    """End the current session (if any) and clear the cookie (from the desk's own pages only)."""
    check_origin(request)
    async with request.app.ctx.sessions() as session:
        await sessions.close_session(session, request.cookies.get(sessions.COOKIE_NAME, ""))
    response = answer(Status(status="signed_out"))
    sessions.clear_session_cookie(response, request.app.ctx.settings)
    return response


@auth_bp.get("/me")
@documented("The signed-in agent", {200: Answer("The agent.", CurrentAgent)}, errors=(401,))
@require_agent
async def me(request: Request) -> HTTPResponse:
    """The signed-in agent."""
    return answer(CurrentAgent(agent=agent_public(request.ctx.agent)))


@agents_bp.get("")
@documented("Active agents", {200: Answer("Agents by name.", AgentList)}, errors=(401,))
@require_agent
async def list_agents(request: Request) -> HTTPResponse:
    """Active agents, for assigning tickets."""
    async with request.app.ctx.sessions() as session:
        agents = await service.list_agents(session)
    return answer(AgentList(agents=[agent_public(agent) for agent in agents]))

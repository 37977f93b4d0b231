"""What the actions work with, opened when the action server starts and closed when it stops.

The action server (:mod:`actions.server`) builds one :class:`Services` from its
settings in a start-up listener and closes it in a stop listener, as the desk
does with its engine and HTTP client. rasa-sdk creates the actions itself, with
no arguments, so an action reaches the running services through
:func:`running`; tests build their own :class:`Services` and start them with
:func:`start` (or hand the pieces to an action directly).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from actions.action_database import ActionDatabase
from actions.business_rules import BusinessRules, load_business_rules
from actions.desk_client import DeskClient
from actions.ownership_checks import OwnershipChecks
from actions.settings import ActionSettings
from actions.ticket_outbox import TicketOutbox
from orders.repository import OrderRepository
from orders.sql import SqlOrderRepository


class ServicesNotStarted(RuntimeError):
    """An action ran outside a started action server (``python -m actions.server`` starts them)."""


@dataclass
class Services:
    """The action server's settings and the clients and stores built from them."""

    settings: ActionSettings
    rules: BusinessRules
    desk: DeskClient
    orders: OrderRepository
    database: ActionDatabase
    outbox: TicketOutbox
    checks: OwnershipChecks

    @classmethod
    def from_settings(cls, settings: ActionSettings) -> "Services":
        """Everything the settings name; connections are opened on first use."""
        rules = load_business_rules(settings.business_rules_file)
        database = ActionDatabase(settings.database_url)
        return cls(
            settings=settings,
            rules=rules,
            desk=DeskClient(settings),
            orders=SqlOrderRepository(settings.orders_url),
            database=database,
            outbox=TicketOutbox(database),
            checks=OwnershipChecks(database, rules),
        )

    async def close(self) -> None:
        """Close every client and pool."""
        await self.desk.close()
        await self.orders.close()
        await self.database.close()


_running: Optional[Services] = None


def start(services: Services) -> Services:
    """Make ``services`` the ones the actions use."""
    global _running
    _running = services
    return services


async def stop() -> None:
    """Close the running services."""
    global _running
    if _running is not None:
        await _running.close()
        _running = None


def running() -> Services:
    """The services of this action server.

    Raises:
        ServicesNotStarted: outside a started action server.
    """
    if _running is None:
        raise ServicesNotStarted("the action server's services are not started: run `python -m actions.server`")
    return _running


class UsesServices:
    """A base of actions that work with the action server's services, or with the ones a test hands them."""

    def __init__(self, services: Optional[Services] = None) -> None:
        """``services``: what to work with (default: the running action server's)."""
        self._services = services

    @property
    def services(self) -> Services:
        """The services in use."""
        return self._services or running()

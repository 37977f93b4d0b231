"""What agents and the bot do to a ticket: claim, assign, reply, messages, resolve, close.

Every status change is a compare-and-set ``UPDATE … WHERE status = <the status
read>``, so two agents acting at once cannot both succeed.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from contract.requests import MessageCreate
from desk.attachments.service import link_to_ticket
from desk.deliveries.service import enqueue
from contract.vocabulary import OPEN_STATUSES
from desk.models import Agent, Delivery, Ticket, TicketMessage, utcnow
from desk.notify import outbox, texts
from desk.tickets.workflow import TicketConflict, check_allowed, next_status
from support import customer_texts as say
from support.pii import mask

HANDBACK_TEXT = "상담원이 대화를 챗봇에게 넘겼습니다."


async def _change(
    session: AsyncSession, ticket: Ticket, action: str, *conditions: Any, **values: Any
) -> None:
    """Apply ``action``'s status (and ``values``) if the ticket is still as it was read."""
    number = ticket.number  # read now: a rollback expires the object
    check_allowed(action, number, ticket.status)
    values.setdefault("status", next_status(action, ticket.status))
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.status == ticket.status, *conditions)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        await session.rollback()
        raise TicketConflict("concurrent_change", f"Ticket {number} was changed meanwhile; reload it.")


def _system_line(ticket: Ticket, text: str) -> TicketMessage:
    return TicketMessage(ticket_id=ticket.id, author="system", text=text, sent_at=utcnow())


async def claim(session: AsyncSession, ticket: Ticket, agent: Agent) -> None:
    """The signed-in agent takes an unassigned ticket (again claiming one's own is fine)."""
    if ticket.assigned_agent_id not in (None, agent.id):
        raise TicketConflict("already_assigned", f"Ticket {ticket.number} is assigned to another agent.")
    unclaimed = or_(Ticket.assigned_agent_id.is_(None), Ticket.assigned_agent_id == agent.id)
    await _change(session, ticket, "claim", unclaimed, assigned_agent_id=agent.id)
    if ticket.assigned_agent_id != agent.id:
        session.add(_system_line(ticket, f"{agent.name} 상담원이 티켓을 맡았습니다."))
    await session.commit()


async def assign(session: AsyncSession, ticket: Ticket, agent: Agent) -> None:
    """Give an open ticket to ``agent`` (also a reassignment)."""
    await _change(session, ticket, "assign", assigned_agent_id=agent.id)
    if ticket.assigned_agent_id != agent.id:
        session.add(_system_line(ticket, f"{agent.name} 상담원에게 배정되었습니다."))
    await session.commit()


async def reply(
    session: AsyncSession, ticket: Ticket, agent: Agent, text: str, kakao_events: bool = False
) -> Tuple[TicketMessage, Delivery]:
    """The agent answers: a thread line, a delivery, and the ticket waits for the customer.

    An unassigned ticket becomes the replying agent's. The thread keeps the text
    masked like every line agents see; the delivery keeps it as written. A customer who
    left an e-mail address gets it by e-mail too; a KakaoTalk customer (with
    ``kakao_events``) is told by a KakaoTalk event that a reply waits.
    """
    values = {} if ticket.assigned_agent_id is not None else {"assigned_agent_id": agent.id}
    await _change(session, ticket, "reply", **values)
    message = TicketMessage(
        ticket_id=ticket.id, author="agent", agent_id=agent.id, text=mask(text), sent_at=utcnow()
    )
    session.add(message)
    delivery = enqueue(session, ticket, text)  # the customer gets what the agent wrote
    outbox.enqueue_email(session, ticket, texts.reply_subject(ticket.number), texts.reply_body(ticket.number, text))
    if kakao_events:
        outbox.enqueue_kakao(session, ticket, texts.kakao_reply_waiting(ticket.number))
    await session.commit()
    return message, delivery


async def leave_email(session: AsyncSession, ticket: Ticket, address: str) -> bool:
    """The customer left an e-mail address: keep it on the open ticket and queue a copy of the
    conversation so far (the thread as agents see it, masked). Returns whether the copy was queued.

    Raises:
        TicketConflict: the ticket is no longer open, or already has an address.
    """
    if ticket.status not in OPEN_STATUSES:
        raise TicketConflict("ticket_not_open", f"Ticket {ticket.number} is no longer open.")
    if ticket.notify_email:
        # one address per ticket, one copy: the route can never be used to mail the thread again and again
        raise TicketConflict("email_already_set", f"Ticket {ticket.number} already has an e-mail address.")
    ticket.notify_email = address
    lines = [(line.author, line.text, line.sent_at) for line in ticket.messages]
    queued = outbox.enqueue_email(
        session, ticket, texts.copy_subject(ticket.number), texts.copy_body(ticket.number, lines)
    )
    await session.commit()
    return queued is not None


async def resolve(session: AsyncSession, ticket: Ticket, agent: Agent, kakao_events: bool = False) -> None:
    """Mark an open ticket resolved (and tell a customer who left, by e-mail or a KakaoTalk event)."""
    values = {} if ticket.assigned_agent_id is not None else {"assigned_agent_id": agent.id}
    await _change(session, ticket, "resolve", resolved_at=utcnow(), **values)
    session.add(_system_line(ticket, f"{agent.name} 상담원이 티켓을 해결했습니다."))
    enqueue(session, ticket, say.TICKET_RESOLVED, kind="resolved")
    _tell_the_end(session, ticket, say.TICKET_RESOLVED, kakao_events)
    await session.commit()


def _tell_the_end(session: AsyncSession, ticket: Ticket, text: str, kakao_events: bool) -> None:
    outbox.enqueue_email(session, ticket, texts.resolved_subject(ticket.number), texts.resolved_body(ticket.number, text))
    if kakao_events:
        outbox.enqueue_kakao(session, ticket, texts.kakao_resolved(ticket.number))


async def handback(session: AsyncSession, ticket: Ticket, agent: Agent, kakao_events: bool = False) -> None:
    """End the human conversation: the ticket is resolved and the bot answers again."""
    await _change(session, ticket, "handback", resolved_at=utcnow())
    session.add(_system_line(ticket, HANDBACK_TEXT))
    enqueue(session, ticket, say.HANDOFF_ENDED, kind="resolved")
    _tell_the_end(session, ticket, say.HANDOFF_ENDED, kakao_events)
    await session.commit()


async def close(session: AsyncSession, ticket: Ticket, agent: Agent) -> None:
    """Close a resolved ticket for good."""
    await _change(session, ticket, "close", closed_at=utcnow())
    session.add(_system_line(ticket, f"{agent.name} 상담원이 티켓을 종료했습니다."))
    await session.commit()


async def _message_by_key(session: AsyncSession, ticket_id: int, key: str) -> Optional[TicketMessage]:
    return await session.scalar(
        select(TicketMessage).where(
            TicketMessage.ticket_id == ticket_id, TicketMessage.idempotency_key == key
        )
    )


async def add_message(
    session: AsyncSession, ticket: Ticket, data: MessageCreate, key: str
) -> Tuple[TicketMessage, bool]:
    """Append a customer, bot or system line; a repeated ``key`` returns the first one.

    The text is masked before it is stored (:mod:`desk.privacy`). A customer's
    message on a ticket waiting for the customer puts it back to ``assigned``.
    A concurrent retry with the same key also ends as a replay.

    Returns:
        ``(message, created)``.
    """
    ticket_id = ticket.id  # read now: a rollback expires the object
    existing = await _message_by_key(session, ticket_id, key)
    if existing is not None:
        return existing, False
    try:
        status = next_status("message", ticket.status, data.author)
        await _change(session, ticket, "message", status=status)
        session.add(
            TicketMessage(
                ticket_id=ticket_id,
                author=data.author,
                text=mask(data.text),
                sent_at=data.sent_at or utcnow(),
                idempotency_key=key,
            )
        )
        await link_to_ticket(session, ticket, data.attachments)
        await session.commit()
    except (IntegrityError, TicketConflict):
        await session.rollback()
        existing = await _message_by_key(session, ticket_id, key)
        if existing is None:
            raise
        return existing, False
    except Exception:
        await session.rollback()
        raise
    message = await _message_by_key(session, ticket_id, key)
    return message, True

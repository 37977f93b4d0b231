"""What an order's records say about a delay or a payment problem, in plain Korean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional, Tuple

from actions.business_rules import BusinessRules
from orders.model import (
    ACCEPTED, CANCELLED, COOKING, DELIVERED, ON_THE_WAY, PAYMENT_CANCELLED, REFUNDED, Order, Payment,
)
from support import customer_texts as say


def clock(moment: datetime, rules: BusinessRules) -> str:
    """``19시 40분`` (``9시`` on the hour) in the business rules' timezone."""
    local = moment.astimezone(rules.timezone)
    if local.minute == 0:
        return say.CLOCK_ON_THE_HOUR.format(hour=local.hour)
    return say.CLOCK.format(hour=local.hour, minute=local.minute)


def day_and_clock(moment: datetime, rules: BusinessRules) -> str:
    """``11월 22일 19시 40분``."""
    local = moment.astimezone(rules.timezone)
    return say.DAY_AND_CLOCK.format(month=local.month, day=local.day, clock=clock(moment, rules))


def won(amount: int) -> str:
    """``23,000원``."""
    return say.WON.format(amount=amount)


# what the customer is told an open status means
STATUS_EXPLANATIONS = {
    ACCEPTED: say.ACCEPTED_EXPLAINED,
    COOKING: say.COOKING_EXPLAINED,
    ON_THE_WAY: say.ON_THE_WAY_EXPLAINED,
}

@dataclass(frozen=True)
class DelayFacts:
    """An order's delivery state as the bot explains it."""

    status: str
    late: bool
    minutes_late: int
    minutes_to_eta: Optional[int]
    delivered: bool
    cancelled: bool
    resolutions: Tuple[str, ...]


def delay_facts(order: Order, now: datetime, rules: BusinessRules) -> DelayFacts:
    """Is the order late, by how much, and which remedies its status allows."""
    delivered = order.status == DELIVERED
    cancelled = order.status == CANCELLED
    minutes_to_eta = None
    late = False
    minutes_late = 0
    if not delivered and not cancelled:
        if order.estimated_arrival is not None:
            delta = order.estimated_arrival - now
            minutes_to_eta = int(delta.total_seconds() // 60)
            late = -delta > rules.late_after
            minutes_late = max(0, int(-delta.total_seconds() // 60))
        else:
            waited = now - order.ordered_at
            late = waited > rules.late_without_eta
            minutes_late = max(0, int((waited - rules.late_without_eta).total_seconds() // 60))
    resolutions: Tuple[str, ...] = ("wait", "refund") if late else ()
    return DelayFacts(order.status, late, minutes_late, minutes_to_eta, delivered, cancelled, resolutions)


def delay_message(order: Order, facts: DelayFacts, now: datetime, rules: BusinessRules) -> str:
    """The status and ETA of an order in plain Korean."""
    if facts.cancelled:
        return say.ORDER_CANCELLED.format(store=order.store_name)
    if facts.delivered:
        when = clock(order.delivered_at, rules) if order.delivered_at else say.ORDER_DELIVERED_JUST_NOW
        return say.ORDER_DELIVERED.format(store=order.store_name, when=when)
    status = say.ORDER_STATUS.format(
        store=order.store_name, status=order.status, explanation=STATUS_EXPLANATIONS.get(order.status, "")
    )
    if order.estimated_arrival is None:
        return status
    eta = clock(order.estimated_arrival, rules)
    if facts.late:
        return say.ORDER_LATE.format(status=status, eta=eta, minutes=facts.minutes_late)
    if facts.minutes_to_eta is not None and facts.minutes_to_eta > 0:
        return say.ORDER_ON_TIME.format(status=status, eta=eta, minutes=facts.minutes_to_eta)
    return say.ORDER_ALMOST_DUE.format(status=status, eta=eta)


@dataclass(frozen=True)
class PaymentFindings:
    """What the payment records of an order show."""

    double_charge: bool
    charged_no_order: bool
    refunded: Tuple[Payment, ...]
    approved_total: int


def payment_findings(order: Order) -> PaymentFindings:
    """Double charges, money taken for a cancelled order, refunds."""
    approved = order.approved_payments
    amounts = [p.amount for p in approved]
    double = len(approved) >= 2 and len(set(amounts)) < len(amounts)
    return PaymentFindings(
        double_charge=double,
        charged_no_order=order.status == CANCELLED and bool(approved),
        refunded=tuple(p for p in order.payments if p.state in (REFUNDED, PAYMENT_CANCELLED)),
        approved_total=sum(amounts),
    )


def payment_message(order: Order, findings: PaymentFindings, rules: BusinessRules) -> str:
    """What the bot found in the payment records."""
    if findings.double_charge:
        charges = ", ".join(
            say.PAYMENT_CHARGE.format(method=clock(p.approved_at, rules), amount=won(p.amount))
            for p in order.approved_payments
        )
        return say.PAYMENT_DOUBLE.format(charges=charges)
    if findings.charged_no_order:
        return say.PAYMENT_CHARGED_NO_ORDER.format(amount=won(findings.approved_total))
    if findings.refunded:
        payment = findings.refunded[-1]
        kind = say.PAYMENT_REFUNDED if payment.state == REFUNDED else say.PAYMENT_CANCELLED
        when = day_and_clock(payment.settled_at, rules) if payment.settled_at else say.PAYMENT_SETTLED_RECENTLY
        return say.PAYMENT_SETTLED.format(amount=won(payment.amount), when=when, kind=kind)
    charges = ", ".join(
        say.PAYMENT_CHARGE.format(method=p.method, amount=won(p.amount)) for p in order.approved_payments
    )
    return say.PAYMENT_HISTORY.format(charges=charges or say.PAYMENT_NONE)

"""What an order's records say about a delay or a payment problem, in plain Korean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional, Tuple

from actions.business_rules import BusinessRules
from orders.model import Order, Payment

METHOD_NAMES = {"wait": "계속 기다리기", "refund": "환불 요청", "redelivery": "재배달 요청"}


def clock(moment: datetime, rules: BusinessRules) -> str:
    """``19시 40분`` (``9시`` on the hour) in the business rules' timezone."""
    local = moment.astimezone(rules.timezone)
    return f"{local.hour}시" if local.minute == 0 else f"{local.hour}시 {local.minute:02d}분"


def day_and_clock(moment: datetime, rules: BusinessRules) -> str:
    """``11월 22일 19시 40분``."""
    local = moment.astimezone(rules.timezone)
    return f"{local.month}월 {local.day}일 {clock(moment, rules)}"


def won(amount: int) -> str:
    """``23,000원``."""
    return f"{amount:,}원"


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
    delivered = order.status == "배달완료"
    cancelled = order.status == "취소"
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
    where = {
        "접수": "가게에서 주문을 접수했고 아직 라이더가 배정되지 않았어요",
        "조리중": "가게에서 음식을 조리하고 있어요",
        "배달중": "라이더가 음식을 배달하고 있어요",
    }
    if facts.cancelled:
        return f"{order.store_name} 주문은 취소된 주문이에요."
    if facts.delivered:
        when = clock(order.delivered_at, rules) if order.delivered_at else "조금 전"
        return f"{order.store_name} 주문은 {when}에 배달완료로 표시돼 있어요."
    text = f"{order.store_name} 주문은 지금 '{order.status}' 상태예요. {where.get(order.status, '')}."
    if order.estimated_arrival is None:
        return text
    eta = clock(order.estimated_arrival, rules)
    if facts.late:
        return f"{text} 예상 도착 시간({eta})보다 {facts.minutes_late}분 늦어지고 있어요. 정말 죄송해요."
    if facts.minutes_to_eta is not None and facts.minutes_to_eta > 0:
        return f"{text} 예상 도착 시간은 {eta}이에요. 약 {facts.minutes_to_eta}분 남았어요."
    return f"{text} 예상 도착 시간({eta})이 거의 다 됐어요. 조금만 더 기다려 주세요."


@dataclass(frozen=True)
class PaymentFindings:
    """What the payment records of an order show."""

    double_charge: bool
    charged_no_order: bool
    refunded: Tuple[Payment, ...]
    approved_total: int

    @property
    def needs_money_moved(self) -> bool:
        """A charge has to be cancelled or refunded by a person."""
        return self.double_charge or self.charged_no_order


def payment_findings(order: Order) -> PaymentFindings:
    """Double charges, money taken for a cancelled order, refunds."""
    approved = order.approved_payments
    amounts = [p.amount for p in approved]
    double = len(approved) >= 2 and len(set(amounts)) < len(amounts)
    return PaymentFindings(
        double_charge=double,
        charged_no_order=order.status == "취소" and bool(approved),
        refunded=tuple(p for p in order.payments if p.state in ("refunded", "cancelled")),
        approved_total=sum(amounts),
    )


def payment_message(order: Order, findings: PaymentFindings, rules: BusinessRules) -> str:
    """What the bot found in the payment records."""
    if findings.double_charge:
        charges = ", ".join(
            f"{clock(p.approved_at, rules)} {won(p.amount)}" for p in order.approved_payments
        )
        return f"결제 내역을 확인해 보니 한 주문에 결제가 두 번 승인됐어요 ({charges}). 중복 결제가 맞아요."
    if findings.charged_no_order:
        return (
            f"이 주문은 취소됐는데 {won(findings.approved_total)} 결제는 아직 승인 상태로 남아 있어요. "
            "결제 취소가 필요해요."
        )
    if findings.refunded:
        payment = findings.refunded[-1]
        kind = "환불" if payment.state == "refunded" else "결제 취소"
        when = day_and_clock(payment.settled_at, rules) if payment.settled_at else "최근"
        return (
            f"{won(payment.amount)}은 {when}에 {kind} 처리됐어요. "
            "카드사나 결제사에 따라 실제 반영까지 3~7영업일이 걸릴 수 있어요."
        )
    charges = ", ".join(f"{p.method} {won(p.amount)}" for p in order.approved_payments) or "없음"
    return f"이 주문의 결제 내역은 {charges}이에요."

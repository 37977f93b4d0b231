"""An order described by store, menu or time is found among the customer's own recent orders."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from actions.order_by_description import is_description, match_description
from orders.model import Order, OrderItem
from support.korean_time import SEOUL

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=SEOUL)


def order(number: str, store: str, ago: timedelta, *items: str) -> Order:
    return Order(
        number=number, customer_id="cust-001", customer_name="김민지", customer_phone="010-1234-5678",
        store_name=store, store_phone="02-555-0000", status="배달중", ordered_at=NOW - ago,
        estimated_arrival=None, delivered_at=None, address="서울시 강남구 테헤란로 123",
        items=tuple(OrderItem(name=item, quantity=1, price=10000) for item in items),
    )


BBQ = order("ORD-261207-0001", "BBQ 강남점", timedelta(minutes=40), "황금올리브치킨")
PIZZA = order("ORD-261207-0002", "피자나라 역삼점", timedelta(hours=2, minutes=10), "페퍼로니 피자")
CHICKEN = order("ORD-261206-0003", "행복치킨 강남점", timedelta(days=1, hours=1), "후라이드치킨")
MARA = order("ORD-261205-0004", "마라 천국", timedelta(days=2), "마라탕")
RECENT = [BBQ, PIZZA, CHICKEN, MARA]


def numbers(text: str):
    match = match_description(text, RECENT, NOW)
    return None if match is None else [o.number for o in match.orders]


@pytest.mark.parametrize("text, expected", [
    ("아까 BBQ에서 시킨 거요", [BBQ.number]),
    ("bbq요", [BBQ.number]),
    ("피자나라에서 주문한 거", [PIZZA.number]),
    ("페퍼로니 피자 시킨 거요", [PIZZA.number]),
    ("마라탕이요", [MARA.number]),
    ("행복치킨", [CHICKEN.number]),
])
def test_a_store_or_menu_item_names_one_order_for_sure(text, expected):
    match = match_description(text, RECENT, NOW)
    assert [o.number for o in match.orders] == expected
    assert match.sure


@pytest.mark.parametrize("text, expected", [
    # two stores sell chicken: both are offered, newest first
    ("치킨 시킨 거요", [BBQ.number, CHICKEN.number]),
    # a time alone narrows, but is never taken without asking
    ("어제 시킨 거요", [CHICKEN.number]),
    ("아까 시킨 거요", [BBQ.number, PIZZA.number]),
    ("오늘 저녁에 주문한 거요", [BBQ.number, PIZZA.number]),
    ("7시 40분쯤 시킨 거요", [BBQ.number]),
    # a store and a time that do not fit together: the store's order, asked back
    ("어제 BBQ에서 시킨 거요", [BBQ.number]),
    # a store denied is never taken without asking
    ("비비큐 말고 BBQ 강남점이요", [BBQ.number]),
    ("BBQ 말고요", [BBQ.number]),
])
def test_a_time_or_a_shared_word_narrows_the_choice_without_deciding(text, expected):
    match = match_description(text, RECENT, NOW)
    assert [o.number for o in match.orders] == expected
    assert not match.sure


def test_a_described_store_the_customer_never_ordered_from_matches_nothing():
    match = match_description("교촌에서 시킨 거요", RECENT, NOW)
    assert match is not None and match.orders == ()


@pytest.mark.parametrize("text", [
    "잠시만요", "주문번호를 모르겠어요", "네", "30분 전에요", "1분만요", "배달이 너무 늦어요", "", "ㅋㅋㅋㅋ",
])
def test_words_that_describe_no_order_are_left_to_the_form(text):
    assert numbers(text) is None


def test_nothing_outside_the_given_orders_can_be_matched():
    """The caller passes only the signed-in customer's orders: the matcher never reaches any other."""
    assert match_description("피자나라에서 시킨 거요", [BBQ, CHICKEN], NOW).orders == ()


@pytest.mark.parametrize("text, expected", [
    ("아까 BBQ에서 시킨 거요", True), ("어제 저녁에 주문한 거요", True), ("치킨 시킨 거", True),
    ("잠시만요", False), ("BBQ", False), ("어제요", False),
])
def test_what_counts_as_a_description_without_the_customers_orders(text, expected):
    assert is_description(text, NOW) is expected


NIGHT = order("ORD-261207-0005", "새벽집 본점", timedelta(hours=19, minutes=30), "해장국")  # 00:30 today
TONGDAK = order("ORD-261206-0006", "오늘통닭", timedelta(days=1, hours=2), "반반치킨")
NENE = order("ORD-261207-0007", "네네치킨 역삼점", timedelta(hours=1), "스노윙치킨")
MORE = [*RECENT, NIGHT, TONGDAK, NENE]


@pytest.mark.parametrize("text, expected, sure", [
    # time words inside a store's name are the name
    ("새벽집에서 시킨 거요", [NIGHT.number], True),
    ("오늘통닭에서 시킨 거요", [TONGDAK.number], True),
    ("어제 오늘통닭에서 시킨 거요", [TONGDAK.number], True),
    # "아까워요" is no "아까"
    ("마라탕 시킨 거요 진짜 아까워", [MARA.number], True),
    # a night runs past midnight
    ("어젯밤에 시킨 거요", [NIGHT.number], False),
    ("어제 밤 12시 반쯤 시킨 거", [NIGHT.number], False),
    # the order one word names while another denies it, and yes-words
    ("엄마손 김밥 말고 BBQ요", [BBQ.number], False),
])
def test_words_that_look_like_times_or_choices_are_read_as_customers_mean_them(text, expected, sure):
    match = match_description(text, MORE, NOW)
    assert [o.number for o in match.orders] == expected
    assert match.sure is sure


@pytest.mark.parametrize("text", ["네네", "네네 맞아요"])
def test_a_yes_is_no_store(text):
    assert match_description(text, MORE, NOW) is None


def test_the_time_is_read_in_seoul_whatever_the_clock_given():
    from datetime import timezone

    in_utc = NOW.astimezone(timezone.utc)
    assert match_description("어젯밤에 시킨 거요", MORE, in_utc) == match_description("어젯밤에 시킨 거요", MORE, NOW)


@pytest.mark.parametrize("text, expected", [
    ("좀 전에 행복치킨에서 시킨 거예요", True),
    ("피자나라에서 시킨 거요", True),
    ("행복치킨에서 시킨 치킨이 다 식었어요", False),  # a quality problem with the order named: a switch
    ("교촌에서 시킨 거요", False),  # no order of hers
    ("행복치킨", False),  # no verb of ordering
])
def test_a_message_that_only_names_her_order(text, expected):
    from actions.order_by_description import only_names

    assert only_names(text, RECENT) is expected

"""Table-driven tests for support.amounts.

AMOUNT_CASES is the spec for parse_amount: (text, expected won or None).
"""

from __future__ import annotations

import random

import pytest

from support.amounts import MAX_WON, AmountMatch, find_amounts, parse_amount

AMOUNT_CASES = [
    # --- digits ----------------------------------------------------------
    ("12,000원", 12_000),
    ("12000원", 12_000),
    ("12.000원", 12_000),  # dot typed as thousands separator
    ("15,900원", 15_900),
    ("배달비 3,000 원 포함이요", 3_000),
    ("총 결제 금액이 15,900원인데 환불해주세요", 15_900),
    ("0원", 0),
    # --- Korean numerals ---------------------------------------------------
    ("만 이천원", 12_000),
    ("만이천원", 12_000),
    ("천오백원", 1_500),
    ("오천 원", 5_000),
    ("만원", 10_000),
    ("백만원", 1_000_000),
    ("이만 삼천오백 원", 23_500),
    ("천만원", 10_000_000),  # exactly MAX_WON is still accepted
    # --- mixed digits and numerals -------------------------------------------
    ("2만5천원", 25_000),
    ("2만 5천 원", 25_000),
    ("3만원", 30_000),
    ("1만2500원", 12_500),
    ("10만원", 100_000),
    ("1만 2천 5백원", 12_500),
    ("1.5만원", 15_000),
    ("치킨 값 2만 1천원 냈어요", 21_000),
    # --- bare numbers: parse_amount only, whole string ------------------------
    ("12000", 12_000),
    ("12,000", 12_000),
    ("  12,000 ", 12_000),
    ("3만", 30_000),
    ("2만5천", 25_000),
    # --- not amounts ------------------------------------------------------
    ("7시", None),
    ("7시에 주문했어요", None),
    ("2인분", None),
    ("치킨 7개", None),
    ("ORD-261122-0042", None),
    ("261122-0042", None),
    ("주문번호 261122-0042 확인 부탁드려요", None),
    ("010-1234-5678", None),
    ("01012345678", None),  # bare, but over MAX_WON
    ("12000 주세요", None),  # digits without 원 inside a sentence
    ("오천", None),  # bare Korean numeral without a digit or 원
    ("배달 사원이 불친절해요", None),
    ("그것만 원해요", None),
    ("원래 가격이 얼마죠", None),
    ("12,00원", None),
    ("12.5원", None),
    ("2천5000원", None),
    # --- implausible: more than 10,000,000 won ---------------------------------
    ("2천만원", None),
    ("20,000,000원", None),
    ("1억원", None),
    ("1억 5백만원", None),  # and no partial "5백만원"
    ("", None),
    ("😀💸", None),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    AMOUNT_CASES,
    ids=[f"row{i:03d}" for i in range(len(AMOUNT_CASES))],
)
def test_parse_amount_table(text: str, expected: int | None) -> None:
    assert parse_amount(text) == expected, text


def test_table_is_big_enough() -> None:
    assert len(AMOUNT_CASES) >= 25


# (sentence, [(match text, won), ...])
FIND_CASES = [
    (
        "치킨 18,000원에 배달비 3천원 해서 2만 1천원 냈어요",
        [("18,000원", 18_000), ("3천원", 3_000), ("2만 1천원", 21_000)],
    ),
    ("주문번호 261122-0042, 7시에 2인분 12,000원", [("12,000원", 12_000)]),
    ("총12,000원 결제", [("12,000원", 12_000)]),
    ("오천 원짜리 쿠폰", [("오천 원", 5_000)]),
    ("2천만원 말고 2만원이요", [("2만원", 20_000)]),
    # A bare number is only accepted by parse_amount, never inside text.
    ("12000", []),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_amounts_offsets(text: str, expected: list[tuple[str, int]]) -> None:
    matches = find_amounts(text)
    assert [(m.text, m.value) for m in matches] == expected
    search_from = 0
    for match in matches:
        assert isinstance(match, AmountMatch)
        assert text[match.start : match.end] == match.text
        assert match.start == text.index(match.text, search_from)
        search_from = match.end


def test_parse_amount_returns_first_match() -> None:
    assert parse_amount("배달비 3천원, 총 2만 1천원") == 3_000


LONG_INPUTS = {
    "digits": "1" * 10_000,
    "digits-won": "1" * 10_000 + "원",
    "grouped-won": "1" + ",000" * 2_500 + "원",
    "units": "만" * 10_000,
    "mixed": "1만" * 5_000 + "원",
    "spaces": " " * 10_000 + "원",
    **{
        f"random{seed}": "".join(
            random.Random(seed).choices(list("0123456789 ,.원만천백십억이삼오가시😀"), k=10_000)
        )
        for seed in range(5)
    },
}


@pytest.mark.parametrize("text", list(LONG_INPUTS.values()), ids=list(LONG_INPUTS))
def test_never_raises(text: str) -> None:
    for match in find_amounts(text):
        assert text[match.start : match.end] == match.text
        assert 0 <= match.value <= MAX_WON
    value = parse_amount(text)
    assert value is None or 0 <= value <= MAX_WON

"""Personal data for tests: what a customer writes, the full values that must never show, their masks."""

from __future__ import annotations

from typing import Iterable

# one of each kind, as customers type them
PHONE = "010-1234-5678"
CARD = "4111 1111 1111 1111"
RRN = "900101-1234567"
EMAIL = "m.kim@example.com"
ADDRESS = "서울시 강남구 테헤란로 123 101동 1203호"

MESSAGE = f"제 번호 {PHONE}, 카드 {CARD}, 주민번호 {RRN}, 메일 {EMAIL}, 주소 {ADDRESS}로 와 주세요"

# what must never appear: the values and their digit runs in any spelling
FULL = (
    PHONE, "01012345678", CARD, "4111111111111111", "1111 1111 1111 1111",
    RRN, "9001011234567", EMAIL, "m.kim@", "테헤란로 123", "1203호",
)
# what the agent sees instead
MASKED = ("010-****-5678", "****-****-****-1111", "******-*******", "m***@example.com", "서울시 강남구 ***")


def leaks(text: str, values: Iterable[str] = FULL) -> list:
    """The full values found in ``text`` (an empty list when nothing leaks)."""
    return [value for value in values if value in text]


def assert_masked(text: str, expected: Iterable[str] = MASKED) -> None:
    """No full value in ``text``, and every expected mask in it (proof the text got there)."""
    assert leaks(text) == [], f"leaked {leaks(text)} in: {text[:2000]}"
    missing = [value for value in expected if value not in text]
    assert missing == [], f"missing {missing} in: {text[:2000]}"

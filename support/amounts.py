"""Find and parse Korean won amounts in customer-support messages.

Amounts may be written with digits (``12,000원``, ``12000원``, the typo
``12.000원``), Sino-Korean numerals (``만 이천원``, ``천오백원``) or a mix of
the two (``2만 5천 원``, ``1만2500원``, ``1.5만원``). Inside free text an
amount must end in ``원``, so ``7시``, ``2인분`` and order numbers never match.
Values above :data:`MAX_WON` are rejected as implausible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Optional

from support.korean_numerals import SINO_DIGITS

MAX_WON = 10_000_000


@dataclass(frozen=True)
class AmountMatch:
    """An amount of money found in a text.

    Attributes:
        start: Character offset of the amount in the input text.
        end: Exclusive end offset (just after ``원``).
        text: ``text[start:end]``.
        value: The amount in won.
    """

    start: int
    end: int
    text: str
    value: int


_SMALL_UNITS = {"십": 10, "백": 100, "천": 1_000}
_BIG_UNITS = {"만": 10_000, "억": 100_000_000}
_MAX_DIGITS = 15  # longer digit runs are never plausible amounts

# "12,000" / "12.000" (grouped), or "12000" / "1.5" (plain, optional decimals).
_ARABIC = r"(?:\d{1,3}(?:[,.]\d{3})+|\d+(?:\.\d{1,2})?)(?!\d)"
_TOKEN = rf"(?:{_ARABIC}|[일이삼사오육칠팔구십백천만억])"
_GAP = r"[^\S\r\n]?"  # at most one horizontal space between parts
_NUMERAL = rf"{_TOKEN}(?:{_GAP}{_TOKEN}){{0,11}}"

# Digit-led amounts must not continue a number; Hangul-led ones must not
# continue a word ("치킨만 원해요", "배달사원").
_START = r"(?:(?<![가-힣\d.,])|(?<=[가-힣])(?=\d))"
# "원" starting another word ("원래", "원해요", "원칙") is not the currency.
_WON = r"원(?![래하해했함합칙])"

_AMOUNT_RE = re.compile(rf"{_START}(?P<numeral>{_NUMERAL}){_GAP}{_WON}")
_BARE_RE = re.compile(_NUMERAL)
_TOKEN_RE = re.compile(_TOKEN)
_GROUPED_RE = re.compile(r"\d{1,3}(?:[,.]\d{3})+")


def find_amounts(text: str) -> list[AmountMatch]:
    """Find all won amounts (ending in ``원``) in ``text``.

    Args:
        text: The user message.

    Returns:
        Matches in order of appearance; ``[]`` if there are none.
    """
    if not isinstance(text, str):
        return []
    found: list[AmountMatch] = []
    pos = 0
    while (m := _AMOUNT_RE.search(text, pos)) is not None:
        value = _numeral_value(m.group("numeral"))
        if value is None:
            pos = _resume_after_malformed(m)
            continue
        if _is_plausible(value) and not _is_lone_sino_digit(m.group("numeral")):
            found.append(AmountMatch(m.start(), m.end(), m.group(), value))
        pos = m.end()  # never report part of an implausible amount
    return found


def _resume_after_malformed(m: re.Match) -> int:
    """Where to search next after a malformed numeral.

    "사 2만원" may still hold "2만원" after the space, but "2천5000원" must
    not yield "5000원".
    """
    gap = re.search(r"\s", m.group("numeral"))
    return m.start() + gap.end() if gap else m.end()


def parse_amount(text: str) -> int | None:
    """Parse the first amount in ``text``.

    Besides amounts ending in ``원``, the whole string may be a bare number
    such as ``"12000"``, ``"12,000"`` or ``"3만"`` (it must contain a digit).

    Args:
        text: The user message.

    Returns:
        The amount in won, or ``None`` if there is no plausible amount.
    """
    if not isinstance(text, str):
        return None
    bare = _bare_value(text.strip())
    if bare is not None:
        return bare
    matches = find_amounts(text)
    return matches[0].value if matches else None


def _bare_value(text: str) -> int | None:
    """Value of a whole string that is just a number containing a digit."""
    if not any(ch.isdigit() for ch in text) or not _BARE_RE.fullmatch(text):
        return None
    value = _numeral_value(text)
    return value if value is not None and _is_plausible(value) else None


def _is_plausible(value: int) -> bool:
    """True for amounts between 0 and :data:`MAX_WON` won."""
    return 0 <= value <= MAX_WON


def _is_lone_sino_digit(numeral: str) -> bool:
    """True for "사원", "구원" etc., which are words, not 4 or 9 won."""
    return numeral in SINO_DIGITS


# --------------------------------------------------------------------------
# Numeral evaluation
# --------------------------------------------------------------------------


class _Numeral:
    """Left-to-right evaluator for numerals such as "2만 5천" or "천오백".

    Units must decrease (만 after 억, 천 before 백 ...); a number may only be
    followed by a unit or end the numeral.
    """

    def __init__(self) -> None:
        self.total = Fraction(0)
        self.section = Fraction(0)  # the part below the current big unit
        self.pending: Optional[Fraction] = None  # number awaiting its unit
        self.last_big = _BIG_UNITS["억"] * 10
        self.last_small = _SMALL_UNITS["천"] * 10

    def feed(self, token: str) -> bool:
        """Consume one token; return False if the numeral is malformed."""
        if token in _BIG_UNITS:
            return self._big(_BIG_UNITS[token])
        if token in _SMALL_UNITS:
            return self._small(_SMALL_UNITS[token])
        return self._number(_token_number(token))

    def result(self) -> Optional[Fraction]:
        """The numeral's value, or None if its last number is out of place."""
        tail = self.pending or Fraction(0)
        if tail >= self._tail_limit():
            return None  # "2천5000", "1만20000"
        return self.total + self.section + tail

    def _tail_limit(self) -> Fraction:
        """A trailing number must be below the last unit seen, if any."""
        if self.last_small <= _SMALL_UNITS["천"]:
            return Fraction(self.last_small)
        if self.last_big <= _BIG_UNITS["억"]:
            return Fraction(self.last_big)
        return Fraction(10) ** _MAX_DIGITS

    def _number(self, number: Optional[Fraction]) -> bool:
        if number is None or self.pending is not None:
            return False
        self.pending = number
        return True

    def _small(self, unit: int) -> bool:
        if unit >= self.last_small or (self.pending or 0) >= 10:
            return False
        self.section += unit * (1 if self.pending is None else self.pending)
        self.pending, self.last_small = None, unit
        return True

    def _big(self, unit: int) -> bool:
        if unit >= self.last_big:
            return False
        multiplier = self.section + (self.pending or 0)
        if self.pending is None and self.section == 0:
            multiplier = Fraction(1)  # bare "만" is 10,000
        self.total += unit * multiplier
        self.section, self.pending = Fraction(0), None
        self.last_big, self.last_small = unit, _SMALL_UNITS["천"] * 10
        return True


def _numeral_value(numeral: str) -> int | None:
    """Integer value of a numeral string, or None if it is malformed."""
    evaluator = _Numeral()
    for token in _TOKEN_RE.findall(numeral):
        if not evaluator.feed(token):
            return None
    value = evaluator.result()
    if value is None or value.denominator != 1:
        return None
    return int(value)


def _token_number(token: str) -> Optional[Fraction]:
    """Value of a Sino-Korean digit or a digit string, or None if too long."""
    if token in SINO_DIGITS:
        return Fraction(SINO_DIGITS[token])
    if len(token) > _MAX_DIGITS:
        return None
    if _GROUPED_RE.fullmatch(token):
        return Fraction(int(re.sub(r"[,.]", "", token)))
    return Fraction(token)

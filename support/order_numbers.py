"""Order numbers: the formats customers type and their canonical form.

The delivery app prints order numbers as ``ORD-YYMMDD-NNNN``: the prefix
``ORD``, the order date (year, month, day; two digits each) and a four-digit
sequence number of that day, e.g. ``ORD-261122-0042``.

Customers copy or retype them, so these are accepted too, anywhere inside a
longer message:

* any letter case and no or other separators: ``ord2611220042``,
  ``ORD 261122 0042``, ``ORD_261122_0042``;
* the bare form without prefix, with a hyphen: ``261122-0042``.

All of them normalise to the canonical ``ORD-261122-0042``, whose digits are
always ASCII (full-width ``２６１１２２-００４２``, typed in a Korean IME's
full-width mode, becomes ``ORD-261122-0042`` too). Ten bare digits without a
separator are not taken: they are too easily part of a phone or account number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import List, Optional

_SEP = r"[-_ ]?"
ORDER_NUMBER_PATTERN = re.compile(
    r"(?<![A-Za-z0-9-])"
    r"(?:(?P<prefix>[Oo][Rr][Dd])" + _SEP + r"(?P<d1>\d{6})" + _SEP + r"(?P<s1>\d{4})"
    r"|(?P<d2>\d{6})-(?P<s2>\d{4}))"
    r"(?![0-9])"
)


@dataclass(frozen=True)
class OrderNumberMatch:
    """An order number found in a text, with its span and canonical value."""

    start: int
    end: int
    text: str
    value: str


def _ascii_digits(digits: str) -> str:
    """``digits`` (any decimal digits ``\\d`` matches) written with 0-9."""
    return "".join(str(int(digit)) for digit in digits)


def _valid_date(yymmdd: str) -> bool:
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


def find_order_numbers(text: str) -> List[OrderNumberMatch]:
    """Find every order number in ``text``.

    Args:
        text: any user message.

    Returns:
        The matches in text order; candidates whose date part is not a real
        date are skipped.
    """
    if not isinstance(text, str):
        return []
    matches = []
    for found in ORDER_NUMBER_PATTERN.finditer(text):
        day = _ascii_digits(found.group("d1") or found.group("d2"))
        seq = _ascii_digits(found.group("s1") or found.group("s2"))
        if not _valid_date(day):
            continue
        matches.append(
            OrderNumberMatch(
                start=found.start(),
                end=found.end(),
                text=found.group(0),
                value=f"ORD-{day}-{seq}",
            )
        )
    return matches


def normalize_order_number(text: str) -> Optional[str]:
    """Return the canonical form of the first order number in ``text``, if any."""
    matches = find_order_numbers(text)
    return matches[0].value if matches else None


def is_canonical(value: str) -> bool:
    """Tell whether ``value`` is exactly a canonical order number."""
    return isinstance(value, str) and normalize_order_number(value) == value

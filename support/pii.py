"""Personal data in free text: find it and mask it, keeping a hint for the agent.

What is masked (and how it looks afterwards):

* phone numbers, mobile and landline, in every common spelling
  (``010-1234-5678``, ``01012345678``, ``010 1234 5678``, ``010.1234.5678``,
  ``+82 10-1234-5678``, ``+821012345678``, ``02-123-4567``, ``031-1234-5678``,
  ``0504-1234-5678`` safe numbers, ``070`` internet phones) → the area or
  mobile prefix and the last four digits: ``010-****-5678``,
  ``+82 10-****-5678``, ``02-****-4567``. The last four digits are what the
  bot itself asks to verify a customer, so an agent may see them.
  Business numbers of the form ``15xx``/``16xx``/``18xx-xxxx`` (``1588-1234``)
  are **not** masked: they belong to companies (the app's call centre, a
  store chain), carry no personal data and agents hand them out.
* card numbers: 13–19 digits, optionally grouped by spaces or dashes, masked
  only when the Luhn check passes (so order numbers, amounts, timestamps and
  other digit runs stay readable) → ``****-****-****-1234``.
* 주민등록번호 / 외국인등록번호: ``YYMMDD-NNNNNNN`` with or without the dash, when
  the date exists and the 7th digit is 1–8 → ``******-*******``. The old
  check digit is not required: numbers issued since October 2020 have none.
* e-mail addresses → the first character of the local part and the domain:
  ``m***@example.com``.
* street addresses (도로명, 지번, apartment 동/호) → the province, city and
  district words stay, the rest becomes ``***``: ``서울시 강남구 ***``
  (:mod:`support.korean_address`).

Order numbers (:mod:`support.order_numbers`) are found first and never touched,
nor is anything overlapping them. :func:`mask` is idempotent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, List, Sequence, Tuple

from support.korean_address import find_addresses
from support.order_numbers import find_order_numbers

MASK = "****"


@dataclass(frozen=True)
class PiiMatch:
    """One piece of personal data found in a text, and what replaces it."""

    kind: str  # phone | card | rrn | email | address
    start: int
    end: int
    replacement: str


# --- phone numbers ---------------------------------------------------------

_SEP = r"[-. ]?"
_COUNTRY = r"(?:\+|00)82[-. ]?(?:\(0\)[-. ]?)?0?"
_AREA = r"(?:02|0[3-6][1-5]|070|050[2-8]|01[016789])"
_PHONE = re.compile(
    r"(?<![\d+])(?<!\d\.)"
    r"(?:(?P<country>" + _COUNTRY + r")(?P<carea>2|[3-6][1-5]|70|50[2-8]|1[016789])"
    r"|\(?(?P<area>" + _AREA + r")\)?)"
    + _SEP + r"(?P<middle>\d{3,4})" + _SEP + r"(?P<last>\d{4})(?!\d)"
)


def _phones(text: str) -> Iterable[PiiMatch]:
    for found in _PHONE.finditer(text):
        if found.group("country"):
            prefix = f"+82 {found.group('carea')}"
        else:
            prefix = found.group("area")
        yield PiiMatch("phone", found.start(), found.end(), f"{prefix}-{MASK}-{found.group('last')}")


# --- card numbers ----------------------------------------------------------

# digit groups separated by one space or dash: candidates are group-aligned slices
_DIGIT_RUN = re.compile(r"(?<!\d)(?<!\d\.)\d+(?:[ -]\d+)*(?!\d)")
_GROUP = re.compile(r"\d+")


def luhn_valid(digits: str) -> bool:
    """Whether the digit string passes the Luhn check (payment card numbers do)."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card_shaped(sizes: Sequence[int]) -> bool:
    """How people group card digits: one block, fours (the last may be shorter), or 4-6-4/4-6-5."""
    if len(sizes) == 1:
        return True
    if all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4:
        return True
    return list(sizes) in ([4, 6, 4], [4, 6, 5])


def _cards(text: str) -> Iterable[PiiMatch]:
    for run in _DIGIT_RUN.finditer(text):
        groups = [(run.start() + g.start(), run.start() + g.end(), g.group()) for g in _GROUP.finditer(run.group())]
        candidates = []  # (not card-shaped, -digits, first group, last group)
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and luhn_valid(digits):
                    shaped = _card_shaped([len(g[2]) for g in groups[i : j + 1]])
                    candidates.append((not shaped, -len(digits), i, j))
        used: List[Tuple[int, int]] = []
        for _, _, i, j in sorted(candidates):
            if not any(i <= b and a <= j for a, b in used):
                used.append((i, j))
        starts = {a for a, _ in used}
        for i, j in used:
            # the last four digits are a hint unless 9 or more unmasked digits follow them in
            # the same run: "****-…-4111 1111 1111 1111" could otherwise spell out a card again
            following = 0
            for k in range(j + 1, len(groups)):
                if k in starts:
                    break
                following += len(groups[k][2])
            last4 = MASK if following >= 9 else "".join(g[2] for g in groups[i : j + 1])[-4:]
            yield PiiMatch("card", groups[i][0], groups[j][1], f"{MASK}-{MASK}-{MASK}-{last4}")


# --- resident registration numbers ----------------------------------------

_RRN = re.compile(r"(?<!\d)(?P<birth>\d{6})[ ]?-?[ ]?(?P<rest>[1-8]\d{6})(?!\d)")
_CENTURY = {"1": 1900, "2": 1900, "5": 1900, "6": 1900, "3": 2000, "4": 2000, "7": 2000, "8": 2000}


def _plausible_birth(birth: str, gender_digit: str) -> bool:
    try:
        date(_CENTURY[gender_digit] + int(birth[:2]), int(birth[2:4]), int(birth[4:6]))
    except (KeyError, ValueError):
        return False
    return True


def _rrns(text: str) -> Iterable[PiiMatch]:
    for found in _RRN.finditer(text):
        if _plausible_birth(found.group("birth"), found.group("rest")[0]):
            yield PiiMatch("rrn", found.start(), found.end(), "******-*******")


# --- e-mail addresses ------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])(?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63})"
    r"@(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24})"
    r"(?![A-Za-z0-9-])"
)


def _emails(text: str) -> Iterable[PiiMatch]:
    for found in _EMAIL.finditer(text):
        yield PiiMatch("email", found.start(), found.end(), f"{found.group('local')[0]}***@{found.group('domain')}")


def email_addresses(text: str) -> List[Tuple[str, str]]:
    """Every e-mail address in ``text``, with its masked form (``k***@example.com``), in order."""
    return [(found.group(0), f"{found.group('local')[0]}***@{found.group('domain')}") for found in _EMAIL.finditer(text)]


def is_email_address(text: str) -> bool:
    """Whether ``text`` is exactly one e-mail address."""
    return isinstance(text, str) and _EMAIL.fullmatch(text) is not None


# --- addresses -------------------------------------------------------------


def _addresses(text: str) -> Iterable[PiiMatch]:
    for found in find_addresses(text):
        yield PiiMatch("address", found.masked_start, found.end, "***")


# --- putting it together ---------------------------------------------------

# earlier finders win where two overlap
_FINDERS = (_rrns, _cards, _phones, _emails, _addresses)


def _overlaps(span: Tuple[int, int], taken: Sequence[Tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


# Look-alike characters people (and Korean IMEs) type instead of ASCII digits and separators,
# each replaced by exactly one ASCII character so that positions stay the same.
_LOOK_ALIKES = str.maketrans(
    {
        **{chr(0xFF10 + n): str(n) for n in range(10)},  # full-width digits ０-９
        "\uFF0B": "+",  # full-width plus
        "\uFF0D": "-",  # full-width hyphen-minus
        "\uFF0E": ".",  # full-width full stop
        "\uFF08": "(",
        "\uFF09": ")",
        "\uFF20": "@",  # full-width commercial at
        "\u3000": " ",  # ideographic space
        "\u00A0": " ",  # no-break space
        **{dash: "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE63"},
        "\u3161": "-",  # the Hangul vowel ㅡ, typed as a dash on Korean keyboards
    }
)


def _plain(text: str) -> str:
    """``text`` with full-width digits and look-alike separators as ASCII, same length."""
    return text if text.isascii() else text.translate(_LOOK_ALIKES)


def find_pii(text: str) -> List[PiiMatch]:
    """Every piece of personal data in ``text``, in text order, without overlaps.

    Full-width digits and look-alike dashes and spaces count as their ASCII forms
    (``０１０－１２３４－５６７８`` is a phone number). Order numbers are never part of a match.
    """
    if not isinstance(text, str) or not text:
        return []
    text = _plain(text)
    taken: List[Tuple[int, int]] = [(m.start, m.end) for m in find_order_numbers(text)]
    found: List[PiiMatch] = []
    for finder in _FINDERS:
        for match in finder(text):
            span = (match.start, match.end)
            if not _overlaps(span, taken):
                taken.append(span)
                found.append(match)
    return sorted(found, key=lambda m: m.start)


_FOUR_DIGIT_GROUP = re.compile(r"(?<!\d)\d{4}(?!\d)")


def phone_last_four(text: str) -> str | None:
    """The last four digits of the one phone number in ``text``, or ``None``.

    A customer asked for the last four digits often types the whole number
    (``010-5555-0147``, ``+82 10 5555 0147``); only its last four are kept, the
    rest is never stored. Two different numbers in one message are ambiguous, and so is a
    number beside four other digits ("5432요, 가게 02-555-0108은 안 받네요"): ``None``.
    """
    phones = [m for m in find_pii(text) if m.kind == "phone"]
    lasts = {m.replacement[-4:] for m in phones}
    if len(lasts) != 1:
        return None
    plain = _plain(text)
    outside = [g for g in _FOUR_DIGIT_GROUP.finditer(plain)
               if not any(m.start <= g.start() and g.end() <= m.end for m in phones)]
    return None if outside else lasts.pop()


def mask(text: str) -> str:
    """``text`` with every phone, card, 주민등록번호, e-mail and address masked."""
    matches = find_pii(text)
    if not matches:
        return text
    parts, position = [], 0
    for match in matches:
        parts.append(text[position : match.start])
        parts.append(match.replacement)
        position = match.end
    parts.append(text[position:])
    return "".join(parts)

"""Properties of the masker, checked on generated input (Hypothesis)."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from support.order_numbers import find_order_numbers
from support.pii import luhn_valid, mask

# text around the data: Korean, letters, punctuation, spaces and digits
FILLER = st.text(
    alphabet=st.sampled_from(list("가나다라마바사아자차카타파하주문번호카드 abcxyz.,:;!?()-@/\n0123456789")),
    max_size=30,
)


def _luhn_complete(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


@st.composite
def cards(draw) -> str:
    """A Luhn-valid number of 13–19 digits."""
    length = draw(st.integers(13, 19))
    first = draw(st.sampled_from("234569"))
    body = first + draw(st.text(alphabet="0123456789", min_size=length - 2, max_size=length - 2))
    return _luhn_complete(body)


@st.composite
def grouped(draw, digits: str) -> str:
    """``digits`` as people write them: one block, or fours joined by spaces or dashes."""
    if draw(st.booleans()):
        return digits
    separator = draw(st.sampled_from([" ", "-"]))
    return separator.join(digits[i : i + 4] for i in range(0, len(digits), 4))


def _boundary(before: str, after: str) -> tuple:
    """Keep the number apart from neighbouring digits (else it is a longer number)."""
    return before + " 의 ", " 요 " + after


@settings(max_examples=400, deadline=None)
@given(data=st.data(), before=FILLER, after=FILLER)
def test_a_luhn_valid_card_never_survives_in_any_spelling(data, before, after):
    card = data.draw(cards())
    written = data.draw(grouped(card))
    left, right = _boundary(before, after)
    masked = mask(left + written + right)
    assert card not in re.sub(r"[ -]", "", masked)
    assert written not in masked


@st.composite
def mobile_numbers(draw) -> tuple:
    """A mobile number in one of the spellings customers use, and its eight subscriber digits."""
    middle = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    last = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    separator = draw(st.sampled_from(["-", " ", ".", ""]))
    prefix = draw(st.sampled_from(["010", "+82 10", "+8210", "+82-10", "+82 010"]))
    joiner = "" if prefix.endswith("10") and separator == "" else separator
    return f"{prefix}{joiner}{middle}{separator}{last}", middle + last


@settings(max_examples=400, deadline=None)
@given(data=st.data(), before=FILLER, after=FILLER)
def test_a_mobile_number_keeps_only_its_last_four_digits(data, before, after):
    written, subscriber = data.draw(mobile_numbers())
    left, right = _boundary(before, after)
    masked = mask(left + written + right)
    assert written not in masked
    assert f"-****-{subscriber[4:]}" in masked


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2029, 12, 31)),
    sequence=st.integers(1, 9999),
    spelling=st.sampled_from(["ORD-{d}-{s}", "ord{d}{s}", "ORD {d} {s}", "{d}-{s}"]),
    before=FILLER,
    after=FILLER,
)
def test_order_numbers_are_never_masked(day, sequence, spelling, before, after):
    written = spelling.format(d=day.strftime("%y%m%d"), s=f"{sequence:04d}")
    text = f"{before} {written} {after}"
    found = [m.text for m in find_order_numbers(text)]
    masked = mask(text)
    for number in found:
        assert number in masked


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=80) | FILLER)
def test_masking_is_idempotent_and_never_raises(text):
    once = mask(text)
    assert mask(once) == once

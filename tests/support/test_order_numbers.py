"""Order-number formats and their canonical form."""

import pytest

from support.order_numbers import find_order_numbers, is_canonical, normalize_order_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ORD-261122-0042", "ORD-261122-0042"),
        ("ord2611220042", "ORD-261122-0042"),
        ("ORD 261122 0042", "ORD-261122-0042"),
        ("Ord_261122_0042", "ORD-261122-0042"),
        ("261122-0042", "ORD-261122-0042"),
        ("주문번호는 ORD-261122-0042요", "ORD-261122-0042"),
        ("주문번호261122-0042인데 안 왔어요", "ORD-261122-0042"),
        ("ORD-261301-0042", None),  # month 13
        ("2611220042", None),  # bare digits without separator
        ("010-1234-5678", None),  # a phone number
        ("ORD-261122-00421", None),  # too many digits
        ("XORD-261122-0042", None),
        ("12,000원", None),
        ("", None),
    ],
)
def test_normalize(text, expected):
    assert normalize_order_number(text) == expected


def test_offsets_point_at_the_number():
    text = "어제 시킨 ord 261122 0042 랑 261121-0007 둘 다요"
    matches = find_order_numbers(text)
    assert [m.value for m in matches] == ["ORD-261122-0042", "ORD-261121-0007"]
    for match in matches:
        assert text[match.start : match.end] == match.text


def test_canonical_only_for_the_printed_form():
    assert is_canonical("ORD-261122-0042")
    assert not is_canonical("ord2611220042")
    assert not is_canonical(None)


def test_non_text_input_finds_nothing():
    assert find_order_numbers(None) == []

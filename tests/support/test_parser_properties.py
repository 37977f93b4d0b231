"""Properties of the message parsers on generated input (Hypothesis): order numbers, amounts, times, tokens.

Each parser takes whatever a customer typed: it must never raise, every match
must be the text it claims to be at the offsets it claims, and what it produces
must read back (round trips) where that applies. Example counts stay modest: the
machine has two cores.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from support.amounts import MAX_WON, find_amounts, parse_amount
from support.customer_tokens import customer_of, issue, sender_for
from support.korean_time import find_times, parse_time
from support.order_numbers import find_order_numbers, is_canonical, normalize_order_number

SEOUL = ZoneInfo("Asia/Seoul")
CANONICAL = re.compile(r"ORD-[0-9]{6}-[0-9]{4}")
# what customers type around the parts: Korean, digits (ASCII, full-width, Arabic-Indic), units, separators
PIECES = st.sampled_from(
    list("0123456789０１２３٣٧ORDordx-_ ,.:/원만천백십억일이삼사오육칠팔구시분반전째넘시간하루주월일오후오전어제밤방금지금 \n\t")
    + ["ORD-", "261122", "-0042", "2만", "5천", "7시", "30분", "전에", "\x00", "😡", "<script>", "' OR 1=1"]
)
TEXTS = st.one_of(st.text(max_size=80), st.lists(PIECES, max_size=25).map("".join))
REFERENCES = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2098, 12, 31), timezones=st.sampled_from(
    [timezone.utc, SEOUL, timezone(timedelta(hours=-11)), timezone(timedelta(hours=14))]
))
NOT_TEXT = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.binary(max_size=10), st.lists(st.text(max_size=3)))
SETTINGS = settings(max_examples=300, deadline=None)


def _spans_in_order(matches) -> bool:
    ends = [0] + [m.end for m in matches]
    return all(m.start >= end for m, end in zip(matches, ends)) and all(m.start < m.end for m in matches)


# --- order numbers --------------------------------------------------------------------------------


@SETTINGS
@given(TEXTS)
def test_order_number_matches_are_canonical_ascii_and_where_they_say(text):
    matches = find_order_numbers(text)
    assert _spans_in_order(matches)
    for match in matches:
        assert text[match.start : match.end] == match.text
        assert CANONICAL.fullmatch(match.value), match
        assert is_canonical(match.value) and normalize_order_number(match.value) == match.value
    assert normalize_order_number(text) == (matches[0].value if matches else None)


@st.composite
def order_spellings(draw):
    """``(canonical, as a customer wrote it)`` for a real date."""
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
    seq = draw(st.integers(0, 9999))
    digits = f"{day:%y%m%d}"
    canonical = f"ORD-{digits}-{seq:04d}"
    if draw(st.booleans()):
        prefix = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in "ord")
        sep = draw(st.sampled_from(["-", "_", " ", ""]))
        written = f"{prefix}{sep}{digits}{sep}{seq:04d}"
    else:
        written = f"{digits}-{seq:04d}"
    if draw(st.booleans()):  # a Korean IME in full-width mode
        written = written.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    return canonical, written


@SETTINGS
@given(order_spellings(), st.sampled_from(["", "주문번호 ", "제 주문 ", "(", "번호: "]),
       st.sampled_from(["", " 이에요", " 확인해 주세요", ")", "."]))
def test_every_spelling_of_an_order_number_reads_back_canonical(spelling, before, after):
    canonical, written = spelling
    [match] = find_order_numbers(before + written + after)
    assert match.value == canonical and match.text == written and match.start == len(before)


@given(NOT_TEXT)
@settings(max_examples=50, deadline=None)
def test_order_number_parsers_take_anything(value):
    assert find_order_numbers(value) == [] and normalize_order_number(value) is None and not is_canonical(value)


# --- amounts --------------------------------------------------------------------------------------


@SETTINGS
@given(TEXTS)
def test_amount_matches_are_plausible_won_and_where_they_say(text):
    matches = find_amounts(text)
    assert _spans_in_order(matches)
    for match in matches:
        assert text[match.start : match.end] == match.text and match.text.endswith("원")
        assert isinstance(match.value, int) and 0 <= match.value <= MAX_WON
    value = parse_amount(text)
    assert value is None or (isinstance(value, int) and 0 <= value <= MAX_WON)


@SETTINGS
@given(st.integers(0, MAX_WON), st.sampled_from(["{:,}원", "{}원", "{} 원", "{:,} 원"]),
       st.sampled_from(["", "배달비 ", "총 "]), st.sampled_from(["", " 냈어요", "이요", " 환불해 주세요"]))
def test_an_amount_in_digits_reads_back(won, pattern, before, after):
    assert parse_amount(before + pattern.format(won) + after) == won


@SETTINGS
@given(st.integers(1, MAX_WON // 10_000), st.integers(0, 9999), st.sampled_from(["", " "]))
def test_an_amount_with_man_reads_back(man, rest, gap):
    assume(man * 10_000 + rest <= MAX_WON)
    written = f"{man}만{gap}{rest}원" if rest else f"{man}만{gap}원"
    assert parse_amount(written) == man * 10_000 + rest


@SETTINGS
@given(st.integers(MAX_WON + 1, 10**14))
def test_implausible_amounts_are_not_taken(won):
    assert parse_amount(f"{won:,}원") is None and find_amounts(f"{won}원") == []


@given(NOT_TEXT)
@settings(max_examples=50, deadline=None)
def test_amount_parsers_take_anything(value):
    assert find_amounts(value) == [] and parse_amount(value) is None


# --- times ----------------------------------------------------------------------------------------


@SETTINGS
@given(TEXTS, REFERENCES)
def test_time_matches_are_seoul_times_where_they_say(text, reference):
    matches = find_times(text, reference)
    assert _spans_in_order(matches)
    for match in matches:
        assert text[match.start : match.end] == match.text
        assert match.value.tzinfo is not None and match.value.utcoffset() == match.value.astimezone(SEOUL).utcoffset()
        assert abs(match.value - reference) <= timedelta(days=400), "nothing resolves far from the message"
    assert parse_time(text, reference) == (matches[0].value if matches else None)


@SETTINGS
@given(st.integers(1, 999), REFERENCES, st.sampled_from(["분 전", "분 전에", " 분 전쯤", "분째", "분 넘게"]))
def test_minutes_ago_read_back(minutes, reference, tail):
    assert parse_time(f"{minutes}{tail} 주문했어요", reference) == reference.astimezone(SEOUL) - timedelta(minutes=minutes)


@SETTINGS
@given(st.integers(0, 23), st.integers(0, 59), REFERENCES)
def test_a_clock_time_is_its_nearest_past_occurrence(hour, minute, reference):
    value = parse_time(f"{hour}:{minute:02d}에 주문했어요", reference)
    ref = reference.astimezone(SEOUL)
    assert value is not None and value.minute == minute
    # 1–12 o'clock may be morning or evening: the nearer past one is taken
    assert value.hour == hour if hour == 0 or hour > 12 else value.hour % 12 == hour % 12
    assert ref - timedelta(days=1) < value <= ref
    if 1 <= hour <= 12:
        assert value > ref - timedelta(hours=12)


# --- customer tokens ------------------------------------------------------------------------------

SECRET = "property-secret-0123456789abcdef"
CUSTOMER_IDS = st.text(alphabet="abcXYZ0129._@+-", min_size=1, max_size=100)
JWT_SEGMENT = st.one_of(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/", max_size=60),
                        st.sampled_from(["eyJhbGciOiJub25lIn0", "eyJhbGciOiJIUzI1NiJ9", "W10", "bnVsbA", "e30", ""]))


@SETTINGS
@given(CUSTOMER_IDS)
def test_a_token_names_its_customer_and_only_with_its_secret(customer_id):
    token = issue(SECRET, customer_id)
    assert customer_of(token, SECRET) == customer_id
    assert customer_of(token, SECRET + "x") is None
    assert sender_for(customer_id) == f"app:{customer_id}"


@SETTINGS
@given(st.one_of(st.text(max_size=200), st.tuples(JWT_SEGMENT, JWT_SEGMENT, JWT_SEGMENT).map(".".join)),
       st.sampled_from([SECRET, "", "x"]))
def test_any_other_token_names_nobody(token, secret):
    assert customer_of(token, secret) is None


def test_expired_tokens_and_long_subjects_name_nobody():
    past = datetime.now(timezone.utc) - timedelta(days=2)
    assert customer_of(issue(SECRET, "cust-1", hours=1, now=past), SECRET) is None
    assert customer_of(issue(SECRET, "x" * 101), SECRET) is None


@SETTINGS
@given(st.text(min_size=1, max_size=100).filter(lambda s: any(c not in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@+-" for c in s)))
def test_subjects_that_could_bend_a_conversation_id_name_nobody(subject):
    """Only plain ASCII ids: no "/", "#", spaces, controls or look-alikes reach a conversation id or a URL."""
    assert customer_of(issue(SECRET, subject), SECRET) is None

"""Table-driven tests for support.korean_time.

The TIME_CASES table is the spec: every expected value was worked out by
hand from the reference time in the same row.
"""

from __future__ import annotations

import random
import time as wallclock
from datetime import datetime, timedelta

import pytest

from support.korean_time import TimeMatch, find_times, parse_time

REFERENCES = {
    # Sunday evening, the usual case.
    "EVE": datetime.fromisoformat("2026-11-22T20:15:00+09:00"),
    # Morning: evening times must resolve to yesterday.
    "MORN": datetime.fromisoformat("2026-11-22T10:00:00+09:00"),
    # Just after midnight: day boundary.
    "NIGHT": datetime.fromisoformat("2026-11-22T00:30:00+09:00"),
    # Same instant as EVE plus seconds: relative results keep them,
    # clock times drop them.
    "SECS": datetime.fromisoformat("2026-11-22T20:15:42.123456+09:00"),
    # Same instant as EVE, given in UTC: must be converted to Seoul.
    "UTC": datetime.fromisoformat("2026-11-22T11:15:00+00:00"),
}

# (text, reference, expected ISO 8601 in Asia/Seoul, or None)
TIME_CASES = [
    # --- relative: "N ago" ---------------------------------------------
    ("30분 전", "EVE", "2026-11-22T19:45+09:00"),
    ("30분전에 주문했어요", "EVE", "2026-11-22T19:45+09:00"),
    ("삼십 분 전에 시켰어요", "MORN", "2026-11-22T09:30+09:00"),
    ("한 시간 전", "EVE", "2026-11-22T19:15+09:00"),
    ("두 시간 전에 시켰는데 아직 안 왔어요", "EVE", "2026-11-22T18:15+09:00"),
    ("1시간 반 전", "EVE", "2026-11-22T18:45+09:00"),
    ("한시간 반 전에 주문했는데요", "MORN", "2026-11-22T08:30+09:00"),
    ("1시간 30분 전에", "EVE", "2026-11-22T18:45+09:00"),
    ("10분쯤 전", "EVE", "2026-11-22T20:05+09:00"),
    ("이십 분 정도 전에 주문", "EVE", "2026-11-22T19:55+09:00"),
    ("십오분 전", "MORN", "2026-11-22T09:45+09:00"),
    ("한 30분 전에 시켰어요", "EVE", "2026-11-22T19:45+09:00"),
    ("하루 전", "EVE", "2026-11-21T20:15+09:00"),
    ("이틀 전에 시킨 거 환불돼요?", "MORN", "2026-11-20T10:00+09:00"),
    ("30분 전", "NIGHT", "2026-11-22T00:00+09:00"),
    ("한 시간 전에 주문했어요", "NIGHT", "2026-11-21T23:30+09:00"),
    ("30분 전", "SECS", "2026-11-22T19:45:42.123456+09:00"),
    ("세 시간 전", "UTC", "2026-11-22T17:15+09:00"),
    # --- now --------------------------------------------------------------
    ("방금", "EVE", "2026-11-22T20:15+09:00"),
    ("방금 전에 주문했는데 취소 되나요?", "MORN", "2026-11-22T10:00+09:00"),
    ("방금 시켰어요", "SECS", "2026-11-22T20:15:42.123456+09:00"),
    ("지금", "EVE", "2026-11-22T20:15+09:00"),
    ("지금 배달 어디쯤이에요?", "NIGHT", "2026-11-22T00:30+09:00"),
    # 지금 gives way to the more specific expression.
    ("지금 한 시간째 기다리고 있어요", "EVE", "2026-11-22T19:15+09:00"),
    # --- waiting: when the wait started ------------------------------------
    ("한 시간째 기다리고 있어요", "EVE", "2026-11-22T19:15+09:00"),
    ("40분째 안 와요", "EVE", "2026-11-22T19:35+09:00"),
    ("두시간째 연락이 없어요", "MORN", "2026-11-22T08:00+09:00"),
    ("1시간 넘게 기다렸어요", "EVE", "2026-11-22T19:15+09:00"),
    ("30분 넘게", "NIGHT", "2026-11-22T00:00+09:00"),
    ("주문한 지 한 시간이 넘었는데요", "EVE", "2026-11-22T19:15+09:00"),
    ("시킨 지 30분 지났는데 아직이에요", "MORN", "2026-11-22T09:30+09:00"),
    ("1시간이나 기다렸어요", "EVE", "2026-11-22T19:15+09:00"),
    # --- clock times, nearest past occurrence -------------------------------
    ("오후 7시", "EVE", "2026-11-22T19:00+09:00"),
    ("오후 7시쯤 주문했어요", "MORN", "2026-11-21T19:00+09:00"),
    ("오후 3시", "NIGHT", "2026-11-21T15:00+09:00"),
    ("저녁 7시", "MORN", "2026-11-21T19:00+09:00"),
    ("저녁 7시에 시켰는데", "EVE", "2026-11-22T19:00+09:00"),
    ("밤 11시", "EVE", "2026-11-21T23:00+09:00"),
    ("밤 11시에 시켰어요", "NIGHT", "2026-11-21T23:00+09:00"),
    ("새벽 2시", "MORN", "2026-11-22T02:00+09:00"),
    ("새벽 2시", "NIGHT", "2026-11-21T02:00+09:00"),
    ("아침 8시", "MORN", "2026-11-22T08:00+09:00"),
    ("오전 11시 30분", "EVE", "2026-11-22T11:30+09:00"),
    ("오전 11시 30분에 주문", "MORN", "2026-11-21T11:30+09:00"),
    ("점심 12시", "EVE", "2026-11-22T12:00+09:00"),
    ("점심 12시", "MORN", "2026-11-21T12:00+09:00"),
    ("19시", "EVE", "2026-11-22T19:00+09:00"),
    ("19시에 주문했어요", "MORN", "2026-11-21T19:00+09:00"),
    ("19:30", "EVE", "2026-11-22T19:30+09:00"),
    ("19:30에 주문함", "MORN", "2026-11-21T19:30+09:00"),
    ("자정쯤 주문했어요", "EVE", "2026-11-22T00:00+09:00"),
    ("오후 7시", "UTC", "2026-11-22T19:00+09:00"),
    ("오후 7시", "SECS", "2026-11-22T19:00+09:00"),
    # --- ambiguous 12-hour clock: nearest past of the AM/PM readings -------
    ("7시 반", "EVE", "2026-11-22T19:30+09:00"),
    ("7시반에 시켰어요", "MORN", "2026-11-22T07:30+09:00"),
    ("7시 반", "NIGHT", "2026-11-21T19:30+09:00"),
    ("일곱 시", "EVE", "2026-11-22T19:00+09:00"),
    ("일곱시에 주문", "MORN", "2026-11-22T07:00+09:00"),
    ("7시 10분", "EVE", "2026-11-22T19:10+09:00"),
    ("7시 10분에 주문했는데 아직도 안 와요", "MORN", "2026-11-22T07:10+09:00"),
    ("열한 시", "EVE", "2026-11-22T11:00+09:00"),
    ("열한시", "NIGHT", "2026-11-21T23:00+09:00"),
    ("12시", "NIGHT", "2026-11-22T00:00+09:00"),
    ("12시에 시켰는데", "EVE", "2026-11-22T12:00+09:00"),
    ("세 시 십오 분", "EVE", "2026-11-22T15:15+09:00"),
    ("아홉 시 삼십 분쯤", "EVE", "2026-11-22T09:30+09:00"),
    # 20:20 today is 5 minutes in the future, so 08:20 today is nearest.
    ("8시 20분", "EVE", "2026-11-22T08:20+09:00"),
    # --- clock times with a day word or date --------------------------------
    ("어제 저녁 7시", "EVE", "2026-11-21T19:00+09:00"),
    ("어제 저녁 7시", "NIGHT", "2026-11-21T19:00+09:00"),
    ("어제 오후 3시 반에 주문했는데", "MORN", "2026-11-21T15:30+09:00"),
    ("오늘 점심 12시", "EVE", "2026-11-22T12:00+09:00"),
    # An explicit day wins even when the time is still to come.
    ("오늘 점심 12시에 시켰어요", "MORN", "2026-11-22T12:00+09:00"),
    ("그저께 밤 10시", "EVE", "2026-11-20T22:00+09:00"),
    ("어제저녁7시에 시킨 치킨", "MORN", "2026-11-21T19:00+09:00"),
    ("어젯밤 11시", "MORN", "2026-11-21T23:00+09:00"),
    # "Last night at 1" is after midnight, i.e. early today.
    ("어젯밤 1시쯤 주문했어요", "MORN", "2026-11-22T01:00+09:00"),
    ("어제 밤 12시", "MORN", "2026-11-22T00:00+09:00"),
    # Ambiguous hour on a past day: the later (PM) reading.
    ("어제 7시", "EVE", "2026-11-21T19:00+09:00"),
    ("오늘 7시", "MORN", "2026-11-22T07:00+09:00"),
    # A particle after the day word keeps the day (today's 19:00 would be
    # the nearest past without it).
    ("어제는 7시에 시켰는데", "EVE", "2026-11-21T19:00+09:00"),
    ("어제 새벽 2시", "MORN", "2026-11-21T02:00+09:00"),
    ("오늘 아침 8시", "EVE", "2026-11-22T08:00+09:00"),
    ("내일 저녁 7시", "EVE", "2026-11-23T19:00+09:00"),
    ("20일 저녁 7시", "EVE", "2026-11-20T19:00+09:00"),
    ("11월 20일 오후 7시 30분에 주문", "MORN", "2026-11-20T19:30+09:00"),
    # Day 25 has not come yet this month: last month's 25th.
    ("25일 12시", "MORN", "2026-10-25T12:00+09:00"),
    # --- vague: deliberately None -------------------------------------------
    ("어제", "EVE", None),
    ("오늘", "EVE", None),
    ("어제 시킨 건데요", "MORN", None),
    ("오늘 아침", "MORN", None),
    ("오늘 아침에 시켰는데 아직 안 왔어요", "EVE", None),
    ("어제 저녁에 주문했어요", "MORN", None),
    ("아까", "EVE", None),
    ("아까 주문했는데요", "EVE", None),
    ("30분", "EVE", None),
    ("7시간 걸렸어요", "EVE", None),
    ("30분 후에 도착 예정이래요", "EVE", None),
    # --- not times --------------------------------------------------------
    ("치킨 7개 주문했어요", "EVE", None),
    ("2인분 시켰어요", "EVE", None),
    ("12,000원 결제했어요", "EVE", None),
    ("주문번호 ORD-261122-0042 입니다", "EVE", None),
    ("261122-0042", "EVE", None),
    ("010-1234-5678로 연락 주세요", "EVE", None),
    ("네 시켰어요", "EVE", None),
    ("한시라도 빨리 보내주세요", "EVE", None),
    ("한시가 급해요", "EVE", None),
    ("주문한 시간이 지났어요", "EVE", None),
    ("다시 주문할게요", "EVE", None),
    ("전화 좀 주세요", "EVE", None),
    ("", "EVE", None),
    ("😀🍕🍗", "EVE", None),
]


@pytest.mark.parametrize(
    ("text", "ref", "expected"),
    TIME_CASES,
    ids=[f"row{i:03d}-{ref}" for i, (_, ref, _) in enumerate(TIME_CASES)],
)
def test_parse_time_table(text: str, ref: str, expected: str | None) -> None:
    value = parse_time(text, REFERENCES[ref])
    if expected is None:
        assert value is None, text
        return
    assert value == datetime.fromisoformat(expected), text
    assert value.utcoffset() == timedelta(hours=9)
    assert str(value.tzinfo) == "Asia/Seoul"


def test_table_is_big_enough() -> None:
    assert len(TIME_CASES) >= 50


# (sentence, reference, [(match text, expected ISO 8601), ...])
OFFSET_CASES = [
    (
        "어제 저녁 7시에 시켰는데 한 시간째 기다리고 있어요",
        "EVE",
        [("어제 저녁 7시", "2026-11-21T19:00+09:00"), ("한 시간째", "2026-11-22T19:15+09:00")],
    ),
    (
        "주문번호 261122-0042, 12,000원 결제, 30분전에 주문",
        "EVE",
        [("30분전", "2026-11-22T19:45+09:00")],
    ),
    ("아까 7시 반쯤 시켰어요", "EVE", [("7시 반", "2026-11-22T19:30+09:00")]),
    (
        "오후 7시 30분에 주문했는데 지금 8시 15분이에요",
        "EVE",
        [("오후 7시 30분", "2026-11-22T19:30+09:00"), ("8시 15분", "2026-11-22T20:15+09:00")],
    ),
    ("배달이 1시간 넘게 안 와요", "MORN", [("1시간 넘게", "2026-11-22T09:00+09:00")]),
]


@pytest.mark.parametrize(("text", "ref", "expected"), OFFSET_CASES)
def test_find_times_offsets(text: str, ref: str, expected: list[tuple[str, str]]) -> None:
    matches = find_times(text, REFERENCES[ref])
    assert [(m.text, m.value) for m in matches] == [
        (t, datetime.fromisoformat(v)) for t, v in expected
    ]
    search_from = 0
    for match in matches:
        assert isinstance(match, TimeMatch)
        assert text[match.start : match.end] == match.text
        assert match.start == text.index(match.text, search_from)
        search_from = match.end


def test_parse_time_returns_first_match() -> None:
    text = "어제 저녁 7시에 시켰는데 한 시간째 기다리고 있어요"
    ref = REFERENCES["EVE"]
    assert parse_time(text, ref) == find_times(text, ref)[0].value


def test_naive_reference_is_taken_as_seoul_time() -> None:
    naive = datetime(2026, 11, 22, 20, 15)
    assert parse_time("30분 전", naive) == datetime.fromisoformat("2026-11-22T19:45+09:00")


def test_expression_at_the_end_of_a_long_message() -> None:
    text = "가" * 9990 + " 30분 전"
    (match,) = find_times(text, REFERENCES["EVE"])
    assert (match.start, match.text) == (9991, "30분 전")


ALPHABET = list("0123456789 :,.-시분간전째반쯤오후저녁밤새벽한두세네열일이삼십어제늘원만천") + [
    "😀",
    "\n",
    "a",
]


LONG_INPUTS = {
    "empty": "",
    "space": " ",
    "control": "\n\t",
    "emoji": "😀" * 50,
    "hangul": "가" * 10_000,
    "spaces": " " * 10_000,
    "digits": "1" * 10_000,
    "clock-run": "7시 " * 2_500,
    "idiom-run": "한시" * 5_000,
    "day-run": "어제 " * 2_500,
    "wide-gap": "3" + " " * 9_998 + "시",
    **{
        f"random{seed}": "".join(random.Random(seed).choices(ALPHABET, k=10_000))
        for seed in range(5)
    },
}


@pytest.mark.parametrize("text", list(LONG_INPUTS.values()), ids=list(LONG_INPUTS))
def test_never_raises(text: str) -> None:
    started = wallclock.perf_counter()
    for ref in REFERENCES.values():
        matches = find_times(text, ref)
        assert isinstance(matches, list)
        for match in matches:
            assert text[match.start : match.end] == match.text
            assert match.value.utcoffset() == timedelta(hours=9)
        parse_time(text, ref)
    assert wallclock.perf_counter() - started < 10

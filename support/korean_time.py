"""Find and resolve Korean time expressions in customer-support messages.

Everything is resolved against the message's own time (``reference``) in
Asia/Seoul. Three kinds of expression are recognised:

* relative: ``30분 전``, ``한 시간 반 전``, ``하루 전``, ``방금``, ``지금``;
* elapsed waits: ``한 시간째``, ``30분 넘게``, ``주문한 지 1시간이 넘었는데``
  (all resolve to when the wait started, i.e. ``reference - duration``);
* clock times: ``오후 7시``, ``7시 반``, ``19:30``, ``일곱 시``,
  optionally with a day (``어제 저녁 7시``, ``그저께 밤 10시``, ``20일 7시``).

Clock times without a day word resolve to their nearest past occurrence.
Relative expressions keep the reference's seconds; clock times have seconds
and microseconds set to zero. Vague expressions (bare ``어제``, ``오늘 아침``,
``아까``) are deliberately not matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable, Optional
from zoneinfo import ZoneInfo

from support.korean_numerals import SINO_DIGITS

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class TimeMatch:
    """A time expression found in a text.

    Attributes:
        start: Character offset of the expression in the input text.
        end: Exclusive end offset.
        text: ``text[start:end]``.
        value: The resolved, timezone-aware (Asia/Seoul) datetime.
    """

    start: int
    end: int
    text: str
    value: datetime


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

_NATIVE = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6,
    "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "열한": 11, "열두": 12,
}
_DAY_OFFSETS = {
    "오늘": 0, "어제": -1, "어저께": -1, "어젯밤": -1,
    "그제": -2, "그저께": -2, "내일": 1, "모레": 2,
}
_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "일주일": 7}
_NAMED_HOURS = {"정오": 12, "자정": 24}

# --------------------------------------------------------------------------
# Regular expressions
# --------------------------------------------------------------------------

_S = r"[^\S\r\n]*"  # optional horizontal whitespace
_NATIVE_RE = rf"열{_S}한|열{_S}두|열|한|두|세|네|다섯|여섯|일곱|여덟|아홉"
_SINO_RE = r"[이삼사오육칠팔구]?십[일이삼사오육칠팔구]?|[일이삼사오육칠팔구]"
_DAY_RE = r"어젯밤|어저께|그저께|(?<!엊)그제|어제|오늘|내일|모레"
_PERIOD_RE = r"오전|오후|새벽|아침|점심|저녁|낮|밤"

# A Hangul-led expression must not continue a Hangul word ("주문한 시간"),
# except day/period words; a digit-led one must not continue a number.
_START = (
    rf"(?:(?<![가-힣\d.,:])|(?<=[가-힣])(?=\d|{_DAY_RE}|{_PERIOD_RE}|정오|자정))"
)
_REL_START = r"(?:(?<![가-힣\d.,:])|(?<=[가-힣])(?=\d))"

# What may directly follow a clock time ("7시에", "7시쯤", "7시인데") --
# anything else ("시간", "시켰어요", "시즌") means it is not a clock time.
_CLOCK_TAIL = (
    r"(?=$|[^가-힣]|반|쯤|경|께|에|엔|정각|정도|부터|까지|이|가|였|인|요|예"
    r"|는|은|을|를|만|넘|즈음|무렵|전|후|로|으로|랑|하고|니|면|도|라|야)"
)
# What may directly follow "전" ("전에", "전쯤") -- not "전화", "전날".
_JEON_TAIL = (
    r"(?=$|[^가-힣]|에|엔|쯤|께|부터|까지|이|인|만|도|즈음|무렵|정도|였|요|임)"
)
# After a native hour word, these turn "한시" etc. into idioms.
_NATIVE_IDIOM_AFTER = re.compile(rf"도|라|가{_S}급")

_CLOCK_RE = re.compile(
    rf"""{_START}
    (?:(?:(?P<day>{_DAY_RE})(?:은|는|에)?
        |(?:(?P<month>1[0-2]|0?[1-9]){_S}월{_S})?(?P<dom>3[01]|[12]\d|0?[1-9]){_S}일
      ){_S})?
    (?:(?P<period>{_PERIOD_RE}){_S})?
    (?:(?P<hh>2[0-4]|[01]?\d):(?P<mm>[0-5]\d)(?::[0-5]\d)?(?![\d:])
      |(?P<hour>2[0-4]|[01]?\d|{_NATIVE_RE}){_S}시
        (?:{_S}(?P<half>반)|{_S}(?P<minute>[0-5]?\d|{_SINO_RE}){_S}분)?
      |(?P<named>정오|자정)
    ){_CLOCK_TAIL}""",
    re.VERBOSE,
)

_RELATIVE_RE = re.compile(
    rf"""{_REL_START}
    (?:(?P<hours>\d{{1,2}}|{_NATIVE_RE}){_S}시간
        (?:{_S}(?P<hhalf>반)|{_S}(?P<hmin>[0-5]?\d|{_SINO_RE}){_S}분)?
      |(?P<minutes>\d{{1,3}}|{_SINO_RE})(?:{_S}여)?{_S}분
      |(?P<days>하루|이틀|사흘|나흘|일주일)
      |(?P<ndays>\d{{1,2}}){_S}일
      |(?P<weeks>\d{{1,2}}|한|두|세){_S}주(?:일)?
    )
    (?:{_S}(?:쯤|정도|가량|남짓))?
    (?:{_S}전{_JEON_TAIL}
      |{_S}째
      |(?:이나|이|가|도|을|를|은|는)?{_S}(?:넘(?:게|도록|었|어)?|이상|됐|되었|지났|가까이)
      |(?:이나|나|을|를|{_S}동안)?{_S}기다렸
    )""",
    re.VERBOSE,
)

_NOW_RE = re.compile(rf"방금(?:{_S}전{_JEON_TAIL})?|지금")

_Builder = Callable[[re.Match, datetime], Optional[datetime]]

# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def find_times(text: str, reference: datetime) -> list[TimeMatch]:
    """Find all time expressions in ``text``, in order of appearance.

    ``지금`` ("now") is only reported when the text holds no other time
    expression, so "지금 한 시간째 기다려요" yields the one-hour wait.

    Args:
        text: The user message.
        reference: When the message was sent (timezone-aware; a naive
            datetime is taken to be Asia/Seoul time).

    Returns:
        Non-overlapping matches sorted by start offset; ``[]`` if none.
    """
    if not isinstance(text, str) or not text:
        return []
    ref = _to_seoul(reference)
    candidates = (
        _scan(_CLOCK_RE, text, ref, _build_clock)
        + _scan(_RELATIVE_RE, text, ref, _build_relative)
        + _scan(_NOW_RE, text, ref, _build_now)
    )
    return _drop_bare_now(_select(candidates))


def parse_time(text: str, reference: datetime) -> datetime | None:
    """Resolve the first time expression in ``text``.

    Args:
        text: The user message.
        reference: When the message was sent (see :func:`find_times`).

    Returns:
        The first match's value (Asia/Seoul), or ``None`` if there is none.
    """
    matches = find_times(text, reference)
    return matches[0].value if matches else None


# --------------------------------------------------------------------------
# Scanning
# --------------------------------------------------------------------------


def _to_seoul(reference: datetime) -> datetime:
    """Return ``reference`` in Asia/Seoul; naive values are assumed local."""
    if reference.tzinfo is None or reference.utcoffset() is None:
        return reference.replace(tzinfo=SEOUL)
    return reference.astimezone(SEOUL)


def _scan(
    pattern: re.Pattern, text: str, ref: datetime, build: _Builder
) -> list[TimeMatch]:
    """Collect matches of ``pattern`` whose value ``build`` can resolve."""
    found: list[TimeMatch] = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        try:
            value = build(m, ref)
        except (ValueError, OverflowError):
            value = None
        if value is None:
            pos = m.start() + 1
            continue
        found.append(TimeMatch(m.start(), m.end(), m.group(), value))
        pos = m.end()
    return found


def _select(candidates: list[TimeMatch]) -> list[TimeMatch]:
    """Keep the earliest (then longest) of any overlapping matches."""
    chosen: list[TimeMatch] = []
    for match in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if not chosen or match.start >= chosen[-1].end:
            chosen.append(match)
    return chosen


def _drop_bare_now(matches: list[TimeMatch]) -> list[TimeMatch]:
    """Drop ``지금`` matches when a more specific expression exists."""
    specific = [m for m in matches if m.text != "지금"]
    return specific if specific else matches


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------


def _number(word: str) -> int:
    """Value of a digit string, native hour word or Sino-Korean number."""
    word = re.sub(r"\s+", "", word)
    if word.isdigit():
        return int(word)
    if word in _NATIVE:
        return _NATIVE[word]
    tens, sep, ones = word.partition("십")
    if not sep:
        return SINO_DIGITS[word]
    return SINO_DIGITS.get(tens, 1) * 10 + SINO_DIGITS.get(ones, 0)


# --------------------------------------------------------------------------
# Relative expressions
# --------------------------------------------------------------------------


def _build_now(m: re.Match, ref: datetime) -> datetime:
    """``방금`` / ``방금 전`` / ``지금`` all mean the reference time."""
    return ref


def _build_relative(m: re.Match, ref: datetime) -> datetime | None:
    """Resolve "N ago" / "waiting for N" to ``ref - N``."""
    if m.group("ndays") and _follows_month(m):
        return None  # "12월 3일 전에" is a date, not "3 days ago"
    return ref - _duration(m)


def _follows_month(m: re.Match) -> bool:
    """True if the match is preceded by a month, as in "12월 3일"."""
    return m.string[: m.start()].rstrip().endswith("월")


def _duration(m: re.Match) -> timedelta:
    """The duration spelled out by a :data:`_RELATIVE_RE` match."""
    if m.group("hours"):
        minutes = 30 if m.group("hhalf") else _number(m.group("hmin") or "0")
        return timedelta(hours=_number(m.group("hours")), minutes=minutes)
    if m.group("minutes"):
        return timedelta(minutes=_number(m.group("minutes")))
    if m.group("days"):
        return timedelta(days=_DAYS[m.group("days")])
    if m.group("ndays"):
        return timedelta(days=int(m.group("ndays")))
    return timedelta(weeks=_number(m.group("weeks")))


# --------------------------------------------------------------------------
# Clock times
# --------------------------------------------------------------------------


def _build_clock(m: re.Match, ref: datetime) -> datetime | None:
    """Resolve a :data:`_CLOCK_RE` match against the reference time."""
    if _is_native_idiom(m):
        return None
    hour, minute = _hour_minute(m)
    period = m.group("period")
    if m.group("day") == "어젯밤" and period is None:
        period = "밤"
    hours = [hour] if m.group("named") else _candidate_hours(hour, period)
    day = _explicit_day(m, ref)
    if day is None and (m.group("dom") or m.group("day")):
        return None  # impossible date such as "2월 30일"
    return _resolve_clock(ref, hours, minute, day)


def _is_native_idiom(m: re.Match) -> bool:
    """True for idioms like "한시라도", "한시도", "한시가 급해요"."""
    hour = m.group("hour")
    if not hour or hour.isdigit() or m.group("half") or m.group("minute"):
        return False
    return _NATIVE_IDIOM_AFTER.match(m.string, m.end()) is not None


def _hour_minute(m: re.Match) -> tuple[int, int]:
    """Hour (0-24, as written) and minute of a clock match."""
    if m.group("named"):
        return _NAMED_HOURS[m.group("named")], 0
    if m.group("hh"):
        return int(m.group("hh")), int(m.group("mm"))
    if m.group("half"):
        return _number(m.group("hour")), 30
    minute = _number(m.group("minute")) if m.group("minute") else 0
    if minute > 59:
        raise ValueError(f"minute out of range: {minute}")
    return _number(m.group("hour")), minute


def _candidate_hours(hour: int, period: str | None) -> list[int]:
    """Possible hours-since-midnight for a written hour and day period.

    Values of 24 or more mean "after midnight, belonging to that night"
    (``밤 1시`` -> 25, ``밤 12시`` -> 24).
    """
    if hour == 0 or hour > 12:
        return [hour]
    if period is None:
        return [hour % 12, hour % 12 + 12]
    return [_period_hour(hour, period)]


def _period_hour(hour: int, period: str) -> int:
    """Convert a 1-12 hour to hours since midnight given its day period."""
    if period in ("오전", "새벽", "아침"):
        return hour % 12
    if period == "오후":
        return hour % 12 + 12
    if period in ("점심", "낮"):
        return hour if hour >= 10 else hour + 12
    if hour == 12:
        return 24  # 저녁/밤 12시: midnight at the end of that day
    if period == "밤" and hour <= 5:
        return hour + 24  # 밤 1시: 1 a.m. that night
    return hour + 12


def _explicit_day(m: re.Match, ref: datetime) -> date | None:
    """The day named by a day word or a date, or ``None``."""
    if m.group("day"):
        return ref.date() + timedelta(days=_DAY_OFFSETS[m.group("day")])
    if m.group("dom"):
        month = int(m.group("month")) if m.group("month") else None
        return _past_date(ref.date(), month, int(m.group("dom")))
    return None


def _past_date(today: date, month: int | None, dom: int) -> date | None:
    """Most recent date (up to ``today``) with this month/day; ``None`` if invalid."""
    try:
        if month is not None:
            candidate = date(today.year, month, dom)
            return candidate if candidate <= today else date(today.year - 1, month, dom)
        candidate = date(today.year, today.month, dom)
        if candidate <= today:
            return candidate
        previous = today.replace(day=1) - timedelta(days=1)
        return date(previous.year, previous.month, dom)
    except ValueError:
        return None


def _resolve_clock(
    ref: datetime, hours: list[int], minute: int, day: date | None
) -> datetime:
    """Pick the datetime a clock time refers to.

    Without a day: the nearest past occurrence among all readings. With a
    day: the latest reading on that day not after ``ref``, or the earliest
    reading if all of them are in the future.
    """
    if day is None:
        today = ref.date()
        days = [today - timedelta(days=n) for n in range(3)]
        candidates = [_at(d, h, minute) for d in days for h in hours]
        return max(c for c in candidates if c <= ref)
    candidates = sorted(_at(day, h, minute) for h in hours)
    past = [c for c in candidates if c <= ref]
    return past[-1] if past else candidates[0]


def _at(day: date, hours: int, minute: int) -> datetime:
    """``day`` at midnight (Asia/Seoul) plus ``hours`` and ``minute``."""
    midnight = datetime.combine(day, time(0), tzinfo=SEOUL)
    return midnight + timedelta(hours=hours, minutes=minute)

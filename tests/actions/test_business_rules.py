"""Business rules from business_rules.yml: hours, next opening, priorities, time wording."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from actions.order_facts import clock, day_and_clock
from actions.business_rules import load_business_rules as business_rules

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(
    "local, is_open",
    [
        (datetime(2026, 11, 23, 8, 59, tzinfo=SEOUL), False),
        (datetime(2026, 11, 23, 9, 0, tzinfo=SEOUL), True),
        (datetime(2026, 11, 23, 17, 59, tzinfo=SEOUL), True),
        (datetime(2026, 11, 23, 18, 0, tzinfo=SEOUL), False),
    ],
)
def test_business_hours(local, is_open):
    assert business_rules().is_open(local) is is_open


def test_next_opening_after_closing_is_tomorrow_morning():
    evening = datetime(2026, 11, 22, 12, 8, tzinfo=timezone.utc)  # 21:08 in Seoul
    assert business_rules().next_opening(evening) == datetime(2026, 11, 23, 9, 0, tzinfo=SEOUL)
    assert day_and_clock(business_rules().next_opening(evening), business_rules()) == "11월 23일 9시"


def test_priorities_come_from_the_file():
    rules = business_rules()
    assert rules.priority("delivered_not_received") == "urgent"
    assert rules.priority("payment_double_charge") == "high"
    assert rules.priority("unknown reason") == "normal"


def test_a_priority_the_desk_does_not_know_is_refused_when_the_rules_are_read(tmp_path):
    from actions.business_rules import DEFAULT_FILE

    text = DEFAULT_FILE.read_text(encoding="utf-8").replace("delivered_not_received: urgent", "delivered_not_received: asap")
    path = tmp_path / "rules.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="asap is not one of urgent, high, normal, low"):
        business_rules(path)


@pytest.mark.parametrize("change, says", [
    (("  late_after_minutes: 10\n", ""), "the key 'late_after_minutes' is missing"),
    (("late_after_minutes: 10", "late_after_minutes: soon"), "soon"),
    (("delay:", "delay: ["), "rules.yml"),
])
def test_a_malformed_rules_file_is_refused_naming_the_file(tmp_path, change, says):
    from actions.business_rules import DEFAULT_FILE

    old, new = change
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match="rules.yml") as refused:
        business_rules(path)
    assert says in str(refused.value)


def test_clock_wording():
    assert clock(datetime(2026, 11, 22, 19, 5, tzinfo=SEOUL), business_rules()) == "19시 05분"
    assert clock(datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc), business_rules()) == "19시"

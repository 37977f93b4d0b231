"""The bot's business rules (thresholds, priorities, business hours), loaded from ``business_rules.yml``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, Dict, Tuple
from zoneinfo import ZoneInfo

import yaml

from contract.vocabulary import PRIORITIES

ROOT = Path(__file__).resolve().parent.parent
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BusinessRules:
    """Thresholds, priorities and business hours."""

    timezone: ZoneInfo
    late_after: timedelta
    late_without_eta: timedelta
    priorities: Dict[str, str]
    open_days: Tuple[int, ...]
    opens: time
    closes: time
    first_answer: timedelta
    failed_validations_per_slot: int
    fallbacks_in_a_row: int
    phone_attempts: int
    photos_max: int
    failures_per_order: int = 5
    failures_per_client: int = 10
    verification_window: timedelta = timedelta(minutes=60)

    def priority(self, reason: str) -> str:
        """The ticket priority for a handoff reason (``normal`` when unlisted)."""
        return self.priorities.get(reason, "normal")

    def is_open(self, moment: datetime) -> bool:
        """Whether agents are working at ``moment``."""
        local = moment.astimezone(self.timezone)
        return local.weekday() in self.open_days and self.opens <= local.time() < self.closes

    def next_opening(self, moment: datetime) -> datetime:
        """The next time agents start working after ``moment`` (local time)."""
        local = moment.astimezone(self.timezone)
        for days in range(0, 8):
            day = (local + timedelta(days=days)).date()
            start = datetime.combine(day, self.opens, tzinfo=self.timezone)
            if day.weekday() in self.open_days and start > local:
                return start
        raise ValueError("business_hours.days is empty")


def _hhmm(text: str) -> time:
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def _priorities(raw: Dict[str, Any]) -> Dict[str, str]:
    priorities = {str(reason): str(priority) for reason, priority in dict(raw).items()}
    unknown = sorted({p for p in priorities.values() if p not in PRIORITIES})
    if unknown:
        raise ValueError(f"priorities: {', '.join(unknown)} is not one of {', '.join(PRIORITIES)}")
    return priorities


def parse_business_rules(raw: Dict[str, Any]) -> BusinessRules:
    """The rules of the YAML mapping (raises KeyError/ValueError when malformed)."""
    hours = raw["business_hours"]
    return BusinessRules(
        timezone=ZoneInfo(raw.get("timezone", "Asia/Seoul")),
        late_after=timedelta(minutes=int(raw["delay"]["late_after_minutes"])),
        late_without_eta=timedelta(minutes=int(raw["delay"]["late_without_eta_minutes"])),
        priorities=_priorities(raw["priorities"]),
        open_days=tuple(DAY_NAMES.index(day) for day in hours["days"]),
        opens=_hhmm(hours["open"]),
        closes=_hhmm(hours["close"]),
        first_answer=timedelta(minutes=int(hours.get("first_answer_minutes", 30))),
        failed_validations_per_slot=int(raw["handoff"]["failed_validations_per_slot"]),
        fallbacks_in_a_row=int(raw["handoff"]["fallbacks_in_a_row"]),
        phone_attempts=int(raw["handoff"]["phone_attempts"]),
        photos_max=int(raw["photos"]["max"]),
        failures_per_order=int(raw["verification"]["failures_per_order"]),
        failures_per_client=int(raw["verification"]["failures_per_client"]),
        verification_window=timedelta(minutes=int(raw["verification"]["window_minutes"])),
    )


DEFAULT_FILE = ROOT / "business_rules.yml"


def load_business_rules(path: Path = DEFAULT_FILE) -> BusinessRules:
    """The rules of a YAML file (``business_rules.yml`` by default).

    Raises:
        ValueError: an unreadable or malformed file, naming the file and what is wrong.
    """
    try:
        return parse_business_rules(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    except KeyError as exc:
        raise ValueError(f"{path}: the key {exc} is missing") from exc
    except (OSError, yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc

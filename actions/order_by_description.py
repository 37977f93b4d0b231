"""An order described instead of numbered: "아까 BBQ에서 시킨 거요", "어제 저녁 피자요".

Only a signed-in customer's own recent orders are searched, so a description can
never reach another customer's order. The store's name (or its brand, without
the branch) or a menu item names orders; a time (아까, 어제, 저녁, 7시쯤) narrows
them. Time words are read word by word, and never inside a word that named a
store ("새벽집", "오늘통닭") or in everyday words ("아까워요"). An order is taken
without asking back only when one order is named and nothing is denied
("BBQ 말고요"); otherwise the fitting orders are offered as buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, List, Optional, Sequence, Tuple

from actions.business_rules import BusinessRules
from actions.order_facts import clock
from orders.model import Order
from support import customer_texts as say
from support.button_payloads import order_choice
from support.korean_time import SEOUL, find_times

# words of a description that name neither a store nor a menu item (yes/no answers included: "네네" is no 네네치킨)
_STOPWORDS = frozenset({
    "아까", "방금", "오늘", "어제", "그제", "그저께", "지난번", "저번", "최근", "아침", "점심", "저녁", "새벽",
    "주문", "주문한", "주문했던", "주문했는데", "시킨", "시켰던", "시켰는데", "배달", "음식", "거요", "건데요",
    "그거", "그거요", "제가", "저는", "우리", "가게", "매장", "에서", "이요", "인데요", "입니다", "이에요", "예요",
    "네네", "아니요", "아뇨", "맞아요", "그냥", "진짜", "정말", "말고", "아니고", "아니에요",
    "거예요", "거에요", "건데", "것", "전에", "좀", "조금", "같아요", "같은데", "했어요", "했는데", "그게",
})
# particles and endings a store or menu word carries in a description
_PARTICLE = re.compile(
    r"(?:에서|에서요|서|에|이요|요|이랑|랑|하고|이나|나|은|는|이|가|을|를|도|만|거|거요|건데|인데|이에요|예요|꺼)$"
)
_WORD = re.compile(r"[0-9A-Za-z가-힣]+")
_ORDER_VERB = re.compile(r"(시킨|시켰|주문한|주문했|배달\s*온|받은)")
_DENIAL = re.compile(r"말고|아니|빼고")
_BRANCH = re.compile(r"\S+점$")
# time cues, each a whole word (with its particle): "아까워요" is no 아까, "밤양갱" no 밤
_RECENT_WORD = re.compile(r"(아까|방금|좀전|조금전)(에|에요|요|이요|는)?")
_RECENT_PHRASE = re.compile(r"(좀|조금)\s*전")
_DAY_WORDS = {"오늘": 0, "어제": 1, "어젯": 1, "그제": 2, "그저께": 2}
_DAY_WORD = re.compile(r"(오늘|어제|어젯|그제|그저께)(밤|저녁|아침|점심|새벽)?(에|에요|요|이요|은|는)?")
_PART_WORD = re.compile(r"(아침|점심|저녁|밤|새벽)(에|에요|요|이요|은|는)?")
# hours of each part of the day; 밤 runs past midnight, counted to the day it began
_PARTS_OF_DAY = {"아침": (6, 11), "점심": (11, 15), "저녁": (17, 22), "밤": (20, 27), "새벽": (0, 6)}
# how long ago "아까", "방금" and "좀 전에" may reach
_RECENT = timedelta(hours=3)
# a time said by the clock ("7시 40분쯤") fits orders this close
_CLOCK_SLACK = timedelta(minutes=90)


@dataclass(frozen=True)
class Description:
    """What a message says about an order: words that may name its store or items, and when."""

    words: Tuple[str, ...]
    ordered_around: Optional[datetime] = None
    recent: bool = False
    day_offset: Optional[int] = None
    part_of_day: Optional[Tuple[int, int]] = None
    denies: bool = False

    @property
    def says_when(self) -> bool:
        """The message says when the order was made."""
        return bool(self.ordered_around or self.recent or self.day_offset is not None or self.part_of_day)


def _compact(text: str) -> str:
    return "".join(text.lower().split())


def _stem(word: str) -> str:
    """The word without the particle or ending a description adds (BBQ에서 → bbq)."""
    stem = word.lower()
    for _ in range(2):
        stripped = _PARTICLE.sub("", stem)
        if len(stripped) < 2:
            break
        stem = stripped
    return stem


def _candidate_words(text: str) -> Tuple[str, ...]:
    return tuple(
        stem for stem in (_stem(w) for w in _WORD.findall(text or ""))
        if len(stem) >= 2 and stem not in _STOPWORDS and not _ORDER_VERB.match(stem) and not stem.isdigit()
        and not _time_word(stem)
    )


def _time_word(word: str) -> bool:
    return bool(_RECENT_WORD.fullmatch(word) or _DAY_WORD.fullmatch(word) or _PART_WORD.fullmatch(word))


def describe(text: str, now: datetime, naming: Sequence[str] = ()) -> Description:
    """Read the store or menu words and the time a message gives; words in ``naming`` are no time words."""
    text = text or ""
    now = now.astimezone(SEOUL)
    raw = [w.lower() for w in _WORD.findall(text) if _stem(w) not in naming]
    recent = any(_RECENT_WORD.fullmatch(w) for w in raw) or bool(_RECENT_PHRASE.search(text))
    day_offset, part = None, None
    for word in raw:
        day = _DAY_WORD.fullmatch(word)
        if day and day_offset is None:
            day_offset = _DAY_WORDS[day.group(1)]
            if day.group(2):
                part = _PARTS_OF_DAY[day.group(2)]
        if day_offset is None and word.startswith("어젯밤"):
            day_offset, part = 1, _PARTS_OF_DAY["밤"]
        named_part = _PART_WORD.fullmatch(word)
        if named_part and part is None:
            part = _PARTS_OF_DAY[named_part.group(1)]
    clocks = [m for m in find_times(text, now) if any(ch.isdigit() for ch in m.text) and "시" in m.text]
    return Description(
        words=_candidate_words(text),
        ordered_around=clocks[0].value if clocks else None,
        recent=recent,
        day_offset=day_offset,
        part_of_day=part,
        denies=bool(_DENIAL.search(text)),
    )


def _names(order: Order) -> List[str]:
    """The store's name, its brand without the branch, its words, and the items, all without spaces."""
    store = order.store_name.lower().split()
    names = [_compact(order.store_name)]
    if len(store) > 1 and _BRANCH.match(store[-1]):
        names.append("".join(store[:-1]))
    names.extend(w for w in store if len(w) >= 2 and not _BRANCH.match(w))
    names.extend(_compact(item.name) for item in order.items)
    return names


def _named(order: Order, word: str) -> bool:
    return any(word in name or (len(name) >= 2 and name in word) for name in _names(order))


def _when_fits(order: Order, said: Description, now: datetime) -> bool:
    now = now.astimezone(SEOUL)
    ordered = order.ordered_at.astimezone(SEOUL)
    if said.ordered_around:  # a clock time says the day too ("어제 밤 12시 반쯤")
        return abs(ordered - said.ordered_around) <= _CLOCK_SLACK
    if said.recent and not now - _RECENT <= ordered <= now:
        return False
    # the day a 밤 began: an order at 00:30 belongs to the night before
    late_night = said.part_of_day == _PARTS_OF_DAY["밤"] and ordered.hour < 3
    day = (ordered - timedelta(days=1)).date() if late_night else ordered.date()
    if said.day_offset is not None and day != (now - timedelta(days=said.day_offset)).date():
        return False
    if said.part_of_day:
        start, end = said.part_of_day
        hour = ordered.hour + 24 if late_night else ordered.hour
        if not start <= hour < end:
            return False
    return True


def is_description(text: str, now: datetime) -> bool:
    """The message describes an order (a verb of ordering, with a word or a time to go on)."""
    said = describe(text, now)
    return bool(_ORDER_VERB.search(text or "")) and bool(said.words or said.says_when)


@dataclass(frozen=True)
class Match:
    """The recent orders a description fits, newest first; ``sure`` when one was named and nothing denied."""

    orders: Tuple[Order, ...]
    sure: bool = False


def match_description(text: str, orders: Sequence[Order], now: datetime) -> Optional[Match]:
    """The customer's ``orders`` that fit the description in ``text``; ``None`` when the text describes no order.

    A store or menu word names the orders it fits ("아까 BBQ에서 시킨 거요": bbq), and the orders most
    words name are kept ("BBQ 강남점" is the BBQ, not every 강남점); a time narrows them, and when the
    time fits none of the named orders they are offered all the same. A message with a verb of ordering
    whose words fit nothing ("피자 시킨 거요" without a pizza) matches no order; one naming no order and
    saying no time is no description.
    """
    words = _candidate_words(text)
    naming = [w for w in words if any(_named(o, w) for o in orders)]
    said = describe(text, now, naming)
    verb = bool(_ORDER_VERB.search(text or ""))
    if not naming:
        if not said.says_when:
            return Match(orders=()) if verb and said.words else None
        if not verb:
            return None  # a time alone ("30분 전에요") answers another question, not this one
        return Match(orders=tuple(_newest([o for o in orders if _when_fits(o, said, now)])))
    scores = {o.number: sum(_named(o, w) for w in naming) for o in orders}
    best = max(scores.values())
    named = [o for o in orders if scores[o.number] == best]
    fitting = [o for o in named if _when_fits(o, said, now)] or named
    # every naming word points at the one order kept, and the customer denies nothing ("BBQ 말고요")
    sure = (len(fitting) == 1 and not said.denies and all(_named(fitting[0], w) for w in naming)
            and (not said.says_when or _when_fits(fitting[0], said, now)))
    return Match(orders=tuple(_newest(fitting)), sure=sure)


def only_names(text: str, orders: Sequence[Order]) -> bool:
    """Every word of the message that could name something names one of ``orders`` ("좀 전에 바삭 돈까스에서
    시킨 거예요"): it describes the order and reports nothing, whatever its store's name sounds like."""
    words = _candidate_words(text)
    return bool(words) and bool(_ORDER_VERB.search(text or "")) and all(
        any(_named(o, w) for o in orders) for w in words)


def _newest(orders: Sequence[Order]) -> List[Order]:
    return sorted(orders, key=lambda o: o.ordered_at, reverse=True)


def order_buttons(orders: Sequence[Order], rules: BusinessRules) -> List[Dict[str, str]]:
    """A button for each order (its store and when it was ordered), then "not in the list"."""
    buttons = [{"title": f"{o.store_name} ({clock(o.ordered_at, rules)})", "payload": order_choice(o.number)}
               for o in orders]
    buttons.append({"title": say.NOT_IN_THE_LIST, "payload": "/dont_know"})
    return buttons

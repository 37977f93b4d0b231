"""The words by which a message names a problem, per problem category.

The intent classifier picks one category per message. A message can name two
("한 시간 걸려서 왔는데 다 식었어요": late and cold). These cues are the words
customers use for each problem: a category is named when one of its cues stands
in the message. They are written from the domain (docs/nlu.md's sub-problems),
not learned, so they can be read and extended. A remedy asked for ("환불해
주세요") names no payment problem; a refund that did not arrive does.
"""

from __future__ import annotations

import re
from typing import Dict, List, Pattern

CUES: Dict[str, List[str]] = {
    "delay": [
        r"안\s*와", r"안\s*오", r"안\s*옴", r"늦", r"지연", r"기다리", r"기다렸", r"기다려", r"배차", r"조리\s*중",
        r"접수\s*대기", r"언제\s*(와|오)", r"도착\s*(안|을?\s*안)", r"시간\s*(넘|째|반)", r"분\s*째", r"한참",
        r"오래\s*걸", r"한\s*세월", r"출발\s*(안|도)", r"late", r"waiting", r"delay",
    ],
    "quality": [
        r"식었", r"식어", r"식은", r"차갑", r"차가", r"미지근", r"눅눅", r"불었", r"불어\s*서", r"퉁퉁", r"녹았",
        r"머리카락", r"이물질", r"벌레", r"비닐", r"상했", r"쉰\s*내", r"곰팡", r"덜\s*익", r"안\s*익", r"비린",
        r"빠져\s*있", r"빠졌", r"누락", r"잘못\s*(왔|온)", r"다른\s*메뉴", r"쏟아", r"샜", r"새서", r"터져", r"터진",
        r"깨져", r"양이\s*(너무\s*)?(적|작)", r"cold", r"soggy", r"missing",
    ],
    "payment": [
        r"결제", r"결재", r"이중", r"중복", r"승인", r"환불\s*(이|은|도)?\s*(아직\s*)?안", r"쿠폰", r"할인", r"금액",
        r"차액", r"포인트", r"영수증", r"두\s*번\s*(빠져|나가|찍|긁)", r"charged", r"payment",
    ],
}
_COMPILED: Dict[str, List[Pattern[str]]] = {
    category: [re.compile(pattern, re.I) for pattern in patterns] for category, patterns in CUES.items()
}


def named_problems(text: str) -> List[str]:
    """The problem categories whose cues stand in ``text``, in CUES order."""
    return [category for category, patterns in _COMPILED.items() if any(p.search(text) for p in patterns)]

"""Korean numerals shared by the amount and time parsers."""

from __future__ import annotations

from typing import Dict

# Sino-Korean digits: 이만 오천원, 삼십 분
SINO_DIGITS: Dict[str, int] = {
    "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5,
    "육": 6, "칠": 7, "팔": 8, "구": 9,
}

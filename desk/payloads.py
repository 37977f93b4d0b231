"""What a decoded JSON body may hold before the desk stores it or echoes it back.

JSON decoders accept more than a database can keep: ``\\u0000`` (PostgreSQL text
refuses NUL), unpaired surrogates such as ``\\ud800`` (not encodable as UTF-8),
``NaN``/``Infinity`` (not JSON at all) and integers of any size (a database
integer holds 64 bits). :func:`problem_in` finds the first such value.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Tuple

MAX_INT = 2**63 - 1
MIN_INT = -(2**63)

# (status, code, message) of what is wrong with a body
Problem = Tuple[int, str, str]

NOT_FINITE: Problem = (400, "malformed_json", "NaN and Infinity are not JSON numbers.")
SURROGATE: Problem = (400, "malformed_json", "The body has text that is not valid Unicode (an unpaired surrogate).")
NUL: Problem = (422, "invalid_characters", "Text may not contain the NUL character (U+0000).")
TOO_BIG: Problem = (422, "number_out_of_range", f"Whole numbers must be between {MIN_INT} and {MAX_INT}.")


def _text_problem(text: str) -> Optional[Problem]:
    if "\x00" in text:
        return NUL
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE
    return None


def problem_in(value: Any) -> Optional[Problem]:
    """The first problem in a decoded JSON ``value`` (walked without recursion), or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = _text_problem(item)
        elif isinstance(item, bool) or item is None:
            problem = None
        elif isinstance(item, int):
            problem = None if MIN_INT <= item <= MAX_INT else TOO_BIG
        elif isinstance(item, float):
            problem = None if math.isfinite(item) else NOT_FINITE
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
            problem = None
        elif isinstance(item, list):
            stack.extend(item)
            problem = None
        else:
            problem = None
        if problem is not None:
            return problem
    return None

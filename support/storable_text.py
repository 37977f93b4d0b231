"""Customer text made safe to store and send on: no NUL, no unpaired surrogates.

JSON lets a client send ``\\u0000`` and lone surrogates such as ``\\ud800``. Python
keeps both in a ``str``, but PostgreSQL text refuses NUL, UTF-8 cannot encode a
lone surrogate, and Kiwi (the tokenizer) fails on one. :func:`storable` removes
NUL and replaces each unpaired surrogate with U+FFFD (one character for one, so
offsets into the text stay valid); everything else, emoji and control characters
included, is kept as it was.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with every unpaired surrogate replaced by U+FFFD (same length)."""
    return _SURROGATE.sub(REPLACEMENT, text)


def storable(text: str) -> str:
    """``text`` without NUL characters and with unpaired surrogates replaced by U+FFFD."""
    return without_surrogates(text.replace("\x00", "")) if text else text

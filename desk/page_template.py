"""The desk's two pages (the web chat, the agent console) are HTML templates filled once at start.

Their words and the contract's values are put in as ``$names``: HTML-escaped in the
markup, and as one JSON block the page's script reads, with ``<`` ``>`` ``&`` escaped
so that no text can end the script element.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template
from typing import Any, Mapping


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text


def render(path: Path, words: Mapping[str, str], **raw: Any) -> str:
    """The template at ``path`` with ``words`` HTML-escaped and ``raw`` values (markup or JSON) as they are."""
    escaped = {name: html.escape(text, quote=True) for name, text in words.items()}
    return Template(path.read_text(encoding="utf-8")).substitute(escaped, **raw)

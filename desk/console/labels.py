"""How the agent console names the contract's words (contract/vocabulary.py), in Korean for agents."""

from __future__ import annotations

import html
from typing import Dict

from contract.vocabulary import AUTHORS, CATEGORIES, CATEGORY_LABELS, OPEN_STATUSES, PRIORITIES, STATUSES

CATEGORY: Dict[str, str] = CATEGORY_LABELS
PRIORITY: Dict[str, str] = {"urgent": "긴급", "high": "높음", "normal": "보통", "low": "낮음"}
STATUS: Dict[str, str] = {
    "new": "새 티켓", "assigned": "배정됨", "waiting_customer": "고객 응답 대기", "resolved": "해결됨", "closed": "종료",
}
AUTHOR: Dict[str, str] = {"customer": "고객", "bot": "챗봇", "agent": "상담원", "system": "시스템"}
OPEN_TICKETS = "열린 티켓"
ALL_TICKETS = "전체"

# every word of the contract has its label, and no label names a word the contract does not have
for _labels, _words in ((CATEGORY, CATEGORIES), (PRIORITY, PRIORITIES), (STATUS, STATUSES), (AUTHOR, AUTHORS)):
    if tuple(_labels) != _words:
        raise RuntimeError(f"desk/console/labels.py: labels {tuple(_labels)} do not match the contract's {_words}")


def status_options() -> str:
    """The queue's status filter: the open tickets, each status, everything (as ``<option>`` markup)."""
    options = [(",".join(OPEN_STATUSES), OPEN_TICKETS, True)] + [(s, STATUS[s], False) for s in STATUSES]
    options.append(("", ALL_TICKETS, False))
    return "\n".join(
        f'<option value="{html.escape(value)}"{" selected" if selected else ""}>{html.escape(label)}</option>'
        for value, label, selected in options
    )


def vocabulary() -> Dict[str, object]:
    """What the console's script needs of the contract: the open statuses and every label."""
    return {
        "open_statuses": list(OPEN_STATUSES),
        "labels": {"category": CATEGORY, "priority": PRIORITY, "status": STATUS, "author": AUTHOR},
    }

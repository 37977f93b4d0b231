"""How many training examples each sub-problem has, per register: the table of docs/nlu.md.

    .venv/bin/python scripts/training_counts.py          # print the table
    .venv/bin/python scripts/training_counts.py --write  # write it into docs/nlu.md

The counts come from each training block's ``metadata`` (``sub_problem``,
``register``); ``tests/scripts/test_training_counts.py`` fails when the table in
docs/nlu.md no longer matches the data.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from blind_set import CATEGORIES, ORDER_REQUESTS, REGISTERS, TAXONOMY, sub_problems  # noqa: E402

DATA = ROOT / "data" / "nlu"
BEGIN = "<!-- training counts: scripts/training_counts.py --write -->"
END = "<!-- end of training counts -->"
SHORT = {"short_chat": "short", "long_review": "review", "angry": "angry", "polite": "polite",
         "no_spacing": "no space", "typo_slang": "typo/초성", "english_konglish": "English", "emoji": "emoji"}


def block_counts(data: Path = DATA) -> Counter:
    """Examples per (category, sub_problem, register), from the blocks' metadata."""
    counts: Counter = Counter()
    for path in sorted(data.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            intent = str(block.get("intent") or "")
            category = intent.split("/", 1)[0]
            category = "other" if category in ORDER_REQUESTS else category
            metadata = block.get("metadata") or {}
            if category not in (*CATEGORIES, "request_agent") or not isinstance(metadata, dict):
                continue
            examples = [line for line in str(block.get("examples") or "").splitlines() if line.strip().startswith("- ")]
            counts[(category, str(metadata.get("sub_problem")), str(metadata.get("register")))] += len(examples)
    return counts


def table(counts: Counter) -> str:
    """The markdown table: one row per sub-problem (docs/nlu.md's order), one column per register."""
    rows: List[Tuple[str, str]] = [(c, s) for c, subs in sub_problems().items() for s in subs]
    rows.append(("request_agent", "request_agent"))
    head = "| category / sub-problem | " + " | ".join(SHORT[r] for r in REGISTERS) + " | all |"
    lines = [head, "|---|" + "---:|" * (len(REGISTERS) + 1)]
    totals: Dict[str, int] = Counter()
    for category, sub in rows:
        cells = [counts[(category, sub, register)] for register in REGISTERS]
        for register, value in zip(REGISTERS, cells):
            totals[register] += value
        name = category if sub == category else f"{category} / `{sub}`"
        lines.append(f"| {name} | " + " | ".join(str(v) for v in cells) + f" | {sum(cells)} |")
    lines.append("| **all** | " + " | ".join(str(totals[r]) for r in REGISTERS) + f" | {sum(totals.values())} |")
    return "\n".join(lines)


def section(counts: Counter) -> str:
    """The table between its markers, as docs/nlu.md holds it."""
    return f"{BEGIN}\n{table(counts)}\n{END}"


def main() -> int:
    """Print the table, or write it into docs/nlu.md."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="replace the table in docs/nlu.md")
    args = parser.parse_args()
    current = section(block_counts())
    if not args.write:
        print(current)
        return 0
    doc = TAXONOMY.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        print(f"{TAXONOMY.relative_to(ROOT)} has no {BEGIN} … {END} markers", file=sys.stderr)
        return 2
    start, end = doc.index(BEGIN), doc.index(END) + len(END)
    TAXONOMY.write_text(doc[:start] + current + doc[end:], encoding="utf-8")
    print(f"wrote the table into {TAXONOMY.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""docs/nlu.md's table of training examples per sub-problem and register matches the data."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from blind_set import REGISTERS, TAXONOMY, sub_problems  # noqa: E402
from training_counts import block_counts, section  # noqa: E402


def test_the_table_in_docs_nlu_md_is_the_data_s():
    assert section(block_counts()) in TAXONOMY.read_text(encoding="utf-8"), (
        "docs/nlu.md's training counts are stale: run .venv/bin/python scripts/training_counts.py --write"
    )


def test_every_sub_problem_has_examples_in_every_register():
    counts = block_counts()
    missing = [f"{category}/{sub} {register}" for category, subs in sub_problems().items() for sub in subs
               for register in REGISTERS if counts[(category, sub, register)] < 2]
    assert missing == []


def test_no_block_names_a_sub_problem_or_register_docs_nlu_md_does_not_define():
    known = {(c, s) for c, subs in sub_problems().items() for s in subs} | {("request_agent", "request_agent")}
    unknown = [key for key in block_counts() if key[:2] not in known or key[2] not in REGISTERS]
    assert unknown == []

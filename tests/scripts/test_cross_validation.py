"""The folds of `make eval`'s cross-validation (scripts/cross_validation.py)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from cross_validation import TrainingExample, folds, labels_of, load_training  # noqa: E402
from support.intents import base_intent  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "data" / "nlu"


def examples(counts):
    return [TrainingExample(None, f"{intent} {i}", intent, "-", "-")
            for intent, n in counts.items() for i in range(n)]


def test_every_example_is_held_out_exactly_once():
    data = examples({"delay": 23, "quality": 17, "payment": 11, "greet": 4})
    parts = folds(data)
    assert len(parts) == 5
    flat = [i for part in parts for i in part]
    assert sorted(flat) == list(range(len(data)))


def test_each_intent_is_spread_evenly_over_the_folds():
    data = examples({"delay": 23, "quality": 17, "payment": 11})
    for part in folds(data):
        counts = Counter(data[i].intent for i in part)
        assert 4 <= counts["delay"] <= 5 and 3 <= counts["quality"] <= 4 and 2 <= counts["payment"] <= 3


def test_the_folds_are_the_same_on_every_run():
    data = examples({"delay": 30, "quality": 30})
    assert folds(data) == folds(data)


def test_every_problem_example_of_the_training_data_has_a_sub_problem_and_a_register():
    loaded = load_training(DATA, base_intent)
    problems = [e for e in loaded if e.intent in ("delay", "quality", "payment", "other", "request_agent")]
    assert problems
    unlabelled = [e.text for e in problems if e.sub_problem == "-" or e.register == "-"]
    assert unlabelled == []


def test_labels_come_from_the_block_metadata():
    class FakeMessage(dict):
        pass

    message = FakeMessage(metadata={"intent": {"sub_problem": "no_rider", "register": "angry"}})
    assert labels_of(message) == ("no_rider", "angry")
    assert labels_of(FakeMessage()) == ("-", "-")

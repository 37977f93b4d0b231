"""The blind set and noise corpus: labels from docs/nlu.md, the size the issue asks, no training text, honest scoring."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("blind_set", ROOT / "scripts" / "blind_set.py")
blind_set = importlib.util.module_from_spec(_spec)
sys.modules["blind_set"] = blind_set  # its dataclasses look their module up while the file runs
_spec.loader.exec_module(blind_set)


def normalised(text: str) -> str:
    return "".join(text.lower().split())


def training_texts() -> set:
    texts = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.add(normalised(line[2:]))
    return texts


def test_the_taxonomy_names_the_sub_problems_of_every_category():
    found = blind_set.sub_problems()
    assert set(found) == set(blind_set.CATEGORIES)
    assert {"no_rider", "delivered_not_received"} <= set(found["delay"])
    assert {"missing_item", "foreign_object"} <= set(found["quality"])
    assert {"double_charge", "payment_method"} <= set(found["payment"])
    assert {"account", "chitchat"} <= set(found["other"])


needs_the_set = pytest.mark.skipif(not blind_set.BLIND.exists(), reason="tests/nlu/blind.yml not written yet")


@needs_the_set
def test_the_blind_set_is_as_large_and_as_varied_as_promised():
    messages = blind_set.load_blind()
    counts = blind_set.label_counts(messages)
    assert len(messages) >= 400
    assert counts["register"]["long_review"] >= 100
    assert set(counts["intent"]) == set(blind_set.INTENTS)
    every = [f"{c}/{s}" for c, ids in blind_set.sub_problems().items() for s in ids]
    thin = {key: counts["sub_problem"][key] for key in every if counts["sub_problem"][key] < 3}
    assert not thin, f"sub-problems with fewer than 3 messages: {thin}"
    assert len(blind_set.load_noise()) >= 50


@needs_the_set
def test_no_blind_or_noise_text_is_in_the_training_data():
    training = training_texts()
    assert len(training) > 500, "the training examples were read"
    shared = [m.text for m in blind_set.load_blind() if normalised(m.text) in training]
    shared += [text for text in blind_set.load_noise() if normalised(text) in training]
    assert not shared, shared[:5]


def test_a_label_the_taxonomy_does_not_have_is_refused(tmp_path):
    path = tmp_path / "blind.yml"
    path.write_text('messages:\n  - {text: "늦어요", intent: delay, sub_problem: teleported, register: short_chat}\n',
                    encoding="utf-8")
    with pytest.raises(ValueError, match="message 1: sub_problem 'teleported'"):
        blind_set.load_blind(path)


def test_scoring_counts_what_was_routed_right_and_noise_taken_for_a_problem():
    M = blind_set.BlindMessage
    messages = [M("a", "delay", "no_rider", "short_chat"), M("b", "quality", "cold_soggy", "angry", ("delay",)),
                M("c", "payment", "double_charge", "polite"), M("d", "other", "hours", "emoji"),
                M("e", "request_agent", "none", "short_chat")]
    predicted = [("delay", 0.9), ("delay", 0.8), ("payment", 0.9), ("other", 0.7), ("request_agent", 0.95)]
    noise = ["ㅁㄴㅇㄹ", "<script>", "aaaa"]
    report = blind_set.score_blind(messages, predicted, noise, [("nlu_fallback", 0.3), ("delay", 0.9), ("delay", 0.2)])
    assert report.routed_right == pytest.approx(4 / 5)
    assert report.per_category_f1["quality"] == 0.0 and report.per_category_f1["payment"] == 1.0
    assert report.request_agent_recall == 1.0
    assert report.multi_routed_right == 0.0
    assert report.by_sub_problem["quality/cold_soggy"] == {"right": 0.0, "support": 1}
    assert report.noise_taken_for_a_problem == 1 and report.noise_examples == ["<script>"]

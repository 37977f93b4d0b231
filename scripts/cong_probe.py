"""Kiwi's CoNg model as a source of meaning: a nearest-prototype classifier on the blind set.

`kiwipiepy_model` ships Kiwi's CoNg language model, whose
``Kiwi.context_similarity`` compares two texts by their context embeddings. This
probe classifies every blind message by its most similar training examples
(``PER_INTENT`` prototypes per intent, seeded sample) and prints the
four-category macro-F1 and the time per message, next to what `make eval` reports
for the shipped pipeline. Run: ``.venv/bin/python scripts/cong_probe.py``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from blind_set import CATEGORIES, load_blind, score_blind  # noqa: E402
from cross_validation import load_training  # noqa: E402
from support.intents import base_intent  # noqa: E402

PER_INTENT = 12
SEED = 42


def prototypes() -> Dict[str, List[str]]:
    """A seeded sample of training texts per category and request_agent."""
    by_intent: Dict[str, List[str]] = defaultdict(list)
    for example in load_training(ROOT / "data" / "nlu", base_intent):
        if example.intent in (*CATEGORIES, "request_agent"):
            by_intent[example.intent].append(example.text)
    rng = random.Random(SEED)
    return {intent: rng.sample(texts, min(PER_INTENT, len(texts))) for intent, texts in sorted(by_intent.items())}


def main() -> int:
    """Classify the blind set by CoNg context similarity and print accuracy and latency."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi(model_type="cong")
    kiwi.context_similarity("준비", "준비")  # the first call loads the model
    samples = prototypes()
    blind = load_blind()
    predicted, seconds = [], []
    for message in blind:
        started = time.perf_counter()
        best = max(
            ((statistics.mean(sorted((kiwi.context_similarity(message.text, text) for text in texts), reverse=True)[:3]),
              intent) for intent, texts in samples.items()),
        )
        seconds.append(time.perf_counter() - started)
        predicted.append((best[1], 1.0))
    report = score_blind(blind, predicted)
    ordered = sorted(seconds)
    print(f"CoNg nearest prototypes ({PER_INTENT} per intent, mean of the 3 most similar):")
    print(f"  blind four-category macro-F1 {report.category_macro_f1:.3f}; routed right {report.routed_right:.3f}")
    print(f"  per message: p50 {1000 * ordered[len(ordered) // 2]:.1f} ms, "
          f"p95 {1000 * ordered[int(len(ordered) * 0.95)]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

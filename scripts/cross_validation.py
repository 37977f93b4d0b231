"""5-fold cross-validation of an NLU pipeline on the training data (``make eval``).

The training examples are split into five folds, stratified by intent with a
fixed seed; a model is trained on four and parses the fifth. Every training
example is thus predicted once by a model that never saw it. Scored like the
blind set: the four-category macro-F1, each category's F1, ``request_agent``
recall, and the share routed right per sub-problem (from each block's
``metadata: sub_problem``) and per register; the confusion matrices are PNGs.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from blind_set import CATEGORIES, BlindMessage, BlindReport, score_blind

FOLDS = 5
SEED = 42


@dataclass(frozen=True)
class TrainingExample:
    """One training example: the Rasa message and its labels."""

    message: object  # rasa.shared.nlu.training_data.message.Message
    text: str
    intent: str
    sub_problem: str
    register: str


def labels_of(message: object) -> Tuple[str, str]:
    """The example's ``(sub_problem, register)`` from its block's metadata, ``("-", "-")`` without."""
    metadata = (message.get("metadata") or {}).get("intent") or {}  # type: ignore[attr-defined]
    return str(metadata.get("sub_problem") or "-"), str(metadata.get("register") or "-")


def load_training(path: Path, base_intent: Callable[[str], str]) -> List[TrainingExample]:
    """Every intent example of the training data with its labels."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for message in load_data(str(path)).intent_examples:
        sub_problem, register = labels_of(message)
        full = message.get("intent_response_key") or message.get("intent")
        if sub_problem == "-" and "/" in (full or ""):
            sub_problem = full.split("/", 1)[1]
        examples.append(TrainingExample(message, message.get("text"), base_intent(full), sub_problem, register))
    return examples


def folds(examples: Sequence[TrainingExample], k: int = FOLDS, seed: int = SEED) -> List[List[int]]:
    """Indices of ``k`` folds, each intent dealt round-robin after a seeded shuffle."""
    by_intent: Dict[str, List[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        by_intent[example.intent].append(index)
    rng = random.Random(seed)
    result: List[List[int]] = [[] for _ in range(k)]
    slot = 0
    for intent in sorted(by_intent):
        indices = by_intent[intent]
        rng.shuffle(indices)
        for index in indices:
            result[slot % k].append(index)
            slot += 1
    return result


def write_training(examples: Sequence[TrainingExample], path: Path) -> Path:
    """The examples as a Rasa NLU YAML file (annotations and retrieval intents kept)."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    path.write_text(TrainingData(training_examples=[e.message for e in examples]).nlu_as_yaml(), encoding="utf-8")
    return path


def as_blind(examples: Sequence[TrainingExample]) -> List[BlindMessage]:
    """The examples in the blind set's shape, so they are scored the same way."""
    return [BlindMessage(e.text, e.intent, e.sub_problem, e.register if e.register != "-" else "short_chat")
            for e in examples]


def cross_validate(
    examples: Sequence[TrainingExample],
    train: Callable[[Path, str], Path],
    predict: Callable[[Path, List[str]], List[Tuple[str, float]]],
    work: Path,
    k: int = FOLDS,
) -> Tuple[BlindReport, List[Tuple[str, float]]]:
    """Train on k-1 folds and predict the k-th, k times; the report and every example's prediction in order."""
    predicted: List[Optional[Tuple[str, float]]] = [None] * len(examples)
    for number, held in enumerate(folds(examples, k)):
        held_set = set(held)
        kept = [e for i, e in enumerate(examples) if i not in held_set]
        data = write_training(kept, work / f"fold-{number + 1}.yml")
        model = train(data, f"fold-{number + 1}")
        for index, found in zip(held, predict(model, [examples[i].text for i in held])):
            predicted[index] = found
        print(f"  fold {number + 1}/{k}: trained on {len(kept)}, predicted {len(held)}")
    pairs = [p if p is not None else ("", 0.0) for p in predicted]
    scored = [(m, p) for m, p in zip(as_blind(examples), pairs) if m.intent in CATEGORIES or m.intent == "request_agent"]
    report = score_blind([m for m, _ in scored], [p for _, p in scored])
    return report, pairs


def plot_matrix(rows: Sequence[str], columns: Sequence[str], pairs: Sequence[Tuple[str, str]], title: str,
                path: Path, xlabel: str = "predicted category") -> Path:
    """A confusion matrix of (row label, column label) pairs as a PNG, each row's counts written in."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    matrix = np.zeros((len(rows), len(columns)), dtype=int)
    for row, column in pairs:
        if row in rows and column in columns:
            matrix[rows.index(row), columns.index(column)] += 1
    fig, ax = plt.subplots(figsize=(2 + 0.9 * len(columns), 1.5 + 0.32 * len(rows)))
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    ax.imshow(shares, cmap="Blues", aspect="auto", vmin=0, vmax=1)
    ax.set_xticks(range(len(columns)), columns, rotation=40, ha="right")
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    for i in range(len(rows)):
        for j in range(len(columns)):
            if matrix[i, j]:
                ax.text(j, i, matrix[i, j], ha="center", va="center", fontsize=7,
                        color="white" if shares[i, j] > 0.6 else "black")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def routed_to(intent: str) -> str:
    """The column a prediction falls in: a category, request_agent, not understood, or conversational."""
    if intent in CATEGORIES or intent == "request_agent":
        return intent
    return "not understood" if intent == "nlu_fallback" else "(conversational)"


COLUMNS = (*CATEGORIES, "request_agent", "not understood", "(conversational)")


def plot_category_and_sub_problem(
    name: str, messages: Sequence[BlindMessage], predicted: Sequence[Tuple[str, float]], out: Path
) -> List[Path]:
    """Two PNGs for one evaluation: gold category × predicted, and gold sub-problem × predicted category."""
    gold_rows = [*CATEGORIES, "request_agent"]
    category_pairs = [(m.intent, routed_to(p[0])) for m, p in zip(messages, predicted)]
    sub_rows = sorted({f"{m.intent}/{m.sub_problem}" for m in messages if m.intent in gold_rows},
                      key=lambda key: (gold_rows.index(key.split("/")[0]), key))
    sub_pairs = [(f"{m.intent}/{m.sub_problem}", routed_to(p[0])) for m, p in zip(messages, predicted)]
    return [
        plot_matrix(gold_rows, COLUMNS, category_pairs, f"{name}: category", out / f"confusion-{name}-category.png"),
        plot_matrix(sub_rows, COLUMNS, sub_pairs, f"{name}: sub-problem", out / f"confusion-{name}-sub-problem.png"),
    ]

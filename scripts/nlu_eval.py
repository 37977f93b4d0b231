"""`make eval`: the bot's NLU on the blind set, in 5-fold cross-validation and on the held-out file.

Three pipelines are trained on the training data only (``data/nlu``): ours
(config.yml), the same with the other intent classifier (DIET or
``nlu/linear_intent_classifier.py``, whichever config.yml does not use), and
Rasa's default pipeline. Each is evaluated on ``tests/nlu/heldout.yml`` and on
the blind set and noise corpus of ``scripts/blind_set.py``; none of their texts
may appear in the training data. Ours is also cross-validated in five folds on
the training data (``scripts/cross_validation.py``). Printed: per-intent
precision / recall / F1, the four-category macro-F1, request_agent recall, FAQ
topic accuracy, entity F1, the worst confusions, NLU parse latency, and the
blind-set and cross-validation figures per category, sub-problem and register;
written: ``results/eval/report.json``, the predictions, and the confusion
matrices as PNG.

``--model models/support-bot.tar.gz --only ours --skip-cv`` scores the trained
model as it is, in two minutes, instead of training one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import rasa  # noqa: E402

from blind_set import BLIND, NOISE, label_counts, load_blind, load_noise, print_blind, score_blind  # noqa: E402
from cross_validation import (  # noqa: E402
    as_blind, cross_validate, load_training, plot_category_and_sub_problem, plot_matrix,
)
from contract.vocabulary import CATEGORIES  # noqa: E402
from support.intents import base_intent, category_of  # noqa: E402

TRAIN_DATA = ROOT / "data" / "nlu"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
OUT = ROOT / "results" / "eval"
DEFAULT_PIPELINE = (
    Path(rasa.__file__).parent / "engine" / "recipes" / "config_files" / "default_config.yml"
)
CONVERSATIONAL = "(conversational)"


@dataclass
class Example:
    """One held-out message with its gold labels."""

    text: str
    intent: str
    topic: Optional[str]
    entities: List[Tuple[str, int, int]]


@dataclass
class Prediction:
    """What a model said about one example."""

    intent: str
    confidence: float
    topic: Optional[str]
    entities: List[Tuple[str, int, int]]
    seconds: float
    also: Tuple[str, ...] = ()


@dataclass
class Report:
    """The figures of one pipeline."""

    name: str
    per_intent: Dict[str, Dict[str, float]] = field(default_factory=dict)
    category_macro_f1: float = 0.0
    per_category: Dict[str, Dict[str, float]] = field(default_factory=dict)
    request_agent_recall: float = 0.0
    topic_accuracy: Optional[float] = None
    entity_f1: Dict[str, Dict[str, float]] = field(default_factory=dict)
    parse_ms_p50: float = 0.0
    parse_ms_p95: float = 0.0
    worst: List[Dict[str, Any]] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """Text compared for overlap: lower case, no spaces."""
    return "".join(text.lower().split())


def load_examples(path: Path) -> List[Example]:
    """Held-out or training examples with intents, topics and entity spans."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for message in load_data(str(path)).intent_examples:
        full = message.get("intent_response_key") or message.get("intent")
        examples.append(
            Example(
                text=message.get("text"),
                intent=base_intent(full),
                topic=full if "/" in (full or "") else None,
                entities=sorted((e["entity"], e["start"], e["end"]) for e in message.get("entities") or []),
            )
        )
    return examples


def check_no_overlap(train: List[Example], heldout: List[Example]) -> None:
    """Refuse to evaluate when a held-out text is also a training text."""
    seen = {normalise_text(e.text) for e in train}
    shared = [e.text for e in heldout if normalise_text(e.text) in seen]
    if shared:
        raise SystemExit(f"held-out texts found in the training data: {shared[:10]}")


def baseline_config(tmp: Path) -> Path:
    """Rasa's default pipeline (what `rasa init` trains), language set to Korean."""
    import yaml

    config = yaml.safe_load(DEFAULT_PIPELINE.read_text())
    config["language"] = "ko"
    config["assistant_id"] = "baseline"
    config.pop("policies", None)
    path = tmp / "baseline-config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path


def swapped_classifier_config(tmp: Path, classifier: str, name: str) -> Path:
    """The bot's config.yml with its intent classifier (DIET or the linear one) replaced by ``classifier``."""
    import yaml

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    classifiers = ("DIETClassifier", "nlu.linear_intent_classifier.LinearIntentClassifier")
    config["pipeline"] = [
        ({"name": classifier} if step["name"] in classifiers else step) for step in config["pipeline"]
    ]
    config.pop("policies", None)
    path = tmp / f"{name}-config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def train(config: Path, name: str, out: Path, data: Path = TRAIN_DATA) -> Path:
    """Train an NLU-only model on the training data (or on ``data``)."""
    from rasa.model_training import train_nlu

    started = time.monotonic()
    model = train_nlu(
        config=str(config),
        nlu_data=str(data),
        output=str(out),
        fixed_model_name=name,
        domain=str(ROOT / "domain.yml"),
    )
    print(f"  trained {name} in {time.monotonic() - started:.0f}s")
    return Path(model)


async def predict(model: Path, examples: List[Example]) -> List[Prediction]:
    """Parse every example with the model, timing each parse."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    for _ in range(5):
        await agent.parse_message("배달이 안 와요")
    predictions = []
    for example in examples:
        started = time.perf_counter()
        parsed = await agent.parse_message(example.text)
        seconds = time.perf_counter() - started
        selectors = parsed.get("response_selector") or {}
        # ours names the retrieval intent; Rasa's default pipeline files it under "default"
        selector = selectors.get("other") or selectors.get("default") or {}
        topic = (selector.get("response") or {}).get("intent_response_key")
        predictions.append(
            Prediction(
                intent=parsed["intent"]["name"],
                confidence=parsed["intent"].get("confidence") or 0.0,
                topic=topic,
                entities=sorted((e["entity"], e["start"], e["end"]) for e in parsed.get("entities") or []),
                seconds=seconds,
                also=tuple(parsed.get("also_problems") or ()),
            )
        )
    return predictions


def entity_scores(examples: List[Example], predictions: List[Prediction]) -> Dict[str, Dict[str, float]]:
    """Exact-span precision, recall and F1 per entity type and overall."""
    counts: Dict[str, Counter] = {}
    for example, prediction in zip(examples, predictions):
        gold, found = set(example.entities), set(prediction.entities)
        for name in {e[0] for e in gold | found} | {"(all)"}:
            counter = counts.setdefault(name, Counter())
            pick = (lambda s: s) if name == "(all)" else (lambda s, n=name: {e for e in s if e[0] == n})
            counter["tp"] += len(pick(gold) & pick(found))
            counter["fp"] += len(pick(found) - pick(gold))
            counter["fn"] += len(pick(gold) - pick(found))
    scores = {}
    for name, c in sorted(counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[name] = {"precision": precision, "recall": recall, "f1": f1, "support": c["tp"] + c["fn"]}
    return scores


def category_label(intent: str) -> str:
    return category_of(intent) or CONVERSATIONAL


def score(name: str, examples: List[Example], predictions: List[Prediction]) -> Report:
    """All figures of one pipeline."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    gold = [e.intent for e in examples]
    found = [p.intent for p in predictions]
    labels = sorted(set(gold))
    report = Report(name=name)
    p, r, f, s = precision_recall_fscore_support(gold, found, labels=labels, zero_division=0)
    report.per_intent = {
        label: {"precision": p[i], "recall": r[i], "f1": f[i], "support": int(s[i])} for i, label in enumerate(labels)
    }
    gold_c = [category_label(x) for x in gold]
    found_c = [category_label(x) for x in found]
    report.category_macro_f1 = f1_score(gold_c, found_c, labels=list(CATEGORIES), average="macro", zero_division=0)
    p, r, f, s = precision_recall_fscore_support(gold_c, found_c, labels=list(CATEGORIES), zero_division=0)
    report.per_category = {
        c: {"precision": p[i], "recall": r[i], "f1": f[i], "support": int(s[i])} for i, c in enumerate(CATEGORIES)
    }
    report.request_agent_recall = report.per_intent.get("request_agent", {}).get("recall", 0.0)
    topics = [(e.topic, pr.topic) for e, pr in zip(examples, predictions) if e.topic and pr.intent == "other"]
    all_topics = [e for e in examples if e.topic]
    if all_topics:
        report.topic_accuracy = sum(1 for g, t in topics if g == t) / len(all_topics)
    report.entity_f1 = entity_scores(examples, predictions)
    times = sorted(pr.seconds * 1000 for pr in predictions)
    report.parse_ms_p50 = statistics.median(times)
    report.parse_ms_p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    wrong = [
        {"text": e.text, "gold": e.intent, "predicted": pr.intent, "confidence": round(pr.confidence, 3)}
        for e, pr in zip(examples, predictions)
        if e.intent != pr.intent
    ]
    report.worst = sorted(wrong, key=lambda w: -w["confidence"])[:12]
    return report


def plot_confusion(name: str, examples: List[Example], predictions: List[Prediction], out: Path) -> Path:
    """Write the intent confusion matrix as a PNG."""
    gold = [e.intent for e in examples]
    found = [p.intent for p in predictions]
    labels = sorted(set(gold) | set(found))
    return plot_matrix(labels, labels, list(zip(gold, found)), f"intent confusion: {name}",
                       out / f"confusion-{name}.png", xlabel="predicted intent")


def print_side_by_side(reports: List[Report]) -> None:
    """The comparison tables."""
    names = [r.name for r in reports]
    width = 14
    print("\n== per-intent precision / recall / F1 ==")
    print(f"{'intent':<16}{'support':>8}" + "".join(f"{n:>{width * 3}}" for n in names))
    for intent in reports[0].per_intent:
        row = f"{intent:<16}{reports[0].per_intent[intent]['support']:>8}"
        for r in reports:
            m = r.per_intent[intent]
            row += f"{m['precision']:>{width}.3f}{m['recall']:>{width}.3f}{m['f1']:>{width}.3f}"
        print(row)
    print("\n== headline figures ==")
    print(f"{'':<34}" + "".join(f"{n:>{width}}" for n in names))
    rows = [
        ("four-category macro-F1", lambda r: f"{r.category_macro_f1:.3f}"),
        *[
            (f"  {c} F1", lambda r, c=c: f"{r.per_category[c]['f1']:.3f}")
            for c in CATEGORIES
        ],
        ("request_agent recall", lambda r: f"{r.request_agent_recall:.3f}"),
        ("FAQ topic accuracy (other/*)", lambda r: "-" if r.topic_accuracy is None else f"{r.topic_accuracy:.3f}"),
        ("entity F1 (exact spans, all)", lambda r: f"{r.entity_f1.get('(all)', {}).get('f1', 0):.3f}"),
        *[
            (f"  entity F1 {n}", lambda r, n=n: f"{r.entity_f1.get(n, {}).get('f1', 0):.3f}")
            for n in ("order_number", "time", "amount")
        ],
        ("NLU parse p50 (ms)", lambda r: f"{r.parse_ms_p50:.1f}"),
        ("NLU parse p95 (ms)", lambda r: f"{r.parse_ms_p95:.1f}"),
    ]
    for label, value in rows:
        print(f"{label:<34}" + "".join(f"{value(r):>{width}}" for r in reports))
    for r in reports:
        print(f"\n== worst confusions: {r.name} ==")
        for w in r.worst:
            print(f"  {w['gold']:>14} → {w['predicted']:<14} ({w['confidence']:.2f})  {w['text']}")


DIET = "DIETClassifier"
LINEAR = "nlu.linear_intent_classifier.LinearIntentClassifier"


def shipped_classifier() -> str:
    """The intent classifier config.yml uses: DIET or the linear one."""
    import yaml

    names = [step["name"] for step in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]]
    return LINEAR if LINEAR in names else DIET


def run_cross_validation(tmp: Path) -> Any:
    """5-fold cross-validation of config.yml on the training data, with its confusion PNGs."""
    examples = load_training(TRAIN_DATA, base_intent)
    print(f"5-fold cross-validation of config.yml on {len(examples)} training examples")
    work = tmp / "cv"
    work.mkdir()

    def fold_model(data: Path, name: str) -> Path:
        return train(ROOT / "config.yml", name, work, data)

    def fold_predict(model: Path, texts: List[str]) -> List[Tuple[str, float]]:
        found = asyncio.run(predict(model, [Example(text, "", None, []) for text in texts]))
        return [(p.intent, p.confidence) for p in found]

    report, pairs = cross_validate(examples, fold_model, fold_predict, work)
    (OUT / "cv-predictions.json").write_text(json.dumps(
        [{"text": e.text, "intent": e.intent, "sub_problem": e.sub_problem, "register": e.register,
          "predicted": p[0], "confidence": p[1]} for e, p in zip(examples, pairs)], ensure_ascii=False, indent=1))
    scored = [(e, p) for e, p in zip(examples, pairs) if e.intent in CATEGORIES or e.intent == "request_agent"]
    for path in plot_category_and_sub_problem("cv-ours", as_blind([e for e, _ in scored]), [p for _, p in scored], OUT):
        print(f"  CV confusion matrix: {path.relative_to(ROOT)}")
    return report


def main() -> int:
    """Train the pipelines, cross-validate ours, evaluate, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-baseline", action="store_true", help="without Rasa's default pipeline")
    parser.add_argument("--skip-cv", action="store_true", help="no 5-fold cross-validation (it trains 5 models)")
    parser.add_argument("--only", choices=("ours", "other-classifier", "rasa-default"), action="append",
                        help="evaluate only these pipelines (repeatable)")
    parser.add_argument("--model", type=Path,
                        help="score this trained model as 'ours' instead of training one (e.g. the shipped "
                             "models/support-bot.tar.gz, with --only ours --skip-cv)")
    args = parser.parse_args()
    if args.model and not args.model.is_file():
        parser.error(f"--model: no trained model at {args.model} (make model trains it)")
    logging.basicConfig(level=logging.WARNING)
    OUT.mkdir(parents=True, exist_ok=True)
    train_examples = load_examples(TRAIN_DATA)
    heldout = load_examples(HELDOUT)
    check_no_overlap(train_examples, heldout)
    print(f"training examples: {len(train_examples)}; held-out examples: {len(heldout)} (no overlap)")
    blind = load_blind() if BLIND.exists() else []
    noise = load_noise() if NOISE.exists() else []
    blind_examples = [Example(m.text, m.intent, None, []) for m in blind]
    noise_examples = [Example(text, "(noise)", None, []) for text in noise]
    if blind:
        check_no_overlap(train_examples, blind_examples)
        counts = label_counts(blind)
        print(f"blind examples: {len(blind)} ({dict(counts['intent'])}; fewest per sub-problem: "
              f"{min(counts['sub_problem'].values())}); noise: {len(noise)} (no overlap)")
    reports = []
    blind_reports = []
    cv_report = None
    with tempfile.TemporaryDirectory() as tmp:
        shipped = shipped_classifier()
        other = LINEAR if shipped == DIET else DIET
        pipelines = [("ours", ROOT / "config.yml"),
                     ("other-classifier", swapped_classifier_config(Path(tmp), other, "other-classifier"))]
        print(f"ours: config.yml with {shipped}; other-classifier: the same with {other}")
        if not args.skip_baseline:
            pipelines.append(("rasa-default", baseline_config(Path(tmp))))
        pipelines = [(n, c) for n, c in pipelines if not args.only or n in args.only]
        if not args.skip_cv and (not args.only or "ours" in args.only):
            cv_report = run_cross_validation(Path(tmp))
        for name, config in pipelines:
            model = args.model if args.model and name == "ours" else train(config, name, Path(tmp))
            predictions = asyncio.run(predict(model, heldout))
            reports.append(score(name, heldout, predictions))
            print(f"  confusion matrix: {plot_confusion(name, heldout, predictions, OUT).relative_to(ROOT)}")
            if blind:
                found = asyncio.run(predict(model, blind_examples + noise_examples))
                pairs = [(p.intent, p.confidence) for p in found]
                also = [bool(p.also) for p in found[:len(blind)]]
                (OUT / f"blind-predictions-{name}.json").write_text(json.dumps(
                    [{"predicted": p.intent, "confidence": p.confidence, "also_problems": list(p.also)}
                     for p in found], ensure_ascii=False, indent=1))
                blind_reports.append((name, score_blind(blind, pairs[:len(blind)], noise, pairs[len(blind):], also)))
                matrix = plot_confusion(f"blind-{name}", blind_examples, found[:len(blind)], OUT)
                print(f"  blind confusion matrix: {matrix.relative_to(ROOT)}")
                for path in plot_category_and_sub_problem(f"blind-{name}", blind, pairs[:len(blind)], OUT):
                    print(f"  blind confusion matrix: {path.relative_to(ROOT)}")
    print_side_by_side(reports)
    if cv_report is not None:
        blind_reports.append(("ours, 5-fold CV", cv_report))
    if blind_reports:
        print_blind(blind_reports)
    ours_blind = dict(blind_reports).get("ours")
    if ours_blind is not None and cv_report is not None:
        gap = abs(ours_blind.category_macro_f1 - cv_report.category_macro_f1)
        print(f"\nblind set and 5-fold CV four-category macro-F1: {ours_blind.category_macro_f1:.3f} and "
              f"{cv_report.category_macro_f1:.3f}, {gap:.3f} apart")
    (OUT / "report.json").write_text(
        json.dumps({"heldout": [r.__dict__ for r in reports], "blind": {n: r.__dict__ for n, r in blind_reports}},
                   ensure_ascii=False, indent=2, default=float)
    )
    print(f"\nreport: {(OUT / 'report.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

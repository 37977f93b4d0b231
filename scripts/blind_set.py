"""The blind evaluation set and the noise corpus (``tests/nlu/blind.yml``, ``tests/nlu/noise.yml``).

Both were written from ``docs/nlu.md`` alone, by a writer who never saw
``data/nlu/``. ``make eval`` scores every pipeline on them next to the held-out
file: the four-category macro-F1, each category's F1, ``request_agent`` recall,
the share routed right per sub-problem, per register and for messages naming
several problems, and how many noise messages would be taken for a problem.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "nlu" / "blind.yml"
NOISE = ROOT / "tests" / "nlu" / "noise.yml"
TAXONOMY = ROOT / "docs" / "nlu.md"

INTENTS = ("delay", "quality", "payment", "other", "request_agent")
CATEGORIES = ("delay", "quality", "payment", "other")
REGISTERS = ("short_chat", "long_review", "angry", "polite", "no_spacing", "typo_slang", "english_konglish", "emoji")
# what the bot acts on: these start a form or open a ticket
ACTIONABLE = ("delay", "quality", "payment", "request_agent")
FALLBACK_THRESHOLD = 0.4  # config.yml's FallbackClassifier


@dataclass(frozen=True)
class BlindMessage:
    """One message of the blind set with its labels."""

    text: str
    intent: str
    sub_problem: str
    register: str
    multi: Tuple[str, ...] = ()


@dataclass
class BlindReport:
    """How one pipeline did on the blind set and the noise corpus."""

    messages: int = 0
    category_macro_f1: float = 0.0
    # the same with only the `other` intent counted as other (greetings, thanks, out_of_scope as "(none)")
    category_macro_f1_strict: float = 0.0
    per_category_f1: Dict[str, float] = field(default_factory=dict)
    request_agent_recall: float = 0.0
    routed_right: float = 0.0
    by_sub_problem: Dict[str, Dict[str, float]] = field(default_factory=dict)
    by_register: Dict[str, Dict[str, float]] = field(default_factory=dict)
    multi_routed_right: Optional[float] = None
    # how often the bot also named a second problem (nlu/problem_mix.py): on messages naming several, and on the rest
    multi_recognised: Optional[float] = None
    single_taken_for_multi: Optional[float] = None
    noise_messages: int = 0
    noise_taken_for_a_problem: int = 0
    noise_examples: List[str] = field(default_factory=list)


def sub_problems() -> Dict[str, Tuple[str, ...]]:
    """The sub-problem ids of each category, read from the tables of ``docs/nlu.md``."""
    found: Dict[str, List[str]] = defaultdict(list)
    current = None
    for line in TAXONOMY.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (\w+) ", line)
        if heading:
            current = heading.group(1) if heading.group(1) in CATEGORIES else None
            continue
        row = re.match(r"^\| `(\w+)` \|", line)
        if current and row:
            found[current].append(row.group(1))
    return {category: tuple(ids) for category, ids in found.items()}


def load_blind(path: Path = BLIND) -> List[BlindMessage]:
    """The blind set, every label checked against ``docs/nlu.md`` (ValueError naming the message otherwise)."""
    known = sub_problems()
    messages = []
    for index, raw in enumerate((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages") or []):
        where = f"{path.name} message {index + 1}"
        text, intent = raw.get("text"), raw.get("intent")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{where}: no text")
        if intent not in INTENTS:
            raise ValueError(f"{where}: intent {intent!r} is not one of {', '.join(INTENTS)}")
        sub = raw.get("sub_problem")
        if intent in known and sub not in known[intent]:
            raise ValueError(f"{where}: sub_problem {sub!r} is not one of {intent}'s in docs/nlu.md")
        if raw.get("register") not in REGISTERS:
            raise ValueError(f"{where}: register {raw.get('register')!r} is not one of {', '.join(REGISTERS)}")
        multi = tuple(raw.get("multi") or ())
        if any(other not in INTENTS for other in multi):
            raise ValueError(f"{where}: multi {multi!r} names something that is neither a category nor request_agent")
        messages.append(BlindMessage(text, intent, str(sub), raw["register"], multi))
    return messages


def load_noise(path: Path = NOISE) -> List[str]:
    """The noise corpus: messages that are no problem report."""
    return [str(raw["text"]) for raw in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages") or []]


# what the bot answers without a problem form or a person: an FAQ topic, small talk, text not addressed to
# support. docs/nlu.md's "other" is "questions the FAQ answers, and everything else", so they route there.
ANSWERED_AS_OTHER = ("other", "greet", "goodbye", "thank", "out_of_scope")
# cancelling or changing an order: docs/nlu.md's other/cancel_order and other/change_order, their own intents
ORDER_REQUESTS = ("cancel_order", "change_order")


def category_of(intent: str, strict: bool = False) -> str:
    """The category an intent routes to: a problem category, ``other`` for what the bot answers without a
    problem (only the ``other`` intent when ``strict``), else "(none)" (request_agent, not understood, answers)."""
    if intent in CATEGORIES:
        return intent
    if intent in ORDER_REQUESTS:
        return "other"
    return "other" if not strict and intent in ANSWERED_AS_OTHER else "(none)"


def _share(pairs: Iterable[bool]) -> Dict[str, float]:
    values = list(pairs)
    return {"right": sum(values) / len(values) if values else 0.0, "support": len(values)}


def score_blind(
    messages: Sequence[BlindMessage],
    predicted: Sequence[Tuple[str, float]],
    noise: Sequence[str] = (),
    noise_predicted: Sequence[Tuple[str, float]] = (),
    also_named: Optional[Sequence[bool]] = None,
) -> BlindReport:
    """The figures of one pipeline; ``predicted`` holds (intent, confidence) per message, in order, and
    ``also_named`` whether the parse listed other problems (``also_problems``) for each."""
    from sklearn.metrics import f1_score, recall_score

    gold = [category_of(m.intent) for m in messages]
    found = [category_of(intent) for intent, _ in predicted]
    report = BlindReport(messages=len(messages))
    report.category_macro_f1 = float(f1_score(gold, found, labels=list(CATEGORIES), average="macro", zero_division=0))
    strict = [category_of(intent, strict=True) for intent, _ in predicted]
    report.category_macro_f1_strict = float(
        f1_score(gold, strict, labels=list(CATEGORIES), average="macro", zero_division=0))
    per = f1_score(gold, found, labels=list(CATEGORIES), average=None, zero_division=0)
    report.per_category_f1 = {c: float(per[i]) for i, c in enumerate(CATEGORIES)}
    agent_gold = [m.intent == "request_agent" for m in messages]
    agent_found = [intent == "request_agent" for intent, _ in predicted]
    if any(agent_gold):
        report.request_agent_recall = float(recall_score(agent_gold, agent_found, zero_division=0))
    right = [m.intent == intent or (m.intent in CATEGORIES and category_of(intent) == m.intent)
             for m, (intent, _) in zip(messages, predicted)]
    report.routed_right = sum(right) / len(right) if right else 0.0
    groups: Dict[str, List[bool]] = defaultdict(list)
    registers: Dict[str, List[bool]] = defaultdict(list)
    for message, ok in zip(messages, right):
        groups[f"{message.intent}/{message.sub_problem}"].append(ok)
        registers[message.register].append(ok)
    report.by_sub_problem = {key: _share(values) for key, values in sorted(groups.items())}
    report.by_register = {key: _share(registers[key]) for key in REGISTERS if key in registers}
    multi = [ok for message, ok in zip(messages, right) if message.multi]
    report.multi_routed_right = _share(multi)["right"] if multi else None
    if also_named is not None:
        several = [named for message, named in zip(messages, also_named)
                   if message.intent in CATEGORIES and any(c in CATEGORIES and c != message.intent for c in message.multi)]
        single = [named for message, named in zip(messages, also_named) if message.intent in CATEGORIES and not message.multi]
        report.multi_recognised = _share(several)["right"] if several else None
        report.single_taken_for_multi = _share(single)["right"] if single else None
    report.noise_messages = len(noise)
    taken = [text for text, (intent, confidence) in zip(noise, noise_predicted)
             if intent in ACTIONABLE and confidence >= FALLBACK_THRESHOLD]
    report.noise_taken_for_a_problem = len(taken)
    report.noise_examples = [text[:60] for text in taken[:8]]
    return report


def print_blind(reports: Sequence[Tuple[str, BlindReport]]) -> None:
    """The blind-set tables, one column per pipeline."""
    width = 14
    names = [name for name, _ in reports]
    first = reports[0][1]
    print(f"\n== blind set ({first.messages} messages written from docs/nlu.md alone) ==")
    print(f"{'':<34}" + "".join(f"{n:>{width}}" for n in names))
    rows: List[Tuple[str, Any]] = [
        ("four-category macro-F1", lambda r: f"{r.category_macro_f1:.3f}"),
        ("  the same, strict (`other` only)", lambda r: f"{r.category_macro_f1_strict:.3f}"),
        *[(f"  {c} F1", lambda r, c=c: f"{r.per_category_f1[c]:.3f}") for c in CATEGORIES],
        ("request_agent recall", lambda r: f"{r.request_agent_recall:.3f}"),
        ("routed right (all messages)", lambda r: f"{r.routed_right:.3f}"),
        ("routed right (several problems)",
         lambda r: "-" if r.multi_routed_right is None else f"{r.multi_routed_right:.3f}"),
        ("second problem named (several problems)",
         lambda r: "-" if r.multi_recognised is None else f"{r.multi_recognised:.3f}"),
        ("second problem named (one problem)",
         lambda r: "-" if r.single_taken_for_multi is None else f"{r.single_taken_for_multi:.3f}"),
        *[(f"  register {g}", lambda r, g=g: f"{r.by_register.get(g, {}).get('right', 0):.3f}") for g in REGISTERS],
        (f"noise taken for a problem (of {first.noise_messages})", lambda r: f"{r.noise_taken_for_a_problem}"),
    ]
    for label, value in rows:
        print(f"{label:<34}" + "".join(f"{value(r):>{width}}" for _, r in reports))
    print("\n== blind set: routed right per sub-problem ==")
    for key, figures in first.by_sub_problem.items():
        cells = "".join(f"{r.by_sub_problem.get(key, {}).get('right', float('nan')):>{width}.2f}" for _, r in reports)
        print(f"  {key:<34}{figures['support']:>5}{cells}")
    for name, report in reports:
        if report.noise_examples:
            print(f"\n  noise taken for a problem by {name}: {report.noise_examples}")


def label_counts(messages: Sequence[BlindMessage]) -> Dict[str, Counter]:
    """How many messages each intent, register and sub-problem has."""
    return {
        "intent": Counter(m.intent for m in messages),
        "register": Counter(m.register for m in messages),
        "sub_problem": Counter(f"{m.intent}/{m.sub_problem}" for m in messages if m.intent in CATEGORIES),
    }

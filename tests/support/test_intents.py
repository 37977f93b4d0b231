"""The intent map covers the domain and the training data exactly."""

from pathlib import Path

import yaml

from contract.vocabulary import CATEGORIES
from support.intents import INTENT_CATEGORY, INTENT_DESCRIPTIONS, category_of

ROOT = Path(__file__).resolve().parents[2]


def test_every_domain_intent_is_mapped_and_described():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert set(domain["intents"]) == set(INTENT_CATEGORY) == set(INTENT_DESCRIPTIONS)


def test_categories_are_the_four_named_ones():
    assert {c for c in INTENT_CATEGORY.values() if c} == set(CATEGORIES)


def test_retrieval_sub_intents_map_to_other():
    assert category_of("other/hours") == "other"
    assert category_of("greet") is None
    assert category_of("made_up") is None

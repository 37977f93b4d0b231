"""support.storable_text: no NUL, no unpaired surrogate, nothing else changed (Hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from support.storable_text import REPLACEMENT, storable, without_surrogates

TEXTS = st.text(alphabet=st.characters(blacklist_categories=()), max_size=60)  # surrogates (Cs) included


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_storable_text_encodes_as_utf8_and_has_no_nul(text):
    clean = storable(text)
    clean.encode("utf-8")
    assert "\x00" not in clean
    assert storable(clean) == clean, "idempotent"
    assert len(clean) == len(text) - text.count("\x00")


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_only_surrogates_are_replaced_one_for_one(text):
    replaced = without_surrogates(text)
    assert len(replaced) == len(text)
    for before, after in zip(text, replaced):
        assert after == (REPLACEMENT if 0xD800 <= ord(before) <= 0xDFFF else before)


def test_examples():
    assert storable("배달이\x00 늦어요 😡") == "배달이 늦어요 😡"
    assert storable("\ud800x\udfff") == "\ufffdx\ufffd"
    assert storable("") == ""

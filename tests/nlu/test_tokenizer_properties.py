"""The Korean tokenizer on generated text (Hypothesis): never fails, exact offsets, no overlaps, nothing lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.kiwi_instance import shared_kiwi
from nlu.kiwi_tokenizer import korean_tokens

# Korean, jamo, emoji, control characters, unpaired surrogates (JSON "\ud800" gives one) and anything else
PIECES = st.sampled_from(
    list("배달이 너무늦어요ㅋㅠ환불주문 \n\t\x00\x1b\u200b\u3000😡🍕") + ["\ud800", "\udfff", "<script>", "ORD-261122-0042"]
)
TEXTS = st.one_of(st.text(max_size=60), st.lists(PIECES, max_size=30).map("".join))


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_any_text_gives_exact_non_overlapping_tokens_covering_it(text):
    tokens = korean_tokens(text, shared_kiwi())
    previous_end = 0
    for token in tokens:
        assert text[token.start : token.end] == token.text and token.text
        assert token.start >= previous_end
        previous_end = token.end
    # every non-space character is in exactly one token (Kiwi may keep a rare separator such as \x1f in one)
    assert "".join("".join(token.text.split()) for token in tokens) == "".join(text.split())


def test_unpaired_surrogates_do_not_break_kiwi():
    """Kiwi raised UnicodeDecodeError on "\\ud800", and Rasa answered nothing."""
    text = "배달\ud800이 늦어요 \udfff"
    tokens = korean_tokens(text, shared_kiwi())
    assert [t.text for t in tokens][:2] == ["배달", "\ud800"] and tokens[-1].text == "\udfff"

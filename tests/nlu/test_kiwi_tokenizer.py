"""The Korean tokenizer: exact offsets, no overlaps, lemmas, nothing lost."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.kiwi_instance import shared_kiwi
from nlu.kiwi_tokenizer import KiwiTokenizer, korean_tokens


def tokens_of(text):
    return korean_tokens(text, shared_kiwi())


def assert_well_formed(text, tokens):
    """Each token is the exact text at its offsets; tokens do not overlap and cover all non-space."""
    previous_end = 0
    for token in tokens:
        assert text[token.start : token.end] == token.text
        assert token.start >= previous_end, f"overlap at {token.text!r}"
        assert token.text.strip() == token.text and token.text
        previous_end = token.end
    covered = "".join(token.text for token in tokens)
    assert covered == "".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "배달이안와요",
        "배달이 너무 늦어요",
        "음식이식었어요ㅠㅠ환불해주세요",
        "치킨이 다 식었어요😡 refund 해주세요!!",
        "주문번호ORD-261122-0042인데 한시간째안와요",
        "결재가 두번 됐어요 12,000원",
        "🍕🍕🍕",
        "ㅋㅋㅋㅋㅋ",
        "   앞뒤 공백   ",
        "app이 crash나요 ㅡㅡ",
        "19:30에 시켰는데 아직도 조리중이래요",
        "<script>alert(1)</script>",
        "\t탭과\n줄바꿈\n",
    ],
)
def test_offsets_are_exact_and_nothing_is_lost(text):
    assert_well_formed(text, tokens_of(text))


def test_missing_spaces_are_split_into_morphemes():
    words = [t.text for t in tokens_of("배달이안와요")]
    assert words[:3] == ["배달", "이", "안"]
    assert "와요" in words


def test_contracted_morphemes_become_one_token_with_the_stem_as_lemma():
    tokens = tokens_of("돼요 했어요")
    by_text = {t.text: t for t in tokens}
    assert by_text["돼요"].lemma == "되"
    assert by_text["했"].lemma == "하"


def test_latin_digits_and_emoji_keep_their_text():
    tokens = tokens_of("refund 12000원 😡")
    texts = [t.text for t in tokens]
    assert "refund" in texts and "😡" in texts
    assert any(t.startswith("12000") for t in texts)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text_gives_no_tokens(text):
    assert tokens_of(text) == []


def test_component_sets_rasa_tokens_on_a_message():
    tokenizer = KiwiTokenizer(KiwiTokenizer.get_default_config())
    message = Message.build(text="배달이안와요 ㅠㅠ")
    tokenizer.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens][:2] == ["배달", "이"]
    assert_well_formed(message.get(TEXT), tokens)

"""A Rasa tokenizer for Korean built on the Kiwi morphological analyser.

Kiwi splits ``배달이안와요`` into morphemes (배달/이/안/오/어요) even without
spaces. Rasa needs tokens that point at exact character spans of the original
text and never overlap, so morphemes that Kiwi places on the same characters
(``와요`` = 오 + 어요, ``했`` = 하 + 었) are merged into one token whose lemma is
the stem. Characters Kiwi leaves out are kept as tokens of their own, so no
part of the message is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from nlu.kiwi_instance import shared_kiwi
from support.storable_text import without_surrogates

# Part-of-speech tags whose form is a good lemma for a merged token.
_STEM_TAGS = ("NNG", "NNP", "NNB", "NR", "NP", "VV", "VA", "VX", "VCP", "VCN", "MAG", "MM", "XR")


@dataclass
class _Span:
    start: int
    end: int
    forms: List[str]
    tags: List[str]


def _merge_overlapping(morphemes: Sequence[Any]) -> List[_Span]:
    """Group morphemes whose character ranges overlap into single spans."""
    spans: List[_Span] = []
    for morpheme in sorted(morphemes, key=lambda m: (m.start, m.len)):
        start, end = morpheme.start, morpheme.start + morpheme.len
        if end <= start:
            continue
        if spans and start < spans[-1].end:
            spans[-1].end = max(spans[-1].end, end)
            spans[-1].forms.append(morpheme.form)
            spans[-1].tags.append(morpheme.tag)
        else:
            spans.append(_Span(start, end, [morpheme.form], [morpheme.tag]))
    return spans


def _lemma(span: _Span, surface: str) -> str:
    if len(span.forms) == 1:
        return span.forms[0]
    for form, tag in zip(span.forms, span.tags):
        if tag.startswith(_STEM_TAGS):
            return form
    return surface


def _gap_tokens(text: str, start: int, end: int) -> List[Token]:
    """Tokens for non-space characters between ``start`` and ``end`` that Kiwi skipped."""
    tokens = []
    position = start
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        word_end = position
        while word_end < end and not text[word_end].isspace():
            word_end += 1
        tokens.append(Token(text[position:word_end], position, word_end))
        position = word_end
    return tokens


def korean_tokens(text: str, kiwi: Any) -> List[Token]:
    """Split ``text`` into non-overlapping tokens with exact offsets and lemmas.

    Args:
        text: the message.
        kiwi: a ``kiwipiepy.Kiwi`` instance.
    """
    if not text or not text.strip():
        return []
    tokens: List[Token] = []
    position = 0
    # Kiwi fails on an unpaired surrogate (from a JSON "\\ud800"); U+FFFD keeps every offset
    for span in _merge_overlapping(kiwi.tokenize(without_surrogates(text))):
        if span.start < position:
            continue
        tokens.extend(_gap_tokens(text, position, span.start))
        surface = text[span.start : span.end]
        if surface.strip():
            tokens.append(
                Token(
                    surface,
                    span.start,
                    span.end,
                    lemma=_lemma(span, surface),
                    data={"pos": "+".join(span.tags)},
                )
            )
        position = span.end
    tokens.extend(_gap_tokens(text, position, len(text)))
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KiwiTokenizer(Tokenizer):
    """Korean morpheme tokenizer (Kiwi), with exact character offsets."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Korean only."""
        return ["ko"]

    @staticmethod
    def required_packages() -> List[Text]:
        """Kiwi and its bundled model."""
        return ["kiwipiepy", "kiwipiepy_model"]

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Load Kiwi's model (shared by every component of the process)."""
        super().__init__(config)
        self._kiwi = shared_kiwi()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "KiwiTokenizer":
        """Creates a new component (see parent class for full docstring)."""
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Tokenize one attribute of a message."""
        text = message.get(attribute)
        tokens = korean_tokens(text, self._kiwi)
        return self._apply_token_pattern(tokens)

"""Messages that are no problem report, recognised by their shape.

Keyboard mash, one character over and over, markup, SQL or JSON are not
something a customer says: whatever the classifier makes of them, the bot must
answer that it did not understand, and never start a form or open a ticket.
``noise_kind`` names the shape, or returns ``None`` for a message worth
classifying. Digits always count as content: "1234" answers the phone question.
"""

from __future__ import annotations

import json
import re
from typing import Optional

# a tag (<script>, <img src=x onerror=...>, </div>), a javascript: URL, a template placeholder
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*([\s/][^<>]*)?>|javascript\s*:|\{\{.*?\}\}|\$\{.*?\}", re.S)
# pasted Markdown: a heading line (or a code fence) in a text of several lines
_MARKDOWN = re.compile(r"^\s{0,3}(#{1,6}\s+\S|```)", re.M)
_SQL = re.compile(
    r"\b(select\s+[\w*,\s]+\s+from|union\s+(all\s+)?select|drop\s+(table|database)|insert\s+into|delete\s+from"
    r"|update\s+\w+\s+set|truncate\s+table|alter\s+table|exec(\s+|\()xp_)\b"
    r"|'\s*(or|and)\s+'?\d+'?\s*=\s*'?\d+|'\s*;\s*--|;\s*--\s*$|\bor\s+1\s*=\s*1\b",
    re.I,
)
_HANGUL_SYLLABLE = re.compile(r"[가-힣]")
_JAMO = re.compile(r"[ㄱ-ㅎㅏ-ㅣ]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9０-９]")
# what Korean chat writes in consonants alone and means something by
_JAMO_WORDS = (
    "ㅅㄷㅇ", "ㄱㅅ", "ㄳ", "ㅈㅅ", "ㅇㅇ", "ㄴㄴ", "ㅇㅋ", "ㄱㄱ", "ㅅㄱ", "ㄷㄷ", "ㅂㅂ", "ㅃㅃ", "ㅊㅋ", "ㅎㅇ",
    "ㅈㄴ", "ㄹㅇ", "ㅅㅂ", "ㅆㅂ", "ㅄ", "ㅁㅊ", "ㄲㅈ", "ㅉㅉ", "ㄴㅇㅅ", "ㅇㄷ", "ㅁㄹ", "ㅎㄹ", "ㅈㅂ",
    "ㄱㄷ", "ㅇㄴ", "ㅂㄷ", "ㄱㅊ", "ㅊㅊ", "ㄲㅂ", "ㅃㄹ",
)
_LAUGH_CRY = re.compile(r"[ㅋㅎㅠㅜㅡ]+")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ")
_ENGLISH_VOWELS = set("aeiouy")


def noise_kind(text: str) -> Optional[str]:
    """The kind of noise ``text`` is ("markup", "sql", "json", "repeated", "symbols", "mash"), or None."""
    stripped = (text or "").strip()
    if not stripped:
        return "symbols"
    if _MARKUP.search(stripped) or ("\n" in stripped and _MARKDOWN.search(stripped)):
        return "markup"
    if _SQL.search(stripped):
        return "sql"
    if _is_json(stripped):
        return "json"
    compact = re.sub(r"\s+", "", stripped)
    if _DIGIT.search(compact):
        return None
    if _is_repetition(compact):
        return "repeated"
    if not (_HANGUL_SYLLABLE.search(compact) or _JAMO.search(compact) or _LATIN.search(compact)):
        return "symbols"
    if _is_mash(stripped):
        return "mash"
    return None


def _is_json(text: str) -> bool:
    """An object or array that parses as JSON, or a run of ``"key": value`` pairs."""
    if text[0] in "{[" and text[-1] in "}]":
        try:
            json.loads(text)
            return True
        except ValueError:
            pass
    return len(re.findall(r"\"[^\"]{1,40}\"\s*:\s*", text)) >= 2


def _is_repetition(compact: str) -> bool:
    """One unit of one to four characters repeated, four characters or more in all ("ㅋㅋㅋㅋ", "asdasdasd")."""
    if len(compact) < 4:
        return False
    for size in (1, 2, 3, 4):
        unit = compact[:size]
        if len(compact) >= size * 2 and unit * (len(compact) // size) + unit[: len(compact) % size] == compact:
            return True
    return False


def _is_mash(text: str) -> bool:
    """Keys hit without words: lone jamo that spell no chat word, or Latin runs along a keyboard row."""
    letters = re.sub(r"[^ㄱ-ㅎㅏ-ㅣ가-힣A-Za-z]", "", text)
    if not letters:
        return False
    rest = _LAUGH_CRY.sub("", letters)
    for word in sorted(_JAMO_WORDS, key=len, reverse=True):
        rest = rest.replace(word, "")
    if not _HANGUL_SYLLABLE.search(letters) and not _LATIN.search(letters):
        return len(rest) >= 3
    jamo = len(_JAMO.findall(rest))
    if _HANGUL_SYLLABLE.search(letters) and jamo >= 3 and jamo >= len(rest) * 0.4:
        return True
    words = re.findall(r"[A-Za-z]+", text)
    if words and not _HANGUL_SYLLABLE.search(letters) and not _JAMO.search(letters):
        return all(_latin_mash(word.lower()) for word in words)
    return False


def _latin_mash(word: str) -> bool:
    """A Latin 'word' no language has.

    Four letters along a keyboard row, five consonants and no vowel, or six letters and more all
    from one row with hardly a vowel ("jkfdlsajfkl"; "salads" has its vowels).
    """
    if len(word) < 4:
        return False
    vowels = sum(1 for letter in word if letter in _ENGLISH_VOWELS)
    if len(word) >= 6 and vowels <= len(word) * 0.25 and any(set(word) <= set(row) for row in _KEYBOARD_ROWS[:3]):
        return True
    for row in _KEYBOARD_ROWS:
        for start in range(len(row) - 3):
            if row[start : start + 4] in word or row[start : start + 4][::-1] in word:
                return True
    return len(word) >= 5 and not (set(word) & _ENGLISH_VOWELS)

"""The skill response (version 2.0) built from Rasa's bot messages, within Kakao's limits.

Shape::

    {"version": "2.0",
     "template": {"outputs": [{"simpleText": {"text": "…"}}, …],
                  "quickReplies": [{"label": "…", "action": "message", "messageText": "…"}, …]}}

Limits (카카오 i 오픈빌더): 1–3 outputs, a simpleText of at most 1000 characters,
at most 10 quick replies, labels of at most 14 characters, messageText of at most
1000. Extra messages are merged into the last simpleText, long texts are cut with
a note, long labels end in "…".

A tapped quick reply sends its ``messageText`` as the utterance and its ``extra``
back as ``action.clientExtra``. A button whose payload is plain text sends that
text; a button with an intent payload (``/dont_know``,
``/inform{"resolution": "refund"}``) sends its title, with the payload in
``extra`` (:data:`channels.kakao_skill.EXTRA_PAYLOAD`). The returned ``reply_map``
also says which payload each title stands for, for a tap that comes back without
its ``extra``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence

from channels.kakao_skill import EXTRA_PAYLOAD
from support import customer_texts as say

VERSION = "2.0"
MAX_OUTPUTS = 3
MAX_TEXT = 1000
MAX_QUICK_REPLIES = 10
MAX_LABEL = 14
MAX_MESSAGE_TEXT = 1000
ELLIPSIS = "…"
# Kakao needs at least one output; the bot always says something, so silence means trouble


@dataclass
class SkillAnswer:
    """A response body and the quick-reply texts that stand for intent payloads."""

    body: Dict[str, Any]
    reply_map: Dict[str, str] = field(default_factory=dict)


def text_response(text: str) -> Dict[str, Any]:
    """A response with one simpleText."""
    return {"version": VERSION, "template": {"outputs": [{"simpleText": {"text": fit_text(text)}}]}}


def callback_ack(text: str) -> Dict[str, Any]:
    """The immediate answer that promises the real one through the callback URL."""
    return {"version": VERSION, "useCallback": True, "data": {"text": fit_text(text)}}


def fit_text(text: str) -> str:
    """``text`` cut politely to Kakao's simpleText limit."""
    if len(text) <= MAX_TEXT:
        return text
    return text[: MAX_TEXT - len(say.CUT_SHORT)].rstrip() + say.CUT_SHORT


def shorten(text: str, limit: int) -> str:
    """``text`` at most ``limit`` characters, ending in "…" when cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def build_answer(messages: Sequence[Dict[str, Any]], earlier: Sequence[Dict[str, Any]] = ()) -> SkillAnswer:
    """The skill response for a turn's bot messages (``CollectingOutputChannel.messages``).

    Args:
        messages: the bot messages of this turn.
        earlier: messages of an earlier turn that finished too late to be answered;
            they are shown first, and their buttons only when this turn has none.
    """
    outputs = _merge_outputs(_outputs(list(earlier) + list(messages)))
    if not outputs:
        outputs = [{"simpleText": {"text": say.NO_ANSWER_NOW}}]
    buttons = _buttons(messages) or _buttons(earlier)
    quick_replies, reply_map = _quick_replies(buttons)
    template: Dict[str, Any] = {"outputs": outputs}
    if quick_replies:
        template["quickReplies"] = quick_replies
    return SkillAnswer({"version": VERSION, "template": template}, reply_map)


def _outputs(messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    outputs: List[Dict[str, Any]] = []
    for message in messages:
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            outputs.append({"simpleText": {"text": text.strip()}})
        image = message.get("image")
        if isinstance(image, str) and image.startswith(("https://", "http://")):
            outputs.append({"simpleImage": {"imageUrl": image, "altText": say.IMAGE}})
    return outputs


def _merge_outputs(outputs: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """At most three outputs: everything from the third on becomes one simpleText."""
    if len(outputs) > MAX_OUTPUTS:
        rest = outputs[MAX_OUTPUTS - 1 :]
        texts = [
            item["simpleText"]["text"] if "simpleText" in item else item["simpleImage"]["imageUrl"]
            for item in rest
        ]
        outputs = outputs[: MAX_OUTPUTS - 1] + [{"simpleText": {"text": "\n\n".join(texts)}}]
    for item in outputs:
        if "simpleText" in item:
            item["simpleText"]["text"] = fit_text(item["simpleText"]["text"])
    return outputs


def _buttons(messages: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = []
    for message in messages:
        for key in ("buttons", "quick_replies"):
            items = message.get(key)
            if isinstance(items, list):
                found.extend(item for item in items if isinstance(item, dict))
    return found


def _quick_replies(buttons: Iterable[Dict[str, Any]]) -> "tuple[List[Dict[str, Any]], Dict[str, str]]":
    quick_replies: List[Dict[str, Any]] = []
    reply_map: Dict[str, str] = {}
    labels = set()
    for button in buttons:
        title = _str(button.get("title"))
        payload = _str(button.get("payload"))
        if not title and not payload:
            continue
        label = shorten(title or payload or "", MAX_LABEL)
        if label in labels:
            continue
        if payload and not payload.startswith("/") and len(payload) <= MAX_MESSAGE_TEXT:
            message_text = payload
        else:
            message_text = shorten(title or payload or "", MAX_MESSAGE_TEXT)
            if payload and payload != message_text:
                reply_map[message_text] = payload
                reply_map.setdefault(label, payload)
        labels.add(label)
        reply: Dict[str, Any] = {"label": label, "action": "message", "messageText": message_text}
        if payload and payload != message_text:
            reply["extra"] = {EXTRA_PAYLOAD: payload}
        quick_replies.append(reply)
        if len(quick_replies) == MAX_QUICK_REPLIES:
            break
    return quick_replies, reply_map


def _str(value: Any) -> Optional[str]:
    return value.strip() if isinstance(value, str) and value.strip() else None

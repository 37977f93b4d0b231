"""The skill request of 카카오 i 오픈빌더 (version 2.0): validated and reduced to what the bot needs.

Kakao POSTs one JSON object per customer message to the skill server::

    {"intent": {...}, "bot": {...}, "contexts": [...],
     "userRequest": {"utterance": "배달이 너무 늦어요", "user": {"id": "…", "type": "botUserKey"},
                     "callbackUrl": "https://…" (only for blocks with callbacks on), ...},
     "action": {"params": {"secureimage": "{\\"secureUrls\\": \\"List(https://…,https://…)\\", …}"},
                "detailParams": {...}, ...}}

Photos sent with the image-upload plugin (``sys.plugin.secureimage``) arrive as
secure URLs in ``action.params``: a JSON string (or an object) whose
``secureUrls`` is ``"List(url1,url2)"``, a plain comma-separated string or a list.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

from contract.requests import fetchable_url
from contract.vocabulary import MAX_MESSAGE
from support import customer_texts as say
from support.coded_errors import CodedError
from support.conversation_ids import MAX_LOCAL_ID

MAX_BODY_BYTES = 256 * 1024
MAX_UTTERANCE = MAX_MESSAGE
MAX_USER_ID = MAX_LOCAL_ID  # "kakao:" + the id fits the desk's sender ids
MAX_IMAGES = 10

_USER_ID = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: Kakao's keys are hex/base64
# URLs are split only where the next one starts, so a comma inside a URL's query survives
_URL_SEPARATOR = re.compile(r",\s*(?=https?://)")
_LIST_WRAPPER = re.compile(r"^\s*List\((?P<inner>.*)\)\s*$", re.DOTALL)


class SkillRequestError(CodedError):
    """The body is not a usable skill request; ``code`` names why (the answer is 400)."""


@dataclass(frozen=True)
class SkillRequest:
    """What the bot takes from one skill request."""

    user_id: str
    utterance: str
    callback_url: Optional[str] = None
    image_urls: List[str] = field(default_factory=list)

    def metadata(self) -> Optional[Dict[str, Any]]:
        """The user message's metadata: the photos in the bot's channel-independent contract."""
        if not self.image_urls:
            return None
        return {"attachments": [{"type": "image", "url": url} for url in self.image_urls]}


def parse_skill_request(body: bytes) -> SkillRequest:
    """Validate a raw request body.

    Raises:
        SkillRequestError: malformed JSON, a missing or mistyped field, or a field too long.
    """
    if len(body) > MAX_BODY_BYTES:
        raise SkillRequestError("too_large", "The request body is too large.")
    try:
        data = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: nesting too deep
        raise SkillRequestError("malformed_json", "The body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise SkillRequestError("not_an_object", "The body must be a JSON object.")

    user_request = data.get("userRequest")
    if not isinstance(user_request, dict):
        raise SkillRequestError("missing_user_request", "userRequest must be an object.")
    user = user_request.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    if not isinstance(user_id, str) or not user_id:
        raise SkillRequestError("missing_user_id", "userRequest.user.id must be a non-empty string.")
    if len(user_id) > MAX_USER_ID or not _USER_ID.fullmatch(user_id):
        raise SkillRequestError("invalid_user_id", "userRequest.user.id has an unexpected form.")

    utterance = user_request.get("utterance")
    if not isinstance(utterance, str):
        raise SkillRequestError("missing_utterance", "userRequest.utterance must be a string.")
    if len(utterance) > MAX_UTTERANCE:
        raise SkillRequestError("utterance_too_long", f"userRequest.utterance is longer than {MAX_UTTERANCE}.")

    callback_url = user_request.get("callbackUrl")
    if callback_url is not None and not isinstance(callback_url, str):
        raise SkillRequestError("invalid_callback_url", "userRequest.callbackUrl must be a string.")

    action = data.get("action")
    if action is not None and not isinstance(action, dict):
        raise SkillRequestError("invalid_action", "action must be an object.")
    image_urls = image_urls_of_action(action or {})

    utterance = utterance.strip()
    if not utterance:
        if not image_urls:
            raise SkillRequestError("empty_utterance", "userRequest.utterance is empty.")
        utterance = say.PHOTO_ONLY
    return SkillRequest(user_id=user_id, utterance=utterance, callback_url=callback_url or None, image_urls=image_urls)


def image_urls_of_action(action: Dict[str, Any]) -> List[str]:
    """The secure image URLs in ``action.params`` (and ``detailParams``), in order, without repeats.

    Every parameter is looked at, since the block author names the plugin's parameter.
    """
    values: List[Any] = []
    params = action.get("params")
    if isinstance(params, dict):
        values.extend(params.values())
    detail = action.get("detailParams")
    if isinstance(detail, dict):
        values.extend(item.get("value") for item in detail.values() if isinstance(item, dict))

    urls: List[str] = []
    for value in values:
        for url in _urls_of_param(value):
            if url not in urls:
                urls.append(url)
    return urls[:MAX_IMAGES]


def _urls_of_param(value: Any) -> List[str]:
    if isinstance(value, str):
        text = value.strip()
        if not text.startswith("{"):
            return []
        try:
            value = json.loads(text)
        except ValueError:
            return []
    if not isinstance(value, dict):
        return []
    return _split_urls(value.get("secureUrls"))


def _split_urls(secure_urls: Any) -> List[str]:
    """``"List(a,b)"``, ``"a,b"``, ``"a"`` or ``["a", "b"]`` → the valid http(s) URLs."""
    if isinstance(secure_urls, str):
        match = _LIST_WRAPPER.match(secure_urls)
        inner = match.group("inner") if match else secure_urls
        candidates: Iterable[Any] = _URL_SEPARATOR.split(inner)
    elif isinstance(secure_urls, list):
        candidates = secure_urls
    else:
        return []
    urls = []
    for candidate in candidates:
        if not isinstance(candidate, str):
            continue
        url = candidate.strip()
        if fetchable_url(url):
            urls.append(url)
    return urls

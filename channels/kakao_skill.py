"""The skill request of 카카오 i 오픈빌더 (version 2.0): validated and reduced to what the bot needs.

Kakao POSTs one JSON object per customer message to the skill server::

    {"intent": {...}, "bot": {...}, "contexts": [...],
     "userRequest": {"utterance": "배달이 너무 늦어요", "user": {"id": "…", "type": "botUserKey"},
                     "callbackUrl": "https://…" (only for blocks with callbacks on), ...},
     "action": {"params": {"secureimage": "{\\"secureUrls\\": \\"List(https://…,https://…)\\", …}"},
                "detailParams": {...}, ...}}

Photos arrive in two ways:

* sent straight into the chat: ``flow.trigger.type`` is ``IMAGE_UPLOAD``, the picture
  is ``userRequest.params.media`` ``{"type": "image", "url": …}`` and the utterance
  repeats its URL (the URL is then not the customer's words);
* through the image-upload plugin (``sys.plugin.secureimage``) as secure URLs in
  ``action.params`` / ``detailParams``: a JSON string (or an object) whose
  ``secureUrls`` is ``"List(url1,url2)"``, a comma-separated string or a list, or the
  value itself as a bare ``List(url1,url2)`` or a plain URL.

A tapped quick reply carries the ``extra`` the bot gave it back as
``action.clientExtra`` (an object, or a JSON string): its ``payload`` is what the
button stands for (:data:`EXTRA_PAYLOAD`).
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
MAX_TRIGGER = 40
# the key of a quick reply's ``extra`` (sent back as ``action.clientExtra``) that holds its payload
EXTRA_PAYLOAD = "payload"
IMAGE_UPLOAD = "IMAGE_UPLOAD"
BOT_TEST_SURFACE = "BuilderBotTest"
# Kakao's CDN serves its image URLs over https too; the plugin's are often written as http
_KAKAO_CDN = re.compile(r"^http://(?P<host>(?:[a-z0-9-]+\.)*kakaocdn\.net)(?P<rest>[/?].*)?$", re.IGNORECASE)

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
    # the payload of the quick reply the customer tapped (``action.clientExtra``), if any
    button_payload: Optional[str] = None
    # ``flow.trigger.type``: TEXT_INPUT, IMAGE_UPLOAD, a quick reply's or button's type…
    trigger: Optional[str] = None
    # sent from the Open Builder's bot test panel (``userRequest.params.surface`` BuilderBotTest)
    from_bot_test: bool = False

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
    trigger = trigger_of(data.get("flow"))
    utterance = utterance.strip()
    image_urls = _unique(
        uploaded_images(user_request, trigger, utterance) + image_urls_of_action(action or {})
    )[:MAX_IMAGES]

    if not utterance or secure_cdn_url(utterance) in image_urls:
        # a photo alone: the utterance is empty or repeats the photo's address
        if not image_urls:
            raise SkillRequestError("empty_utterance", "userRequest.utterance is empty.")
        utterance = say.PHOTO_ONLY
    return SkillRequest(
        user_id=user_id,
        utterance=utterance,
        callback_url=callback_url or None,
        image_urls=image_urls,
        button_payload=button_payload_of(action or {}),
        trigger=trigger,
        from_bot_test=_surface(user_request) == BOT_TEST_SURFACE,
    )


def _surface(user_request: Dict[str, Any]) -> Optional[str]:
    params = user_request.get("params")
    surface = params.get("surface") if isinstance(params, dict) else None
    return surface if isinstance(surface, str) else None


def trigger_of(flow: Any) -> Optional[str]:
    """``flow.trigger.type`` when it is a short upper-case name, else None."""
    trigger = flow.get("trigger") if isinstance(flow, dict) else None
    kind = trigger.get("type") if isinstance(trigger, dict) else None
    if isinstance(kind, str) and 0 < len(kind) <= MAX_TRIGGER and re.fullmatch(r"[A-Z_]+", kind):
        return kind
    return None


def uploaded_images(user_request: Dict[str, Any], trigger: Optional[str], utterance: str) -> List[str]:
    """The photo sent straight into the chat: ``userRequest.params.media``, or with the
    ``IMAGE_UPLOAD`` trigger and no media, the URL the utterance holds."""
    params = user_request.get("params")
    media = params.get("media") if isinstance(params, dict) else None
    if isinstance(media, str) and media.strip().startswith("{"):
        media = _json(media)
    urls: List[str] = []
    for item in media if isinstance(media, list) else [media]:
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        url = item.get("url")
        if (kind is None or str(kind).lower() == "image") and isinstance(url, str):
            url = secure_cdn_url(url.strip())
            if fetchable_url(url):
                urls.append(url)
    if not urls and trigger == IMAGE_UPLOAD and fetchable_url(utterance):
        urls.append(secure_cdn_url(utterance))
    return urls


def button_payload_of(action: Dict[str, Any]) -> Optional[str]:
    """The payload in ``action.clientExtra`` (an object or a JSON string), if it holds one."""
    extra = action.get("clientExtra")
    if isinstance(extra, str):
        extra = _json(extra) if extra.strip().startswith("{") else None
    payload = extra.get(EXTRA_PAYLOAD) if isinstance(extra, dict) else None
    if isinstance(payload, str) and payload.strip() and len(payload) <= MAX_UTTERANCE:
        return payload.strip()
    return None


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
        urls.extend(_urls_of_param(value))
    return _unique(urls)[:MAX_IMAGES]


def _urls_of_param(value: Any) -> List[str]:
    """The plugin's value: a JSON string or object with ``secureUrls``, a JSON list of URLs,
    a bare ``List(url1,url2)``, or plain URLs; any other parameter gives nothing."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("{", "[")):
            value = _json(text)
        elif _LIST_WRAPPER.match(text) or _only_urls(text):
            return _split_urls(text)
        else:
            return []
    if isinstance(value, list):
        return _split_urls(value)
    if not isinstance(value, dict):
        return []
    return _split_urls(value.get("secureUrls"))


def _only_urls(text: str) -> bool:
    """Whether ``text`` is one http(s) URL or several separated by commas, and nothing else."""
    parts = [part.strip() for part in _URL_SEPARATOR.split(text)]
    return bool(parts) and all(fetchable_url(part) for part in parts)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _unique(urls: Iterable[str]) -> List[str]:
    seen: List[str] = []
    for url in urls:
        if url not in seen:
            seen.append(url)
    return seen


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
        url = secure_cdn_url(candidate.strip())
        if fetchable_url(url):
            urls.append(url)
    return urls


def secure_cdn_url(url: str) -> str:
    """An ``http://`` URL on Kakao's CDN (``*.kakaocdn.net``) as ``https://``; any other URL as it is.

    The desk of the production profile fetches photos over https only.
    """
    match = _KAKAO_CDN.match(url)
    return f"https://{match.group('host')}{match.group('rest') or ''}" if match else url

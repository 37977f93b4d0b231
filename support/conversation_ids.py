"""Conversation ids: one namespace per channel, so no channel can name another channel's conversation.

A conversation id (Rasa's ``sender_id``, the desk's ``sender_id``) is always
``<namespace>:<local id>``, and the namespace is chosen by the channel that
received the message, never by the client:

==========  =====================================================  ======================
namespace   who                                                    local id
==========  =====================================================  ======================
``app``     in-app chat (socket.io) with a valid customer token    the token's subject
``web``     socket.io without a token (anonymous)                  random, issued by us
``rest``    the REST webhook (an app's backend, server to server)  the request's sender
``kakao``   KakaoTalk (카카오 i 오픈빌더, shared secret checked)     Kakao's user id
``messenger`` Facebook Messenger (signed webhook)                  the page-scoped id
==========  =====================================================  ======================

Conversation ids travel in URL paths (Rasa's ``/conversations/<id>/…``, the
desk's ``/api/conversations/<id>/…``), and neither Rasa nor the desk decodes a
percent-encoded path. So an id is made only of characters a path carries as they
are (:data:`LOCAL_ID`), and :func:`path_segment` — used wherever an id goes into a
path — leaves such an id unchanged and encodes anything else, so a stray ``/``,
``#`` or ``..`` can never make a request reach another conversation.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Optional
from urllib.parse import quote

APP, WEB, REST, KAKAO, MESSENGER = "app", "web", "rest", "kakao", "messenger"
NAMESPACES = (APP, WEB, REST, KAKAO, MESSENGER)
# the desk keeps conversation ids of up to MAX_CONVERSATION_ID characters, so a local id leaves room for the
# longest namespace and its colon
MAX_CONVERSATION_ID = 200
MAX_LOCAL_ID = MAX_CONVERSATION_ID - max(len(namespace) for namespace in NAMESPACES) - 1
# characters a URL path carries unencoded (RFC 3986 unreserved, plus ":@+=")
LOCAL_ID = re.compile(r"[A-Za-z0-9._~:@+=-]{1,%d}" % MAX_LOCAL_ID)
# anchored: pydantic and JSON Schema match prefixes
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9._~:@+=-]{1,%d}$" % MAX_CONVERSATION_ID)
_PATH_SAFE = ":@+="


def conversation_id(namespace: str, local_id: str) -> str:
    """``namespace:local_id``.

    Raises:
        ValueError: an unknown namespace, or an empty or too long local id.
    """
    if namespace not in NAMESPACES:
        raise ValueError(f"unknown conversation namespace {namespace!r}")
    if not LOCAL_ID.fullmatch(local_id):
        raise ValueError(f"a local conversation id must be 1 to {MAX_LOCAL_ID} of A-Z a-z 0-9 . _ ~ : @ + = -")
    return f"{namespace}:{local_id}"


def platform_conversation(namespace: str, platform_id: str) -> str:
    """The conversation of a platform's user id: the id itself, or a digest of it when it has other characters."""
    if LOCAL_ID.fullmatch(platform_id):
        return conversation_id(namespace, platform_id)
    return conversation_id(namespace, "sha256-" + hashlib.sha256(platform_id.encode("utf-8")).hexdigest()[:40])


def path_segment(conversation: str) -> str:
    """``conversation`` for a URL path: unchanged when it is a valid id, every other character encoded."""
    return quote(conversation, safe=_PATH_SAFE)


def in_namespace(namespace: str, local_id: str) -> str:
    """The conversation id for ``local_id`` in ``namespace``; a local id that already carries it keeps it.

    ``rest`` + ``me`` and ``rest`` + ``rest:me`` are both ``rest:me``; ``rest`` + ``app:x``
    is ``rest:app:x`` — a REST conversation, never the in-app one.
    """
    prefix = f"{namespace}:"
    if local_id.startswith(prefix) and len(local_id) > len(prefix):
        local_id = local_id[len(prefix):]
    return conversation_id(namespace, local_id)


def namespace_of(conversation: str) -> Optional[str]:
    """The namespace of a conversation id, or None for an id of no known namespace."""
    namespace, separator, local_id = conversation.partition(":")
    return namespace if separator and local_id and namespace in NAMESPACES else None


def local_id(conversation: str, namespace: str) -> str:
    """The local part of a conversation id of ``namespace`` (the id itself when it has another one)."""
    prefix = f"{namespace}:"
    return conversation[len(prefix):] if conversation.startswith(prefix) else conversation


def customer_conversation(customer_id: str) -> str:
    """The one conversation of a signed-in customer in the in-app chat."""
    return conversation_id(APP, customer_id)


def anonymous_conversation() -> str:
    """A new, unguessable conversation id for a chat without a customer token."""
    return conversation_id(WEB, secrets.token_hex(16))

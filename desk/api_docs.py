"""What each route promises, written on the route itself.

A view says what it does with :func:`documented` (its summary, the body model,
the answers and their models, the error statuses); who may call it comes from
the :mod:`desk.auth` decorator it wears. ``desk/openapi.py`` walks the app's
routes and turns these into the OpenAPI document, so a new route documents
itself where it is written, and an undocumented one fails ``tests/desk/test_openapi.py``.

Sanic 21.12 has no schema export of its own (sanic-ext's OpenAPI needs Sanic 22),
hence this small decorator.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, Optional, Tuple, Type, TypeVar

from pydantic import BaseModel

from contract.vocabulary import MAX_IDEMPOTENCY_KEY

# security schemes (see desk/openapi.py); a tuple lists alternatives
SERVICE = ("serviceToken",)
AGENT = ("agentSession",)
SERVICE_OR_AGENT = ("serviceToken", "agentSession")
CHAT = ("chatToken",)
PUBLIC: Tuple[str, ...] = ()

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Answer:
    """One documented answer: a JSON body of ``model``, or another media type with a plain ``schema``."""

    description: str
    model: Optional[Type[BaseModel]] = None
    media: str = "application/json"
    schema: Optional[Dict[str, Any]] = None


@dataclass(frozen=True)
class Param:
    """A query or header parameter."""

    name: str
    description: str
    where: str = "query"
    schema: Dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False


@dataclass(frozen=True)
class Operation:
    """What :func:`documented` records on a view."""

    summary: str
    answers: Dict[int, Answer]
    body: Optional[Type[BaseModel]] = None
    form: Optional[Dict[str, Any]] = None  # a multipart/form-data body's schema
    params: Tuple[Param, ...] = ()
    errors: Tuple[int, ...] = ()
    security: Optional[Tuple[str, ...]] = None  # None: as the view's desk.auth decorator says


def documented(
    summary: str,
    answers: Dict[int, Answer],
    *,
    body: Optional[Type[BaseModel]] = None,
    form: Optional[Dict[str, Any]] = None,
    params: Tuple[Param, ...] = (),
    errors: Tuple[int, ...] = (),
    security: Optional[Tuple[str, ...]] = None,
) -> Callable[[F], F]:
    """Record what the view promises (put it right under the route decorator)."""

    def mark(view: F) -> F:
        view.operation = Operation(summary, answers, body, form, params, errors, security)  # type: ignore[attr-defined]
        return view

    return mark


def secured_by(view: Callable[..., Any], schemes: Tuple[str, ...]) -> None:
    """Note on a view (by the :mod:`desk.auth` decorators) which credentials it takes."""
    view.security = schemes  # type: ignore[attr-defined]


def operation_of(view: Callable[..., Any]) -> Optional[Operation]:
    """The view's :class:`Operation`, its security filled in; None for an undocumented view."""
    operation: Optional[Operation] = getattr(view, "operation", None)
    if operation is None or operation.security is not None:
        return operation
    return replace(operation, security=getattr(view, "security", PUBLIC))


IDEMPOTENCY_KEY = Param("Idempotency-Key", "the same key always yields the first answer", "header",
                        {"type": "string", "maxLength": MAX_IDEMPOTENCY_KEY}, required=True)
PHOTO_FORM = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
HTML = Answer("HTML", media="text/html", schema={"type": "string"})

"""Request helpers shared by the blueprints: JSON bodies, schemas, headers, arguments."""

from __future__ import annotations

from typing import Dict, Optional, Type, TypeVar
from urllib.parse import unquote

from pydantic import BaseModel, ValidationError
from sanic import Request
from sanic.response import HTTPResponse, json

from contract.base import ContractModel
from contract.vocabulary import MAX_IDEMPOTENCY_KEY
from desk.errors import ApiError
from desk.payloads import problem_in

Model = TypeVar("Model", bound=BaseModel)

# row ids are INTEGER columns: 32 bits on PostgreSQL (64 on SQLite); a larger id names no row
MAX_ROW_ID = 2**31 - 1


def is_row_id(value: int) -> bool:
    """Whether ``value`` could be the id of a row (1 … :data:`MAX_ROW_ID`); the database is not asked otherwise."""
    return 0 < value <= MAX_ROW_ID


def json_object(request: Request) -> dict:
    """The request body as a JSON object.

    Raises:
        ApiError: 400 ``malformed_json`` when the body is not a JSON object (or has NaN,
            Infinity or text that is not Unicode), 422 when it holds what the database
            cannot store (:mod:`desk.payloads`).
    """
    try:
        body = request.json
    except Exception as exc:  # Sanic raises InvalidUsage on malformed JSON
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "The request body must be a JSON object.")
    problem = problem_in(body)
    if problem is not None:
        raise ApiError(*problem)
    return body


def parse_body(request: Request, model: Type[Model], code: str, what: str) -> Model:
    """The JSON body validated by ``model``.

    Raises:
        ApiError: 400 on malformed JSON, 422 ``code`` with pydantic's details otherwise.
    """
    body = json_object(request)
    try:
        return model.parse_obj(body)
    except ValidationError as exc:
        raise ApiError(422, code, f"The {what} is invalid.", exc.errors()) from exc


def answer(body: ContractModel, status: int = 200, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    """A JSON response of ``body``, serialised through its model (so it has the documented shape)."""
    return json(body.public(), status=status, headers=headers)


def idempotency_key(request: Request) -> str:
    """The required ``Idempotency-Key`` header.

    Raises:
        ApiError: 400 when it is missing, longer than 200 characters or not printable text.
    """
    key = request.headers.get("idempotency-key", "").strip()
    if not key:
        raise ApiError(400, "missing_idempotency_key", "The Idempotency-Key header is required.")
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise ApiError(400, "invalid_idempotency_key", "The Idempotency-Key header is too long.")
    if not key.isprintable() or problem_in(key) is not None:  # bytes that are no text, or control characters
        raise ApiError(400, "invalid_idempotency_key", "The Idempotency-Key header must be printable text.")
    return key


def int_arg(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query argument within ``[low, high]``.

    Raises:
        ApiError: 400 ``invalid_argument`` when it is not such a number.
    """
    text = request.args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:  # not '²' or '٣'
        raise ApiError(400, "invalid_argument", f"{name} must be a whole number from {low} to {high}.")
    return int(text)



async def refuse_null_bytes(request: Request) -> None:
    """Request middleware: a NUL character names nothing the desk has, and PostgreSQL text cannot hold it.

    Raises:
        ApiError: 404 ``not_found`` for a NUL in the (decoded) path, 400
            ``invalid_argument`` for one in the query.
    """
    if "\x00" in unquote(request.path):
        raise ApiError(404, "not_found", "No such path.")
    if "\x00" in unquote(request.query_string):
        raise ApiError(400, "invalid_argument", "Query arguments may not contain the NUL character.")

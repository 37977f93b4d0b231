"""Request helpers shared by the blueprints: JSON bodies, schemas, headers, arguments."""

from __future__ import annotations

from typing import Type, TypeVar

from pydantic import BaseModel, ValidationError
from sanic import Request

from desk.errors import ApiError

Model = TypeVar("Model", bound=BaseModel)

MAX_IDEMPOTENCY_KEY = 200


def json_object(request: Request) -> dict:
    """The request body as a JSON object.

    Raises:
        ApiError: 400 ``malformed_json`` when the body is not a JSON object.
    """
    try:
        body = request.json
    except Exception as exc:  # Sanic raises InvalidUsage on malformed JSON
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "The request body must be a JSON object.")
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


def idempotency_key(request: Request) -> str:
    """The required ``Idempotency-Key`` header.

    Raises:
        ApiError: 400 when it is missing or longer than 200 characters.
    """
    key = request.headers.get("idempotency-key", "").strip()
    if not key:
        raise ApiError(400, "missing_idempotency_key", "The Idempotency-Key header is required.")
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise ApiError(400, "invalid_idempotency_key", "The Idempotency-Key header is too long.")
    return key


def int_arg(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query argument within ``[low, high]``.

    Raises:
        ApiError: 400 ``invalid_argument`` when it is not such a number.
    """
    text = request.args.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise ApiError(400, "invalid_argument", f"{name} must be a whole number from {low} to {high}.")
    return int(text)

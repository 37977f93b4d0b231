"""The desk's OpenAPI 3 document, generated from its routes and the contract models.

Paths come from the app's routes and what each view declares with
:func:`desk.api_docs.documented`; every schema comes from a pydantic model
(``contract/`` for what the action server and the desk exchange, ``desk/*/schemas.py``
for the console's own bodies).
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, Iterable, List, Set, Type

from pydantic import BaseModel
from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse, json

from contract.responses import ErrorOut
from desk.api_docs import Answer, Operation, documented, operation_of

bp = Blueprint("openapi", url_prefix="/api")

REF = "#/components/schemas/{model}"
METHODS = ("get", "post", "put", "patch", "delete")
_PATH_PARAM = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)(?::([^>]*))?>")
SECURITY_SCHEMES = {
    "serviceToken": {"type": "http", "scheme": "bearer", "description": "DESK_SERVICE_TOKEN"},
    "agentSession": {"type": "apiKey", "in": "cookie", "name": "desk_session"},
    "chatToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                  "description": "the app's signed customer token (CHAT_JWT_SECRET)"},
}


def _ref(model: Type[BaseModel]) -> Dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _path_and_params(route_path: str) -> tuple:
    """``api/deliveries/<delivery_id:int>/failed`` → ``/api/deliveries/{delivery_id}/failed`` and its parameters."""
    params = []
    for name, kind in _PATH_PARAM.findall(route_path):
        schema = {"type": "integer"} if kind == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return "/" + _PATH_PARAM.sub(r"{\1}", route_path.strip("/")), params


def _content(answer: Answer) -> Dict[str, Any]:
    schema = _ref(answer.model) if answer.model is not None else (answer.schema or {})
    return {answer.media: {"schema": schema}}


def _operation(operation: Operation, path_params: List[dict]) -> Dict[str, Any]:
    responses: Dict[str, Any] = {
        str(status): {"description": answer.description, "content": _content(answer)}
        for status, answer in operation.answers.items()
    }
    responses.update({str(status): {"$ref": "#/components/responses/Error"} for status in operation.errors})
    document: Dict[str, Any] = {
        "summary": operation.summary,
        "security": [{scheme: []} for scheme in operation.security or ()],
        "responses": responses,
    }
    params = path_params + [
        {"name": p.name, "in": p.where, "required": p.required, "description": p.description, "schema": p.schema}
        for p in operation.params
    ]
    if params:
        document["parameters"] = params
    if operation.body is not None:
        document["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(operation.body)}}}
    elif operation.form is not None:
        document["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": operation.form}}}
    return document


def documented_operations(app: Sanic) -> Iterable[tuple]:
    """``(path, method, route path parameters, Operation or None)`` of every route the app serves."""
    for route in app.router.routes:
        path, path_params = _path_and_params(route.path)
        for method in sorted(m.lower() for m in route.methods):
            if method in METHODS:
                yield path, method, path_params, operation_of(route.handler)


def _models(operations: Iterable[Operation]) -> Set[Type[BaseModel]]:
    models: Set[Type[BaseModel]] = {ErrorOut}
    for operation in operations:
        if operation.body is not None:
            models.add(operation.body)
        models.update(answer.model for answer in operation.answers.values() if answer.model is not None)
    return models


def request_models(app: Sanic) -> List[Type[BaseModel]]:
    """The JSON body models of ``app``'s documented routes, by name."""
    models = {op.body for *_, op in documented_operations(app) if op is not None and op.body is not None}
    return sorted(models, key=lambda m: m.__name__)


def _schemas(models: Iterable[Type[BaseModel]]) -> Dict[str, Any]:
    schemas: Dict[str, Any] = {}
    for model in sorted(models, key=lambda m: m.__name__):
        schema = copy.deepcopy(model.schema(ref_template=REF))  # pydantic caches the dict
        schemas.update(schema.pop("definitions", {}))
        schemas[model.__name__] = schema
    return schemas


def build_document(app: Sanic) -> Dict[str, Any]:
    """The whole OpenAPI 3.0 document of ``app``'s documented routes."""
    paths: Dict[str, Dict[str, Any]] = {}
    operations: List[Operation] = []
    for path, method, path_params, operation in documented_operations(app):
        if operation is not None:
            paths.setdefault(path, {})[method] = _operation(operation, path_params)
            operations.append(operation)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Desk API",
            "version": "1.0.0",
            "description": "Tickets, agents and photos of the support desk.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": _schemas(_models(operations)),
            "responses": {
                "Error": {"description": "An error in the desk's one JSON shape.", "content": _content(
                    Answer("", ErrorOut))}
            },
            "securitySchemes": SECURITY_SCHEMES,
        },
    }


@bp.get("/openapi.json")
@documented("This document", {200: Answer("OpenAPI 3.", schema={"type": "object"})})
async def openapi_document(request: Request) -> HTTPResponse:
    """The OpenAPI 3 document of this service (built once per app)."""
    if getattr(request.app.ctx, "openapi", None) is None:
        request.app.ctx.openapi = build_document(request.app)
    return json(request.app.ctx.openapi)

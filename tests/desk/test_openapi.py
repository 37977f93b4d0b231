"""The OpenAPI document lists every route the app serves, with its schemas."""

from __future__ import annotations

import re

from desk.openapi import build_document

METHODS = {"get", "post", "put", "patch", "delete"}


def app_routes(app):
    """``{(path, method)}`` of every route of ``app`` in OpenAPI path syntax."""
    routes = set()
    for route in app.router.routes:
        path = "/" + route.path.strip("/")
        path = re.sub(r"<([a-z_]+)(:[^>]*)?>", r"{\1}", path)
        for method in route.methods:
            if method.lower() in METHODS:
                routes.add((path, method.lower()))
    return routes


async def test_document_is_served(desk_app):
    _, response = await desk_app.asgi_client.get("/api/openapi.json")
    assert response.status == 200
    assert response.json["openapi"].startswith("3.")
    assert response.json == build_document()


def test_every_route_is_documented(desk_app):
    document = build_document()
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    static = {("/console/static/{path}", "get"), ("/chat/static/{path}", "get")}
    served = {r for r in app_routes(desk_app) if not r[0].startswith(("/console/static", "/chat/static"))} | static
    assert served - documented == set(), "routes missing from desk/openapi.py"
    assert documented - served == set(), "documented routes the app does not serve"


def test_every_operation_has_responses_and_bodies_have_schemas():
    document = build_document()
    schemas = document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation["responses"], (path, method)
            assert "security" in operation, (path, method)
            body = operation.get("requestBody")
            if method == "post" and body is None:
                continue
            if body is not None:
                for media in body["content"].values():
                    ref = media["schema"].get("$ref")
                    if ref:
                        assert ref.rsplit("/", 1)[1] in schemas, ref
    refs = re.findall(r"#/components/schemas/(\w+)", str(document))
    assert set(refs) <= set(schemas)
    assert {"TicketCreate", "MessageCreate", "ReplyCreate", "RatingCreate", "FetchRequest", "LoginRequest"} <= set(schemas)
    assert "attachments" in schemas["TicketCreate"]["properties"]

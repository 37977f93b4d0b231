"""The OpenAPI document lists every route the app serves, with schemas generated from the contract models."""

from __future__ import annotations

import re

from contract.requests import FetchRequest, MessageCreate, RatingCreate, TicketCreate
from contract.responses import TicketOut
from desk.openapi import build_document, documented_operations


async def test_document_is_served(desk_app):
    _, response = await desk_app.asgi_client.get("/api/openapi.json")
    assert response.status == 200
    assert response.json["openapi"].startswith("3.")
    assert response.json == build_document(desk_app)


def test_every_route_is_documented(desk_app):
    undocumented = {(path, method) for path, method, _, op in documented_operations(desk_app) if op is None}
    assert undocumented == set(), "routes without @documented (desk/api_docs.py)"
    served = {(path, method) for path, method, _, _ in documented_operations(desk_app)}
    document = build_document(desk_app)
    assert {(path, method) for path, item in document["paths"].items() for method in item} == served


def test_every_operation_has_responses_security_and_known_schemas(desk_app):
    document = build_document(desk_app)
    schemas = document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation["responses"], (path, method)
            assert "security" in operation, (path, method)
            for parameter in re.findall(r"{(\w+)}", path):
                assert parameter in [p["name"] for p in operation["parameters"] if p["in"] == "path"], (path, parameter)
    refs = re.findall(r"#/components/schemas/(\w+)", str(document))
    assert set(refs) <= set(schemas)


def test_schemas_are_the_contract_models(desk_app):
    """The document says what the models check: a limit changed in contract/ changes the document."""
    schemas = build_document(desk_app)["components"]["schemas"]
    for model in (TicketCreate, MessageCreate, RatingCreate, FetchRequest, TicketOut):
        assert schemas[model.__name__]["properties"].keys() == model.schema()["properties"].keys()
    assert schemas["TicketCreate"]["properties"]["category"]["enum"] == ["delay", "quality", "payment", "other"]
    assert schemas["TranscriptLine"]["properties"]["text"]["maxLength"] == 20000
    assert schemas["TicketOut"]["properties"]["closed_at"]["nullable"] is True
    assert schemas["TicketOut"]["properties"]["assigned_agent"] == {
        "allOf": [{"$ref": "#/components/schemas/AgentOut"}], "nullable": True}


def test_security_follows_the_auth_decorators(desk_app):
    paths = build_document(desk_app)["paths"]
    assert paths["/api/tickets"]["post"]["security"] == [{"serviceToken": []}]
    assert paths["/api/tickets"]["get"]["security"] == [{"serviceToken": []}, {"agentSession": []}]
    assert paths["/api/tickets/{number}/reply"]["post"]["security"] == [{"agentSession": []}]
    assert paths["/api/chat/history"]["get"]["security"] == [{"chatToken": []}]
    assert paths["/health"]["get"]["security"] == []
    assert paths["/api/deliveries/{delivery_id}/failed"]["post"]["parameters"][0]["schema"] == {"type": "integer"}

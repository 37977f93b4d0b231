"""The desk's OpenAPI 3 document (hand-written; request bodies come from the pydantic schemas)."""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Optional, Type

from pydantic import BaseModel
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from desk.agents.schemas import LoginRequest
from desk.attachments.schemas import FetchRequest
from desk.ratings.schemas import RatingCreate
from desk.tickets.schemas import (
    CATEGORIES,
    PRIORITIES,
    STATUSES,
    AssignRequest,
    MessageCreate,
    ReplyCreate,
    TicketCreate,
)

bp = Blueprint("openapi", url_prefix="/api")

REF = "#/components/schemas/{model}"
SERVICE = [{"serviceToken": []}]
AGENT = [{"agentSession": []}]
EITHER = [{"serviceToken": []}, {"agentSession": []}]
CHAT = [{"chatToken": []}]
PUBLIC: List[dict] = []


def _ref(name: str) -> Dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _nullable(schema: Dict[str, Any]) -> Dict[str, Any]:
    return {**schema, "nullable": True}


STRING = {"type": "string"}
TIME = {"type": "string", "format": "date-time"}
AGENT_SCHEMA = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "email": STRING, "name": STRING},
}
ATTACHMENT = {
    "type": "object",
    "properties": {
        "id": STRING,
        "content_type": {"type": "string", "enum": ["image/jpeg", "image/png", "image/webp"]},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "url": STRING,
        "thumbnail_url": STRING,
    },
}
RATING = {
    "type": "object",
    "properties": {
        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
        "comment": _nullable(STRING),
        "created_at": TIME,
    },
}
MESSAGE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "author": {"type": "string", "enum": ["customer", "bot", "agent", "system"]},
        "text": STRING,
        "sent_at": TIME,
        "agent": _nullable(_ref("Agent")),
    },
}
TICKET_SUMMARY = {
    "type": "object",
    "properties": {
        "number": {"type": "string", "pattern": r"^T-\d{8}-\d{4,}$"},
        "category": {"type": "string", "enum": list(CATEGORIES)},
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "status": {"type": "string", "enum": list(STATUSES)},
        "channel": STRING,
        "sender_id": STRING,
        "customer_id": _nullable(STRING),
        "order_number": _nullable(STRING),
        "problem_time": _nullable(TIME),
        "requested_resolution": _nullable(STRING),
        "payment_details": _nullable({"type": "object"}),
        "summary": STRING,
        "sla_due_at": TIME,
        "assigned_agent": _nullable(_ref("Agent")),
        "resolved_at": _nullable(TIME),
        "closed_at": _nullable(TIME),
        "created_at": TIME,
        "updated_at": TIME,
    },
}
TICKET = {
    "allOf": [
        _ref("TicketSummary"),
        {
            "type": "object",
            "properties": {
                "transcript": {"type": "array", "items": _ref("Message")},
                "attachments": {"type": "array", "items": _ref("Attachment")},
                "rating": _nullable(_ref("Rating")),
            },
        },
    ]
}
DELIVERY = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "ticket_number": STRING,
        "sender_id": STRING,
        "channel": STRING,
        "kind": {"type": "string", "enum": ["reply", "resolved"]},
        "text": STRING,
        "created_at": TIME,
        "delivered_at": _nullable(TIME),
        "attempts": {"type": "integer"},
    },
}
ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": STRING, "message": STRING, "details": {}},
        }
    },
}

REQUEST_MODELS: List[Type[BaseModel]] = [
    TicketCreate,
    MessageCreate,
    ReplyCreate,
    AssignRequest,
    LoginRequest,
    FetchRequest,
    RatingCreate,
]


def _obj(**properties: Any) -> Dict[str, Any]:
    return {"type": "object", "properties": properties}


def _array(name: str) -> Dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


def _json(schema: Dict[str, Any], description: str) -> Dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> Dict[str, Any]:
    return {str(status): {"$ref": "#/components/responses/Error"} for status in statuses}


def _operation(
    summary: str,
    security: List[dict],
    responses: Dict[str, Any],
    body: Optional[str] = None,
    parameters: Optional[List[dict]] = None,
    errors: tuple = (),
) -> Dict[str, Any]:
    operation: Dict[str, Any] = {
        "summary": summary,
        "security": security,
        "responses": {**responses, **_errors(*errors)},
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    if parameters:
        operation["parameters"] = parameters
    return operation


def _path_param(name: str, schema: Optional[dict] = None) -> Dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema or STRING}


def _query(name: str, description: str, schema: Optional[dict] = None) -> Dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or STRING,
    }


IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "maxLength": 200},
}
BINARY = {"type": "string", "format": "binary"}
RATED = _obj(  # ticket_number is null for a rating of an answer the bot gave itself
    ticket_number=_nullable(STRING), rating={"type": "integer"}, comment=_nullable(STRING), created_at=TIME
)
NUMBER = _path_param("number")
ATTACHMENT_ID = _path_param("attachment_id")
DELIVERY_ID = _path_param("delivery_id", {"type": "integer"})
TICKET_200 = {"200": _json(_ref("Ticket"), "The ticket after the change.")}


def _ticket_action(summary: str, body: Optional[str] = None) -> Dict[str, Any]:
    errors = (401, 404, 409) if body is None else (400, 401, 404, 409, 422)
    return {"post": _operation(summary, AGENT, TICKET_200, body=body, parameters=[NUMBER], errors=errors)}


def build_document() -> Dict[str, Any]:
    """The whole OpenAPI 3.0 document."""
    schemas: Dict[str, Any] = {
        "Agent": AGENT_SCHEMA,
        "Attachment": ATTACHMENT,
        "Rating": RATING,
        "Message": MESSAGE,
        "TicketSummary": TICKET_SUMMARY,
        "Ticket": TICKET,
        "Delivery": DELIVERY,
        "Error": ERROR,
    }
    for model in REQUEST_MODELS:
        schema = copy.deepcopy(model.schema(ref_template=REF))  # pydantic caches the dict
        schemas.update(schema.pop("definitions", {}))
        schemas[model.__name__] = schema
    paths: Dict[str, Any] = {
        "/health": {
            "get": _operation("Liveness", PUBLIC, {"200": _json(_obj(status=STRING), "The desk runs.")})
        },
        "/api/openapi.json": {
            "get": _operation("This document", PUBLIC, {"200": _json({"type": "object"}, "OpenAPI 3.")})
        },
        "/console": {
            "get": _operation(
                "The agent console (HTML page)",
                PUBLIC,
                {"200": {"description": "HTML", "content": {"text/html": {"schema": STRING}}}},
            )
        },
        "/console/static/{path}": {
            "get": _operation(
                "The console's scripts and styles",
                PUBLIC,
                {"200": {"description": "A static file", "content": {"*/*": {"schema": STRING}}}},
                parameters=[_path_param("path")],
                errors=(404,),
            )
        },
        "/chat": {
            "get": _operation(
                "The in-app web chat (HTML page an app embeds)",
                PUBLIC,
                {"200": {"description": "HTML", "content": {"text/html": {"schema": STRING}}}},
            )
        },
        "/chat/static/{path}": {
            "get": _operation(
                "The chat page's script and styles",
                PUBLIC,
                {"200": {"description": "A static file", "content": {"*/*": {"schema": STRING}}}},
                parameters=[_path_param("path")],
                errors=(404,),
            )
        },
        "/api/auth/login": {
            "post": _operation(
                "Sign in; sets the HttpOnly, SameSite=Strict session cookie",
                PUBLIC,
                {"200": _json(_obj(agent=_ref("Agent"), expires_at=TIME), "Signed in.")},
                body="LoginRequest",
                errors=(400, 401, 422, 429),
            )
        },
        "/api/auth/logout": {
            "post": _operation(
                "Sign out and clear the cookie", PUBLIC, {"200": _json(_obj(status=STRING), "Signed out.")}
            )
        },
        "/api/auth/me": {
            "get": _operation(
                "The signed-in agent",
                AGENT,
                {"200": _json(_obj(agent=_ref("Agent")), "The agent.")},
                errors=(401,),
            )
        },
        "/api/agents": {
            "get": _operation(
                "Active agents",
                AGENT,
                {"200": _json(_obj(agents=_array("Agent")), "Agents by name.")},
                errors=(401,),
            )
        },
        "/api/tickets": {
            "post": _operation(
                "Open a ticket (201 new, 200 replay of the same Idempotency-Key)",
                SERVICE,
                {"201": _json(_ref("Ticket"), "Created."), "200": _json(_ref("Ticket"), "Replayed.")},
                body="TicketCreate",
                parameters=[IDEMPOTENCY],
                errors=(400, 401, 422),
            ),
            "get": _operation(
                "Tickets by priority, then SLA due",
                EITHER,
                {"200": _json(_obj(tickets=_array("TicketSummary")), "The tickets.")},
                parameters=[
                    _query("status", "comma list of " + ", ".join(STATUSES)),
                    _query("category", "comma list of " + ", ".join(CATEGORIES)),
                    _query("priority", "comma list of " + ", ".join(PRIORITIES)),
                    _query("channel", "comma list of channels"),
                    _query("text", "search in summary, order number, ticket number and transcript"),
                    _query("sender_id", "the tickets of one conversation (exact conversation id)",
                           {"type": "string", "maxLength": 300}),
                    _query("assigned", "me or none", {"type": "string", "enum": ["me", "none"]}),
                    _query("limit", "1–500, default 100", {"type": "integer", "minimum": 1, "maximum": 500}),
                ],
                errors=(400, 401),
            ),
        },
        "/api/tickets/{number}": {
            "get": _operation(
                "One ticket with transcript, photos and rating",
                EITHER,
                {"200": _json(_ref("Ticket"), "The ticket.")},
                parameters=[NUMBER],
                errors=(401, 404),
            )
        },
        "/api/tickets/{number}/claim": _ticket_action("The signed-in agent takes the ticket"),
        "/api/tickets/{number}/assign": _ticket_action(
            "Assign the ticket to an agent (id or email)", "AssignRequest"
        ),
        "/api/tickets/{number}/resolve": _ticket_action("Mark the ticket resolved"),
        "/api/tickets/{number}/handback": _ticket_action("Hand the conversation back to the bot (resolved)"),
        "/api/tickets/{number}/close": _ticket_action("Close a resolved ticket"),
        "/api/tickets/{number}/reply": {
            "post": _operation(
                "The agent answers; queued as a delivery; status waiting_customer",
                AGENT,
                {
                    "201": _json(
                        _obj(message=_ref("Message"), delivery_id={"type": "integer"}, ticket=_ref("Ticket")),
                        "Replied.",
                    )
                },
                body="ReplyCreate",
                parameters=[NUMBER],
                errors=(400, 401, 404, 409, 422),
            )
        },
        "/api/tickets/{number}/messages": {
            "post": _operation(
                "Append a customer/bot/system line to an open ticket (idempotent)",
                SERVICE,
                {
                    "201": _json(_obj(message=_ref("Message"), ticket=_ref("TicketSummary")), "Added."),
                    "200": _json(_obj(message=_ref("Message"), ticket=_ref("TicketSummary")), "Replayed."),
                },
                body="MessageCreate",
                parameters=[NUMBER, IDEMPOTENCY],
                errors=(400, 401, 404, 409, 422),
            )
        },
        "/api/conversations/{sender_id}/open-ticket": {
            "get": _operation(
                "The conversation's open ticket, if any",
                SERVICE,
                {"200": _json(_ref("Ticket"), "An open ticket.")},
                parameters=[_path_param("sender_id")],
                errors=(401, 404),
            )
        },
        "/api/uploads": {
            "post": {
                **_operation(
                    "Upload a photo (JPEG, PNG, WebP; at most 10 MB; re-encoded)",
                    EITHER,
                    {"201": _json(_ref("Attachment"), "Stored.")},
                    errors=(400, 401, 404, 413, 415, 422),
                ),
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": _obj(file={"type": "string", "format": "binary"}, ticket_number=STRING)
                        }
                    },
                },
            }
        },
        "/api/attachments/fetch": {
            "post": _operation(
                "Download a photo from an allowed host (10 MB, 5 s) and store it",
                SERVICE,
                {"201": _json(_ref("Attachment"), "Stored.")},
                body="FetchRequest",
                errors=(400, 401, 404, 413, 415, 422),
            )
        },
        "/api/attachments/{attachment_id}": {
            "get": _operation(
                "The photo",
                EITHER,
                {"200": {"description": "The image", "content": {"image/*": {"schema": BINARY}}}},
                parameters=[ATTACHMENT_ID],
                errors=(401, 404),
            )
        },
        "/api/attachments/{attachment_id}/thumbnail": {
            "get": _operation(
                "The photo's thumbnail (WebP, at most 320 px)",
                EITHER,
                {"200": {"description": "The thumbnail", "content": {"image/webp": {"schema": BINARY}}}},
                parameters=[ATTACHMENT_ID],
                errors=(401, 404),
            )
        },
        "/api/deliveries/pending": {
            "get": _operation(
                "Agent replies not delivered yet, oldest first",
                SERVICE,
                {"200": _json(_obj(deliveries=_array("Delivery")), "Pending rows.")},
                parameters=[
                    _query("limit", "1–500, default 100", {"type": "integer"}),
                    _query("sender_id", "only this customer's deliveries", {"type": "string"}),
                ],
                errors=(400, 401),
            )
        },
        "/api/deliveries/{delivery_id}/delivered": {
            "post": _operation(
                "Mark a reply delivered (repeatable)",
                SERVICE,
                {"200": _json(_ref("Delivery"), "The row.")},
                parameters=[DELIVERY_ID],
                errors=(401, 404),
            )
        },
        "/api/deliveries/{delivery_id}/failed": {
            "post": _operation(
                "Count a failed delivery attempt",
                SERVICE,
                {"200": _json(_ref("Delivery"), "The row.")},
                parameters=[DELIVERY_ID],
                errors=(401, 404),
            )
        },
        "/api/chat/config": {
            "get": _operation(
                "Where the chat page connects (Rasa's socket.io)",
                PUBLIC,
                {"200": _json(_obj(socket_url=STRING, socket_path=STRING), "The settings.")},
            )
        },
        "/api/chat/demo-token": {
            "post": _operation(
                "A chat token for the demo customer (only with CHAT_DEMO_TOKENS=true)",
                PUBLIC,
                {"200": _json(_obj(token=STRING, customer_id=STRING, session_id=STRING), "Issued.")},
                errors=(404, 429),
            )
        },
        "/api/chat/uploads": {
            "post": {
                **_operation(
                    "A photo from the chat's photo button (checked and re-encoded like every upload)",
                    CHAT,
                    {"201": _json(_obj(id=STRING, content_type=STRING), "Stored.")},
                    errors=(400, 401, 413, 415, 422, 429),
                ),
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": _obj(file={"type": "string", "format": "binary"})}},
                },
            }
        },
        "/api/chat/history": {
            "get": _operation(
                "The signed-in customer's conversation so far",
                CHAT,
                {"200": _json(_obj(messages={"type": "array", "items": _obj(author=STRING, text=STRING)}), "Lines.")},
                errors=(401, 429),
            )
        },
        "/api/ratings": {
            "post": _operation(
                "Rate a ticket 1–5 (by number), or the bot's own answer (sender_id alone)",
                SERVICE,
                {
                    "201": _json(RATED, "Stored."),
                    "200": _json(RATED, "Replaced."),
                },
                body="RatingCreate",
                errors=(400, 401, 404, 422),
            )
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Desk API",
            "version": "1.0.0",
            "description": "Tickets, agents and photos of the support desk.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {"Error": _json(_ref("Error"), "An error in the desk's one JSON shape.")},
            "securitySchemes": {
                "serviceToken": {"type": "http", "scheme": "bearer", "description": "DESK_SERVICE_TOKEN"},
                "agentSession": {"type": "apiKey", "in": "cookie", "name": "desk_session"},
                "chatToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                              "description": "the app's signed customer token (CHAT_JWT_SECRET)"},
            },
        },
    }


@bp.get("/openapi.json")
async def openapi_document(_request: Request) -> HTTPResponse:
    """The OpenAPI 3 document of this service."""
    return json(build_document())

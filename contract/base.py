"""The base of every contract model: unknown fields refused, ``null`` documented.

pydantic 1 leaves ``nullable`` out of the JSON schema of an ``Optional`` field;
OpenAPI 3.0 needs it, or a client that checks answers against the document
would refuse a ``null`` the desk rightly sends.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Type

from pydantic import BaseModel, Extra


def _document_nulls(schema: Dict[str, Any], model: Type[BaseModel]) -> None:
    properties = schema.get("properties", {})
    for name, field in model.__fields__.items():
        prop = properties.get(field.alias)
        if prop is None or not field.allow_none:
            continue
        if "$ref" in prop:
            properties[field.alias] = {"allOf": [{"$ref": prop.pop("$ref")}], **prop, "nullable": True}
        else:
            prop["nullable"] = True


class ContractModel(BaseModel):
    """A request or response body: extra fields are an error, nullable fields say so in the schema."""

    class Config:
        extra = Extra.forbid
        schema_extra = staticmethod(_document_nulls)

    def public(self) -> Dict[str, Any]:
        """The body as JSON-ready data (times as ISO 8601 text)."""
        return json.loads(self.json())

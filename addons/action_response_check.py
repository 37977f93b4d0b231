"""Check the action server's answers against Rasa's schema without re-checking the schema itself.

Rasa 3.6 validates every action server response with ``jsonschema.validate``,
which first checks the *schema* against its meta-schema, on every call. Profiled
under load that was over a third of the Rasa server's time. :func:`install`
replaces ``RemoteAction._validate_action_result`` with the same validation by
a validator built once: every response is still checked against the same
schema and a bad one raises the same ``ValidationError`` with Rasa's message.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_validator: Optional[Any] = None
_installed = False


def response_validator() -> Any:
    """The validator of Rasa's action response schema (the schema checked once, here)."""
    global _validator
    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)
        _validator = cls(schema)
    return _validator


def validate_action_result(_action: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Rasa's check of one action server response, with the prepared validator."""
    try:
        response_validator().validate(result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Use the prepared validator in this process; calling it again changes nothing."""
    global _installed
    if not _installed:
        RemoteAction._validate_action_result = validate_action_result  # type: ignore[assignment]
        _installed = True

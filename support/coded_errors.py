"""Errors about bad input that carry a stable, machine-readable code for the answer.

Every boundary (a channel, the action server, the desk) refuses bad input with
a code a client can act on (``empty_message``, ``url_not_allowed`` …) and a
readable message; where the boundary answers over HTTP the error also names
the status.
"""

from __future__ import annotations


class CodedError(ValueError):
    """Bad input: ``code`` names why in one stable word, the message says it in a sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class StatusError(CodedError):
    """Bad input answered with the HTTP ``status`` it carries (400, 413, 422 …)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code, message)
        self.status = status

"""Personal data never reaches a log line: every record is masked with :mod:`support.pii`.

Two pieces, one rule:

* :class:`PiiMaskingFilter`, a :class:`logging.Filter` for handlers: it masks
  the record's final message (``msg % args``), its string extras (Sanic's
  access-log ``request``, …), the exception text and the stack text.
* :func:`install`, which puts the same masking into the process's log-record
  factory, so every record is masked when it is created, whatever handler
  prints it later — Rasa replaces handlers after reading its logging config
  (coloredlogs on the root logger) and Sanic adds its own.

``logging.yml`` builds the filter with ``process_wide: true``, which calls
:func:`install` too; the desk and the action server call :func:`install`
themselves. Rasa's structured (structlog) lines are JSON with ``\\uXXXX``
escapes: they are decoded before masking, so Korean addresses are found too.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any, Callable

from support.pii import mask

_STANDARD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
_MASKED = "_pii_masked"
_EXTRAS_MASKED = "_pii_extras_masked"
_UNICODE_ESCAPES = re.compile(r"(?:\\u[0-9a-fA-F]{4})+")
_install_lock = threading.Lock()
_installed = False


def _decode_escapes(found: "re.Match[str]") -> str:
    run = found.group(0)
    units = [int(run[i + 2 : i + 6], 16) for i in range(0, len(run), 6)]
    if any(unit < 0x80 for unit in units):  # keep escaped control characters as they are
        return run
    raw = b"".join(unit.to_bytes(2, "big") for unit in units)
    return raw.decode("utf-16-be", errors="replace")


def mask_log_text(text: str) -> str:
    """``text`` masked; ``\\uXXXX`` escapes of non-ASCII text (JSON log lines) are decoded first."""
    if "\\u" in text:
        text = _UNICODE_ESCAPES.sub(_decode_escapes, text)
    return mask(text)


def _mask_extras(record: logging.LogRecord) -> None:
    if record.__dict__.get(_EXTRAS_MASKED):
        return
    for key, value in list(record.__dict__.items()):
        if key not in _STANDARD_FIELDS and isinstance(value, str):
            record.__dict__[key] = mask_log_text(value)
    record.__dict__[_EXTRAS_MASKED] = True


def _mask_message(record: logging.LogRecord) -> None:
    if record.__dict__.get(_MASKED):
        return
    try:
        message = logging.LogRecord.getMessage(record)
    except Exception:  # a broken format string: keep what there is, masked
        message = f"{record.msg} {record.args}"
    record.msg = mask_log_text(message)
    record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_log_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_log_text(record.stack_info)
    record.__dict__[_MASKED] = True


def mask_record(record: logging.LogRecord) -> None:
    """Mask ``record`` in place: message and args, exception and stack text, string extras."""
    _mask_message(record)
    _mask_extras(record)


class _MaskedLogRecord(logging.LogRecord):
    """A record masked at creation; its extras (set after creation) are masked when it is formatted."""

    def getMessage(self) -> str:  # noqa: N802 (logging's name)
        """The masked message (the extras are masked on the way)."""
        _mask_extras(self)
        return super().getMessage()


class PiiMaskingFilter(logging.Filter):
    """Masks personal data in every record that passes; never drops a record.

    Args:
        name: as for :class:`logging.Filter`.
        process_wide: also mask every record of the process at creation (:func:`install`).
    """

    def __init__(self, name: str = "", process_wide: bool = False) -> None:
        super().__init__(name)
        if process_wide:
            install()

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask ``record`` in place and let it through."""
        mask_record(record)
        return True


def _masking_factory(previous: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if type(record) is logging.LogRecord:
            record.__class__ = _MaskedLogRecord  # its extras arrive later: masked when formatted
        _mask_message(record)
        return record

    factory.masks_pii = True  # type: ignore[attr-defined]
    return factory


def install() -> None:
    """Mask every log record of this process from now on (idempotent).

    The record factory masks each record as it is created; the root logger's
    handlers also get :class:`PiiMaskingFilter` for records made elsewhere.
    """
    global _installed
    with _install_lock:
        current = logging.getLogRecordFactory()
        if not getattr(current, "masks_pii", False):
            logging.setLogRecordFactory(_masking_factory(current))
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, PiiMaskingFilter) for f in handler.filters):
                handler.addFilter(PiiMaskingFilter())
        _installed = True


def installed() -> bool:
    """Whether :func:`install` has run in this process and its record factory is in place."""
    return _installed and getattr(logging.getLogRecordFactory(), "masks_pii", False)

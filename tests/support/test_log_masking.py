"""Log masking: the filter on a handler, the process-wide install, and logging.yml as Rasa reads it."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap

from pii_samples import MESSAGE as SENTENCE
from pii_samples import assert_masked as _assert_masked
from processes import ROOT

from support.log_masking import PiiMaskingFilter, mask_log_text


def _handler_logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s | %(request)s"))
    handler.addFilter(PiiMaskingFilter())
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, out


def test_the_filter_masks_message_args_and_extras():
    logger, out = _handler_logger("test_log_masking.args")
    logger.info("user said %r", SENTENCE, extra={"request": "GET /conversations/01012345678/tracker"})
    line = out.getvalue()
    _assert_masked(line)
    assert "/conversations/010-****-5678/tracker" in line


def test_the_filter_masks_exceptions():
    logger, out = _handler_logger("test_log_masking.exc")
    try:
        raise ValueError(SENTENCE)
    except ValueError:
        logger.exception("failed", extra={"request": "-"})
    text = out.getvalue()
    assert "Traceback" in text and "ValueError" in text
    _assert_masked(text)


def test_json_log_lines_with_unicode_escapes_are_masked():
    line = json.dumps({"event": "processor.message.parse", "parse_data_text": SENTENCE})
    assert "\\uc11c" in line  # what structlog's JSON renderer writes for 서
    masked = mask_log_text(line)
    _assert_masked(masked)
    assert json.loads(masked)["event"] == "processor.message.parse"


SCRIPT = textwrap.dedent(
    """
    import logging, sys
    from rasa.utils.common import configure_logging_from_file
    from rasa.utils.io import configure_colored_logging

    configure_logging_from_file("logging.yml")   # what --logging-config-file does
    configure_colored_logging("DEBUG")           # what `rasa run` does next: replaces the handler
    logging.getLogger("sanic.root").addHandler(logging.StreamHandler(sys.stdout))  # a handler of its own
    logging.getLogger("rasa.core.processor").debug("Received user message %r", sys.argv[1])
    logging.getLogger("sanic.root").warning("and %s", sys.argv[1])
    """
)


def test_logging_yml_as_rasa_applies_it_masks_every_handler():
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, SENTENCE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout + completed.stderr
    assert output.count("010-****-5678") >= 2, output
    _assert_masked(output)


INSTALL = textwrap.dedent(
    """
    import logging, sys
    from support import log_masking

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    log_masking.install()
    assert log_masking.installed()
    late = logging.StreamHandler(sys.stdout)      # added after install, no filter
    late.setFormatter(logging.Formatter("%(message)s %(request)s"))
    logging.getLogger("sanic.access").addHandler(late)
    logging.getLogger("sanic.access").propagate = False
    logging.getLogger("sanic.access").info("", extra={"request": "POST /conversations/m.kim@example.com/trigger_intent"})
    logging.getLogger("desk").info("%s", sys.argv[1])
    """
)


def test_install_masks_records_for_handlers_added_later():
    completed = subprocess.run(
        [sys.executable, "-c", INSTALL, SENTENCE], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout + completed.stderr
    assert "/conversations/m***@example.com/trigger_intent" in output
    _assert_masked(output)

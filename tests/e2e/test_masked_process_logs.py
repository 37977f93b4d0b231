"""Rasa and the action server started exactly as the Procfile says, at DEBUG: no full personal data in their logs.

Rasa's DEBUG log prints every user message, its parse data and the tracker;
the action server logs the conversation id, which a REST client may choose to
be a phone number. Both logs must show the masks and never the full values.
"""

from __future__ import annotations

import re
import secrets
from typing import Dict

import pytest

from pii_samples import MESSAGE, PHONE, assert_masked, leaks
from processes import CHAT_JWT_SECRET, ROOT, free_port, http_json, wait_http

pytestmark = pytest.mark.e2e

MODEL = ROOT / "models" / "support-bot.tar.gz"


def procfile() -> Dict[str, str]:
    """The Procfile's commands by process name."""
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if re.match(r"^\w+: ", line))


def test_procfile_gives_rasa_the_masking_logging_config():
    rasa = procfile()["rasa"]
    assert "--logging-config-file logging.yml" in rasa
    # logging.yml names support.log_masking: Rasa must start with the repository on sys.path
    assert rasa.startswith(".venv/bin/python -m rasa ")


@pytest.fixture(scope="module")
def debug_stack(processes, desk_server, orders_url, tmp_path_factory):
    """Rasa (with --debug) and the action server (LOG_LEVEL=DEBUG) from the Procfile's own lines."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first (make test does)")
    commands = procfile()
    rasa_port, action_port = free_port(), free_port()
    data_dir = tmp_path_factory.mktemp("log-masking")
    action_token = secrets.token_hex(16)
    common = {"TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1", "ACTION_SERVER_TOKEN": action_token}
    actions = processes.start(
        "masking-actions",
        ["bash", "-c", f"exec {commands['actions']}"],
        {
            **common,
            "LOG_LEVEL": "DEBUG",
            "ACTION_PORT": str(action_port),
            "DESK_URL": desk_server["url"],
            "DESK_SERVICE_TOKEN": desk_server["token"],
            "ORDERS_DATABASE_URL": orders_url,
            "CHAT_JWT_SECRET": CHAT_JWT_SECRET,
            "TICKET_OUTBOX_DB": str(data_dir / "outbox.db"),
        },
    )
    rasa = processes.start(
        "masking-rasa",
        ["bash", "-c", f"exec {commands['rasa']} --debug"],
        {
            **common,
            "RASA_PORT": str(rasa_port),
            "RASA_MODEL": str(MODEL),
            "RASA_TOKEN": secrets.token_hex(16),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            "RASA_TRACKER_DB": str(data_dir / "tracker.db"),
            "CHAT_JWT_SECRET": CHAT_JWT_SECRET,
        },
    )
    try:
        wait_http(f"http://127.0.0.1:{action_port}/health", 120, actions)
        wait_http(f"http://127.0.0.1:{rasa_port}/", 240, rasa)
    except Exception:
        print(processes.log("masking-actions")[-5000:], processes.log("masking-rasa")[-5000:])
        raise
    yield {"rasa_url": f"http://127.0.0.1:{rasa_port}", "desk_url": desk_server["url"], "token": desk_server["token"]}
    processes.stop("masking-rasa")
    processes.stop("masking-actions")


def say(stack, sender: str, text: str) -> str:
    status, answers = http_json("POST", f"{stack['rasa_url']}/webhooks/rest/webhook", {"sender": sender, "message": text})
    assert status == 200 and answers, answers
    return " ".join(answer.get("text", "") for answer in answers)


def test_personal_data_is_masked_in_the_debug_logs_of_rasa_and_the_action_server(debug_stack, processes):
    sender = PHONE  # a REST client may use the customer's phone number as the conversation id
    say(debug_stack, sender, MESSAGE)
    reply = say(debug_stack, sender, "상담원 연결해 주세요")
    assert re.search(r"T-\d{8}-\d{4}", reply), reply
    say(debug_stack, sender, f"추가로 알려 드려요. {MESSAGE}")  # relayed to the open ticket

    rasa_log = processes.log("masking-rasa")
    action_log = processes.log("masking-actions")
    assert "processor.message.parse" in rasa_log  # DEBUG is on: the message texts are logged...
    assert_masked(rasa_log)  # ...masked
    assert leaks(action_log) == []
    assert "010-****-5678" in action_log  # the conversation id, masked
    assert leaks(processes.log("desk")) == []

    number = re.search(r"T-\d{8}-\d{4}", reply).group(0)
    status, ticket = http_json(
        "GET", f"{debug_stack['desk_url']}/api/tickets/{number}", headers={"Authorization": f"Bearer {debug_stack['token']}"}
    )
    assert status == 200
    texts = " ".join(line["text"] for line in ticket["transcript"])
    assert "추가로 알려 드려요. 제 번호 010-****-5678" in texts
    assert ticket["sender_id"] == "rest:010-****-5678"
    assert leaks(str(ticket)) == []


def test_a_phone_number_as_conversation_id_is_masked_in_rasas_log(debug_stack, processes):
    say(debug_stack, "01098765432", "안녕하세요")
    log = processes.log("masking-rasa")
    assert "01098765432" not in log and "010-9876-5432" not in log
    assert "010-****-5432" in log

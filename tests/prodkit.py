"""The production profile in tests, started from the repository's own files.

A private PostgreSQL cluster and a private Redis on free ports (so a test can
kill and restart them without touching the machine's services), then every
line of ``deploy/Procfile.prod`` (HAProxy, two Rasa servers, two action
servers, the desk) with ``deploy/prod.env`` and the test's ports and secrets.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from private_servers import PrivatePostgres, PrivateRedis
from processes import (
    ACTION_SERVER_TOKEN, CHAT_JWT_SECRET, DEMO_AGENT, KAKAO_SKILL_SECRET, REST_SERVICE_TOKEN, ROOT, Processes, free_port,
    http_json, tickets_of_sender, wait_http,
)


def read_env_file(path: Path) -> Dict[str, str]:
    """``KEY=VALUE`` lines of an env file (comments and blanks skipped)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def read_procfile(path: Path) -> List[Tuple[str, str]]:
    """``(name, command)`` of each line of a Procfile."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries.append((name.strip(), command.strip()))
    return entries


class ProdStack:
    """The production profile's processes, from ``deploy/Procfile.prod``."""

    def __init__(self, processes: Processes, env: Dict[str, str]) -> None:
        self.processes = processes
        self.env = env
        self.commands = dict(read_procfile(ROOT / "deploy" / "Procfile.prod"))

    def start(self, name: str) -> subprocess.Popen:
        """Start one Procfile entry (``rasa1``, ``actions2``, ``desk``, ``lb`` ...)."""
        return self.processes.start(name, ["bash", "-c", "exec " + self.commands[name]], self.env)

    def stop(self, name: str) -> None:
        """Stop one entry (SIGTERM, then SIGKILL)."""
        self.processes.stop(name)

    def kill(self, name: str) -> None:
        """Kill one entry at once (SIGKILL), as a crash would."""
        self.processes.kill(name)

    def port(self, name: str) -> int:
        """The port of an entry."""
        key = {"rasa1": "RASA_1_PORT", "rasa2": "RASA_2_PORT", "actions1": "ACTION_1_PORT",
               "actions2": "ACTION_2_PORT", "desk": "DESK_PORT", "lb": "LB_PORT", "actions_lb": "ACTION_LB_PORT",
               "private": "RASA_PRIVATE_PORT"}[name]
        return int(self.env[key])

    def wait_ready(self, name: str, timeout: float = 300) -> None:
        """Wait until an entry answers its health check.

        ``actions_lb`` is HAProxy's frontend for the action servers: it answers 200 once HAProxy's
        own health checks count at least one action server as up again.
        """
        process = self.processes.children.get(name if name not in ("actions_lb", "private") else "lb")
        path = {"rasa1": "/", "rasa2": "/", "actions1": "/health", "actions2": "/health", "desk": "/health",
                "lb": "/", "actions_lb": "/health", "private": "/"}[name]
        wait_http(f"http://127.0.0.1:{self.port(name)}{path}", timeout, process)

    @property
    def url(self) -> str:
        """The public address (HAProxy): the channels' webhooks and socket.io only."""
        return f"http://127.0.0.1:{self.env['LB_PORT']}"

    @property
    def api_url(self) -> str:
        """HAProxy's private frontend to Rasa's whole HTTP API (the desk's and operators' address)."""
        return f"http://127.0.0.1:{self.env['RASA_PRIVATE_PORT']}"

    def tracker(self, conversation: str, query: str = "") -> dict:
        """Rasa's tracker of ``conversation``, read through the private frontend."""
        from support.conversation_ids import path_segment

        status, tracker = http_json(
            "GET", f"{self.api_url}/conversations/{path_segment(conversation)}/tracker?token={self.env['RASA_TOKEN']}"
            f"{query}")
        assert status == 200, tracker
        return tracker

    @property
    def desk_url(self) -> str:
        """The desk's address."""
        return self.env["DESK_URL"]


def prod_env(pg: PrivatePostgres, redis: PrivateRedis, work: Path, extra: Dict[str, str]) -> Dict[str, str]:
    """``deploy/prod.env`` with free ports, the private servers and the test's secrets."""
    env = read_env_file(ROOT / "deploy" / "prod.env")
    ports = {key: str(free_port()) for key in ("LB_PORT", "RASA_1_PORT", "RASA_2_PORT", "ACTION_LB_PORT",
                                               "ACTION_1_PORT", "ACTION_2_PORT", "DESK_PORT", "RASA_PRIVATE_PORT")}
    env.update(ports)
    env.update({
        "DATA_DIR": str(work),
        "DESK_STORAGE_DIR": str(work / "uploads"),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['ACTION_LB_PORT']}/webhook",
        "DESK_URL": f"http://127.0.0.1:{ports['DESK_PORT']}",
        "RASA_URL": f"http://127.0.0.1:{ports['RASA_PRIVATE_PORT']}",
        "CHAT_SOCKET_URL": f"http://127.0.0.1:{ports['LB_PORT']}",
        "PG_PORT": str(pg.port),
        "DATABASE_URL": f"{pg.url}/supportbot_desk",
        "ORDERS_DATABASE_URL": f"{pg.url}/supportbot_orders",
        "TICKET_OUTBOX_URL": f"{pg.url}/supportbot_actions",
        "REDIS_PORT": str(redis.port),
        "CHANNEL_REDIS_URL": f"redis://127.0.0.1:{redis.port}/2",
        "DESK_SERVICE_TOKEN": "prod-test-service-token-0123456789",
        "DESK_DEMO_AGENT_PASSWORD": DEMO_AGENT["password"],
        "RASA_TOKEN": "prod-test-rasa-token-0123456789",
        "CHAT_JWT_SECRET": CHAT_JWT_SECRET,
        "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
        "KAKAO_SKILL_SECRET": KAKAO_SKILL_SECRET,
        "REST_SERVICE_TOKEN": REST_SERVICE_TOKEN,
        **extra,
    })
    return env


def prepare(env: Dict[str, str]) -> None:
    """Run the profile's own preparation script (databases, migrations, demo orders)."""
    completed = subprocess.run(["bash", "scripts/prod-prepare.sh"], cwd=ROOT, env={**os.environ, **env},
                               capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"prod-prepare.sh failed: {completed.stdout}\n{completed.stderr}")


def say(
    base_url: str, sender: str, text: str, timeout: float = 90, token: Optional[str] = REST_SERVICE_TOKEN
) -> Tuple[int, List[dict], str]:
    """One REST webhook turn as the app's backend sends it (``token``: the REST service token):
    ``(status, bot messages, the Rasa server that answered)``."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"{base_url}/webhooks/rest/webhook", data=json.dumps({"sender": sender, "message": text}).encode(),
        method="POST", headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"[]"), response.headers.get("X-Served-By", "")
    except urllib.error.HTTPError as error:
        return error.code, [], error.headers.get("X-Served-By", "")


def texts(messages: List[dict]) -> str:
    """The bot's texts of one turn, joined."""
    return "\n".join(m.get("text") or "" for m in messages)


def new_sender(tag: str) -> str:
    """A fresh REST sender (its conversation is ``rest:<sender>``)."""
    return f"prod-{tag}-{uuid.uuid4().hex[:8]}"


def tickets_of(prod: ProdStack, sender: str) -> List[dict]:
    """Every ticket of the REST ``sender`` the desk holds."""
    return tickets_of_sender(prod.desk_url, prod.env["DESK_SERVICE_TOKEN"], f"rest:{sender}")


def ticket_detail(prod: ProdStack, number: str) -> dict:
    """One ticket with its transcript."""
    status, body = http_json("GET", f"{prod.desk_url}/api/tickets/{number}",
                             headers={"Authorization": f"Bearer {prod.env['DESK_SERVICE_TOKEN']}"})
    assert status == 200, body
    return body

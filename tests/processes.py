"""Start the project's real processes for tests, and stop every one of them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# the agent the test desk creates at start
DEMO_AGENT = {"email": "agent@example.com", "password": "test-agent-password"}
# signs the in-app chat's customer tokens (desk) and verifies them (action server)
CHAT_JWT_SECRET = "test-chat-jwt-secret-0123456789abcdef"
# Rasa sends it to the action server, which refuses calls without it
ACTION_SERVER_TOKEN = "test-action-server-token-0123456789"
# the X-Skill-Secret header KakaoTalk sends with every skill request
KAKAO_SKILL_SECRET = "test-kakao-skill-secret-0123456789"
# Messenger's secrets in the test session (the channel reads them from the environment).
MESSENGER_ENV = {
    "FB_APP_SECRET": "test-app-secret-0123456789",
    "FB_VERIFY_TOKEN": "test-verify-token",
    "FB_PAGE_ACCESS_TOKEN": "test-page-access-token",
}
# an app backend's credential for the REST channel (its conversations then count failed checks each on their own)
REST_SERVICE_TOKEN = "test-rest-service-token-0123456789"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float, process: Optional[subprocess.Popen] = None) -> None:
    """Wait until ``url`` answers 200, or fail with the process's state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


class Processes:
    """A set of child processes, each in its own process group, logs in files."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.children: Dict[str, subprocess.Popen] = {}
        self.commands: Dict[str, tuple] = {}

    def start(self, name: str, args: List[str], env: Dict[str, str]) -> subprocess.Popen:
        """Start ``args`` with ``env`` added to the environment."""
        log = open(self.log_dir / f"{name}.log", "ab")
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children[name] = process
        self.commands[name] = (args, env)
        return process

    def restart(self, name: str) -> subprocess.Popen:
        """Start child ``name`` again with the arguments and environment it was first started with."""
        self.stop(name)
        args, env = self.commands[name]
        return self.start(name, args, env)

    def kill(self, name: str) -> None:
        """Kill child ``name`` and its group at once (SIGKILL), as a crash would."""
        process = self.children.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def log(self, name: str) -> str:
        """The output of child ``name`` so far."""
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def stop(self, name: str, timeout: float = 15) -> None:
        """Stop one child: SIGTERM to its group, SIGKILL if it lingers."""
        process = self.children.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def stop_all(self) -> None:
        """Stop every child still running."""
        for name in list(self.children):
            self.stop(name)


def http_json(method: str, url: str, body=None, headers: Optional[Dict[str, str]] = None):
    """Send a JSON request; returns ``(status, decoded JSON body or None)``."""
    import json

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


def tickets_of_sender(desk_url: str, token: str, sender: str) -> list:
    """Every ticket of conversation ``sender`` at the desk (``GET /api/tickets?sender_id=``)."""
    from urllib.parse import quote

    status, body = http_json("GET", f"{desk_url}/api/tickets?sender_id={quote(sender)}",
                             headers={"Authorization": f"Bearer {token}"})
    assert status == 200, body
    return body["tickets"]


def tracker_events(rasa_url: str, rasa_token: str, conversation: str) -> list:
    """The events Rasa holds for ``conversation`` (read through its API, the id in the path as it is)."""
    from support.conversation_ids import path_segment

    status, tracker = http_json("GET", f"{rasa_url}/conversations/{path_segment(conversation)}/tracker?token={rasa_token}")
    return (tracker.get("events") or []) if status == 200 and isinstance(tracker, dict) else []


def turn_finished(rasa_url: str, rasa_token: str, sender: str) -> bool:
    """Whether Rasa has stored a finished turn of ``sender`` (a customer message, then ``action_listen``).

    Push channels (Messenger) are answered before the turn runs; Rasa stores the tracker
    after the turn's messages went out, so once this holds every answer has been sent.
    """
    events = tracker_events(rasa_url, rasa_token, sender)
    actions = [event for event in events if event.get("event") == "action"]
    return any(event.get("event") == "user" for event in events) and bool(actions) and (
        actions[-1].get("name") == "action_listen"
    )


def queued_tickets(outbox_url: str, sender: str) -> List[Optional[str]]:
    """The sender's rows in the action servers' ticket outbox: each one's ticket number, None while queued.

    ``outbox_url`` is a synchronous SQLAlchemy URL (``sqlite:///…``, ``postgresql://…``).
    """
    import sqlalchemy

    engine = sqlalchemy.create_engine(outbox_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text("SELECT ticket_number FROM pending_tickets WHERE sender_id = :sender"),
                {"sender": sender},
            ).all()
    finally:
        engine.dispose()
    return [row[0] for row in rows]


def wait_until_sent(outbox_url: str, sender: str, timeout: float = 60) -> List[str]:
    """Wait until every queued ticket of ``sender`` has reached the desk (no action server sends it again
    after that); returns their numbers."""
    deadline = time.monotonic() + timeout
    while True:
        numbers = queued_tickets(outbox_url, sender)
        if numbers and all(numbers):
            return numbers  # type: ignore[return-value]
        assert time.monotonic() < deadline, (
            f"the outbox still holds the ticket of {sender}: {numbers}" if numbers
            else f"the outbox never held a ticket of {sender} (a conversation id such as rest:<sender>?)"
        )
        time.sleep(0.2)


def start_desk(
    processes: "Processes", data_dir: Path, token: str, agent: Dict[str, str], env: Optional[Dict[str, str]] = None
) -> Dict[str, str]:
    """A real ``python -m desk serve`` on a free port, its SQLite file and photos in ``data_dir``.

    ``agent`` (``email``, ``password``) is the demo agent it creates; ``env`` adds or replaces
    settings. Returns ``{"url", "name"}`` (``name`` for ``processes.log``/``stop``); a desk that
    does not come up fails with its log printed.
    """
    port = free_port()
    name = f"desk-{data_dir.name}-{port}"
    settings = {
        "DESK_PORT": str(port),
        "DESK_SERVICE_TOKEN": token,
        "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'desk.db'}",
        "DESK_STORAGE_DIR": str(data_dir / "uploads"),
        "DESK_DEMO_AGENT_EMAIL": agent["email"],
        "DESK_DEMO_AGENT_PASSWORD": agent["password"],
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    process = processes.start(name, [str(BIN / "python"), "-m", "desk", "serve"], settings)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/health", 60, process)
    except Exception:
        print(processes.log(name))
        raise
    return {"url": url, "name": name}

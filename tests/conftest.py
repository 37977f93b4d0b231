"""Shared fixtures: a migrated desk database, a running desk, the full stack, the production profile."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator

import pytest

from processes import (
    ACTION_SERVER_TOKEN, BIN, CHAT_JWT_SECRET, DEMO_AGENT, KAKAO_SKILL_SECRET, MESSENGER_ENV, REST_SERVICE_TOKEN, ROOT,
    Processes, free_port, wait_http,
)

if TYPE_CHECKING:
    from private_servers import PrivatePostgres, PrivateRedis

MODEL = Path(os.environ.get("RASA_MODEL", ROOT / "models" / "support-bot.tar.gz"))


@pytest.fixture(scope="session")
def service_token() -> str:
    """A fresh service token for the test session."""
    return secrets.token_hex(16)


@pytest.fixture(scope="session")
def processes(tmp_path_factory) -> Iterator[Processes]:
    """Every process the session starts; all are stopped at the end."""
    group = Processes(tmp_path_factory.mktemp("logs"))
    yield group
    group.stop_all()


def _running(server):
    """Start ``server``, hand it over, and stop it afterwards whatever happened."""
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator["PrivatePostgres"]:
    """A PostgreSQL server of the session's own (never the machine's), started on first use."""
    from private_servers import PrivatePostgres

    yield from _running(PrivatePostgres())


@pytest.fixture
def postgres_url(postgres) -> Iterator[str]:
    """A fresh, empty database on the session's PostgreSQL: its ``postgresql+asyncpg://`` URL."""
    name = postgres.create_database()
    yield f"{postgres.url}/{name}"
    postgres.drop_database(name)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator["PrivateRedis"]:
    """A Redis server of the session's own (never the machine's), started on first use."""
    from private_servers import PrivateRedis

    yield from _running(PrivateRedis(tmp_path_factory.mktemp("redis")))


@pytest.fixture
def redis_url(redis_server) -> Iterator[str]:
    """The session's Redis, emptied after the test."""
    yield redis_server.url
    import redis

    client = redis.Redis(host="127.0.0.1", port=redis_server.port)
    client.flushall()
    client.close()


@pytest.fixture(scope="session")
def rasa_port() -> int:
    """The port the session's Rasa server will listen on (the desk pushes replies there)."""
    return free_port()


@pytest.fixture(scope="session")
def rasa_token() -> str:
    """The token of Rasa's HTTP API for the test session."""
    return secrets.token_hex(16)


@pytest.fixture(scope="session")
def desk_server(processes, tmp_path_factory, service_token, rasa_port, rasa_token) -> Dict[str, str]:
    """A real desk process on a free port with its own SQLite file and a demo agent."""
    port = free_port()
    data_dir = tmp_path_factory.mktemp("desk")
    env = {
        "DESK_PORT": str(port),
        "DESK_SERVICE_TOKEN": service_token,
        "DESK_DEMO_AGENT_EMAIL": DEMO_AGENT["email"],
        "DESK_DEMO_AGENT_PASSWORD": DEMO_AGENT["password"],
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "RASA_TOKEN": rasa_token,
        "CHAT_JWT_SECRET": CHAT_JWT_SECRET,
        "CHAT_SOCKET_URL": f"http://127.0.0.1:{rasa_port}",
        "CHAT_DEMO_TOKENS": "true",
        "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / 'desk.db'}",
        "DESK_STORAGE_DIR": str(data_dir / "uploads"),
    }
    process = processes.start("desk", [str(BIN / "python"), "-m", "desk", "serve"], env)
    url = f"http://127.0.0.1:{port}"
    wait_http(f"{url}/health", 60, process)
    return {"url": url, "token": service_token}


@pytest.fixture(scope="session")
def orders_url(tmp_path_factory) -> str:
    """A SQLite order database holding the shipped demo orders."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('orders') / 'orders.db'}"
    completed = subprocess.run(
        [str(BIN / "python"), "-m", "orders.seed", "--database-url", url], cwd=ROOT, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    return url


class GraphStandIn:
    """A local stand-in for Meta's Graph API: records every request, answers 200, or what
    :attr:`scripted` holds for a recipient (``(status, body)`` answers, used up in order)."""

    def __init__(self) -> None:
        import http.server
        import json
        import threading

        self.requests = []
        self.scripted: Dict[str, list] = {}
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    parsed = json.loads(body or b"null")
                except ValueError:
                    parsed = body.decode(errors="replace")
                recipient = ((parsed.get("recipient") or {}).get("id") if isinstance(parsed, dict) else None) or ""
                answers = recorder.scripted.get(recipient) or []
                status, answer = answers.pop(0) if answers else (200, {"recipient_id": "1", "message_id": "m"})
                recorder.requests.append({"path": self.path, "body": parsed, "status": status})
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def graph_api() -> Iterator[GraphStandIn]:
    """The Graph API stand-in the Messenger channel sends its answers to."""
    stand_in = GraphStandIn()
    yield stand_in
    stand_in.close()




@pytest.fixture(scope="session")
def credentials_file(tmp_path_factory) -> Path:
    """The repository's credentials.yml, with KakaoTalk callbacks testable on 127.0.0.1.

    Every skill request that carries a callbackUrl is answered with useCallback
    (threshold 0.01 s), and http://127.0.0.1 callback URLs are allowed; requests
    without a callbackUrl behave exactly as configured.
    """
    import yaml

    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    kakao = credentials["channels.kakao.KakaoInput"]
    kakao.update(callback_after_seconds=0.01, allow_insecure_callback=True)
    path = tmp_path_factory.mktemp("credentials") / "credentials.yml"
    path.write_text(yaml.safe_dump(credentials, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def stack(
    processes, desk_server, orders_url, tmp_path_factory, service_token, rasa_port, rasa_token, graph_api,
    credentials_file,
) -> Dict[str, str]:
    """Rasa, the action server and the desk, started once per test session."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first (make test does)")
    action_port = free_port()
    data_dir = tmp_path_factory.mktemp("rasa")
    common = {"TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
    actions = processes.start(
        "actions",
        [str(BIN / "python"), "-m", "actions.server"],
        {
            **common,
            "ACTION_PORT": str(action_port),
            "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
            "DESK_URL": desk_server["url"],
            "DESK_SERVICE_TOKEN": service_token,
            "ORDERS_DATABASE_URL": orders_url,
            "CHAT_JWT_SECRET": CHAT_JWT_SECRET,
            "TICKET_OUTBOX_DB": str(data_dir / "actions.db"),
        },
    )
    rasa = processes.start(
        "rasa",
        [
            str(BIN / "rasa"), "run", "--port", str(rasa_port), "--model", str(MODEL),
            "--endpoints", "endpoints.yml", "--credentials", str(credentials_file),
            "--enable-api", "--auth-token", rasa_token,
        ],
        {
            **common,
            **MESSENGER_ENV,
            "FB_GRAPH_API_URL": graph_api.url,
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
            "ACTION_CALL_TIMEOUT": "8",
            "RASA_TRACKER_DB": str(data_dir / "tracker.db"),
            "CHAT_JWT_SECRET": CHAT_JWT_SECRET,
            "KAKAO_SKILL_SECRET": KAKAO_SKILL_SECRET,
            "REST_SERVICE_TOKEN": REST_SERVICE_TOKEN,
            # as behind HAProxy: tests name a customer's address with X-Forwarded-For
            "CHANNEL_TRUSTED_PROXIES": "127.0.0.1",
        },
    )
    wait_http(f"http://127.0.0.1:{action_port}/health", 120, actions)
    wait_http(f"http://127.0.0.1:{rasa_port}/", 240, rasa)
    return {
        "rasa_url": f"http://127.0.0.1:{rasa_port}",
        "action_url": f"http://127.0.0.1:{action_port}",
        "desk_url": desk_server["url"],
        "token": service_token,
        "rasa_token": rasa_token,
        "outbox_url": f"sqlite:///{data_dir / 'actions.db'}",
    }


# Messenger's secrets in the production profile's tests (the channel reads them from the environment)
PROD_MESSENGER_ENV = {
    "FB_APP_SECRET": "prod-test-app-secret-0123456789",
    "FB_VERIFY_TOKEN": "prod-test-verify-token",
    "FB_PAGE_ACCESS_TOKEN": "prod-test-page-access-token",
}


def pytest_collection_modifyitems(items) -> None:
    """A test that uses the production profile (the ``prod`` fixture, or in tests/production) is a production test."""
    production = str(Path(__file__).parent / "production")
    for item in items:
        if "prod" in getattr(item, "fixturenames", ()) or str(item.fspath).startswith(production):
            item.add_marker(pytest.mark.production)


@pytest.fixture(scope="session")
def prod(tmp_path_factory, graph_api):
    """HAProxy, two Rasa servers, two action servers and the desk on a private PostgreSQL and Redis."""
    from private_servers import PrivatePostgres, PrivateRedis
    from prodkit import ProdStack, prepare, prod_env

    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first (make test does)")
    work = tmp_path_factory.mktemp("prod")
    group = Processes(tmp_path_factory.mktemp("prod-logs"))
    pg = PrivatePostgres()
    redis = PrivateRedis(group.log_dir)
    try:
        pg.start()
        redis.start()
        env = prod_env(pg, redis, work, {**PROD_MESSENGER_ENV, "FB_GRAPH_API_URL": graph_api.url,
                                         "LB_RATE_LIMIT": os.environ.get("PROD_TEST_RATE_LIMIT", "100000")})
        prepare(env)
        stack = ProdStack(group, env)
        stack.pg, stack.redis = pg, redis
        for name in ("lb", "desk", "actions1", "actions2", "rasa1", "rasa2"):
            stack.start(name)
        for name in ("desk", "actions1", "actions2", "rasa1", "rasa2", "lb", "private"):
            stack.wait_ready(name)
        # HAProxy's socket.io backend has its own health checks: wait until it has servers too
        wait_http(f"{stack.url}/socket.io/?EIO=4&transport=polling", 60)
        yield stack
    finally:
        group.stop_all()
        redis.close()
        pg.close()

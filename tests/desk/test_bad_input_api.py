"""Bad input on every route of the desk's OpenAPI document: a clear 4xx, never a 500, nothing half-written.

The routes come from ``desk.openapi.build_document(app)``, so a new route is covered
(or this module fails until it gets a valid example body). Each case is sent to a
real app on a fresh SQLite copy with a ticket, a photo, a delivery, an agent and a
chat token in place; after every refused request the row count of every table and
the photo folder are unchanged. The values a database cannot store (NUL, integers
beyond 64 bits) are also sent to the desk on the session's own PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from sanic import Sanic

from bad_input import MALFORMED_JSON, UNSTORABLE_VALUES, WRONG_TYPES, bad_images, picture
from desk.app import create_app
from desk.notify.mail_settings import MailSettings
from desk.attachments.images import MAX_BYTES
from desk.openapi import build_document
from desk.ratelimit import Rate, RateLimitSettings
from deskkit import AGENT_EMAIL, TICKET, make_agent, sign_in, unstarted_desk
from support.customer_tokens import issue

CHAT_SECRET = "bad-input-chat-secret-0123456789"
NO_LIMITS = RateLimitSettings(login_ip=Rate(0, 1), login_account=Rate(0, 1), chat=Rate(0, 1), uploads=Rate(0, 1))
TABLES = ("tickets", "ticket_messages", "ticket_counters", "agents", "agent_sessions", "attachments", "deliveries",
          "ratings", "notifications")
DOCUMENT = build_document(unstarted_desk())


def operations(with_body: Optional[bool] = None) -> List[Tuple[str, str]]:
    """``(method, path)`` of every documented operation (only those with a JSON body, or without)."""
    found = []
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            has_json = "application/json" in operation.get("requestBody", {}).get("content", {})
            if with_body is None or has_json == with_body:
                found.append((method.upper(), path))
    return found


JSON_OPERATIONS = operations(with_body=True)
OPERATION_IDS = [f"{method} {path}" for method, path in JSON_OPERATIONS]


class World:
    """A desk app with one of everything, and what it takes to call each route."""

    def __init__(self, app: Sanic, database_url: str) -> None:
        self.app = app
        self.database_url = database_url
        self.storage = app.ctx.settings.storage_dir
        self.ids: Dict[str, Any] = {}
        self.headers: Dict[str, Dict[str, str]] = {}

    async def populate(self) -> None:
        """Make the agent, ticket, photo, delivery and tokens the routes will name."""
        self.ids["agent"] = await make_agent(self.database_url)
        service = {"Authorization": f"Bearer {self.app.ctx.settings.service_token}"}
        self.headers = {
            "serviceToken": service,
            "agentSession": await sign_in(self.app),
            "chatToken": {"Authorization": f"Bearer {issue(CHAT_SECRET, 'cust-bad')}"},
        }
        _, ticket = await self.app.asgi_client.post(
            "/api/tickets", json=TICKET, headers={**service, "Idempotency-Key": "world"}
        )
        assert ticket.status == 201, ticket.text
        self.ids["number"] = ticket.json["number"]
        self.ids["sender_id"] = TICKET["sender_id"]
        _, photo = await self.app.asgi_client.post(
            "/api/uploads", files={"file": ("p.png", picture("PNG"), "image/png")}, headers=service
        )
        assert photo.status == 201, photo.text
        self.ids["attachment_id"] = photo.json["id"]
        _, reply = await self.app.asgi_client.post(
            f"/api/tickets/{self.ids['number']}/reply", json={"text": "확인할게요"}, headers=self.headers["agentSession"]
        )
        assert reply.status == 201, reply.text
        self.ids["delivery_id"] = reply.json["delivery_id"]
        self.ids["path"] = "console.js"

    def url(self, path: str) -> str:
        """``path`` with its parameters naming the world's objects."""
        for name, value in self.ids.items():
            path = path.replace("{" + name + "}", str(value))
        return path

    def auth(self, method: str, path: str) -> Dict[str, str]:
        """The headers the operation's ``security`` asks for (the first scheme)."""
        security = DOCUMENT["paths"][path][method.lower()].get("security") or []
        for requirement in security:
            for scheme in requirement:
                return dict(self.headers[scheme])
        return {}

    def valid_body(self, method: str, path: str) -> Dict[str, Any]:
        """A body the operation accepts."""
        bodies = {
            ("POST", "/api/auth/login"): {"email": AGENT_EMAIL, "password": "not-the-password"},
            ("POST", "/api/tickets"): dict(TICKET),
            ("POST", "/api/tickets/{number}/assign"): {"agent": self.ids["agent"]},
            ("POST", "/api/tickets/{number}/reply"): {"text": "곧 연락드릴게요"},
            ("POST", "/api/tickets/{number}/messages"): {"author": "customer", "text": "아직이에요"},
            ("POST", "/api/tickets/{number}/email"): {"email": "kim@example.com"},
            ("POST", "/api/attachments/fetch"): {"url": "http://127.0.0.1:9/photo.jpg"},
            ("POST", "/api/ratings"): {"ticket_number": self.ids["number"], "rating": 4, "comment": "친절해요"},
        }
        return json.loads(json.dumps(bodies[(method, path)]))

    def counts(self) -> Dict[str, int]:
        """Rows per table."""
        if self.database_url.startswith("sqlite"):
            connection = sqlite3.connect(self.database_url.split("///", 1)[1])
        else:
            import psycopg2

            connection = psycopg2.connect(self.database_url.replace("postgresql+asyncpg", "postgresql"))
        try:
            cursor = connection.cursor()
            counts = {}
            for table in TABLES:
                cursor.execute(f"SELECT count(*) FROM {table}")
                counts[table] = cursor.fetchone()[0]
            return counts
        finally:
            connection.close()

    def files(self) -> List[str]:
        """Every file in the photo folder (temporary ones too)."""
        return sorted(p.name for p in self.storage.iterdir()) if self.storage.exists() else []

    async def send(self, method: str, path: str, content: bytes, headers: Optional[Dict[str, str]] = None,
                   content_type: str = "application/json"):
        """``content`` to the operation, with its credentials and an idempotency key."""
        all_headers = {
            "Content-Type": content_type,
            "Idempotency-Key": uuid.uuid4().hex,
            **self.auth(method, path),
            **(headers or {}),
        }
        encoded = {key: value.encode("utf-8") if not value.isascii() else value for key, value in all_headers.items()}
        _, response = await self.app.asgi_client.request(method, self.url(path), content=content, headers=encoded)
        return response


def refused(response, *statuses: int) -> Optional[str]:
    """None when ``response`` is one of ``statuses`` (any 4xx if none) in the desk's error shape; else why not."""
    ok_status = response.status in statuses if statuses else 400 <= response.status < 500
    try:
        code = response.json["error"]["code"]
    except Exception:  # noqa: BLE001 - reported below
        code = None
    if ok_status and code:
        return None
    return f"{response.status} {response.text[:200]}"


def make_app(settings, tmp_path) -> Sanic:
    settings = dataclasses.replace(
        settings, chat_jwt_secret=CHAT_SECRET, chat_demo_tokens=True, rate_limits=NO_LIMITS,
        fetch_allowed_hosts=("127.0.0.1",),
        # e-mail on (nothing listens on port 9: the mailer's tries fail in the background, logged)
        mail=MailSettings(host="127.0.0.1", port=9, sender="cs@desk.example", starttls=False, timeout=1),
    )
    return create_app(settings, name=f"bad_{tmp_path.name}_{uuid.uuid4().hex[:6]}")


@pytest.fixture
async def world(settings, tmp_path) -> World:
    world = World(make_app(settings, tmp_path), settings.database_url)
    await world.populate()
    return world


# --- JSON bodies ------------------------------------------------------------------------------


def test_every_json_route_has_a_valid_example():
    """A new route with a JSON body must get an example in World.valid_body (and so is covered here)."""
    world = World.__new__(World)
    world.ids = {"agent": 1, "number": "T-1"}
    for method, path in JSON_OPERATIONS:
        assert world.valid_body(method, path)


@pytest.mark.parametrize("method, path", JSON_OPERATIONS, ids=OPERATION_IDS)
async def test_malformed_json_is_a_400_and_writes_nothing(world, method, path):
    before, files = world.counts(), world.files()
    problems = []
    for name, raw in MALFORMED_JSON:
        response = await world.send(method, path, raw)
        why = refused(response, 400)
        if why is None and response.json["error"]["code"] != "malformed_json":
            why = f"code {response.json['error']['code']}"
        if why:
            problems.append(f"{name}: {why}")
    assert problems == []
    assert world.counts() == before and world.files() == files


@pytest.mark.parametrize("method, path", JSON_OPERATIONS, ids=OPERATION_IDS)
async def test_wrong_types_missing_and_unknown_fields_are_refused(world, method, path):
    """Each field replaced by each wrong value, each field left out, one field too many: 4xx or accepted, never 5xx."""
    valid = world.valid_body(method, path)
    bodies: List[Tuple[str, Dict[str, Any]]] = [("unknown-field", {**valid, "is_admin": True}), ("empty", {})]
    for field in valid:
        bodies.append((f"{field}-missing", {k: v for k, v in valid.items() if k != field}))
        bodies.extend((f"{field}={name}", {**valid, field: value}) for name, value in WRONG_TYPES)
    problems = []
    for name, body in bodies:
        before, files = world.counts(), world.files()
        response = await world.send(method, path, json.dumps(body).encode())
        if response.status >= 500:
            problems.append(f"{name}: {response.status} {response.text[:200]}")
        elif response.status >= 400:
            why = refused(response)
            if why or world.counts() != before or world.files() != files:
                problems.append(f"{name}: refused but {why or 'something was written'}")
    assert problems == []
    for name in ("unknown-field", "empty"):
        response = await world.send(method, path, json.dumps(dict(bodies)[name]).encode())
        assert response.status in (400, 422), (name, response.text)


@pytest.mark.parametrize("method, path", JSON_OPERATIONS, ids=OPERATION_IDS)
async def test_values_no_database_can_store_are_refused(world, method, path):
    await _refuse_unstorable(world, method, path)


async def _refuse_unstorable(world: World, method: str, path: str) -> None:
    valid = world.valid_body(method, path)
    before, files = world.counts(), world.files()
    problems = []
    for field in list(valid) + ["nested"]:
        for name, value in UNSTORABLE_VALUES:
            body = {**valid, field: value} if field != "nested" else {**valid, "payment_details": {"x": [value]}}
            response = await world.send(method, path, json.dumps(body).encode())
            why = refused(response, 400, 422)
            if why:
                problems.append(f"{field}={name}: {why}")
    assert problems == []
    assert world.counts() == before and world.files() == files


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_bodies_over_the_limit_are_a_413_from_the_real_server(console_desk, chunked):
    """Sanic's request size limit holds in the served desk (the ASGI test client does not apply it)."""
    import requests

    padding = b"x" * (MAX_BYTES + 512 * 1024)
    problems = []
    for method, path in JSON_OPERATIONS + [("POST", "/api/uploads"), ("POST", "/api/chat/uploads")]:
        url = console_desk["url"] + path.replace("{number}", "T-20260101-0001")
        body = iter([padding[i : i + 1 << 20] for i in range(0, len(padding), 1 << 20)]) if chunked else padding
        try:
            response = requests.request(method, url, data=body, timeout=60,
                                        headers={"Content-Type": "application/json"})
        except requests.ConnectionError:
            continue  # the server may close the connection while the client still sends: refused all the same
        if response.status_code != 413 or response.json()["error"]["code"] != "payload_too_large":
            problems.append(f"{method} {path}: {response.status_code} {response.text[:120]}")
    assert problems == []
    assert requests.get(console_desk["url"] + "/health", timeout=10).status_code == 200


async def test_other_content_types_never_fail(world):
    problems = []
    for method, path in JSON_OPERATIONS:
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
            body = b"text=hello&rating=5" if "form" in content_type else b"hello"
            why = refused(await world.send(method, path, body, content_type=content_type), 400)
            if why:
                problems.append(f"{method} {path} as {content_type}: {why}")
    assert problems == []


# --- path, query and credentials --------------------------------------------------------------

HOSTILE_SEGMENTS = [
    "%00", "%2500", "a%00b", "..%2F..%2Fdesk.db", "%2e%2e", "%252e%252e%252f", "9" * 40, "-1",
    "%27%20OR%20%271%27%3D%271", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%F0%9F%98%A1", "%FF%FE",
    "%C0%AF", "x" * 5000, "%EA%B0%80" * 300, "T-20261122-0001%0A", "%E2%80%AE",
]


async def test_hostile_path_parameters_are_a_404_or_answered(world):
    problems = []
    for method, path in [op for op in operations() if "{" in op[1]]:
        for segment in HOSTILE_SEGMENTS:
            url = world.url(path.replace(path[path.index("{"): path.index("}") + 1], segment))
            body = json.dumps(world.valid_body(method, path)).encode() if (method, path) in JSON_OPERATIONS else b""
            headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex,
                       **world.auth(method, path)}
            _, response = await world.app.asgi_client.request(method, url, content=body, headers=headers)
            if response.status >= 500 or (response.status >= 400 and refused(response)):
                problems.append(f"{method} {path} {segment[:30]}: {response.status} {response.text[:120]}")
    assert problems == []


HOSTILE_QUERIES = [
    "limit=abc", "limit=1e3", "limit=%C2%B2", "limit=99999999999999999999999", "limit=-0", "limit=",
    "limit=1&limit=2", "status=bogus", "status=,,,", "status=%00", "text=%00", "text=" + "가" * 300,
    "text=%27%20OR%201%3D1", "sender_id=" + "x" * 400, "sender_id=", "assigned=everyone", "assigned=me",
    "channel=%FF", "%00=1", "=&&&=", "text=%", "text=%zz",
]


async def test_hostile_query_strings_are_a_400_or_ignored(world):
    problems = []
    for method, path in [op for op in operations() if op[0] == "GET"]:
        takes_query = any(p["in"] == "query" for p in DOCUMENT["paths"][path]["get"].get("parameters", []))
        for query in HOSTILE_QUERIES if takes_query else HOSTILE_QUERIES[-4:]:
            _, response = await world.app.asgi_client.get(f"{world.url(path)}?{query}", headers=world.auth(method, path))
            if response.status >= 500 or (response.status >= 400 and refused(response)):
                problems.append(f"{path} ?{query[:40]}: {response.status} {response.text[:120]}")
    assert problems == []


FORGED = {
    "none": {},
    "empty-bearer": {"Authorization": "Bearer "},
    "wrong-bearer": {"Authorization": "Bearer not-the-service-token-0123"},
    "basic": {"Authorization": "Basic YWRtaW46YWRtaW4="},
    "bearer-non-ascii": {"Authorization": "Bearer \u00ff\u00fe"},
    "long-bearer": {"Authorization": "Bearer " + "a" * 8000},
    "forged-cookie": {"Cookie": "desk_session=forged-session-token"},
    "empty-cookie": {"Cookie": "desk_session="},
    "garbage-cookie": {"Cookie": "desk_session=%00%FF; desk_session=x"},
    "forged-jwt": {"Authorization": "Bearer " + issue("another-secret-0123456789abcdef", "cust-001")},
    "alg-none-jwt": {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJjdXN0LTAwMSIsImV4cCI6OTk5OTk5OTk5OX0."},
}


async def test_missing_and_forged_credentials_are_a_401_and_write_nothing(world):
    before, files = world.counts(), world.files()
    problems = []
    for method, path in [op for op in operations() if DOCUMENT["paths"][op[1]][op[0].lower()]["security"]]:
        body = json.dumps(world.valid_body(method, path)).encode() if (method, path) in JSON_OPERATIONS else b""
        for name, headers in FORGED.items():
            response = await world.send(method, path, body, headers={"Authorization": "", "Cookie": "", **headers})
            if refused(response, 401):
                problems.append(f"{method} {path} {name}: {response.status} {response.text[:120]}")
    assert problems == []
    assert world.counts() == before and world.files() == files


# --- uploads ----------------------------------------------------------------------------------

UPLOAD_ROUTES = [("/api/uploads", "serviceToken"), ("/api/uploads", "agentSession"), ("/api/chat/uploads", "chatToken")]


@pytest.mark.parametrize("route, scheme", UPLOAD_ROUTES, ids=[f"{r}-{s}" for r, s in UPLOAD_ROUTES])
async def test_every_bad_image_is_refused_and_nothing_is_stored(world, route, scheme):
    before, files = world.counts(), world.files()
    problems = []
    for image in bad_images():
        form = {"ticket_number": world.ids["number"]} if route == "/api/uploads" else None
        _, response = await world.app.asgi_client.post(
            route, files={"file": ("photo.jpg", image.data, "image/jpeg")}, data=form, headers=world.headers[scheme]
        )
        why = refused(response, image.status)
        if why is None and response.json["error"]["code"] != image.code:
            why = f"code {response.json['error']['code']}"
        if why:
            problems.append(f"{image.name}: expected {image.status} {image.code}, got {why}")
    assert problems == []
    assert world.counts() == before, "no attachment row for a refused image"
    assert world.files() == files, "no file (nor temporary file) for a refused image"


async def test_every_bad_image_fetched_by_url_is_refused_and_nothing_is_stored(world, unused_tcp_port):
    from aiohttp import web

    images = {image.name: image for image in bad_images()}

    async def serve(request):
        return web.Response(body=images[request.match_info["name"]].data, content_type="image/jpeg")

    host = web.Application()
    host.add_routes([web.get("/{name}", serve)])
    runner = web.AppRunner(host)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    before, files = world.counts(), world.files()
    problems = []
    try:
        for image in images.values():
            body = {"url": f"http://127.0.0.1:{unused_tcp_port}/{image.name}", "ticket_number": world.ids["number"]}
            response = await world.send("POST", "/api/attachments/fetch", json.dumps(body).encode())
            why = refused(response, image.status)
            if why is None and response.json["error"]["code"] != image.code:
                why = f"code {response.json['error']['code']}"
            if why:
                problems.append(f"{image.name}: expected {image.status} {image.code}, got {why}")
    finally:
        await runner.cleanup()
    assert problems == []
    assert world.counts() == before and world.files() == files


MALFORMED_MULTIPART = [
    ("no-boundary", "multipart/form-data", b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--x--"),
    ("wrong-boundary", "multipart/form-data; boundary=y", b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--x--"),
    ("no-disposition", "multipart/form-data; boundary=x", b"--x\r\n\r\nabc\r\n--x--\r\n"),
    ("truncated", "multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG"),
    ("bad-charset", "multipart/form-data; boundary=x",
     b"--x\r\nContent-Disposition: form-data; name=\"ticket_number\"\r\nContent-Type: text/plain; charset=bogus\r\n\r\nT-1\r\n--x--\r\n"),
    ("field-not-file", "multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--x--\r\n"),
    ("json-instead", "application/json", b'{"file": "aGVsbG8="}'),
    ("empty", "multipart/form-data; boundary=x", b""),
    ("latin1-garbage", "multipart/form-data; boundary=\xff", b"\xff\xfe\xfd"),
]


@pytest.mark.parametrize("route, scheme", UPLOAD_ROUTES, ids=[f"{r}-{s}" for r, s in UPLOAD_ROUTES])
async def test_malformed_multipart_bodies_are_refused(world, route, scheme):
    before, files = world.counts(), world.files()
    problems = []
    for name, content_type, raw in MALFORMED_MULTIPART:
        _, response = await world.app.asgi_client.post(
            route, content=raw, headers={**world.headers[scheme], "Content-Type": content_type.encode("latin-1")}
        )
        why = refused(response)
        if why:
            problems.append(f"{name}: {why}")
    assert problems == []
    assert world.counts() == before and world.files() == files


@pytest.mark.parametrize("number", ["T-99999999-9999", "' OR 1=1 --", "a\x00b", "가" * 500, ""])
async def test_upload_to_a_ticket_that_does_not_exist_stores_nothing(world, number):
    before, files = world.counts(), world.files()
    _, response = await world.app.asgi_client.post(
        "/api/uploads", files={"file": ("p.png", picture("PNG"), "image/png")}, data={"ticket_number": number},
        headers=world.headers["serviceToken"],
    )
    if number:
        assert refused(response, 404) is None, response.text
        assert world.counts() == before and world.files() == files
    else:
        assert response.status == 201  # an empty field means "no ticket"


async def test_hostile_file_names_do_not_matter(world):
    """The name is never used: the file is stored under a random id."""
    for name in ("../../etc/passwd", "a\x00.png", "<script>.png", "가" * 300 + ".png"):
        _, response = await world.app.asgi_client.post(
            "/api/uploads", files={"file": (name, picture("PNG"), "image/png")}, headers=world.headers["serviceToken"]
        )
        assert response.status == 201, (name, response.text)
        assert all(".." not in f and "<" not in f for f in world.files())
    before, files = world.counts(), world.files()
    _, nameless = await world.app.asgi_client.post(  # a form without a chosen file sends filename=""
        "/api/uploads", files={"file": ("", picture("PNG"), "image/png")}, headers=world.headers["serviceToken"]
    )
    assert refused(nameless, 400) is None and nameless.json["error"]["code"] == "missing_file"
    assert world.counts() == before and world.files() == files


# --- the same on PostgreSQL (which refuses NUL in text and keeps 64-bit integers) ---------------


@pytest.fixture
def pg_settings(settings, postgres_url) -> Iterator:
    from desk.migrate import upgrade

    upgrade(postgres_url)
    yield dataclasses.replace(settings, database_url=postgres_url)


@pytest.mark.parametrize("method, path", JSON_OPERATIONS, ids=OPERATION_IDS)
async def test_values_postgresql_cannot_store_are_refused_there_too(pg_settings, tmp_path, method, path):
    world = World(make_app(pg_settings, tmp_path), pg_settings.database_url)
    await world.populate()
    await _refuse_unstorable(world, method, path)


async def test_nul_in_paths_and_queries_on_postgresql(pg_settings, tmp_path):
    world = World(make_app(pg_settings, tmp_path), pg_settings.database_url)
    await world.populate()
    service = world.headers["serviceToken"]
    for url in ("/api/tickets?text=a%00b", "/api/tickets?sender_id=%00", "/api/deliveries/pending?sender_id=a%00",
                "/api/conversations/a%00b/open-ticket", "/api/tickets/T-1%00"):
        _, response = await world.app.asgi_client.get(url, headers=service)
        assert refused(response, 400, 404) is None, (url, response.text)
    _, login = await world.app.asgi_client.post("/api/auth/login", json={"email": "a\x00@b.c", "password": "x\x00"})
    assert refused(login, 422) is None, login.text


async def test_ids_beyond_32_bits_name_no_row_on_postgresql(pg_settings, tmp_path):
    """PostgreSQL's INTEGER ids are 32-bit: a larger id overflowed the query (500) before it was refused."""
    world = World(make_app(pg_settings, tmp_path), pg_settings.database_url)
    await world.populate()
    before = world.counts()
    for agent in (2**31, 2**40, 2**63 - 1):
        response = await world.send("POST", "/api/tickets/{number}/assign", json.dumps({"agent": agent}).encode())
        assert refused(response, 422) is None and response.json["error"]["code"] == "unknown_agent", response.text
    for delivery in (2**31, 2**40):
        for action in ("delivered", "failed"):
            _, response = await world.app.asgi_client.post(f"/api/deliveries/{delivery}/{action}",
                                                           headers=world.headers["serviceToken"])
            assert refused(response, 404) is None, response.text
    assert world.counts() == before

"""Schemathesis: every route of the desk's OpenAPI document, fuzzed against a real desk process.

The desk runs as ``python -m desk serve`` on a free port with its own SQLite file,
a demo agent, chat tokens enabled and rate limits off (so the fuzzer reaches the
validation behind them). Each operation is called with the credentials its
``security`` names (service token, agent session cookie or chat token), with data
that fits the schemas (positive) and data that breaks them (negative: wrong
types, missing fields, values outside the schema). Half of the generated path
parameters are swapped for objects that exist (a ticket, a photo, a delivery), so
the routes behind the 404 are reached too. No answer may be a server error, every
answer must match the status codes, content types and schemas the document
promises, and the desk must log no unhandled error.

``FUZZ_EXAMPLES`` (default 25) sets the examples per operation and method;
``FUZZ_POSTGRES=1`` runs the desk on a fresh database of the session's own PostgreSQL
instead of SQLite.
"""

from __future__ import annotations

import json
import os
import urllib.request
import uuid
from typing import Dict, Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import DataGenerationMethod
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from deskkit import TICKET, image_bytes
from processes import CHAT_JWT_SECRET, http_json, start_desk

TOKEN = "fuzz-service-token-0123456789"
AGENT = {"email": "fuzz-agent@example.com", "password": "fuzz-agent-password"}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


def content_type_in_documented_ranges(response, case):
    """Schemathesis' content-type check, plus media ranges (``image/*``, ``*/*``) as OpenAPI allows them."""
    received = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    main, _, _sub = received.partition("/")
    for documented in case.operation.schema.get_content_types(case.operation, response):
        if documented in ("*/*", f"{main}/*"):
            return None
    return content_type_conformance(response, case)


CHECKS = (not_a_server_error, status_code_conformance, content_type_in_documented_ranges, response_schema_conformance)
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
# objects of the running desk that the path parameters may name (filled by the fixture)
KNOWN: Dict[str, str] = {}
PATH_OBJECTS = {"number": "ticket", "attachment_id": "photo", "delivery_id": "delivery", "sender_id": "sender"}


@pytest.fixture(scope="module")
def fuzz_desk(request, processes, tmp_path_factory) -> Iterator[Dict[str, str]]:
    """A real desk with a signed-in agent, a chat token, a ticket, a photo and a delivery to find."""
    data_dir = tmp_path_factory.mktemp("fuzz-desk")
    postgres = request.getfixturevalue("postgres") if os.environ.get("FUZZ_POSTGRES") == "1" else None
    database = postgres.create_database("fuzz") if postgres else None
    desk = start_desk(processes, data_dir, TOKEN, AGENT, {
        **({"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{postgres.port}/{database}"} if postgres else {}),
        "CHAT_JWT_SECRET": CHAT_JWT_SECRET,
        "CHAT_DEMO_TOKENS": "true",
        **{f"DESK_RATE_{which}": "off" for which in ("LOGIN_IP", "LOGIN_ACCOUNT", "CHAT", "UPLOADS")},
        # e-mail on, so the e-mail route is fuzzed past its 503 (nothing listens on port 9: sends fail, logged)
        "DESK_SMTP_HOST": "127.0.0.1", "DESK_SMTP_PORT": "9", "DESK_SMTP_FROM": "cs@desk.example",
    })
    url, name = desk["url"], desk["name"]
    service = {"Authorization": f"Bearer {TOKEN}"}
    status, ticket = http_json("POST", f"{url}/api/tickets", TICKET, {**service, "Idempotency-Key": uuid.uuid4().hex})
    assert status == 201, ticket
    status, chat = http_json("POST", f"{url}/api/chat/demo-token")
    assert status == 200, chat
    cookie = f"desk_session={_sign_in(url)}"
    status, replied = http_json(
        "POST", f"{url}/api/tickets/{ticket['number']}/reply", {"text": "확인해 볼게요"}, {"Cookie": cookie}
    )
    assert status == 201, replied
    KNOWN.update(
        ticket=ticket["number"], photo=_upload(url, service), delivery=replied["delivery_id"],
        sender=TICKET["sender_id"],
    )
    yield {"url": url, "cookie": cookie, "chat_token": chat["token"], "ticket": ticket["number"]}
    processes.stop(name)
    if postgres:
        postgres.drop_database(database)
    errors = sorted({line for line in processes.log(name).splitlines() if "unhandled error" in line})
    assert not errors, "the desk logged unhandled errors:\n" + "\n".join(errors)


def _sign_in(url: str) -> str:
    request = urllib.request.Request(
        f"{url}/api/auth/login", data=json.dumps(AGENT).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers["Set-Cookie"]
    return cookie.split("desk_session=", 1)[1].split(";", 1)[0]


def _upload(url: str, headers: Dict[str, str]) -> str:
    response = requests.post(
        f"{url}/api/uploads", files={"file": ("p.png", image_bytes("PNG"), "image/png")}, headers=headers, timeout=30
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture(scope="module")
def desk_schema(fuzz_desk):
    """The document the running desk serves, as Schemathesis sees it."""
    return schemathesis.from_uri(f"{fuzz_desk['url']}/api/openapi.json", base_url=fuzz_desk["url"])


schema = schemathesis.from_pytest_fixture("desk_schema")


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """As generated, or with the parameters that name an object swapped for one that exists."""
    if not isinstance(path_parameters, dict) or not set(path_parameters) & set(PATH_OBJECTS):
        return st.just(path_parameters)
    known = {
        name: KNOWN[PATH_OBJECTS[name]]
        for name in path_parameters
        if name in PATH_OBJECTS and PATH_OBJECTS[name] in KNOWN
    }
    return st.sampled_from([path_parameters, {**path_parameters, **known}])


def credentials(operation, desk: Dict[str, str]) -> Dict[str, str]:
    """The headers that authorize ``operation`` as its ``security`` says (none for public routes)."""
    schemes = {name for requirement in operation.definition.raw.get("security", []) for name in requirement}
    if "serviceToken" in schemes:
        return {"Authorization": f"Bearer {TOKEN}"}
    if "agentSession" in schemes:
        return {"Cookie": desk["cookie"]}
    if "chatToken" in schemes:
        return {"Authorization": f"Bearer {desk['chat_token']}"}
    return {}


def call_and_check(case, desk: Dict[str, str]) -> None:
    """Send ``case`` with its credentials; the answer is no server error and as documented."""
    headers = {**(case.headers or {}), **credentials(case.operation, desk)}
    response = case.call(headers=headers, timeout=30)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400:
        assert response.json()["error"]["code"], "every error uses the desk's one JSON shape"


@schema.parametrize(data_generation_methods=[DataGenerationMethod.positive])
@FUZZ_SETTINGS
def test_data_that_fits_the_schemas_is_answered_as_documented(case, fuzz_desk):
    call_and_check(case, fuzz_desk)


@schema.parametrize(data_generation_methods=[DataGenerationMethod.negative])
@FUZZ_SETTINGS
def test_data_that_breaks_the_schemas_is_refused_as_documented(case, fuzz_desk):
    call_and_check(case, fuzz_desk)


def test_the_fuzzed_objects_exist(fuzz_desk):
    """The ticket, photo and delivery made for the fuzzer are really there (so the routes had something to find)."""
    service = {"Authorization": f"Bearer {TOKEN}"}
    status, ticket = http_json("GET", f"{fuzz_desk['url']}/api/tickets/{KNOWN['ticket']}", headers=service)
    assert status == 200 and ticket["number"] == KNOWN["ticket"]
    assert [photo["id"] for photo in ticket["attachments"]] in ([], [KNOWN["photo"]])
    status, _ = http_json("GET", f"{fuzz_desk['url']}/api/auth/me", headers={"Cookie": fuzz_desk["cookie"]})
    assert status == 200
    photo = requests.get(f"{fuzz_desk['url']}/api/attachments/{KNOWN['photo']}", headers=service, timeout=30)
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/png"

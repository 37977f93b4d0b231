"""A real desk at DEBUG level: the agent console and the desk's own log never show full personal data."""

from __future__ import annotations

import uuid

import pytest

from browser import launch
from deskkit import TICKET
from pii_samples import EMAIL, MESSAGE, PHONE, assert_masked, leaks
from processes import http_json, start_desk

pytestmark = pytest.mark.e2e

TOKEN = "privacy-token-0123456789abcdef"
AGENT_EMAIL = "agent.kim@example.com"
AGENT_PASSWORD = "privacy-agent-password"


@pytest.fixture(scope="module")
def debug_desk(processes, tmp_path_factory):
    """``python -m desk serve`` with DESK_LOG_LEVEL=DEBUG: SQL parameters are in its log."""
    desk = start_desk(processes, tmp_path_factory.mktemp("privacy-desk"), TOKEN,
                      {"email": AGENT_EMAIL, "password": AGENT_PASSWORD}, {"DESK_LOG_LEVEL": "DEBUG"})
    yield {"url": desk["url"], "log": lambda: processes.log(desk["name"])}
    processes.stop(desk["name"])


def service(method: str, desk: dict, path: str, body=None, key=None):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if key:
        headers["Idempotency-Key"] = key
    return http_json(method, f"{desk['url']}{path}", body, headers)


def open_ticket(desk: dict) -> str:
    body = {
        **TICKET,
        "sender_id": PHONE,
        "customer_id": EMAIL,
        "summary": MESSAGE,
        "transcript": [{"author": "customer", "text": MESSAGE}, {"author": "bot", "text": "상담원을 연결해 드릴게요."}],
    }
    status, ticket = service("POST", desk, "/api/tickets", body, key=uuid.uuid4().hex)
    assert status == 201, ticket
    status, _ = service(
        "POST", desk, f"/api/tickets/{ticket['number']}/messages", {"author": "customer", "text": MESSAGE}, uuid.uuid4().hex
    )
    assert status == 201
    return ticket["number"]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as running:
        chromium = launch(running)
        yield chromium
        chromium.close()


def test_the_console_shows_the_agent_only_masked_values(debug_desk, browser):
    number = open_ticket(debug_desk)
    page = browser.new_page()
    page.goto(f"{debug_desk['url']}/console")
    page.fill("#login-email", AGENT_EMAIL)
    page.fill("#login-password", AGENT_PASSWORD)
    page.click("#login-submit")
    item = page.locator(f'.queue-item[data-number="{number}"]')
    item.wait_for()
    assert leaks(page.content()) == []  # the queue (previews)
    item.click()
    page.wait_for_selector(f"#ticket-number:has-text('{number}')")
    page.wait_for_selector("#transcript li:has-text('010-****-5678')")
    html = page.content()
    assert_masked(html)  # transcript, fields, summary: masks only
    assert "ORD-261122-0042" in html  # what the agent needs stays
    page.close()


def test_the_desks_debug_log_shows_only_masks(debug_desk):
    number = open_ticket(debug_desk)
    status, _ = service("GET", debug_desk, f"/api/conversations/{PHONE}/open-ticket")
    assert status == 200
    status, _ = service("GET", debug_desk, f"/api/tickets/{number}")
    assert status == 200
    log = debug_desk["log"]()
    assert "aiosqlite" in log and "DEBUG" in log  # SQL and its parameters are logged...
    assert_masked(log)  # ...masked: the stored texts, the phone used as conversation id
    assert AGENT_EMAIL not in log and EMAIL not in log
    assert "a***@example.com" in log  # the agent's sign-in look-up, masked

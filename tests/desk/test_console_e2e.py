"""The agent console in headless Chromium against a real desk process."""

from __future__ import annotations

import uuid

import pytest

from browser import launch, wait_until
from deskkit import TICKET, gps_jpeg

pytestmark = pytest.mark.e2e

XSS = '<img src=x onerror="window.__xss = 1"><script>window.__xss = 2</script>'


@pytest.fixture(scope="module")
def playwright():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright):
    browser = launch(playwright)
    yield browser
    browser.close()


@pytest.fixture
def api(playwright, console_desk):
    context = playwright.request.new_context(
        base_url=console_desk["url"], extra_http_headers={"Authorization": f"Bearer {console_desk['token']}"}
    )
    yield context
    context.dispose()


def open_ticket(api, sender: str, text: str, attachments=(), **fields) -> str:
    body = {**TICKET, **fields, "sender_id": sender, "summary": text, "attachments": list(attachments),
            "transcript": [{"author": "customer", "text": text}, {"author": "customer", "text": XSS}]}
    response = api.post("/api/tickets", data=body, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert response.status == 201, response.text()
    return response.json()["number"]


def test_agent_signs_in_sees_the_queue_opens_a_ticket_replies_and_resolves(browser, api, console_desk):
    uploaded = api.post("/api/uploads", multipart={"file": {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg()}})
    assert uploaded.status == 201, uploaded.text()
    photo = uploaded.json()
    sender = f"console-{uuid.uuid4().hex[:8]}"
    number = open_ticket(api, sender, "짜장면이 다 식어서 왔어요", [photo["id"]], requested_change="주문 변경: 순살로",
                         handoff_reason="⚠ 조리 중인 주문의 변경 요청: 가게 동의가 필요함")

    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{console_desk['url']}/console")

    page.fill("#login-email", console_desk["email"])
    page.fill("#login-password", "wrong-password")
    page.click("#login-submit")
    page.wait_for_selector("#login-error:has-text('올바르지 않습니다')")

    page.fill("#login-password", console_desk["password"])
    page.click("#login-submit")
    page.wait_for_selector("#app:not([hidden])")
    item = page.locator(f'.queue-item[data-number="{number}"]')
    item.wait_for()

    # A ticket opened after sign-in shows up without a reload (the queue polls).
    later = open_ticket(api, f"{sender}-2", "결제가 두 번 됐어요")
    page.locator(f'.queue-item[data-number="{later}"]').wait_for(timeout=10000)

    item.click()
    page.wait_for_selector(f"#ticket-number:has-text('{number}')")
    transcript = page.locator("#transcript")
    assert "짜장면이 다 식어서 왔어요" in transcript.inner_text()
    assert XSS in transcript.inner_text()  # shown as text ...
    assert page.locator("#transcript img, #transcript script").count() == 0  # ... never as markup
    assert page.evaluate("window.__xss") is None
    fields = page.locator("#ticket-fields").inner_text()
    assert "ORD-261122-0042" in fields
    assert "요청한 주문 변경" in fields and "주문 변경: 순살로" in fields, "the change the customer asked for"
    assert "연결 사유" in fields and "가게 동의가 필요함" in fields, "why the bot handed over"

    wait_until(page, "() => { const i = document.querySelector('#ticket-photos img');"
                     " return Boolean(i && i.complete && i.naturalWidth > 0); }")
    page.click("#ticket-photos .photo-thumb")
    wait_until(page, "() => { const i = document.getElementById('photo-full');"
                     " return document.getElementById('photo-dialog').open && i.complete && i.naturalWidth === 64; }")
    page.click("#photo-close")

    page.fill("#reply-text", "새 음식을 바로 보내 드릴게요")
    page.click("#reply-send")
    page.wait_for_selector("#transcript li.agent:has-text('새 음식을 바로 보내 드릴게요')")
    page.wait_for_selector("#ticket-status:has-text('고객 응답 대기')")
    pending = api.get("/api/deliveries/pending").json()["deliveries"]
    assert any(d["ticket_number"] == number and d["text"] == "새 음식을 바로 보내 드릴게요" for d in pending)

    page.click("#action-resolve")
    page.wait_for_selector("#ticket-status:has-text('해결됨')")
    assert api.get(f"/api/tickets/{number}").json()["status"] == "resolved"
    assert page.is_disabled("#reply-send")
    assert errors == []
    page.close()


def open_in_console(page, desk, number: str) -> None:
    """Sign in to ``desk``'s console on ``page`` and open the ticket ``number``."""
    page.goto(f"{desk['url']}/console")
    page.fill("#login-email", desk["email"])
    page.fill("#login-password", desk["password"])
    page.click("#login-submit")
    page.locator(f'.queue-item[data-number="{number}"]').click()
    page.wait_for_selector(f"#ticket-number:has-text('{number}')")


def test_hand_back_to_the_bot(browser, api, console_desk):
    number = open_ticket(api, f"handback-{uuid.uuid4().hex[:8]}", "상담원 연결해 주세요")
    context = browser.new_context()
    page = context.new_page()
    open_in_console(page, console_desk, number)
    page.click("#action-handback")
    page.wait_for_selector("#ticket-status:has-text('해결됨')")
    page.wait_for_selector("#transcript li.system:has-text('챗봇')")
    assert api.get(f"/api/tickets/{number}").json()["status"] == "resolved"
    cookies = context.cookies()
    [session] = [c for c in cookies if c["name"] == "desk_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    page.click("#logout")
    page.wait_for_selector("#login:not([hidden])")
    context.close()


def test_a_reply_that_could_not_be_delivered_is_shown_and_sent_again(browser, playwright, impatient_desk):
    api = playwright.request.new_context(
        base_url=impatient_desk["url"], extra_http_headers={"Authorization": f"Bearer {impatient_desk['token']}"}
    )
    number = open_ticket(api, f"failed-{uuid.uuid4().hex[:8]}", "배달이 안 와요")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_in_console(page, impatient_desk, number)

    page.fill("#reply-text", "지금 확인하고 있어요")
    page.click("#reply-send")
    page.wait_for_selector("#deliveries li.waiting:has-text('지금 확인하고 있어요')")
    [delivery] = [d for d in api.get("/api/deliveries/pending").json()["deliveries"] if d["ticket_number"] == number]
    # the push fails (as when the customer's channel refuses it): the reply is given up at once
    assert api.post(f"/api/deliveries/{delivery['id']}/failed").status == 200

    failed = page.locator("#deliveries li.failed")
    failed.wait_for(timeout=10000)
    assert "전달 실패" in failed.inner_text() and "지금 확인하고 있어요" in failed.inner_text()
    failed.locator("button.retry").click()
    page.wait_for_selector("#deliveries li.waiting:has-text('지금 확인하고 있어요')")
    assert page.locator("#deliveries li.failed").count() == 0
    assert delivery["id"] in [d["id"] for d in api.get("/api/deliveries/pending").json()["deliveries"]]
    assert errors == []
    page.close()
    api.dispose()

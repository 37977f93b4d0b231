"""The in-app web chat in headless Chromium: a cold meal with a photo, a ticket, an agent reply, a reload."""

from __future__ import annotations

import re

import pytest

from conversation import TICKET_NUMBER, Agent
from local_servers import png_bytes
from processes import DEMO_AGENT, http_json

pytestmark = pytest.mark.e2e



def bot_says(page, text: str, timeout: float = 30000) -> None:
    page.locator("#messages li.bot .bubble, #messages li.agent .bubble", has_text=text).last.wait_for(timeout=timeout)


def say(page, text: str) -> None:
    page.fill("#text", text)
    page.click("#send")


def test_cold_meal_with_photo_ends_in_ticket_and_agent_reply_arrives_live(stack, browser, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{stack['desk_url']}/chat")
    page.wait_for_selector("body[data-ready=true]", timeout=30000)

    say(page, "탕수육이 다 식어서 왔어요 ㅠㅠ")
    bot_says(page, "주문번호를 알려 주시겠어요?")
    say(page, "ORD-261122-0106")
    bot_says(page, "바삭 돈까스 주문을 확인했어요")  # the signed identity: no phone digits asked
    bot_says(page, "사진을 1~5장 보내 주세요")

    photo = tmp_path / "cold.png"
    photo.write_bytes(png_bytes(size=(120, 90)))
    page.set_input_files("#photo-input", str(photo))
    page.wait_for_selector("#messages li.customer img.photo")
    bot_says(page, "사진 1장을 받았어요")
    page.locator("#messages .buttons button", has_text="환불 요청").last.click()
    bot_says(page, "접수번호")

    reply_text = page.locator("#messages li.bot .bubble", has_text="접수번호").last.inner_text()
    number = TICKET_NUMBER.search(reply_text).group(0)
    status, ticket = http_json(
        "GET", f"{stack['desk_url']}/api/tickets/{number}", headers={"Authorization": f"Bearer {stack['token']}"}
    )
    assert status == 200
    assert (ticket["channel"], ticket["customer_id"], ticket["category"]) == ("socketio", "cust-001", "quality")
    assert len(ticket["attachments"]) == 1

    Agent(stack, **DEMO_AGENT).reply(number, "사진 확인했어요. 바로 환불해 드릴게요.")
    page.locator("#messages li.agent .bubble", has_text="바로 환불해 드릴게요").wait_for(timeout=15000)

    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=30000)
    history = page.locator("#messages").inner_text()
    assert "탕수육이 다 식어서 왔어요" in history and re.search(r"T-\d{8}-\d{4}", history)
    assert errors == []
    context.close()

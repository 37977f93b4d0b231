"""The agent's whole job in headless Chromium, on a ticket made by a real bot conversation."""

from __future__ import annotations

import pytest

from browser import open_ticket_in_console, wait_until
from processes import DEMO_AGENT
from conversation import Conversation, upload_photo
from local_servers import png_bytes

pytestmark = pytest.mark.e2e


def test_agent_answers_a_bot_ticket_with_photo_and_the_customer_sees_reply_and_survey(stack, browser):
    photo_id = upload_photo(stack, png_bytes(size=(80, 60)))
    chat = Conversation(stack)
    chat.say("시킨 탕수육이 눅눅하고 식어서 왔어요")
    chat.say("ORD-261122-0106")
    chat.say("5678")
    chat.say("사진 첨부해요", metadata={"attachments": [{"type": "image", "id": photo_id}]})
    number = chat.ticket(chat.say("환불 요청할게요"))["number"]

    page = browser.new_page()
    open_ticket_in_console(page, stack["desk_url"], DEMO_AGENT["email"], DEMO_AGENT["password"], number)

    fields = page.locator("#ticket-fields").inner_text()
    assert "ORD-261122-0106" in fields and "환불 요청" in fields
    assert "시킨 탕수육이 눅눅하고 식어서 왔어요" in page.locator("#transcript").inner_text()
    wait_until(page, "() => { const i = document.querySelector('#ticket-photos img');"
                     " return Boolean(i && i.complete && i.naturalWidth > 0); }")

    page.fill("#reply-text", "사진 확인했어요. 환불을 진행해 드릴게요.")
    page.click("#reply-send")
    page.wait_for_selector("#transcript li.agent:has-text('환불을 진행해 드릴게요')")
    assert "[상담원] 사진 확인했어요. 환불을 진행해 드릴게요." in chat.say("확인 부탁드려요")

    page.click("#action-resolve")
    page.wait_for_selector("#ticket-status:has-text('해결됨')")
    page.close()
    assert "⭐ 5" in chat.say("감사합니다"), "after the agent resolves, the bot asks the survey"

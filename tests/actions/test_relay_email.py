"""A customer in a handoff leaves her e-mail address in the chat: the desk keeps it on her
ticket and e-mails her a copy of the conversation, through a real desk process and a real
SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiohttp import ClientSession
from rasa_sdk.executor import CollectingDispatcher

from action_services import started_services
from actions import services as running_services
from actions.relay import ActionRelayToAgent
from local_servers import smtp_server
from processes import DEMO_AGENT, start_desk
from trackers import DESK_TOKEN, make_tracker, user_event


@pytest.fixture(scope="module")
def mail_desk(processes, tmp_path_factory):
    """A desk process that e-mails customers through a local SMTP server."""
    with smtp_server() as (port, mailbox):
        desk = start_desk(processes, tmp_path_factory.mktemp("mail-desk"), DESK_TOKEN, DEMO_AGENT, {
            "DESK_SMTP_HOST": "127.0.0.1", "DESK_SMTP_PORT": str(port), "DESK_SMTP_FROM": "cs@desk.example",
        })
        yield {"url": desk["url"], "mailbox": mailbox}
        processes.stop(desk["name"])


@pytest.fixture
async def services_with_mail_desk(tmp_path, mail_desk):
    started = await started_services(tmp_path, mail_desk["url"], DESK_TOKEN)
    yield started
    await running_services.stop()


async def open_ticket(desk_url: str, sender: str) -> str:
    body = {"category": "delay", "channel": "rest", "sender_id": sender, "summary": "배달이 안 와요",
            "transcript": [{"author": "customer", "text": "배달이 한 시간째 안 와요"},
                           {"author": "bot", "text": "상담원에게 연결해 드릴게요."}]}
    headers = {"Authorization": f"Bearer {DESK_TOKEN}", "Idempotency-Key": uuid.uuid4().hex}
    async with ClientSession() as http:
        async with http.post(f"{desk_url}/api/tickets", json=body, headers=headers) as response:
            assert response.status == 201, await response.text()
            ticket = await response.json()
    assert ticket["email_updates"] is True
    return ticket["number"]


OFFER = {"event": "bot", "text": "이메일 주소를 남겨 주시면…", "metadata": {"utter_action": "utter_offer_email"}}


def in_handoff(sender: str, number: str, text: str, before=(OFFER,)):
    """The customer's message in a handoff, after the bot's e-mail offer (or after ``before``)."""
    return make_tracker([*before, user_event(text, "inform")], slots={"handoff_ticket": number}, sender_id=sender)


async def test_an_address_left_in_the_chat_gets_the_copy_of_the_conversation(services_with_mail_desk, mail_desk):
    sender = f"rest:mail-{uuid.uuid4().hex[:8]}"
    number = await open_ticket(mail_desk["url"], sender)
    dispatcher = CollectingDispatcher()
    await ActionRelayToAgent().run(dispatcher, in_handoff(sender, number, "답변은 kim.minji@example.com 으로 주세요"), {})
    assert [(m["response"], m.get("email")) for m in dispatcher.messages] == [("utter_email_saved", "k***@example.com")]

    mailbox = mail_desk["mailbox"]
    for _ in range(100):  # the desk's mailer sends within a second or two; bounded
        with mailbox.lock:
            copies = [m for m in mailbox.messages if number in m["Subject"]]
        if copies:
            break
        await asyncio.sleep(0.1)
    [copy] = copies
    assert copy["To"] == "kim.minji@example.com"
    body = copy.get_content()
    assert "배달이 한 시간째 안 와요" in body and number in body
    assert "k***@example.com" in body, "the message with the address is in the copy too, masked as agents see it"


async def test_without_email_on_the_desk_the_customer_is_told(services_with_desk, desk_server):
    sender = f"rest:nomail-{uuid.uuid4().hex[:8]}"
    body = {"category": "delay", "channel": "rest", "sender_id": sender, "summary": "배달이 안 와요",
            "transcript": [{"author": "customer", "text": "배달이 안 와요"}]}
    headers = {"Authorization": f"Bearer {desk_server['token']}", "Idempotency-Key": uuid.uuid4().hex}
    async with ClientSession() as http:
        async with http.post(f"{desk_server['url']}/api/tickets", json=body, headers=headers) as response:
            number = (await response.json())["number"]
    dispatcher = CollectingDispatcher()
    await ActionRelayToAgent().run(dispatcher, in_handoff(sender, number, "lee@example.com"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_email_not_saved"]


def _handoff_request(sender: str, channel: str):
    event = user_event("상담원 연결해 주세요", "request_agent")
    event["input_channel"] = channel
    return make_tracker([event], slots={"problem_category": "delay"}, sender_id=sender)


@pytest.mark.parametrize("channel, offered", [("rest", True), ("socketio", True), ("kakao", True), ("facebook", False)])
async def test_the_handoff_offers_email_where_the_channel_does_not_notify(services_with_mail_desk, channel, offered):
    from actions.handoff import ActionCreateTicket

    dispatcher = CollectingDispatcher()
    await ActionCreateTicket().run(dispatcher, _handoff_request(f"rest:offer-{uuid.uuid4().hex[:8]}", channel), {})
    responses = [m.get("response") for m in dispatcher.messages]
    assert responses[0] == "utter_ticket_created"
    assert ("utter_offer_email" in responses) is offered
    if offered:
        assert responses[-1] == "utter_offer_email", "the last thing said, after when a person answers"


async def test_without_email_on_the_desk_nothing_is_offered(services_with_desk):
    from actions.handoff import ActionCreateTicket

    dispatcher = CollectingDispatcher()
    await ActionCreateTicket().run(dispatcher, _handoff_request(f"rest:nooffer-{uuid.uuid4().hex[:8]}", "rest"), {})
    assert "utter_offer_email" not in [m.get("response") for m in dispatcher.messages]


async def test_an_address_is_taken_only_as_the_answer_to_the_offer_and_only_once(services_with_mail_desk, mail_desk):
    sender = f"rest:once-{uuid.uuid4().hex[:8]}"
    number = await open_ticket(mail_desk["url"], sender)
    # never offered: a store's address mentioned in passing is words for the agent, not a recipient
    dispatcher = CollectingDispatcher()
    await ActionRelayToAgent().run(dispatcher, in_handoff(sender, number, "사장님 메일 owner@store.co.kr 로 물어보세요",
                                                        before=()), {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_relayed_to_agent"]

    saved = {"event": "bot", "text": "남겨 주신 주소로…", "metadata": {"utter_action": "utter_email_saved"}}
    dispatcher = CollectingDispatcher()
    await ActionRelayToAgent().run(dispatcher, in_handoff(sender, number, "kim@example.com"), {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_email_saved"]
    # after it was taken, another address is only words
    dispatcher = CollectingDispatcher()
    await ActionRelayToAgent().run(dispatcher, in_handoff(sender, number, "spam@evil.example", before=(OFFER, saved)), {})
    assert [m.get("response") for m in dispatcher.messages] == ["utter_relayed_to_agent"]

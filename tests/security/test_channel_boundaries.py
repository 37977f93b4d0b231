"""Who may speak for whom on the REST and KakaoTalk webhooks, against the running stack.

Found before: any REST ``sender`` was accepted (``app:cust-001`` reached the in-app
customer's conversation); the KakaoTalk webhook took requests without its secret, so a
forged ``userRequest.user.id`` read that user's waiting agent replies and wrote into her
ticket, and ``callbackUrl`` sent answers to any https host.
"""

from __future__ import annotations

import uuid

import pytest

from agent_session import Agent
from conversation import TICKET_NUMBER
from processes import DEMO_AGENT, KAKAO_SKILL_SECRET, http_json, tracker_events

pytestmark = pytest.mark.e2e


def rest(stack, sender: str, text: str, headers=None):
    return http_json("POST", f"{stack['rasa_url']}/webhooks/rest/webhook", {"sender": sender, "message": text},
                     headers=headers)


def test_a_rest_client_naming_an_in_app_customer_gets_its_own_rest_conversation(stack):
    marker = f"배달이 안 와요 {uuid.uuid4().hex[:6]}"
    status, answers = rest(stack, "app:cust-001", marker)
    assert status == 200 and answers[0]["recipient_id"] == "rest:app:cust-001"
    in_app = [e.get("text") for e in tracker_events(stack["rasa_url"], stack["rasa_token"], "app:cust-001")]
    assert marker not in in_app
    status, answers = rest(stack, "app:cust-001", "ORD-261122-0106")
    said = " ".join(a.get("text", "") for a in answers)
    assert "뒤 4자리" in said and "바삭 돈까스" not in said, "no proof, no order"


@pytest.mark.parametrize("sender", ["x/../app:cust-001", "app:cust-001#x", "한글", "a b"])
def test_rest_senders_that_could_bend_a_url_are_refused(stack, sender):
    status, body = rest(stack, sender, "안녕하세요")
    assert (status, body["error"]) == (400, "invalid_sender")


def kakao(stack, user: str, utterance: str, headers=None, **user_request):
    body = {"intent": {"id": "i", "name": "폴백 블록"}, "bot": {"id": "b"}, "action": {"params": {}},
            "userRequest": {"utterance": utterance, "user": {"id": user, "type": "botUserKey"}, **user_request}}
    sent = {"X-Skill-Secret": KAKAO_SKILL_SECRET} if headers is None else headers
    return http_json("POST", f"{stack['rasa_url']}/webhooks/kakao/webhook", body, headers=sent)


def kakao_text(answer) -> str:
    return "\n".join(o.get("simpleText", {}).get("text", "") for o in answer["template"]["outputs"])


def test_a_forged_kakao_request_reads_no_waiting_reply_and_writes_nothing(stack):
    user = f"sec{uuid.uuid4().hex}"
    status, answer = kakao(stack, user, "상담원 연결해 주세요")
    number = TICKET_NUMBER.search(kakao_text(answer)).group(0)
    Agent(stack, **DEMO_AGENT).reply(number, "카카오 고객님께만 드리는 답변이에요")
    for headers in ({}, {"X-Skill-Secret": "guessed"}, {"X-Skill-Secret": ""}):
        status, body = kakao(stack, user, "답변 왔나요?", headers=headers)
        assert status == 403 and body["error"] == "forbidden", body
    status, pending = http_json("GET", f"{stack['desk_url']}/api/deliveries/pending?sender_id=kakao:{user}",
                                headers={"Authorization": f"Bearer {stack['token']}"})
    assert [d["text"] for d in pending["deliveries"]] == ["카카오 고객님께만 드리는 답변이에요"], "still waiting for her"
    status, ticket = http_json("GET", f"{stack['desk_url']}/api/tickets/{number}",
                               headers={"Authorization": f"Bearer {stack['token']}"})
    assert not any("답변 왔나요" in line["text"] for line in ticket["transcript"]), "nothing written into her ticket"
    status, answer = kakao(stack, user, "답변 왔나요?")  # Kakao itself, with the secret: she gets it
    assert "[상담원] 카카오 고객님께만 드리는 답변이에요" in kakao_text(answer)


@pytest.mark.parametrize("callback", [
    "https://internal.example.com/admin/hook", "https://bot-api.kakao.com.evil.example/cb",
    "https://bot-api.kakao.com:8443/v1/bots/x/callback/y", "https://169.254.169.254/latest/meta-data",
])
def test_a_callback_url_off_kakaos_callback_host_is_never_used(stack, callback):
    """The test stack answers through any usable callback URL at once; these are answered directly."""
    status, answer = kakao(stack, f"sec{uuid.uuid4().hex}", "배달이 너무 늦어요", callbackUrl=callback)
    assert status == 200 and "useCallback" not in answer
    assert "주문번호" in kakao_text(answer)


def test_oversized_ids_are_a_clear_400(stack):
    status, body = rest(stack, "a" * 191, "안녕하세요")
    assert (status, body["error"]) == (400, "invalid_sender")
    status, body = kakao(stack, "k" * 191, "안녕하세요")
    assert (status, body["error"]) == (400, "invalid_user_id")

"""KakaoTalk skill requests against the real stack: Rasa with credentials.yml, the action server, the desk."""

from __future__ import annotations

import http.server
import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from local_servers import image_host, png_bytes
from conversation import ticket_in
from processes import KAKAO_SKILL_SECRET, free_port, http_json

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parent / "fixtures"
KAKAO_LIMIT_SECONDS = 5.0


@pytest.fixture(scope="module", autouse=True)
def warm(stack) -> None:
    """One throwaway turn: Rasa's first turn after start loads lazily and can take seconds."""
    KakaoChat(stack).send(KakaoChat(stack).request("text", "안녕하세요"), limit=30)


@pytest.fixture
def image_host_url() -> Iterator[str]:
    """Stands in for Kakao's secure image CDN."""
    with image_host(png_bytes((230, 120, 30))) as url:
        yield url


class KakaoChat:
    """One KakaoTalk user talking to the bot through the skill webhook."""

    def __init__(self, stack: Dict[str, str]) -> None:
        self.stack = stack
        self.user_id = f"e2e{uuid.uuid4().hex}"

    def request(self, fixture: str, utterance: str) -> Dict[str, Any]:
        body = json.loads((FIXTURES / f"kakao_request_{fixture}.json").read_text(encoding="utf-8"))
        body["userRequest"]["utterance"] = utterance
        body["userRequest"]["user"]["id"] = body["userRequest"]["user"]["properties"]["botUserKey"] = self.user_id
        return body

    def send(self, body: Dict[str, Any], limit: float = KAKAO_LIMIT_SECONDS) -> Dict[str, Any]:
        started = time.monotonic()
        status, answer = http_json("POST", f"{self.stack['rasa_url']}/webhooks/kakao/webhook", body,
                                   headers={"X-Skill-Secret": KAKAO_SKILL_SECRET})
        elapsed = time.monotonic() - started
        assert status == 200, answer
        assert elapsed < limit, f"Kakao gives up after 5 s; this took {elapsed:.1f} s"
        assert answer["version"] == "2.0"
        outputs = answer["template"]["outputs"]
        assert 1 <= len(outputs) <= 3 and all(len(o["simpleText"]["text"]) <= 1000 for o in outputs)
        replies = answer["template"].get("quickReplies", [])
        assert len(replies) <= 10 and all(len(r["label"]) <= 14 and r["action"] == "message" for r in replies)
        return answer

    def say(self, utterance: str) -> Dict[str, Any]:
        return self.send(self.request("text", utterance))

    def send_photo(self, url: str, utterance: str = "사진 보냈어요") -> Dict[str, Any]:
        body = self.request("image", utterance)
        plugin = json.dumps({"privacyAgreement": "Y", "imageQuantity": "1", "secureUrls": f"List({url})", "expire": "2026-11-22T20:00:00"})
        body["action"]["params"] = {"secureimage": plugin}
        body["action"]["detailParams"] = {"secureimage": {"groupName": "", "origin": plugin, "value": plugin}}
        return self.send(body)

    def ticket(self, answer: Dict[str, Any]) -> Dict[str, Any]:
        return ticket_in(self.stack, text(answer))


def text(answer: Dict[str, Any]) -> str:
    return "\n".join(o["simpleText"]["text"] for o in answer["template"]["outputs"])


def labels(answer: Dict[str, Any]) -> List[str]:
    return [r["label"] for r in answer["template"].get("quickReplies", [])]


def test_late_delivery_over_kakao_becomes_a_kakao_ticket(stack):
    chat = KakaoChat(stack)
    asked = chat.say("배달이 너무 늦어요")
    assert "주문번호" in text(asked)
    assert "주문번호를 모르겠어요" in labels(asked)

    assert "뒤 4자리" in text(chat.say("ORD-261122-0102"))
    offer = chat.say("5678")
    assert "늦어지고" in text(offer) and "환불 요청" in labels(offer)

    done = chat.say("환불 요청")  # the quick reply's text: the channel sends Rasa its payload
    ticket = chat.ticket(done)
    assert ticket["channel"] == "kakao"
    assert ticket["sender_id"] == f"kakao:{chat.user_id}"
    assert (ticket["category"], ticket["order_number"]) == ("delay", "ORD-261122-0102")
    assert ticket["requested_resolution"] == "환불 요청"


def test_cold_food_with_a_photo_from_the_image_plugin(stack, image_host_url):
    chat = KakaoChat(stack)
    chat.say("음식이 다 식었어요")
    chat.say("ORD-261122-0106")
    asked = chat.say("5678")
    assert "사진" in text(asked) and "사진을 보낼 수 없어요" in labels(asked)

    got = chat.send_photo(f"{image_host_url}/dna/photo/img_l.jpg?credential=abc&expires=1795416000")
    assert "1장" in text(got) and "환불 요청" in labels(got)

    ticket = chat.ticket(chat.say("환불 요청"))
    assert ticket["channel"] == "kakao"
    assert ticket["category"] == "quality" and ticket["requested_resolution"] == "환불 요청"
    assert len(ticket["attachments"]) == 1


class _CallbackRecorder(http.server.BaseHTTPRequestHandler):
    """Stands in for Kakao's callback URL: records what the skill server posts."""

    received: List[Dict[str, Any]] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _CallbackRecorder.received.append(json.loads(body))
        answer = b'{"taskId": "t", "status": "SUCCESS", "message": "OK", "timestamp": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def test_a_turn_with_a_callback_url_is_answered_through_the_callback(stack):
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _CallbackRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        chat = KakaoChat(stack)
        body = chat.request("callback", "결제가 두 번 됐어요")
        body["userRequest"]["callbackUrl"] = f"http://127.0.0.1:{port}/v1/callback/abc"
        started = time.monotonic()
        status, first = http_json("POST", f"{stack['rasa_url']}/webhooks/kakao/webhook", body,
                                  headers={"X-Skill-Secret": KAKAO_SKILL_SECRET})
        assert status == 200 and time.monotonic() - started < KAKAO_LIMIT_SECONDS
        assert first["version"] == "2.0" and first["useCallback"] is True
        deadline = time.monotonic() + 20
        while not _CallbackRecorder.received and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.shutdown()
    [final] = _CallbackRecorder.received
    assert final["version"] == "2.0"
    assert "결제 내역을 확인해 볼게요" in text(final)
    assert "주문번호를 모르겠어요" in labels(final)

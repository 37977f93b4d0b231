"""The bad-input corpus through the real bot: every message gets a polite Korean reply, never a 500.

Each message of ``tests/bad_input.MESSAGES`` goes to Rasa's REST webhook in its own
conversation (a few at a time, so the module stays fast), then the same customer
says something ordinary and must get a real answer: the conversation still works.
The raw bodies of ``REST_BODIES`` (invalid JSON or UTF-8, wrong types) get a 4xx or a
polite reply. HTML and script a customer sends reach the agent console (Debian's
Chromium) as text, never as markup, and NUL, unpaired surrogates and a message
of the largest size do not keep the customer from getting a ticket (a larger one is
refused at the door with a 400). Finally the bot, the
action server and the desk still answer.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional, Tuple

import pytest

from bad_input import MESSAGES, REST_BODIES, BadMessage
from bot_texts import NOT_UNDERSTOOD, apology_in
from browser import open_ticket_in_console
from contract.vocabulary import MAX_MESSAGE as MAX_TEXT
from conversation import Conversation
from processes import DEMO_AGENT, KAKAO_SKILL_SECRET, http_json, tickets_of_sender

pytestmark = pytest.mark.e2e

HANGUL = re.compile(r"[가-힣]")
# 해요체/합쇼체: a sentence ends in 요 or 니다 (before punctuation, an emoji or the end)
POLITE = re.compile(r"(요|니다)[.!?~…]*(\s|$|[^\w\s])")
ORDINARY = "배달이 너무 늦어요"
PARALLEL = 3


def post_raw(url: str, body: bytes, content_type: str = "application/json") -> Tuple[int, bytes]:
    """POST raw bytes; returns ``(status, body)`` also for 4xx/5xx answers."""
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def say(stack: Dict[str, str], sender: str, text: str) -> Tuple[int, object]:
    return http_json("POST", f"{stack['rasa_url']}/webhooks/rest/webhook", {"sender": sender, "message": text})


def polite_problem(status: int, answers, understood: bool = False) -> Optional[str]:
    """None when ``answers`` is a 200 with a polite Korean answer that is no failure apology (and, with
    ``understood``, not the "I did not understand" fallback either); else what is wrong."""
    if status != 200:
        return f"status {status}: {str(answers)[:200]}"
    if not isinstance(answers, list) or not answers:
        return "silence: no answer at all"
    said = [str(answer.get("text") or "") for answer in answers if isinstance(answer, dict)]
    texts = " / ".join(said)
    if not HANGUL.search(texts) or not POLITE.search(texts):
        return f"not a polite Korean reply: {texts[:200]!r}"
    if apology_in(said):
        return f"the bot's own failure apology, not an answer: {apology_in(said)!r}"
    if understood and any(text in NOT_UNDERSTOOD for text in said):
        return f"an ordinary message was not understood: {texts[:200]!r}"
    return None


def check_message(stack: Dict[str, str], case: BadMessage) -> List[str]:
    """Send ``case``, then an ordinary message in the same conversation; the problems found.

    A message over the channels' 2,000 characters is a clear 400 (``message_too_long``), never handled.
    """
    sender = f"bad-{case.name}-{uuid.uuid4().hex[:6]}"
    problems = []
    status, answers = say(stack, sender, case.text)
    if len(case.text) > MAX_TEXT:
        refused = (status, answers.get("error") if isinstance(answers, dict) else None)
        why = None if refused in ((400, "message_too_long"), (413, "too_large")) else f"{status}: {answers!r:.200}"
    else:
        why = polite_problem(status, answers)
    if why:
        problems.append(f"{case.name}: {why}")
    status, answers = say(stack, sender, ORDINARY)
    why = polite_problem(status, answers, understood=True)
    if why:
        problems.append(f"{case.name}, then {ORDINARY!r}: {why}")
    return problems


def test_every_bad_message_gets_a_polite_korean_reply_and_the_conversation_goes_on(stack):
    with ThreadPoolExecutor(PARALLEL) as pool:
        problems = [p for found in pool.map(lambda case: check_message(stack, case), MESSAGES) for p in found]
    assert problems == [], "\n".join(problems)


def test_bad_rest_bodies_get_a_4xx_or_a_polite_reply(stack):
    url = f"{stack['rasa_url']}/webhooks/rest/webhook"
    problems = []
    for name, body in REST_BODIES:
        status, raw = post_raw(url, body)
        if 400 <= status < 500:
            continue
        try:
            import json

            answers = json.loads(raw)
        except ValueError:
            answers = raw[:200]
        why = polite_problem(status, answers)
        if why:
            problems.append(f"{name}: {why}")
    assert problems == [], "\n".join(problems)
    status, answers = say(stack, f"after-bad-bodies-{uuid.uuid4().hex[:6]}", ORDINARY)
    assert polite_problem(status, answers, understood=True) is None, answers


def kakao_problem(stack: Dict[str, str], case: BadMessage) -> Optional[str]:
    """None when KakaoTalk gets a polite skill answer, also for an empty or too long utterance (a 4xx
    would show the customer Kakao's error bubble); else why not."""
    user = f"bad{uuid.uuid4().hex}"
    body = {"intent": {"id": "i"}, "bot": {"id": "b"}, "action": {"params": {}, "detailParams": {}},
            "userRequest": {"utterance": case.text, "user": {"id": user, "type": "botUserKey"}}}
    status, answer = http_json("POST", f"{stack['rasa_url']}/webhooks/kakao/webhook", body,
                               headers={"X-Skill-Secret": KAKAO_SKILL_SECRET})
    if status != 200 or answer.get("version") != "2.0":
        return f"{case.name}: {status} {str(answer)[:200]}"
    said = [output["simpleText"]["text"] for output in answer["template"]["outputs"] if "simpleText" in output]
    texts = " / ".join(said)
    if not HANGUL.search(texts) or not POLITE.search(texts):
        return f"{case.name}: not a polite Korean reply: {texts[:200]!r}"
    if apology_in(said):
        return f"{case.name}: the bot's own failure apology, not an answer: {apology_in(said)!r}"
    return None


def test_every_bad_message_over_kakaotalk_gets_a_polite_answer(stack):
    with ThreadPoolExecutor(PARALLEL) as pool:
        problems = [p for p in pool.map(lambda case: kakao_problem(stack, case), MESSAGES) if p]
    assert problems == [], "\n".join(problems)


def test_everything_still_answers(stack):
    status, answers = say(stack, f"still-{uuid.uuid4().hex[:6]}", "안녕하세요")
    assert polite_problem(status, answers, understood=True) is None, answers
    for url in (f"{stack['action_url']}/health", f"{stack['desk_url']}/health"):
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200


XSS_LINES = [
    '<img src=x onerror="window.__xss = 1">음식이 식어서 왔어요',
    "<script>window.__xss = 2</script>",
    '<svg onload="window.__xss = 3"></svg><b>굵게</b> &lt;i&gt;',
]


def tickets_of(stack: Dict[str, str], sender: str) -> List[dict]:
    return tickets_of_sender(stack["desk_url"], stack["token"], sender)


def test_html_a_customer_sends_shows_as_text_in_the_agent_console(stack, browser):
    chat = Conversation(stack)
    for line in XSS_LINES:
        chat.say(line)
    chat.say("상담원 연결해 주세요")
    [ticket] = tickets_of(stack, chat.conversation_id)
    number = ticket["number"]

    page = browser.new_page()
    open_ticket_in_console(page, stack["desk_url"], DEMO_AGENT["email"], DEMO_AGENT["password"], number)
    transcript = page.locator("#transcript").inner_text()
    for line in XSS_LINES:
        assert line in transcript, f"{line!r} is not shown as text"
    assert page.locator("#app script, #app svg, #app b, #transcript img, [onerror], [onload]").count() == 0
    assert page.evaluate("window.__xss") is None
    page.close()


def test_unstorable_and_huge_messages_still_let_the_customer_reach_a_person(stack):
    """NUL and unpaired surrogates (storable nowhere), 2,000 characters (the most a channel takes) and 50,000 (refused)."""
    chat = Conversation(stack)
    status, answers = post_raw_json(stack, {"sender": chat.sender, "message": "배달이\x00 너무 늦어요"})
    assert status == 200 and answers
    status, _ = post_raw(f"{stack['rasa_url']}/webhooks/rest/webhook",
                         ('{"sender": "%s", "message": "\\ud800 음식이 \\udfff 이상해요"}' % chat.sender).encode())
    assert status == 200
    status, refused = post_raw_json(stack, {"sender": chat.sender, "message": "a" * 20_000})
    assert (status, refused["error"]) == (400, "message_too_long"), "refused at the door, in no time"
    status, refused = post_raw_json(stack, {"sender": chat.sender, "message": "가" * 50_000})
    assert (status, refused["error"]) == (413, "too_large"), "a body over 64 KB is not even read as JSON"
    chat.say("가" * MAX_TEXT)
    chat.say("상담원 연결해 주세요")
    [ticket] = tickets_of(stack, chat.conversation_id)
    status, detail = http_json("GET", f"{stack['desk_url']}/api/tickets/{ticket['number']}",
                               headers={"Authorization": f"Bearer {stack['token']}"})
    customer = [line["text"] for line in detail["transcript"] if line["author"] == "customer"]
    assert "배달이 너무 늦어요" in customer and "\ufffd 음식이 \ufffd 이상해요" in customer
    assert all(len(line) <= MAX_TEXT for line in customer), "each line as the customer could send it"


def post_raw_json(stack: Dict[str, str], body: dict):
    return http_json("POST", f"{stack['rasa_url']}/webhooks/rest/webhook", body)


def test_the_oracle_tells_an_answer_from_an_apology():
    """A bot failing on every message must fail this module: its apologies are polite Korean too."""
    from bot_texts import FAILURE_APOLOGIES

    assert len(FAILURE_APOLOGIES) >= 5
    for apology in FAILURE_APOLOGIES:
        assert polite_problem(200, [{"text": apology}]) is not None, apology
    fallback = next(iter(NOT_UNDERSTOOD))
    assert polite_problem(200, [{"text": fallback}]) is None, "a weird message may be not understood"
    assert polite_problem(200, [{"text": fallback}], understood=True) is not None
    assert polite_problem(200, [{"text": "주문번호를 알려 주시겠어요?"}], understood=True) is None

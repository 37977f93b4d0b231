"""Bounded load test of a running stack: many concurrent customer conversations, then an audit.

    python scripts/load_test.py --url http://127.0.0.1:8005 --api-url http://127.0.0.1:5107 \\
        --desk-url http://127.0.0.1:5180 --rasa-token T --desk-token T [--rest-token T] \\
        [--conversations 50] [--seconds 180] [--json report.json]

Each of ``--conversations`` simulated customers talks to the bot over the REST
webhook (realistic Korean support conversations: delay, quality with a photo,
payment, FAQ, handoff), pausing 1–2 s between messages like a person, one
conversation after another, until ``--seconds`` have passed; it calls as the app's
backend would, with the REST service token (``--rest-token``). Only 127.0.0.1 /
localhost URLs are accepted. Afterwards it audits, reading Rasa's trackers through
its private API address (``--api-url``, default ``--url``):

- **errors**: requests that failed, timed out, answered non-200 or with no message;
- **lost messages**: messages sent that Rasa's tracker does not hold, in order;
- **duplicate tickets**: conversations with more tickets at the desk than handoffs
  (a handoff without its ticket counts as lost).

Prints a report and exits 1 unless all three are zero.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlparse

import aiohttp

# (messages, tickets the conversation ends with)
SCRIPTS: List[Tuple[List[str], int]] = [
    (["주문한 지 한참 됐는데 안 와요", "ORD-261122-0105", "0147", '/inform{"resolution": "wait"}', "5"], 0),
    (["배달완료라고 뜨는데 음식을 못 받았어요", "ORD-261122-0103", "5432", "언제 연락 와요?"], 1),
    (["음식이 다 식어서 왔어요", "ORD-261122-0106", "5678", "PHOTO", "환불해 주세요"], 1),
    (["결제가 두 번 됐어요", "ORD-261122-0107", "0147"], 1),
    (["고객센터 운영시간이 어떻게 돼요?", "이메일 답변은 언제 와요?", "감사합니다"], 0),
    (["상담원 연결해 주세요", "빨리 부탁드려요"], 1),
    (["ORD-261122-0101 주문한 거 언제 와요?", "5678", "5", "빨리 확인돼서 좋았어요"], 0),
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Conversation:
    """One simulated customer conversation."""

    sender: str
    sent: List[str] = field(default_factory=list)
    expected_tickets: int = 0

    @property
    def conversation_id(self) -> str:
        """The REST channel's conversation id of this sender."""
        return f"rest:{self.sender}"


@dataclass
class Totals:
    """What the run saw."""

    requests: int = 0
    errors: List[str] = field(default_factory=list)
    latencies_ms: List[float] = field(default_factory=list)
    conversations: List[Conversation] = field(default_factory=list)


def require_local(url: str) -> str:
    """``url`` if it points at this machine; the load test never targets anything else."""
    host = urlparse(url).hostname
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to load {url}: only 127.0.0.1 / localhost may be targeted")
    return url.rstrip("/")


async def upload_photo(http: aiohttp.ClientSession, desk_url: str, token: str) -> str:
    """A small PNG uploaded to the desk, as the in-app chat would."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "PNG")
    form = aiohttp.FormData()
    form.add_field("file", buffer.getvalue(), filename="food.png", content_type="image/png")
    async with http.post(f"{desk_url}/api/uploads", data=form, headers={"Authorization": f"Bearer {token}"}) as r:
        r.raise_for_status()
        return (await r.json())["id"]


async def customer(http: aiohttp.ClientSession, url: str, deadline: float, photo: str, seed: int,
                   totals: Totals, headers: Dict[str, str]) -> None:
    """One simulated customer: whole conversations, one after another, until the deadline."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        messages, tickets = SCRIPTS[rng.randrange(len(SCRIPTS))]
        chat = Conversation(sender=f"load-{uuid.uuid4().hex[:12]}", expected_tickets=tickets)
        totals.conversations.append(chat)
        for text in messages:
            body: Dict[str, object] = {"sender": chat.sender, "message": text}
            if text == "PHOTO":
                body = {"sender": chat.sender, "message": "사진 보내요",
                        "metadata": {"attachments": [{"type": "image", "id": photo}]}}
            chat.sent.append(str(body["message"]))
            started = time.monotonic()
            totals.requests += 1
            try:
                async with http.post(f"{url}/webhooks/rest/webhook", json=body, headers=headers) as response:
                    answer = await response.json(content_type=None)
                    if response.status != 200 or not answer:
                        totals.errors.append(f"{chat.sender}: {text!r} -> HTTP {response.status} {answer!r:.200}")
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                totals.errors.append(f"{chat.sender}: {text!r} -> {type(error).__name__}")
            totals.latencies_ms.append((time.monotonic() - started) * 1000)
            await asyncio.sleep(rng.uniform(1.0, 2.0))


async def audit(http: aiohttp.ClientSession, url: str, desk_url: str, rasa_token: str, desk_token: str,
                totals: Totals) -> Tuple[List[str], List[str]]:
    """Lost messages (not in the tracker, in order; handoffs without a ticket) and duplicate tickets."""
    lost: List[str] = []
    for chat in totals.conversations:
        async with http.get(f"{url}/conversations/{chat.conversation_id}/tracker",
                            params={"token": rasa_token}) as r:
            tracker = await r.json()
        held = [e.get("text") for e in tracker.get("events", []) if e.get("event") == "user"]
        if held != chat.sent:
            lost.append(f"{chat.sender}: sent {len(chat.sent)}, tracker holds {len(held)} ({held[-2:]!r})")
    duplicates: List[str] = []
    for chat in totals.conversations:
        async with http.get(f"{desk_url}/api/tickets", params={"sender_id": chat.conversation_id},
                            headers={"Authorization": f"Bearer {desk_token}"}) as r:
            count = len((await r.json())["tickets"])
        if count > chat.expected_tickets:
            duplicates.append(f"{chat.sender}: {count} tickets for {chat.expected_tickets} handoff(s)")
        elif count < chat.expected_tickets:
            lost.append(f"{chat.sender}: handoff without a ticket")
    return lost, duplicates


def percentile(values: List[float], q: float) -> float:
    """The ``q`` quantile (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


async def run(args: argparse.Namespace) -> Dict[str, object]:
    """Drive the load, then audit; returns the report."""
    url, desk_url = require_local(args.url), require_local(args.desk_url)
    api_url = require_local(args.api_url or args.url)
    headers = {"Authorization": f"Bearer {args.rest_token}"} if args.rest_token else {}
    totals = Totals()
    timeout = aiohttp.ClientTimeout(total=args.request_timeout)
    connector = aiohttp.TCPConnector(limit=args.conversations + 10)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:
        photo = await upload_photo(http, desk_url, args.desk_token)
        started = time.monotonic()
        deadline = started + args.seconds
        await asyncio.gather(*[customer(http, url, deadline, photo, args.seed + i, totals, headers)
                               for i in range(args.conversations)])
        elapsed = time.monotonic() - started
        lost, duplicates = await audit(http, api_url, desk_url, args.rasa_token, args.desk_token, totals)
    return {
        "concurrent_conversations": args.conversations,
        "seconds": round(elapsed, 1),
        "conversations": len(totals.conversations),
        "messages": totals.requests,
        "turns_per_second": round(totals.requests / elapsed, 2) if elapsed else 0,
        "latency_ms": {"p50": round(percentile(totals.latencies_ms, 0.50)),
                       "p95": round(percentile(totals.latencies_ms, 0.95)),
                       "p99": round(percentile(totals.latencies_ms, 0.99))},
        "errors": len(totals.errors),
        "lost_messages": len(lost),
        "duplicate_tickets": len(duplicates),
        "examples": {"errors": totals.errors[:10], "lost": lost[:10], "duplicates": duplicates[:10]},
    }


def main(argv: Optional[List[str]] = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the bot's public address (HAProxy in production)")
    parser.add_argument("--api-url", help="Rasa's HTTP API for the audit (HAProxy's private frontend in production)")
    parser.add_argument("--rest-token", help="the REST channel's service token (required by the production profile)")
    parser.add_argument("--desk-url", required=True)
    parser.add_argument("--rasa-token", required=True)
    parser.add_argument("--desk-token", required=True)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--request-timeout", type=float, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the report here")
    args = parser.parse_args(argv)
    if not (1 <= args.conversations <= 500 and 1 <= args.seconds <= 3600):
        parser.error("--conversations must be 1..500 and --seconds 1..3600 (the test is bounded)")
    report = asyncio.run(run(args))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, ensure_ascii=False, indent=2)
    clean = report["errors"] == report["lost_messages"] == report["duplicate_tickets"] == 0
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())

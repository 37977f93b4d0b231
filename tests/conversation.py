"""Talk to the running bot over Rasa's REST webhook."""

from __future__ import annotations

import re
import uuid
from typing import Dict, List, Optional

from agent_session import Agent  # noqa: F401 - the e2e tests import it from here
from processes import REST_SERVICE_TOKEN, http_json

TICKET_NUMBER = re.compile(r"T-\d{8}-\d{4}")


class Conversation:
    """One customer's conversation with the bot, as an app's backend relays it (REST, service token)."""

    def __init__(self, stack: Dict[str, str], sender: Optional[str] = None) -> None:
        self.stack = stack
        self.sender = sender or f"e2e-{uuid.uuid4().hex[:10]}"

    @property
    def conversation_id(self) -> str:
        """Rasa's and the desk's id of this conversation (the REST channel's namespace)."""
        return f"rest:{self.sender}"

    def say(self, text: str, metadata: Optional[dict] = None) -> str:
        """Send one message; returns the bot's answers joined, buttons included."""
        body = {"sender": self.sender, "message": text}
        if metadata is not None:
            body["metadata"] = metadata
        status, answers = http_json("POST", f"{self.stack['rasa_url']}/webhooks/rest/webhook", body,
                                    headers={"Authorization": f"Bearer {REST_SERVICE_TOKEN}"})
        assert status == 200, answers
        assert answers, f"no answer to {text!r}: a customer must never be left in silence"
        return "\n".join(self._render(a) for a in answers)

    @staticmethod
    def _render(answer: dict) -> str:
        buttons = " ".join(f"[{b['title']}]" for b in answer.get("buttons", []))
        return f"{answer.get('text', '')} {buttons}".strip()

    def ticket(self, reply: str) -> dict:
        """The desk's ticket whose number appears in ``reply``."""
        return ticket_in(self.stack, reply)

    def customer_lines(self, ticket: dict) -> List[str]:
        """What the customer said, as the ticket's transcript holds it."""
        return [line["text"] for line in ticket["transcript"] if line["author"] == "customer"]


def ticket_in(stack: Dict[str, str], reply: str) -> dict:
    """The desk's ticket whose number appears in the bot's ``reply``."""
    found = TICKET_NUMBER.search(reply)
    assert found, f"no ticket number in {reply!r}"
    status, ticket = http_json(
        "GET", f"{stack['desk_url']}/api/tickets/{found.group(0)}", headers={"Authorization": f"Bearer {stack['token']}"}
    )
    assert status == 200, ticket
    return ticket


def upload_photo(stack: Dict[str, str], data: bytes, filename: str = "photo.png") -> str:
    """Upload an image to the desk as the web chat would; returns its attachment id."""
    import urllib.request

    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
        f"Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{stack['desk_url']}/api/uploads", data=body, method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Authorization", f"Bearer {stack['token']}")
    import json

    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["id"]

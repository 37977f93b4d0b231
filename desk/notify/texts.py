"""The Korean e-mails a customer gets: a copy of the conversation at handoff, then each agent reply."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Tuple
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
WHO = {"customer": "고객님", "bot": "상담봇", "agent": "상담원", "system": "안내"}
FOOTER = (
    "\n\n—\n이 메일은 고객님이 상담 중에 남기신 주소로 보내 드렸어요. "
    "답장은 채팅으로 남겨 주세요. 이 주소로 보낸 메일은 확인되지 않아요."
)


def copy_subject(number: str) -> str:
    """The subject of the conversation's copy."""
    return f"[고객센터] 상담 접수 안내 (접수번호 {number})"


def copy_body(number: str, lines: Iterable[Tuple[str, str, datetime]]) -> str:
    """The copy of the conversation: the ticket number and every line with who said it and when."""
    written = [
        f"[{sent_at.astimezone(SEOUL):%m/%d %H:%M}] {WHO.get(author, author)}: {text}" for author, text, sent_at in lines
    ]
    head = (
        f"상담 요청이 접수됐어요. 접수번호는 {number}예요.\n"
        "상담원이 답변하면 채팅과 이 메일 주소로 함께 알려 드릴게요.\n\n"
        "지금까지의 대화 기록이에요.\n"
    )
    return head + "\n".join(written) + FOOTER


def reply_subject(number: str) -> str:
    """The subject of an agent's reply."""
    return f"[고객센터] 상담원 답변이 도착했어요 (접수번호 {number})"


def reply_body(number: str, text: str) -> str:
    """An agent's reply."""
    return f"접수번호 {number} 문의에 상담원이 답변했어요.\n\n{text}" + FOOTER


def resolved_subject(number: str) -> str:
    """The subject of the notice that the ticket is resolved."""
    return f"[고객센터] 상담이 완료됐어요 (접수번호 {number})"


def resolved_body(number: str, text: str) -> str:
    """The notice that the ticket is resolved."""
    return f"{text}\n\n접수번호: {number}" + FOOTER


def kakao_reply_waiting(number: str) -> str:
    """What the KakaoTalk event says when an agent replied (the reply itself comes in the chat)."""
    return f"상담원 답변이 도착했어요. (접수번호 {number}) 채팅창에 아무 말이나 보내 주시면 답변을 보여 드릴게요."


def kakao_resolved(number: str) -> str:
    """What the KakaoTalk event says when the ticket is resolved."""
    return f"문의하신 상담이 완료됐어요. (접수번호 {number}) 채팅창에서 내용을 확인해 주세요."

"""Words that mean the customer must reach a person now (support/escalation_cues.py)."""

from __future__ import annotations

import pytest

from support.escalation_cues import escalation_reason


@pytest.mark.parametrize("text, reason", [
    ("아 진짜 짜증나네 몇번째야 책임자 바꿔", "manager"),
    ("책임자바꿔", "manager"),
    ("사장 나와 당장", "manager"),
    ("팀장 불러요", "manager"),
    ("높은 분이랑 통화하고 싶어요", "manager"),
    ("담당자 연결해", "manager"),
    ("let me talk to your manager", "manager"),
    ("ㅅㅂ 언제 오는데", "swearing"),
    ("시발 치킨 언제와", "swearing"),
    ("미친놈 아니야 이거", "swearing"),
    ("this is fucking ridiculous", "swearing"),
    ("장난하냐 두 시간째야", "anger"),
    ("개빡치네 진짜", "anger"),
    ("화가 나서 못 참겠네요", "anger"),
    ("소비자원에 신고할게요", "anger"),
    ("몇 번째 말하는 건데요", "anger"),
    ("이거 사기 치는 거 아니에요?", "anger"),
])
def test_a_manager_demand_swearing_or_anger_is_named(text, reason):
    assert escalation_reason(text) == reason


@pytest.mark.parametrize("text", [
    "배달이 한 시간째 안 와요",
    "가게에 전화나 한번 해볼까요",
    "영화나 보면서 기다릴게요",
    "고소한 맛이 하나도 안 나요",
    "애가 졸라서 시켰는데 식어서 왔어요",
    "애가 장난치다가 주문을 눌렀어요",
    "앱이 자꾸 꺼져요",
    "사장님이 불친절했어요",
    "사장님이 나와서 음식 주셨는데 양이 적어요",
    "시발점이 어디였더라",
    "대화나 통화나 다 괜찮아요",
    "영수증 다시 발급해 주세요",
    "영수증다시발급해주세요",
    "기사 아저씨 바로 앞이래요",
    "새우튀김 2개 새우버거 1개 시켰어요",
    "콜라 1병 신청했는데 안 왔어요",
    "대기 몇 번째예요?",
    "카드 분실 신고할게요",
    "리뷰 신고할 수 있나요",
    "소비자원 기준으로 환불 되나요",
    "개인정보 보호책임자가 누구예요",
    "팀장님 회의 간식으로 주문했어요",
    "본사 전화번호 알려주세요",
    "존나 맛있어요",
    "the store manager was very kind",
    "",
])
def test_ordinary_messages_are_not_escalated(text):
    assert escalation_reason(text) is None

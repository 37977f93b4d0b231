"""Every sentence the customer reads that is not a ``domain.yml`` response.

The bot's replies are ``domain.yml`` responses. What is left is here, by where the
customer meets it: sentences built from an order's records, what a channel says
on its own when the bot cannot answer, and the notices the desk sends. A writer
changes a sentence in one of these two places and nowhere else; the code only
fills in the ``{names}``.
"""

from __future__ import annotations

from typing import Dict

# --- the problem categories as the customer reads them (several problems in one message) ---
CATEGORY_NAMES: Dict[str, str] = {"delay": "배달 지연", "quality": "음식", "payment": "결제"}
NEXT_PROBLEM_YES = "네, 도와주세요"
NEXT_PROBLEM_NO = "괜찮아요"

# --- the order's records, told by the actions (actions/order_facts.py) ---
ORDER_CANCELLED = "{store} 주문은 취소된 주문이에요."
ORDER_DELIVERED = "{store} 주문은 {when}에 배달완료로 표시돼 있어요."
ORDER_DELIVERED_JUST_NOW = "조금 전"
ORDER_STATUS = "{store} 주문은 지금 '{status}' 상태예요. {explanation}."
# cancelling or changing an order (actions/order_request.py): its state, and what the agent reads on the ticket
ORDER_REQUEST_STATE = "{store} 주문은 지금 '{status}' 상태예요."
REQUESTED_CANCEL = "주문 취소"
REQUESTED_CHANGE = "주문 변경: {change}"
REQUESTED_CHANGE_UNSAID = "주문 변경(내용은 대화 참고)"
# what each open status means (the statuses are orders/model.py's)
ACCEPTED_EXPLAINED = "가게에서 주문을 접수했고 아직 라이더가 배정되지 않았어요"
COOKING_EXPLAINED = "가게에서 음식을 조리하고 있어요"
ON_THE_WAY_EXPLAINED = "라이더가 음식을 배달하고 있어요"
ORDER_LATE = "{status} 예상 도착 시간({eta})보다 {minutes}분 늦어지고 있어요. 정말 죄송해요."
ORDER_ON_TIME = "{status} 예상 도착 시간은 {eta}이에요. 약 {minutes}분 남았어요."
ORDER_ALMOST_DUE = "{status} 예상 도착 시간({eta})이 거의 다 됐어요. 조금만 더 기다려 주세요."
PAYMENT_DOUBLE = "결제 내역을 확인해 보니 한 주문에 결제가 두 번 승인됐어요 ({charges}). 중복 결제가 맞아요."
PAYMENT_CHARGED_NO_ORDER = (
    "이 주문은 취소됐는데 {amount} 결제는 아직 승인 상태로 남아 있어요. 결제 취소가 필요해요."
)
PAYMENT_SETTLED = (
    "{amount}은 {when}에 {kind} 처리됐어요. 카드사나 결제사에 따라 실제 반영까지 3~7영업일이 걸릴 수 있어요."
)
PAYMENT_REFUNDED = "환불"
PAYMENT_CANCELLED = "결제 취소"
PAYMENT_SETTLED_RECENTLY = "최근"
PAYMENT_HISTORY = "이 주문의 결제 내역은 {charges}이에요."
PAYMENT_NONE = "없음"
PAYMENT_CHARGE = "{method} {amount}"  # a charge by its method or its time: "카드 23,000원", "19시 40분 23,000원"
# how times and amounts read
CLOCK_ON_THE_HOUR = "{hour}시"
CLOCK = "{hour}시 {minute:02d}분"
DAY_AND_CLOCK = "{month}월 {day}일 {clock}"
WON = "{amount:,}원"
# the button under the customer's recent orders (actions/dialogue.py)
NOT_IN_THE_LIST = "목록에 없어요"

# --- while a person answers (actions/relay.py; the desk writes the replies themselves) ---
AGENT_PREFIX = "[상담원] "
HANDOFF_ENDED = "상담원 상담이 끝났어요. 이제 상담봇이 다시 도와드릴게요."

# --- notices the desk sends the customer (desk/tickets/) ---
TICKET_QUEUED = "기다려 주셔서 감사해요. 상담 요청이 접수됐어요. (접수번호 {number}) 상담원이 이 대화로 답변드릴게요."
TICKET_RESOLVED = "상담원이 문의를 해결 완료로 처리했어요. 이용해 주셔서 감사해요."

# --- what the channels say on their own (channels/) ---
TRY_AGAIN_LATER = "죄송해요, 잠시 문제가 생겼어요. 잠시 후 다시 말씀해 주세요."
NO_ANSWER_NOW = "죄송해요, 지금은 답변을 드리기 어려워요. 잠시 후 다시 말씀해 주세요."
STILL_WORKING = "답변을 준비하고 있어요. 잠시만 기다려 주세요."
RUNNING_LATE = "조금 늦어지고 있어요. 잠시 후 다시 말씀해 주세요."
SAME_MESSAGE_IN_PROGRESS = "앞서 보낸 같은 메시지를 아직 처리하고 있어요. 잠시 후 다시 시도해 주세요."
TOO_LONG = "메시지가 너무 길어요. {limit:,}자 이하로 나눠서 보내 주세요."
NOTHING_TO_READ = "메시지 내용을 받지 못했어요. 도움이 필요하신 내용을 말씀해 주세요."
CUT_SHORT = "\n…(내용이 길어 여기까지만 보여 드려요)"
IMAGE = "이미지"
CHOOSE_BELOW = "선택해 주세요."
# the web chat's connection problems, by the code the page receives (channels/socketio_sessions.py)
SESSION_ERRORS: Dict[str, str] = {
    "session_mismatch": "이 연결의 대화가 아니에요. 새로 연결해 주세요.",
    "invalid_message": "메시지 형식이 올바르지 않아요.",
    "invalid_metadata": "메시지의 부가 정보 형식이 올바르지 않아요.",
    "token_expired": "로그인이 만료됐어요. 앱에서 다시 열어 주세요.",
    "customer_mismatch": "다른 고객의 로그인 정보예요. 새로 연결해 주세요.",
    "invalid_token": "로그인 정보를 확인하지 못했어요. 앱에서 다시 열어 주세요.",
}

# --- what the bot hears when a photo comes without words (KakaoTalk, Messenger, the web chat) ---
PHOTO_ONLY = "사진을 보냈어요"

# --- the in-app web chat page (desk/chat/static/): its labels and its own notices ---
CHAT_PAGE: Dict[str, str] = {
    "title": "고객센터 채팅",
    "connecting": "연결 중…",
    "ready": "상담 가능",
    "photo_button": "사진 보내기",
    "placeholder": "메시지를 입력하세요",
    "message_label": "메시지",
    "send": "보내기",
    "sent_photo": "보낸 사진",
    "signed_out": "로그인이 만료됐어요. 새로고침해 주세요.",
    "photos_too_often": "사진을 너무 자주 보냈어요. 잠시 후 다시 보내 주세요.",
    "photo_refused": "사진을 올리지 못했어요. {formats} 사진({max_mb}MB 이하)인지 확인해 주세요.",
    "not_sent": "메시지를 보내지 못했어요.",
    "disconnected": "연결이 끊겼어요. 새로고침해 주세요.",
    "cannot_start": "채팅을 시작하지 못했어요. 잠시 후 다시 시도해 주세요.",
    "agent_prefix": AGENT_PREFIX,
    "photo_only": PHOTO_ONLY,
}

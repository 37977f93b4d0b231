"""Every conversation flow, held over the REST webhook against the real stack.

The orders are the shipped demo orders (seeds/demo_orders.yml); phone digits are
the last four of each order's customer.
"""

from __future__ import annotations

import pytest

from conversation import TICKET_NUMBER, Conversation, upload_photo
from local_servers import image_host, png_bytes
from processes import http_json

pytestmark = pytest.mark.e2e


def test_order_on_time_gets_status_then_survey(stack):
    chat = Conversation(stack)
    asked = chat.say("ORD-261122-0101 주문한 거 언제 와요?")
    assert "뒤 4자리" in asked, "the order number in the first message is used, then identity asked"
    status = chat.say("5678")
    assert "배달중" in status and "남았어요" in status
    assert "⭐ 5" in status, "a settled problem is followed by the survey"
    assert "남겨 주세요" in chat.say("5")
    assert "감사" in chat.say("빨리 확인돼서 좋았어요")


def test_delivered_but_not_received_is_an_urgent_ticket(stack):
    chat = Conversation(stack)
    chat.say("배달완료라고 뜨는데 음식을 못 받았어요")
    chat.say("ORD-261122-0103")
    reply = chat.say("5432")
    assert "배달완료" in reply
    ticket = chat.ticket(reply)
    assert (ticket["category"], ticket["priority"]) == ("delay", "urgent")
    assert ticket["order_number"] == "ORD-261122-0103"


def test_late_order_customer_keeps_waiting(stack):
    chat = Conversation(stack)
    chat.say("주문한 지 한참 됐는데 안 와요")
    chat.say("ORD-261122-0105")
    offer = chat.say("0147")
    assert "라이더가 배정되지 않았어요" in offer and "[계속 기다리기]" in offer
    reply = chat.say('/inform{"resolution": "wait"}')
    assert "기다려 주셔서" in reply and not TICKET_NUMBER.search(reply)


def test_cold_food_with_uploaded_photo_ends_in_a_ticket_with_the_photo(stack):
    photo_id = upload_photo(stack, png_bytes())
    chat = Conversation(stack)
    chat.say("치킨이 다 식어서 왔어요 ㅠㅠ")
    chat.say("ORD-261122-0106")
    asked = chat.say("5678")
    assert "사진" in asked
    got = chat.say("사진 보내요", metadata={"attachments": [{"type": "image", "id": photo_id}]})
    assert "1장" in got and "[환불 요청]" in got
    reply = chat.say("환불해 주세요")
    ticket = chat.ticket(reply)
    assert ticket["category"] == "quality"
    assert ticket["requested_resolution"] == "환불 요청"
    assert [a["id"] for a in ticket["attachments"]] == [photo_id]


def test_photo_sent_as_a_channel_url_is_fetched_by_the_desk(stack):
    with image_host(png_bytes((10, 120, 200))) as cdn:
        chat = Conversation(stack)
        chat.say("음식에서 머리카락이 나왔어요")
        chat.say("ORD-261122-0106")
        chat.say("5678")
        url = f"{cdn}/kakao/photo.png"
        chat.say("여기 사진이요", metadata={"attachments": [{"type": "image", "url": url}]})
        ticket = chat.ticket(chat.say("재배달 해주세요"))
    assert ticket["requested_resolution"] == "재배달 요청"
    assert len(ticket["attachments"]) == 1


def test_customer_without_photo_is_noted_in_the_ticket(stack):
    chat = Conversation(stack)
    chat.say("주문한 메뉴가 하나 빠졌어요")
    chat.say("ORD-261122-0106")
    chat.say("5678")
    assert "사진 없이" in chat.say("/dont_know")
    ticket = chat.ticket(chat.say("환불 요청할게요"))
    assert "사진을 보낼 수 없다고" in ticket["summary"]


def test_double_charge_is_found_and_becomes_a_high_priority_ticket(stack):
    chat = Conversation(stack)
    chat.say("결제가 두 번 됐어요")
    chat.say("ORD-261122-0107")
    reply = chat.say("0147")
    assert "두 번 승인" in reply
    ticket = chat.ticket(reply)
    assert (ticket["category"], ticket["priority"]) == ("payment", "high")
    assert ticket["payment_details"]["finding"] == "double_charge"


def test_money_taken_for_a_cancelled_order(stack):
    chat = Conversation(stack)
    chat.say("주문이 취소됐는데 돈은 빠져나갔어요")
    chat.say("ORD-261122-0108")
    reply = chat.say("5432")
    assert "취소됐는데" in reply
    assert chat.ticket(reply)["priority"] == "high"


def test_a_cancelled_order_found_in_the_delay_flow_leads_on_to_its_refund(stack):
    chat = Conversation(stack)
    chat.say("주문한 버거가 아직 안 와요")
    chat.say("ORD-261122-0108")
    offered = chat.say("5432")
    assert "취소된 주문" in offered and "[네, 도와주세요]" in offered, "the refund is one tap away"
    reply = chat.say("/payment")
    assert "뒤 4자리" not in reply and "주문번호를 알려" not in reply, "the proven order is kept"
    ticket = chat.ticket(reply)
    assert (ticket["category"], ticket["order_number"], ticket["priority"]) == ("payment", "ORD-261122-0108", "high")


def test_payment_details_are_compared_with_the_records(stack):
    chat = Conversation(stack)
    chat.say("결제 금액이 이상하게 나왔어요")
    chat.say("ORD-261121-0111")
    assert "금액" in chat.say("5432")
    assert "수단" in chat.say("35,000원")
    assert "승인된 시간" in chat.say("카드")
    reply = chat.say("어제 저녁 7시쯤")
    assert "2,000원 달라요" in reply
    ticket = chat.ticket(reply)
    assert ticket["payment_details"]["amount"] == 35000
    assert ticket["payment_details"]["method"] == "카드"
    assert ticket["payment_details"]["approved_at"]


def test_refund_status_is_answered_from_the_records(stack):
    chat = Conversation(stack)
    chat.say("환불 받기로 했는데 언제 들어와요?")
    chat.say("ORD-261121-0109")
    reply = chat.say("5678")
    assert "환불 처리됐어요" in reply and not TICKET_NUMBER.search(reply)


def test_faq_question_in_the_middle_of_a_form_then_back(stack):
    chat = Conversation(stack)
    chat.say("배달이 너무 늦어요")
    reply = chat.say("근데 상담원 상담 시간은 어떻게 돼요?")
    assert "오전 9시" in reply and "주문번호" in reply
    assert "뒤 4자리" in chat.say("ORD-261122-0102")


def test_customer_can_ask_for_a_person_in_the_middle_of_a_form(stack):
    chat = Conversation(stack)
    chat.say("음식 상태가 이상해요")
    ticket = chat.ticket(chat.say("그냥 상담원 연결해 주세요"))
    assert ticket["category"] == "quality"
    assert chat.customer_lines(ticket)[0] == "음식 상태가 이상해요"


def test_customer_can_stop(stack):
    chat = Conversation(stack)
    chat.say("결제 오류가 났어요")
    assert "멈출게요" in chat.say("그만할래요")


def test_three_wrong_phone_answers_end_the_lookup_and_offer_an_agent(stack):
    chat = Conversation(stack)
    chat.say("배달이 안 와요")
    chat.say("ORD-261122-0101")
    assert "남은 기회 2번" in chat.say("1111")
    chat.say("2222")
    reply = chat.say("3333")
    assert "본인 확인이 되지 않아" in reply and "[상담원 연결]" in reply
    assert "배달중" not in reply
    ticket = chat.ticket(chat.say("/request_agent"))
    assert ticket["category"] == "delay"


def test_customer_without_order_number_gets_a_ticket_saying_so(stack):
    chat = Conversation(stack)
    chat.say("배달이 아직도 안 왔어요")
    assert "언제" in chat.say("주문번호는 모르겠어요")
    ticket = chat.ticket(chat.say("40분 전에 시켰어요"))
    assert ticket["order_number"] is None
    assert ticket["problem_time"]
    assert "주문번호 없이" in ticket["summary"]


def test_faq_answered_directly(stack):
    reply = Conversation(stack).say("고객센터 이메일 주소가 뭐예요?")
    assert "이메일" in reply and "@" in reply


def test_customer_corrects_the_order_number(stack):
    chat = Conversation(stack)
    chat.say("배달이 안 와요")
    chat.say("ORD-261122-0101")
    again = chat.say("아 주문번호 잘못 말했어요")
    assert "다시 알려 주세요" in again and "주문번호" in again
    assert "뒤 4자리" in chat.say("ORD-261122-0102")
    assert "늦어지고" in chat.say("5678")


def test_customer_changes_the_topic_inside_the_form(stack):
    chat = Conversation(stack)
    chat.say("배달이 너무 늦어요")
    switched = chat.say("아 근데 결제가 두 번 된 것 같아요")
    assert "결제 내역을 확인해 볼게요" in switched and "주문번호" in switched
    chat.say("ORD-261122-0107")
    reply = chat.say("0147")
    assert "두 번 승인" in reply
    assert chat.ticket(reply)["category"] == "payment"


def test_signed_in_customer_without_order_number_picks_from_recent_orders(stack):
    from support.customer_tokens import issue

    from processes import CHAT_JWT_SECRET

    token = {"customer_token": issue(CHAT_JWT_SECRET, "cust-001")}
    chat = Conversation(stack)
    chat.say("배달이 너무 늦어요", metadata=token)
    offer = chat.say("주문번호를 모르겠어요", metadata=token)
    assert "최근 주문" in offer and "[엄마손 김밥" in offer and "[목록에 없어요]" in offer
    status = chat.say('/inform{"order_number": "ORD-261122-0102"}', metadata=token)
    assert "늦어지고" in status, "the signed identity verifies the order without phone digits"


def test_signed_in_customer_names_the_store_instead_of_the_number(stack):
    from support.customer_tokens import issue

    from processes import CHAT_JWT_SECRET

    token = {"customer_token": issue(CHAT_JWT_SECRET, "cust-001")}
    chat = Conversation(stack)
    chat.say("배달이 너무 늦어요", metadata=token)
    status = chat.say("아까 엄마손 김밥에서 시킨 거요", metadata=token)
    assert "늦어지고" in status and "주문번호를 알려" not in status, "the store named finds and proves the order"

    other = Conversation(stack)
    other.say("배달이 너무 늦어요", metadata=token)
    offer = other.say("아까 시킨 거요", metadata=token)
    assert "골라 주세요" in offer and "[엄마손 김밥" in offer and "[목록에 없어요]" in offer
    assert offer.count("주문번호를 알려") == 0, "the choice is the question: it is not asked twice"
    assert "피자나라" not in offer, "another customer's order is never offered"

    third = Conversation(stack)
    third.say("배달이 너무 늦어요", metadata=token)
    status = third.say("좀 전에 엄마손 김밥에서 주문한 거예요", metadata=token)  # the NLU reads 엄마 as family
    assert "늦어지고" in status, "the form, not the NLU, decides what a described order is"
    fourth = Conversation(stack)
    fourth.say("배달이 너무 늦어요", metadata=token)
    status = fourth.say("좀 전에 바삭 돈까스에서 시킨 거예요", metadata=token)  # 바삭 reads as a food problem
    assert "음식" not in status.split("\n")[0] and "바삭 돈까스" in status, "the order found, no switch to quality"


def test_a_described_order_without_a_sign_in_asks_for_the_number_once(stack):
    chat = Conversation(stack)
    chat.say("배달이 너무 늦어요")
    reply = chat.say("아까 엄마손 김밥에서 시킨 거요")
    assert "가게나 시간" in reply and reply.count("주문번호") == 2, "asked once, with its button"
    assert "[주문번호를 모르겠어요]" in reply


def test_a_moment_asked_for_at_the_phone_question_keeps_the_question(stack):
    chat = Conversation(stack)
    chat.say("배달이 너무 늦어요")
    assert "뒤 4자리" in chat.say("ORD-261122-0101")
    wait = chat.say("1분만요")
    assert "천천히" in wait and "숫자만" not in wait
    proven = chat.say("5678")
    assert "행복치킨" in proven or "배달" in proven, "the question stayed open and takes the digits"


def test_an_order_number_with_a_question_and_no_problem_gets_the_orders_status(stack):
    for opening, phone, state in (("ord 261122 0104 짜장면 언제 나와요", "010-9876-5432", "조리중"),
                                  ("주문번호 ORD2611220105요 떡볶이 주문 들어갔는지 확인 좀요", "010 5555 0147", "접수")):
        chat = Conversation(stack)
        asked = chat.say(opening)  # read as a late order or as a bare answer: either way the status is checked
        assert "상태를" in asked and "뒤 4자리" in asked, opening
        assert state in chat.say(phone)


def test_forged_customer_token_is_refused_and_nothing_is_shown(stack):
    from support.customer_tokens import issue

    from processes import REST_SERVICE_TOKEN

    forged = {"customer_token": issue("not-the-secret-0123456789abcdef", "cust-001")}
    chat = Conversation(stack)
    body = {"sender": chat.sender, "message": "ORD-261122-0102 배달이 너무 늦어요", "metadata": forged}
    status, answer = http_json("POST", f"{stack['rasa_url']}/webhooks/rest/webhook", body,
                               headers={"Authorization": f"Bearer {REST_SERVICE_TOKEN}"})
    assert (status, answer["error"]) == (401, "invalid_customer_token")
    chat.say("배달이 너무 늦어요")
    assert "뒤 4자리" in chat.say("ORD-261122-0102"), "without a valid token, the phone digits are asked"


def test_a_customer_who_needs_a_moment_keeps_the_question_open(stack):
    chat = Conversation(stack)
    assert "주문번호" in chat.say("배달이 너무 늦어요")
    waiting = chat.say("주문번호가 뭐였더라.. 잠시만요")
    assert "천천히" in waiting and "주문번호를 알려" in waiting, "acknowledged, and the same question stays open"
    assert "뒤 4자리" in chat.say("ORD-261122-0102")

"""Masking personal data: phones, cards, 주민등록번호, e-mail, addresses — and what must stay."""

import re

import pytest

from support.pii import find_pii, luhn_valid, mask, phone_last_four

# Luhn-valid test numbers of the card networks (the ones their docs publish)
VISA = "4111111111111111"
MASTERCARD = "5555555555554444"
AMEX = "378282246310005"
VISA_13 = "4222222222222"
DISCOVER = "6011000990139424"


def luhn_complete(prefix: str) -> str:
    """``prefix`` with the check digit that makes it Luhn-valid."""
    for digit in "0123456789":
        if luhn_valid(prefix + digit):
            return prefix + digit
    raise AssertionError("unreachable")


CARD_19 = luhn_complete("621234567890123456")  # UnionPay numbers run to 19 digits
BC_DOMESTIC = luhn_complete("941012341234123")  # Korean domestic cards start with 9


@pytest.mark.parametrize(
    "text, expected",
    [
        # mobile, every common spelling
        ("010-1234-5678", "010-****-5678"),
        ("01012345678", "010-****-5678"),
        ("010 1234 5678", "010-****-5678"),
        ("010.1234.5678", "010-****-5678"),
        ("010-123-4567", "010-****-4567"),
        ("011-123-4567", "011-****-4567"),
        ("016 987 6543", "016-****-6543"),
        ("019-1234-5678", "019-****-5678"),
        ("(010) 1234-5678", "010-****-5678"),
        ("+82 10-1234-5678", "+82 10-****-5678"),
        ("+82-10-1234-5678", "+82 10-****-5678"),
        ("+821012345678", "+82 10-****-5678"),
        ("+82 010 1234 5678", "+82 10-****-5678"),
        ("+82 (0)10 1234 5678", "+82 10-****-5678"),
        ("0082-10-1234-5678", "+82 10-****-5678"),
        # landlines, internet phones, safe numbers (안심번호)
        ("02-123-4567", "02-****-4567"),
        ("02-1234-5678", "02-****-5678"),
        ("021234567", "02-****-4567"),
        ("(02) 555-0101", "02-****-0101"),
        ("031-1234-5678", "031-****-5678"),
        ("051 234 5678", "051-****-5678"),
        ("064.712.3456", "064-****-3456"),
        ("070-1234-5678", "070-****-5678"),
        ("0504-1234-5678", "0504-****-5678"),
        ("+82 2-123-4567", "+82 2-****-4567"),
        ("+82 31 1234 5678", "+82 31-****-5678"),
        # inside Korean sentences, glued to words
        ("제 번호는 010-1234-5678이에요", "제 번호는 010-****-5678이에요"),
        ("연락처01012345678로 연락주세요", "연락처010-****-5678로 연락주세요"),
        ("전화:010.9876.5432, 문자 주세요", "전화:010-****-5432, 문자 주세요"),
        ("010-1111-2222 아니면 010-3333-4444", "010-****-2222 아니면 010-****-4444"),
        # business numbers (15xx/16xx/18xx) are companies' numbers: kept
        ("고객센터 1588-1234로 전화했어요", "고객센터 1588-1234로 전화했어요"),
        ("1577 1234", "1577 1234"),
        ("16001234", "16001234"),
        ("1899-1234", "1899-1234"),
    ],
)
def test_phone_numbers(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (VISA, "****-****-****-1111"),
        ("4111 1111 1111 1111", "****-****-****-1111"),
        ("4111-1111-1111-1111", "****-****-****-1111"),
        ("5555 5555 5555 4444", "****-****-****-4444"),
        ("3782 822463 10005", "****-****-****-0005"),
        ("3782-822463-10005", "****-****-****-0005"),
        (AMEX, "****-****-****-0005"),
        (VISA_13, "****-****-****-2222"),
        (DISCOVER, "****-****-****-9424"),
        (BC_DOMESTIC, f"****-****-****-{BC_DOMESTIC[-4:]}"),
        (CARD_19, f"****-****-****-{CARD_19[-4:]}"),
        (" ".join([CARD_19[:4], CARD_19[4:8], CARD_19[8:12], CARD_19[12:16], CARD_19[16:]]),
         f"****-****-****-{CARD_19[-4:]}"),
        ("카드번호 4111 1111 1111 1111 이에요", "카드번호 ****-****-****-1111 이에요"),
        ("카드번호4111111111111111요", "카드번호****-****-****-1111요"),
        ("결제 카드: 5555-5555-5555-4444, 승인 23,000원", "결제 카드: ****-****-****-4444, 승인 23,000원"),
        # next to other numbers: the card-shaped part is the card
        ("4111 1111 1111 1111 12000원", "****-****-****-1111 12000원"),
        ("010-1234-5678 4111 1111 1111 1111", "010-****-5678 ****-****-****-1111"),
        ("카드 두 장 4111111111111111, 5555555555554444", "카드 두 장 ****-****-****-1111, ****-****-****-4444"),
        # not Luhn-valid: not a card, left alone
        ("4111 1111 1111 1112", "4111 1111 1111 1112"),
        ("1234567890123", "1234567890123"),
        ("승인번호 30012345 금액 23000", "승인번호 30012345 금액 23000"),
        # digits after a decimal point are a fraction, not a card
        ("confidence 0.4111111111111111", "confidence 0.4111111111111111"),
    ],
)
def test_card_numbers(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("900101-1234567", "******-*******"),
        ("9001011234567", "******-*******"),
        ("900101 - 1234567", "******-*******"),
        ("040229-3123456", "******-*******"),  # 29 February 2004
        ("850315-5123456", "******-*******"),  # 외국인등록번호 (5–8)
        ("주민번호 앞자리 900101, 뒷자리 1234567", "주민번호 앞자리 900101, 뒷자리 1234567"),
        ("제 주민번호는 880808-2345678 이에요", "제 주민번호는 ******-******* 이에요"),
    ],
)
def test_resident_registration_numbers(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "901301-1234567",  # month 13
        "900132-1234567",  # day 32
        "020229-4123456",  # 2002 had no 29 February
        "900101-9234567",  # 7th digit 9: no such number
        "900101-0234567",
        "900101-12345678",  # one digit too many
    ],
)
def test_implausible_resident_numbers_are_left(text):
    assert "rrn" not in [m.kind for m in find_pii(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("m.kim@example.com", "m***@example.com"),
        ("minji.kim+food@naver.com", "m***@naver.com"),
        ("KIM_MINJI@Daum.net", "K***@Daum.net"),
        ("메일은 jh.park@gmail.com 이에요", "메일은 j***@gmail.com 이에요"),
        ("이메일:a@b.co.kr로 보내주세요", "이메일:a***@b.co.kr로 보내주세요"),
        ("<seo.yeon@company.co.kr>", "<s***@company.co.kr>"),
        ("not an address: user@localhost", "not an address: user@localhost"),
        ("@mention only", "@mention only"),
    ],
)
def test_email_addresses(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # 도로명
        ("서울시 강남구 테헤란로 123", "서울시 강남구 ***"),
        ("서울특별시 강남구 테헤란로 123-4", "서울특별시 강남구 ***"),
        ("서울 강남구 테헤란로 123, 5층", "서울 강남구 ***"),
        ("경기도 성남시 분당구 판교역로 235 에이치스퀘어 N동 5층", "경기도 성남시 분당구 ***"),
        ("부산광역시 해운대구 해운대해변로 264", "부산광역시 해운대구 ***"),
        ("역삼로 45길 6", "***"),
        ("역삼로45길 6", "***"),
        ("강남대로94길 21", "***"),
        ("중앙로45번길 12, 2층", "***"),
        ("테헤란로 123 (역삼동)", "***"),
        ("세종대로 110", "***"),
        ("주소는 테헤란로 123이에요", "주소는 ***이에요"),
        ("배달지: 서울시 마포구 월드컵북로 396 101동 1203호로 와 주세요", "배달지: 서울시 마포구 ***로 와 주세요"),
        # 지번
        ("역삼동 123-45", "***"),
        ("서울 강남구 역삼동 737", "서울 강남구 ***"),
        ("역삼동 123-45번지", "***"),
        ("역삼1동 12-3", "***"),
        ("충청남도 공주시 우성면 동대리 123", "충청남도 공주시 ***"),
        # apartments
        ("101동 1203호", "***"),
        ("래미안아파트 101동 1203호에 살아요", "***에 살아요"),
        ("역삼동 123-45 래미안아파트 101동 1203호", "***"),
    ],
)
def test_addresses(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the particle 로 with amounts, times and counts
        "카드로 2만원 결제했어요",
        "카드로 23,000원 결제했어요",
        "현금으로 3000원 냈어요",
        "앱으로 주문했어요",
        "배달로 30분 걸린대요",
        "오토바이로 10분이면 온대요",
        "내일로 3시에 미뤄 주세요",
        "그대로 2개 보내 주세요",
        "혹시 카드로 2000 결제한 거 맞나요",
        "역삼동 5분 거리예요",
        "이동 10분 걸려요",
        "2호선 역삼역 근처예요",
        "강남구에 살아요",
        "역삼동 살아요",
        "치킨 2마리, 콜라 1.5리터",
        "오후 7시 30분에 시켰어요",
    ],
)
def test_ordinary_sentences_are_left(text):
    assert mask(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "ORD-261122-0042",
        "ord2611220042",
        "ORD 261122 0042",
        "ORD_261122_0042",
        "261122-0042",
        "주문번호261122-0042인데 안 왔어요",
        "ORD-261122-0042 랑 261121-0007 둘 다요",
        "261122-0042 261122-0043",  # two order numbers: 20 digits, never a card
        "T-20261122-0001",
        "접수번호 T-20261122-0001 확인했어요",
        "금액은 12,000원이고 2만5천원도 있어요",
        "2026-11-22T10:02:31.123456+00:00",
        "sender:1732261234.0312345678:delay",
        "휴대폰 뒷자리 5678이에요",
    ],
)
def test_order_numbers_and_other_digits_are_kept(text):
    assert mask(text) == text


def test_order_numbers_protect_neighbouring_digits():
    # the order number's digits never become part of a card number next to it
    text = "ORD-261122-0042 5555 5555 5555 4444"
    assert mask(text) == "ORD-261122-0042 ****-****-****-4444"


def test_everything_in_one_message():
    text = (
        "김민지 010-1234-5678, 카드 4111 1111 1111 1111, 주민번호 900101-1234567, "
        "메일 m.kim@example.com, 주소 서울시 강남구 테헤란로 123 101동 1203호, 주문 ORD-261122-0101, 23,000원"
    )
    masked = mask(text)
    assert masked == (
        "김민지 010-****-5678, 카드 ****-****-****-1111, 주민번호 ******-*******, "
        "메일 m***@example.com, 주소 서울시 강남구 ***, 주문 ORD-261122-0101, 23,000원"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        # full-width digits and dashes, as some Korean keyboards type them
        ("제 번호 ０１０－１２３４－５６７８이에요", "제 번호 010-****-5678이에요"),
        ("０１０１２３４５６７８", "010-****-5678"),
        ("010\u20131234\u20135678", "010-****-5678"),  # en dashes
        ("010\u30001234\u30005678", "010-****-5678"),  # ideographic spaces
        ("010ㅡ1234ㅡ5678로 연락 주세요 ㅡㅡ", "010-****-5678로 연락 주세요 ㅡㅡ"),  # the vowel ㅡ as a dash
        ("＋８２ １０－１２３４－５６７８", "+82 10-****-5678"),
        ("카드 ４１１１ １１１１ １１１１ １１１１", "카드 ****-****-****-1111"),
        ("９００１０１－１２３４５６７", "******-*******"),
        ("kim＠example.com", "k***@example.com"),
        # a full-width order number is still an order number, not a phone or a card
        ("주문번호 ＯＲＤ－２６１１２２－０１０１", "주문번호 ＯＲＤ－２６１１２２－０１０１"),
    ],
)
def test_full_width_and_look_alike_characters(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "010-1234-5678",
        "4111 1111 1111 1111",
        "900101-1234567",
        "m.kim@example.com",
        "서울시 강남구 테헤란로 123 101동 1203호",
        "+82 10-1234-5678 / 02-555-0101 / 역삼로 45길 6",
    ],
)
def test_masking_is_idempotent(text):
    once = mask(text)
    assert once != text
    assert mask(once) == once


def test_matches_name_their_kind_and_span():
    text = "010-1234-5678 m.kim@example.com"
    matches = find_pii(text)
    assert [(m.kind, text[m.start : m.end]) for m in matches] == [
        ("phone", "010-1234-5678"),
        ("email", "m.kim@example.com"),
    ]


def test_luhn():
    assert luhn_valid(VISA) and luhn_valid(AMEX) and luhn_valid(MASTERCARD)
    assert not luhn_valid("4111111111111112")
    assert not luhn_valid("")
    assert not luhn_valid("4111-1111")


def test_non_text_is_left():
    assert mask("") == ""
    assert find_pii(None) == []  # type: ignore[arg-type]


def test_no_long_digit_run_survives_in_a_masked_card():
    masked = mask(f"카드 {VISA} 결제")
    assert not re.search(r"\d{5,}", masked)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("010-5555-0147", "0147"),
        ("01055550147", "0147"),
        ("+82 10 5555 0147 이에요", "0147"),
        ("０１０－５５５５－０１４７", "0147"),
        ("010-5555-0147 맞아요, 010-5555-0147", "0147"),  # the same number twice is one number
        ("010-1111-2222 또는 010-3333-4444", None),
        ("뒷자리 5432요 (가게 02-555-0108은 안 받네요)", None),
        ("5432 인데 남편 번호는 010-1111-2222", None),
        ("0147", None),  # four digits alone are not a phone number
        ("ORD-261122-0147", None),
        ("1588-1234", None),
        ("", None),
    ],
)
def test_the_last_four_digits_of_one_phone_number(text, expected):
    assert phone_last_four(text) == expected

"""What counts as noise (nlu/noise.py): shapes no customer writes, and nothing a customer does write."""

from __future__ import annotations

import pytest

from nlu.noise import noise_kind


@pytest.mark.parametrize(
    "text, kind",
    [
        ("<script>alert('x')</script>", "markup"),
        ('<a href="javascript:void(0)">눌러</a>', "markup"),
        ("<svg/onload=confirm(1)>", "markup"),
        ("{{7*7}}", "markup"),
        ("1' or '1'='1", "sql"),
        ("admin'; --", "sql"),
        ("select name, phone from customers", "sql"),
        ("UNION SELECT password FROM users", "sql"),
        ("DROP TABLE tickets", "sql"),
        ('{"order": "ORD-1", "status": "late"}', "json"),
        ('[1, 2, 3]', "json"),
        ("ㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋ", "repeated"),
        ("아아아아아아", "repeated"),
        ("!!!!!!!!", "repeated"),
        ("ㅎㅋㅎㅋㅎㅋㅎㅋ", "repeated"),
        ("zzzzzzzz", "repeated"),
        ("...", "symbols"),
        ("?!?!~~", "symbols"),
        ("😂😂👍", "symbols"),
        ("", "symbols"),
        ("ㅁㄴㅇㄹㅁㄴㅇㄹ", "repeated"),
        ("ㅁㄴㅇㄹㅂㅈㄷ", "mash"),
        ("ㄹㅇㄴㅁㅂㅈ", "mash"),
        ("ㅓㅏㅣㅐㅔ", "mash"),
        ("ㄷ러ㅏㅣ냐ㅓ", "mash"),
        ("ㅂ누ㅜㅜㄹ랴ㅇ뎌", "mash"),
        ("jkl;jkl;", "repeated"),
        ("hjkl", "mash"),
        ("xcvbn", "mash"),
        ("bcdfgh zxcv", "mash"),
        ("hkdsalfjhk", "mash"),
        ("dsklfjsld;", "mash"),
        ("# 회의록\n- 안건 1\n- 안건 2", "markup"),
        ("## Release notes\n* fixed 3 bugs", "markup"),
        ("```\nx = 1\n```", "markup"),
    ],
)
def test_noise_shapes_are_named(text, kind):
    assert noise_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "배달이 한 시간째 안 와요",
        "치킨에서 머리카락 나왔어요 ㅡㅡ",
        "결제두번됐어요ㅠㅠㅠㅠ",
        "ㅈㄴ 늦네 ㄹㅇ",
        "ㅅㄷㅇ 연결해줘",
        "ㅇㅇ",
        "ㄴㄴ",
        "ㅇㅋ",
        "ㄱㅅ",
        "ㅠㅠ",
        "ㅋㅋ",
        "1234",
        "5678",
        "010-1234-5678",
        "ORD-261122-0102",
        "19,000원",
        "my order is late",
        "refund pls",
        "food came cold 🥶",
        "😡 배달 언제와요",
        "상담원 <<< 연결",
        "가격이 3000원 > 2500원 이상해요",
        "select 버튼이 안 눌려요",
        "네",
        "salads",
        "my salads are missing",
        "#1 주문이 안 왔어요",
        "치킨 2개 시켰는데\n- 콜라 없음\n- 무 없음",
    ],
)
def test_what_customers_write_is_not_noise(text):
    assert noise_kind(text) is None

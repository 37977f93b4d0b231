"""Korean addresses: the region words kept, the locator and details found."""

import pytest

from support.korean_address import find_addresses


@pytest.mark.parametrize(
    "text, kept, hidden",
    [
        ("서울시 강남구 테헤란로 123", "서울시 강남구 ", "테헤란로 123"),
        ("경기도 성남시 분당구 판교역로 235", "경기도 성남시 분당구 ", "판교역로 235"),
        ("서울 강남구 역삼동 737 래미안아파트 101동 1203호", "서울 강남구 ", "역삼동 737 래미안아파트 101동 1203호"),
        ("역삼로 45길 6", "", "역삼로 45길 6"),
        ("101동 1203호", "", "101동 1203호"),
        ("테헤란로 123 (역삼동), 5층", "", "테헤란로 123 (역삼동), 5층"),
    ],
)
def test_region_words_are_kept_and_the_rest_found(text, kept, hidden):
    [found] = find_addresses(text)
    assert text[found.start : found.masked_start] == kept
    assert text[found.masked_start : found.end] == hidden


def test_trailing_punctuation_is_not_part_of_the_address():
    text = "주소: 테헤란로 123, 맞아요"
    [found] = find_addresses(text)
    assert text[found.masked_start : found.end] == "테헤란로 123"


def test_several_addresses_in_order():
    text = "집은 역삼동 123-45이고 회사는 서울 중구 세종대로 110이에요"
    found = find_addresses(text)
    assert [text[f.masked_start : f.end] for f in found] == ["역삼동 123-45", "세종대로 110"]


def test_a_word_with_the_particle_is_no_road_but_a_district_makes_it_one():
    assert find_addresses("카드로 2000 결제했어요") == []
    assert find_addresses("혹시 카드로 2000 결제") == []
    assert len(find_addresses("마포구 월드컵로 12")) == 1

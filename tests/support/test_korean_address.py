"""Korean addresses: the region words kept, the locator and details found."""

import pytest

from pathlib import Path

from support.korean_address import find_addresses

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize("word", ["서울시 ", "서울특별시 ", "경기도 성남시 ", "강남구 "])
def test_a_run_of_region_words_is_found_in_linear_time(word):
    """Found by the attack review: "서울시 " x 30 held the action server and the desk for hours.

    Run in a child process that must end well within a minute; the old pattern needed 2^n steps.
    """
    import subprocess
    import sys

    code = f"from support.korean_address import find_addresses; find_addresses({word * 60!r} + '이에요')"
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


def test_region_words_before_an_address_are_kept_as_before():
    [found] = find_addresses("서울특별시 강남구 테헤란로 123")
    assert "서울특별시 강남구 테헤란로 123"[found.masked_start:found.end] == "테헤란로 123"

"""Korean street addresses in free text: where they are and which part identifies a home.

An address is found by its **locator**, the part that points at one building:

* 도로명: a road name ending in 로/대로/길, optionally a side street (``45길``,
  ``45번길``), and the building number: ``테헤란로 123``, ``역삼로 45길 6``,
  ``강남대로94길 21``, ``테헤란로 123-4``;
* 지번: a 동 (or 읍/면 + 리, or ``종로1가``) and the lot number:
  ``역삼동 123-45``, ``역삼동 산 12번지``, ``북면 신리 123``;
* an apartment: ``101동 1203호`` (with a building name such as ``래미안아파트``).

After the locator, details are part of the address too: ``101동 1203호``,
``5층``, ``(역삼동)``. Before it, the region words — province, city, district
(``서울시 강남구``, ``경기도 성남시 분당구``) — are kept when the address is
masked: they help an agent (delivery area, store) without identifying a home.

Words ending in 로 are often not roads but the particle 로 (``카드로 2만원``,
``현금으로``): without region words before them, a road needs a side street,
or a name that is not a common word, and a building number that is not followed
by a unit (원, 분, 시, 개, 번, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, List

_PROVINCE = (
    r"(?:(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)"
    r"(?:특별자치시|특별자치도|특별시|광역시|시|도)?"
    r"|(?:충청|전라|경상)[남북]도)"
)
# A city or district that is not also a province word: every region word then matches one way
# only, so a run of region words costs linear time ("서울시 " x 30 used to take hours).
_CITY_OR_DISTRICT = r"(?!" + _PROVINCE + r"(?![가-힣0-9]))[가-힣]{1,4}(?:시|군|구)"
_REGION = r"(?:(?:" + _PROVINCE + r"|" + _CITY_OR_DISTRICT + r")(?![가-힣0-9])[ ,]*)"

_NUMBER = r"\d{1,5}(?:-\d{1,5})?"
# what may not follow a building or lot number: more digits, 2,000 / 1.5, or a unit
_NOT_QUANTITY = (
    r"(?![,.]?\d)"
    r"(?!\s*(?:원|만|천|백|분|초|시|개|명|건|회|번(?!지)|배|살|세|인분|인|일|월|년|주|달|km|m\b|kg|g\b|%|퍼|프로|"
    r"마리|그릇|잔|병|장|통|세트|봉|판|조각|차|박|등|위|점|호선|킬로|미터|리터|대|권|곳|군데))"
)
_ROAD = (
    r"(?P<road>[가-힣][가-힣0-9]{0,12}(?:대로|로|길))"
    r"(?:\s*(?P<side>\d{1,4}번?[가-힣]?길))?"
    r"\s*(?P<building>" + _NUMBER + r")" + _NOT_QUANTITY
)
_TOWN = r"(?:[가-힣]{1,5}[읍면]\s+[가-힣]{1,4}리|[가-힣]{1,5}\d{0,2}동|[가-힣]{1,4}\d{1,2}가)"
_LOT = r"(?P<town>" + _TOWN + r")\s*(?:산\s*)?(?P<lot>" + _NUMBER + r")(?:\s*번지)?" + _NOT_QUANTITY
_BUILDING_NAME = r"[가-힣A-Za-z]{0,12}(?:아파트|APT|apt|빌라|맨션|오피스텔|타워|빌딩|하우스|하이츠|팰리스|캐슬|마을|단지)"
_APARTMENT = r"(?P<apartment>(?:" + _BUILDING_NAME + r"\s*)?\d{1,4}\s*동\s*\d{1,5}\s*호)"
_DETAIL = (
    r"(?:[ ,]*(?:\([^()\n]{1,30}\)|" + _BUILDING_NAME + r"|\d{1,4}\s*동|\d{1,5}\s*호(?!선)"
    r"|(?:지하\s*)?\d{1,3}\s*층|[A-Za-z]동"
    r"|[가-힣A-Za-z]{1,15}(?=\s*(?:\d{1,4}\s*동|[A-Za-z]동|(?:지하\s*)?\d{1,3}\s*층|\d{1,5}\s*호(?!선)))))*"
)
_LEADING_TOWN = r"(?:[가-힣]{1,5}\d{0,2}(?:동|읍|면)\s+)?"

# at most four region words (province, city, district, and one more): a search then costs linear
# time however long a run of region words a message holds
ADDRESS_PATTERN = re.compile(
    r"(?<![가-힣A-Za-z0-9])(?P<region>" + _REGION + r"{0,4})"
    r"(?P<rest>" + _LEADING_TOWN + r"(?:" + _ROAD + r"|" + _LOT + r"|" + _APARTMENT + r")" + _DETAIL + r")"
)

# stems that make a word ending in 로/대로/길 an ordinary word with the particle 로
NOT_ROAD_STEMS = frozenset(
    """
    카드 앱 어플 포인트 배달 택배 전화 문자 메일 이메일 카톡 쿠폰 계좌 페이 오토바이 바이크 도보 차 주소 번호
    시간 처리 환불 재배달 취소 결제 주문 상담 사진 메뉴 음식 가게 매장 리뷰 방문 포장 직접 대신 새 따 바 별
    서 스스 실제 정말 진짜 그 제 마음 멋 함부 절대 주 대체 억지 앞 뒤 위 아래 밖 안 옆 이 저 최고 최대 최소
    기본 무료 유료 추가 정상 자동 수동 현금 이체 송금 상품권 제로페이 네이버페이 카카오페이 토스 삼성페이
    애플페이 문의 답변 보상 교환 내일 오늘 어제 모레 다음 이번 지난 나중 처음 마지막 한번 두번 하나 반
    정도 대략 거의 혹시 이걸 그걸 저걸 이거 그거 저거 여기 거기 저기 이리 그리 저리 이쪽 그쪽 저쪽 집 회사
    학교 사무실 말 생각 요청 순서 약속 예정 계획 원래 규정 정책 말씀 안내 가는 오는 골목 지름 출근 퇴근
    귀갓 밤 빗 눈 쪽 편 데 곳 걸 것 날 달 해 금액 가격 원 만원 천원 개 번 분 시 초
    """.split()
)
NOT_TOWNS = frozenset(
    """
    자동 이동 행동 활동 작동 운동 공동 변동 감동 출동 연동 가동 진동 노동 충동 부동 파동 소동 전동 수동 냉동
    난동 발동 기동 유동 협동 구동 이상동 같은동 저희동 우리동
    """.split()
)
# words ending in 시/구/군 that are no city or district
NOT_REGIONS = frozenset(
    """
    혹시 다시 역시 당시 동시 즉시 항시 수시 잠시 평시 표시 게시 무시 지시 제시 전시 감시 실시 개시 임시 정시
    몇시 한시 두시 세시 네시 친구 입구 출구 가구 요구 연구 도구 창구 탐구 추구 욕구 기구 용구 장군 국군 아군
    적군 대군
    """.split()
)


@dataclass(frozen=True)
class AddressMatch:
    """An address in a text: ``text[start:masked_start]`` are the region words kept when masking."""

    start: int
    masked_start: int
    end: int


def _stem(road: str) -> str:
    for suffix in ("대로", "로", "길"):
        if road.endswith(suffix):
            return road[: -len(suffix)]
    return road


def _real_region(region: str) -> bool:
    words = [word for word in re.split(r"[ ,]+", region) if word]
    return bool(words) and not any(word in NOT_REGIONS for word in words)


def _is_road(found: "re.Match[str]") -> bool:
    """Whether a road-shaped match is a road and not a word with the particle 로."""
    road = found.group("road")
    if _real_region(found.group("region")) or found.group("side") or re.search(r"\d번?[가-힣]?길$", road):
        return True
    if road.endswith("으로"):
        return False
    return _stem(road) not in NOT_ROAD_STEMS


def _accepted(found: "re.Match[str]") -> bool:
    if found.group("road") is not None:
        return _is_road(found)
    if found.group("town") is not None:
        town = found.group("town")
        return town not in NOT_TOWNS
    return found.group("apartment") is not None


def find_addresses(text: str) -> List[AddressMatch]:
    """Every address in ``text``, in order; region words are outside ``masked_start``."""
    if not isinstance(text, str):
        return []
    return list(_scan(text))


def _scan(text: str) -> Iterator[AddressMatch]:
    position = 0
    while True:
        found = ADDRESS_PATTERN.search(text, position)
        if found is None:
            return
        if _accepted(found):
            end = found.end()
            while end > found.start("rest") and text[end - 1] in " ,":
                end -= 1
            yield AddressMatch(found.start(), found.start("rest"), end)
            position = end
        else:
            position = found.start() + 1

"""Words that mean the customer must reach a person now: a demand for a manager, swearing, anger.

``escalation_reason`` names the strongest cue a message carries, or ``None``.

Short roots (swear words, anger) must start a word: "다시 발급", "2개 새우버거",
"아저씨 바로", "1병 신청" hold the same syllables and are no swearing. A demand
for a manager needs the person *and* a demand ("책임자 바꿔", "팀장 불러요"):
"개인정보 보호책임자", "팀장님 회의 간식", "사장님이 나와서 주셨어요" are no
demand. Harmless uses that share the words are excluded by what follows them
("대기 몇 번째예요", "장난치다가", "고소한 맛", "분실 신고할게요").
Casual intensifiers (존나, ㅈㄴ) are not swearing on their own: "존나 맛있어요" is praise.
"""

from __future__ import annotations

import re
from typing import Optional, Tuple

# the parse-data key the NLU (nlu/escalation.py) sets and the dialogue (dialogue/escalation_policy.py) reads
ESCALATION = "escalation"
# strongest first: the ticket names one reason
REASONS: Tuple[str, ...] = ("manager", "swearing", "anger")
# the reason the dialogue adds: the same problem typed a third time
REPEATED = "repeated"

_WORD_START = r"(?<![가-힣ㄱ-ㅎㅏ-ㅣ0-9A-Za-z])"
_PERSON = r"(?:책임자|매니저|팀장|관리자|상급자|윗사람|윗선|높은 ?(?:사람|분)|대표|센터장|담당자|사장)"
_DEMAND = (
    r"(?:바꿔|바꾸라|불러|부르라|나와(?![서도있])|나오라|데려|연결|통화(?:하고|하게|시켜|할게|할래|좀)|"
    r"얘기(?:하고|할게|할래|좀)|이야기(?:하고|할게|할래)|말하고 ?싶|대 ?(?:줘|주세요|봐))"
)
_MANAGER = re.compile(
    _PERSON + r"(?:님)?\s?(?:을|를|좀|이랑|하고|한테|께|이나|나)?\s?(?:당장|지금|빨리|좀|바로)?\s?" + _DEMAND
    + r"|본사에?\s?(?:항의|따질|민원)"
    + r"|(?:speak|talk|get|want|call|put)\b[^.!?]{0,30}\b(?:manager|supervisor|your boss)",
    re.IGNORECASE,
)
_SWEARING = re.compile(
    _WORD_START + r"(?:씨발|씨바|시발(?!점)|ㅅㅂ|ㅆㅂ|ㅅ1ㅂ|시1발|개새|개색|ㄱㅅㄲ|좆|ㅈ같|병신|ㅂㅅ|지랄|ㅈㄹ|염병|"
    r"엿\s?먹|닥쳐|미친\s?(?:놈|년|새끼|것들|거\s?아니)|미쳤(?:나|냐|어\?)|돌았(?:나|냐))"
    r"|\b(?:fuck\w*|shit|wtf|bullshit)\b",
    re.IGNORECASE,
)
_ANGER = re.compile(
    _WORD_START + r"(?:개\s?)?(?:장난(?:하|치)(?:냐|나|니|세요|십니까|는\s?(?:거|것)|지\s?마)|"
    r"몇\s?번째\s?(?:야|냐|말|얘기|이야기|전화|문의|연락|라고|인데)|"
    r"짜증|빡(?:치|쳐|침|쳤)|열\s?(?:받|불)|화(?:가)?\s?(?:나|났|납)|어이(?:가)?\s?없|미치겠|돌겠|돌아버리|환장|"
    r"고소(?:하겠|할게|할거|할께|장|각)|고발(?:할|하겠)|민원\s?(?:넣|제기|접수)|사기(?:꾼|치|냐|\s치))"
    r"|소비자원에?\s?(?:신고|고발|민원|접수|넣)"
    r"|\b(?:ridiculous|unacceptable|furious|pissed)\b",
    re.IGNORECASE,
)
_CUES = {"manager": _MANAGER, "swearing": _SWEARING, "anger": _ANGER}


def escalation_reason(text: str) -> Optional[str]:
    """``manager``, ``swearing`` or ``anger`` when ``text`` carries that cue (strongest first), else ``None``."""
    if not isinstance(text, str) or not text.strip():
        return None
    for reason in REASONS:
        if _CUES[reason].search(text):
            return reason
    return None

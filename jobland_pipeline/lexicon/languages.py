"""Spoken languages and their levels, as CVs and postings write them in several languages.

A posting that needs "fluent German (C1)" is a deal-breaker for someone with "German (basic, A2)";
the same posting is fine for "Deutsch (Muttersprache)". Levels use the CEFR scale as integers
(A1=1 ... C2=6, native=6) so both sides compare with one number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jobland_pipeline.lexicon.cues import fold_for_cues

# ISO 639-1 code -> names of the language in English, French, Spanish, German, Portuguese, Italian, Chinese.
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "anglais", "ingles", "englisch", "inglese", "英语", "英文", "英語"),
    "fr": ("french", "francais", "frances", "franzosisch", "francese", "法语", "法文", "法語"),
    "es": (
        "spanish",
        "espagnol",
        "espanol",
        "castellano",
        "spanisch",
        "spagnolo",
        "espanhol",
        "西班牙语",
        "西班牙語",
    ),
    "de": ("german", "allemand", "aleman", "deutsch", "tedesco", "alemao", "德语", "德文", "德語"),
    "it": ("italian", "italien", "italiano", "italienisch", "意大利语"),
    "pt": ("portuguese", "portugais", "portugues", "portugiesisch", "portoghese", "葡萄牙语"),
    "nl": (
        "dutch",
        "neerlandais",
        "holandes",
        "neerlandes",
        "niederlandisch",
        "olandese",
        "flemish",
        "荷兰语",
    ),
    "zh": (
        "chinese",
        "mandarin",
        "putonghua",
        "chinois",
        "chino",
        "chinesisch",
        "cinese",
        "中文",
        "普通话",
        "汉语",
        "國語",
        "普通話",
    ),
    "yue": ("cantonese", "cantonais", "cantones", "粤语", "廣東話", "广东话"),
    "wuu": ("shanghainese", "上海话", "上海話"),
    "ja": ("japanese", "japonais", "japones", "japanisch", "giapponese", "日语", "日文", "日語"),
    "ko": ("korean", "coreen", "coreano", "koreanisch", "韩语", "韓語"),
    "ar": ("arabic", "arabe", "arabisch", "arabo", "阿拉伯语"),
    "ru": ("russian", "russe", "ruso", "russisch", "russo", "俄语"),
    "hi": ("hindi",),
    "ur": ("urdu",),
    "bn": ("bengali", "bangla"),
    "mr": ("marathi",),
    "ta": ("tamil",),
    "te": ("telugu",),
    "gu": ("gujarati",),
    "pa": ("punjabi",),
    "tl": ("filipino", "tagalog"),
    "vi": ("vietnamese", "vietnamien", "vietnamita"),
    "th": ("thai",),
    "id": ("indonesian", "bahasa indonesia"),
    "ms": ("malay", "bahasa melayu"),
    "tr": ("turkish", "turc", "turco", "turkisch"),
    "pl": ("polish", "polonais", "polaco", "polnisch"),
    "ro": ("romanian", "roumain", "rumano"),
    "el": ("greek", "grec", "griego"),
    "sv": ("swedish", "suedois", "sueco", "schwedisch"),
    "da": ("danish", "danois", "danes"),
    "no": ("norwegian", "norvegien", "noruego"),
    "fi": ("finnish", "finnois", "finlandes"),
    "cs": ("czech", "tcheque", "checo"),
    "hu": ("hungarian", "hongrois", "hungaro"),
    "uk": ("ukrainian", "ukrainien", "ucraniano"),
    "he": ("hebrew", "hebreu", "hebreo"),
    "fa": ("persian", "farsi"),
    "sw": ("swahili",),
    "yo": ("yoruba",),
    "ga": ("irish", "gaelic", "irlandais", "gaelico"),
    "cy": ("welsh", "gallois"),
    "ca": ("catalan", "catala", "catalan"),
    "eu": ("basque", "euskera", "vasco"),
    "gl": ("galician", "gallego"),
}
NATIVE = 6
# Level words, strongest first; folded (no accents).
LEVEL_WORDS: tuple[tuple[int, str], ...] = (
    (
        6,
        r"native|mother\s+tongue|first\s+language|langue\s+maternelle|maternelle|nativ[oa]|lengua\s+materna|muttersprache|madrelingua|母语|母語|c2|bilingual|bilingue|zweisprachig",
    ),
    (
        5,
        r"fluent|fluency|fluently|full\s+professional|proficient|proficiency|advanced|courant|couramment|avance|fluid[oa]|dominio|avanzado|fliessend|verhandlungssicher|fluente|流利|精通|熟练|c1|n1",
    ),
    (
        4,
        r"upper[- ]intermediate|business|professional\s+working|working\s+(?:knowledge|proficiency)|good|bon\s+niveau|buen\s+nivel|gute|b2|n2|良好|cet[- ]?6|六级",
    ),
    (
        3,
        r"intermediate|conversational|conversation|intermediaire|intermedio|mittel|b1|n3|conversationnel|日常|一般|cet[- ]?4|四级",
    ),
    (
        2,
        r"basic|elementary|limited|notions?|basico|basica|grundkenntnisse|elementaire|a2|n4|基础|基本|入门|简单",
    ),
    (1, r"beginner|debutant|principiante|anfanger|a1|n5|初级"),
)
_CEFR = re.compile(r"\b([abc][12])\b")
_JLPT = re.compile(r"\bn([1-5])\b")


@dataclass(frozen=True)
class LanguageMention:
    code: str
    level: int | None  # None: named without a level
    text: str
    negated: bool = False  # "cannot work fully in French", "no German"


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern[str], dict[str, str]]:
    lookup = {name: code for code, names in LANGUAGE_NAMES.items() for name in names}
    ordered = sorted(lookup, key=len, reverse=True)
    latin = [re.escape(n) for n in ordered if n.isascii()]
    han = [re.escape(n) for n in ordered if not n.isascii()]
    pattern = re.compile(rf"(?<![a-z])(?:{'|'.join(latin)})(?![a-z])|{'|'.join(han)}")
    return pattern, lookup


def level_of(text: str) -> int | None:
    """The strongest level word in a short text (a CEFR code wins over words)."""
    folded = fold_for_cues(text)
    cefr = _CEFR.search(folded)
    if cefr:
        return {"a1": 1, "a2": 2, "b1": 3, "b2": 4, "c1": 5, "c2": 6}[cefr.group(1)]
    jlpt = _JLPT.search(folded)
    if jlpt:
        return {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}[int(jlpt.group(1))]
    for level, words in LEVEL_WORDS:
        if re.search(rf"(?<![a-z])(?:{words})(?![a-z])", folded):
            return level
    return None


def find_languages(text: str) -> list[tuple[str, int, int]]:
    """(code, start, end) of every language named in the text."""
    pattern, lookup = _names()
    folded = fold_for_cues(text)
    return [(lookup[m.group(0)], m.start(), m.end()) for m in pattern.finditer(folded)]


def parse_language_items(text: str) -> list[LanguageMention]:
    """Languages with levels from a CV's languages line: "French (intermediate, B1 - ...), Hindi (fluent)".

    Each language takes the level words written between it and the next language named.
    """
    folded = fold_for_cues(text)
    found = find_languages(text)
    mentions: list[LanguageMention] = []
    for i, (code, start, end) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(folded)
        # A level written just before the name counts too ("fluent English", "conversational Irish").
        before = folded[max(0, start - 25) : start]
        before = re.split(r"[,;、，；]", before)[-1]
        span = before + folded[end:stop]
        negated = bool(
            re.search(
                r"(?:cannot|can't|not\s+able|unable|no\s+puedo|ne\s+peux\s+pas|nicht)\s+(?:\w+\s+){0,4}(?:work|travailler|trabajar|arbeiten)",
                span,
            )
        )
        if re.search(r"(?<![a-z])no\s*$|(?<![a-z])(?:pas\s+de|sin|kein\w*|不会|不懂)\s*$", before):
            negated = True
        mentions.append(
            LanguageMention(
                code=code, level=level_of(span), text=text[start:stop].strip(" ,;、，；"), negated=negated
            )
        )
    return mentions

"""Which language a text is written in, from its function words (no model, no network).

CVs and postings come in many languages; the matcher needs to know which one to read stated
constraints, to choose the language of reasons and letters, and to pick stop words. Function words
are the cheapest reliable signal: a few dozen per language tell them apart on any text of a sentence
or more. Han characters decide Chinese first (and Simplified vs Traditional by telltale characters).
"""

from __future__ import annotations

import re
from functools import lru_cache

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "for",
            "with",
            "on",
            "at",
            "by",
            "from",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "this",
            "that",
            "which",
            "who",
            "our",
            "your",
            "we",
            "you",
            "will",
            "have",
            "has",
            "an",
            "as",
            "or",
            "not",
            "it",
            "its",
            "their",
            "they",
            "i",
            "my",
            "me",
            "am",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "de",
            "un",
            "une",
            "et",
            "en",
            "au",
            "aux",
            "pour",
            "avec",
            "sur",
            "dans",
            "par",
            "est",
            "sont",
            "nous",
            "vous",
            "je",
            "mon",
            "ma",
            "mes",
            "notre",
            "nos",
            "votre",
            "vos",
            "qui",
            "que",
            "ne",
            "pas",
            "plus",
            "ou",
            "ce",
            "cette",
            "ces",
            "son",
            "sa",
            "ses",
            "leur",
            "être",
            "été",
            "avoir",
            "chez",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "de",
            "del",
            "un",
            "una",
            "y",
            "en",
            "con",
            "para",
            "por",
            "es",
            "son",
            "que",
            "se",
            "su",
            "sus",
            "al",
            "lo",
            "como",
            "más",
            "o",
            "mi",
            "mis",
            "nuestro",
            "nuestra",
            "nuestros",
            "tu",
            "tus",
            "usted",
            "ser",
            "está",
            "están",
            "he",
            "ha",
            "hemos",
            "muy",
            "sin",
            "desde",
            "también",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "mit",
            "für",
            "von",
            "zu",
            "im",
            "in",
            "ist",
            "sind",
            "ein",
            "eine",
            "einen",
            "dem",
            "den",
            "des",
            "auf",
            "bei",
            "wir",
            "sie",
            "ich",
            "unser",
            "unsere",
            "ihre",
            "nicht",
            "oder",
            "auch",
            "als",
            "aus",
            "nach",
            "über",
            "werden",
            "wird",
            "haben",
            "sowie",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "de",
            "do",
            "da",
            "dos",
            "das",
            "um",
            "uma",
            "e",
            "em",
            "com",
            "para",
            "por",
            "é",
            "são",
            "que",
            "se",
            "seu",
            "sua",
            "ao",
            "na",
            "no",
            "nas",
            "nos",
            "como",
            "mais",
            "ou",
            "não",
            "também",
            "você",
            "nosso",
            "nossa",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "i",
            "gli",
            "le",
            "di",
            "del",
            "della",
            "dei",
            "un",
            "una",
            "e",
            "in",
            "con",
            "per",
            "su",
            "è",
            "sono",
            "che",
            "si",
            "suo",
            "sua",
            "al",
            "alla",
            "come",
            "più",
            "o",
            "non",
            "anche",
            "nostro",
            "nostra",
            "essere",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "in",
            "met",
            "voor",
            "op",
            "is",
            "zijn",
            "dat",
            "die",
            "wij",
            "je",
            "jij",
            "ons",
            "onze",
            "niet",
            "of",
            "ook",
            "als",
            "bij",
            "naar",
            "aan",
            "om",
            "te",
            "worden",
            "wordt",
            "heeft",
            "hebben",
        ]
    ),
}
# Letters that only Traditional Chinese uses (a few hundred common ones would do; these are frequent).
_TRADITIONAL = frozenset(
    "們個為這來對說時會國學與發經從過還進開關當點動產現實務處體員職業請歷練負責資訊網絡際"
)
_WORD = re.compile(r"[a-zà-ÿœæß]+")
_HAN_CHARS = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=1)
def _word_languages() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for lang, words in FUNCTION_WORDS.items():
        for word in words:
            index.setdefault(word, []).append(lang)
    return {w: tuple(langs) for w, langs in index.items()}


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language (``zh`` for Chinese); ``en`` when nothing tells.

    Only the first 4,000 characters are read: a CV or posting does not change language half way.
    """
    sample = text[:4000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return "en"
    han = len(_HAN_CHARS.findall(sample))
    if han / letters > 0.2:
        return "zh"
    counts = dict.fromkeys(FUNCTION_WORDS, 0)
    index = _word_languages()
    for word in _WORD.findall(sample.lower()):
        for lang in index.get(word, ()):
            counts[lang] += 1
    best = max(counts, key=lambda lang: (counts[lang], lang == "en"))
    return best if counts[best] >= 2 else "en"


def chinese_script(text: str) -> str:
    """``zh-Hant`` when Traditional-only characters show up, else ``zh-Hans``."""
    trad = sum(1 for ch in text if ch in _TRADITIONAL)
    return "zh-Hant" if trad >= 3 else "zh-Hans"


def languages_used(text: str) -> set[str]:
    """Every language some sentence of the text is written in (Chinese by its characters).

    A CV with a Spanish header and English bullets is written by someone who reads Spanish.
    """
    found: set[str] = set()
    if len(_HAN_CHARS.findall(text)) >= 20:
        found.add("zh")
    for sentence in re.split(r"[.!?;:\n]+", text):
        if len(sentence.split()) >= 6:
            found.add(detect_language(sentence))
    return found

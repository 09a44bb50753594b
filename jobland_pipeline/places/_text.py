"""Name folding and tokenising shared by the gazetteer build script and the matcher.

The build script stores place names as *keys* (folded token sequences) and the matcher folds
the input text with the same functions, so both sides must agree byte for byte: keep every
normalisation rule in this module and nowhere else.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# Letters that NFKD does not decompose into base letter + accent.
_SPECIAL: Final = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "ø": "o",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ŀ": "l",
    }
)

# Apostrophes are dropped inside words so that "L'Aquila", "L’Aquila" and "LAquila" agree.
_APOSTROPHES: Final = re.compile(r"['’‘ʻʼ`´]")

# Han ideographs (CJK unified, extension A, compatibility): matched as substrings, not words.
HAN_CLASS: Final = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN: Final = re.compile(f"[{HAN_CLASS}]+")

# A word: letters/digits (not Han, not underscore), apostrophes inside allowed.
_WORD: Final = re.compile(rf"[^\W_{HAN_CLASS}]+(?:['’‘ʻʼ`´][^\W_{HAN_CLASS}]+)*")

# Abbreviated tokens folded to one canonical form, so "St Albans" == "Saint Albans".
CANONICAL_TOKENS: Final[dict[str, str]] = {
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ft": "fort",
}


def fold_word(word: str) -> str:
    """Fold one word: lower case, no accents, no apostrophes, canonical abbreviations."""
    lowered = _APOSTROPHES.sub("", word.lower()).translate(_SPECIAL)
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered)
        lowered = "".join(c for c in decomposed if not unicodedata.combining(c))
    return CANONICAL_TOKENS.get(lowered, lowered)


# ASCII fast path of name_key: punctuation separates words, apostrophes vanish.
_ASCII_SEPARATORS: Final = str.maketrans(
    {c: " " for c in '!"#$%&()*+,-./:;<=>?@[\\]^_{|}~\t\n\r'} | {"'": None, "`": None}
)


def name_key(name: str) -> str:
    """The lookup key of a Latin/Cyrillic/... place name: folded words joined by one space.

    Hyphens, dots and other punctuation separate words, so "Neuilly-sur-Seine",
    "Neuilly sur Seine" and "NEUILLY SUR SEINE" share the key "neuilly sur seine".
    """
    if name.isascii():
        words = name.lower().translate(_ASCII_SEPARATORS).split()
        return " ".join(CANONICAL_TOKENS.get(w, w) for w in words)
    return " ".join(fold_word(w) for w in _WORD.findall(unicodedata.normalize("NFKC", name)))


def is_han(name: str) -> bool:
    """True when the whole name is written in Han characters (Chinese, or Japanese kanji)."""
    return bool(name) and _HAN_RUN.fullmatch(name) is not None


def han_key(name: str) -> str:
    """The lookup key of a Han name: NFKC-normalised, whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


# Administrative suffixes that Chinese writers add or drop freely: 上海市 == 上海, 广东省 == 广东.
_HAN_SUFFIXES: Final = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "壯族自治區",
    "回族自治區",
    "維吾爾自治區",
    "特别行政区",
    "特別行政區",
    "自治区",
    "自治區",
    "自治州",
    "地区",
    "地區",
    "市",
    "省",
    "区",
    "區",
    "县",
    "縣",
)


def han_variants(name: str) -> set[str]:
    """A Han name plus its forms without administrative suffix (kept only if 2+ characters)."""
    key = han_key(name)
    out = {key}
    for suffix in _HAN_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            out.add(key[: -len(suffix)])
            break
    return out


__all__ = [
    "CANONICAL_TOKENS",
    "HAN_CLASS",
    "fold_word",
    "han_key",
    "han_variants",
    "is_han",
    "name_key",
]

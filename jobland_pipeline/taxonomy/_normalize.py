"""Normalisation of job titles for matching (never for display).

A person's role title and a taxonomy title only meet after the same folding on both sides: lowercase,
accents folded (CVs and postings drop them inconsistently), gender markers removed ("(H/F)", "(m/w/d)",
"Desarrollador/a", "Elektriker/in"), and words that say how senior someone is rather than what they do
("Senior", "Lead", "Level 3", "II") set aside. What sits in parentheses or after a comma or dash of a
*person's* title is usually an employer, a product or a specialism, so it is kept apart with a lower
weight instead of being dropped or trusted fully.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words of the five CV languages; they carry no meaning in a title ("chef *de* cuisine").
STOPWORDS = _word_set(
    """
    a an and the of for in on at to with by or &
    de du des d la le les l et en au aux pour par sur dans un une
    del el los las y e o para con por al una
    der die das den dem und fur im von vom zur zum mit bei am als
    """
)

# Words that grade a person inside an occupation rather than name it. Always dropped when the title has
# other words: "Senior", "Junior", "Confirmé", "Praktikant".
SENIORITY = _word_set(
    """
    senior sr snr junior jr jnr medior midlevel experienced graduate trainee intern internship apprentice
    confirme confirmee experimente experimentee debutant debutante stagiaire alternant alternante
    semisenior ssr practicante becario becaria
    erfahrener erfahrene berufserfahrener praktikant praktikantin werkstudent werkstudentin
    """
)
# Grading words that are also job words ("Team Lead", a school "Principal", "Medical Staff"): dropped only
# in front of another word, where English puts a modifier ("Lead Engineer", "Staff Pharmacist").
LEADING_SENIORITY = frozenset(["lead", "principal", "staff", "associate"])

# Grade markers: "Level 3", "Band 6", "Grade 7", "Step 2", "Tier 1"; roman grades "II" are dropped as tokens.
_GRADE_RE = re.compile(
    r"\b(?:level|lvl|band|grade|step|tier|niveau|nivel|stufe|echelon|classe)\s*[0-9ivx]+\b"
)
_ROMAN = frozenset(["i", "ii", "iii", "iv"])

# Gender markers, matched on lowercased, accent-folded text.
_GENDER_PAREN_RE = re.compile(
    r"[\(\[]\s*(?:[hfmwdxne]|all|gn)\s*(?:[/|,.\-]\s*(?:[hfmwdxne]|all|divers|genders?)\s*)+[\)\]]"
)
_GENDER_BARE_RE = re.compile(
    r"(?<![\w/])(?:h/f|f/h|m/w/d|m/f/d|w/m/d|d/m/w|m/f/x|m/w|w/m|m/f|f/m|h/m|m/h)(?![\w/])"
)
_GENDER_SUFFIX_RE = re.compile(
    r"(?<=[a-z])(?:/-?(?:in|innen|frau|as?|os?|es?|ne|nne|euse|rice|trice|ere|ienne)\b"
    r"|\((?:in|innen|a|as|o|e|es|ne|nne|euse|rice|trice|ere)\)"
    r"|[*:_](?:in|innen)\b|[\u00b7\u2022](?:e|ne|euse|rice|trice)s?\b)"
)
_BRACKETS_RE = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_SEGMENT_RE = re.compile(r"\s[-\u2013\u2014|]\s|,|;|@")
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[+#]+)?")
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "’": "'", "‘": "'"}
)

# Weights of the parts of a person's title (see the module docstring).
MAIN_WEIGHT = 1.0
SEGMENT_WEIGHT = 0.5
PAREN_WEIGHT = 0.3
CODE_WEIGHT = 0.2


def fold(text: str) -> str:
    """Lowercase and strip accents, so "Ingénieur" and "ingenieur" are one word."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))


def strip_gender(text: str) -> str:
    """Remove gender markers from folded text: "(h/f)", "m/w/d", "/a", "(e)", "/in", "·e"."""
    text = _GENDER_PAREN_RE.sub(" ", text)
    text = _GENDER_BARE_RE.sub(" ", text)
    return _GENDER_SUFFIX_RE.sub("", text)


def stem(token: str) -> str:
    """Fold plurals so "Electricians" (O*NET's occupation title) meets "Electrician" (a CV)."""
    if not token.endswith("s"):
        return token
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


# Feminine endings of French, Spanish and German job words, folded to the masculine form ESCO lists first
# ("infirmière" -> "infirmier", "enfermera" -> "enfermero", "Elektrikerin" -> "Elektriker"), so a title
# in either form finds the occupation. Applied to every token: the few English words touched ("premiere",
# "canada") are changed the same way on both sides and collide with nothing that matters.
_FEMININE = (
    ("iere", "ier"),
    ("euse", "eur"),
    ("trice", "teur"),
    ("ienne", "ien"),
    ("enne", "en"),
    ("elle", "el"),
    ("ante", "ant"),
    ("ente", "ent"),
    ("ere", "er"),
    ("ee", "e"),
    ("arztin", "arzt"),
    ("login", "loge"),
    ("erin", "er"),
    ("orin", "or"),
    ("istin", "ist"),
    ("antin", "ant"),
    ("entin", "ent"),
    ("frau", "mann"),
    ("era", "ero"),
    ("ora", "or"),
    ("ada", "ado"),
    ("ica", "ico"),
    ("aria", "ario"),
    ("enta", "ente"),
)


def fold_feminine(token: str) -> str:
    """The masculine form of a feminine job word (see ``_FEMININE``); other words unchanged."""
    for ending, masculine in _FEMININE:
        if token.endswith(ending) and len(token) > len(ending) + 2:
            return token[: -len(ending)] + masculine
    return token


@lru_cache(maxsize=100_000)
def _token_form(token: str) -> str:
    """``fold_feminine(stem(token))``, once per distinct word: the taxonomy's 100,000 titles repeat their
    words, and building the title index is a step process's start-up cost."""
    return fold_feminine(stem(token))


def _raw_tokens(text: str) -> list[str]:
    return [_token_form(tok) for tok in _TOKEN_RE.findall(text) if tok not in STOPWORDS]


def _clean(tokens: list[str]) -> list[str]:
    """Drop grades, bare numbers and seniority words, unless nothing else would be left."""
    kept = [tok for tok in tokens if not (tok in _ROMAN or tok.isdigit() or tok in SENIORITY)]
    while len(kept) > 1 and kept[0] in LEADING_SENIORITY:
        kept = kept[1:]
    return kept if kept else tokens


def title_tokens(title: str) -> list[str]:
    """Tokens of a taxonomy title, in order: folded, stemmed, without stop, grade and seniority words."""
    return _clean(_raw_tokens(_GRADE_RE.sub(" ", strip_gender(fold(title)))))


def title_key(title: str) -> str:
    """The key under which two titles count as the same title (deduplication and exact matching)."""
    return " ".join(title_tokens(title))


@dataclass(frozen=True)
class ParsedTitle:
    """A person's title split by how much each word says about the occupation.

    ``main`` is the title proper (before any comma, dash or parenthesis), ``weights`` maps every token
    to its weight (main words 1.0, words after a comma or dash 0.5, words in parentheses 0.3, product
    codes such as "A320" 0.2) and ``keys`` are the exact-match keys to try, best first.
    """

    main: tuple[str, ...]
    weights: dict[str, float]
    keys: tuple[str, ...]


def _is_code(token: str) -> bool:
    return (
        any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token) and token not in {"3d", "2d"}
    )


def _token_weights(main: list[str], rest: list[str], parens: list[str]) -> dict[str, float]:
    """Main words 1.0 (a code only when not alone), then the best of other segments and brackets."""
    weights: dict[str, float] = {}
    for tokens, weight in ((parens, PAREN_WEIGHT), (rest, SEGMENT_WEIGHT)):
        for tok in tokens:
            weights[tok] = max(weights.get(tok, 0.0), CODE_WEIGHT if _is_code(tok) else weight)
    for tok in main:
        weights[tok] = CODE_WEIGHT if _is_code(tok) and len(main) > 1 else MAIN_WEIGHT
    return weights


def _exact_keys(*candidates: list[str]) -> tuple[str, ...]:
    """The distinct non-empty keys of the candidates, in order."""
    keys: list[str] = []
    for candidate in candidates:
        key = " ".join(candidate)
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def parse_title(title: str) -> ParsedTitle:
    """Split a person's role title into weighted tokens and exact-match keys (see :class:`ParsedTitle`)."""
    text = _GRADE_RE.sub(" ", strip_gender(fold(title)))
    parens = " ".join(a or b for a, b in _BRACKETS_RE.findall(text))
    text = _BRACKETS_RE.sub(" , ", text)
    segments = [seg for seg in _SEGMENT_RE.split(text) if _raw_tokens(seg)]
    main_raw = _raw_tokens(segments[0]) if segments else []
    rest_raw = [tok for seg in segments[1:] for tok in _raw_tokens(seg)]
    paren_raw = _raw_tokens(parens)
    main = _clean(main_raw) if main_raw else _clean(rest_raw or paren_raw)
    weights = _token_weights(main, _clean(rest_raw), _clean(paren_raw))
    keys = _exact_keys(_clean(main_raw + rest_raw), list(main), _clean(main_raw + rest_raw + paren_raw))
    return ParsedTitle(main=tuple(main), weights=weights, keys=keys)

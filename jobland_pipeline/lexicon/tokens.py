"""Words for matching, in any language: folded, lightly stemmed, Chinese as character bigrams.

One tokenizer serves CVs and postings in every language so that "Électricien" and "electricien",
"Pharmacists" and "pharmacist", "coordinadores" and "coordinador" meet, and Chinese (written without
spaces) is compared by overlapping character pairs — measured in ARCHITECTURE.md to rank as well as
embedding models. Stemming is deliberately light and language-agnostic: a wrong merge costs more
than a missed one, and English tool names inside a Spanish CV must stem the same as in an English
posting.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from jobland_pipeline.lexicon.hanzi import to_simplified
from jobland_pipeline.lexicon.lang import FUNCTION_WORDS, is_han

# Function words of every supported language, plus words every posting or CV uses whatever the job.
STOPWORDS = frozenset().union(*FUNCTION_WORDS.values()) | frozenset(
    (  # noqa: SIM905 -- a word list reads best as text
        "a an any all can may must per via etc eg ie e.g i.e also able within across into onto upon than then "
        "there these those such other more most some each every both own same so very just about over under "
        "after before while during without between through would should could shall might do does did done "
        "us them him her he she his hers whom whose what when where why how yes no non "
        # French / Spanish / German / Portuguese / Italian extras
        "y o u ou et mais donc car ni si ya sobre entre hasta hacia segun tras durante mediante "
        "und oder aber wie wenn dass noch nur schon sehr "
        # Words every job advert or CV uses whatever the job, in the supported languages: left in, they
        # would make any two French (or Spanish...) texts look alike. English ones are rare in the
        # background corpus anyway; these cover the languages it has less text in.
        "poste postes equipe equipes entreprise experience experiences profil mission missions travail "
        "travailler recherche recherchons rejoindre candidat candidate candidature contrat salaire avantages "
        "an ans annee annees jour jours semaine heures bonne bon tres etre avoir faire ainsi afin selon dont "
        "chaque tout toute tous toutes niveau connaissance connaissances capacite sens esprit qualite qualites "
        "moins aussi h/f f/h "
        "puesto puestos equipo equipos empresa experiencia perfil funciones buscamos ofrecemos trabajo "
        "trabajar candidato candidata contrato salario beneficios anos ano dia dias semana horas buen buena "
        "muy ser estar hacer nuestro nuestra nuestros nuestras conocimiento conocimientos capacidad valorable "
        "requisitos "
        "stelle team unternehmen erfahrung aufgaben bieten arbeit arbeiten bewerbung kandidat vertrag gehalt "
        "jahre jahr tag tage woche stunden gute guten sein haben machen kenntnisse "
        "experience team company role work working candidate candidates apply application salary benefits "
        "years year day days week hours strong excellent good great ability skills skill knowledge including "
        "include responsibilities requirements required preferred bonus opportunity opportunities join "
        "looking seeking ideal well new"
    ).split()
)
# Chinese bigrams that carry no topic (particles, generic job-ad words).
CJK_STOP = frozenset(
    [
        "我们",
        "你们",
        "他们",
        "以及",
        "或者",
        "并且",
        "能够",
        "可以",
        "进行",
        "相关",
        "具有",
        "以上",
        "以下",
        "负责",
        "工作",
        "要求",
        "优先",
        "良好",
        "具备",
        "熟悉",
        "熟练",
        "掌握",
        "了解",
        "经验",
        "岗位",
        "职位",
        "公司",
        "我司",
        "一个",
        "一定",
        "的工",
        "作经",
        "工作经",
        "有关",
        "及时",
        "提供",
        "参与",
        "完成",
    ]
)
_LATIN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.\-/][a-z0-9+#]+)*")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


_LIGATURES = {"ß": "ss", "œ": "oe", "æ": "ae", "ø": "o"}


@lru_cache(maxsize=65_536)
def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_LIGATURES.get(c, c) for c in out)


def fold(text: str) -> str:
    """Lower case without accents ("Électricien" -> "electricien"); Han characters untouched.

    Character by character through a cache: this runs on every text the matcher reads.
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    lowered = to_simplified(lowered)
    return "".join(ch if ch < "\x80" else _fold_char(ch) for ch in lowered)


def _strip_plural(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("es") and len(word) > 5 and word[-3] in "rlndz":
        return word[:-2]  # coordinadores, profesionales, centres, rules
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _undouble(word: str) -> str:
    """planning -> plann -> plan; but "fill", "pass", "buzz" keep their double letter."""
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        return word[:-1]
    return word


def _strip_verb_ending(word: str) -> str:
    if word.endswith("ing") and len(word) > 6:
        return _undouble(word[:-3])
    if word.endswith("ed") and len(word) > 5 and not word.endswith("eed"):
        return _undouble(word[:-2])
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, language-agnostic stem: plurals, -ing/-ed, a final -e."""
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _strip_verb_ending(_strip_plural(word))
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def latin_words(text: str) -> list[str]:
    """Folded Latin words and codes ("a320", "c++", "node.js", "is-1893"), stop words kept."""
    return _LATIN.findall(fold(text))


def _word_tokens(word: str) -> list[str]:
    """The tokens of one folded Latin word.

    "sous-chef", "supply-chain", "node.js": the whole and the parts both count.
    """
    parts = re.split(r"[.\-/]", word) if re.search(r"[a-z]{2}[.\-/][a-z]{2}", word) else [word]
    if len(parts) > 1:
        return [
            word,
            *(
                st
                for p in parts
                if p and p not in STOPWORDS and len(p) > 1 and (st := stem(p)) not in STOPWORDS
            ),
        ]
    stemmed = stem(word)
    return [stemmed] if stemmed not in STOPWORDS else []


def _han_tokens(run: str) -> list[str]:
    """A single Han character, or the bigrams of a longer run that are not stop bigrams."""
    if len(run) == 1:
        return [run]
    return [bg for i in range(len(run) - 1) if (bg := run[i : i + 2]) not in CJK_STOP]


@lru_cache(maxsize=50_000)
def _tokens_cached(text: str) -> tuple[str, ...]:
    folded = fold(text)
    out: list[str] = []
    for word in _LATIN.findall(folded):
        if word in STOPWORDS or (len(word) == 1 and not word.isdigit()):
            continue
        out.extend(_word_tokens(word))
    for run in _HAN_RUN.findall(to_simplified(text)):
        out.extend(_han_tokens(run))
    return tuple(out)


def tokens(text: str) -> list[str]:
    """Content tokens of a text: stemmed Latin words without stop words, Han character bigrams."""
    if len(text) > 20_000:
        return list(_tokens_cached.__wrapped__(text))
    return list(_tokens_cached(text))


def han_runs(text: str) -> list[str]:
    """The runs of Han characters of a text, in Simplified script, as ``tokens`` reads them."""
    return _HAN_RUN.findall(to_simplified(text))


def has_han(text: str) -> bool:
    return any(is_han(ch) for ch in text)

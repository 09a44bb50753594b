"""Comparing job titles in any language: concept terms from the glossary, weighted by how telling they are.

"Senior Backend Engineer (Java)" and "Desarrollador Backend Java Senior" share {backend, java} and the
concept pair developer~engineer; "Chef de rang" shares only the word "chef" with "Sous-chef de
cuisine", and the glossary knows "chef de rang" is a waiter. Terms are weighted by their rarity among
occupational titles, so "electrician" counts for more than "engineer" or "manager".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from jobland_pipeline.lexicon.acronyms import TITLE_ACRONYMS, expand_acronyms
from jobland_pipeline.lexicon.glossary import concept_index, family_of
from jobland_pipeline.lexicon.hanzi import to_simplified
from jobland_pipeline.lexicon.titlewords import core_title
from jobland_pipeline.lexicon.tokens import STOPWORDS, fold, stem

_HAN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.'][a-z0-9]+)*")
# Concepts that name a level or a generic head rather than the job: they count for little.
WEAK = {"senior": 0.3, "trainee": 0.4, "lead": 0.5, "manager": 0.6, "engineer": 0.6, "specialist": 0.5,
        "coordinator": 0.8, "officer": 0.6, "associate": 0.4, "assistant": 0.6, "executive": 0.5,
        "consultant": 0.7, "head": 0.5, "director": 0.7, "worker": 0.5, "operations": 0.6,
        "project": 0.6, "design": 0.8, "developer": 0.7}  # fmt: skip
ROLE_HEADS = frozenset(
    [
        "developer",
        "engineer",
        "manager",
        "director",
        "coordinator",
        "assistant",
        "specialist",
        "consultant",
        "adviser",
        "analyst",
        "officer",
        "technician",
        "designer",
        "architect",
        "administrator",
        "supervisor",
        "operator",
        "partner",
        "associate",
        "intern",
        "apprentice",
        "trainee",
        "instructor",
        "representative",
        "agent",
        "executive",
        "clerk",
        "worker",
        "electrician",
        "plumber",
        "mechanic",
        "pharmacist",
        "nurse",
        "physician",
        "chef",
        "sous-chef",
        "waiter",
        "lawyer",
        "counsel",
        "paralegal",
        "accountant",
        "auditor",
        "pilot",
        "captain",
        "recruiter",
        "researcher",
        "scientist",
        "teacher",
        "driver",
        "inspector",
        "estimator",
        "draughtsman",
    ]
) | {"first officer", "cabin crew", "quantity surveyor", "business partner", "sous-chef"}
_ROMANCE_OF = frozenset({"de", "del", "du", "des", "di", "da", "do", "d"})
TITLE_STOP = frozenset(
    {"h", "f", "m", "w", "d", "x", "remote", "hybrid", "hiring", "now", "new", "job", "urgent"}
)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], list[str], int]:
    index = concept_index()
    han_words = sorted((w for w in index if _HAN.fullmatch(w)), key=len, reverse=True)
    longest = max(len(k.split()) for k in index)
    return index, han_words, longest


@lru_cache(maxsize=1)
def _compound_parts() -> dict[str, tuple[int, str]]:
    """Glossary words long enough to be recognised inside a compound ("Fachkrankenpflegerin"), each with
    its rank (longest first, then glossary order) and concept."""
    index = _index()[0]
    parts = [(w, c) for w, c in index.items() if " " not in w and w.isascii() and len(w) >= 5]
    ranked = sorted(parts, key=lambda wc: -len(wc[0]))
    return {w: (rank, c) for rank, (w, c) in enumerate(ranked)}


@lru_cache(maxsize=50_000)
def _compound_concept(word: str) -> str | None:
    """German and Dutch join words: a long word that ends (head) or starts with a glossary word.

    The best-ranked glossary word that is the word's head or start wins; looked up by the word's own
    prefixes and suffixes (a few dictionary probes) rather than by testing every glossary word against
    it, which made the title IDF table the slowest part of a step process's start-up."""
    if len(word) < 8:
        return None
    parts = _compound_parts()
    # The head of a feminine compound is before its ending: "Softwareentwickler|in".
    base = word[:-5] if word.endswith("innen") else word[:-2] if word.endswith("in") else ""
    for n in range(len(word), 4, -1):
        found = [parts[p] for p in _pieces(word, base, n) if p in parts]
        if found:
            return min(found)[1]
    return None


def _pieces(word: str, base: str, n: int) -> list[str]:
    """The word's head and start of ``n`` letters that may be a glossary word.

    A compound's other word has three letters or more ("dielectric" is not "di" + "electric"); a
    shorter ending is only an inflection of the start ("Beraterin", "ingeniera"), never "-al" or "-et"
    ("internal", "internet" are not interns)."""
    rest = len(word) - n
    whole = rest == 0 or rest >= 3
    pieces = [word[-n:]] if whole else []
    if whole or word[n:] in _INFLECTIONS:
        pieces.append(word[:n])
    if len(base) - n >= 3:
        pieces.append(base[-n:])
    return pieces


# Endings that inflect a job noun (German feminine and plural, Romance gender and number, possessive).
_INFLECTIONS = frozenset(["in", "en", "n", "e", "a", "as", "o", "os", "es", "s", "'s"])


def _word_term(word: str) -> str | None:
    """A word outside every glossary phrase: its compound's concept, itself, or nothing (stop word)."""
    if word in STOPWORDS or word in TITLE_STOP or len(word) <= 1:
        return None
    concept = _compound_concept(word)
    return "@" + concept if concept else word


_ONE_WORD = (1,)


@lru_cache(maxsize=1)
def _phrase_lengths() -> dict[str, tuple[int, ...]]:
    """First word of each glossary phrase -> the phrases' lengths in words, longest first, then 1: the
    only lengths worth trying at a word (instead of every length up to the longest phrase)."""
    lengths: dict[str, set[int]] = {}
    for phrase in _index()[0]:
        words = phrase.split(" ")
        lengths.setdefault(words[0], {1}).add(len(words))
    return {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}


def _latin_terms(folded: str) -> list[str]:
    """Glossary phrases (longest first, left to right) as concepts, other words as themselves."""
    index = _index()[0]
    lengths = _phrase_lengths()
    found = _WORD.findall(folded.replace("-", " ").replace("/", " "))
    if any(w in TITLE_ACRONYMS for w in found):  # "RN" is "Registered Nurse"
        found = expand_acronyms(found)
    words = [stem(w) for w in found]
    terms: list[str] = []
    i = 0
    while i < len(words):
        for n in lengths.get(words[i], _ONE_WORD):
            if n > len(words) - i:
                continue
            phrase = " ".join(words[i : i + n]) if n > 1 else words[i]
            if phrase in index:
                terms.append("@" + index[phrase])
                i += n
                break
        else:
            term = _word_term(words[i])
            if term is not None:
                terms.append(term)
            i += 1
    return terms


def _han_terms(run: str) -> list[str]:
    """Glossary words found in a Han run as concepts; the bigrams of what is left."""
    index, han_words, _ = _index()
    terms: list[str] = []
    rest = run
    for word in han_words:
        if word in rest:
            terms.append("@" + index[word])
            rest = rest.replace(word, " ")
    for piece in rest.split():
        if len(piece) >= 2:
            terms.extend(piece[j : j + 2] for j in range(len(piece) - 1))
    return terms


@lru_cache(maxsize=20_000)
def title_terms(title: str, *, core: bool = True) -> tuple[str, ...]:
    """Concept ids ("@electrician") and plain stemmed words of a title's core, in order, no repeats."""
    text = core_title(title) if core else title
    terms = _latin_terms(fold(text))
    for run in _HAN.findall(to_simplified(text)):
        terms.extend(_han_terms(run))
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=1)
def _idf() -> dict[str, float]:
    """Rarity of title terms among the occupational taxonomy's titles (every language)."""
    from jobland_pipeline.taxonomy import occupations

    counts: dict[str, int] = {}
    titles = [t for occ in occupations() for names in occ.titles.values() for t in names]
    for title in titles:
        for term in set(title_terms(title, core=False)):
            counts[term] = counts.get(term, 0) + 1
    n = len(titles) or 1
    return {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in counts.items()}


@lru_cache(maxsize=100_000)
def term_weight(term: str) -> float:
    """How much a shared term says about two titles being the same job."""
    idf = _idf().get(term)
    base = idf if idf is not None else 6.0
    if term.startswith("@"):
        base = max(base, 3.0) * WEAK.get(term[1:], 1.0)
    return base


def _conflict(a: tuple[str, ...], b: frozenset[str]) -> bool:
    """The posting names a line of work the person's title is not in ("Finance Business Partner" for HR)."""
    families = family_of()
    theirs = {t[1:] for t in a if t.startswith("@") and t[1:] in families and t[1:] not in WEAK}
    mine = {t[1:] for t in b if t.startswith("@") and t[1:] in families}
    if not theirs or not mine:
        return False
    return any(not (families[x] & mine) for x in theirs)


@dataclass(frozen=True)
class _Side:
    """One title's terms as the credit rules read them, worked out once per title (a day's ranking asks
    about each title against dozens of others)."""

    terms: tuple[str, ...]
    present: frozenset[str]
    concepts: frozenset[str]  # its concepts, without the "@"
    prefixes: frozenset[str]  # six-letter prefixes of its plain words of six letters or more
    weight: float  # the sum of its terms' weights

    @classmethod
    def of(cls, terms: tuple[str, ...]) -> _Side:
        return cls(
            terms,
            frozenset(terms),
            frozenset(t[1:] for t in terms if t.startswith("@")),
            frozenset(t[:6] for t in terms if not t.startswith("@") and len(t) >= 6),
            sum(term_weight(t) for t in terms),
        )


@lru_cache(maxsize=50_000)
def _posting_side(title: str) -> _Side:
    return _Side.of(title_terms(title))


@lru_cache(maxsize=5_000)
def _person_sides(title: str) -> tuple[_Side, _Side]:
    """The person's whole title (it answers the posting's words) and its core (it counts against the
    posting): "Registered Nurse, Emergency Department" -> the speciality only in the first."""
    whole = tuple(dict.fromkeys(title_terms(title, core=False)))
    core = title_terms(title) or whole
    return _Side.of(whole), _Side.of(tuple(dict.fromkeys(core)))


@lru_cache(maxsize=200_000)
def title_similarity(
    posting_title: str, person_title: str, *, context: frozenset[str] = frozenset()
) -> float:
    """How much of the posting title's job is in the person's title (0..1), weighted by term rarity.

    Asymmetric on purpose: a posting "Structural Engineer" is covered by "Structural Design Engineer",
    while "Geotechnical Design Engineer" is only partly covered (its telling word is missing).
    """
    a = _posting_side(posting_title)
    b, b_core = _person_sides(person_title)
    if not a.terms or not b.terms:
        return 0.0
    similarity = 0.75 * _forward(a, b, context) + 0.25 * _backward(a, b_core)
    if _other_job(a.terms, b):
        similarity *= 0.5  # another job with the same tool or topic: a Java teacher is not a Java developer
    elif _conflict(a.terms, b.present):
        similarity *= 0.6  # the same kind of role in another line of work: finance vs HR business partner
    return round(similarity, 4)


def _forward(a: _Side, b: _Side, context: frozenset[str]) -> float:
    """The share of the posting title's weight the person's title covers.

    Terms the person's title lacks but their CV presents them with (skills) earn part of the weight:
    "Inspection & Testing Electrician" for an electrician whose skills list inspection and testing.
    """
    shared = sum(term_weight(t) * max(_credit(t, b), CONTEXT_CREDIT * (t in context)) for t in a.terms)
    return shared / a.weight


def _backward(a: _Side, b_core: _Side) -> float:
    """The person's telling words the posting lacks lower the match a little ("Chef de cuisine" vs
    "Sous-chef")."""
    if not b_core.weight:
        return 0.0
    return sum(term_weight(t) * _credit(t, a) for t in b_core.terms) / b_core.weight


def _other_job(a: tuple[str, ...], b: _Side) -> bool:
    """The posting's job noun is not the person's, though both titles have one."""
    heads = [t for t in a if t[1:] in ROLE_HEADS and t[1:] not in WEAK]
    return bool(heads) and not any(_credit(h, b) for h in heads) and any(t[1:] in ROLE_HEADS for t in b.terms)


def context_terms(phrases: list[str]) -> frozenset[str]:
    """Title terms of the phrases a CV presents the person with (its skills list), for ``context=``."""
    return frozenset(t for phrase in phrases for t in title_terms(phrase, core=False))


FAMILY_CREDIT = 0.5
PREFIX_CREDIT = 0.7
CONTEXT_CREDIT = 0.6


def _credit(term: str, other: _Side) -> float:
    """1 when the other title has the term, ``FAMILY_CREDIT`` when it has a concept of the same line of
    work, ``PREFIX_CREDIT`` for a word sharing its first six letters (compounds: "Intensivmedizin")."""
    if term in other.present:
        return 1.0
    if term.startswith("@"):
        family = family_of().get(term[1:])
        return FAMILY_CREDIT if family and not family.isdisjoint(other.concepts) else 0.0
    return PREFIX_CREDIT if len(term) >= 6 and term.isalpha() and term[:6] in other.prefixes else 0.0


def head_concept(title: str) -> str | None:
    """The job noun of a title: "Pharmacist Assistant" -> assistant, "Chef de partie" -> chef."""
    terms = title_terms(title)
    heads = [t for t in terms if t.startswith("@") and t[1:] in ROLE_HEADS]
    if not heads:
        return None
    words = fold(core_title(title)).replace("-", " ").split()
    first = heads[0]
    # Romance titles put the head first ("Chef de cuisine", "Ingeniero de software").
    if len(heads) > 1 and any(w in _ROMANCE_OF for w in words[1:3]):
        return first[1:]
    return heads[-1][1:]


def same_job_head(a: str, b: str) -> bool:
    """True when two titles name the same job noun, or two of the same line of work."""
    ha, hb = head_concept(a), head_concept(b)
    if ha is None or hb is None:
        return ha == hb
    return ha == hb or hb in family_of().get(ha, frozenset())


def best_title_similarity(posting_title: str, person_titles: list[str]) -> tuple[float, str | None]:
    best, which = 0.0, None
    for title in person_titles:
        sim = title_similarity(posting_title, title)
        if sim > best:
            best, which = sim, title
    return best, which

"""Stage 1 for many people at once: the additive parts of the screening score as sparse matrix products.

A daily batch pairs every posting with every person (100,000 x 1,000 is 10^8 pairs); at about half a
millisecond a pair, ``screen_postings`` would need 14 CPU-hours. But most of the score is a sum over
the words two texts share, and a sum over shared words is a product of a postings x words matrix and
a words x people matrix. So stage 1 computes, for every pair, the parts of ``relevance()`` that are
such sums, and keeps each person's best ``k`` postings; the full screening (rules, deal-breakers,
reasons, seniority, place) then runs on that shortlist only.

What the matrix keeps (tests/test_stage1.py compares it with ``relevance()`` pair by pair):

- ``lexical``: recall (posting weight of the shared words / its total) and precision (CV weight of the
  shared words / the CV's norm), their F-measure x 2.5, capped at 1 — ``relevance().lexical`` exactly
  (same float value; checked on 69,120 pairs);
- ``requirements``: the mean coverage of the posting's requirement lines (x 0.6 when they are not an
  explicit list) — ``relevance().requirements`` exactly;
- ``title``: ``title_similarity`` of the posting's (core) title with each title the person holds (whole
  for the forward credit, core for the backward), times its weight, best one kept. Once the person's title is fixed, each of its rules is linear in
  the posting title's 0/1 term vector: forward credit (1 for a shared term, ``FAMILY_CREDIT`` for a
  concept of the same line of work, ``PREFIX_CREDIT`` for a plain word sharing its first six letters,
  carried by extra ``~prefix`` columns, ``CONTEXT_CREDIT`` for a term the CV's skills name), backward
  credit, whether any of the posting's job nouns is credited (the head penalty) and how many of its
  lines of work the person's title shares (the conflict penalty). So the matrix keeps all of them;
  it differs from ``relevance().title`` by at most 1e-4 (numpy's rounding to 4 decimals and the
  summation order; 2 pairs in 69,120). It restates ``lexicon.titles``' rules: a change there must
  be made here too, and the tests fail until it is.

What it leaves out: seniority, location, the level-gap factor, avoided roles and deal-breakers. They
count as perfect in ``bound``, which is ``combine()`` itself (its weights read off it) on those terms:
so ``bound`` is an upper bound of the full score (0-100), and when a person's 10th best full score on
the shortlist is at least the best ``bound`` outside it, the shortlist provably holds the full top 10.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, TypeVar

import numpy as np
import scipy.sparse as sp

from jobland_pipeline.lexicon.glossary import family_of
from jobland_pipeline.lexicon.idf import idf
from jobland_pipeline.lexicon.instructions import remove_instructions
from jobland_pipeline.lexicon.lang import detect_language
from jobland_pipeline.lexicon.titles import (
    CONTEXT_CREDIT,
    FAMILY_CREDIT,
    PREFIX_CREDIT,
    ROLE_HEADS,
    WEAK,
    term_weight,
    title_terms,
)
from jobland_pipeline.lexicon.tokens import tokens
from jobland_pipeline.places import resolve
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.requirements import requirement_lines
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening.analysis import TITLE_BOOST, PostingAnalysis
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.preferences import with_preferences
from jobland_pipeline.screening.relevance import CvIndex, Relevance, index_cv
from jobland_pipeline.screening.score import Thresholds, combine, screen_postings

SEP = "\x1f"
BLOCK = 4096  # postings scored at once: a block's dense people x postings arrays stay ~30 MB each
PROFILE_CHUNK_ELEMENTS = 40_000_000  # dense words x people elements held at once (320 MB in float64)
TITLE_TABLE_ELEMENTS = 50_000_000  # distinct titles x people computed once (400 MB), else per block
_T = TypeVar("_T")

__all__ = [
    "PostingFeatures",
    "ProfileMatrix",
    "Stage1Scores",
    "cv_index",
    "features",
    "profile_matrix",
    "scores",
    "screen_parallel",
    "shortlist",
    "top_k",
]


# --------------------------------------------------------------------------- postings


@lru_cache(maxsize=500_000)
def word_key(word: str) -> int:
    """A stable 64-bit key of a word: features made in another process must meet the same CV words
    (``hash()`` changes with every process); at 64 bits a collision among a million words is ~1e-8."""
    return int.from_bytes(
        hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little", signed=True
    )


def _keys(words: Iterable[str]) -> np.ndarray:
    return np.fromiter((word_key(w) for w in words), dtype=np.int64)


@dataclass(frozen=True)
class PostingFeatures:
    """What stage 1 needs of a posting, compact (arrays, one string) so that 100k fit in memory.

    ``words`` / ``recall``: keys of its content words and each one's weight / total (its share of the
    posting); ``req_words`` / ``req``: each word's share of the requirements score; ``title_terms``:
    the title's terms joined with ``SEP`` (titles are compared term by term, and dedup by this string).
    """

    posting_id: str
    language: str
    title_terms: str
    words: np.ndarray
    recall: np.ndarray
    req_words: np.ndarray
    req: np.ndarray


class _Reading(NamedTuple):
    """What stage 1 reads of a posting's analysis: word weights and their total, each requirement
    line's content words and weight, whether the lines are an explicit list, and the language."""

    weights: dict[str, float]
    total: float
    requirements: list[tuple[frozenset[str], float]]
    explicit: bool
    language: str


def features(posting: Posting, analysis: PostingAnalysis | None = None) -> PostingFeatures:
    """The posting's stage-1 features, from its analysis when there is one.

    Without one, only the parts stage 1 reads are computed (cleaning, words, requirement lines,
    language), with the same functions and in the same way as ``analysis.analyse``, skipping the
    demands (deal-breaker cues), which are half of its cost and which stage 1 does not use.
    """
    if analysis is not None:
        reading = _Reading(
            analysis.weights,
            analysis.total,
            [(r.content, r.weight) for r in analysis.requirements],
            analysis.explicit,
            analysis.language,
        )
    else:
        reading = _read(posting)
    weights, total = reading.weights, reading.total
    share = _requirement_shares(reading.requirements, reading.explicit)
    return PostingFeatures(
        posting_id=posting.id,
        language=reading.language,
        title_terms=SEP.join(title_terms(posting.title)),
        words=_keys(weights),
        recall=np.fromiter((w / total for w in weights.values()), dtype=np.float64, count=len(weights)),
        req_words=_keys(share),
        req=np.fromiter(share.values(), dtype=np.float64, count=len(share)),
    )


def _read(posting: Posting) -> _Reading:
    """``analysis._analyse`` without the demands: the same cleaning, word weights and requirement lines."""
    text, _ = remove_instructions(posting.description)
    counts: dict[str, int] = {}
    for token in tokens(text):
        counts[token] = counts.get(token, 0) + 1
    for token in tokens(posting.title):
        counts[token] = counts.get(token, 0) + TITLE_BOOST
    weights = {t: idf(t) * (1 + math.log(c)) for t, c in counts.items() if not t.isdigit()}
    lines, explicit = requirement_lines(text)
    reqs = []
    for line in lines:
        content = frozenset(t for t in tokens(line) if not t.isdigit())
        reqs.append((content, sum(idf(t) for t in content)))
    return _Reading(
        weights,
        sum(weights.values()) or 1.0,
        reqs,
        explicit,
        detect_language(f"{posting.title}\n{text}"),
    )


def _requirement_shares(reqs: list[tuple[frozenset[str], float]], explicit: bool) -> dict[str, float]:
    """Each word's share of the requirements score: its rarity over its line's weight, over the number
    of lines (x 0.6 when they are not an explicit list), summed over the lines it is in."""
    share: dict[str, float] = {}
    scale = (1.0 if explicit else 0.6) / len(reqs) if reqs else 0.0
    for content, weight in reqs:
        if weight:
            for t in content:
                share[t] = share.get(t, 0.0) + idf(t) / weight * scale
    return share


# --------------------------------------------------------------------------- people


def cv_index(profile: Profile, cv_text: str, prefs: Preferences | None = None) -> tuple[Profile, CvIndex]:
    """The person as ``iter_screenings`` sees them (settings merged) and their CV index."""
    person = with_preferences(profile, prefs or Preferences())
    home = resolve(person.contact.location) if person.contact.location else None
    return person, index_cv(person, cv_text, home)


@lru_cache(maxsize=1)
def _families() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Concept -> its line of work, and concept x -> the concepts whose line of work holds x."""
    families = family_of()
    members: dict[str, set[str]] = {}
    for concept, group in families.items():
        for x in group:
            members.setdefault(x, set()).add(concept)
    return families, {x: frozenset(v) for x, v in members.items()}


def _family_credited(concepts: Iterable[str]) -> set[str]:
    """Terms ("@y") that ``_credit`` gives family credit against a title holding these concepts."""
    _, members = _families()
    return {"@" + y for x in concepts for y in members.get(x, ())}


def _is_head(term: str) -> bool:
    return term[1:] in ROLE_HEADS and term[1:] not in WEAK


def _prefixed(term: str) -> bool:
    """A plain word ``_credit`` gives prefix credit (compounds: "Intensivmedizin" ~ "intensivpflege")."""
    return not term.startswith("@") and len(term) >= 6 and term.isalpha()


def _prefixes(terms: Iterable[str]) -> set[str]:
    """The six-letter prefixes a title offers for prefix credit (its plain words of six letters or more)."""
    return {t[:6] for t in terms if not t.startswith("@") and len(t) >= 6}


def _with_prefixes(vector: dict[str, float]) -> dict[str, float]:
    """A posting title's vector plus, for each prefix-creditable word, its value on the column ``~prefix``:
    the person's side puts ``PREFIX_CREDIT`` there for each prefix its title offers."""
    out = dict(vector)
    for t, value in vector.items():
        if _prefixed(t):
            out["~" + t[:6]] = out.get("~" + t[:6], 0.0) + value
    return out


@dataclass
class ProfileMatrix:
    """People x words (CV words) and held titles x title terms, for many posting blocks.

    ``present`` (0/1) and ``weight`` (the CV word weight / norm) are people x ``vocabulary``. Each row
    of the ``held_*`` matrices is one title a person holds (rows grouped by person, ``held_profile``):
    forward credit, backward weight, plain credit and "shares the line of work" over ``title_vocab``.
    """

    vocabulary: dict[str, int]
    keys: np.ndarray  # ``word_key`` of the vocabulary, sorted
    key_columns: np.ndarray  # the column of each of ``keys``
    present: sp.csr_matrix
    weight: sp.csr_matrix
    language: np.ndarray  # the person's main language, as a code of ``languages``
    languages: dict[str, int]
    title_vocabulary: dict[str, int]
    title_prefixes: dict[str, tuple[str, ...]]  # six-letter prefix -> held-title words with it
    held_profile: np.ndarray
    held_weight: np.ndarray
    held_forward: sp.csr_matrix
    held_backward: sp.csr_matrix
    held_credit: sp.csr_matrix
    held_family: sp.csr_matrix
    held_has_head: np.ndarray
    held_has_family: np.ndarray
    _dense: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    @property
    def people(self) -> int:
        return len(self.language)

    def dense(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """``present`` and ``weight`` of people ``start:stop``, words x people (the layout csr @ dense wants)."""
        key = (start, stop)
        if key not in self._dense:
            self._dense[key] = (
                np.ascontiguousarray(self.present[start:stop].T.toarray()),
                np.ascontiguousarray(self.weight[start:stop].T.toarray()),
            )
        return self._dense[key]

    def chunks(self) -> list[tuple[int, int]]:
        """People in chunks small enough that their dense words x people arrays stay bounded."""
        size = max(1, PROFILE_CHUNK_ELEMENTS // max(1, 2 * len(self.vocabulary)))
        return [(i, min(i + size, self.people)) for i in range(0, self.people, size)] or [(0, 0)]


_HELD = ("forward", "backward", "credit", "family")


@dataclass
class _HeldTitles:
    """The held-title rows of a ``ProfileMatrix`` while they are built: one row per title a person holds
    (the rows of one person together, in order), the title vocabulary growing as titles are added."""

    vocabulary: dict[str, int] = field(default_factory=dict)
    entries: dict[str, list[tuple[int, int, float]]] = field(default_factory=lambda: {k: [] for k in _HELD})
    profile: list[int] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    has_head: list[bool] = field(default_factory=list)
    has_family: list[bool] = field(default_factory=list)
    prefix_terms: dict[str, set[str]] = field(default_factory=dict)

    def add(self, person: int, title: str, title_weight: float, context: frozenset[str]) -> None:
        """One title of person ``person``: its four vectors (forward, backward, credit, family)."""
        # As title_similarity reads the person's title: all of it answers the posting's words, its
        # core alone counts the words the posting lacks (backward).
        b = set(title_terms(title, core=False))
        b_core = set(title_terms(title)) or b
        if not b:
            return  # title_similarity is 0 for a title without terms, whatever the context says
        h = len(self.profile)
        concepts = {t[1:] for t in b if t.startswith("@")}
        prefixes = _prefixes(b)
        credit = _held_credit(b, concepts, prefixes)
        for t in b_core:
            if _prefixed(t):
                self.prefix_terms.setdefault(t[:6], set()).add(t)
        b_total = sum(term_weight(t) for t in b_core)
        mine, shares = _shared_lines(concepts)
        for name, vector in (
            ("forward", _with_context(credit, b, prefixes, context)),
            ("backward", {t: term_weight(t) / b_total for t in b_core}),
            ("credit", credit),
            ("family", dict.fromkeys(shares, 1.0)),
        ):
            self.entries[name].extend(
                (h, self.vocabulary.setdefault(t, len(self.vocabulary)), v) for t, v in vector.items()
            )
        self.profile.append(person)
        self.weight.append(title_weight)
        self.has_head.append(any(t[1:] in ROLE_HEADS for t in b))
        self.has_family.append(bool(mine))

    def csr(self, name: str) -> sp.csr_matrix:
        """Held titles x title vocabulary, one of the four vectors."""
        entries = self.entries[name]
        r, c, v = zip(*entries, strict=True) if entries else ((), (), ())
        return sp.csr_matrix(
            (np.asarray(v, dtype=np.float64), (r, c)), shape=(len(self.profile), len(self.vocabulary))
        )


def _held_credit(b: set[str], concepts: set[str], prefixes: set[str]) -> dict[str, float]:
    """``_credit(t, b)`` as a vector over the posting title's terms ``t``.

    1 for a term of b, FAMILY_CREDIT for a concept of b's lines of work, PREFIX_CREDIT for a plain word
    sharing six letters with one of b's. The prefix part is carried by the ~prefix columns (the posting
    side sums its words' weights there), so a word of b itself keeps 1 - PREFIX_CREDIT on its own column.
    """
    credit = dict.fromkeys(_family_credited(concepts), FAMILY_CREDIT) | dict.fromkeys(b, 1.0)
    credit |= {t: 1.0 - PREFIX_CREDIT for t in b if _prefixed(t)}
    credit |= {"~" + q: PREFIX_CREDIT for q in prefixes}
    return credit


def _with_context(
    credit: dict[str, float], b: set[str], prefixes: set[str], context: frozenset[str]
) -> dict[str, float]:
    """The forward credit: max(credit, CONTEXT_CREDIT x in context), term by term."""
    forward = dict(credit)
    for t in context:
        if t in b or (_prefixed(t) and t[:6] in prefixes):
            continue  # credit 1, or prefix credit (> CONTEXT_CREDIT) from the ~prefix column
        forward[t] = max(forward.get(t, 0.0), CONTEXT_CREDIT)
    return forward


def _shared_lines(concepts: set[str]) -> tuple[set[str], set[str]]:
    """The title's concepts that are lines of work, and the concepts ("@x") of every line sharing one."""
    families, _ = _families()
    mine = {x for x in concepts if x in families}
    return mine, {"@" + x for x in families if families[x] & mine}


def _word_matrices(
    people: Sequence[tuple[Profile, CvIndex]],
) -> tuple[dict[str, int], sp.csr_matrix, sp.csr_matrix]:
    """The CV vocabulary, and people x vocabulary: presence (0/1) and weight (as ``relevance()``'s
    precision weighs a CV word: rarity x (1 + log count) / the CV's norm). Digits are not words."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, (_, cv) in enumerate(people):
        for t, c in cv.counts.items():
            if not t.isdigit():
                rows.append(i)
                cols.append(vocabulary.setdefault(t, len(vocabulary)))
                vals.append(idf(t) * (1 + math.log(c)) / cv.norm)
    shape = (len(people), len(vocabulary))
    present = sp.csr_matrix((np.ones(len(vals)), (rows, cols)), shape=shape)
    weight = sp.csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=shape)
    return vocabulary, present, weight


def _language_codes(people: Sequence[tuple[Profile, CvIndex]]) -> tuple[np.ndarray, dict[str, int]]:
    """Each person's main language (without region) as a code, and the codes."""
    languages: dict[str, int] = {}
    language = np.zeros(len(people), dtype=np.int32)
    for i, (person, _) in enumerate(people):
        language[i] = languages.setdefault(person.language.split("-")[0], len(languages))
    return language, languages


def profile_matrix(people: Sequence[tuple[Profile, CvIndex]]) -> ProfileMatrix:
    """The matrix of many people, from each (person with settings merged, CV index)."""
    vocabulary, present, weight = _word_matrices(people)
    language, languages = _language_codes(people)
    held = _HeldTitles()
    for i, (_, cv) in enumerate(people):
        for title, title_weight in cv.titles:
            held.add(i, title, title_weight, cv.context)
    keys = _keys(vocabulary)
    order = np.argsort(keys, kind="stable")
    if len(np.unique(keys)) != len(keys):
        raise ValueError("two CV words share a 64-bit key")  # never seen; would merge two words
    return ProfileMatrix(
        vocabulary=vocabulary,
        keys=keys[order],
        key_columns=order.astype(np.int64),
        present=present,
        weight=weight,
        language=language,
        languages=languages,
        title_vocabulary=held.vocabulary,
        title_prefixes={q: tuple(sorted(ts)) for q, ts in held.prefix_terms.items()},
        held_profile=np.asarray(held.profile, dtype=np.int64),
        held_weight=np.asarray(held.weight, dtype=np.float64),
        held_forward=held.csr("forward"),
        held_backward=held.csr("backward"),
        held_credit=held.csr("credit"),
        held_family=held.csr("family"),
        held_has_head=np.asarray(held.has_head, dtype=bool),
        held_has_family=np.asarray(held.has_family, dtype=bool),
    )


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Stage1Scores:
    """People x postings: the three exact parts, ``bound`` (0-100, an upper bound of the full score) and
    ``overlap``, the lexical F-measure before the x 2.5 and the cap at 1 (it still orders the strong
    matches that ``lexical`` ties at 1)."""

    lexical: np.ndarray
    title: np.ndarray
    requirements: np.ndarray
    bound: np.ndarray
    overlap: np.ndarray


def _encode(words: list[np.ndarray], values: list[np.ndarray], pm: ProfileMatrix) -> sp.csr_matrix:
    """Postings x CV vocabulary: a word no CV has adds nothing to any pair (it still counts in the
    posting's total, already divided in), so it is dropped here."""
    n = len(words)
    flat = np.concatenate([np.zeros(0, dtype=np.int64), *words])
    vals = np.concatenate([np.zeros(0), *values])
    rows = np.repeat(np.arange(n), [len(w) for w in words])
    pos = np.minimum(np.searchsorted(pm.keys, flat), max(0, len(pm.keys) - 1))
    hit = pm.keys[pos] == flat if len(pm.keys) else np.zeros(len(flat), dtype=bool)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[hit], minlength=n), out=indptr[1:])
    return sp.csr_matrix((vals[hit], pm.key_columns[pos[hit]], indptr), shape=(n, len(pm.vocabulary)))


def _title_rows(titles: list[str], pm: ProfileMatrix) -> tuple[sp.csr_matrix, ...]:
    """For distinct posting titles: term weight / total, backward credit, job nouns, lines of work."""
    tvocab = pm.title_vocabulary
    mats: dict[str, tuple[list[int], list[int], list[float]]] = {k: ([], [], []) for k in "agnf"}
    has_head = np.zeros(len(titles), dtype=bool)
    n_lines = np.zeros(len(titles), dtype=np.float64)
    for u, joined in enumerate(titles):
        a = joined.split(SEP) if joined else []
        if not a:
            continue
        vectors, heads, lines = _posting_title_vectors(a, pm)
        has_head[u] = bool(heads)
        n_lines[u] = len(lines)
        for key, vector in zip("agnf", vectors, strict=True):
            _append_row(mats[key], u, vector, tvocab)
    shape = (len(titles), len(tvocab))
    out = tuple(
        sp.csr_matrix((np.asarray(v, dtype=np.float64), (r, c)), shape=shape) for r, c, v in mats.values()
    )
    return (*out, has_head, n_lines)  # type: ignore[return-value]


def _posting_title_vectors(
    a: list[str], pm: ProfileMatrix
) -> tuple[tuple[dict[str, float], ...], list[str], set[str]]:
    """A posting title's (terms ``a``) four vectors — term weight / total, backward credit, job nouns,
    lines of work — with its job nouns and lines of work."""
    families, _ = _families()
    total = sum(term_weight(t) for t in a)
    concepts = {t[1:] for t in a if t.startswith("@")}
    # _credit(t, a) for the held titles' words t: family credit for concepts, prefix credit for
    # plain words sharing six letters with one of a's, 1 for a's own terms.
    prefixed = {t: PREFIX_CREDIT for q in _prefixes(a) for t in pm.title_prefixes.get(q, ())}
    backward = dict.fromkeys(_family_credited(concepts), FAMILY_CREDIT) | prefixed | dict.fromkeys(a, 1.0)
    heads = [t for t in a if _is_head(t)]
    lines = {t for t in a if t.startswith("@") and t[1:] in families and t[1:] not in WEAK}
    vectors = (
        _with_prefixes({t: term_weight(t) / total for t in a}),
        backward,
        _with_prefixes(dict.fromkeys(heads, 1.0)),
        dict.fromkeys(lines, 1.0),
    )
    return vectors, heads, lines


def _append_row(
    mat: tuple[list[int], list[int], list[float]], row: int, vector: dict[str, float], tvocab: dict[str, int]
) -> None:
    """Add a vector as row ``row`` of a COO matrix over the held titles' vocabulary; a term no held
    title has meets nothing and is dropped."""
    r, c, v = mat
    for t, value in vector.items():
        col = tvocab.get(t)
        if col is not None:
            r.append(row)
            c.append(col)
            v.append(value)


def _title_scores(titles: list[str], pm: ProfileMatrix) -> np.ndarray:
    """Distinct posting titles x people: the best held title's similarity x its weight, rounded."""
    out = np.zeros((len(titles), pm.people), dtype=np.float64)
    if not titles or not len(pm.held_profile):
        return out
    a, g, heads, lines, has_head, n_lines = _title_rows(titles, pm)
    used = np.unique(np.concatenate([m.indices for m in (a, g, heads, lines)]))
    a, g, heads, lines = (m[:, used] for m in (a, g, heads, lines))
    held = [m[:, used].T.tocsc() for m in (pm.held_forward, pm.held_backward, pm.held_credit, pm.held_family)]
    step = max(1, 4_000_000 // max(1, len(titles)))  # held titles at once: ~4M pairs per array
    h0 = 0
    n_held = len(pm.held_profile)
    while h0 < n_held:
        h1 = min(n_held, h0 + step)
        while h1 < n_held and pm.held_profile[h1] == pm.held_profile[h1 - 1]:
            h1 += 1  # a person's titles stay in one chunk (the max runs over them)
        fwd, bwd, credited, shared = (
            np.asarray(m @ h[:, h0:h1].toarray()) for m, h in zip((a, g, heads, lines), held, strict=True)
        )
        sim = fwd
        sim *= 0.75
        bwd *= 0.25
        sim += bwd
        head_penalty = credited == 0
        head_penalty &= has_head[:, None]
        head_penalty &= pm.held_has_head[None, h0:h1]
        conflict = shared < n_lines[:, None]  # some line of work of the posting's is not the person's
        conflict &= pm.held_has_family[None, h0:h1]
        conflict &= ~head_penalty
        np.multiply(sim, 0.5, out=sim, where=head_penalty)
        np.multiply(sim, 0.6, out=sim, where=conflict)
        np.round(sim, 4, out=sim)
        sim *= pm.held_weight[None, h0:h1]
        owners = pm.held_profile[h0:h1]
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        out[:, owners[starts]] = np.maximum.reduceat(sim, starts, axis=1)
        h0 = h1
    return np.round(out, 4)


@lru_cache(maxsize=2)
def _combine_coefficients(language_match: float) -> tuple[float, float, float, float]:
    """``combine()``'s own weights of (title, lexical, requirements), and its value when those are 0 and
    the parts stage 1 omits are at their best (seniority and location 1, no level gap).

    Read off ``combine`` itself, so the bound follows it; it relies on ``combine`` being affine in those
    three parts, which is checked (a non-affine change would make the bound silently wrong).
    """

    def at(**parts: float) -> float:
        values = {"title": 0.0, "lexical": 0.0, "requirements": 0.0, "seniority": 1.0, "location": 1.0}
        return combine(Relevance(**(values | parts), language_match=language_match))  # type: ignore[arg-type]

    rest = at()
    weights = [at(**{key: 1.0}) - rest for key in ("title", "lexical", "requirements")]
    for key, w in zip(("title", "lexical", "requirements"), weights, strict=True):
        if abs(at(**{key: 0.3}) - rest - 0.3 * w) > 1e-9:
            raise RuntimeError(f"score.combine is not affine in {key}: stage1's bound must be revised")
    return weights[0], weights[1], weights[2], rest


def _bound(title: np.ndarray, lexical: np.ndarray, req: np.ndarray, same: np.ndarray) -> np.ndarray:
    """The full score's upper bound (0-100): ``combine()`` with the parts stage 1 omits at their best."""
    wt, wl, wr, rest = _combine_coefficients(1.0)
    out = title * wt
    out += lexical * wl
    out += req * wr
    out += rest
    other = ~same
    if other.any():  # the posting is in another language than the CV: words weigh less, the title more
        wt, wl, wr, rest = _combine_coefficients(0.5)
        out[other] = wt * title[other] + wl * lexical[other] + wr * req[other] + rest
    return out


def _title_index(postings: Sequence[PostingFeatures], distinct: dict[str, int]) -> np.ndarray:
    """Each posting's row among the distinct titles (many postings share a title's terms)."""
    return np.fromiter(
        (distinct.setdefault(f.title_terms, len(distinct)) for f in postings),
        dtype=np.int64,
        count=len(postings),
    )


def _lap(clock: dict[str, float] | None, key: str, since: float) -> float:
    now = time.perf_counter()
    if clock is not None:
        clock[key] = clock.get(key, 0.0) + now - since
    return now


def _score_block(
    pm: ProfileMatrix,
    block: Sequence[PostingFeatures],
    clock: dict[str, float] | None = None,
    title: np.ndarray | None = None,
) -> Stage1Scores:
    """One block, all four parts; computed postings x people (the layout the products give) and
    returned people x postings (views). ``title``: the block's title part when already known;
    ``clock`` sums the seconds of each step."""
    n = len(block)
    lexical = np.zeros((n, pm.people))
    req = np.zeros((n, pm.people))
    overlap = np.zeros((n, pm.people))
    t = time.perf_counter()
    if n and len(pm.vocabulary):
        recall_m = _encode([f.words for f in block], [f.recall for f in block], pm)
        req_m = _encode([f.req_words for f in block], [f.req for f in block], pm)
        presence = recall_m.copy()
        presence.data[:] = 1.0
        stacked = sp.vstack([recall_m, req_m], format="csr")
        t = _lap(clock, "postings matrix", t)
        for start, stop in pm.chunks():
            present, weight = pm.dense(start, stop)
            both = stacked @ present
            recall, coverage = both[:n], both[n:]
            precision = presence @ weight
            f = recall * precision
            f *= 2
            denom = recall
            denom += precision  # recall is not needed any more
            np.divide(f, denom, out=f, where=denom > 0)  # 0 where both are 0 (f is 0 there already)
            overlap[:, start:stop] = f
            f *= 2.5
            np.minimum(f, 1.0, out=f)
            lexical[:, start:stop] = np.round(f, 4)
            req[:, start:stop] = np.round(coverage, 4)
        t = _lap(clock, "words product", t)
    if title is None:
        distinct: dict[str, int] = {}
        which = _title_index(block, distinct)
        title = _title_scores(list(distinct), pm)[which]
        t = _lap(clock, "title product", t)
    codes = np.fromiter((pm.languages.get(f.language, -1) for f in block), dtype=np.int32, count=n)
    bound = _bound(title, lexical, req, codes[:, None] == pm.language[None, :])
    _lap(clock, "bound", t)
    return Stage1Scores(lexical.T, title.T, req.T, bound.T, overlap.T)


def scores(pm: ProfileMatrix, postings: Sequence[PostingFeatures], *, block: int = BLOCK) -> Stage1Scores:
    """Every part for every pair, as dense people x postings arrays (for a few thousand postings)."""
    parts = [_score_block(pm, postings[i : i + block]) for i in range(0, len(postings), block)]
    if not parts:
        empty = np.zeros((pm.people, 0))
        return Stage1Scores(empty, empty, empty, empty, empty)
    return Stage1Scores(
        *(
            np.concatenate([getattr(p, name) for p in parts], axis=1)
            for name in Stage1Scores.__dataclass_fields__
        )
    )


# --------------------------------------------------------------------------- top k


def _select(values: np.ndarray, index: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``k`` largest values, ties to the smaller ``index`` (so the answer is deterministic)."""
    rows, n = values.shape
    k = min(k, n)
    if k == 0 or rows == 0:
        return np.zeros((rows, k)), np.zeros((rows, k), dtype=np.int64)
    kth = -np.partition(-values, k - 1, axis=1)[:, k - 1]
    r, c = np.nonzero(values >= kth[:, None])  # the k best and anything tied with the k-th
    order = np.lexsort((index[r, c], -values[r, c], r))
    r, c = r[order], c[order]
    first = np.searchsorted(r, np.arange(rows))
    take = (first[:, None] + np.arange(k)[None, :]).ravel()
    return values[r[take], c[take]].reshape(rows, k), index[r[take], c[take]].reshape(rows, k)


def top_k(matrix: np.ndarray, k: int) -> np.ndarray:
    """Column indices of each row's ``k`` largest values, best first, ties to the lower index."""
    matrix = np.asarray(matrix, dtype=np.float64)
    index = np.broadcast_to(np.arange(matrix.shape[1]), matrix.shape)
    return _select(matrix, index, k)[1]


_JOB: dict[str, object] = {}  # what forked workers read (shared copy-on-write, never pickled)


def _fork_map(fn: Callable[[tuple[int, int]], _T], spans: list[tuple[int, int]], workers: int) -> list[_T]:
    """``fn`` over the spans, in forked processes when it pays; ``_JOB`` is their input."""
    if workers > 1 and len(spans) > 1 and "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, len(spans)), mp_context=ctx) as pool:
            return list(pool.map(fn, spans))
    return [fn(s) for s in spans]


def _title_span(span: tuple[int, int]) -> tuple[np.ndarray, dict[str, float]]:
    pm, titles = _JOB["pm"], _JOB["titles"]
    assert isinstance(pm, ProfileMatrix) and isinstance(titles, list)
    t = time.perf_counter()
    table = _title_scores(titles[span[0] : span[1]], pm)
    return table, {"title product": time.perf_counter() - t}


def _shortlist_span(span: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    pm, postings, k, part = _JOB["pm"], _JOB["postings"], _JOB["k"], _JOB["part"]
    table, rows = _JOB.get("table"), _JOB.get("rows")
    assert isinstance(pm, ProfileMatrix) and isinstance(postings, Sequence)
    assert isinstance(k, int) and isinstance(part, str)
    start, stop = span
    clock: dict[str, float] = {}
    title = (
        table[rows[start:stop]] if isinstance(table, np.ndarray) and isinstance(rows, np.ndarray) else None
    )
    values = getattr(_score_block(pm, postings[start:stop], clock, title), part)
    t = time.perf_counter()
    values = np.ascontiguousarray(values)
    index = np.broadcast_to(np.arange(start, stop), values.shape)
    best = _select(values, index, k)
    _lap(clock, "top-k", t)
    return (*best, clock)


def shortlist(
    pm: ProfileMatrix,
    postings: Sequence[PostingFeatures],
    k: int,
    *,
    workers: int = 2,
    block: int = BLOCK,
    part: str = "bound",
    timings: dict[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's ``k`` best postings by ``part``: (values, posting indices), people x k, best first.

    Postings are scored in blocks in ``workers`` forked processes (the matrices are shared, not
    copied) and only each block's top ``k`` comes back, so memory stays at a few blocks whatever the
    number of postings. The title part is computed once per distinct title (the same title comes
    back in many postings) when the distinct titles x people table fits ``TITLE_TABLE_ELEMENTS``.
    ``timings`` (when given) receives each step's seconds, summed over the processes.
    """
    clock: dict[str, float] = {}
    for start, stop in pm.chunks():
        pm.dense(start, stop)  # built once, before the fork, and shared by the workers
    _JOB.update(pm=pm, postings=postings, k=k, part=part)
    try:
        t = time.perf_counter()
        distinct: dict[str, int] = {}
        rows = _title_index(postings, distinct)
        _lap(clock, "distinct titles", t)
        if len(distinct) * pm.people <= TITLE_TABLE_ELEMENTS:
            _JOB["titles"] = list(distinct)
            step = math.ceil(len(distinct) / max(1, workers)) or 1
            parts = _fork_map(_title_span, [(i, i + step) for i in range(0, len(distinct), step)], workers)
            _JOB["table"] = np.concatenate([np.zeros((0, pm.people)), *(p[0] for p in parts)])
            _JOB["rows"] = rows
            _merge(clock, *(p[1] for p in parts))
        spans = [(i, min(i + block, len(postings))) for i in range(0, len(postings), block)]
        blocks = _fork_map(_shortlist_span, spans, workers)
    finally:
        _JOB.clear()
    _merge(clock, *(b[2] for b in blocks))
    t = time.perf_counter()
    if blocks:
        best = _select(
            np.concatenate([b[0] for b in blocks], axis=1), np.concatenate([b[1] for b in blocks], axis=1), k
        )
    else:
        best = np.zeros((pm.people, 0)), np.zeros((pm.people, 0), dtype=np.int64)
    _lap(clock, "top-k", t)
    if timings is not None:
        _merge(timings, clock)
    return best


def _merge(into: dict[str, float], *clocks: dict[str, float]) -> None:
    for clock in clocks:
        for key, seconds in clock.items():
            into[key] = into.get(key, 0.0) + seconds


# --------------------------------------------------------------------------- one person, many postings


_SCREEN: Callable[[list[Posting]], list[Screening]] | None = None


def _screen_chunk(chunk: list[Posting]) -> list[Screening]:
    assert _SCREEN is not None
    return _SCREEN(chunk)


def screen_parallel(
    profile: Profile,
    postings: list[Posting],
    *,
    cv_text: str,
    prefs: Preferences | None = None,
    thresholds: Thresholds | None = None,
    workers: int = 2,
) -> list[Screening]:
    """``screen_postings`` split over ``workers`` forked processes; the same screenings, in order.

    Forked workers inherit the analyses already cached in this process, so a posting analysed
    for an earlier user is not analysed again; a worker's new analyses are lost with it. For batch
    scripts: forking a process that runs threads (a Dagster run worker) is not safe.
    """
    global _SCREEN

    def run(chunk: list[Posting]) -> list[Screening]:
        return screen_postings(profile, chunk, cv_text=cv_text, prefs=prefs, thresholds=thresholds)

    workers = max(1, min(workers, os.cpu_count() or 1, len(postings)))
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return run(postings)
    size = math.ceil(len(postings) / workers)
    chunks = [postings[i : i + size] for i in range(0, len(postings), size)]
    _SCREEN = run
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [s for part in pool.map(_screen_chunk, chunks) for s in part]
    finally:
        _SCREEN = None

"""Stage 1 for many people at once: the additive parts of the screening score as sparse matrix products.

A daily batch pairs every posting with every person (100,000 x 1,000 is 10^8 pairs); at about half a
millisecond a pair, ``screen_postings`` would need days. But most of the score is a sum over the words
two texts share, and a sum over shared words is a product of a postings x words matrix and a
words x people matrix. So stage 1 computes, for every pair, the parts of ``relevance()`` that are
such sums, and keeps each person's best ``k`` postings; the full screening (rules, deal-breakers,
reasons, seniority, place) then runs on that shortlist only.

What the matrix keeps — the same numbers as ``relevance()`` up to float summation order and the
4-decimal rounding (tests/test_stage1.py checks them pair by pair):

- ``lexical``: recall (posting weight of the shared words / its total) and precision (CV weight of the
  shared words / the CV's norm), their F-measure x 2.5, capped at 1 — exactly ``relevance().lexical``;
- ``requirements``: the mean coverage of the posting's requirement lines (x 0.6 when they are not an
  explicit list) — exactly ``relevance().requirements``;
- ``title``: ``title_similarity`` of the posting's title with each title the person holds, times its
  weight, best one kept. Once the person's title is fixed, each of its rules is linear in the posting
  title's 0/1 term vector: forward credit (1 for a shared term, ``FAMILY_CREDIT`` for a concept of the
  same line of work, ``CONTEXT_CREDIT`` for a term the CV's skills name), backward credit, whether any
  of the posting's job nouns is credited (the head penalty) and how many of its lines of work the
  person's title shares (the conflict penalty). So the matrix keeps all of them, and the rounding of
  the per-title similarity to 4 decimals (numpy's, which can differ from ``round`` by 1e-4 at a tie).

What it leaves out: seniority, location, the level-gap factor, avoided roles and deal-breakers. They
count as perfect in ``bound``, which is ``combine()``'s formula on those terms: so ``bound`` is an upper
bound of the full score (x 100), and when a person's 10th best full score on the shortlist is at least
the best ``bound`` outside it, the shortlist provably holds the full top 10.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from jobland_pipeline.lexicon.glossary import family_of
from jobland_pipeline.lexicon.idf import idf
from jobland_pipeline.lexicon.lang import detect_language
from jobland_pipeline.lexicon.instructions import remove_instructions
from jobland_pipeline.lexicon.titles import CONTEXT_CREDIT, FAMILY_CREDIT, ROLE_HEADS, WEAK, term_weight, title_terms
from jobland_pipeline.lexicon.tokens import tokens
from jobland_pipeline.places import resolve
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.requirements import requirement_lines
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening.analysis import TITLE_BOOST, PostingAnalysis
from jobland_pipeline.screening.models import Preferences, Screening
from jobland_pipeline.screening.preferences import with_preferences
from jobland_pipeline.screening.relevance import CvIndex, index_cv
from jobland_pipeline.screening.score import WEIGHTS, Thresholds, screen_postings

SEP = "\x1f"
BLOCK = 4096  # postings scored at once: a block's dense people x postings arrays stay ~30 MB each
PROFILE_CHUNK_ELEMENTS = 40_000_000  # dense words x people elements held at once (320 MB in float64)

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


@dataclass(frozen=True)
class PostingFeatures:
    """What stage 1 needs of a posting: compact (two strings and two arrays), so 100k fit in memory.

    ``terms`` / ``recall``: content words and weight / total (the posting's share of each word);
    ``req_terms`` / ``req``: each word's share of the requirements score; ``title_terms``: the title's
    concept terms. Strings are joined with ``SEP``: a tuple of 150 small strings costs ten times more.
    """

    posting_id: str
    language: str
    title_terms: str
    terms: str
    recall: np.ndarray
    req_terms: str
    req: np.ndarray


def features(posting: Posting, analysis: PostingAnalysis | None = None) -> PostingFeatures:
    """The posting's stage-1 features, from its analysis when there is one.

    Without one, only the parts stage 1 reads are computed (cleaning, words, requirement lines,
    language), with the same functions and in the same way as ``analysis.analyse``, skipping the
    demands (deal-breaker cues), which are half of its cost and which stage 1 does not use.
    """
    if analysis is not None:
        weights, total = analysis.weights, analysis.total
        reqs = [(r.content, r.weight) for r in analysis.requirements]
        explicit, language = analysis.explicit, analysis.language
    else:
        text, _ = remove_instructions(posting.description)
        counts: dict[str, int] = {}
        for token in tokens(text):
            counts[token] = counts.get(token, 0) + 1
        for token in tokens(posting.title):
            counts[token] = counts.get(token, 0) + TITLE_BOOST
        weights = {t: idf(t) * (1 + math.log(c)) for t, c in counts.items() if not t.isdigit()}
        total = sum(weights.values()) or 1.0
        lines, explicit = requirement_lines(text)
        reqs = []
        for line in lines:
            content = frozenset(t for t in tokens(line) if not t.isdigit())
            reqs.append((content, sum(idf(t) for t in content)))
        language = detect_language(f"{posting.title}\n{text}")
    share: dict[str, float] = {}
    scale = (1.0 if explicit else 0.6) / len(reqs) if reqs else 0.0
    for content, weight in reqs:
        if weight:
            for t in content:
                share[t] = share.get(t, 0.0) + idf(t) / weight * scale
    return PostingFeatures(
        posting_id=posting.id,
        language=language,
        title_terms=SEP.join(title_terms(posting.title)),
        terms=SEP.join(weights),
        recall=np.fromiter((w / total for w in weights.values()), dtype=np.float64, count=len(weights)),
        req_terms=SEP.join(share),
        req=np.fromiter(share.values(), dtype=np.float64, count=len(share)),
    )


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


@dataclass
class ProfileMatrix:
    """People x words (CV words) and held titles x title terms, for many posting blocks.

    ``present`` (0/1) and ``weight`` (the CV word weight / norm) are people x ``vocabulary``. Each row
    of the ``held_*`` matrices is one title a person holds (rows grouped by person, ``held_start``):
    forward credit, backward weight, plain credit and "shares the line of work" over ``title_vocab``.
    """

    vocabulary: dict[str, int]
    present: sp.csr_matrix
    weight: sp.csr_matrix
    language: np.ndarray  # the person's main language, as a code of ``languages``
    languages: dict[str, int]
    title_vocabulary: dict[str, int]
    held_profile: np.ndarray
    held_start: np.ndarray  # first held row of each person; len = people + 1
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


def profile_matrix(people: Sequence[tuple[Profile, CvIndex]]) -> ProfileMatrix:
    """The matrix of many people, from each (person with settings merged, CV index)."""
    vocabulary: dict[str, int] = {}
    languages: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    language = np.zeros(len(people), dtype=np.int32)
    families, _ = _families()
    tvocab: dict[str, int] = {}
    held: dict[str, list[tuple[int, int, float]]] = {k: [] for k in ("forward", "backward", "credit", "family")}
    held_profile: list[int] = []
    held_weight: list[float] = []
    held_has_head: list[bool] = []
    held_has_family: list[bool] = []
    held_start = [0]
    for i, (person, cv) in enumerate(people):
        language[i] = languages.setdefault(person.language.split("-")[0], len(languages))
        for t, c in cv.counts.items():
            if not t.isdigit():
                rows.append(i)
                cols.append(vocabulary.setdefault(t, len(vocabulary)))
                vals.append(idf(t) * (1 + math.log(c)) / cv.norm)
        for title, title_weight in cv.titles:
            b = set(title_terms(title))
            if not b:
                continue  # title_similarity is 0 for a title without terms, whatever the context says
            h = len(held_profile)
            concepts = {t[1:] for t in b if t.startswith("@")}
            credit = dict.fromkeys(_family_credited(concepts), FAMILY_CREDIT) | dict.fromkeys(b, 1.0)
            forward = dict(credit)
            for t in cv.context:
                forward[t] = max(forward.get(t, 0.0), CONTEXT_CREDIT)
            b_total = sum(term_weight(t) for t in b)
            mine = {x for x in concepts if x in families}
            shares = {"@" + x for x in families if families[x] & mine}
            for name, vector in (
                ("forward", forward),
                ("backward", {t: term_weight(t) / b_total for t in b}),
                ("credit", credit),
                ("family", dict.fromkeys(shares, 1.0)),
            ):
                held[name].extend((h, tvocab.setdefault(t, len(tvocab)), v) for t, v in vector.items())
            held_profile.append(i)
            held_weight.append(title_weight)
            held_has_head.append(any(t[1:] in ROLE_HEADS for t in b))
            held_has_family.append(bool(mine))
        held_start.append(len(held_profile))
    shape = (len(people), len(vocabulary))
    present = sp.csr_matrix((np.ones(len(vals)), (rows, cols)), shape=shape)
    weight = sp.csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=shape)
    n_held = len(held_profile)

    def held_csr(entries: list[tuple[int, int, float]]) -> sp.csr_matrix:
        r, c, v = zip(*entries, strict=True) if entries else ((), (), ())
        return sp.csr_matrix((np.asarray(v, dtype=np.float64), (r, c)), shape=(n_held, len(tvocab)))

    return ProfileMatrix(
        vocabulary=vocabulary,
        present=present,
        weight=weight,
        language=language,
        languages=languages,
        title_vocabulary=tvocab,
        held_profile=np.asarray(held_profile, dtype=np.int64),
        held_start=np.asarray(held_start, dtype=np.int64),
        held_weight=np.asarray(held_weight, dtype=np.float64),
        held_forward=held_csr(held["forward"]),
        held_backward=held_csr(held["backward"]),
        held_credit=held_csr(held["credit"]),
        held_family=held_csr(held["family"]),
        held_has_head=np.asarray(held_has_head, dtype=bool),
        held_has_family=np.asarray(held_has_family, dtype=bool),
    )


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Stage1Scores:
    """People x postings: the three exact parts and ``bound`` (0-100, an upper bound of the full score)."""

    lexical: np.ndarray
    title: np.ndarray
    requirements: np.ndarray
    bound: np.ndarray


def _words(block: Sequence[PostingFeatures], vocabulary: dict[str, int]) -> tuple[sp.csr_matrix, ...]:
    """Recall weights, 0/1 presence and requirement shares of a block, over the CV vocabulary only
    (a word no CV has adds nothing to any pair; it still counts in the posting's total)."""
    r_ind: list[int] = []
    r_val: list[np.ndarray] = []
    r_ptr = [0]
    q_ind: list[int] = []
    q_val: list[np.ndarray] = []
    q_ptr = [0]
    get = vocabulary.get
    for f in block:
        cols = [get(t, -1) for t in f.terms.split(SEP)] if f.terms else []
        keep = [j for j, c in enumerate(cols) if c >= 0]
        r_ind.extend(cols[j] for j in keep)
        r_val.append(f.recall[keep])
        r_ptr.append(len(r_ind))
        cols = [get(t, -1) for t in f.req_terms.split(SEP)] if f.req_terms else []
        keep = [j for j, c in enumerate(cols) if c >= 0]
        q_ind.extend(cols[j] for j in keep)
        q_val.append(f.req[keep])
        q_ptr.append(len(q_ind))
    shape = (len(block), len(vocabulary))
    recall = sp.csr_matrix((np.concatenate([np.zeros(0), *r_val]), r_ind, r_ptr), shape=shape)
    presence = sp.csr_matrix((np.ones(len(r_ind)), r_ind, r_ptr), shape=shape)
    req = sp.csr_matrix((np.concatenate([np.zeros(0), *q_val]), q_ind, q_ptr), shape=shape)
    return recall, presence, req


def _title_rows(titles: list[str], tvocab: dict[str, int]) -> tuple[sp.csr_matrix, ...]:
    """For distinct posting titles: term weight / total, backward credit, job nouns, lines of work."""
    families, _ = _families()
    mats: dict[str, tuple[list[int], list[int], list[float]]] = {k: ([], [], []) for k in "agnf"}
    has_head = np.zeros(len(titles), dtype=bool)
    n_lines = np.zeros(len(titles), dtype=np.float64)
    for u, joined in enumerate(titles):
        a = joined.split(SEP) if joined else []
        if not a:
            continue
        total = sum(term_weight(t) for t in a)
        concepts = {t[1:] for t in a if t.startswith("@")}
        backward = dict.fromkeys(_family_credited(concepts), FAMILY_CREDIT) | dict.fromkeys(a, 1.0)
        heads = [t for t in a if _is_head(t)]
        lines = {t for t in a if t.startswith("@") and t[1:] in families and t[1:] not in WEAK}
        has_head[u] = bool(heads)
        n_lines[u] = len(lines)
        for key, vector in (
            ("a", {t: term_weight(t) / total for t in a}),
            ("g", backward),
            ("n", dict.fromkeys(heads, 1.0)),
            ("f", dict.fromkeys(lines, 1.0)),
        ):
            r, c, v = mats[key]
            for t, value in vector.items():
                col = tvocab.get(t)
                if col is not None:
                    r.append(u)
                    c.append(col)
                    v.append(value)
    shape = (len(titles), len(tvocab))
    out = tuple(sp.csr_matrix((np.asarray(v, dtype=np.float64), (r, c)), shape=shape) for r, c, v in mats.values())
    return (*out, has_head, n_lines)  # type: ignore[return-value]


def _title_scores(titles: list[str], pm: ProfileMatrix) -> np.ndarray:
    """Distinct posting titles x people: the best held title's similarity x its weight, rounded."""
    out = np.zeros((len(titles), pm.people), dtype=np.float64)
    if not titles or not len(pm.held_profile):
        return out
    a, g, heads, lines, has_head, n_lines = _title_rows(titles, pm.title_vocabulary)
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
        sim = 0.75 * fwd + 0.25 * bwd
        head_penalty = has_head[:, None] & (credited == 0) & pm.held_has_head[None, h0:h1]
        conflict = (n_lines[:, None] > 0) & pm.held_has_family[None, h0:h1] & (shared < n_lines[:, None])
        sim = np.where(head_penalty, sim * 0.5, np.where(conflict, sim * 0.6, sim))
        sim = np.round(sim, 4) * pm.held_weight[None, h0:h1]
        owners = pm.held_profile[h0:h1]
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        out[:, owners[starts]] = np.maximum.reduceat(sim, starts, axis=1)
        h0 = h1
    return np.round(out, 4)


@lru_cache(maxsize=2)
def _combine_coefficients(language_match: float) -> tuple[float, float, float, float, float, float]:
    """``combine()`` with seniority and location at 1: (title, lexical, requirements, rest, total, match)."""
    w = dict(WEIGHTS)
    if language_match < 1.0:
        for key in ("lexical", "requirements"):
            moved = w[key] * (1 - language_match)
            w[key] -= moved
            w["title"] += moved * 0.5
    rest = sum(v for k, v in w.items() if k not in {"title", "lexical", "requirements"})
    return w["title"], w["lexical"], w["requirements"], rest, sum(w.values()), language_match


def _bound(title: np.ndarray, lexical: np.ndarray, req: np.ndarray, same: np.ndarray) -> np.ndarray:
    """The full score's upper bound (0-100): ``combine()`` with the parts stage 1 omits at their best."""
    out = np.empty_like(title)
    for match, mask in ((1.0, same), (0.5, ~same)):
        wt, wl, wr, rest, total, m = _combine_coefficients(match)
        if match < 1.0:
            lex, rq = np.minimum(1.0, lexical / m), np.minimum(1.0, req / m)
        else:
            lex, rq = lexical, req
        np.copyto(out, 100 * (wt * title + wl * lex + wr * rq + rest) / total, where=mask)
    return out


def _score_block(pm: ProfileMatrix, block: Sequence[PostingFeatures]) -> Stage1Scores:
    """People x postings of one block (dense), all four parts."""
    n = len(block)
    lexical = np.zeros((pm.people, n))
    req = np.zeros((pm.people, n))
    if n and len(pm.vocabulary):
        recall_m, presence, req_m = _words(block, pm.vocabulary)
        stacked = sp.vstack([recall_m, req_m]).tocsr()
        for start, stop in pm.chunks():
            present, weight = pm.dense(start, stop)
            both = np.asarray(stacked @ present)
            recall, coverage = both[:n].T, both[n:].T
            precision = np.asarray(presence @ weight).T
            denom = recall + precision
            f = np.divide(2 * recall * precision, denom, out=np.zeros_like(denom), where=denom > 0)
            lexical[start:stop] = np.round(np.minimum(1.0, f * 2.5), 4)
            req[start:stop] = np.round(coverage, 4)
    distinct: dict[str, int] = {}
    which = np.fromiter((distinct.setdefault(f.title_terms, len(distinct)) for f in block), dtype=np.int64, count=n)
    title = _title_scores(list(distinct), pm)[which].T if n else np.zeros((pm.people, 0))
    codes = np.fromiter((pm.languages.get(f.language, -1) for f in block), dtype=np.int32, count=n)
    same = pm.language[:, None] == codes[None, :]
    return Stage1Scores(lexical, np.ascontiguousarray(title), req, _bound(title, lexical, req, same))


def scores(pm: ProfileMatrix, postings: Sequence[PostingFeatures], *, block: int = BLOCK) -> Stage1Scores:
    """Every part for every pair, as dense people x postings arrays (for a few thousand postings)."""
    parts = [_score_block(pm, postings[i : i + block]) for i in range(0, len(postings), block)]
    if not parts:
        empty = np.zeros((pm.people, 0))
        return Stage1Scores(empty, empty, empty, empty)
    return Stage1Scores(
        *(np.concatenate([getattr(p, name) for p in parts], axis=1) for name in Stage1Scores.__dataclass_fields__)
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


_JOB: tuple[ProfileMatrix, Sequence[PostingFeatures], int, str] | None = None  # read by forked workers


def _shortlist_block(span: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    assert _JOB is not None
    pm, postings, k, part = _JOB
    start, stop = span
    values = getattr(_score_block(pm, postings[start:stop]), part)
    index = np.broadcast_to(np.arange(start, stop), values.shape)
    return _select(values, index, k)


def shortlist(
    pm: ProfileMatrix,
    postings: Sequence[PostingFeatures],
    k: int,
    *,
    workers: int = 2,
    block: int = BLOCK,
    part: str = "bound",
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's ``k`` best postings by ``part``: (values, posting indices), people x k, best first.

    Blocks of postings are scored in ``workers`` forked processes (the matrices are shared, not
    copied) and only each block's top ``k`` comes back, so memory stays at a few blocks whatever the
    number of postings.
    """
    global _JOB
    spans = [(i, min(i + block, len(postings))) for i in range(0, len(postings), block)]
    for start, stop in pm.chunks():
        pm.dense(start, stop)  # built once, before the fork, and shared by the workers
    _JOB = (pm, postings, k, part)
    try:
        if workers > 1 and len(spans) > 1 and "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                parts = list(pool.map(_shortlist_block, spans))
        else:
            parts = [_shortlist_block(s) for s in spans]
    finally:
        _JOB = None
    if not parts:
        return np.zeros((pm.people, 0)), np.zeros((pm.people, 0), dtype=np.int64)
    values = np.concatenate([p[0] for p in parts], axis=1)
    index = np.concatenate([p[1] for p in parts], axis=1)
    return _select(values, index, k)


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

"""Title index: from a person's role title to the occupations whose titles match it best.

Two passes, in the order a recruiter would trust them:

1. Exact: the normalised title (or its main part, before a comma or parenthesis) is one of an
   occupation's ~100k known titles. Scores 0.85-1.0, by how much that title speaks for the occupation.
2. Token overlap: an IDF-weighted Dice coefficient between the title's words and each known title's words,
   scaled by whether the *head noun* agrees (the last word in English and German, the first in French and
   Spanish: "Structural Design **Engineer**", "**Ingénieur** d'études"). Rare words decide, common ones
   ("manager", "engineer") only add to titles already found, which keeps a lookup under a few milliseconds.

An occupation's score is its best title's score plus a little for a second matching title, so an
occupation that many titles agree on wins a tie.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import MappingProxyType

from ._data import LANGUAGES, Taxonomy, load
from ._normalize import ParsedTitle, parse_title, title_tokens

# Languages whose head noun comes first ("chef de projet", "desarrollador web").
HEAD_FIRST = frozenset(["fr", "es"])
# A token in more titles than this of one language only adds to titles found through rarer tokens.
COMMON_POSTINGS = 1500
# Titles scored in full per lookup, after a cheap first cut.
SHORTLIST = 300
# Scale of the overlap score when the head noun is the title's head, elsewhere in it, or absent.
HEAD_MATCH = 1.0
HEAD_INSIDE = 0.85
HEAD_MISSING = 0.65
# Share of the second-best title's score added to an occupation's score (ties go to the occupation more
# of whose titles agree).
SECOND_TITLE_BONUS = 0.1
# Overlap scores are scaled below the exact-title range (0.85-1.0): a known title always ranks first.
OVERLAP_CEILING = 0.9


@dataclass
class _Query:
    """A person's title as the index sees it: weights of known words (role weight x IDF), split words
    as pairs, the total weight (unknown words included) and the main words in order (for the head)."""

    weights: dict[int, float] = field(default_factory=dict)
    pairs: list[tuple[int, int, float]] = field(default_factory=list)
    total: float = 0.0
    main: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _LangIndex:
    postings: dict[int, array[int]]  # token id -> entry ids (titles of this language)
    exact: dict[str, list[int]]  # title key -> entry ids


@dataclass
class _Collector:
    """What the index gathers while reading the titles, before it is frozen into arrays."""

    postings: dict[str, dict[int, list[int]]] = field(
        default_factory=lambda: {lang: defaultdict(list) for lang in LANGUAGES}
    )
    exact: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: {lang: defaultdict(list) for lang in LANGUAGES}
    )
    doc_freq: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    seen_keys: set[str] = field(default_factory=set)
    tokens_of: dict[str, list[str]] = field(default_factory=dict)  # titles recur across occupations

    def tokens(self, title: str) -> list[str]:
        tokens = self.tokens_of.get(title)
        if tokens is None:
            tokens = self.tokens_of[title] = title_tokens(title)
        return tokens

    def count(self, key: str, distinct: set[int]) -> None:
        """Document frequency over distinct titles, all languages."""
        if key not in self.seen_keys:
            self.seen_keys.add(key)
            for tid in distinct:
                self.doc_freq[tid] += 1


def _head_factor(tokens: tuple[int, ...], head: int, head_first: bool) -> float:
    """Whether the query's head noun is the title's head, elsewhere in it, or absent."""
    if head in tokens:
        return HEAD_MATCH if tokens[0 if head_first else -1] == head else HEAD_INSIDE
    return HEAD_MISSING


def _per_occupation(entry_occ: array[int], entry_scores: dict[int, float]) -> list[tuple[int, float]]:
    """Per occupation: its best title's score plus a little for the second best, best first."""
    best: dict[int, list[float]] = {}
    for entry, score in entry_scores.items():
        occ = entry_occ[entry]
        pair = best.setdefault(occ, [0.0, 0.0])
        if score > pair[0]:
            pair[0], pair[1] = score, pair[0]
        elif score > pair[1]:
            pair[1] = score
    ranked = [
        (occ, min(1.0, first + SECOND_TITLE_BONUS * second * (1.0 - first)))
        for occ, (first, second) in best.items()
    ]
    ranked.sort(key=lambda item: (-item[1], item[0]))
    return ranked


class TitleIndex:
    """Inverted index over every title of every occupation, in every language."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.token_ids: dict[str, int] = {}
        # One entry per (occupation, language, title): its occupation, weight, IDF length and token ids.
        self.entry_occ: array[int] = array("I")
        self.entry_weight: array[float] = array("f")
        self.entry_len: array[float] = array("f")
        self.entry_tokens: list[tuple[int, ...]] = []
        found = _Collector()
        for occ_index, (occ, weights) in enumerate(zip(taxonomy.occupations, taxonomy.weights, strict=True)):
            for lang, titles in occ.titles.items():
                for title, weight in zip(titles, weights[lang], strict=True):
                    self._add_title(found, occ_index, lang, title, weight)
        n_titles = max(1, len(found.seen_keys))
        self.idf: list[float] = [0.0] * len(self.token_ids)
        for tid, df in found.doc_freq.items():
            self.idf[tid] = math.log(1 + n_titles / df)
        self.unknown_idf = sum(self.idf) / max(1, len(self.idf))
        for ids in self.entry_tokens:
            self.entry_len.append(sum(self.idf[tid] for tid in set(ids)))
        self.langs = {
            lang: _LangIndex(
                postings={tid: array("I", entries) for tid, entries in found.postings[lang].items()},
                exact=dict(found.exact[lang]),
            )
            for lang in LANGUAGES
        }

    def _add_title(self, found: _Collector, occ_index: int, lang: str, title: str, weight: float) -> None:
        """One entry for an occupation's title in one language (titles without words are skipped)."""
        tokens = found.tokens(title)
        if not tokens:
            return
        token_ids = self.token_ids
        ids = tuple([token_ids.setdefault(tok, len(token_ids)) for tok in tokens])
        distinct = set(ids)
        key = " ".join(tokens)
        found.count(key, distinct)
        entry = len(self.entry_tokens)
        self.entry_tokens.append(ids)
        self.entry_occ.append(occ_index)
        self.entry_weight.append(weight)
        found.exact[lang][key].append(entry)
        lang_postings = found.postings[lang]
        for tid in distinct:
            lang_postings[tid].append(entry)

    # ------------------------------------------------------------------ query side

    def _split_unknown(self, token: str) -> list[str]:
        """A word the taxonomy never uses may be two it does ("backend" -> "back" "end")."""
        if token in self.token_ids or len(token) < 6:
            return [token]
        middle = len(token) // 2
        for cut in sorted(range(3, len(token) - 2), key=lambda c: abs(c - middle)):
            left, right = token[:cut], token[cut:]
            if left in self.token_ids and right in self.token_ids:
                return [left, right]
        return [token]

    def _weigh(self, query: _Query, token: str, role: float) -> None:
        """Add one query word: its weight, and its id (or its two halves' ids) when known."""
        parts = self._split_unknown(token)
        ids = [self.token_ids.get(part) for part in parts]
        if None in ids:
            query.total += role * self.unknown_idf
            return
        weight = role * sum(self.idf[tid] for tid in ids if tid is not None)
        query.total += weight
        if len(ids) == 1 and ids[0] is not None:
            query.weights[ids[0]] = max(query.weights.get(ids[0], 0.0), weight)
        elif ids[0] is not None and ids[1] is not None:
            # "backend" only counts in titles with both "back" and "end", not in "Back Tender"
            query.pairs.append((ids[0], ids[1], weight))

    def _query(self, parsed: ParsedTitle) -> _Query:
        """Query weights (role weight x IDF) per token id, and per pair of ids for split words."""
        query = _Query()
        for token, role in parsed.weights.items():
            self._weigh(query, token, role)
        for token in parsed.main:
            for part in self._split_unknown(token):
                if part in self.token_ids:
                    query.main.append(self.token_ids[part])
        return query

    def search(
        self, title: str, langs: tuple[str, ...], limit: int, min_score: float
    ) -> list[tuple[int, float]]:
        """(occupation index, score) pairs, best first."""
        parsed = parse_title(title)
        if not parsed.keys:
            return []
        entry_scores: dict[int, float] = {}
        # 1. exact titles: the full title, then its main part (a little less sure: words were set aside)
        for rank, key in enumerate(parsed.keys):
            certainty = 0.95 if key == " ".join(parsed.main) and len(parsed.keys) > 1 and rank > 0 else 1.0
            self._exact(key, certainty, langs, entry_scores)
        # 2. token overlap
        query = self._query(parsed)
        if (query.weights or query.pairs) and query.main:
            for lang in langs:
                self._overlap(lang, query, entry_scores)
        # 3. per occupation: best title, plus a little for the second best
        ranked = _per_occupation(self.entry_occ, entry_scores)
        return [(occ, round(score, 4)) for occ, score in ranked[:limit] if score >= min_score]

    def _exact(
        self, key: str, certainty: float, langs: tuple[str, ...], entry_scores: dict[int, float]
    ) -> None:
        """Score the titles whose key is ``key`` (or ``key`` with its unknown words split)."""
        split = " ".join(part for token in key.split() for part in self._split_unknown(token))
        for lang in langs:
            exact = self.langs[lang].exact
            for entry in exact.get(key, exact.get(split, ())):
                score = certainty * (0.9 + 0.1 * self.entry_weight[entry])
                if score > entry_scores.get(entry, 0.0):
                    entry_scores[entry] = score

    def _common(self, postings: dict[int, array[int]], query: _Query) -> dict[int, float]:
        """The query weight each title shares with the query.

        Rare words decide: a word in more than ``COMMON_POSTINGS`` titles only strengthens titles
        that rarer words already found.
        """
        weights = query.weights
        common: dict[int, float] = defaultdict(float)
        for first, second, weight in query.pairs:
            if first in postings and second in postings:
                for entry in set(postings[first]).intersection(postings[second]):
                    common[entry] += weight
        found = sorted((tid for tid in weights if tid in postings), key=lambda tid: len(postings[tid]))
        for tid in found:
            entries, weight = postings[tid], weights[tid]
            if len(entries) > COMMON_POSTINGS and common:
                for entry in common:
                    if tid in self.entry_tokens[entry]:
                        common[entry] += weight
            else:
                for entry in entries:
                    common[entry] += weight
        return common

    def _overlap(self, lang: str, query: _Query, entry_scores: dict[int, float]) -> None:
        common = self._common(self.langs[lang].postings, query)
        if not common:
            return
        total, main = query.total, query.main
        entry_len = self.entry_len
        shortlist = heapq.nlargest(SHORTLIST, common, key=lambda e: common[e] / (total + entry_len[e]))
        head = main[0] if lang in HEAD_FIRST else main[-1]
        head_first = lang in HEAD_FIRST
        for entry in shortlist:
            factor = _head_factor(self.entry_tokens[entry], head, head_first)
            dice = 2.0 * common[entry] / (total + entry_len[entry])
            score = dice * factor * (0.85 + 0.15 * self.entry_weight[entry]) * OVERLAP_CEILING
            if score > entry_scores.get(entry, 0.0):
                entry_scores[entry] = score

    @cached_property
    def idf_table(self) -> Mapping[str, float]:
        """IDF per title word (read-only)."""
        return MappingProxyType({tok: self.idf[tid] for tok, tid in self.token_ids.items()})


@lru_cache(maxsize=1)
def index() -> TitleIndex:
    """The index over the bundled taxonomy, built once per process."""
    return TitleIndex(load())

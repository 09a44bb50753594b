"""Everything screening needs to know about a posting that does not depend on who reads it.

Cleaning out machine-addressed text, reading the posting's demands, weighting its words and finding
its requirement lines is most of the work of screening, and none of it depends on the profile. It is
done once per posting content (cached by a content hash), so screening one posting for a thousand
users — or one user's ten thousand postings twice — pays for it once.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, OrderedDict
from dataclasses import dataclass

from jobland_pipeline.lexicon.cues import OPTIONAL, REQUIRED, fold_for_cues
from jobland_pipeline.lexicon.idf import idf
from jobland_pipeline.lexicon.instructions import remove_instructions
from jobland_pipeline.lexicon.lang import detect_language
from jobland_pipeline.lexicon.tokens import CJK_STOP, fold, han_runs, tokens
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.requirements import requirement_lines
from jobland_pipeline.screening.demands import Demands, read_demands

TITLE_BOOST = 3  # the title says what the job is: each title word counts as three mentions


# Each Han character of a text that is part of a content bigram: its weight (the rarest such bigram)
# and those bigrams. Chinese coverage is read by character (``relevance._share``); this part of it
# does not depend on the CV, so it is worked out once per posting.
HanChars = tuple[tuple[float, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Clause:
    """One part of a requirement line split at ";": "BLS required; ACLS preferred"."""

    content: frozenset[str]
    weight: float
    optional: bool  # "preferred", "a plus", "an asset", "valorable"...
    han: HanChars = ()


@dataclass(frozen=True)
class Requirement:
    line: str
    content: frozenset[str]
    weight: float  # sum of the rarity of its content words
    clauses: tuple[Clause, ...] = ()  # when the line joins a demand and a wish with ";"
    han: HanChars = ()


@dataclass(frozen=True)
class PostingAnalysis:
    posting_id: str
    text: str
    injected: bool
    demands: Demands
    language: str
    weights: dict[str, float]
    total: float
    requirements: tuple[Requirement, ...]
    explicit: bool
    folded: str


def content_hash(posting: Posting) -> str:
    raw = "\x1f".join(
        [
            posting.title,
            posting.company,
            posting.location,
            str(posting.remote),
            posting.employment_type or "",
            posting.description,
        ]
    )
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


_CACHE: OrderedDict[str, PostingAnalysis] = OrderedDict()
CACHE_SIZE = 4_000
"""An analysis holds about 16 KB: 4,000 cost about 64 MB. The cache pays when one process screens the
same posting for several users (a search batch); ``jobland screen`` over 100,000 postings must not
keep them all (50,000 grew the process by gigabytes)."""


def analyse(posting: Posting) -> PostingAnalysis:
    """The profile-independent reading of a posting (cached by content, least recently used first out)."""
    key = f"{posting.id}\x1e{content_hash(posting)}"
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = _analyse(posting)
        if len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return found


# Cues after a letter only when they start a word ("优先" follows a Han character: no \b there).
_OPTIONAL = re.compile(
    rf"(?<![a-z]){OPTIONAL}|(?<![a-z])(?:welcome|welcomed|encouraged|accepted|acceptable)\b"
)
_REQUIRED = re.compile(rf"(?<![a-z]){REQUIRED}")
# A part saying what is *not* asked ("a degree is not required"): no requirement at all.
_NOT_ASKED = re.compile(
    r"\b(?:not|no)\s+(?:\w+\s+){0,2}(?:required|essential|necessary|mandatory|needed)\b|不要求|不限"
)


def han_chars(text: str) -> HanChars:
    """The Han characters of ``text`` in content bigrams, each with its weight and its bigrams."""
    out: list[tuple[float, tuple[str, ...]]] = []
    for run in han_runs(text):
        if len(run) == 1:
            out.append((idf(run), (run,)))
            continue
        grams = [run[i : i + 2] for i in range(len(run) - 1)]
        for i in range(len(run)):
            sides = tuple(g for g in grams[max(0, i - 1) : i + 1] if g not in CJK_STOP)
            if sides:
                out.append((max(idf(g) for g in sides), sides))
    return tuple(out)


def _clauses(line: str) -> tuple[Clause, ...]:
    """The parts of a line that joins a demand and a wish, or two ways in ("BSN preferred; ADN
    accepted with 2 years of ED experience"): each with its words and whether it is only wished for.
    None for a plain list with no wish in it ("SQL; Kubernetes and dbt"): that is one demand."""
    parts = [p for p in re.split(r"[;；]", line) if p.strip()]
    if len(parts) < 2:
        return ()
    out = []
    for part in parts:
        cues = fold_for_cues(part)
        if _NOT_ASKED.search(cues):
            continue
        content = frozenset(t for t in tokens(part) if not t.isdigit())
        # "considered essential", "will not be considered" say required: that wins over a wish word.
        optional = _OPTIONAL.search(cues) is not None and _REQUIRED.search(cues) is None
        out.append(Clause(content, sum(idf(t) for t in content), optional, han_chars(part)))
    return tuple(out) if any(c.optional for c in out) else ()


def _analyse(posting: Posting) -> PostingAnalysis:
    text, injected = remove_instructions(posting.description)
    demands = read_demands(posting, text)
    doc = Counter(tokens(text))
    for token in tokens(posting.title):
        doc[token] += TITLE_BOOST
    weights = {t: idf(t) * (1 + math.log(c)) for t, c in doc.items() if not t.isdigit()}
    lines, explicit = requirement_lines(text)
    requirements = []
    for line in lines:
        content = frozenset(t for t in tokens(line) if not t.isdigit())
        weight = sum(idf(t) for t in content)
        requirements.append(Requirement(line, content, weight, _clauses(line), han_chars(line)))
    return PostingAnalysis(
        posting_id=posting.id,
        text=text,
        injected=injected,
        demands=demands,
        language=detect_language(f"{posting.title}\n{text}"),
        weights=weights,
        total=sum(weights.values()) or 1.0,
        requirements=tuple(requirements),
        explicit=explicit,
        folded=fold(f"{posting.title}\n{text}"),
    )

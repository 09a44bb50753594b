"""Find place names in text and pick, for each, the place the writer meant.

Three steps:

1. **Tokens.** Words are folded like the index keys; Han runs are kept whole (Chinese has no
   spaces, so Han names are found as substrings). Each token remembers what separates it from
   the previous one: a *hard* separator (comma, slash, bracket, full stop...) ends a name.
2. **Spans.** The longest run of tokens that is a known name becomes a candidate span. Whether
   it is kept depends on the mode. A location *field* ("Reading, UK (hybrid)") is read
   permissively. A *sentence* (a CV body) needs capitals, and names that are also ordinary
   words ("Nice", "Best", "Reading": the build script's *risky* list) or small towns need a
   location-like context: a preposition before and a boundary after ("based in Nice."), or
   another accepted place next to them ("Nice, France"). Upper-case abbreviations (ON, CO, IL,
   DE) count only right after a place ("London, ON"), short forms (UK, USA, EU) anywhere.
3. **Disambiguation.** Every span has candidates (all places with that name). Each starts
   with a base score (log population, kind), then gains points for agreeing with the places
   picked for the other spans: same country, admin1, admin2 (full points within the same
   comma-separated group, a quarter elsewhere in the text). Spans are decided one by one, the
   clearest first, then revised twice: "Paris, TX" becomes Paris, Texas; "London, ON" London,
   Ontario; "Newport" next to "UK" the Welsh one; with no clue the most populous place wins.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from ._data import ADMIN1, ADMIN2, CITY, COUNTRY, REGION, Gazetteer
from ._lexicon import (
    ARTICLES,
    DIRECTIONS,
    FUNCTION_WORDS,
    LOCATION_NOISE,
    LOCATION_PREPOSITIONS,
    LOWERCASE_SHORT_FORMS,
    POST_QUALIFIERS,
    PRE_QUALIFIERS,
)
from ._text import CANONICAL_TOKENS, HAN_CLASS, fold_word

_TOKEN: Final = re.compile(
    rf"(?P<han>[{HAN_CLASS}]+)|(?P<word>[^\W_{HAN_CLASS}]+(?:['’‘ʻʼ`´][^\W_{HAN_CLASS}]+)*)"
)
# "U.S.", "U.K.", "U.S.A.", "D.C." -> "US", "UK", "USA", "DC"; "EE. UU." -> "EEUU".
_DOTTED: Final = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3}(?![A-Za-z])|(?<!\w)EE\.\s?UU\.?")
_HARD_CHARS: Final = frozenset(',;/|()[]{}<>\n\t:!?·•–—+"“”«»，、；：（）。【】「」『』！？')
_LIST_SEPARATORS: Final = frozenset(",()[]/，、（）【】")
_LIST_BREAKS: Final = frozenset(".!?\n;:•·。！？；")
_GROUP_BREAKS: Final = frozenset(";/|\n•·&；。")
_SENTENCE_CHARS: Final = frozenset(".!?\n•·:;。！？；")
_OPEN: Final = frozenset("([{（【")
_CLOSE: Final = frozenset(")]}）】")
_SPACED_DASH: Final = re.compile(r"\s[-–—]\s|\s[-–—]$|^[-–—]\s")
_ABBREVIATIONS: Final = frozenset(CANONICAL_TOKENS)  # "St." does not end a name
_SMALL_TOWN: Final = 15_000
_MAX_CANDIDATES: Final = 25


@dataclass(slots=True)
class Token:
    """One word or Han run of the input, with what precedes it."""

    raw: str
    key: str
    hard: bool  # a hard separator (or the start of the text) precedes it
    sentence_start: bool
    depth: int  # bracket depth
    han: bool
    cap: bool
    upper: bool
    sep: str  # the raw characters between the previous token and this one


@dataclass(slots=True)
class Span:
    """A run of tokens that names one or more places; ``pick`` is the chosen candidate."""

    i: int
    j: int
    source: str  # "name", "han", "upper", "abbrev"
    refs: list[int]
    risky: bool = False
    accepted: bool = False
    pending: bool = False
    group: int = 0
    depth: int = 0
    pos: int = 0
    placed: bool = False
    candidates: list[int] = field(default_factory=list)
    pick: int = -1


@lru_cache(maxsize=4096)
def _separator(sep: str) -> tuple[bool, bool, int, int]:
    """(hard, sentence start, brackets opened, brackets closed) for the text between tokens."""
    hard = any(ch in _HARD_CHARS for ch in sep) or _SPACED_DASH.search(sep) is not None
    sentence_start = any(ch in _SENTENCE_CHARS for ch in sep)
    opens = sum(ch in _OPEN for ch in sep)
    closes = sum(ch in _CLOSE for ch in sep)
    return hard, sentence_start, opens, closes


def _separator_state(sep: str, depth: int, first: bool, prev_raw_lower: str) -> tuple[bool, bool, int]:
    """(hard, sentence start, bracket depth) of a token preceded by ``sep``.

    A full stop is hard unless it ends an abbreviation that can sit inside a name ("St.").
    """
    if first:
        return True, True, _separator(sep)[2]
    hard, sentence_start, opens, closes = _separator(sep)
    if opens or closes:
        depth = max(0, depth + opens - closes)
    if not hard and "." in sep and prev_raw_lower not in _ABBREVIATIONS:
        hard = True
    return hard, sentence_start, depth


def _word_key(raw: str, lower: str) -> str:
    """The index key of a word: folded like the gazetteer's names, canonical abbreviations."""
    if lower.isascii():
        key = lower.replace("'", "").replace("`", "")
        return CANONICAL_TOKENS.get(key, key)
    return fold_word(raw)


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; see ``Token`` for what each one records."""
    text = _DOTTED.sub(lambda m: re.sub(r"[.\s]", "", m.group()), text)
    tokens: list[Token] = []
    prev_end = 0
    depth = 0
    prev_raw_lower = ""
    for m in _TOKEN.finditer(text):
        sep = text[prev_end : m.start()]
        prev_end = m.end()
        hard, sentence_start, depth = _separator_state(sep, depth, not tokens, prev_raw_lower)
        han = m.group("han")
        if han is not None:
            tokens.append(Token(han, han, True, sentence_start, depth, True, False, False, sep))
            prev_raw_lower = ""
            continue
        raw = m.group("word")
        lower = raw.lower()
        first = raw[0]
        tokens.append(
            Token(
                raw=raw,
                key=_word_key(raw, lower),
                hard=hard,
                sentence_start=sentence_start,
                depth=depth,
                han=False,
                cap=first.isupper() or first.isdigit(),
                upper=len(raw) >= 2 and raw.isupper(),
                sep=sep,
            )
        )
        prev_raw_lower = lower
    return tokens


def _short_form_span(g: Gazetteer, tok: Token, i: int, field_mode: bool) -> Span | None:
    """An upper-case short form ("UK", "NYC"), an abbreviation ("ON", "CO") or, in a field, a
    lower-case short form ("uk") at token ``i``."""
    if tok.upper and len(tok.raw) <= 5:
        refs = g.upper.get(tok.raw)
        if refs:
            return Span(i, i + 1, "upper", list(refs))
        refs = g.abbrev.get(tok.raw)
        if refs and len(tok.raw) <= 3:
            return Span(i, i + 1, "abbrev", list(refs))
    if field_mode and tok.key in LOWERCASE_SHORT_FORMS:
        return Span(i, i + 1, "upper", list(g.upper[tok.key.upper()]))
    return None


def _key_prefixes(tokens: list[Token], i: int, longest: int) -> list[str]:
    """Keys of the runs of 1, 2, ... words from token ``i``, up to ``longest`` words or the
    next hard separator or Han run."""
    keys = [tokens[i].key]
    for k in range(i + 1, min(len(tokens), i + longest)):
        nxt = tokens[k]
        if nxt.hard or nxt.han:
            break
        keys.append(keys[-1] + " " + nxt.key)
    return keys


def _longest_name_span(g: Gazetteer, tokens: list[Token], i: int, field_mode: bool) -> Span | None:
    """The longest plausible known name starting at token ``i``."""
    longest = g.first_max.get(tokens[i].key, 0)
    if not longest:
        return None
    keys = _key_prefixes(tokens, i, longest)
    for length in range(len(keys), 0, -1):
        refs = g.index.get(keys[length - 1])
        if refs is None:
            continue
        if _plausible(tokens, i, i + length, keys[length - 1], field_mode):
            span = Span(i, i + length, "name", [refs] if isinstance(refs, int) else list(refs))
            span.risky = length == 1 and keys[0] in g.risky
            return span
    return None


def _name_spans(g: Gazetteer, tokens: list[Token], field_mode: bool) -> list[Span]:
    """Longest-match candidate spans, left to right, never overlapping."""
    spans: list[Span] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.han:
            spans.extend(_han_spans(g, tok.raw, i))
            i += 1
            continue
        found = _short_form_span(g, tok, i, field_mode)
        if found is None and (field_mode or tok.cap):
            found = _longest_name_span(g, tokens, i, field_mode)
        if found is None:
            i += 1
            continue
        spans.append(found)
        i = found.j
    return spans


def _plausible_word(tok: Token, key: str) -> bool:
    """A one-word name is not noise, a particle, a two-letter word, an acronym or a number."""
    if key in LOCATION_NOISE or key in FUNCTION_WORDS or len(key) <= 2:
        return False
    if tok.upper and len(tok.raw) <= 3:
        return False  # "ROI", "API", "SQL": acronyms, not towns
    return not tok.key.isdigit()


def _plausible(tokens: list[Token], i: int, j: int, key: str, field_mode: bool) -> bool:
    """Cheap shape checks on a span before any context is considered."""
    if j - i == 1 and not _plausible_word(tokens[i], key):
        return False
    if all(tokens[k].key in DIRECTIONS for k in range(i, j)):
        return False  # "North West", "South-East": GeoNames has such areas, writers mean others
    if not field_mode:
        # Every word of the name that is not a particle ("sur", "de", "upon") is capitalised.
        return all(tokens[k].cap for k in range(i, j) if tokens[k].key not in FUNCTION_WORDS)
    return True


def _han_spans(g: Gazetteer, run: str, i: int) -> list[Span]:
    """Greedy longest substrings of a Han run that are names (上海市闵行区 -> 上海市, 闵行区)."""
    out: list[Span] = []
    pos = 0
    size = len(run)
    while pos < size:
        for length in range(min(g.han_max, size - pos), 1, -1):
            refs = g.han_index.get(run[pos : pos + length])
            if refs:
                out.append(Span(i, i + 1, "han", list(refs), accepted=True))
                pos += length
                break
        else:
            pos += 1
    return out


def _between_is_numeric(tokens: list[Token], a: int, b: int) -> bool:
    """Only numbers (postcodes, "1850", "10e", "(73)") between token a (incl.) and b (excl.)."""
    return all(any(ch.isdigit() for ch in tokens[k].raw) for k in range(a, b))


def _adjacent(tokens: list[Token], left: Span, right: Span) -> bool:
    return left.j <= right.i and _between_is_numeric(tokens, left.j, right.i)


def _listed(tokens: list[Token], left: Span, right: Span) -> bool:
    """Adjacent across a comma, bracket or slash (not a full stop or dash): two parts of one
    address or items of one list ("Thane, Maharashtra", "Madrid (Las Tablas)")."""
    if left.i == right.i or not _adjacent(tokens, left, right):
        return False
    seps = "".join(tokens[k].sep for k in range(left.j, right.i + 1))
    return any(ch in _LIST_SEPARATORS for ch in seps) and not any(ch in _LIST_BREAKS for ch in seps)


def _primary_pops(g: Gazetteer, refs: list[int]) -> list[int]:
    return [g.pop[r >> 1] for r in refs if not r & 1]


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _same_group(tokens: list[Token], left: Span, right: Span) -> bool:
    """Adjacent, and not across a list separator ("Denver, CO / Chicago, IL" is two groups)."""
    if left.i == right.i:
        return True  # two names inside one Han run
    if not _adjacent(tokens, left, right):
        return False
    return not any(ch in _GROUP_BREAKS for k in range(left.j, right.i + 1) for ch in tokens[k].sep)


def _accept_upper(tokens: list[Token], s: Span, field_mode: bool) -> None:
    """Upper-case short forms are places, except a shouted "US" ("CONTACT US", "ABOUT US")."""
    tok = tokens[s.i]
    prev = tokens[s.i - 1] if s.i > 0 else None
    shouting = prev is not None and not tok.hard and prev.upper and prev.key not in LOCATION_PREPOSITIONS
    if tok.raw == "US" and shouting and not field_mode:
        s.pending = True
    else:
        s.accepted = True


@dataclass(slots=True)
class _Context:
    """The words right around a name span (within its run of softly separated tokens)."""

    first: Token
    before: Token | None
    after: Token | None
    strong_left: bool  # a location preposition before it, not itself a place ("based in X")
    right_ok: bool  # nothing, a Han run, a particle or a qualifier after it
    glued: bool  # a capitalised word glued to it: part of another proper noun

    @property
    def alone(self) -> bool:
        """The whole comma-separated item of a field ("Reading" in "Reading, UK")."""
        return self.first.hard and self.after is None

    @property
    def located(self) -> bool:
        """In a location context: "based in X.", "moved to X last year"."""
        return self.strong_left and self.right_ok


def _glued_before(before: Token | None, i: int, strong_ends: set[int]) -> bool:
    return (
        before is not None
        and (before.cap or before.upper)
        and before.key not in PRE_QUALIFIERS
        and before.key not in FUNCTION_WORDS
        and not _has_digit(before.raw)
        and (i - 1) not in strong_ends
    )


def _glued_after(after: Token | None) -> bool:
    return (
        after is not None
        and (after.cap or after.upper)
        and not after.han
        and after.key not in POST_QUALIFIERS
        and after.key not in FUNCTION_WORDS
        and not _has_digit(after.raw)
    )


def _context(tokens: list[Token], s: Span, span_at: set[int], strong_ends: set[int]) -> _Context:
    """A capitalised word glued to the name makes it part of another proper noun
    ("Washington Post", "Michael Jackson", "Little Island", "Betting & Gaming"), unless it is a
    qualifier ("Central London", "Leeds office") or a number ("London W1")."""
    i, j = s.i, s.j
    first = tokens[i]
    before = tokens[i - 1] if i > 0 and not first.hard else None
    after = tokens[j] if j < len(tokens) and not tokens[j].hard else None
    return _Context(
        first=first,
        before=before,
        after=after,
        strong_left=before is not None and before.key in LOCATION_PREPOSITIONS and (i - 1) not in span_at,
        right_ok=after is None or after.han or after.key in FUNCTION_WORDS or after.key in POST_QUALIFIERS,
        glued=_glued_before(before, i, strong_ends) or _glued_after(after),
    )


def _accept_in_field(s: Span, ctx: _Context) -> None:
    """A location field is read permissively: only word-like names need to stand alone."""
    if not s.risky:
        s.accepted = True
    elif ctx.glued:
        return  # rejected outright: neither accepted nor pending
    elif (ctx.first.cap or ctx.first.upper) and (ctx.alone or ctx.located):
        s.accepted = True
    else:
        s.pending = True


def _big_or_country(g: Gazetteer, refs: list[int]) -> bool:
    return any(
        g.kind[r >> 1] in (COUNTRY, REGION) or (g.kind[r >> 1] == CITY and g.pop[r >> 1] >= 1_000_000)
        for r in refs
    )


def _article_noun(ctx: _Context) -> bool:
    """An article before and a lower-case word after: a name used as a noun's modifier."""
    before, after = ctx.before, ctx.after
    return (
        before is not None
        and before.key in ARTICLES
        and after is not None
        and not after.cap
        and after.key not in FUNCTION_WORDS
        and after.key not in POST_QUALIFIERS
    )


def _accept_in_sentence(g: Gazetteer, s: Span, ctx: _Context) -> None:
    """In running text a name needs capitals and, if small or word-like, a location context."""
    if ctx.glued:
        return
    located = ctx.located
    if not located:
        # Alternate names ("Athena" is also Athens) only count in a location context.
        primary = [r for r in s.refs if not r & 1]
        if not primary:
            s.pending = True
            return
        s.refs = primary
    biggest = max(g.pop[r >> 1] for r in s.refs)
    if _article_noun(ctx) and not _big_or_country(g, s.refs):
        return  # "the Victoria data lake", "the Mobile app"
    if biggest < _SMALL_TOWN:
        s.pending = True  # small towns only as part of an address: "Courchevel, Savoie"
    elif s.risky or (s.j - s.i == 1 and len(ctx.first.key) <= 3):
        s.accepted = located
        s.pending = not located
    else:
        s.accepted = True


def _readings_after(g: Gazetteer, prev: Span, refs: list[int]) -> list[int]:
    """Keep only the readings the place before allows: "Denver, CO" is Colorado (there is a
    Denver there, none in Colombia); "Mumbai, MH" is not the Marshall Islands."""
    places_before = {(g.cc[r >> 1], g.a1[r >> 1]) for r in prev.refs}
    countries_before = {cc for cc, _ in places_before}
    return [
        r
        for r in refs
        if (g.kind[r >> 1] == COUNTRY and g.cc[r >> 1] in countries_before)
        or (g.cc[r >> 1], g.a1[r >> 1]) in places_before
    ]


def _accept_abbreviations(g: Gazetteer, spans: list[Span]) -> None:
    """Abbreviations ("ON", "CO", "DE") count right after a place, and vouch for it."""
    for k, s in enumerate(spans):
        if s.source != "abbrev" or k == 0:
            continue
        prev = spans[k - 1]
        if prev.source not in {"name", "han"} or prev.j != s.i:
            continue
        s.refs = _readings_after(g, prev, s.refs)
        if s.refs:
            s.accepted = True
            if prev.pending:
                prev.pending, prev.accepted = False, True


def _listed_with_accepted(tokens: list[Token], spans: list[Span], k: int) -> bool:
    """Span ``k`` is listed right after or right before an accepted place."""
    s = spans[k]
    left = spans[k - 1] if k > 0 else None
    right = spans[k + 1] if k + 1 < len(spans) else None
    return (left is not None and left.accepted and _listed(tokens, left, s)) or (
        right is not None and right.accepted and _listed(tokens, s, right)
    )


def _accept_listed(tokens: list[Token], spans: list[Span]) -> None:
    """Pending names next to an accepted place, across a comma or bracket, are places too
    ("Reading, Berkshire", "Thane, Maharashtra", "Madrid (Las Tablas)")."""
    for _ in range(2):
        for k, s in enumerate(spans):
            if not s.pending:
                continue
            if _listed_with_accepted(tokens, spans, k):
                s.pending, s.accepted = False, True


def _strong_ends(g: Gazetteer, spans: list[Span]) -> set[int]:
    """Ends of names that are places on their own (big, not word-like): such a name just before
    another does not make it part of a longer proper noun ("Leeds & Bradford")."""
    return {
        s.j - 1
        for s in spans
        if s.source == "name" and not s.risky and max(_primary_pops(g, s.refs), default=0) >= _SMALL_TOWN
    }


def _accept(g: Gazetteer, tokens: list[Token], spans: list[Span], field_mode: bool) -> list[Span]:
    """Decide which candidate spans are places (see the module docstring)."""
    span_at = {s.i for s in spans}
    strong_ends = _strong_ends(g, spans)
    for s in spans:
        if s.source in {"han", "abbrev"}:
            continue
        if s.source == "upper":
            _accept_upper(tokens, s, field_mode)
            continue
        ctx = _context(tokens, s, span_at, strong_ends)
        if field_mode:
            _accept_in_field(s, ctx)
        else:
            _accept_in_sentence(g, s, ctx)
    _accept_abbreviations(g, spans)
    _accept_listed(tokens, spans)
    return [s for s in spans if s.accepted]


def _base(g: Gazetteer, ref: int, source: str) -> float:
    """Score before context: bigger places first; cities over same-named admin areas."""
    eid = ref >> 1
    kind = g.kind[eid]
    score = math.log10(g.pop[eid] + 100)
    if kind == CITY:
        score += 1.0
    elif kind == ADMIN2:
        score -= 1.0
    elif kind in (COUNTRY, REGION):
        score += 1.5
    if ref & 1:
        # An alternate name ("Bombay") or, for abbreviations, an ISO code ("CO" is Colorado
        # before it is Colombia, unless the place before it says otherwise).
        score -= 4.0 if source == "abbrev" else 0.5
    return score


def _anchors(g: Gazetteer, eid: int) -> list[tuple[str, ...]]:
    """What a picked place says about the others: its country, admin1 and admin2.

    Keys ``c``/``a``/``b`` (country/admin1/admin2) come from a country or admin area named in
    the text; ``k``/``w``/``v`` are the same facts inferred from a city. Two cities sharing a
    country or admin1 is weak evidence ("Dublin, Paris and New York" are in three countries),
    but a city inside a named area, or an area containing a city named before it, is strong
    ("Seattle, Washington", "Toronto, CA").
    """
    kind = g.kind[eid]
    if kind == REGION:
        return []
    cc, a1, a2 = g.cc[eid], g.a1[eid], g.a2[eid]
    city = kind == CITY
    keys: list[tuple[str, ...]] = [("k" if city else "c", cc)]
    if kind == COUNTRY:
        return keys
    if a1:
        keys.append(("w" if city else "a", cc, a1))
    members = g.area_members.get(eid)
    if members is not None:
        keys.extend(("b", code) for code in members)
    elif a2:
        keys.append(("v" if city else "b", f"{cc}.{a1}.{a2}"))
    return keys


# Points for agreeing with another span's pick, by key kind (see ``_anchors``); a quarter
# when the other span is outside the candidate's comma-separated group.
_WEIGHTS: Final = {"c": 3.0, "a": 3.0, "b": 2.0, "k": 1.0, "w": 0.5, "v": 0.5}
# An area candidate containing a city written *before* it in the same group gets the strong
# weight at its own level: addresses go from small to big, so "Alcobendas, Madrid" is the
# Community of Madrid, "Toronto, CA" is Canada, while in "Madrid (Las Tablas)" Madrid is the
# city and in "Leeds, Bradford" Bradford is the city, not the borough.
_CONTAINER_LEVEL: Final = {COUNTRY: "k", ADMIN1: "w", ADMIN2: "v"}
_CONTAINER_WEIGHTS: Final = {"k": 3.0, "w": 3.0, "v": 2.0}
_OUTSIDE_GROUP: Final = 0.25
_MAX_GAIN: Final = 3.0 + 3.0 + 2.0  # the most context can add to a base score


def _match_keys(g: Gazetteer, eid: int) -> list[tuple[tuple[str, ...], ...]]:
    """Per level, the anchor keys a candidate agrees with (strong variant first)."""
    kind = g.kind[eid]
    if kind == REGION:
        return []
    cc, a1, a2 = g.cc[eid], g.a1[eid], g.a2[eid]
    levels: list[tuple[tuple[str, ...], ...]] = [(("c", cc), ("k", cc))]
    if kind == COUNTRY:
        return levels
    if a1:
        levels.append((("a", cc, a1), ("w", cc, a1)))
    members = g.area_members.get(eid)
    if members is not None:
        levels.append(tuple(("b", code) for code in members) + tuple(("v", code) for code in members))
    elif a2:
        code = f"{cc}.{a1}.{a2}"
        levels.append((("b", code), ("v", code)))
    return levels


def _candidates(g: Gazetteer, tokens: list[Token], spans: list[Span]) -> dict[int, list[float]]:
    """Number the spans and their comma-separated groups, and rank each span's candidates by
    base score (the best one is the first pick); returns the sorted base scores per span."""
    group = 0
    bases: dict[int, list[float]] = {}
    for k, s in enumerate(spans):
        if k > 0 and not _same_group(tokens, spans[k - 1], s):
            group += 1
        s.group = group
        s.pos = k
        scored = sorted(((_base(g, r, s.source), r) for r in set(s.refs)), reverse=True)[:_MAX_CANDIDATES]
        s.candidates = [r for _, r in scored]
        bases[k] = [b for b, _ in scored]
        s.pick = s.candidates[0]
    return bases


class _Picker:
    """The picks made so far, counted per anchor key within each group and over the text."""

    def __init__(self, g: Gazetteer, spans: list[Span], bases: dict[int, list[float]]) -> None:
        self.g = g
        self.bases = bases
        self.by_group: dict[int, dict[tuple[str, ...], int]] = {s.group: {} for s in spans}
        self.total: dict[tuple[str, ...], int] = {}
        self.members: dict[int, list[Span]] = {}
        for s in spans:
            self.members.setdefault(s.group, []).append(s)

    def lead(self, s: Span) -> float:
        """How far the best candidate is ahead of the best one in another country."""
        cc = self.g.cc
        bases = self.bases[s.pos]
        top = s.candidates[0]
        for r, b in zip(s.candidates[1:], bases[1:], strict=True):
            if cc[r >> 1] != cc[top >> 1]:
                return bases[0] - b
        return math.inf

    def anchors_of(self, ref: int) -> list[tuple[str, ...]]:
        cache = self.g.anchor_cache
        found = cache.get(ref >> 1)
        if found is None:
            found = cache[ref >> 1] = _anchors(self.g, ref >> 1)
        return found

    def place(self, s: Span, sign: int) -> None:
        """Count (``sign`` +1) or uncount (-1) the anchors of the span's pick."""
        inside = self.by_group[s.group]
        total = self.total
        for key in self.anchors_of(s.pick):
            inside[key] = inside.get(key, 0) + sign
            total[key] = total.get(key, 0) + sign

    def _earlier(self, s: Span) -> set[tuple[str, ...]]:
        """Anchors of the places already picked before ``s`` in its group."""
        earlier: set[tuple[str, ...]] = set()
        for t in self.members[s.group]:
            if t.pos >= s.pos:
                break
            if t.placed:
                earlier.update(self.anchors_of(t.pick))
        return earlier

    def _levels(self, eid: int) -> list[tuple[tuple[str, ...], ...]]:
        cache = self.g.match_cache
        levels = cache.get(eid)
        if levels is None:
            levels = cache[eid] = _match_keys(self.g, eid)
        return levels

    def _gain(
        self,
        level: tuple[tuple[str, ...], ...],
        own_level: str | None,
        earlier: set[tuple[str, ...]],
        inside: dict[tuple[str, ...], int],
    ) -> float:
        """The points one level earns: the best weight among its keys another pick shares."""
        gained = 0.0
        total = self.total
        for key in level:
            weight = _WEIGHTS[key[0]]
            if own_level is not None and key[0] == own_level and key in earlier:
                weight = _CONTAINER_WEIGHTS[own_level]
            if inside.get(key, 0) > 0:
                if weight > gained:
                    gained = weight
            elif total.get(key, 0) > 0 and weight * _OUTSIDE_GROUP > gained:
                gained = weight * _OUTSIDE_GROUP
        return gained

    def choose(self, s: Span) -> int:
        """The candidate with the best base score plus agreement with the other picks."""
        candidates = s.candidates
        if len(candidates) == 1:
            return candidates[0]
        inside = self.by_group[s.group]
        earlier = self._earlier(s)
        kinds = self.g.kind
        best, best_score = candidates[0], -math.inf
        for ref, base in zip(candidates, self.bases[s.pos], strict=True):
            if base + _MAX_GAIN < best_score:
                break  # candidates are sorted by base score: none further can win
            eid = ref >> 1
            own_level = _CONTAINER_LEVEL.get(kinds[eid])
            score = base
            for level in self._levels(eid):
                score += self._gain(level, own_level, earlier, inside)
            if score > best_score:
                best, best_score = ref, score
        return best

    def revise(self, order: list[Span]) -> bool:
        """Re-decide every span against all the others; True if any pick changed."""
        changed = False
        for s in order:
            if len(s.candidates) == 1:
                continue
            self.place(s, -1)
            best = self.choose(s)
            changed |= best != s.pick
            s.pick = best
            self.place(s, +1)
        return changed


def _disambiguate(g: Gazetteer, tokens: list[Token], spans: list[Span]) -> None:
    """Pick one candidate per span (see the module docstring).

    Spans are decided one at a time, the most clear-cut first (the biggest lead of its best
    candidate over the best one in another country), each against the picks made so far; then
    two more passes let early picks adapt to later ones. Deciding "Vancouver" before
    "Richmond" is what makes "Richmond, Vancouver" the Canadian pair rather than two
    American towns agreeing with each other.
    """
    bases = _candidates(g, tokens, spans)
    if len(spans) < 2:
        return
    picker = _Picker(g, spans, bases)
    order = sorted(spans, key=picker.lead, reverse=True)
    for s in order:
        s.pick = picker.choose(s)
        s.placed = True
        picker.place(s, +1)
    for _ in range(2):
        if not picker.revise(order):
            break


def analyse(g: Gazetteer, text: str, field_mode: bool) -> list[Span]:
    """Accepted, disambiguated spans of ``text`` in reading order."""
    if not text or not text.strip():
        return []
    tokens = tokenize(text)
    spans = _name_spans(g, tokens, field_mode)
    if not spans:
        return []
    accepted = _accept(g, tokens, spans, field_mode)
    for s in accepted:
        s.depth = tokens[s.i].depth
    _disambiguate(g, tokens, accepted)
    return accepted


__all__ = ["Span", "Token", "analyse", "tokenize"]

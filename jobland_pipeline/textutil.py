"""Tokens and lexical similarity shared by title suggestion, search and screening.

Measured in ARCHITECTURE.md: a lexical ranker with Chinese split into character bigrams ranks as
well as the embedding models tried, at a fraction of the cost, so that is what the offline engine uses.
"""

from __future__ import annotations

import html
import math
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable
from functools import cache

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "this",
        "to",
        "we",
        "with",
        "you",
        "your",
        "will",
        "who",
        "what",
        "when",
        "where",
        "all",
        "any",
        "can",
        "may",
        "must",
        "not",
        "per",
        "via",
        "job",
        "role",
        "position",
        "ii",
        "iii",
        "i",
        "iv",
        "team",
    ]
)
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased Latin words (light plural stemming, no stop words) plus Han character bigrams."""
    lowered = text.lower()
    out = [_stem(w) for w in _WORD.findall(lowered) if w not in STOPWORDS and len(w) > 1]
    for run in _HAN_RUN.findall(lowered):
        out.extend(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.append(run)
    return out


def title_similarity(a: str, b: str) -> float:
    """How much of title ``b`` is contained in title ``a`` (0..1), e.g. query vs posting title."""
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(tb)


def best_title_similarity(posting_title: str, names: Iterable[str]) -> float:
    return max((title_similarity(posting_title, n) for n in names if n), default=0.0)


class TfIdf:
    """A tiny TF-IDF index for cosine similarity between one query and many documents."""

    def __init__(self, documents: list[str]) -> None:
        self.doc_tokens = [Counter(tokens(d)) for d in documents]
        df: Counter[str] = Counter()
        for counts in self.doc_tokens:
            df.update(counts.keys())
        n = max(1, len(documents))
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}
        self.doc_vectors = [self._vector(c) for c in self.doc_tokens]

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vec = {t: (1 + math.log(c)) * self.idf.get(t, 1.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def similarities(self, query: str) -> list[float]:
        q = self._vector(Counter(tokens(query)))
        return [sum(w * d.get(t, 0.0) for t, w in q.items()) for d in self.doc_vectors]


_ESCAPED_HTML = re.compile(r"&lt;\s*/?\s*[a-z]", re.I)
_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_LIST_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
_BLOCK_TAGS = re.compile(r"<\s*/?\s*(?:p|div|br|li|ul|ol|h[1-6]|tr|section|article)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t]{2,}|\t")  # = [ \t]+ -> " ", without rewriting every single space
_DOUBLE_SPACES = re.compile("   *")
_OTHER_SPACE = re.compile(r"[^\S \n]")  # white space (as str.strip sees it) other than " " and "\n"
_LINE_EDGES = re.compile(r"[^\S\n]*\n[^\S\n]*")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# The entities job boards write. When every "&" of a text starts one of them, html.unescape's answer is
# each replaced by its character, in one pass.
_ENTITY_CHARS = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": "\xa0", "&amp;": "&"}
_COMMON_ENTITY = re.compile("|".join(map(re.escape, _ENTITY_CHARS)))
_NEWLINES = re.compile("\n\n\n+")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # newline and tab aside
_OTHER_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot|#39|nbsp);)")


@cache
def _bmp_control() -> re.Pattern[str]:
    """The characters of Unicode category C (control, format, surrogate, private use, unassigned, as
    ``unicodedata`` knows them) in the Basic Multilingual Plane, newline and tab excepted: one class of
    16-bit characters, which ``re`` matches with a bitmap."""
    controls = [c for c in range(0x10000) if chr(c) not in "\n\t" and unicodedata.category(chr(c))[0] == "C"]
    return re.compile("[" + "".join(re.escape(chr(c)) for c in controls) + "]")


def _drop_astral_control(match: re.Match[str]) -> str:
    return "" if unicodedata.category(match.group())[0] == "C" else match.group()


def _drop_control(text: str) -> str:
    """``text`` without its category C characters (newline and tab kept)."""
    text = _bmp_control().sub("", text)
    return _ASTRAL.sub(_drop_astral_control, text) if _ASTRAL.search(text) else text


def _unescape(text: str) -> str:
    """``html.unescape(text)``, in one pass over the text when it holds only the common entities (no
    entity's start lies inside another, and no character they decode to starts one)."""
    if _OTHER_AMP.search(text):
        return html.unescape(text)
    return _COMMON_ENTITY.sub(_decode_entity, text)


def _decode_entity(match: re.Match[str]) -> str:
    return _ENTITY_CHARS[match.group()]


def _blank_lines(text: str) -> str:
    """Runs of three or more newlines made two (``\\n{3,}`` -> ``\\n\\n``), spelled with a literal
    prefix that ``re`` finds by a fast search."""
    return _NEWLINES.sub("\n\n", text) if "\n\n\n" in text else text


def _plain(text: str) -> bool:
    """Whether ``text`` is printable, newlines and tabs aside. str.isprintable is False exactly for
    categories C and Z but the ASCII space: when it holds there is no control character to drop and no
    white space but " ", "\\t" and "\\n"."""
    if text.isascii():  # the unprintable ASCII characters are the controls
        return not _ASCII_CONTROL.search(text)
    return text.replace("\n", " ").replace("\t", " ").isprintable()


def clean_description(text: str) -> str:
    """Plain text from text or HTML: scripts/styles/comments dropped, entities decoded, tidy paragraphs.

    Whole-text regular expressions (no per-character or per-line Python): the HTML steps, NFKC (skipped
    for ASCII text, which it never changes), control and format characters dropped, runs of spaces and
    tabs made one space, every line stripped, at most one blank line in a row."""
    return _clean(text)


class _CleanedPostings:
    """``clean_description`` of posting texts, kept by content for the process: a day's searches meet
    the same postings again and again (every search reads the same job boards, engines return the same
    jobs). Keyed by the text's hash and length, so the raw text is not kept: Python's string hash is
    a 64-bit SipHash (keyed per process unless PYTHONHASHSEED fixes it), computed once per string
    object; a lookup meeting another text of its length and hash among 32,768 is a chance under
    2 in 10^15. A 16-byte blake2b of the encoded text cost 0.07 s per 20,000 texts, a tenth of
    their cleaning. At most ``size`` texts of at most ``max_chars`` characters each and ``budget``
    characters in all (oldest out first); posting texts only (a CV is never kept here).

    Sized for a daily search batch: 500 searches meet ~20,000 answers, ~17,000 distinct texts in
    ``bench/discovery.py``. At 4,096 texts a tenth of them were cleaned twice (evicted before their
    next sighting); 32,768 texts of ~2,000 characters stay under the 64-million-character budget."""

    def __init__(self, size: int = 32_768, max_chars: int = 32_768, budget: int = 64_000_000) -> None:
        self.size, self.max_chars, self.budget = size, max_chars, budget
        self._done: OrderedDict[tuple[int, int], str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def __call__(self, text: str) -> str:
        if len(text) > self.max_chars:
            return _clean(text)
        key = (hash(text), len(text))
        with self._lock:
            cleaned = self._done.get(key)
            if cleaned is not None:
                self._done.move_to_end(key)
                return cleaned
        cleaned = _clean(text)
        with self._lock:
            if key not in self._done:
                self._done[key] = cleaned
                self._chars += len(cleaned)
            while len(self._done) > self.size or self._chars > self.budget:
                self._chars -= len(self._done.popitem(last=False)[1])
        return cleaned

    def clear(self) -> None:
        with self._lock:
            self._done.clear()
            self._chars = 0


clean_posting_text = _CleanedPostings()


def _clean(text: str) -> str:
    if "&" in text and _ESCAPED_HTML.search(text):
        text = _unescape(text)  # entity-escaped HTML (Greenhouse double-encodes its content)
    if "<" in text and ">" in text:
        text = _DROP.sub(" ", text)
        text = _LIST_ITEM.sub("\n- ", text)
        text = _BLOCK_TAGS.sub("\n", text)
        text = _TAG.sub("", text)
    text = _unescape(text) if "&" in text else text
    if "\xa0" in text:  # NBSP decomposes to a space: NFKC would make it one, and the text is often ASCII then
        text = text.replace("\xa0", " ")
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    plain = _plain(text)
    if not plain:
        text = _drop_control(text)
    if "\t" in text:
        text = _SPACES.sub(" ", text)
    elif "  " in text:
        text = _DOUBLE_SPACES.sub(" ", text)  # the same without tabs, found by its literal prefix
    if not plain and _OTHER_SPACE.search(text):
        text = _LINE_EDGES.sub("\n", text)
    else:  # spaces are single already: at most one on either side of a line break
        text = text.replace(" \n", "\n").replace("\n ", "\n")
    return _blank_lines(text).strip()

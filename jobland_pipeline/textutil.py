"""Tokens and lexical similarity shared by title suggestion, search and screening.

Measured in ARCHITECTURE.md: a lexical ranker with Chinese split into character bigrams ranks as
well as the embedding models tried, at a fraction of the cost, so that is what the offline engine uses.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

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


_BLOCK_TAGS = re.compile(r"<\s*/?\s*(p|div|br|li|ul|ol|h[1-6]|tr|section|article)\b[^>]*>", re.I)
_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def clean_description(text: str) -> str:
    """Plain text from text or HTML: scripts/styles/comments dropped, entities decoded, tidy paragraphs."""
    if re.search(r"&lt;\s*/?\s*[a-z]", text, re.I):
        text = html.unescape(text)  # entity-escaped HTML (Greenhouse double-encodes its content)
    if "<" in text and ">" in text:
        text = _DROP.sub(" ", text)
        text = re.sub(r"<\s*li\b[^>]*>", "\n- ", text, flags=re.I)
        text = _BLOCK_TAGS.sub("\n", text)
        text = _TAG.sub("", text)
    text = html.unescape(text) if "&" in text else text
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

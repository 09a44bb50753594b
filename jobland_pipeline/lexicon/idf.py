"""Background word rarity (IDF) from a fixed corpus of job postings and occupation texts.

A score must not depend on which other postings were screened with it: ``jobland screen`` (a file),
``jobland tailor`` (one posting) and the pipeline (one search) must give the same CV and posting the
same score. So rarity comes from a fixed, bundled background corpus (``data/idf.json.gz``, built by
``scripts/build_idf.py``), never from the batch at hand. A word the corpus never saw is treated as
rare (a name, a code, a tool), which is what such words usually are.
"""

from __future__ import annotations

import gzip
import json
import math
from functools import lru_cache
from importlib import resources

UNSEEN_DF = 0.5


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, int], int]:
    try:
        raw = resources.files("jobland_pipeline.lexicon").joinpath("data/idf.json.gz").read_bytes()
    except FileNotFoundError:  # building the table itself
        return {}, 1
    data = json.loads(gzip.decompress(raw).decode("utf-8"))
    return {str(k): int(v) for k, v in data["df"].items()}, int(data["documents"])


@lru_cache(maxsize=300_000)
def idf(token: str) -> float:
    """log((N + 1) / (df + 0.5)): about 0.3 for words every posting uses, up to ~9 for unseen ones."""
    df, n = _table()
    return math.log((n + 1) / (df.get(token, UNSEEN_DF) + 0.5))


def documents() -> int:
    return _table()[1]

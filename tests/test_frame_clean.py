"""clean_descriptions keeps texts that are clean already without calling Python on them: the texts it
keeps must be exactly those clean_description leaves unchanged (checked on random texts built from the
characters that change something: entities, tags, white space of every kind, controls, compatibility
and combining characters, characters newer than Python's Unicode)."""

from __future__ import annotations

import random
import unicodedata

import polars as pl

from jobland_pipeline.postings.frame import (
    _maybe_clean,
    canonical_urls,
    clean_descriptions,
    fingerprints,
    normalise_frame,
)
from jobland_pipeline.textutil import clean_description

PIECES = [
    "Build data pipelines",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n\n\n",
    "\t",
    "\r",
    "\x0b",
    "\x1c",
    "\x85",
    "\xa0",
    "\u2003",
    "\u3000",
    "\u2028",
    "\u200b",
    "\u200d",
    "\ufeff",
    "&",
    "& ",
    "&amp;",
    "&amp",
    "&#39;",
    "&#",
    "&;",
    "&lt;p&gt;",
    "<",
    ">",
    "<p>",
    "</li>",
    "<script>x</script>",
    "<!-- c -->",
    "café",
    "cafe\u0301",
    "ｆｕｌｌ",
    "①",
    "ﬁ",
    "\u1100\u1161",
    "负责数据平台，",
    "we’re — • ok",
    "\U0001f600",
    "\U0001fae8",  # Unicode 15: unassigned in Python 3.11's tables
    "\ue000",
    "x",
    ".",
]


def _texts(rng: random.Random, n: int) -> list[str]:
    texts = []
    for _ in range(n):
        raw = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        texts.append(raw)
        texts.append(clean_description(raw))  # clean already (mostly)
    return texts


def test_kept_texts_are_exactly_the_ones_clean_description_keeps() -> None:
    texts = _texts(random.Random(11), 4000)
    got = clean_descriptions(pl.Series(texts, dtype=pl.String)).to_list()
    assert got == [clean_description(t) for t in texts]
    maybe = pl.Series(texts, dtype=pl.String).to_frame("t").select(_maybe_clean(pl.col("t"))).to_series()
    for text, m in zip(texts, maybe.to_list(), strict=True):
        if m and unicodedata.is_normalized("NFKC", text):  # judged clean without Python
            assert clean_description(text) == text, repr(text)
    fast = sum(maybe.to_list())
    assert fast > 1000, fast  # the check does recognise clean texts (half the texts are cleaned ones)


def test_text_cleaned_twice_differs_and_is_still_cleaned() -> None:
    """Greenhouse's double encoding: a clean text may still hold an entity, which a second pass decodes;
    such a text is never taken as clean."""
    once = clean_description("&amp;lt;p&amp;gt;Join &amp;amp;amp; grow&amp;lt;/p&amp;gt;")
    assert "&" in once
    got = clean_descriptions(pl.Series([once, "Plain & simple", "Tom &amp Jerry"], dtype=pl.String))
    assert got.to_list() == [clean_description(once), "Plain & simple", "Tom & Jerry"]


def test_known_keys_give_the_fingerprints_and_urls_computed_afresh() -> None:
    """normalise_frame(known_keys=True) keeps the raw rows' keys where tidying changes nothing and
    computes the others again: the same columns as without them, on rows tidying does change."""
    rows = [
        ("a", "ICU Nurse", "Northwind Health", "Chicago, IL", "https://x.example/j/1?utm_source=a"),
        ("b", "ICU  Nurse (day\n shift)", "Northwind Health", "Chicago, IL", "https://x.example/j/2#apply"),
        ("c", " Data Engineer with  verification", "  Acme Inc. ", None, None),
        ("d", "Data Engineer (Remote\n)", "Acme", "  Berlin\t", "HTTP://X.example/j/3/"),
        ("e", "  ", "Acme", "Berlin", None),  # dropped: no title once tidied
    ]
    raw = pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "title": [r[1] for r in rows],
            "company": [r[2] for r in rows],
            "location": [r[3] for r in rows],
            "url": [r[4] for r in rows],
            "description": ["Build pipelines."] * len(rows),
        }
    )
    plain, counts = normalise_frame(raw)
    known, known_counts = normalise_frame(
        raw.with_columns(fingerprints(raw), canonical_urls(raw["url"])), known_keys=True
    )
    assert counts == known_counts and counts["missing_title"] == 1
    for column in ("id", "fingerprint", "canonical_url", "title", "location"):
        assert known[column].to_list() == plain[column].to_list(), column
    raw_fp = dict(zip(raw["id"], fingerprints(raw), strict=True))
    changed = [i for i, fp in zip(plain["id"], plain["fingerprint"], strict=True) if raw_fp[i] != fp]
    assert changed == ["b", "c"]  # tidying changed these two keys: they were computed again

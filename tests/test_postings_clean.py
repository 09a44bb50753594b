"""clean_description's shortcuts (common entities in one pass, blank-line runs by a pattern with a
literal prefix, runs of spaces without tabs by another, the ASCII printability check) give what the
plain steps give: html.unescape, ``\\n{3,}`` -> ``\\n\\n``, ``[ \\t]+`` -> `` `` and ``str.isprintable``,
written out below as the reference, on random texts made of the pieces that exercise them."""

from __future__ import annotations

import html
import random
import re
import unicodedata

from jobland_pipeline import textutil
from jobland_pipeline.textutil import clean_description

PIECES = [
    *["&amp;", "&amp", "&lt;", "&lt", "&gt;", "&quot;", "&#39;", "&#39", "&#x27;", "&nbsp;", "&nbsp"],
    *["&apos;", "&copy;", "&", "&&", "&;", "&#", "amp;", ";", "&amp;amp;", "&amp;lt;", "&lt;/li&gt;"],
    *["<p>", "</p>", "<li>", "< li class=x>", "</LI>", "<P >", "<br/>", "<h3>", "&lt;p&gt;"],
    *["<script>a</script>", "<!-- c -->", "\n", "\n\n", "\n\n\n", "\n\n\n\n", " ", "  ", "\t", "\t\t"],
    *["   ", " \n \n ", "\n\n\n\n\n\n", "&nbsp;&nbsp;&nbsp;", "&amp;nbsp;", "&lt;&gt;&quot;"],
    *["\xa0", "\r\n", "\x0b", "\x1f", "\x7f", "\x00", "\u200b", "\u3000", "x", "é", "ｆ", "Build data"],
    *["<lİ>", "<lı x>", "</dıv>", "<ſection>", "<SECTİON>", "<H2>", "<Article>", "<lix>", "<li-x>"],
]


def _reference(text: str) -> str:
    """clean_description with the plain steps in place of the shortcuts."""
    if "&" in text and textutil._ESCAPED_HTML.search(text):
        text = html.unescape(text)
    if "<" in text and ">" in text:
        text = textutil._DROP.sub(" ", text)
        text = re.sub(r"<\s*li\b[^>]*>", "\n- ", text, flags=re.I)
        text = re.sub(
            r"<\s*/?\s*(p|div|br|li|ul|ol|h[1-6]|tr|section|article)\b[^>]*>", "\n", text, flags=re.I
        )
        text = textutil._TAG.sub("", text)
    text = html.unescape(text) if "&" in text else text
    text = text.replace("\xa0", " ")
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    plain = text.replace("\n", " ").replace("\t", " ").isprintable()
    if not plain:
        text = textutil._drop_control(text)
    text = re.sub(r"[ \t]+", " ", text)
    if not plain and textutil._OTHER_SPACE.search(text):
        text = textutil._LINE_EDGES.sub("\n", text)
    else:
        text = text.replace(" \n", "\n").replace("\n ", "\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def test_shortcuts_give_the_plain_steps_answer() -> None:
    rng = random.Random(5)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14))) for _ in range(30_000)]
    shortcut = sum(1 for t in texts if "&" in t and not textutil._OTHER_AMP.search(t))
    assert shortcut > 1000  # the str.replace path is taken often
    for text in texts:
        assert clean_description(text) == _reference(text), repr(text)


def test_greenhouse_double_encoding_and_entities() -> None:
    assert clean_description("&lt;p&gt;Join &amp;amp; grow&lt;/p&gt;") == "Join & grow"
    assert clean_description("Tom &amp;lt; Jerry &amp Co &#39;s &nbsp; x") == "Tom &lt; Jerry & Co 's x"


def test_posting_texts_are_cleaned_once_by_content_within_bounds(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The engines' cache gives clean_description's answer, does the work once per distinct text, keeps at
    most ``size`` texts (oldest out first) and none longer than ``max_chars``, and never the raw text."""
    texts = ["<p>Nurse &amp; midwife</p>", "<ul><li>BLS</li><li>ACLS</li></ul>", "Plain\t\ttext  here"]
    long = "<p>" + "x" * 200 + "</p>"
    expected = {t: clean_description(t) for t in [*texts, long]}
    done: list[str] = []
    real = textutil._clean
    monkeypatch.setattr(textutil, "_clean", lambda text: done.append(text) or real(text))
    cache = textutil._CleanedPostings(size=2, max_chars=100)
    assert [cache(t) for t in texts] == [expected[t] for t in texts]
    assert cache(texts[2]) == expected[texts[2]] and cache(texts[1]) == expected[texts[1]]
    assert done == texts  # the second asks were answered from the cache
    assert cache(texts[0]) == expected[texts[0]] and done.count(texts[0]) == 2  # evicted by the third
    assert cache(long) == cache(long) == expected[long] and done.count(long) == 2  # too long: never kept
    assert set(cache._done) == {(hash(t), len(t)) for t in texts[:2]}  # keyed by hash and length
    assert set(cache._done.values()) == {expected[texts[0]], expected[texts[1]]}  # answers only


def test_posting_texts_kept_stay_within_their_character_budget() -> None:
    """However many texts fit the count, the characters kept never pass the budget (oldest out first)."""
    texts = [f"<p>{chr(97 + i) * 30}</p>" for i in range(6)]
    cache = textutil._CleanedPostings(size=100, max_chars=1_000, budget=100)
    for text in texts:
        assert cache(text) == clean_description(text)
    assert list(cache._done.values()) == [clean_description(t) for t in texts[-3:]]  # 3 x 30 <= 100
    assert cache._chars == 90
    cache.clear()
    assert cache._chars == 0 and not cache._done

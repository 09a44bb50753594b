"""clean_description's shortcuts (common entities by str.replace, blank-line runs by str.replace, the
ASCII printability check) give what the plain steps give: html.unescape, ``\\n{3,}`` -> ``\\n\\n`` and
``str.isprintable``, written out below as the reference, on random texts made of the pieces that
exercise them."""

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
    *["\xa0", "\r\n", "\x0b", "\x1f", "\x7f", "\x00", "\u200b", "\u3000", "x", "é", "ｆ", "Build data"],
]


def _reference(text: str) -> str:
    """clean_description with the plain steps in place of the shortcuts."""
    if "&" in text and textutil._ESCAPED_HTML.search(text):
        text = html.unescape(text)
    if "<" in text and ">" in text:
        text = textutil._DROP.sub(" ", text)
        text = textutil._LIST_ITEM.sub("\n- ", text)
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
    text = textutil._SPACES.sub(" ", text)
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

"""One Jinja2 environment for the text documents (Markdown): data never becomes markup.

Values are written as text; a ``<`` that would open an HTML tag or comment in a Markdown viewer is
written as ``&lt;`` (HTML documents are rendered by the formats' own autoescaping environment).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

PLACEHOLDER = re.compile(
    r"\{\{|\}\}|\{%|\[(?:company|name|title|job title|your [a-z ]+|hiring manager)\]|lorem ipsum|\bXXX+\b|\bTODO\b",
    re.I,
)

_TAG_OPEN = re.compile(r"<(?=[A-Za-z!/?])")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_LITERAL = re.compile(r"\"([^\"]*)\"|'([^']*)'")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Chinese text reaches a package through NFKC (posting descriptions, CV extraction), which turns the
# full-width "，：；！？（）" into ASCII. A recipient reads them as typos, so in a Chinese document ASCII
# punctuation right after Chinese text is full-width again ("2009年,总部" -> "2009年，总部"); a comma
# between digits ("1,800人"), a URL's colon or Latin text keep theirs.
_HAN_BEFORE = r"(?<=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60”’])"
_ZH_PUNCT = re.compile(_HAN_BEFORE + r"[,:;!?](?!//)")
_ZH_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "!": "！", "?": "？"})
_ZH_PARENS = re.compile(r"\(([^()]*[\u3400-\u4dbf\u4e00-\u9fff][^()]*)\)")
_ZH_GAP = re.compile(r"(?<=[，：；！？（）、。])[ \t]+|[ \t]+(?=[，：；！？（）、。])")


def zh_punctuation(text: str) -> str:
    """Chinese text with its full-width punctuation (see above); other text unchanged."""
    if not _HAN.search(text):
        return text
    text = _ZH_PARENS.sub(r"（\1）", text)
    text = _ZH_PUNCT.sub(lambda m: m.group(0).translate(_ZH_FULL), text)
    return _ZH_GAP.sub("", text)


def _finalize(value: Any) -> Any:
    """Data in a text document: never an HTML tag (Markdown viewers would render one)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _TAG_OPEN.sub("&lt;", value)
    return value


def _aside(text: str | None, zh: bool = False) -> str:
    """ " (text)" after a title, or " — text" when the text has brackets of its own; '' for none."""
    if not text:
        return ""
    if zh:
        return f"（{text}）"
    return f" — {text}" if "(" in text else f" ({text})"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        finalize=_finalize,
        loader=PackageLoader("jobland_pipeline.generation", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["lower_first"] = lambda s: s[:1].lower() + s[1:] if s and not s[:2].isupper() else s
    env.filters["nodot"] = lambda s: s[:-1] if s and s.endswith(".") else s  # before a full stop
    env.filters["aside"] = _aside
    env.filters["zh_punctuation"] = zh_punctuation
    return env


def render(template: str, **context: Any) -> str:
    text = environment().get_template(template).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def placeholders(text: str) -> list[str]:
    """Template residue or placeholder text that must never reach an employer."""
    return sorted({m.group(0) for m in PLACEHOLDER.finditer(text)})


@lru_cache(maxsize=32)
def template_words(template: str) -> str:
    """The template's own words (text and string literals), without its expressions: what it may say
    whatever the data, for the grounding check."""
    source, _, _ = environment().loader.get_source(environment(), template)  # type: ignore[union-attr]
    literals = [a or b for tag in _JINJA.findall(source) for a, b in _LITERAL.findall(tag)]
    return _JINJA.sub(" ", source) + "\n" + "\n".join(literals)

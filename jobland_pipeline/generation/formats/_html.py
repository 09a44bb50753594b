"""HTML documents: one column, semantic headings, no tables, no images, everything escaped."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from jobland_pipeline.generation.formats._model import Block, CVView, inline_runs
from jobland_pipeline.generation.formats._pdf import FontFace
from jobland_pipeline.generation.formats._themes import Theme


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Autoescape for every template of this environment, whatever its name.
    return Environment(
        loader=PackageLoader("jobland_pipeline.generation", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _runs(text: str) -> Markup:
    """Inline Markdown emphasis as <strong>/<em>; every character of the text itself escaped."""
    tags = {"b": "strong", "i": "em"}
    return Markup("").join(
        Markup("<{0}>{1}</{0}>").format(tags[style], part) if style else escape(part)
        for style, part in inline_runs(text)
    )


def cv_html(cv: CVView, theme: Theme, *, pdf_fonts: Sequence[FontFace] = ()) -> str:
    return _environment().get_template("cv_document.html.j2").render(cv=cv, theme=theme, pdf_fonts=pdf_fonts)


def letter_html(
    blocks: list[Block], *, lang: str, title: str, theme: Theme, pdf_fonts: Sequence[FontFace] = ()
) -> str:
    return (
        _environment()
        .get_template("cover_letter_document.html.j2")
        .render(blocks=blocks, lang=lang, title=title, theme=theme, runs=_runs, pdf_fonts=pdf_fonts)
    )

"""LaTeX source for XeLaTeX (+ xeCJK when the CV has Chinese), with every character of data escaped.

The template uses ``(((expr)))`` and ``((* stmt *))`` delimiters so LaTeX braces never clash with
Jinja, and every expression passes through :func:`escape_latex` unless it is :class:`Raw` (only the
template's own constants are). Escaping covers the ten special characters, brackets (so a bullet
starting with ``[`` is never an ``\\item`` option), ``--`` ligatures and control characters, so text
like ``{\\input{/etc/passwd}}`` prints literally and can never run a command.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from jobland_pipeline.generation.formats._model import CVView, clean, has_cjk
from jobland_pipeline.generation.formats._themes import Theme

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "[": "{[}",
    "]": "{]}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))


class Raw(str):
    """Template-made LaTeX that must not be escaped."""

    __slots__ = ()


def escape_latex(text: object) -> str:
    """``text`` as LaTeX that typesets exactly those characters (on one line)."""
    if isinstance(text, Raw):
        return text
    escaped = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], clean(str(text)))
    return re.sub(r"-(?=-)", "-{}", escaped)  # "--" would become an en dash


def _finalize(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return escape_latex(value)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("jobland_pipeline.generation", "templates"),
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def cv_tex(cv: CVView, theme: Theme) -> str:
    colours = {k: Raw(getattr(theme, k).lstrip("#").upper()) for k in ("text", "muted", "accent", "rule")}
    return (
        _environment()
        .get_template("cv_document.tex.j2")
        .render(cv=cv, theme=theme, colours=colours, cjk=has_cjk(cv.all_text()), raw=Raw)
    )

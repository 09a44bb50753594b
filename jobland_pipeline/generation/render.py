"""One Jinja2 environment for every document; HTML templates autoescape, text ones do not."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

PLACEHOLDER = re.compile(
    r"\{\{|\}\}|\{%|\[(?:company|name|title|job title|your [a-z ]+|hiring manager)\]|lorem ipsum|\bXXX+\b|\bTODO\b",
    re.I,
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("jobland_pipeline.generation", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["lower_first"] = lambda s: s[:1].lower() + s[1:] if s and not s[:2].isupper() else s
    return env


def render(template: str, **context: Any) -> str:
    text = environment().get_template(template).render(**context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def placeholders(text: str) -> list[str]:
    """Template residue or placeholder text that must never reach an employer."""
    return sorted({m.group(0) for m in PLACEHOLDER.finditer(text)})

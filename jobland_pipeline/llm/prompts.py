"""Prompts live as Jinja2 files (``prompts/<task>.system.j2`` and ``.user.j2``), versioned by content.

The version is a hash of both files, so editing a prompt changes the version, which is part of every
cache key and every output row: old answers are never served for a new prompt.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

TASKS = ("screening", "dossier", "titles", "tailor")


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("jobland_pipeline.llm", "prompts"),
        undefined=StrictUndefined,
        autoescape=False,  # prompts are text for a model, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def prompt_version(task: str) -> str:
    folder = resources.files("jobland_pipeline.llm").joinpath("prompts")
    text = "".join(
        folder.joinpath(f"{task}.{part}.j2").read_text(encoding="utf-8") for part in ("system", "user")
    )
    return f"{task}-v1-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def render(task: str, **context: Any) -> tuple[str, str]:
    """(system, user) messages of a task."""
    env = _env()
    return (
        env.get_template(f"{task}.system.j2").render(**context).strip(),
        env.get_template(f"{task}.user.j2").render(**context).strip(),
    )

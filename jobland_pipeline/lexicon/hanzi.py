"""Traditional Chinese read as Simplified for matching (one character for one, positions kept).

A CV from Taipei says 數學科教師 and 任職要求; the cues and the glossary are written once, in Simplified
characters. OpenCC's character table (opencc-python-reimplemented, Apache-2.0) maps each Traditional
character to its Simplified form; only single characters are mapped, so a text keeps its length and
positions found in the folded text point at the same characters in the original.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    text = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1 and target != parts[0]:
                table[ord(parts[0])] = target
    return table


@lru_cache(maxsize=1)
def _traditional() -> frozenset[str]:
    return frozenset(chr(c) for c in _table())


def to_simplified(text: str) -> str:
    """The text with Traditional characters in their Simplified form (unchanged when it has none).

    A set test, not a regex of ~2,700 characters: this runs inside every fold and tokenisation.
    """
    if text.isascii() or _traditional().isdisjoint(text):
        return text
    return text.translate(_table())

"""The bundled taxonomy file and the :class:`Occupation` record read from it.

The data is built offline by ``scripts/build_taxonomy.py`` (O*NET and ESCO, see ``data/PROVENANCE.md``)
and read once per process: it is a gzip JSON of about 1 MB, so loading it lazily keeps imports of this
package free for code that never suggests titles.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

DATA_FILE = "occupations.json.gz"
FORMAT = 1
LANGUAGES = ("en", "fr", "es", "de")


@dataclass(frozen=True, eq=False)
class Occupation:
    """One occupation of the taxonomy (an O*NET-SOC 2019 occupation enriched with ESCO's labels).

    ``titles`` maps a language ("en", "fr", "es", "de") to the occupation's titles in that language,
    preferred title first and then by how much each title speaks for the occupation. ``isco`` is the
    ISCO-08 unit group, ``job_zone`` O*NET's level of preparation (1 little, 5 extensive), ``tools``
    software and tools people in the occupation use (O*NET technology skills), ``esco_ids`` the ESCO
    occupations (UUIDs of ``http://data.europa.eu/esco/occupation/<id>``) merged into it, best first.
    Two occupations are equal when their ids are.
    """

    id: str
    title: str
    titles: Mapping[str, tuple[str, ...]]
    isco: str | None
    job_zone: int | None
    tools: tuple[str, ...]
    esco_ids: tuple[str, ...]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Occupation) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"Occupation({self.id!r}, {self.title!r})"


@dataclass(frozen=True)
class Taxonomy:
    """Everything loaded from the data file: occupations in file order, their title weights (0..1,
    parallel to ``Occupation.titles``), an id lookup (O*NET code or ESCO id) and the build metadata."""

    occupations: tuple[Occupation, ...]
    weights: tuple[Mapping[str, tuple[float, ...]], ...]
    by_id: Mapping[str, Occupation]
    meta: Mapping[str, Any]


def _occupation(record: dict[str, Any]) -> tuple[Occupation, Mapping[str, tuple[float, ...]]]:
    titles = {lang: tuple(str(t) for t, _ in pairs) for lang, pairs in record["titles"].items()}
    weights = {lang: tuple(int(w) / 100 for _, w in pairs) for lang, pairs in record["titles"].items()}
    occupation = Occupation(
        id=record["id"],
        title=record["title"],
        titles=MappingProxyType(titles),
        isco=record.get("isco"),
        job_zone=record.get("job_zone"),
        tools=tuple(record.get("tools", ())),
        esco_ids=tuple(record.get("esco", ())),
    )
    return occupation, MappingProxyType(weights)


@lru_cache(maxsize=1)
def load() -> Taxonomy:
    """Read the bundled data file (once per process)."""
    raw = resources.files(__package__).joinpath("data", DATA_FILE).read_bytes()
    data = json.loads(gzip.decompress(raw))
    if data.get("format") != FORMAT:
        raise ValueError(f"taxonomy data format {data.get('format')!r}, expected {FORMAT}")
    pairs = [_occupation(record) for record in data["occupations"]]
    occupations = tuple(occ for occ, _ in pairs)
    by_id: dict[str, Occupation] = {}
    for occ in occupations:
        by_id[occ.id] = occ
        for esco_id in occ.esco_ids:
            by_id.setdefault(esco_id, occ)
    meta = {key: value for key, value in data.items() if key != "occupations"}
    return Taxonomy(
        occupations=occupations,
        weights=tuple(w for _, w in pairs),
        by_id=MappingProxyType(by_id),
        meta=MappingProxyType(meta),
    )

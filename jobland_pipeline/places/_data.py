"""Load the bundled gazetteer files into one in-memory index (built once per process).

Every place of every kind is an *entity*: an integer position in parallel lists (names,
coordinates, codes...). Cities come first, then admin areas, countries and regions. The
lookup tables map a folded name to a tuple of *refs*: ``entity * 2 + flag``, where the flag
marks an alternate (non-primary) name or, in the abbreviation table, an ISO country code.
Parallel lists of plain values keep the 160,000 places at a few tens of MB and the load at
well under a second; ``Place`` objects are only made for the places a caller gets back.
"""

from __future__ import annotations

import gzip
import json
import math
from array import array
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Final

from ._lexicon import AU_STATES, CA_PROVINCES, COUNTRY_SHORT_FORMS
from ._text import han_variants, is_han, name_key

DATA_DIR: Final = Path(__file__).resolve().parent / "data"

CITY: Final = 0
ADMIN1: Final = 1
ADMIN2: Final = 2
COUNTRY: Final = 3
REGION: Final = 4
KIND_NAMES: Final = ("city", "admin1", "admin2", "country", "region")

# Cities that have an upper-case short form of their own.
_CITY_SHORT_FORMS: Final = {"NYC": 5128581}


def _read_gz(name: str) -> list[str]:
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8") as fh:
        return fh.read().split("\n")


def _float(text: str) -> float:
    return float(text) if text else math.nan


class Gazetteer:
    """All places and lookup tables; see the module docstring for the layout."""

    def __init__(self) -> None:
        # Numbers live in typed arrays and codes are shared strings: this halves the memory
        # of 160,000 places compared with lists of Python objects.
        self.kind = array("b")
        self.name: list[str] = []
        self.cc: list[str] = []
        self.a1: list[str] = []
        self.a2: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.pop = array("q")
        self.gid = array("q")
        self.feature: list[str] = []
        # Admin areas made of several admin2 units (GB ceremonial counties): entity -> codes.
        self.area_members: dict[int, frozenset[str]] = {}
        # Regions: entity -> member country codes; region id -> entity.
        self.region_members: dict[int, frozenset[str]] = {}
        self.region_by_key: dict[str, int] = {}
        self.admin1_by_code: dict[str, int] = {}
        self.admin2_by_code: dict[str, int] = {}
        self.country_by_code: dict[str, int] = {}
        self.country_iso3: dict[str, str] = {}
        self.country_names: dict[str, dict[str, str]] = {}
        self.country_continent: dict[str, str] = {}
        # Lookup tables. A name of one place maps to its ref, a shared name to a list of refs
        # (most names are unique: a bare int saves a list per name).
        self.index: dict[str, int | list[int]] = {}
        self.first_max: dict[str, int] = {}
        self.han_index: dict[str, list[int]] = {}
        self.han_max = 0
        self.upper: dict[str, list[int]] = {}
        self.abbrev: dict[str, list[int]] = {}
        self.risky: frozenset[str] = frozenset()
        # Filled lazily by the matcher: entity -> agreement keys (see _match._match_keys).
        self.match_cache: dict[int, list[tuple[tuple[str, ...], ...]]] = {}
        self.anchor_cache: dict[int, list[tuple[str, ...]]] = {}

    # -- building -------------------------------------------------------------------------

    def _add(self, kind: int, name: str, cc: str, a1: str, a2: str, lat: float, lon: float, pop: int) -> int:
        eid = len(self.kind)
        self.kind.append(kind)
        self.name.append(name)
        self.cc.append(cc)
        self.a1.append(a1)
        self.a2.append(a2)
        self.lat.append(lat)
        self.lon.append(lon)
        self.pop.append(pop)
        self.gid.append(0)
        self.feature.append("")
        return eid

    def _index_keys(self, eid: int, keys: Iterable[str], *, alt: bool) -> None:
        ref = eid * 2 + (1 if alt else 0)
        index = self.index
        first_max = self.first_max
        for key in keys:
            if not key:
                continue
            refs = index.get(key)
            if refs is None:
                index[key] = ref
                words = key.count(" ") + 1
                first = key.split(" ", 1)[0] if words > 1 else key
                if first_max.get(first, 0) < words:
                    first_max[first] = words
            elif isinstance(refs, int):
                if refs >> 1 != eid:
                    index[key] = [refs, ref]
            elif ref not in refs and ref ^ 1 not in refs:
                refs.append(ref)

    def _index_han(self, eid: int, keys: Iterable[str]) -> None:
        ref = eid * 2
        for key in keys:
            if not key:
                continue
            refs = self.han_index.setdefault(key, [])
            if ref not in refs:
                refs.append(ref)
            self.han_max = max(self.han_max, len(key))

    def _load_cities(self) -> None:
        lines = _read_gz("cities.tsv.gz")
        cols = {name: lines[i + 1].split("\t") for i, name in enumerate(lines[0].split("\t"))}
        n = len(cols["name"])
        start = len(self.kind)
        self.kind.extend([CITY] * n)
        self.name.extend(cols["name"])
        pool: dict[str, str] = {}
        for column, target in (
            ("cc", self.cc),
            ("admin1", self.a1),
            ("admin2", self.a2),
            ("feature", self.feature),
        ):
            target.extend([pool.setdefault(v, v) for v in cols[column]])
        self.lat.extend(map(float, cols["lat"]))
        self.lon.extend(map(float, cols["lon"]))
        self.pop.extend(map(int, cols["population"]))
        gids = list(accumulate(map(int, cols["geonameid_delta"])))
        self.gid.extend(gids)
        names = cols["name"]
        index = self.index
        first_max = self.first_max
        # Inlined _index_keys for the main key: this loop runs 160,000 times.
        for i, (key, more, alt, han) in enumerate(
            zip(cols["key"], cols["more_keys"], cols["alt_keys"], cols["han"], strict=True)
        ):
            eid = start + i
            ref = eid * 2
            key = key or names[i].lower()
            refs = index.get(key)
            if refs is None:
                index[key] = ref
                if " " in key:
                    words = key.count(" ") + 1
                    first = key.split(" ", 1)[0]
                    if first_max.get(first, 0) < words:
                        first_max[first] = words
                elif key not in first_max:
                    first_max[key] = 1
            elif isinstance(refs, int):
                index[key] = [refs, ref]
            else:
                refs.append(ref)
            if more:
                self._index_keys(eid, more.split("|"), alt=False)
            if alt:
                self._index_keys(eid, alt.split("|"), alt=True)
            if han:
                self._index_han(eid, han.split("|"))

    def _load_admin(self) -> None:
        for line in _read_gz("admin.tsv.gz")[1:]:
            if not line:
                continue
            level, code, name, lat, lon, pop, keys, alt, han, members = line.split("\t")
            parts = code.split(".")
            kind = ADMIN1 if level == "1" else ADMIN2
            a2 = parts[2] if level == "2" else ""
            eid = self._add(kind, name, parts[0], parts[1], a2, _float(lat), _float(lon), int(pop))
            if level == "1":
                self.admin1_by_code[code] = eid
            elif level == "2":
                self.admin2_by_code[code] = eid
            else:
                self.area_members[eid] = frozenset(members.split(",")) if members else frozenset()
            self._index_keys(eid, keys.split("|"), alt=False)
            if alt:
                self._index_keys(eid, alt.split("|"), alt=True)
            if han:
                self._index_han(eid, han.split("|"))

    def _load_countries(self) -> None:
        for line in _read_gz("countries.tsv.gz")[1:]:
            if not line:
                continue
            iso2, iso3, name, _capital, continent, pop, lat, lon, keys, alt, han, names = line.split("\t")
            eid = self._add(COUNTRY, name, iso2, "", "", _float(lat), _float(lon), int(pop))
            self.country_by_code[iso2] = eid
            self.country_iso3[iso3] = iso2
            self.country_continent[iso2] = continent
            self.country_names[iso2] = dict(item.split("=", 1) for item in names.split(";") if "=" in item)
            self._index_keys(eid, keys.split("|"), alt=False)
            if alt:
                self._index_keys(eid, alt.split("|"), alt=True)
            if han:
                self._index_han(eid, han.split("|"))
            # ISO codes are abbreviations: only after another place ("Berlin, DE").
            for code in (iso2, iso3):
                self.abbrev.setdefault(code, []).append(eid * 2 + 1)

    def _load_regions(self) -> None:
        spec = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))
        for region in spec["regions"]:
            members = set(region.get("countries", []))
            for continent in region.get("continents", []):
                members.update(cc for cc, cont in self.country_continent.items() if cont == continent)
            members.difference_update(region.get("minus", []))
            pop = sum(self.pop[self.country_by_code[cc]] for cc in members if cc in self.country_by_code)
            eid = self._add(REGION, region["name"], "", "", "", math.nan, math.nan, pop)
            self.region_members[eid] = frozenset(members)
            for label in [region["id"], region["name"], *region["names"]]:
                if is_han(label):
                    self._index_han(eid, han_variants(label))
                    self.region_by_key[label] = eid
                elif label.isascii() and label.isalpha() and label.isupper() and len(label) <= 5:
                    self.upper.setdefault(label, []).append(eid * 2)
                    self.region_by_key[label.lower()] = eid
                else:
                    key = name_key(label)
                    self._index_keys(eid, [key], alt=False)
                    self.region_by_key[key] = eid

    def _load_abbreviations(self) -> None:
        for code, eid in self.admin1_by_code.items():
            cc, a1 = code.split(".", 1)
            if cc == "US" and len(a1) == 2:
                self.abbrev.setdefault(a1, []).insert(0, eid * 2)
        for table, cc in ((CA_PROVINCES, "CA"), (AU_STATES, "AU")):
            for abbr, a1 in table.items():
                area = self.admin1_by_code.get(f"{cc}.{a1}")
                if area is not None:
                    self.abbrev.setdefault(abbr, []).insert(0, area * 2)
        for form, cc in COUNTRY_SHORT_FORMS.items():
            self.upper.setdefault(form, []).append(self.country_by_code[cc] * 2)
        for form, gid in _CITY_SHORT_FORMS.items():
            city = self.city_by_geonameid(gid)
            if city is not None:
                self.upper.setdefault(form, []).append(city * 2)

    def load(self) -> Gazetteer:
        """Read every data file (once: callers go through ``gazetteer()``)."""
        self._load_cities()
        self._load_admin()
        self._load_countries()
        self._load_regions()
        self._load_abbreviations()
        self.risky = frozenset(_read_gz("risky.tsv.gz")[1:]) - {""}
        return self

    # -- queries --------------------------------------------------------------------------

    def refs(self, key: str) -> list[int]:
        """Refs of the places named ``key`` (a folded name), as a new list."""
        found = self.index.get(key)
        if found is None:
            return []
        return [found] if isinstance(found, int) else list(found)

    def city_by_geonameid(self, gid: int) -> int | None:
        """Entity of a city by GeoNames id (a linear scan: only used at load time)."""
        try:
            return self.gid.index(gid)
        except ValueError:
            return None

    def admin1_name(self, cc: str, a1: str) -> str | None:
        """English-ish GeoNames name of an admin1 unit, or None if unknown."""
        eid = self.admin1_by_code.get(f"{cc}.{a1}") if a1 else None
        return self.name[eid] if eid is not None else None

    def admin2_name(self, cc: str, a1: str, a2: str) -> str | None:
        """GeoNames name of an admin2 unit, or None if unknown."""
        eid = self.admin2_by_code.get(f"{cc}.{a1}.{a2}") if a2 else None
        return self.name[eid] if eid is not None else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide index, loaded on first use."""
    return Gazetteer().load()


__all__ = ["ADMIN1", "ADMIN2", "CITY", "COUNTRY", "KIND_NAMES", "REGION", "Gazetteer", "gazetteer"]

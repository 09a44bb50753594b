"""Offline gazetteer: where a CV's owner lives, where a job is, and how far apart they are.

Built from GeoNames (https://www.geonames.org, CC BY 4.0; see ``data/PROVENANCE.md``): about
160,000 populated places of 1,000+ people (plus administrative seats), admin1 and admin2 areas,
countries and a few political/business regions (EU, EEA, EMEA, APAC...), with names in English,
French, Spanish, German, Italian, Portuguese, Dutch and Chinese.

    >>> from jobland_pipeline.places import find_places, resolve, distance_km
    >>> [p.name for p in find_places("Kanata, Ottawa, ON, Canada", field=True)]
    ['Kanata', 'Ottawa', 'Ontario', 'Canada']
    >>> round(distance_km(resolve("Leeds, UK"), resolve("Castleford"))) in range(10, 25)
    True

Everything is pure Python and offline; the index is loaded once per process (~1 s) on the
first call. The package does not import Dagster, so the matching code and the build script
can use it anywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

from ._data import ADMIN1, ADMIN2, CITY, COUNTRY, KIND_NAMES, REGION, Gazetteer, gazetteer
from ._match import Span, analyse
from ._text import han_key, is_han, name_key

PlaceKind = Literal["city", "admin1", "admin2", "country", "region"]

EARTH_RADIUS_KM: Final = 6371.0088

ATTRIBUTION: Final = "GeoNames, https://www.geonames.org, CC BY 4.0"


@dataclass(frozen=True)
class Place:
    """A place found in text.

    ``country`` is the ISO 3166-1 alpha-2 code ("" for a region spanning countries);
    ``admin1`` is the GeoNames admin1 code within that country ("ENG", "08", "CO"), with its
    name in ``admin1_name``. ``lat``/``lon`` are the place itself for a city and its seat (capital,
    else largest town) for an admin area or a country; they are NaN for regions, which have no
    single centre (use ``region_countries`` for those). ``population`` is GeoNames' figure for a
    city or country, and the sum of the listed towns for an admin area.
    """

    name: str
    country: str
    admin1: str | None
    admin1_name: str | None
    lat: float
    lon: float
    population: int
    kind: PlaceKind
    admin2: str | None = None
    admin2_name: str | None = None
    geonameid: int | None = None
    feature: str = ""

    @property
    def countries(self) -> frozenset[str]:
        """The country codes this place covers: its own, or a region's members."""
        if self.kind == "region":
            return region_countries(self.name) or frozenset()
        return frozenset({self.country}) if self.country else frozenset()


_place_cache: dict[int, Place] = {}


def _place(g: Gazetteer, eid: int) -> Place:
    cached = _place_cache.get(eid)
    if cached is not None:
        return cached
    kind = g.kind[eid]
    cc, a1, a2 = g.cc[eid], g.a1[eid], g.a2[eid]
    if kind == REGION:
        place = Place(g.name[eid], "", None, None, math.nan, math.nan, g.pop[eid], "region")
    elif kind == COUNTRY:
        place = Place(g.name[eid], cc, None, None, g.lat[eid], g.lon[eid], g.pop[eid], "country")
    else:
        place = Place(
            name=g.name[eid],
            country=cc,
            admin1=a1 or None,
            admin1_name=g.admin1_name(cc, a1),
            lat=g.lat[eid],
            lon=g.lon[eid],
            population=g.pop[eid],
            kind=KIND_NAMES[kind],  # type: ignore[arg-type]
            admin2=a2 or None,
            admin2_name=g.admin2_name(cc, a1, a2) if kind != ADMIN2 else (g.name[eid] if a2 else None),
            geonameid=g.gid[eid] or None,
            feature=g.feature[eid],
        )
    _place_cache[eid] = place
    return place


def _places(g: Gazetteer, spans: list[Span]) -> list[Place]:
    seen: set[int] = set()
    out: list[Place] = []
    for s in spans:
        eid = s.pick >> 1
        if eid not in seen:
            seen.add(eid)
            out.append(_place(g, eid))
    return out


def find_places(text: str, *, field: bool = False) -> list[Place]:
    """Every place named in ``text``, in reading order, each once.

    ``field=True`` is for short location fields ("Reading, UK (hybrid)", "london"): lower case
    is accepted and a name that is also a word counts when it stands alone in a comma-separated
    part. The default (``field=False``) is for prose such as a CV body, where names must be
    capitalised and word-like or small-town names need a location context ("based in Reading",
    "Bath, UK"), so "Best practice in Nice weather" names no place.
    """
    g = gazetteer()
    return _places(g, analyse(g, text, field))


_RESOLVE_ORDER: Final = (CITY, ADMIN2, ADMIN1, COUNTRY, REGION)


def resolve(text: str) -> Place | None:
    """The single most specific place of a location field: a city if any, else an admin area,
    else a country, else a region; None if the field names no place.

    Places outside brackets win over those inside ("Nationwide, UK (projects in Slough)" is
    the UK, "Madrid (Las Tablas)" is Madrid), and among equals the first one written wins
    ("Dublin, Ireland / Lisbon, Portugal" is Dublin).
    """
    g = gazetteer()
    spans = analyse(g, text, True)
    if not spans:
        return None
    outside = [s for s in spans if s.depth == 0] or spans
    for kind in _RESOLVE_ORDER:
        for s in outside:
            if g.kind[s.pick >> 1] == kind:
                return _place(g, s.pick >> 1)
    return None


def distance_km(a: Place, b: Place) -> float:
    """Great-circle (haversine) distance in km; NaN if either place has no coordinates."""
    if any(math.isnan(x) for x in (a.lat, a.lon, b.lat, b.lon)):
        return math.nan  # min() below would turn NaN into the antipode's 20,015 km
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _lang(lang: str) -> str:
    lang = lang.replace("_", "-")
    if lang.lower() in {"zh-tw", "zh-hk", "zh-mo", "zh-hant"}:
        return "zh-TW"
    return lang.split("-")[0].lower()


def country_name(code: str, lang: str = "en") -> str | None:
    """Name of a country (ISO alpha-2 or alpha-3 code) in ``lang`` (en, fr, es, de, it, pt, nl,
    zh, zh-TW), falling back to English; None for an unknown code."""
    g = gazetteer()
    code = code.strip().upper()
    code = g.country_iso3.get(code, code)
    names = g.country_names.get(code)
    if names is None:
        return None
    wanted = _lang(lang)
    if wanted == "zh-TW":
        return names.get("zh-TW") or names.get("zh") or names["en"]
    return names.get(wanted) or names["en"]


def region_countries(name: str) -> frozenset[str] | None:
    """Member country codes of a region or bloc ("EU", "Unión Europea", "欧盟", "Europe",
    "North America", "EMEA", "APAC", "DACH", "Nordics"...); None if ``name`` is not a region."""
    g = gazetteer()
    text = name.strip()
    eid = g.region_by_key.get(han_key(text) if is_han(text) else name_key(text))
    return g.region_members.get(eid) if eid is not None else None


def country_of(code: str) -> Place | None:
    """The country Place for an ISO alpha-2 or alpha-3 code, or None."""
    g = gazetteer()
    code = code.strip().upper()
    eid = g.country_by_code.get(g.country_iso3.get(code, code))
    return _place(g, eid) if eid is not None else None


__all__ = [
    "ATTRIBUTION",
    "Place",
    "PlaceKind",
    "country_name",
    "country_of",
    "distance_km",
    "find_places",
    "region_countries",
    "resolve",
]

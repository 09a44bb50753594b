"""Nationalities as CVs write them ("Irish citizen", "Nacionalidad española", "中国籍") -> country codes.

Work authorisation is a deal-breaker only when the CV says where the person may work; a citizenship
says it for a country (and, for EU citizens, for the whole EU/EEA). Demonyms are folded (no accents).
"""

from __future__ import annotations

import re
from functools import lru_cache

from jobland_pipeline.lexicon.cues import fold_for_cues

EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
EEA = EU | {"IS", "LI", "NO"}
# Where a citizen may also work without a permit (free-movement areas).
FREE_MOVEMENT: dict[str, frozenset[str]] = {
    **{code: EEA | {"CH"} for code in EEA},
    "CH": EEA | {"CH"},
    "IE": EEA | {"CH", "GB"},
    "GB": frozenset({"GB", "IE"}),
    "AU": frozenset({"AU", "NZ"}),
    "NZ": frozenset({"AU", "NZ"}),
}

DEMONYMS: dict[str, tuple[str, ...]] = {
    "US": (
        "american",
        "us citizen",
        "u.s. citizen",
        "usa citizen",
        "estadounidense",
        "americain",
        "americaine",
        "美国籍",
        "美国公民",
    ),
    "CA": ("canadian", "canadien", "canadienne", "canadiense", "kanadisch", "加拿大籍"),
    "GB": ("british", "uk citizen", "britannique", "britanico", "britanica", "britisch", "英国籍"),
    "IE": ("irish", "irlandais", "irlandaise", "irlandes", "irlandesa", "irisch"),
    "FR": (
        "french citizen",
        "french national",
        "francais",
        "francaise",
        "frances citizen",
        "franzosisch",
        "法国籍",
    ),
    "DE": (
        "german citizen",
        "german national",
        "allemand",
        "allemande",
        "aleman",
        "alemana",
        "deutsch",
        "deutsche staatsangehorigkeit",
        "德国籍",
    ),
    "ES": (
        "spanish citizen",
        "spanish national",
        "espagnol",
        "espagnole",
        "espanol",
        "espanola",
        "spanisch",
        "西班牙籍",
    ),
    "IT": ("italian", "italien", "italienne", "italiano", "italiana", "italienisch"),
    "PT": ("portuguese", "portugais", "portugaise", "portugues", "portuguesa"),
    "NL": ("dutch", "neerlandais", "neerlandaise", "holandes", "holandesa", "niederlandisch"),
    "BE": ("belgian", "belge", "belga", "belgisch"),
    "AT": ("austrian", "autrichien", "austriaco", "osterreichisch"),
    "CH": ("swiss", "suisse", "suizo", "suiza", "schweizer"),
    "PL": ("polish citizen", "polonais", "polaco", "polnisch"),
    "SE": ("swedish", "suedois", "sueco"),
    "DK": ("danish", "danois", "danes"),
    "FI": ("finnish", "finlandais", "finlandes"),
    "NO": ("norwegian", "norvegien", "noruego"),
    "GR": ("greek citizen", "grec", "griego"),
    "RO": ("romanian", "roumain", "rumano"),
    "CZ": ("czech",),
    "HU": ("hungarian",),
    "IN": ("indian", "indien", "indienne", "indio", "india citizen", "印度籍"),
    "CN": ("chinese citizen", "chinese national", "中国籍", "中国公民", "中华人民共和国公民"),
    "HK": ("hong kong permanent resident", "香港永久居民"),
    "TW": ("taiwanese",),
    "JP": ("japanese citizen", "japanese national", "日本籍"),
    "KR": ("korean citizen", "south korean"),
    "SG": ("singaporean", "singapore citizen"),
    "MY": ("malaysian",),
    "PH": ("filipino citizen", "philippine citizen"),
    "AU": ("australian", "australien", "australiano"),
    "NZ": ("new zealander", "new zealand citizen"),
    "AE": ("emirati", "uae national"),
    "SA": ("saudi national", "saudi citizen"),
    "BR": ("brazilian", "bresilien", "brasileno", "brasileiro", "brasileira"),
    "MX": ("mexican", "mexicain", "mexicano", "mexicana"),
    "AR": ("argentinian", "argentine citizen", "argentino", "argentina citizen"),
    "CO": ("colombian", "colombiano", "colombiana"),
    "ZA": ("south african",),
    "NG": ("nigerian",),
    "KE": ("kenyan",),
    "EG": ("egyptian",),
    "PK": ("pakistani",),
    "BD": ("bangladeshi",),
    "TR": ("turkish citizen",),
    "IL": ("israeli",),
    "UA": ("ukrainian",),
}
EU_CITIZEN = r"(?:\(\s*eu\s*\)|\(\s*ue\s*\)|eu\s+citizen|eu\s+national|european\s+union\s+citizen|citoyen(?:ne)?\s+(?:de\s+l')?ue|ciudadan[oa]\s+(?:de\s+la\s+)?ue|eu-burger|欧盟公民)"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    alternatives = sorted({d for ds in DEMONYMS.values() for d in ds}, key=len, reverse=True)
    body = "|".join(re.escape(a) for a in alternatives)
    return re.compile(rf"(?<![a-z])({body})(?![a-z])")


CONTEXT = re.compile(
    r"citizen|citizenship|national(?:ity)?\b|nationalite|nacionalidad|staatsangehorigkeit|passport|passeport|pasaporte"
    r"|work\s+(?:status|rights|permit)|right\s+to\s+work|国籍|公民|籍"
)


def citizenships(text: str) -> set[str]:
    """Country codes of the nationalities a CV line states (only next to a citizenship word)."""
    folded = fold_for_cues(text)
    if not CONTEXT.search(folded) and not re.search(EU_CITIZEN, folded):
        return set()
    lookup = {d: code for code, ds in DEMONYMS.items() for d in ds}
    found = {lookup[m.group(1)] for m in _pattern().finditer(folded)}
    return found


def work_rights(countries: set[str], text: str) -> set[str]:
    """Where a person with these citizenships may work; EU citizens work across the EU/EEA."""
    rights: set[str] = set()
    for code in countries:
        rights |= FREE_MOVEMENT.get(code, frozenset({code}))
    if re.search(EU_CITIZEN, fold_for_cues(text)):
        rights |= EEA | {"CH"}
    return rights

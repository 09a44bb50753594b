"""Open occupational taxonomy: from a person's own role titles to occupations and their other titles.

JobLand must suggest job titles for any occupation (an electrician, a pharmacist, a sous-chef, a lawyer,
an airline first officer...) from CVs in English, French, Spanish, German or Chinese. Rather than a
hand-written list of roles, it generalises the person's own titles through O*NET (about 1,000
occupations, 80k English titles) merged with ESCO's labels in English, French, Spanish and German
(see ``data/PROVENANCE.md``). Chinese is not covered: no openly licensed Chinese occupation-title list
was available, so Chinese titles find nothing here and callers keep their own handling.

Pure Python and the standard library; the data (about 1 MB) and the index (about 1 s to build) are
loaded on first use and kept for the process.

>>> occ, score = occupations_for_title("Approved Electrician")[0]
>>> occ.id, occ.title
('47-2111.00', 'Electricians')
>>> "Maintenance Electrician" in related_titles(occ, "en")
True
"""

from __future__ import annotations

from collections.abc import Mapping

from ._data import LANGUAGES, Occupation, load
from ._index import index
from ._normalize import title_key

__all__ = [
    "LANGUAGES",
    "Occupation",
    "attribution",
    "get_occupation",
    "normalize_title",
    "occupations",
    "occupations_for_title",
    "related_titles",
    "title_tokens_idf",
    "tools",
]

ATTRIBUTION = (
    "This product includes information from the O*NET 27.0 Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a "
    "trademark of USDOL/ETA. JobLand has modified all or some of this information. USDOL/ETA has not "
    "approved, endorsed, or tested these modifications. "
    "This service uses the ESCO classification of the European Commission."
)


def occupations() -> tuple[Occupation, ...]:
    """All occupations of the taxonomy, ordered by O*NET-SOC code."""
    return load().occupations


def get_occupation(occupation_id: str) -> Occupation | None:
    """The occupation with this O*NET-SOC code ("47-2111.00") or merged ESCO occupation id, if any."""
    return load().by_id.get(occupation_id)


def occupations_for_title(
    title: str, lang: str | None = None, limit: int = 5, *, min_score: float = 0.1
) -> list[tuple[Occupation, float]]:
    """The occupations whose titles best match a person's role title, best first, with a score in 0..1.

    ``lang`` is the language of the CV ("en", "fr", "es", "de"): titles of that language and English
    ones are searched (CVs in every language use English titles), all languages when it is None or not
    covered. 0.9 and above means the title (or its main part) is a known title of the occupation; below,
    the score measures word overlap, the head noun weighing most. Matches under ``min_score`` are left out.
    """
    if not title or not title.strip() or limit <= 0:
        return []
    langs = (lang, "en") if lang in LANGUAGES and lang != "en" else ("en",) if lang == "en" else LANGUAGES
    taxonomy = load()
    return [(taxonomy.occupations[i], score) for i, score in index().search(title, langs, limit, min_score)]


def related_titles(occupation: Occupation, lang: str = "en", limit: int | None = None) -> tuple[str, ...]:
    """The occupation's titles in ``lang`` (English when it has none there), preferred title first."""
    titles = occupation.titles.get(lang) or occupation.titles.get("en", ())
    return titles if limit is None else titles[:limit]


def tools(occupation: Occupation) -> tuple[str, ...]:
    """Software and tools the occupation uses (O*NET technology skills), in-demand and best-known first."""
    return occupation.tools


def title_tokens_idf() -> Mapping[str, float]:
    """IDF of every title word over all taxonomy titles (normalised as :func:`normalize_title` does).

    Useful to weight title words elsewhere: "electrician" (rare, telling) weighs far more than
    "manager" or "senior" (absent: seniority words are not title words).
    """
    return index().idf_table


def normalize_title(title: str) -> str:
    """The matching form of a title: folded, gender markers, seniority and grades removed, plurals
    folded. Two titles with the same form count as the same title."""
    return title_key(title)


def attribution() -> str:
    """The attribution the O*NET and ESCO licences require wherever suggestions derived from them show."""
    return ATTRIBUTION

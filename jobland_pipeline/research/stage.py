"""The research stage: the companies of a search's best matches -> dossier records, each company
researched once per run however many searches need it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jobland_pipeline.keys import split_search_key
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.research.dossier import Dossier
from jobland_pipeline.research.records import CompanyDossierRow, dossier_record

Research = Callable[[str, list[Posting]], Dossier]  # (company, its postings) -> dossier


class DossierBook:
    """Dossiers by company for one run: ``research`` is asked once per company."""

    def __init__(self, research: Research, postings: list[Posting]) -> None:
        self.research = research
        self.postings = postings  # every posting known, the company's own words about itself
        self.dossiers: dict[str, Dossier] = {}

    def dossier(self, company: str, found: list[Posting]) -> Dossier:
        if company not in self.dossiers:
            sources = [p for p in self.postings if p.company == company] or [
                p for p in found if p.company == company
            ]
            self.dossiers[company] = self.research(company, sources)
        return self.dossiers[company]


def dossier_records(
    key: str, companies: list[str], found: list[Posting], book: DossierBook, *, now: datetime
) -> list[CompanyDossierRow]:
    """One record per company of the search's best matches."""
    user_id, _ = split_search_key(key)
    return [dossier_record(key, user_id, book.dossier(c, found), now=now) for c in sorted(set(companies))]

"""Company dossiers as the warehouse keeps them.

Each row model is its table: fields are the columns (see ``jobland_pipeline.records``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from jobland_pipeline.records import Table
from jobland_pipeline.research.dossier import Dossier, NewsItem


class CompanyDossierRow(BaseModel):
    """Research on the companies of High matches."""

    search_key: str | None = Field(default=None, description="searches partition key")
    user_id: str | None = Field(default=None, description="user")
    company: str | None = Field(default=None, description="company")
    company_slug: str | None = Field(default=None, description="company slug")
    about: str | None = Field(default=None, description="what the company does")
    mission: str | None = Field(default=None, description="mission sentence")
    culture: list[str] = Field(default_factory=list, description="culture sentences")
    benefits: list[str] = Field(default_factory=list, description="benefits offered")
    open_roles: list[str] = Field(default_factory=list, description="open roles seen")
    locations: list[str] = Field(default_factory=list, description="locations hiring")
    skills_in_demand: list[str] = Field(default_factory=list, description="skills its postings ask for")
    news: list[NewsItem] = Field(
        default_factory=list, description="recent news as JSON (title, url, published)"
    )
    news_note: str | None = Field(default=None, description="why there is no news, if none")
    red_flags: list[str] = Field(default_factory=list, description="warning signs")
    sources: list[str] = Field(default_factory=list, description="URLs the dossier is built from")
    method: str | None = Field(default=None, description="offline or research engine")
    built_at: datetime | None = Field(default=None, description="when built")


COMPANY_DOSSIERS = Table("company_dossiers", CompanyDossierRow, "Research on the companies of High matches.")


def dossier_record(key: str, user_id: str, dossier: Dossier, *, now: datetime) -> CompanyDossierRow:
    return CompanyDossierRow(search_key=key, user_id=user_id, **dossier.model_dump(), built_at=now)


def dossier_of(row: CompanyDossierRow) -> Dossier:
    """The dossier a record holds (every field kept)."""
    return Dossier.model_validate(row.model_dump(exclude={"search_key", "user_id", "built_at"}))

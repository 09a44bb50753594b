"""Every analyst table: its polars schema and a one-line description per column.

The same specs type the Parquet files, document the DuckDB views (README) and become column
descriptions in the Dagster UI, so there is one source of truth for the analyst-facing layout.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

S, INT, F, B, D, T = pl.String, pl.Int64, pl.Float64, pl.Boolean, pl.Date, pl.Datetime("us", "UTC")
L = pl.List(pl.String)


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: dict[str, tuple[pl.DataType, str]]

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({k: v[0] for k, v in self.columns.items()})

    @property
    def column_descriptions(self) -> dict[str, str]:
        return {k: v[1] for k, v in self.columns.items()}


def _spec(table: str, description: str, /, **columns: tuple[pl.DataType, str]) -> TableSpec:
    return TableSpec(table, description, columns)


TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in [
        _spec(
            "cv_documents",
            "One row per CV file found in a user's inbox folder, read or refused with the reason.",
            user_id=(S, "user partition key"),
            file_name=(S, "file name in the inbox"),
            sha256=(S, "content hash of the file bytes"),
            size_bytes=(INT, "file size"),
            format=(S, "detected format: pdf, docx or txt (from the bytes, not the name)"),
            parser=(S, "parser used (pypdf, ooxml, docling, html/markdown/text:<encoding>)"),
            parser_note=(S, "why a preferred parser was not used (e.g. docling not installed)"),
            language=(S, "detected language: en or zh"),
            pages=(INT, "page count (PDF) or 1"),
            status=(S, "ok or error"),
            error_code=(S, "stable error code when status = error"),
            error=(S, "human-readable reason"),
            text_chars=(INT, "characters of extracted text"),
            text=(S, "extracted text (normalised)"),
            extracted_at=(T, "when the file was read"),
        ),
        _spec(
            "profiles",
            "The structured profile of each user, rebuilt when the CV or the extractor changes.",
            user_id=(S, "user partition key"),
            name=(S, "name from the CV"),
            email=(S, "e-mail from the CV or settings"),
            phone=(S, "phone from the CV"),
            location=(S, "location from the CV"),
            language=(S, "CV language"),
            skills=(L, "canonical skills found, strongest first"),
            years_experience=(F, "years, overlaps merged"),
            seniority=(S, "entry, mid, senior or lead"),
            n_roles=(INT, "roles found"),
            top_family=(S, "job family most of the skills belong to"),
            profile_json=(S, "the full Profile as JSON (roles with bullets, education, languages...)"),
            cv_sha256=(S, "hash of the CV the profile was built from (null: settings only)"),
            inputs_sha256=(S, "hash of CV, settings and extractor version: unchanged = not rebuilt"),
            extractor_version=(S, "extractor version"),
            built_at=(T, "when the profile was built"),
        ),
        _spec(
            "suggested_titles",
            "5-10 specific job titles per user, each with the reason it was suggested.",
            user_id=(S, "user partition key"),
            rank=(INT, "1 = best fit"),
            title=(S, "title searched (English)"),
            display_title=(S, "title shown to the user (in the CV's language)"),
            title_zh=(S, "Chinese title"),
            slug=(S, "title slug"),
            search_key=(S, "searches partition key '<user>::<slug>'"),
            family=(S, "job family"),
            level=(S, "entry, mid, senior or lead"),
            score=(F, "fit score 0-100"),
            reason=(S, "why this title"),
            source=(S, "vocabulary or pinned"),
            aliases=(L, "other names of the title, used by searches"),
            skills=(L, "the title's core skills"),
            built_at=(T, "when suggested"),
        ),
        _spec(
            "job_postings",
            "Postings found for one (user, title) search, normalised and de-duplicated.",
            search_key=(S, "searches partition key"),
            user_id=(S, "user"),
            title_slug=(S, "searched title"),
            posting_id=(S, "posting id from its source"),
            title=(S, "posting title"),
            company=(S, "company"),
            location=(S, "location as posted"),
            country=(S, "ISO country code when known"),
            remote=(S, "true, false or hybrid"),
            employment_type=(S, "full_time, part_time, contract..."),
            posted_at=(D, "date posted"),
            salary=(S, "salary as posted"),
            url=(S, "apply/posting URL"),
            description=(S, "clean plain-text description"),
            source=(S, "engine that found it"),
            source_id=(S, "the engine's own id"),
            apply_url=(S, "direct application link (the ATS one when known)"),
            salary_min=(F, "parsed minimum pay"),
            salary_max=(F, "parsed maximum pay"),
            salary_currency=(S, "ISO currency"),
            salary_period=(S, "year, month, week, day or hour"),
            status=(S, "open, closed or stale (only open postings are screened)"),
            first_seen=(D, "first day any engine returned it"),
            last_seen=(D, "last day it was returned or found live"),
            broadening_step=(S, "exact, synonyms, no_seniority or wider_location: the step that found it"),
            sources=(L, "every engine that returned it"),
            fingerprint=(S, "company + normalised title + location hash used for de-duplication"),
            relevance=(F, "search relevance 0-1"),
            found_at=(T, "when found"),
        ),
        _spec(
            "api_calls",
            "The call ledger: every external search call or cache hit, with its cost.",
            asset=(S, "asset that made the call"),
            run_id=(S, "Dagster run"),
            engine=(S, "engine"),
            request=(S, "request without credentials"),
            status=(S, "ok, empty, error or cached"),
            http_status=(INT, "last HTTP status"),
            attempts=(INT, "tries including retries"),
            credits=(F, "provider credits used"),
            cost_usd=(F, "cost in USD"),
            latency_ms=(F, "latency"),
            cache_hit=(B, "answered from a cache"),
            error=(S, "error, if any"),
            at=(T, "when"),
        ),
        _spec(
            "posting_sources",
            "Every engine sighting of a posting: merged duplicates keep all their sources.",
            search_key=(S, "search"),
            fingerprint=(S, "posting fingerprint"),
            posting_id=(S, "id kept in job_postings"),
            source=(S, "engine"),
            source_id=(S, "engine's id"),
            url=(S, "URL at that source"),
            apply_url=(S, "apply link at that source"),
            merged_as=(S, "kept, fingerprint, url or fuzzy"),
            seen_at=(T, "when"),
        ),
        _spec(
            "posting_registry",
            "One row per posting ever found: first and last seen, and whether it is still open.",
            fingerprint=(S, "posting fingerprint"),
            first_seen=(D, "first day seen"),
            last_seen=(D, "last day seen or live"),
            status=(S, "open, closed or stale"),
            source=(S, "engine first seen on"),
            source_id=(S, "engine id"),
            url=(S, "posting URL"),
        ),
        _spec(
            "screenings",
            "One row per posting of a search: score, probability, reasons and deal-breakers.",
            search_key=(S, "searches partition key"),
            user_id=(S, "user"),
            posting_id=(S, "posting"),
            title=(S, "posting title"),
            company=(S, "company"),
            score=(INT, "0-100"),
            probability=(S, "High, Medium or Low"),
            reasons=(L, "why, in plain words"),
            matched_skills=(L, "posting skills the user has"),
            missing_skills=(L, "posting skills the user lacks"),
            deal_breakers=(L, "hard constraints violated (never High when non-empty)"),
            method=(S, "engine and version that decided"),
            screened_at=(T, "when screened"),
        ),
        _spec(
            "company_dossiers",
            "Research on the companies of High matches.",
            search_key=(S, "searches partition key"),
            user_id=(S, "user"),
            company=(S, "company"),
            company_slug=(S, "company slug"),
            about=(S, "what the company does"),
            mission=(S, "mission sentence"),
            culture=(L, "culture sentences"),
            benefits=(L, "benefits offered"),
            open_roles=(L, "open roles seen"),
            locations=(L, "locations hiring"),
            skills_in_demand=(L, "skills its postings ask for"),
            news=(S, "recent news as JSON"),
            news_note=(S, "why there is no news, if none"),
            red_flags=(L, "warning signs"),
            sources=(L, "URLs the dossier is built from"),
            method=(S, "offline or research engine"),
            built_at=(T, "when built"),
        ),
        _spec(
            "application_packages",
            "One package per High match: tailored CV, cover letter, cheat sheet.",
            search_key=(S, "searches partition key"),
            user_id=(S, "user"),
            posting_id=(S, "posting"),
            application_id=(S, "'<user>:<posting>' — the tracker's key"),
            title=(S, "posting title"),
            company=(S, "company"),
            location=(S, "posting location"),
            url=(S, "posting URL"),
            score=(INT, "screening score"),
            probability=(S, "screening probability"),
            reasons=(L, "screening reasons"),
            package_dir=(S, "folder holding the files"),
            files=(L, "file names written"),
            ats_coverage_before=(F, "share of posting keywords in the original CV"),
            ats_coverage_after=(F, "share of posting keywords in the tailored CV"),
            grounded=(B, "every fact traces to the CV"),
            issues=(L, "grounding or placeholder problems"),
            created_at=(T, "when written"),
        ),
        _spec(
            "email_digests",
            "The delivery ledger: one row per user per day a digest was written or skipped.",
            user_id=(S, "user"),
            digest_date=(D, "day of the digest"),
            recipient=(S, "e-mail address"),
            status=(S, "written, already_sent, no_packages or no_recipient"),
            message_id=(S, "Message-ID header"),
            subject=(S, "subject line"),
            application_ids=(L, "packages in the digest"),
            eml_path=(S, "outbox file"),
            recorded_at=(T, "when recorded"),
        ),
        _spec(
            "application_tracker",
            "Every application JobLand prepared and where it stands.",
            application_id=(S, "'<user>:<posting>'"),
            user_id=(S, "user"),
            posting_id=(S, "posting"),
            title=(S, "posting title"),
            company=(S, "company"),
            score=(INT, "screening score"),
            status=(S, "discovered, packaged, sent, applied, interviewing, offer or rejected"),
            package_dir=(S, "package folder"),
            url=(S, "posting URL"),
            updated_at=(T, "last status change"),
        ),
    ]
}

"""profiles: the structured profile of a user, rebuilt only when the CV or the extractor changes."""

import hashlib
from datetime import UTC, date, datetime

import dagster as dg
import polars as pl

from assets.common import check, definition_metadata, preview, spec
from assets.cv_documents import cv_documents
from assets.partitions import users_partitions
from jobland_pipeline.documents.extract import ExtractedDocument
from jobland_pipeline.profiles import EXTRACTOR_VERSION, Contact, Profile
from jobland_pipeline.screening.preferences import with_preferences
from jobland_pipeline.settings import SettingsError
from resources import EngineResource, InboxResource, WarehouseResource


def latest_document(docs: pl.DataFrame) -> ExtractedDocument | None:
    """The CV to use when a user has several: the largest readable text wins (most complete)."""
    ok = docs.filter(pl.col("status") == "ok").sort(["text_chars", "file_name"], descending=[True, False])
    if ok.is_empty():
        return None
    row = ok.row(0, named=True)
    return ExtractedDocument(
        file_name=row["file_name"],
        sha256=row["sha256"],
        size_bytes=row["size_bytes"],
        format=row["format"],
        parser=row["parser"],
        language=row["language"],
        pages=row["pages"],
        text=row["text"],
    )


@dg.asset(
    partitions_def=users_partitions,
    group_name="intake",
    kinds={"python", "parquet"},
    deps=[cv_documents],
    metadata=definition_metadata("profiles"),
    check_specs=[
        spec("profiles", "profile_has_substance", "The profile has contact details and roles or skills.")
    ],
)
def profiles(
    context: dg.AssetExecutionContext,
    engine: EngineResource,
    inbox: InboxResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Structured profile (contact, skills, roles with bullets, education, languages) of the user.

    Cached by CV content hash and extractor version: an unchanged CV is not re-extracted.
    """
    user_id = context.partition_key
    store = warehouse.store
    docs = store.read("cv_documents", [user_id])
    document = latest_document(docs)
    try:
        settings = inbox.user_settings(user_id)
    except SettingsError as exc:
        raise dg.Failure(description=str(exc), metadata={"user_id": user_id}, allow_retries=False) from exc
    reasons = "; ".join(f"{r['file_name']}: {r['error']}" for r in docs.iter_rows(named=True)) or "no CV file"
    if document is None and not settings.pinned_titles:
        raise dg.Failure(
            description=f"No readable CV for user {user_id}: {reasons}",
            metadata={"user_id": user_id, "reasons": reasons},
            allow_retries=False,
        )
    version = f"{EXTRACTOR_VERSION}/{engine.name}"
    inputs = hashlib.sha256(
        "|".join([document.sha256 if document else "no-cv", version, settings.model_dump_json()]).encode()
    ).hexdigest()
    previous = store.read("profiles", [user_id])
    cached = not previous.is_empty() and previous["inputs_sha256"][0] == inputs
    if cached:
        profile = Profile.model_validate_json(previous["profile_json"][0])
        df = previous
    else:
        if document is not None:
            profile = engine.engine().profile(document, user_id=user_id, as_of=date.today())
        else:  # settings but no CV: searches run from the pinned titles alone
            profile = Profile(
                user_id=user_id,
                language="en",
                contact=Contact(),
                extractor_version=EXTRACTOR_VERSION,
                as_of=date.today().isoformat(),
            )
        profile.contact.email = settings.email or profile.contact.email
        profile.contact.name = settings.name or profile.contact.name
        profile.seniority = settings.seniority or profile.seniority
        profile = with_preferences(profile, settings.preferences)  # stated constraints; settings win
        row = {
            "user_id": user_id,
            "name": profile.contact.name,
            "email": profile.contact.email,
            "phone": profile.contact.phone,
            "location": profile.contact.location,
            "language": profile.language,
            "skills": profile.skills,
            "years_experience": profile.years_experience,
            "seniority": profile.seniority,
            "n_roles": len(profile.roles),
            "headline": profile.headline or (profile.roles[0].title if profile.roles else None),
            "profile_json": profile.model_dump_json(),
            "cv_sha256": document.sha256 if document else None,
            "inputs_sha256": inputs,
            "extractor_version": version,
            "built_at": datetime.now(UTC),
        }
        store.write_partition("profiles", user_id, [row])
        df = store.conform("profiles", [row])
    roles_md = "\n".join(
        f"- **{r.title}**{' — ' + r.employer if r.employer else ''} ({r.dates_text or '?'}), {len(r.bullets)} bullets"
        for r in profile.roles
    )
    has_contact = bool(profile.contact.name or profile.contact.email)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": 1,
            "cache": "hit" if cached else "miss",
            "cv_file": document.file_name if document else "none (pinned titles only)",
            "parser": document.parser if document else "none",
            "name": profile.contact.name or "",
            "skills": len(profile.skills),
            "roles": len(profile.roles),
            "years_experience": profile.years_experience,
            "preview": dg.MetadataValue.md(
                f"**{profile.contact.name or user_id}** · {profile.contact.email or ''} · "
                f"{profile.contact.location or ''}\n\n**Skills:** {', '.join(profile.skills[:15])}\n\n{roles_md}"
                + (
                    f"\n\n**Stated constraints:** {'; '.join(profile.constraints.evidence)}"
                    if profile.constraints.evidence
                    else ""
                )
            ),
            "table": preview(
                df, ["user_id", "name", "email", "location", "language", "years_experience", "seniority"]
            ),
        },
        check_results=[
            check(
                "profile_has_substance",
                has_contact and bool(profile.roles or profile.skills),
                f"contact: {has_contact}, roles: {len(profile.roles)}, skills: {len(profile.skills)}",
                warn=True,
            )
        ],
    )

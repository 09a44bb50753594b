"""profiles: the structured profile of a user, rebuilt only when the CV or the extractor changes."""

from datetime import date

import dagster as dg

from assets.common import check, definition_metadata, preview, spec
from assets.cv_documents import cv_documents
from assets.partitions import users_partitions
from jobland_pipeline.documents.extract import ExtractedDocument
from jobland_pipeline.documents.intake import best_document
from jobland_pipeline.documents.records import CV_DOCUMENTS
from jobland_pipeline.profiles.records import PROFILES
from jobland_pipeline.profiles.stage import NoUsableCv, ProfileBuild, build_profile_record
from jobland_pipeline.profiles.user_settings import SettingsError
from resources import InboxResource, LLMResource, WarehouseResource


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
    llm: LLMResource,
    inbox: InboxResource,
    warehouse: WarehouseResource,
) -> dg.MaterializeResult:
    """Structured profile (contact, skills, roles with bullets, education, languages) of the user.

    Cached by CV content hash and extractor version: an unchanged CV is not re-extracted.
    """
    user_id = context.partition_key
    store = warehouse.store
    docs = store.read_records(CV_DOCUMENTS, [user_id])
    document = best_document(docs)
    refused = "; ".join(f"{d.file_name}: {d.error}" for d in docs if d.error) or "no CV file"
    previous = store.read_records(PROFILES, [user_id])
    try:
        build = build_profile_record(
            user_id,
            document,
            inbox.user_settings(user_id),
            extract=lambda doc: llm.engine().profile(doc, user_id=user_id, as_of=date.today()),
            engine_name=llm.name,
            previous=previous[0] if previous else None,
            refused=refused,
        )
    except (SettingsError, NoUsableCv) as exc:
        raise dg.Failure(description=str(exc), metadata={"user_id": user_id}, allow_retries=False) from exc
    if not build.cached:
        store.write_records(PROFILES, user_id, [build.row])
    return _result(build, document)


def _result(build: ProfileBuild, document: ExtractedDocument | None) -> dg.MaterializeResult:
    profile = build.profile
    roles_md = "\n".join(
        f"- **{r.title}**{' — ' + r.employer if r.employer else ''} ({r.dates_text or '?'}), {len(r.bullets)} bullets"
        for r in profile.roles
    )
    constraints = "; ".join(profile.constraints.evidence)
    has_contact = bool(profile.contact.name or profile.contact.email)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": 1,
            "cache": "hit" if build.cached else "miss",
            "cv_file": document.file_name if document else "none (pinned titles only)",
            "parser": document.parser if document else "none",
            "name": profile.contact.name or "",
            "skills": len(profile.skills),
            "roles": len(profile.roles),
            "years_experience": profile.years_experience,
            "preview": dg.MetadataValue.md(
                f"**{profile.contact.name or profile.user_id}** · {profile.contact.email or ''} · "
                f"{profile.contact.location or ''}\n\n**Skills:** {', '.join(profile.skills[:15])}\n\n{roles_md}"
                + (f"\n\n**Stated constraints:** {constraints}" if constraints else "")
            ),
            "table": preview(
                PROFILES.frame([build.row]),
                ["user_id", "name", "email", "location", "language", "years_experience", "seniority"],
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

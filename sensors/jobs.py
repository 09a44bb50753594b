"""Asset jobs, one per pipeline stage; the sensors and schedules target these."""

import dagster as dg

intake_job = dg.define_asset_job(
    "intake_job",
    selection=dg.AssetSelection.assets("cv_documents", "profiles", "suggested_titles"),
    description="Read a user's CV, build the profile and suggest titles.",
)
search_job = dg.define_asset_job(
    "search_job",
    selection=dg.AssetSelection.assets(
        "job_postings", "screenings", "company_dossiers", "application_packages"
    ),
    description="Search, screen, research and package for a batch of (user, title) searches.",
)
delivery_job = dg.define_asset_job(
    "delivery_job",
    selection=dg.AssetSelection.assets("email_digests"),
    description="Send each user's daily digest (at most once per day).",
)
tracker_job = dg.define_asset_job(
    "tracker_job",
    selection=dg.AssetSelection.assets("application_tracker"),
    description="Refresh the application tracker and publish the DuckDB views.",
)
JOBS = [intake_job, search_job, delivery_job, tracker_job]

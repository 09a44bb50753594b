"""Asset jobs, one per pipeline stage; the sensors and schedules target these.

Intake and search runs take the executor ``definitions.py`` chooses (``JOBLAND_EXECUTOR``: in-process,
a process per step, or Celery workers). Delivery and tracker runs are pinned in-process: one step
each, writing the outbox and the DuckDB views on the machine that runs them.
"""

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
    executor_def=dg.in_process_executor,
)
tracker_job = dg.define_asset_job(
    "tracker_job",
    selection=dg.AssetSelection.assets("application_tracker", "batch_status"),
    description="Refresh the application tracker and each user's batch status, and publish the DuckDB views.",
    executor_def=dg.in_process_executor,
)
JOBS = [intake_job, search_job, delivery_job, tracker_job]

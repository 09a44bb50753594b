"""Software-defined assets: one module per business object, each a thin call into the core."""

from assets.application_packages import application_packages
from assets.application_tracker import application_tracker
from assets.batch_status import batch_status
from assets.company_dossiers import company_dossiers
from assets.cv_documents import cv_documents
from assets.email_digests import email_digests
from assets.job_postings import job_postings
from assets.partitions import searches_partitions, users_partitions
from assets.profiles import profiles
from assets.screenings import golden_set_quality, screenings
from assets.suggested_titles import suggested_titles

INTAKE_ASSETS = [cv_documents, profiles, suggested_titles]
SEARCH_ASSETS = [job_postings, screenings, golden_set_quality, company_dossiers, application_packages]
DELIVERY_ASSETS = [email_digests]
TRACKER_ASSETS = [application_tracker, batch_status]
ALL_ASSETS = [*INTAKE_ASSETS, *SEARCH_ASSETS, *DELIVERY_ASSETS, *TRACKER_ASSETS]

__all__ = [
    "ALL_ASSETS",
    "DELIVERY_ASSETS",
    "INTAKE_ASSETS",
    "SEARCH_ASSETS",
    "TRACKER_ASSETS",
    "searches_partitions",
    "users_partitions",
]

"""Profile x Posting x Dossier -> tailored CV, cover letter and interview cheat sheet, all grounded."""

from jobland_pipeline.generation.grounding import Claim, check_document, check_grounding, cv_claims
from jobland_pipeline.generation.package import Package, build_package
from jobland_pipeline.generation.tailor import TailoredCV, tailor_cv

__all__ = [
    "Claim",
    "Package",
    "TailoredCV",
    "build_package",
    "check_document",
    "check_grounding",
    "cv_claims",
    "tailor_cv",
]

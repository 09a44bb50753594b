"""CV text -> structured Profile, and Profile -> suggested job titles."""

from jobland_pipeline.profiles.extract import EXTRACTOR_VERSION, build_profile
from jobland_pipeline.profiles.models import Contact, Education, Profile, Role, TitleSuggestion
from jobland_pipeline.profiles.titles import suggest_titles

__all__ = [
    "EXTRACTOR_VERSION",
    "Contact",
    "Education",
    "Profile",
    "Role",
    "TitleSuggestion",
    "build_profile",
    "suggest_titles",
]

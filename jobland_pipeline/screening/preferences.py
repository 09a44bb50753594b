"""The user's preferences merged into their profile: see ``jobland_pipeline.profiles.preferences``."""

from jobland_pipeline.profiles.preferences import Preferences, with_preferences

__all__ = ["Preferences", "with_preferences"]

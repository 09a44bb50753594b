"""Language-level building blocks shared by profiles and screening: language detection, tokens, cues.

A leaf package but for one lazy import (the title words' weights come from the taxonomy's titles): it
imports nothing else from JobLand, so profiles (CV side) and screening (posting side) read
constraints with the same words.
"""

from jobland_pipeline.lexicon.lang import chinese_script, detect_language, is_han
from jobland_pipeline.lexicon.tokens import fold, stem, tokens

__all__ = ["chinese_script", "detect_language", "fold", "is_han", "stem", "tokens"]

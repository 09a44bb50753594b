"""Engine answers -> one Posting schema: loading, cleaning, fingerprints, de-duplication, local search."""

from jobland_pipeline.postings.local import PostingsFileError, load_postings
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import dedupe, fingerprint
from jobland_pipeline.postings.search import search_postings

__all__ = ["Posting", "PostingsFileError", "dedupe", "fingerprint", "load_postings", "search_postings"]

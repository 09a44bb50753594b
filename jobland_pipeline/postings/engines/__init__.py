"""Job search engines behind one interface: local file, SerpAPI Google Jobs, Exa, ATS boards, RemoteOK.

Modules (imported lazily, on first use of a name):

- ``base``: SearchQuery, CallRecord, EngineResult, EngineError, SearchEngine (the interface).
- ``transport``: Transport, the engines' ledger (cache, limits, retries, CallRecords) on top of
  ``jobland_pipeline.net``, the one network layer; ResponseCache and RateLimiter are re-exported.
- ``google_jobs``: SerpApiGoogleJobs; ``exa``: ExaClient, ExaJobs; ``boards``: GreenhouseBoards,
  LeverBoards, AshbyBoards and the liveness checks; ``remoteok``: RemoteOK; ``local_file``: LocalFileEngine.
- ``registry``: EngineConfig and build_engines(config) -> (engines, skipped).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "SearchQuery": "base",
    "CallRecord": "base",
    "EngineResult": "base",
    "EngineError": "base",
    "SearchEngine": "base",
    "ResponseCache": "transport",
    "RateLimiter": "transport",
    "Transport": "transport",
    "SerpApiGoogleJobs": "google_jobs",
    "ExaClient": "exa",
    "ExaJobs": "exa",
    "GreenhouseBoards": "boards",
    "LeverBoards": "boards",
    "AshbyBoards": "boards",
    "greenhouse_job_alive": "boards",
    "lever_job_alive": "boards",
    "ashby_job_alive": "boards",
    "RemoteOK": "remoteok",
    "LocalFileEngine": "local_file",
    "PostingUrlEngine": "posting_urls",
    "EngineConfig": "registry",
    "ENGINE_NAMES": "registry",
    "build_engines": "registry",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

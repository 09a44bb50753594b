"""``jobland screen``: a CV against a postings file of any size, or against posting pages by URL.

The file is streamed: postings are read and screened a batch at a time, and only each result's
compact JSON is kept (about half a kilobyte) until they are written best first, so 100,000 postings
cost tens of megabytes, not the gigabytes of holding every posting and result object. A bad line is
skipped and named on stderr (the exit status is then 1, the good results still written) unless
``--strict`` makes it fail the file. On a terminal a progress line shows postings screened and the
rate. Postings given by URL (``--posting-url``, repeatable) are downloaded and read first
(:mod:`jobland_pipeline.postings.from_url`); a refused URL is skipped and named like a bad line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import IO

from jobland_pipeline.postings.from_url import PostingPageError, posting_from_url
from jobland_pipeline.postings.local import iter_postings
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.progress import ProgressLine
from jobland_pipeline.screening.models import Screening

BATCH = 500
SHOWN_PROBLEMS = 20


ScreenBatch = Callable[[list[Posting]], list[Screening]]


class Progress:
    """Postings screened so far and the rate, on a terminal's progress line (silent in a file or pipe)."""

    def __init__(self, stream: IO[str]) -> None:
        self.line = ProgressLine(stream)
        self.started = time.monotonic()

    def update(self, done: int, *, final: bool = False) -> None:
        rate = done / max(time.monotonic() - self.started, 1e-9)
        text = f"screened {done:,} postings ({rate:,.0f}/s)"
        if final:
            self.line.done(text)
        else:
            self.line.show(text)


def batches(items: Iterable[Posting], size: int) -> Iterator[list[Posting]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def result_entry(s: Screening) -> str:
    """One screening as compact JSON (the form kept in memory until the file is written)."""
    return json.dumps(
        {
            "score": s.score,
            "probability": s.probability,
            "reasons": s.reasons,
            "missing_skills": s.missing_skills,
            "deal_breakers": s.deal_breakers,
            "matched_skills": s.matched_skills,
        },
        ensure_ascii=False,
    )


def posting_url_allow() -> frozenset[str]:
    """``JOBLAND_POSTING_URL_ALLOW``: the ``host:port`` list a posting URL may reach despite a
    private address (intranets, tests), as the pipeline reads it."""
    from resources import SETTINGS
    from resources.settings import resolve

    value = resolve(os.environ, SETTINGS)["JOBLAND_POSTING_URL_ALLOW"]
    return frozenset(h.strip() for h in value.split(",") if h.strip())


def fetch_postings(
    urls: Sequence[str], *, allowed_private: frozenset[str], strict: bool, problems: list[str]
) -> list[Posting]:
    """The postings at ``urls``; a refused URL is a problem (or, with ``strict``, the error). Raises
    ``PostingPageError`` when no URL gave a posting."""
    postings: list[Posting] = []
    refused: list[PostingPageError] = []
    for url in dict.fromkeys(urls):
        try:
            postings.append(posting_from_url(url, allowed_private=allowed_private))
        except PostingPageError as exc:
            if strict:
                raise
            refused.append(exc)
            problems.append(exc.reason)
    if not postings:
        if len(refused) == 1:
            raise refused[0]
        raise PostingPageError("refused", "no posting URL gave a posting: " + "; ".join(problems))
    return postings


def screen_file(
    path: Path | Sequence[Posting],
    screen: ScreenBatch,
    *,
    strict: bool,
    problems: list[str],
    progress: Progress,
) -> list[tuple[int, str, str]]:
    """``(score, posting id, result JSON)`` for every valid posting of the file (or of the postings
    given), in file order."""
    kept: list[tuple[int, str, str]] = []
    postings = iter_postings(path, strict=strict, problems=problems) if isinstance(path, Path) else path
    for chunk in batches(postings, BATCH):
        kept.extend((s.score, s.posting_id, result_entry(s)) for s in screen(chunk))
        progress.update(len(kept))
    progress.update(len(kept), final=True)
    return kept


def write_results(out: Path, head: dict[str, object], kept: list[tuple[int, str, str]]) -> None:
    """The results file: ``head``'s fields, then ``screenings`` by posting id, best score first."""
    kept.sort(key=lambda r: -r[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        body = json.dumps(head, ensure_ascii=False, indent=2)
        f.write(body[:-2] + ',\n  "screenings": {')
        for i, (_, posting_id, entry) in enumerate(kept):
            f.write(("," if i else "") + f"\n    {json.dumps(posting_id, ensure_ascii=False)}: {entry}")
        f.write("\n  }\n}\n")


def report_problems(problems: list[str], stream: IO[str]) -> None:
    """One line per skipped posting line (the first ``SHOWN_PROBLEMS``, then a count)."""
    for problem in problems[:SHOWN_PROBLEMS]:
        print(f"skipped {problem}", file=stream)
    if len(problems) > SHOWN_PROBLEMS:
        print(f"... and {len(problems) - SHOWN_PROBLEMS} more skipped line(s)", file=stream)


def run_screen(
    path: Path | Sequence[Posting],
    out: Path,
    head: dict[str, object],
    screen: ScreenBatch,
    *,
    strict: bool,
    problems: list[str] | None = None,
) -> tuple[int, int, int]:
    """Screen the file (or the postings read from URLs) into ``out``; ``(screened, High, skipped
    lines or URLs)``. Raises ``PostingsFileError`` when the file cannot be read at all (or, with
    ``strict``, on its first bad line). ``problems``: what was skipped before (refused URLs)."""
    problems = [] if problems is None else problems
    kept = screen_file(path, screen, strict=strict, problems=problems, progress=Progress(sys.stderr))
    write_results(out, head, kept)
    report_problems(problems, sys.stderr)
    high = sum(1 for _, _, entry in kept if '"probability": "High"' in entry)
    return len(kept), high, len(problems)

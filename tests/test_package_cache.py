"""Packages are made once per set of inputs, and a package that cannot be written says so.

The stage functions are checked on their own (the digest, the reuse rule, a write cut short by a file
size limit in a child process, a folder that cannot be created, an upload refused), then the pipeline
itself: a packages folder that cannot exist gives ``failed`` records with the reason; with a working
folder the packages are made, reused on the next run (same records, files untouched), and a package
whose file went missing is made again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.generation.package import Package
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.generation.stage import (
    StagedFolder,
    package_inputs_sha256,
    package_record,
    reusable,
    reused_record,
    store_package,
)
from jobland_pipeline.postings import load_postings
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.research import build_dossier
from jobland_pipeline.screening import screen_postings
from jobland_pipeline.warehouse import Warehouse
from resources import SETTINGS, PackageStoreResource
from resources.settings import resolve
from sensors.local_run import run_once
from tests.conftest import SAMPLE_INBOX, SAMPLE_POSTINGS, profile_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def inputs() -> dict[str, Any]:
    profile, cv_text = profile_of("emma_clarke")
    postings = load_postings(SAMPLE_POSTINGS)
    screenings = screen_postings(profile, postings, cv_text=cv_text)
    best = max(screenings, key=lambda s: s.score)
    posting = next(p for p in postings if p.id == best.posting_id)
    return {
        "profile": profile,
        "cv_text": cv_text,
        "posting": posting,
        "screening": best,
        "dossier": build_dossier(posting.company, [posting]),
    }


def _digest(inputs: dict[str, Any], **changes: Any) -> str:
    args = {**inputs, **changes}
    return package_inputs_sha256(
        args["profile"],
        args["cv_text"],
        args["posting"],
        args["screening"],
        args["dossier"],
        engine=args.get("engine", "offline"),
        theme=args.get("theme", "classic"),
        tone=args.get("tone", "formal"),
        revision_note=args.get("revision_note"),
    )


def test_the_digest_changes_with_every_input_and_nothing_else(inputs: dict[str, Any]) -> None:
    base = _digest(inputs)
    assert base == _digest(inputs) and len(base) == 64
    # When the profile was built is not what it says: same facts, same digest.
    assert _digest(inputs, profile=inputs["profile"].model_copy(update={"as_of": "2030-01-01"})) == base
    posting, profile = inputs["posting"], inputs["profile"]
    changed = {
        "posting": _digest(
            inputs, posting=posting.model_copy(update={"description": posting.description + "."})
        ),
        "cv": _digest(inputs, cv_text=inputs["cv_text"] + "\nCPR certified"),
        "profile": _digest(inputs, profile=profile.model_copy(update={"skills": [*profile.skills, "Chess"]})),
        "screening": _digest(inputs, screening=inputs["screening"].model_copy(update={"score": 1})),
        "dossier": _digest(inputs, dossier=None),
        "engine": _digest(inputs, engine="openai:gpt-x:tailor-v1-abc"),
        "theme": _digest(inputs, theme="modern"),
        "tone": _digest(inputs, tone="warm"),
        "note": _digest(inputs, revision_note="Shorter, please"),
    }
    assert base not in changed.values() and len(set(changed.values())) == len(changed)


def _package() -> tuple[Package, Posting]:
    posting = Posting(id="p1", title="Nurse", company="Acme", url="https://jobs.example/1")
    package = Package(
        posting_id="p1",
        company="Acme",
        title="Nurse",
        files={"tailored_cv.md": "# Ann\n", "tailored_cv.pdf": b"%PDF" + b"x" * 200_000},
        ats_coverage_before=0.2,
        ats_coverage_after=0.5,
        grounding_issues=[],
        placeholder_issues=[],
    )
    return package, posting


def _record(folder: str | None, files: list[str], *, error: str | None = None, digest: str = "d1") -> Any:
    package, posting = _package()
    return package_record(
        "ann::nurse",
        posting,
        package,
        score=80,
        probability="High",
        reasons=["r"],
        folder=folder,
        files=files,
        review_status="ready_for_review",
        revision_note=None,
        now=datetime.now(UTC),
        inputs_sha256=digest,
        write_error=error,
    )


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_reuse_needs_the_same_digest_and_every_file(tmp_path: Path) -> None:
    package, posting = _package()
    stored = store_package(lambda: _made(tmp_path / "pkg"), package, posting, None)
    assert stored.error is None and stored.files == [
        "grounding_report.json",
        "posting.json",
        "tailored_cv.md",
        "tailored_cv.pdf",
    ]
    earlier = _record(stored.location, stored.files)
    store = PackageStoreResource(path=str(tmp_path))
    assert reusable(earlier, "d1", store.missing_files)
    assert not reusable(earlier, "d2", store.missing_files)  # something it is made from changed
    assert not reusable(None, "d1", store.missing_files)
    assert not reusable(_record(None, [], error="files not written: OSError"), "d1", store.missing_files)
    (tmp_path / "pkg" / "tailored_cv.pdf").unlink()
    assert not reusable(earlier, "d1", store.missing_files)  # a file went missing: made again
    again = reused_record(earlier, review_status="approved")
    assert again.review_status == "approved" and again.created_at == earlier.created_at
    assert again.package_dir == earlier.package_dir and again.inputs_sha256 == "d1"


CHILD = textwrap.dedent(
    """
    import json, resource, signal, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from tests.test_package_cache import _package
    from jobland_pipeline.generation.stage import store_package
    package, posting = _package()
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write over the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
    stored = store_package(lambda: Path(sys.argv[1]), package, posting, "Shorter, please")
    print(json.dumps({"location": stored.location, "files": stored.files, "error": stored.error}))
    """
)


def test_a_write_cut_short_leaves_no_file_and_gives_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "acme--nurse"
    folder.mkdir()
    (folder / "tailored_cv.md").write_text("an older copy of this package\n")
    (folder / "notes.txt").write_text("not the package's\n")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    stored = json.loads(done.stdout.strip().splitlines()[-1])
    assert stored["files"] == [] and stored["location"] == str(folder)
    assert stored["error"].startswith("files not written: OSError") and "File too large" in stored["error"]
    # Four files were written before the PDF hit the limit: none of them, no temporary, no older
    # copy of the package is left (a half-old, half-new package would be worse than none).
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    record = _record(stored["location"], ["tailored_cv.md"], error=stored["error"])
    assert record.review_status == "failed" and record.files == [] and "File too large" in record.write_error


def test_a_folder_that_cannot_be_made_or_an_upload_refused_is_a_reason(tmp_path: Path) -> None:
    package, posting = _package()
    (tmp_path / "blocked").write_text("a file where the packages folder should be\n")
    store = PackageStoreResource(path=str(tmp_path / "blocked" / "packages"))
    stored = store_package(lambda: store.folder("ann", "2026-12-01", "acme--nurse"), package, posting, None)
    assert stored.location is None and stored.files == []
    assert stored.error is not None and stored.error.startswith(
        "package folder not created: NotADirectoryError"
    )

    staging = tmp_path / "staging" / "acme--nurse"
    staging.mkdir(parents=True)

    def refuse(local: Path, files: list[str]) -> None:
        raise ConnectionError("upload refused")

    staged = StagedFolder(staging, "s3://bucket/ann/2026-12-01/acme--nurse", refuse)
    stored = store_package(lambda: staged, package, posting, None)
    assert stored.error == "files not written: ConnectionError: upload refused"
    assert stored.location == "s3://bucket/ann/2026-12-01/acme--nurse" and stored.files == []
    assert not (tmp_path / "staging").exists()  # the staged copy is gone


def _partition_counts(instance: dg.DagsterInstance) -> dict[str, dict[str, int]]:
    """Each searches partition's generated / reused / failed counts from its latest materialisation."""
    records = instance.fetch_materializations(dg.AssetKey("application_packages"), limit=1000).records
    out: dict[str, dict[str, int]] = {}
    for record in sorted(records, key=lambda r: r.timestamp):
        event = record.asset_materialization
        if event is not None and event.partition is not None:
            meta = event.metadata
            out[event.partition] = {
                k: int(str(meta[k].value)) for k in ("generated", "reused", "failed") if k in meta
            }
    return out


def test_the_pipeline_reuses_unchanged_packages_and_records_failed_writes(tmp_path: Path) -> None:
    home = tmp_path / "var"
    shutil.copytree(SAMPLE_INBOX / "emma_clarke", home / "inbox" / "emma_clarke")
    (tmp_path / "blocked").write_text("a file where the packages folder should be\n")
    broken = {"JOBLAND_HOME": str(home), "JOBLAND_PACKAGES_DIR": str(tmp_path / "blocked" / "packages")}
    working = {"JOBLAND_HOME": str(home)}
    store = Warehouse(home / "warehouse", home / "jobland.duckdb")
    (home / "dagster").mkdir(parents=True)
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:

        def run(env: dict[str, str]) -> pl.DataFrame:
            run_once(build_definitions(env), resolve(env, SETTINGS), seed_samples=False, instance=instance)
            return store.read(APPLICATION_PACKAGES.name).sort("application_id")

        failed = run(broken)
        assert failed.height > 0 and set(failed["review_status"]) == {"failed"}
        assert all(e.startswith("package folder not created: ") for e in failed["write_error"])
        assert failed["files"].list.len().max() == 0
        counts = _partition_counts(instance)
        assert sum(c["failed"] for c in counts.values()) == failed.height
        assert sum(c["generated"] + c["reused"] for c in counts.values()) == 0

        made = run(working)  # a failed package is never reused: made now
        assert made.height == failed.height and made["write_error"].null_count() == made.height
        assert set(made["review_status"]) == {"approved"} and made["inputs_sha256"].null_count() == 0
        for row in made.iter_rows(named=True):
            assert row["files"] and all((Path(row["package_dir"]) / f).is_file() for f in row["files"])
        counts = _partition_counts(instance)
        assert sum(c["generated"] for c in counts.values()) == made.height
        first = made["package_dir"][0]
        pdf = Path(first) / "tailored_cv.pdf"
        written_at = pdf.stat().st_mtime_ns

        again = run(working)
        assert again.select("application_id", "inputs_sha256", "package_dir", "created_at").equals(
            made.select("application_id", "inputs_sha256", "package_dir", "created_at")
        )
        assert pdf.stat().st_mtime_ns == written_at  # not written again
        counts = _partition_counts(instance)
        assert sum(c["reused"] for c in counts.values()) == made.height
        assert sum(c["generated"] for c in counts.values()) == 0

        pdf.unlink()  # a package whose file went missing is made again; the others stay
        last = run(working)
        assert pdf.is_file()
        counts = _partition_counts(instance)
        assert sum(c["generated"] for c in counts.values()) == 1
        assert sum(c["reused"] for c in counts.values()) == made.height - 1
        remade = last.filter(pl.col("package_dir") == first)
        assert remade["created_at"][0] > made.filter(pl.col("package_dir") == first)["created_at"][0]

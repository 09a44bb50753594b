"""The interview chance and the golden-set check in a real Dagster run of the pipeline (one sample user)."""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import numpy as np
import pytest

from assets.screenings import screenings
from jobland_pipeline.definitions import build_definitions, build_resources
from jobland_pipeline.delivery.records import APPLICATION_STATUS_UPDATES, ApplicationStatusUpdateRow
from jobland_pipeline.generation.records import APPLICATION_PACKAGES, ApplicationPackageRow
from jobland_pipeline.golden import load_baseline
from jobland_pipeline.screening.calibration import PRIORS
from jobland_pipeline.screening.records import SCREENINGS, ScreeningRow
from jobland_pipeline.screening.score import ENGINE_VERSION
from jobland_pipeline.warehouse import Warehouse
from resources import SETTINGS
from resources.settings import resolve
from sensors.local_run import run_once
from tests.conftest import SAMPLE_INBOX

USER = "emma_clarke"


class Run:
    def __init__(self, home: Path, instance: dg.DagsterInstance) -> None:
        self.env = {"JOBLAND_HOME": str(home)}
        self.values = resolve(self.env, SETTINGS)
        self.defs = build_definitions(self.env)
        self.instance = instance
        self.store = Warehouse(
            Path(self.values["JOBLAND_WAREHOUSE_DIR"]), Path(self.values["JOBLAND_DUCKDB_PATH"])
        )
        self.exit = run_once(self.defs, self.values, seed_samples=False, instance=instance)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    home = tmp_path_factory.mktemp("calibration") / "var"
    shutil.copytree(SAMPLE_INBOX / USER, home / "inbox" / USER)
    (home / "dagster").mkdir(parents=True)
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        yield Run(home, instance)


def _check_evaluations(instance: dg.DagsterInstance, name: str) -> list[Any]:
    out = []
    for dagster_run in instance.get_runs():
        records = instance.get_records_for_run(
            dagster_run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
        for record in records:
            event = record.event_log_entry.dagster_event
            assert event is not None
            if event.event_specific_data.check_name == name:  # type: ignore[union-attr]
                out.append(event.event_specific_data)
    return out


def test_every_screening_row_carries_the_prior_until_outcomes_exist(run: Run) -> None:
    assert run.exit == 0
    rows = run.store.read_records(SCREENINGS)
    assert rows
    for row in rows:
        assert row.chance_basis == "prior" and row.calibration_version == "prior-1"
        assert row.interview_chance == PRIORS[row.probability or "Low"]


def test_the_golden_check_ran_in_the_search_run_and_passed(run: Run) -> None:
    evaluations = _check_evaluations(run.instance, "golden_set_quality")
    assert evaluations and all(e.passed for e in evaluations)
    meta = evaluations[0].metadata
    assert meta["ndcg@10"].value == load_baseline()["figures"]["ndcg@10"]  # type: ignore[index]
    assert "| emma_clarke |" in meta["per_person"].value


def test_outcomes_in_the_tracker_calibrate_the_next_screenings(run: Run) -> None:
    """45 settled applications of an earlier search (interviews drawn from a known curve) make the next
    screenings run give a Platt curve's chance, say so on every row, and plot it in the metadata."""
    now = datetime.now(UTC)
    old_key = f"{USER}::earlier-search"
    rng = np.random.default_rng(5)
    scores = np.round(rng.uniform(40, 100, size=45))
    hits = rng.random(45) < 0.5 / (1 + np.exp(-(scores - 80) / 8.0))
    run.store.write_records(
        SCREENINGS,
        old_key,
        [
            ScreeningRow(
                search_key=old_key,
                user_id=USER,
                posting_id=f"old{i}",
                score=int(s),
                method=ENGINE_VERSION,
                screened_at=now - timedelta(days=60),
            )
            for i, s in enumerate(scores)
        ],
    )
    run.store.write_records(
        APPLICATION_PACKAGES,
        old_key,
        [
            ApplicationPackageRow(
                search_key=old_key, user_id=USER, posting_id=f"old{i}", application_id=f"{USER}:old{i}"
            )
            for i in range(45)
        ],
    )
    applied = now - timedelta(days=50)
    updates = [
        ApplicationStatusUpdateRow(application_id=f"{USER}:old{i}", status="applied", at=applied)
        for i in range(45)
    ]
    updates += [
        ApplicationStatusUpdateRow(
            application_id=f"{USER}:old{i}", status="interviewing", at=applied + timedelta(days=9)
        )
        for i in range(45)
        if hits[i]
    ]
    run.store.append_records(APPLICATION_STATUS_UPDATES, updates, group=USER)

    key = sorted({r.search_key for r in run.store.read_records(SCREENINGS) if r.search_key != old_key})[0]  # type: ignore[type-var]
    result = dg.materialize(
        [screenings], partition_key=key, resources=build_resources(run.env), instance=run.instance
    )
    assert result.success
    rows = run.store.read_records(SCREENINGS, [key])
    assert rows and {r.chance_basis for r in rows} == {"platt on 45 outcomes"}
    assert len({r.calibration_version for r in rows}) == 1 and rows[0].calibration_version.startswith(
        "platt-"
    )  # type: ignore[union-attr]
    by_score = sorted(rows, key=lambda r: r.score or 0)
    assert all(0 < (r.interview_chance or 0) < 1 for r in rows)
    assert (by_score[0].interview_chance or 0) <= (
        by_score[-1].interview_chance or 0
    )  # monotone in the score

    meta = result.asset_materializations_for_node("screenings")[0].metadata
    assert meta["calibration_outcomes"].value == 45
    assert meta["interview_chance_calibration"].value[ENGINE_VERSION]["basis"] == "platt on 45 outcomes"  # type: ignore[index]
    plot = str(meta["reliability_plot"].value)
    assert f"**{ENGINE_VERSION}**: platt on 45 outcomes" in plot
    png = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", plot)
    assert png is not None and base64.b64decode(png.group(1)).startswith(b"\x89PNG")


def test_jobland_why_prints_the_trail_of_a_recommendation(
    run: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``jobland why USER:POSTING_ID``: posting sources and first sighting, the CV's hash and profile
    version, engine/model/prompt, the score's parts, the deal-breaker checks and the package."""
    from jobland_cli.main import main as jobland
    from jobland_pipeline.documents.records import CV_DOCUMENTS
    from jobland_pipeline.profiles.records import PROFILES

    package = next(
        p
        for p in run.store.read_records(APPLICATION_PACKAGES)
        if p.grounded and "old" not in str(p.posting_id)
    )
    screening = max(  # the latest screening of the posting, as the trail shows it
        (s for s in run.store.read_records(SCREENINGS) if s.posting_id == package.posting_id),
        key=lambda s: str(s.screened_at),
    )
    doc = run.store.read_records(CV_DOCUMENTS, [USER])[0]
    profile = run.store.read_records(PROFILES, [USER])[0]
    monkeypatch.setenv("JOBLAND_HOME", run.env["JOBLAND_HOME"])
    assert jobland(["why", str(package.application_id)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Why {package.posting_id} for {USER}: {screening.title} at {screening.company}")
    assert f"{screening.probability} match, score {screening.score}/100" in out
    assert f"interview chance {screening.interview_chance:.0%} ({screening.chance_basis}" in out
    assert "first seen 20" in out and "found by local" in out
    assert f"{doc.file_name}: sha256 {str(doc.sha256)[:16]}" in out
    assert f"profile version {str(profile.inputs_sha256)[:16]} (extractor {profile.extractor_version}" in out
    assert f"engine {ENGINE_VERSION}, stage 1" in out and "model: none" in out
    assert re.search(rf"\n  title fit +{screening.components['title']:.2f}\n", out)
    assert "none failed; checked: place, distance and relocation" in out
    assert f"{package.package_dir}" in out and "grounded: yes" in out
    assert jobland(["why", f"{USER}:no-such-posting"]) == 1
    assert "no screening of posting 'no-such-posting'" in capsys.readouterr().err
    assert jobland(["why", "no-colon"]) == 2

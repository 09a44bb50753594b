"""The whole graph on the sample users, materialized with Dagster: rows, files, e-mails, isolation."""

import os
import shutil
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.warehouse import TABLES, Warehouse
from resources import SETTINGS
from resources.settings import resolve
from sensors.local_run import run_once
from tests import hostile
from tests.conftest import SAMPLE_CVS, SAMPLE_INBOX


class Run:
    def __init__(self, home: Path, instance: dg.DagsterInstance) -> None:
        self.env = {"JOBLAND_HOME": str(home)}
        self.values = resolve(self.env, SETTINGS)
        self.defs = build_definitions(self.env)
        self.instance = instance
        self.store = Warehouse(
            Path(self.values["JOBLAND_WAREHOUSE_DIR"]), Path(self.values["JOBLAND_DUCKDB_PATH"])
        )

    def once(self) -> int:
        return run_once(self.defs, self.values, seed_samples=False, instance=self.instance)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    home = tmp_path_factory.mktemp("jobland") / "var"
    inbox = home / "inbox"
    for user in SAMPLE_CVS:
        shutil.copytree(SAMPLE_INBOX / user, inbox / user)
    (inbox / "locked_user").mkdir(parents=True)
    (inbox / "locked_user" / "cv.pdf").write_bytes(hostile.encrypted_pdf())
    (home / "dagster").mkdir(parents=True)
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        r = Run(home, instance)
        r.first_exit = r.once()  # type: ignore[attr-defined]
        yield r


def test_every_table_has_rows(run: Run) -> None:
    assert run.first_exit == 0  # type: ignore[attr-defined]
    # The offline engine makes no LLM calls, and nobody reviewed or reported anything yet.
    llm_only = {"llm_calls", "llm_cache", "package_reviews", "application_status_updates"}
    for table in TABLES:
        n = run.store.query(f"SELECT count(*) AS n FROM {table}")["n"][0]
        assert (n == 0) if table in llm_only else (n > 0), table


def test_the_nurses_packages_are_nursing_jobs(run: Run) -> None:
    packages = run.store.read("application_packages").filter(pl.col("user_id") == "maria_santos")
    assert packages.height >= 3
    assert all("nurs" in t.lower() for t in packages["title"].to_list())
    assert packages["grounded"].all()
    titles = run.store.read("suggested_titles").filter(pl.col("user_id") == "maria_santos")
    assert all("nurs" in t.lower() for t in titles["title"].to_list())
    # Titles generalised through the taxonomy name their occupation: Registered Nurses (29-1141*).
    families = {f for f in titles["family"].to_list() if f}
    assert families and all(f.startswith("29-1141") for f in families), families


def test_only_high_matches_get_packages(run: Run) -> None:
    packages = run.store.read("application_packages")
    screenings = run.store.read("screenings")
    joined = packages.join(screenings, on=["search_key", "posting_id"], how="left", suffix="_s")
    assert joined["probability_s"].to_list() == ["High"] * joined.height
    assert joined.filter(pl.col("deal_breakers").list.len() > 0).is_empty()


def test_package_files_exist_and_are_grounded(run: Run) -> None:
    for row in run.store.read("application_packages").iter_rows(named=True):
        folder = Path(row["package_dir"])
        assert {"tailored_cv.md", "tailored_cv.html", "cover_letter.md", "cheat_sheet.md"} <= {
            p.name for p in folder.iterdir()
        }
        assert row["company"] in (folder / "cover_letter.md").read_text(encoding="utf-8")


def test_digest_written_once_with_attachments(run: Run) -> None:
    day = date.today().isoformat()
    eml = Path(run.values["JOBLAND_OUTBOX_DIR"]) / day / "maria_santos.eml"
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["To"].addresses[0].addr_spec == "maria.santos.rn@example.com"
    attachments = list(msg.iter_attachments())
    packages = run.store.read("application_packages").filter(pl.col("user_id") == "maria_santos")
    assert len(attachments) == packages["application_id"].n_unique()
    assert (
        msg.get_body(preferencelist=("plain",)) is not None
        and msg.get_body(preferencelist=("html",)) is not None
    )
    ledger = run.store.read("email_digests").filter(pl.col("status") == "written")
    assert sorted(ledger["user_id"].to_list()) == [
        "daniel_okafor",
        "emma_clarke",
        "maria_santos",
        "wang_fang",
    ]


def test_broken_cv_fails_only_its_own_partition(run: Run) -> None:
    docs = run.store.read("cv_documents").filter(pl.col("user_id") == "locked_user")
    assert docs["status"].to_list() == ["error"] and "password-protected" in docs["error"][0]
    [event] = run.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("cv_documents"), asset_partitions=["locked_user"]),
        limit=1,
    ).records
    metadata = event.asset_materialization.metadata  # type: ignore[union-attr]
    assert "password-protected" in str(metadata["errors"].value)
    runs = run.instance.get_runs(dg.RunsFilter(tags={"dagster/partition": "locked_user"}))
    assert [r.status for r in runs] == [dg.DagsterRunStatus.FAILURE]
    failures = [
        e
        for e in run.instance.all_logs(runs[0].run_id)
        if e.dagster_event and e.dagster_event.is_step_failure
    ]
    assert any(
        "No readable CV for user locked_user" in str(e.dagster_event.event_specific_data) for e in failures
    )
    others = run.instance.get_runs(dg.RunsFilter(tags={"dagster/partition": "maria_santos"}))
    assert others and all(r.status == dg.DagsterRunStatus.SUCCESS for r in others)


def test_second_run_sends_nothing_and_rebuilds_nothing(run: Run) -> None:
    outbox = Path(run.values["JOBLAND_OUTBOX_DIR"])
    before = {p: p.read_bytes() for p in outbox.rglob("*.eml")}
    profiles_before = run.store.read("profiles").sort("user_id")["built_at"].to_list()
    assert run.once() == 0
    assert {p: p.read_bytes() for p in outbox.rglob("*.eml")} == before
    assert run.store.read("profiles").sort("user_id")["built_at"].to_list() == profiles_before  # cached
    ledger = run.store.read("email_digests")
    written = ledger.filter(pl.col("status") == "written")
    assert written.group_by(["user_id", "digest_date"]).len()["len"].max() == 1
    tracker = run.store.read("application_tracker")
    assert set(tracker["status"].to_list()) == {"sent"}
    assert tracker["application_id"].n_unique() == tracker.height


def test_changed_cv_rebuilds_only_that_profile(run: Run) -> None:
    cv = Path(run.values["JOBLAND_INBOX_DIR"]) / "emma_clarke" / "emma_clarke_resume.txt"
    cv.write_text(
        cv.read_text(encoding="utf-8").replace("Emma Clarke", "Emma J. Clarke", 1), encoding="utf-8"
    )
    os.utime(cv, ns=(1, 3_000_000_000_000_000_000))
    before = {r["user_id"]: r["built_at"] for r in run.store.read("profiles").iter_rows(named=True)}
    run.once()
    after = {r["user_id"]: r["built_at"] for r in run.store.read("profiles").iter_rows(named=True)}
    assert after["emma_clarke"] != before["emma_clarke"]
    assert all(after[u] == before[u] for u in before if u != "emma_clarke")
    assert run.store.read("profiles", ["emma_clarke"])["name"][0] == "Emma J. Clarke"


def _check_evaluations(instance: dg.DagsterInstance) -> list[tuple[str, str, str | None, bool, str]]:
    """(asset, check, partition of the run, passed, severity) of every asset check evaluation stored."""
    out = []
    for dagster_run in instance.get_runs():
        partition = dagster_run.tags.get("dagster/partition")
        records = instance.get_records_for_run(
            dagster_run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
        for record in records:
            event = record.event_log_entry.dagster_event
            assert event is not None
            evaluation = event.event_specific_data
            out.append(
                (
                    evaluation.asset_key.to_user_string(),  # type: ignore[union-attr]
                    evaluation.check_name,  # type: ignore[union-attr]
                    partition,
                    evaluation.passed,  # type: ignore[union-attr]
                    evaluation.severity.value,  # type: ignore[union-attr]
                )
            )
    return out


def test_asset_checks_say_what_the_tables_say(run: Run) -> None:
    """The checks a user sees in the UI agree with the data: none of them lies in either direction."""
    evaluations = _check_evaluations(run.instance)
    assert evaluations, "no asset check was evaluated"
    failed_errors = [e for e in evaluations if not e[3] and e[4] == "ERROR"]
    assert not failed_errors, failed_errors
    # Every CV file of every user is a row: the check passes for all, the locked user included.
    accounted = {p: ok for a, c, p, ok, _ in evaluations if c == "every_file_accounted_for"}
    assert set(accounted) >= set(SAMPLE_CVS) | {"locked_user"} and all(accounted.values())
    # The locked CV is the only one without a readable CV.
    readable = {p for a, c, p, ok, _ in evaluations if c == "readable_cv_present" and not ok}
    assert readable == {"locked_user"}
    # "5 to 10 titles" warns exactly for the users whose CV backs fewer titles.
    titles = run.store.read("suggested_titles").group_by("user_id").len()
    few = {r["user_id"] for r in titles.iter_rows(named=True) if r["len"] < 5}
    warned = {p for a, c, p, ok, _ in evaluations if c == "five_to_ten_titles" and not ok}
    assert warned == few


def test_each_partition_reports_its_own_rows(run: Run) -> None:
    """A run over many searches: every partition's materialisation says its own row count."""
    events = run.instance.fetch_materializations(dg.AssetKey("screenings"), limit=1000).records
    reported = {}
    for record in events:
        materialization = record.asset_materialization
        assert materialization is not None
        reported[record.partition_key] = materialization.metadata["dagster/row_count"].value
    screenings = run.store.read("screenings").group_by("search_key").len()
    actual = {r["search_key"]: r["len"] for r in screenings.iter_rows(named=True)}
    assert set(actual) <= set(reported)  # every search with rows was materialised; others had 0
    assert reported == {key: actual.get(key, 0) for key in reported} and len(set(reported.values())) > 2


def test_the_daemon_will_not_redo_what_make_run_did(run: Run) -> None:
    """The UI's daemon starts its inbox sensor with no cursor and asks for every user's intake again;
    it launches only run keys no run of that sensor carries yet, and make run's intakes carry them."""
    from resources import LocalInboxResource
    from sensors.cv_inbox import cv_inbox_sensor

    inbox = LocalInboxResource(path=run.values["JOBLAND_INBOX_DIR"])
    with dg.build_sensor_context(instance=run.instance, resources={"inbox": inbox}) as ctx:
        fresh = cv_inbox_sensor(ctx)
    assert isinstance(fresh, dg.SensorResult)
    keys = [r.run_key for r in fresh.run_requests or []]
    assert keys and all(keys)
    for key in keys:
        done = run.instance.get_runs(filters=dg.RunsFilter(tags={"dagster/run_key": str(key)}))
        assert [r.tags.get("dagster/sensor_name") for r in done] == ["cv_inbox_sensor"], key


def test_the_readme_queries_run_and_answer_one_row_per_posting(run: Run) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("-- best matches per user today", 1)[1].split("```", 1)[0]
    statements = [s.strip() for s in ("-- best matches" + block).split(";") if s.strip()]
    run.store.publish_views()
    for sql in statements:
        if "JOBLAND" in sql:
            continue
        run.store.query(sql)  # every example runs as written
    best = run.store.query(statements[0])
    assert best.height > 0
    assert best.select(["user_id", "posting_id"]).is_duplicated().sum() == 0
    assert best.group_by("user_id").len()["len"].max() <= 5


def test_a_package_names_the_users_stories_it_used_and_why_says_so(
    run: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Daniel's inbox has a stories.md: his data packages draw on it, the row names the story, and
    `jobland why` says the package traces to his CV and stories."""
    from jobland_cli.main import main as jobland
    from jobland_pipeline.generation.records import APPLICATION_PACKAGES
    from jobland_pipeline.generation.stories import read_stories

    titles = {
        s.title
        for s in read_stories(
            (SAMPLE_INBOX / "daniel_okafor" / "stories.md").read_bytes(), "stories.md"
        ).stories
    }
    packages = [p for p in run.store.read_records(APPLICATION_PACKAGES) if p.user_id == "daniel_okafor"]
    used = [p for p in packages if p.stories]
    assert used and all(set(p.stories) <= titles for p in used)
    assert all(
        not p.stories for p in run.store.read_records(APPLICATION_PACKAGES) if p.user_id == "wang_fang"
    )
    monkeypatch.setenv("JOBLAND_HOME", run.env["JOBLAND_HOME"])
    assert jobland(["why", str(used[0].application_id)]) == 0
    out = capsys.readouterr().out
    assert f"your stories used: {'; '.join(used[0].stories)}" in out
    assert "grounded: yes, every claim traces to your CV and stories" in out


def test_every_search_call_is_charged_to_the_search_that_made_it(run: Run) -> None:
    """api_calls rows name their search and its user (budgets and cost_per_package charge by them)."""
    calls = run.store.read("api_calls")
    searches = set(run.store.read("suggested_titles")["search_key"].to_list())
    assert calls.height > 0
    assert set(calls["search_key"].to_list()) <= searches
    assert calls["user_id"].to_list() == [str(k).split("::", 1)[0] for k in calls["search_key"].to_list()]

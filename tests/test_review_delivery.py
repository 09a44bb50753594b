"""Review, SMTP delivery exactly once, the tracker and the analyst views, through the whole pipeline."""

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from aiosmtpd.controller import Controller

from jobland_cli import main as jobland
from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.warehouse import Warehouse
from jobland_pipeline.warehouse.views import ANALYST_VIEWS
from resources import SETTINGS
from resources.settings import resolve
from sensors.local_run import run_once
from tests.conftest import SAMPLE_CVS, SAMPLE_INBOX
from tests.test_smtp import Recorder


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:  # type: ignore[type-arg]
    home = tmp_path_factory.mktemp("jl") / "var"
    inbox = home / "inbox"
    shutil.copytree(SAMPLE_INBOX / "maria_santos", inbox / "maria_santos")  # auto-approves
    shutil.copytree(SAMPLE_INBOX / "emma_clarke", inbox / "emma_clarke")
    (inbox / "emma_clarke" / "settings.yaml").write_text("auto_approve: false\n")  # waits for review
    (inbox / "no_mail").mkdir()
    text = (
        SAMPLE_CVS["emma_clarke"].read_text(encoding="utf-8").replace("emma.clarke.math@example.com | ", "")
    )
    (inbox / "no_mail" / "cv.txt").write_text(text, encoding="utf-8")
    (inbox / "no_mail" / "settings.yaml").write_text("auto_approve: true\n")
    handler = Recorder()
    handler.drop_after_data = 1  # the first digest is received but the client never hears "250"
    port = _port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        "JOBLAND_HOME": str(home),
        "JOBLAND_SMTP_HOST": "127.0.0.1",
        "JOBLAND_SMTP_PORT": str(port),
        "JOBLAND_SMTP_SECURITY": "none",
        "JOBLAND_MAIL_FROM": "jobland@example.org",
    }
    (home / "dagster").mkdir(parents=True)
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        defs = build_definitions(env)
        run = lambda: run_once(defs, resolve(env, SETTINGS), seed_samples=False, instance=instance)  # noqa: E731
        run()
        yield {
            "env": env,
            "run": run,
            "handler": handler,
            "store": Warehouse(home / "warehouse", home / "jobland.duckdb"),
        }
    controller.stop()


def test_smtp_delivers_once_despite_a_drop(world) -> None:  # type: ignore[no-untyped-def]
    store, handler = world["store"], world["handler"]
    ledger = store.read("email_digests")
    sent = ledger.filter(pl.col("status") == "sent")
    assert sent["user_id"].to_list() == ["maria_santos"] and sent["attempts"][0] == 2
    assert sent["transport"][0] == "smtp"
    assert len(handler.messages) == 2  # the dropped one and its retry: same Message-ID
    world["run"]()
    assert len(handler.messages) == 2  # a second run the same day sends nothing
    assert store.read("email_digests").filter(pl.col("status") == "sent").height == 1


def test_missing_address_fails_only_that_user(world) -> None:  # type: ignore[no-untyped-def]
    ledger = world["store"].read("email_digests")
    row = ledger.filter(pl.col("user_id") == "no_mail").sort("recorded_at").row(0, named=True)
    assert row["status"] == "no_recipient" and "no e-mail address" in row["error"]


def test_review_gates_the_digest(
    world, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    store = world["store"]
    emma = store.read("application_packages").filter(pl.col("user_id") == "emma_clarke")
    assert emma.height > 0 and set(emma["review_status"].to_list()) == {"ready_for_review"}
    assert (
        "emma_clarke"
        not in store.read("email_digests").filter(pl.col("status") == "sent")["user_id"].to_list()
    )
    for key, value in world["env"].items():
        monkeypatch.setenv(key, value)
    assert jobland(["review", "list", "--user", "emma_clarke"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    first, second = listed[0].split("\t")[0], listed[1].split("\t")[0]
    assert jobland(["review", "approve", first]) == 0
    assert jobland(["review", "revise", second]) == 2  # a revision needs a note
    assert jobland(["review", "revise", second, "--note", "Lead with the AP Calculus results"]) == 0
    assert jobland(["review", "approve", "emma_clarke:nope"]) == 2
    capsys.readouterr()
    # Decided packages no longer wait, though their status changes at the next run.
    assert jobland(["review", "list", "--user", "emma_clarke"]) == 0
    after = capsys.readouterr()
    assert {line.split("\t")[0] for line in after.out.strip().splitlines()} == {
        line.split("\t")[0] for line in listed[2:]
    }
    assert f"{len(listed) - 2} package(s) waiting for review" in after.err
    # delivery already ran today for emma? no: nothing was approved, so no digest was sent
    world["run"]()
    packages = store.read("application_packages").filter(pl.col("user_id") == "emma_clarke")
    status = dict(zip(packages["application_id"], packages["review_status"], strict=True))
    assert status[first] == "approved" and status[second] == "ready_for_review"
    revised = packages.filter(pl.col("application_id") == second).row(0, named=True)
    assert revised["revision_note"] == "Lead with the AP Calculus results"
    assert (Path(revised["package_dir"]) / "REVISION_NOTE.txt").exists()
    sent = store.read("email_digests").filter(
        (pl.col("status") == "sent") & (pl.col("user_id") == "emma_clarke")
    )
    assert sent.height == 1 and sent["application_ids"][0].to_list() == [first]

    assert jobland(["track", first, "interviewing", "--note", "Phone screen Tuesday"]) == 0
    assert jobland(["track", first, "hired"]) == 2
    world["run"]()
    tracker = store.read("application_tracker")
    assert tracker.filter(pl.col("application_id") == first)["status"][0] == "interviewing"
    history = store.read("application_status_history").filter(pl.col("application_id") == first).sort("at")
    assert history["status"].to_list()[-2:] == ["sent", "interviewing"]


def test_analyst_views_answer(world) -> None:  # type: ignore[no-untyped-def]
    store = world["store"]
    for view in ANALYST_VIEWS:
        assert store.query(f"SELECT count(*) AS n FROM {view}")["n"][0] > 0, view
    gaps = store.query("SELECT * FROM skill_gaps WHERE user_id = 'maria_santos' LIMIT 5")
    assert gaps.height > 0 and (gaps["postings"] > 0).all()
    funnel = store.query("SELECT status, sum(applications) AS n FROM funnel_per_user GROUP BY status")
    assert "sent" in funnel["status"].to_list()

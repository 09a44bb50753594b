"""The progress line: redrawn in place on a terminal, nothing at all in a file or a pipe."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import dagster as dg
import pytest

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.progress import ProgressLine, bar
from resources import SETTINGS
from resources.settings import resolve
from sensors.local_run import run_once
from tests.conftest import SAMPLE_CVS, SAMPLE_INBOX


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_fills_in_proportion() -> None:
    assert bar(0, 4, width=8) == "[--------]"
    assert bar(1, 4, width=8) == "[##------]"
    assert bar(4, 4, width=8) == "[########]"
    assert bar(9, 4, width=8) == "[########]"  # never past full
    assert bar(3, 0, width=4) == "[----]"  # total unknown yet


def test_a_pipe_gets_nothing_and_a_terminal_a_redrawn_line() -> None:
    pipe = io.StringIO()
    line = ProgressLine(pipe, every=0.01)
    line.show("half way", force=True)
    with line.ticking(lambda s: f"working {s:.0f} s"):
        time.sleep(0.05)
    line.done("all done")
    assert pipe.getvalue() == ""

    term = Terminal()
    line = ProgressLine(term, every=0.01)
    with line.ticking(lambda s: "working"):
        time.sleep(0.08)
    text = term.getvalue()
    assert text.count("\rworking\x1b[K") >= 2  # redrawn while the block ran
    assert text.endswith("\r\x1b[K")  # and erased after it, for the caller's plain line
    line.done("all done")
    assert term.getvalue().endswith("\rall done\x1b[K\n")


def test_make_run_draws_the_runs_done_on_a_terminal_and_plain_lines_in_a_pipe(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "var"
    user = sorted(SAMPLE_CVS)[0]
    shutil.copytree(SAMPLE_INBOX / user, home / "inbox" / user)
    (home / "dagster").mkdir(parents=True)
    env = {"JOBLAND_HOME": str(home)}
    term = Terminal()
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        code = run_once(
            build_definitions(env),
            resolve(env, SETTINGS),
            seed_samples=False,
            instance=instance,
            progress=ProgressLine(term, every=0.05),
        )
    assert code == 0
    drawn = term.getvalue()
    # intake, search, delivery, tracker: each drawn while it ran, the count of runs done growing
    for job in ("intake_job", "search_job", "delivery_job", "tracker_job"):
        assert f"running {job} " in drawn
    assert "0/1 runs done, running intake_job daniel_okafor" in drawn
    assert "1/2 runs done, running search_job" in drawn
    assert "3/4 runs done, running tracker_job" in drawn
    plain = capsys.readouterr().out  # the per-run lines and the summary, no carriage return
    assert "\r" not in plain and "search_job" in plain and "JobLand run finished" in plain


def test_one_pass_takes_in_every_user_once_however_many_ticks_the_sweep_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tick lists a bounded number of pages; `make run` ticks until the sweep ends, so a pass takes in
    every user dropped in the inbox, not only the first tick's. Here a tick is one page of 3 objects:
    Daniel's CV, settings and stories fill the first; the second ends one file into Maria's folder, so
    she is left to the next tick rather than read now and again there (two intake runs)."""
    import sensors.cv_inbox

    monkeypatch.setattr(sensors.cv_inbox, "PAGE_SIZE", 3)
    monkeypatch.setattr(sensors.cv_inbox, "MAX_PAGES_PER_TICK", 1)
    monkeypatch.setattr(sensors.cv_inbox, "MAX_RUNS_PER_TICK", 1)
    home = tmp_path / "var"
    users = ["daniel_okafor", "emma_clarke", "maria_santos"]  # 3, 2 and 2 files
    for user in users:
        shutil.copytree(SAMPLE_INBOX / user, home / "inbox" / user)
    (home / "dagster").mkdir(parents=True)
    env = {"JOBLAND_HOME": str(home)}
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        code = run_once(build_definitions(env), resolve(env, SETTINGS), seed_samples=False, instance=instance)
        intakes = instance.get_run_records(dg.RunsFilter(job_name="intake_job"))
        assert code == 0
        assert sorted(r.dagster_run.tags["dagster/partition"] for r in intakes) == users  # each once
        assert sorted(instance.get_dynamic_partitions("users")) == users

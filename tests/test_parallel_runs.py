"""Two partitions materialized in parallel processes, an analyst reading the whole time: no row lost."""

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from jobland_pipeline.profiles.titles import suggest_titles
from jobland_pipeline.warehouse import Warehouse
from tests.conftest import SAMPLE_CVS, profile_of

SCRIPT = """
import sys, warnings
warnings.filterwarnings("ignore")
import dagster as dg
from jobland_pipeline.definitions import build_definitions
defs = build_definitions()
user = sys.argv[1]
with dg.DagsterInstance.get() as instance:
    result = defs.resolve_job_def("intake_job").execute_in_process(instance=instance, partition_key=user,
        run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}})
sys.exit(0 if result.success else 1)
"""


@pytest.mark.slow
def test_parallel_partition_runs_keep_every_row(tmp_path: Path) -> None:
    home = tmp_path / "var"
    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    users = ["maria_santos", "daniel_okafor"]
    for user in users:
        target = home / "inbox" / user
        target.mkdir(parents=True)
        target.joinpath(SAMPLE_CVS[user].name).write_bytes(SAMPLE_CVS[user].read_bytes())
    env = {**os.environ, "JOBLAND_HOME": str(home), "DAGSTER_HOME": str(dagster_home)}
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        instance.add_dynamic_partitions("users", users)
    store = Warehouse(home / "warehouse", home / "jobland.duckdb")
    store.publish_views()
    reader = duckdb.connect(str(store.duckdb_path), read_only=True)  # held open during both runs
    procs = [
        subprocess.Popen([sys.executable, "-c", SCRIPT, u], env=env, stderr=subprocess.PIPE, text=True)
        for u in users
    ]
    observed = set()
    while any(p.poll() is None for p in procs):
        observed.add(
            reader.execute("SELECT count(*) FROM profiles").fetchone()[0]
        )  # never blocks, never fails
        time.sleep(0.05)
    for p in procs:
        _, stderr = p.communicate(timeout=180)
        assert p.returncode == 0, stderr
    rows = reader.execute("SELECT user_id, name FROM profiles ORDER BY user_id").fetchall()
    assert rows == [("daniel_okafor", "Daniel Okafor"), ("maria_santos", "Maria Santos")]
    titles = reader.execute("SELECT user_id, count(*) FROM suggested_titles GROUP BY 1 ORDER BY 1").fetchall()
    # Every title of both users landed: as many rows as suggesting them in this process gives.
    expected = [(u, len(suggest_titles(profile_of(u)[0]))) for u in sorted(users)]
    assert titles == expected and all(1 <= n <= 10 for _, n in titles)
    assert observed <= {0, 1, 2}
    reader.close()

"""Sensors and schedules, evaluated with Dagster's test contexts: run requests, partitions and cursors."""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from jobland_pipeline.inbox import LocalLister
from jobland_pipeline.inbox_cursor import InboxCursor, plan_tick
from jobland_pipeline.keys import InvalidKeyError
from jobland_pipeline.profiles.records import SUGGESTED_TITLES, SuggestedTitleRow
from jobland_pipeline.profiles.user_settings import SettingsError
from jobland_pipeline.warehouse import Warehouse
from resources import LocalInboxResource, WarehouseResource
from sensors.cv_inbox import cv_inbox_sensor
from sensors.schedules import _requests, daily_delivery_schedule, daily_search_schedule
from sensors.searches import search_partitions_sensor
from tests.conftest import SAMPLE_INBOX


def _tick(instance: dg.DagsterInstance, inbox: Path, cursor: str | None) -> dg.SensorResult:
    with dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"inbox": LocalInboxResource(path=str(inbox))}
    ) as ctx:
        result = cv_inbox_sensor(ctx)
    assert isinstance(result, dg.SensorResult)
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys or []))
    return result


def test_cv_sensor_adds_users_and_runs_only_for_changes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX / "maria_santos", inbox / "maria_santos")
    shutil.copytree(SAMPLE_INBOX / "emma_clarke", inbox / "emma_clarke")
    (inbox / "Bad Name!").mkdir()
    (inbox / "Bad Name!" / "cv.txt").write_text("x")
    with dg.instance_for_test() as instance:
        first = _tick(instance, inbox, None)
        assert sorted(r.partition_key for r in first.run_requests or []) == ["emma_clarke", "maria_santos"]
        assert instance.get_dynamic_partitions("users") == ["emma_clarke", "maria_santos"]
        known = InboxCursor.decode(first.cursor).known
        assert sorted(known) == [
            "emma_clarke/emma_clarke_resume.txt",
            "emma_clarke/settings.yaml",
            "maria_santos/maria_santos_cv.pdf",
            "maria_santos/settings.yaml",
        ]

        again = _tick(instance, inbox, first.cursor)
        assert not again.run_requests and not again.dynamic_partitions_requests

        cv = inbox / "emma_clarke" / "emma_clarke_resume.txt"
        cv.write_text(cv.read_text(encoding="utf-8") + "\nVolunteer tutor\n", encoding="utf-8")
        os.utime(cv, ns=(1, 2_000_000_000_000_000_000))
        changed = _tick(instance, inbox, again.cursor)
        assert [r.partition_key for r in changed.run_requests or []] == ["emma_clarke"]
        assert not changed.dynamic_partitions_requests  # user already known
        assert changed.run_requests[0].run_key != first.run_requests[0].run_key  # type: ignore[index]

        (inbox / "new_user").mkdir()
        (inbox / "new_user" / "settings.yaml").write_text("pinned_titles: [Data Engineer]\n")
        settings_only = _tick(instance, inbox, changed.cursor)
        assert [r.partition_key for r in settings_only.run_requests or []] == ["new_user"]


def _titles(store: Warehouse, user: str, slugs: list[str]) -> None:
    store.write_records(
        SUGGESTED_TITLES,
        user,
        [
            SuggestedTitleRow(
                user_id=user,
                rank=i,
                title=s,
                display_title=s,
                slug=s,
                search_key=f"{user}::{s}",
                score=1.0,
                reason="r",
                source="cv",
                built_at=datetime.now(UTC),
            )
            for i, s in enumerate(slugs)
        ],
    )


def _materialized(instance: dg.DagsterInstance, *users: str) -> None:
    """What an intake run leaves in the event log: suggested_titles materialised for these users."""
    for user in users:
        instance.report_runless_asset_event(dg.AssetMaterialization("suggested_titles", partition=user))


def _search_tick(
    instance: dg.DagsterInstance, resource: WarehouseResource, cursor: str | None
) -> dg.SensorResult:
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"warehouse": resource}) as ctx:
        result = search_partitions_sensor(ctx)
    assert isinstance(result, dg.SensorResult)
    for request in result.dynamic_partitions_requests or []:  # as the daemon applies them
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys or []))
        elif isinstance(request, dg.DeleteDynamicPartitionsRequest):
            for key in request.partition_keys or []:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return result


def test_search_sensor_follows_title_materialisations(tmp_path: Path) -> None:
    store = Warehouse(tmp_path / "wh", tmp_path / "db.duckdb")
    _titles(store, "alice", ["data-engineer", "analytics-engineer"])
    _titles(store, "bob", ["icu-nurse"])
    _titles(store, "carol", ["chef"])  # titles on disk but never materialised in this instance: not read
    resource = WarehouseResource(root=str(store.root), duckdb_path=str(store.duckdb_path))
    with dg.instance_for_test() as instance:
        assert _search_tick(instance, resource, None).skip_reason  # nothing materialised yet
        _materialized(instance, "alice", "bob")
        first = _search_tick(instance, resource, None)
        [add] = first.dynamic_partitions_requests or []
        assert list(add.partition_keys or []) == [
            "alice::data-engineer",
            "alice::analytics-engineer",
            "bob::icu-nurse",
        ]
        [run] = first.run_requests or []
        assert run.tags["dagster/asset_partition_range_start"] == "alice::data-engineer"
        assert run.tags["dagster/asset_partition_range_end"] == "bob::icu-nurse"
        # The same events are not read twice.
        assert _search_tick(instance, resource, first.cursor).skip_reason
        # Alice's CV changed: one title went, one came. Her old search is removed and its rows forgotten.
        _titles(store, "alice", ["data-engineer", "data-architect"])
        _materialized(instance, "alice")
        second = _search_tick(instance, resource, first.cursor)
        kinds = {
            type(r).__name__: list(r.partition_keys or []) for r in second.dynamic_partitions_requests or []
        }
        assert kinds == {
            "AddDynamicPartitionsRequest": ["alice::data-architect"],
            "DeleteDynamicPartitionsRequest": ["alice::analytics-engineer"],
        }
        forget = [r for r in second.run_requests or [] if r.job_name == "forget_job"]
        assert [r.run_config for r in forget] == [
            {"ops": {"forget_user_op": {"config": {"search_keys": ["alice::analytics-engineer"]}}}}
        ]
        assert set(instance.get_dynamic_partitions("searches")) == {
            "alice::data-engineer",
            "alice::data-architect",
            "bob::icu-nurse",
        }


def test_daily_schedules_batch_partitions_into_few_runs() -> None:
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(
            "searches", [f"u{i:04d}::t{j}" for i in range(120) for j in range(10)]
        )
        instance.add_dynamic_partitions("users", [f"u{i:04d}" for i in range(120)])
        with dg.build_schedule_context(
            instance=instance, scheduled_execution_time=datetime(2026, 11, 27, 6)
        ) as ctx:
            searches = daily_search_schedule(ctx)
            delivery = daily_delivery_schedule(ctx)
    assert isinstance(searches, list) and len(searches) == 3  # 1,200 searches, 500 per run
    assert searches[0].tags["dagster/asset_partition_range_start"] == "u0000::t0"
    assert searches[-1].tags["dagster/asset_partition_range_end"] == "u0119::t9"
    assert isinstance(delivery, list) and len(delivery) == 1


def test_batches_cover_every_key_once_and_are_tagged_with_their_day_and_users() -> None:
    from datetime import date

    from assets.partitions import DAY_TAG, RANGE_END_TAG, RANGE_START_TAG, USER_TAG, USERS_TAG, batch_tags

    keys = [f"u{i // 2:04d}::t{i % 2}" for i in range(1001)]
    requests = _requests("daily-search", date(2026, 12, 7), keys, 500)
    assert [(r.tags[RANGE_START_TAG], r.tags[RANGE_END_TAG]) for r in requests] == [
        (keys[0], keys[499]),
        (keys[500], keys[999]),
        (keys[1000], keys[1000]),
    ]
    assert [r.run_key for r in requests] == [f"daily-search:2026-12-07:{keys[i]}" for i in (0, 500, 1000)]
    assert {r.tags[DAY_TAG] for r in requests} == {"2026-12-07"}
    assert requests[2].tags[USER_TAG] == "u0500" and USERS_TAG not in requests[2].tags
    first = requests[0].tags[USERS_TAG].split(",")  # 250 users of 6 characters: cut at 1,000 characters
    assert first[-1] == f"+{250 - (len(first) - 1)} more" and len(requests[0].tags[USERS_TAG]) <= 1_000 + 12
    assert first[:-1] == sorted({k.split("::")[0] for k in keys[:500]})[: len(first) - 1]
    assert batch_tags(date(2026, 12, 7), ["b", "a", "b"]) == {DAY_TAG: "2026-12-07", USERS_TAG: "a,b"}


def test_the_tracker_follows_the_users_of_a_finished_run() -> None:
    from assets.partitions import run_users

    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", ["ann", "bob", "cy"])
        instance.add_dynamic_partitions("searches", ["ann::a", "ann::b", "bob::c", "cy::d"])
        searches = {
            "dagster/asset_partition_range_start": "ann::b",
            "dagster/asset_partition_range_end": "bob::c",
        }
        assert run_users(searches, instance) == ["ann", "bob"]
        users = {"dagster/asset_partition_range_start": "bob", "dagster/asset_partition_range_end": "cy"}
        assert run_users(users, instance) == ["bob", "cy"]
        assert run_users({"dagster/partition": "cy::d"}, instance) == ["cy"]
        assert run_users({}, instance) == []


def test_the_inbox_never_follows_a_link_and_says_what_it_skips(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX / "maria_santos", inbox / "maria_santos")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "settings.yaml").write_text("email: attacker@example.org\n")
    (elsewhere / "cv.txt").write_text("Somebody else's CV")
    (inbox / "eve").mkdir()
    (inbox / "eve" / "settings.yaml").symlink_to(elsewhere / "settings.yaml")
    (inbox / "eve" / "cv.txt").symlink_to(elsewhere / "cv.txt")
    (inbox / "linked_user").symlink_to(elsewhere)
    (inbox / "maria_santos" / ".notes.txt").write_text("hidden")
    with dg.instance_for_test() as instance:
        result = _tick(instance, inbox, None)
    assert [r.partition_key for r in result.run_requests or []] == ["maria_santos"]
    # What the sensor logs as skipped, one line each: every link and hidden file, with its reason.
    plan = plan_tick(LocalLister(inbox), InboxCursor.decode(None))
    said = dict(plan.rejected)
    assert set(said) == {"eve/settings.yaml", "eve/cv.txt", "linked_user/", "maria_santos/.notes.txt"}
    assert sum("symbolic link, never followed" in why for why in said.values()) == 3
    resource = LocalInboxResource(path=str(inbox))
    with pytest.raises(SettingsError, match="a symbolic link"):
        resource.user_settings("eve")
    assert resource.files_for("eve") == []


def test_user_ids_fold_case_and_two_folders_for_one_id_are_an_error(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX / "maria_santos", inbox / "Zed")
    shutil.copytree(SAMPLE_INBOX / "emma_clarke", inbox / "bob")
    shutil.copytree(SAMPLE_INBOX / "daniel_okafor", inbox / "Bob")
    resource = LocalInboxResource(path=str(inbox))
    with dg.instance_for_test() as instance:
        result = _tick(instance, inbox, None)
    assert [r.partition_key for r in result.run_requests or []] == ["zed"]  # bob is refused, stated
    assert [f.name for f in resource.files_for("zed")] == ["maria_santos_cv.pdf"]  # Zed/ is user zed
    with pytest.raises(InvalidKeyError, match="folders 'Bob', 'bob' are all user 'bob'"):
        resource.files_for("bob")

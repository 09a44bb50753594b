"""The definitions load and contain what the design card promises."""

import dagster as dg
import pytest

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.profiles.user_settings import SettingsError

ASSETS = {
    "cv_documents",
    "profiles",
    "suggested_titles",
    "job_postings",
    "screenings",
    "company_dossiers",
    "application_packages",
    "email_digests",
    "application_tracker",
    "batch_status",
}


def test_graph_is_complete(tmp_path) -> None:  # type: ignore[no-untyped-def]
    defs = build_definitions({"JOBLAND_HOME": str(tmp_path)})
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys == ASSETS
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description and len(node.description) > 40, key
        assert node.group_name in {"intake", "search", "screening", "research", "delivery"}
        assert "dagster/column_schema" in node.metadata, key
    checks = {c.name for c in graph.asset_check_keys}
    assert len(checks) >= 9 and {"grounded", "deal_breakers_never_high", "at_most_once_per_day"} <= checks
    assert {s.name for s in defs.sensors or []} == {
        "cv_inbox_sensor",
        "search_partitions_sensor",
        "tracker_after_runs",
        "tracker_after_failed_runs",
        "webhooks_after_delivery",
        "webhooks_after_failed_delivery",
        "cv_rescan_sensor",
    }
    assert {s.name for s in defs.schedules or []} == {"daily_search_schedule", "daily_delivery_schedule"}


def test_partitions_are_the_two_dynamic_dimensions(tmp_path) -> None:  # type: ignore[no-untyped-def]
    graph = build_definitions({"JOBLAND_HOME": str(tmp_path)}).resolve_asset_graph()
    parts = {k.to_user_string(): graph.get(k).partitions_def for k in graph.get_all_asset_keys()}
    assert parts["profiles"].name == "users" and parts["screenings"].name == "searches"  # type: ignore[union-attr]
    assert parts["email_digests"].name == "users"  # type: ignore[union-attr]
    assert parts["application_tracker"].name == parts["batch_status"].name == "users"  # type: ignore[union-attr]
    assert all(isinstance(p, dg.DynamicPartitionsDefinition) for p in parts.values() if p is not None)


def test_unknown_setting_stops_loading() -> None:
    with pytest.raises(SettingsError, match="JOBLAND_ENGIN"):
        build_definitions({"JOBLAND_ENGIN": "offline"})

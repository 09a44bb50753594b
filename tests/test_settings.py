from pathlib import Path

import pytest

from jobland_pipeline.profiles.user_settings import SettingsError, load_user_settings
from resources import SETTINGS
from resources.settings import resolve


def test_defaults_follow_home() -> None:
    values = resolve({"JOBLAND_HOME": "/srv/jl"}, SETTINGS)
    assert values["JOBLAND_DUCKDB_PATH"] == "/srv/jl/jobland.duckdb"
    assert values["JOBLAND_ENGINE"] == "offline"


def test_unknown_setting_names_the_closest_one() -> None:
    with pytest.raises(SettingsError, match=r"JOBLAND_OUTBOX_DIRR.*did you mean JOBLAND_OUTBOX_DIR"):
        resolve({"JOBLAND_OUTBOX_DIRR": "x"}, SETTINGS)


def test_user_settings_validated_with_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(
        "email: maria@example.com\npreferences:\n  no_night_shifts: true\n  remote: remote_only\n"
    )
    settings = load_user_settings(path)
    assert settings.preferences.no_night_shifts and settings.preferences.remote == "remote_only"
    path.write_text("preferences:\n  remote: sometimes\n")
    with pytest.raises(SettingsError, match=r"settings.yaml: field 'preferences.remote'"):
        load_user_settings(path)
    path.write_text("emial: x@example.com\n")
    with pytest.raises(SettingsError, match="field 'emial'"):
        load_user_settings(path)
    path.write_text("email: [unclosed\n")
    with pytest.raises(SettingsError, match="not valid YAML"):
        load_user_settings(path)


def test_missing_settings_file_means_defaults(tmp_path: Path) -> None:
    assert load_user_settings(tmp_path / "nope.yaml").pinned_titles == []

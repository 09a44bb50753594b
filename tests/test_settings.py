import subprocess
import sys
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


def _in_a_small_process(code: str, limit_mb: int = 300) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child whose address space is capped: a blow-up fails there, not here."""
    prelude = (
        f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({limit_mb} << 20, {limit_mb} << 20))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=120, check=False
    )


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (BILLION_LAUGHS, "aliases (*name) are not allowed"),
        ("pinned_titles: [" + ", ".join(["*x"] * 3) + "]\n", "not valid YAML"),
        ("x: " + "y" * 70_000 + "\n", "a settings file is at most 65,536"),
        ('name: "Jane\\r\\nBcc: all@example.org"\n', "field 'name': must be one line"),
        ('email: "jane@example.org\\nBcc: all@example.org"\n', "field 'email': must be one line"),
        ("email: jane-at-example\n", "is not an e-mail address"),
    ],
)
def test_hostile_settings_fail_clearly_and_cheaply(text: str, words: str) -> None:
    code = (
        "from jobland_pipeline.profiles.user_settings import parse_user_settings, SettingsError\n"
        f"try:\n    parse_user_settings({text!r}, 'settings.yaml')\nexcept SettingsError as exc:\n    print(exc)\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forking (pytest) process
        "import re; status = open('/proc/self/status').read()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)\n"
    )
    done = _in_a_small_process(code)
    assert done.returncode == 0, done.stderr[-500:]
    message, peak_mb = done.stdout.strip().rsplit("\n", 1)
    assert message.startswith("settings.yaml: ") and words in message, message
    assert len(message) < 300 and int(peak_mb) < 300


def test_a_misspelt_setting_in_settings_yaml_is_named_with_the_closest_one() -> None:
    from jobland_pipeline.profiles.user_settings import SettingsError, parse_user_settings

    with pytest.raises(SettingsError, match=r"field 'emial': not a setting \(did you mean 'email'\?\)"):
        parse_user_settings(b"emial: ana@example.org\n", "inbox/ana/settings.yaml")
    with pytest.raises(SettingsError, match=r"field 'preferences.no_night_shift': .*'no_night_shifts'"):
        parse_user_settings(b"preferences:\n  no_night_shift: true\n", "settings.yaml")
    with pytest.raises(SettingsError, match=r"field 'zzz': not a setting \(settings here: email, name"):
        parse_user_settings(b"zzz: 1\n", "settings.yaml")

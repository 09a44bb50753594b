"""The screening's code version: what it digests, and that it covers what a real screening imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jobland_pipeline.screening.code_version import code_fingerprint, reachable
from tests.conftest import ROOT, SAMPLE_POSTINGS


def _package(root: Path) -> Path:
    """A small package: screening imports score at the top and the lexicon inside a function."""
    files = {
        "pkg/__init__.py": "",
        "pkg/screening/__init__.py": "from pkg.screening.score import score\n",
        "pkg/screening/score.py": (
            "from . import weights\n\ndef score(x):\n    from pkg.lexicon import words\n    return words(x)\n"
        ),
        "pkg/screening/weights.py": "W = 1\n",
        "pkg/lexicon/__init__.py": "def words(x):\n    return x.split()\n",
        "pkg/lexicon/data/words.txt": "nurse\n",
        "pkg/delivery/__init__.py": "",
        "pkg/delivery/mailer.py": "from pkg.screening import score\n",
        "pkg/data/__init__.py": "",
        "pkg/data/golden.json": "{}",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_reachable_follows_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    package = _package(tmp_path)
    assert reachable(package, ("pkg.screening",)) == {
        "pkg",
        "pkg.screening",
        "pkg.screening.score",
        "pkg.screening.weights",
        "pkg.lexicon",
    }


def test_fingerprint_changes_with_the_screening_code_and_its_data_not_with_the_mailer(tmp_path: Path) -> None:
    package = _package(tmp_path)

    def version() -> str:
        return code_fingerprint(package, ("pkg.screening",))

    first = version()
    (package / "delivery" / "mailer.py").write_text("from pkg.screening import score\nX = 2\n")
    (package / "data" / "golden.json").write_text('{"changed": true}')
    assert version() == first
    (package / "lexicon" / "data" / "words.txt").write_text("nurse\nteacher\n")
    after_data = version()
    assert after_data != first
    (package / "screening" / "weights.py").write_text("W = 2\n")
    assert version() not in {first, after_data}


def test_a_real_screening_imports_only_modules_the_version_covers(tmp_path: Path, sample_profiles) -> None:  # type: ignore[no-untyped-def]
    """Run the offline engine's screening in a fresh interpreter and list the package's modules it loaded:
    every one must be in ``reachable()``, or a change to it would not re-screen."""
    profile, cv_text = sample_profiles["maria_santos"]
    (tmp_path / "profile.json").write_text(profile.model_dump_json(), encoding="utf-8")
    (tmp_path / "cv.txt").write_text(cv_text, encoding="utf-8")
    script = f"""
import json, sys
from pathlib import Path
from jobland_pipeline.llm.engine import get_engine
from jobland_pipeline.postings import load_postings
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening import Preferences
from jobland_pipeline.screening.score import Thresholds
tmp = Path({str(tmp_path)!r})
profile = Profile.model_validate_json((tmp / "profile.json").read_text(encoding="utf-8"))
postings = load_postings(Path({str(SAMPLE_POSTINGS)!r}))[:40]
rows = get_engine("offline").screen(
    profile, postings, cv_text=(tmp / "cv.txt").read_text(encoding="utf-8"),
    search_title="ICU Registered Nurse", prefs=Preferences(), thresholds=Thresholds(),
)
print(json.dumps({{"rows": len(rows), "modules": sorted(m for m in sys.modules if m.startswith("jobland_pipeline"))}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out.strip().splitlines()[-1])
    assert loaded["rows"] == 40
    missing = set(loaded["modules"]) - reachable()
    assert not missing, f"loaded by a screening but not in its code version: {sorted(missing)}"
    assert "jobland_pipeline.delivery.mailer" not in reachable()  # a release of the mailer keeps screenings

"""`jobland eval` on a small labelled set built from the bundled samples: results, scorer, calibration."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jobland_cli import main
from jobland_pipeline.evaluation import label_calibration
from tests.conftest import SAMPLE_CVS, SAMPLE_POSTINGS

# A scorer with eval.py's interface: reads the results file, prints a SUMMARY line.
SCORER = """
import json, sys
results = json.load(open(sys.argv[1]))
n = sum(len(v) for v in results["screenings"].values())
print(f"SUMMARY personas={len(results['screenings'])} scored={n}")
"""


def test_label_calibration_counts_good_fits_per_label() -> None:
    results = {"screenings": {"p": {"a": 90, "b": 75, "c": 55, "d": 10}}}
    labels = {"relevance": {"p": {"a": 3, "b": 1, "c": 2, "d": 0}}}
    line = label_calibration(results, labels, high=70, medium=50)
    assert "High 0.500 good fits (n=2)" in line
    assert "Medium 1.000 good fits (n=1)" in line
    assert "Low 0.000 good fits (n=1)" in line


@pytest.fixture
def tiny_set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    (root / "personas").mkdir(parents=True)
    shutil.copy(SAMPLE_CVS["maria_santos"], root / "personas" / "maria.pdf")
    lines = [json.loads(x) for x in SAMPLE_POSTINGS.read_text(encoding="utf-8").splitlines() if x.strip()]
    chosen = [p for p in lines if "Nurse" in p["title"] or "Chef" in p["title"]][:12]
    (root / "postings.jsonl").write_text("\n".join(json.dumps(p) for p in chosen) + "\n", encoding="utf-8")
    (root / "personas.json").write_text(
        json.dumps({"maria": {"file": "personas/maria.pdf"}}), encoding="utf-8"
    )
    grades = {p["id"]: (2 if "Nurse" in p["title"] else 0) for p in chosen}
    (root / "labels.json").write_text(json.dumps({"relevance": {"maria": grades}}), encoding="utf-8")
    (root / "eval.py").write_text(SCORER, encoding="utf-8")
    return root


def test_eval_runs_screen_and_tailor_and_prints_the_scorers_summary(
    tiny_set: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    code = main(["eval", "--set-dir", str(tiny_set), "--out", str(out)])
    printed = capsys.readouterr().out
    results = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0, printed
    scores = results["screenings"]["maria"]
    assert len(scores) == 12 and "SUMMARY personas=1 scored=12" in printed
    titles = [json.loads(x)["title"] for x in (tiny_set / "postings.jsonl").read_text().splitlines()]
    ids = [json.loads(x)["id"] for x in (tiny_set / "postings.jsonl").read_text().splitlines()]
    by_title = dict(zip(ids, titles, strict=True))
    # A nurse's best posting is a nursing job, and her tailored CV is her own.
    best = max(scores, key=lambda pid: scores[pid])
    assert "Nurse" in by_title[best]
    assert "Maria Santos" in results["tailored_cv_text"]["maria"]
    assert "label_calibration: High" in printed

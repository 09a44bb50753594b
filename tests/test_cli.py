"""The `jobland` command on files it has never seen: real CVs and real job descriptions."""

import json
import subprocess
import sys
from pathlib import Path

from tests import hostile
from tests.conftest import REAL_CVS, SAMPLE_CVS

JDS = Path(__file__).parent / "fixtures" / "postings"
TITLES = {
    "backend-eng": "Senior Backend Engineer",
    "frontend-eng": "Senior Frontend Engineer",
    "ml-eng": "Machine Learning Engineer",
    "product-manager": "Product Manager",
}


def _jobland(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobland_cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _postings_file(tmp_path: Path) -> Path:
    lines = []
    for path in sorted(JDS.glob("*.txt")):
        lines.append(
            json.dumps(
                {
                    "id": path.stem,
                    "title": TITLES[path.stem],
                    "company": "Resume-Matcher sample",
                    "location": "Remote",
                    "remote": True,
                    "employment_type": "full_time",
                    "posted_at": "2026-11-20",
                    "salary": None,
                    "url": f"https://example.org/{path.stem}",
                    "description": path.read_text(encoding="utf-8"),
                }
            )
        )
    out = tmp_path / "postings.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_screen_a_real_cv_against_real_postings(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = _jobland(
        "screen",
        "--cv",
        str(REAL_CVS / "resumematcher_single-column.pdf"),
        "--postings",
        str(_postings_file(tmp_path)),
        "--out",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["profile"]["contact"]["email"] == "john.doe@email.com"
    assert 5 <= len(result["titles"]) <= 10 and all(t["reason"] for t in result["titles"])
    assert set(result["screenings"]) == set(TITLES)
    scores = {k: v["score"] for k, v in result["screenings"].items()}
    assert (
        scores["backend-eng"] > scores["product-manager"]
    )  # a software engineer fits the backend job better
    for screening in result["screenings"].values():
        assert screening["probability"] in {"High", "Medium", "Low"}
        assert isinstance(screening["missing_skills"], list) and isinstance(screening["deal_breakers"], list)
    # the CV's own wording is kept
    bullets = [b for role in result["profile"]["roles"] for b in role["bullets"]]
    assert bullets and all(isinstance(b, str) for b in bullets)


def test_tailor_writes_cv_and_letter(tmp_path: Path) -> None:
    posting = json.loads(_postings_file(tmp_path).read_text(encoding="utf-8").splitlines()[0])
    posting_path = tmp_path / "posting.json"
    posting_path.write_text(json.dumps(posting), encoding="utf-8")
    out = tmp_path / "pkg"
    proc = _jobland(
        "tailor", "--cv", str(SAMPLE_CVS["daniel_okafor"]), "--posting", str(posting_path), "--out", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    letter = (out / "cover_letter.md").read_text(encoding="utf-8")
    assert "Senior Backend Engineer" in letter and "Daniel Okafor" in letter
    cv = (out / "tailored_cv.md").read_text(encoding="utf-8")
    assert "Senior Data Engineer — Harrowgate & Finch Retail Group" in cv


def test_unreadable_cv_fails_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "cv.pdf"
    bad.write_bytes(hostile.encrypted_pdf())
    proc = _jobland(
        "screen",
        "--cv",
        str(bad),
        "--postings",
        str(_postings_file(tmp_path)),
        "--out",
        str(tmp_path / "r.json"),
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "password-protected" in proc.stderr


def _screen(postings: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return _jobland(
        "screen",
        "--cv",
        str(SAMPLE_CVS["emma_clarke"]),
        "--postings",
        str(postings),
        "--out",
        str(out),
        *extra,
    )


def test_a_bad_line_is_skipped_and_named_and_strict_refuses_the_file(tmp_path: Path) -> None:
    good = _postings_file(tmp_path).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join([good[0], '{"id": "x"}', "{not json", *good[1:]]) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    proc = _screen(path, out)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"skipped {path}:2: missing field(s)" in proc.stderr
    assert f"skipped {path}:3: not valid JSON" in proc.stderr
    assert "2 line(s)" in proc.stdout
    kept = json.loads(out.read_text(encoding="utf-8"))["screenings"]
    assert sorted(kept) == sorted(json.loads(line)["id"] for line in good)  # every good posting kept
    strict = _screen(path, tmp_path / "s.json", "--strict")
    assert strict.returncode == 2 and f"{path}:2: missing field(s)" in strict.stderr
    assert strict.stderr.strip().count("\n") == 0 and not (tmp_path / "s.json").exists()


def test_streamed_results_are_the_screenings_best_first(tmp_path: Path) -> None:
    """The streamed writer gives the same JSON document as dumping the whole result at once."""
    out = tmp_path / "r.json"
    proc = _screen(_postings_file(tmp_path), out)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert list(result) == ["profile", "titles", "screenings"]
    scores = [s["score"] for s in result["screenings"].values()]
    assert scores == sorted(scores, reverse=True) and len(scores) == len(list(JDS.glob("*.txt")))
    assert all(set(s) >= {"probability", "reasons", "missing_skills"} for s in result["screenings"].values())


def test_an_over_long_line_is_refused_while_reading_in_bounded_memory(tmp_path: Path) -> None:
    """A 200 MB description is skipped at the 1 MB line limit, in a process capped at 1.5 GB of
    address space (reading it whole would take several times its size)."""
    good = _postings_file(tmp_path).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as f:
        f.write(good[0] + "\n")
        f.write('{"id": "huge", "description": "')
        chunk = "x" * (1 << 20)
        for _ in range(200):
            f.write(chunk)
        f.write('"}\n')
        f.write(good[1] + "\n")
    out = tmp_path / "r.json"
    cap = "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20)); "
    run = "sys.argv = ['jobland', *sys.argv[1:]]; runpy.run_module('jobland_cli', run_name='__main__')"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            cap + run,
            "screen",
            "--cv",
            str(SAMPLE_CVS["emma_clarke"]),
            "--postings",
            str(path),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert f"skipped {path}:2: line of 200 MB is over the 1 MB limit" in proc.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["screenings"]) == 2


def test_a_deeply_nested_posting_is_a_one_line_error(tmp_path: Path) -> None:
    deep = '{"a": ' * 10_000 + "1" + "}" * 10_000
    posting = tmp_path / "deep.json"
    posting.write_text(deep, encoding="utf-8")
    tailor = _jobland(
        "tailor",
        "--cv",
        str(SAMPLE_CVS["emma_clarke"]),
        "--posting",
        str(posting),
        "--out",
        str(tmp_path / "o"),
    )
    assert tailor.returncode == 2 and "Traceback" not in tailor.stderr
    assert (
        tailor.stderr.strip().count("\n") == 0
        and "nested 10000 levels deep (the limit is 32)" in tailor.stderr
    )
    lines = tmp_path / "deep.jsonl"
    lines.write_text(deep + "\n", encoding="utf-8")
    screen = _screen(lines, tmp_path / "r.json", "--strict")
    assert screen.returncode == 2 and "nested 10000 levels deep" in screen.stderr
    assert "Traceback" not in screen.stderr


def _jobland_in(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JOBLAND_", "DAGSTER_"))}
    return subprocess.run(
        [sys.executable, "-m", "jobland_cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={**clean, **env},
    )


def test_an_unknown_setting_is_an_error_for_every_command(tmp_path: Path) -> None:
    for args in (
        ["settings"],
        ["screen", "--cv", "x", "--postings", "y", "--out", "z"],
        ["track", "a:b", "applied"],
    ):
        done = _jobland_in(tmp_path, {"JOBLAND_ENGIN": "offline"}, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert "unknown setting JOBLAND_ENGIN (did you mean JOBLAND_ENGINE?)" in done.stderr
        assert "Traceback" not in done.stderr


def test_commands_find_the_project_from_any_directory(tmp_path: Path) -> None:
    """Run from elsewhere, a relative JOBLAND_HOME is the project's, and a command that needs Dagster
    gets a DAGSTER_HOME instead of a traceback."""
    home = tmp_path / "home"
    done = _jobland_in(tmp_path, {"JOBLAND_HOME": str(home)}, "forget", "nobody", "--yes")
    assert done.returncode == 0, done.stderr
    assert (home / "dagster" / "dagster.yaml").is_file()  # Dagster's home was made, with the project's config
    assert "Traceback" not in done.stderr
    # With a relative JOBLAND_HOME, the project's folder is used, not the current directory.
    done = _jobland_in(tmp_path, {"JOBLAND_HOME": "var-cli-test"}, "forget", "nobody", "--yes")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "var-cli-test").exists()
    project_home = Path(__file__).resolve().parent.parent / "var-cli-test"
    try:
        assert (project_home / "dagster" / "dagster.yaml").is_file(), (done.stdout, done.stderr)
    finally:
        import shutil

        shutil.rmtree(project_home, ignore_errors=True)


def test_eval_without_its_set_says_how_to_give_one(tmp_path: Path) -> None:
    proc = _jobland("eval", "--set-dir", str(tmp_path / "nope"))
    assert proc.returncode == 2
    assert f"{tmp_path / 'nope'}: no such folder" in proc.stderr
    assert "EVAL_SET=DIR" in proc.stderr and "--golden" in proc.stderr

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from jobland_pipeline.documents import extract_file
from jobland_pipeline.profiles import Profile, build_profile

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_INBOX = ROOT / "jobland_pipeline" / "data" / "sample_inbox"
SAMPLE_POSTINGS = ROOT / "jobland_pipeline" / "data" / "postings" / "sample_postings.jsonl"
REAL_CVS = Path(__file__).parent / "fixtures" / "cvs"
AS_OF = date(2026, 11, 27)

SAMPLE_CVS = {
    "maria_santos": SAMPLE_INBOX / "maria_santos" / "maria_santos_cv.pdf",
    "wang_fang": SAMPLE_INBOX / "wang_fang" / "王芳_简历.pdf",
    "daniel_okafor": SAMPLE_INBOX / "daniel_okafor" / "Daniel_Okafor_CV.docx",
    "emma_clarke": SAMPLE_INBOX / "emma_clarke" / "emma_clarke_resume.txt",
}


def profile_of(user_id: str) -> tuple[Profile, str]:
    doc = extract_file(SAMPLE_CVS[user_id])
    return build_profile(
        doc.text, user_id=user_id, language=doc.language, cv_sha256=doc.sha256, as_of=AS_OF
    ), doc.text


@pytest.fixture(scope="session")
def sample_profiles() -> dict[str, tuple[Profile, str]]:
    return {user: profile_of(user) for user in SAMPLE_CVS}


@pytest.fixture
def pipeline_env(tmp_path: Path) -> dict[str, str]:
    """Settings pointing every folder at tmp_path, with the sample users in the inbox."""
    home = tmp_path / "var"
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    for user in SAMPLE_CVS:
        shutil.copytree(SAMPLE_INBOX / user, inbox / user)
    return {"JOBLAND_HOME": str(home)}

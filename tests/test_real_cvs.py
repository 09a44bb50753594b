"""Profiles of real CVs (tests/fixtures/cvs): the expected values were read off each CV by a person.

Titles and employers are asserted exactly as the CV writes them; skills are a few the CV clearly names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from jobland_pipeline.documents import extract_file
from jobland_pipeline.profiles import Profile, build_profile
from tests.conftest import AS_OF, REAL_CVS


@dataclass(frozen=True)
class Expected:
    file: str
    name: str
    email: str
    roles: list[tuple[str, str]]  # the first roles, in CV order: (title, employer)
    skills: set[str]
    language: str = "en"
    phone: str | None = None
    location: str | None = None
    also_roles: list[tuple[str, str]] = field(default_factory=list)  # further roles, anywhere after


AWESOME_ROLES = [
    (
        "Founding Member & Site Reliability Engineer & Infrastructure Team Lead",
        "Danggeun Pay Inc. (KarrotPay)",
    ),
    ("Site Reliability Engineer", "Danggeun Market Inc."),
    ("Founding Member & Director of Infrastructure Division", "Kasa"),
]
RENDERCV_ROLES = [
    ("Co-Founder & CTO", "Nexus AI"),
    ("Research Intern", "NVIDIA Research"),
    ("Research Intern", "Google DeepMind"),
    ("Research Intern", "Apple ML Research"),
    ("Research Intern", "Microsoft Research"),
]
RESUME_MATCHER_ROLES = [
    ("Senior Software Engineer", "Stripe"),
    ("Software Engineer", "Figma"),
    ("Software Engineer", "Notion"),
]

CASES = [
    Expected(
        "awesomecv_resume.pdf",
        name="Byungjin Park",
        email="posquit0.bj@gmail.com",
        phone="(+82) 10-9030-1843",
        roles=[("DevOps Engineer", "Dunamu Inc."), *AWESOME_ROLES],
        also_roles=[("Software Architect", "Omnious. Co., Ltd."), ("Software Engineer", "ShitOne Corp.")],
        skills={"Kubernetes", "Terraform", "AWS", "Docker", "Apache Kafka", "Elasticsearch"},
    ),
    Expected(
        "awesomecv_cv.pdf",
        name="Claud D. Park",
        email="posquit0.bj@gmail.com",
        phone="(+82) 10-9030-1843",
        roles=AWESOME_ROLES,
        skills={"Kubernetes", "Terraform", "AWS", "Docker", "Jenkins", "Django", "React", "Node.js"},
    ),
    Expected(
        "rendercv_John_Doe_EngineeringresumesTheme_CV.pdf",
        name="John Doe",
        email="john.doe@email.com",
        location="San Francisco, CA",
        roles=RENDERCV_ROLES,
        skills={"Python", "PyTorch", "JAX", "CUDA", "C++", "Rust", "Kubernetes", "AWS"},
    ),
    Expected(
        "rendercv_John_Doe_ModerncvTheme_CV.pdf",
        name="John Doe",
        email="john.doe@email.com",
        location="San Francisco, CA",
        roles=RENDERCV_ROLES,
        skills={"Python", "PyTorch", "JAX", "CUDA", "C++", "Rust", "Kubernetes", "AWS"},
    ),
    Expected(
        "resumematcher_single-column.pdf",
        name="John Doe",
        email="john.doe@email.com",
        phone="+1 (415) 555-0142",
        location="San Francisco, CA",
        roles=RESUME_MATCHER_ROLES,
        skills={"Go", "Python", "Apache Kafka", "Kubernetes", "PostgreSQL", "Redis", "Docker", "Terraform"},
    ),
    Expected(
        "resumematcher_modern-two-column.pdf",
        name="John Doe",
        email="john.doe@email.com",
        phone="+1 (415) 555-0142",
        location="San Francisco, CA",
        roles=RESUME_MATCHER_ROLES,
        skills={"Go", "Python", "Apache Kafka", "Kubernetes", "PostgreSQL", "Redis", "Docker", "Terraform"},
    ),
    Expected(
        "sb2nov_sourabh_bajaj_resume.pdf",
        name="Sourabh Bajaj",
        email="sourabh@sourabhbajaj.com",
        phone="+1-123-456-7890",
        roles=[("Software Engineer", "Google"), ("Senior Software Engineer", "Coursera")],
        also_roles=[("Research and Teaching Assistant", "Georgia Institute of Technology")],
        skills={"TensorFlow", "Python", "Docker", "AWS", "Amazon Redshift"},
    ),
    Expected(
        "zh_zheyuye_latex_resume.pdf",
        name="卷不过大家",
        email="zheyu.ye18@alumni.imperial.ac.uk",
        language="zh",
        roles=[("建筑工程一线劳动者", "血汗工厂")],
        skills={"Python", "Java"},
    ),
]


@pytest.fixture(scope="module")
def profiles() -> dict[str, Profile]:
    built = {}
    for case in CASES:
        doc = extract_file(REAL_CVS / case.file)
        built[case.file] = build_profile(doc.text, user_id="real", language=doc.language, as_of=AS_OF)
    return built


def test_every_fixture_cv_is_covered() -> None:
    on_disk = {p.name for p in REAL_CVS.iterdir() if p.suffix in {".pdf", ".docx", ".txt"}}
    assert on_disk == {c.file for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_contact(case: Expected, profiles: dict[str, Profile]) -> None:
    p = profiles[case.file]
    assert p.language == case.language
    assert p.contact.name == case.name
    assert p.contact.email == case.email
    if case.phone:
        assert p.contact.phone == case.phone
    if case.location:
        assert p.contact.location == case.location


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_roles(case: Expected, profiles: dict[str, Profile]) -> None:
    found = [(r.title, r.employer) for r in profiles[case.file].roles]
    assert found[: len(case.roles)] == case.roles
    for role in case.also_roles:
        assert role in found[len(case.roles) :]


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_main_skills(case: Expected, profiles: dict[str, Profile]) -> None:
    """Skills are the CV's own words: each expected tool is one of them ("Apache Kafka" or "Kafka")."""
    have = [s.lower() for s in profiles[case.file].skills]

    def named(skill: str) -> bool:
        product = skill.lower().split()[-1]  # "Apache Kafka" may be written "Kafka"
        return any(product in re.split(r"[\s/,()]+", s) or s == skill.lower() for s in have)

    missing = {s for s in case.skills if not named(s)}
    assert not missing, (missing, profiles[case.file].skills)


def test_role_dates_and_locations(profiles: dict[str, Profile]) -> None:
    awesome = profiles["awesomecv_resume.pdf"].roles[0]
    assert (awesome.start, awesome.end, awesome.location) == ("2023-09", "2024-03", "Seoul, S.Korea")
    stripe = profiles["resumematcher_single-column.pdf"].roles[0]
    assert (stripe.start, stripe.is_current, stripe.location) == ("2023-01", True, "San Francisco, CA")
    google = profiles["sb2nov_sourabh_bajaj_resume.pdf"].roles[0]
    assert (google.start, google.is_current, google.location) == ("2016-10", True, "Mountain View, CA")


def test_chinese_template_roles_with_placeholder_dates(profiles: dict[str, Profile]) -> None:
    """ "20xx.xx – 20xx.xx" is a template's unfilled date: the role is kept, its dates are unknown."""
    roles = profiles["zh_zheyuye_latex_resume.pdf"].roles
    assert len(roles) == 2
    assert roles[0].location == "工地" and roles[0].start is None
    # "实习 水手 花式摸鱼工程师 | 精神家园": internship, sailor, "fancy slacking engineer", then the place
    assert roles[1].employer == "远洋邮轮1号" and "花式摸鱼工程师" in roles[1].title
    assert roles[1].bullets[0] == "负责策划麦哲伦五百年纪念活动, 坚持不忘初心"


def test_bullets_stay_with_their_role(profiles: dict[str, Profile]) -> None:
    stripe, figma, _ = profiles["resumematcher_modern-two-column.pdf"].roles[:3]
    assert len(stripe.bullets) == 3 and stripe.bullets[0].startswith(
        "Designed and implemented real-time fraud"
    )
    assert stripe.bullets[-1].endswith("ensuring clean, testable code practices")
    assert figma.bullets[0].startswith("Built collaborative editing infrastructure")
    dunamu = profiles["awesomecv_resume.pdf"].roles[0]
    assert [b[:20] for b in dunamu.bullets] == ["Led service mesh tec", "Designed Terraform m"]


def test_small_caps_and_tex_word_gaps_keep_their_spaces() -> None:
    text = extract_file(REAL_CVS / "awesomecv_resume.pdf").text
    assert "DevOps Engineer · Software Architect" in text
    assert "Work Experience" in text
    assert "Sep. 2023 - Mar. 2024" in text  # the drawn hyphen is kept, not dropped as a soft hyphen


def test_running_page_footers_are_dropped() -> None:
    text = extract_file(REAL_CVS / "awesomecv_resume.pdf").text
    assert "Résumé 1" not in text and "Résumé 2" not in text

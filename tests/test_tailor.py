"""The offline tailor re-orders the CV's own facts for a posting, keeps every section, adds nothing."""

from __future__ import annotations

from jobland_pipeline.generation import check_grounding, tailor_cv
from jobland_pipeline.generation.formats import render_cv
from jobland_pipeline.generation.tailor import keyword_coverage
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Contact, Education, Entry, Profile, Role

STUDENT_CV = """Lea Moreau
lea.moreau@example.com | Lyon, France | https://github.com/lea-moreau-example

PROFILE
Computer science student looking for a first data engineering internship.

PROJECTS
Transit delay dashboard
- Built a Python pipeline that loads 2 years of open transit data into PostgreSQL every night.
- Drew delay heat maps with Plotly for the city's 14 tram lines.
Recipe recommender
- Trained a small collaborative-filtering model on 40,000 ratings with scikit-learn.

EDUCATION
BSc Computer Science - Université Lumière Lyon 2, 2026

AWARDS
- Second prize, Lyon Open Data Hackathon 2025

LANGUAGES
French (native), English (C1)
"""

NURSE_CV = """Ana Ruiz
ana.ruiz@example.com | +1 312 555 0101 | Chicago, IL

SUMMARY
ICU nurse with seven years of practice in a 24-bed unit.

EXPERIENCE
ICU Registered Nurse - Lakeside General Hospital, Chicago, IL
March 2019 - present
- Cared for two to three critically ill patients per shift in a 24-bed ICU.
- Titrated vasoactive drips and sedation under protocol; orchestrated K8s-style bed boards.
- Advised the hospital's Con- sul of patient safety on the falls audit.
- Managed continuous renal replacement therapy (CRRT) circuits and troubleshooting.

CERTIFICATIONS
- Registered Professional Nurse, State of Illinois — Active, expires 05/2026, licence 041.123456
- CCRN (Adult), AACN, 2021

PUBLICATIONS
- Early mobility in the ICU, Critical Care Nursing Quarterly, 2023

VOLUNTEERING
- Free blood-pressure clinics at the Pilsen community centre

LANGUAGES
English (native), Spanish (fluent)
"""


def _student() -> Profile:
    return Profile(
        user_id="lea",
        language="en",
        extractor_version="test",
        as_of="2026-11-27",
        contact=Contact(
            name="Lea Moreau",
            email="lea.moreau@example.com",
            location="Lyon, France",
            links=["https://github.com/lea-moreau-example"],
        ),
        summary="Computer science student looking for a first data engineering internship.",
        skills=["Python", "PostgreSQL", "Plotly", "scikit-learn"],
        projects=[
            Entry(
                title="Recipe recommender",
                bullets=[
                    "Trained a small collaborative-filtering model on 40,000 ratings with scikit-learn."
                ],
            ),
            Entry(
                title="Transit delay dashboard",
                bullets=[
                    "Drew delay heat maps with Plotly for the city's 14 tram lines.",
                    "Built a Python pipeline that loads 2 years of open transit data into PostgreSQL every night.",
                ],
            ),
        ],
        education=[
            Education(
                degree="BSc Computer Science",
                institution="Université Lumière Lyon 2",
                year="2026",
                text="BSc Computer Science - Université Lumière Lyon 2, 2026",
            )
        ],
        awards=["Second prize, Lyon Open Data Hackathon 2025"],
        languages=["French (native)", "English (C1)"],
    )


def _nurse() -> Profile:
    return Profile(
        user_id="ana",
        language="en",
        extractor_version="test",
        as_of="2026-11-27",
        contact=Contact(
            name="Ana Ruiz", email="ana.ruiz@example.com", phone="+1 312 555 0101", location="Chicago, IL"
        ),
        headline="ICU Registered Nurse",
        summary="ICU nurse with seven years of practice in a 24-bed unit.",
        skills=["vasoactive drips", "sedation", "CRRT", "K8s"],
        skills_listed=["vasoactive drips", "sedation", "CRRT"],
        roles=[
            Role(
                title="ICU Registered Nurse",
                employer="Lakeside General Hospital",
                location="Chicago, IL",
                start="2019-03",
                is_current=True,
                dates_text="March 2019 - present",
                bullets=[
                    "Cared for two to three critically ill patients per shift in a 24-bed ICU.",
                    "Titrated vasoactive drips and sedation under protocol; orchestrated K8s-style bed boards.",
                    "Advised the hospital's Con- sul of patient safety on the falls audit.",
                    "Managed continuous renal replacement therapy (CRRT) circuits and troubleshooting.",
                ],
            )
        ],
        certifications=[
            "Registered Professional Nurse, State of Illinois — Active, expires 05/2026, licence 041.123456",
            "CCRN (Adult), AACN, 2021",
        ],
        publications=["Early mobility in the ICU, Critical Care Nursing Quarterly, 2023"],
        other_sections={"volunteer": ["Free blood-pressure clinics at the Pilsen community centre"]},
        languages=["English (native)", "Spanish (fluent)"],
    )


DATA_POSTING = Posting(
    id="p-data",
    title="Data Engineering Intern",
    company="Rivet Analytics",
    description=(
        "We build dashboards for public transport operators.\n\n"
        "Requirements\n- Python and PostgreSQL\n- Experience building data pipelines for transit data\n"
        "- Kubernetes and Airflow\n"
    ),
)
ICU_POSTING = Posting(
    id="p-icu",
    title="ICU Nurse",
    company="Mercy Heights",
    description=(
        "Requirements\n- Experience managing CRRT circuits in a critical care unit\n"
        "- Kubernetes knowledge for our bed-board platform\n- CCRN preferred\n"
    ),
)


def _md(cv) -> str:  # type: ignore[no-untyped-def]
    return render_cv(cv)["tailored_cv.md"].decode()


def test_a_project_only_cv_keeps_its_projects() -> None:
    profile = _student()
    cv = tailor_cv(profile, DATA_POSTING)
    assert cv.roles == []
    assert [p.title for p in cv.projects] == [
        "Transit delay dashboard",
        "Recipe recommender",
    ]  # relevant first
    assert cv.projects[0].bullets[0].startswith("Built a Python pipeline")  # the bullet the posting asks for
    md = _md(cv)
    assert "## Projects" in md and "### Transit delay dashboard" in md and "### Recipe recommender" in md
    for bullet in (b for p in profile.projects for b in p.bullets):
        assert f"- {bullet}" in md
    assert "Second prize, Lyon Open Data Hackathon 2025" in md
    assert "https://github.com/lea-moreau-example" in md and "Lyon, France" in md
    assert check_grounding(cv, profile, STUDENT_CV) == []


def test_certificates_stay_whole_and_every_section_is_kept() -> None:
    profile = _nurse()
    cv = tailor_cv(profile, ICU_POSTING)
    assert cv.certifications == profile.certifications
    md = _md(cv)
    assert (
        "- Registered Professional Nurse, State of Illinois — Active, expires 05/2026, licence 041.123456"
        in md
    )
    assert "- Early mobility in the ICU, Critical Care Nursing Quarterly, 2023" in md
    assert "## Volunteering" in md and "Pilsen community centre" in md
    assert "English (native) · Spanish (fluent)" in md
    assert "Lakeside General Hospital" in md and "March 2019 - present · Chicago, IL" in md
    assert "ICU nurse with seven years of practice in a 24-bed unit." in md


def test_hyphenation_broken_by_a_pdf_is_repaired() -> None:
    profile = _nurse()
    cv = tailor_cv(profile, ICU_POSTING)
    bullets = cv.roles[0].bullets
    assert "Advised the hospital's Consul of patient safety on the falls audit." in bullets
    assert not any("Con- sul" in b for b in bullets)
    assert check_grounding(cv, profile, NURSE_CV) == []  # the CV's "Con- sul" grounds "Consul"


def test_a_skill_the_cv_lacks_never_appears_even_when_the_posting_names_it() -> None:
    profile = _nurse()
    cv = tailor_cv(profile, ICU_POSTING)
    md = _md(cv)
    assert "kubernetes" not in md.lower()  # the CV only says "K8s": no alias becomes a claimed skill
    assert "Kubernetes" in cv.keywords_missing
    assert "CRRT" in cv.keywords_covered and "CRRT" not in cv.keywords_missing
    assert cv.skills[0] == "CRRT"  # the posting names it: it leads
    assert "K8s" not in cv.skills  # a tool from a bullet, not in the skills section, not asked for


def test_bullets_most_relevant_to_the_requirements_come_first() -> None:
    profile = _nurse()
    cv = tailor_cv(profile, ICU_POSTING)
    assert cv.roles[0].bullets[0].startswith("Managed continuous renal replacement therapy (CRRT)")
    assert sorted(cv.roles[0].bullets) == sorted(
        b.replace("Con- sul", "Consul") for b in profile.roles[0].bullets
    )
    assert (cv.roles[0].title, cv.roles[0].employer, cv.roles[0].dates_text) == (
        "ICU Registered Nurse",
        "Lakeside General Hospital",
        "March 2019 - present",
    )


def test_keyword_coverage_counts_the_postings_distinctive_terms() -> None:
    assert keyword_coverage(
        "Python pipelines into PostgreSQL for transit data", DATA_POSTING
    ) > keyword_coverage("Drew heat maps", DATA_POSTING)
    assert keyword_coverage("anything", Posting(id="x", title="Job", company="Co", description="")) == 1.0

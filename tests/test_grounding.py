"""Grounding reads the CV's literal text: every invention is refused, once, with its reason."""

from __future__ import annotations

import json
from datetime import date

from jobland_pipeline.generation import build_package, check_grounding, tailor_cv
from jobland_pipeline.generation.grounding import check_document, cv_claims, years_stated
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Contact, Profile, Role
from jobland_pipeline.screening.models import Screening

CV_TEXT = """Ana Ruiz
ana.ruiz@example.com | +1 312 555 0101 | Chicago, IL

SUMMARY
ICU nurse with seven years of practice in a 24-bed unit.

EXPERIENCE
ICU Registered Nurse - Lakeside General Hospital, Chicago, IL
March 2019 - present
- Cared for two to three critically ill patients per shift in a 24-bed ICU.
- Titrated vasoactive drips and sedation under protocol.
- Coordinated admissions from the emergency department with the bed manager; orchestrated K8s bed boards.

CERTIFICATIONS
- CCRN (Adult), AACN, 2021

LANGUAGES
English (native), Spanish (fluent)
"""


def _profile() -> Profile:
    return Profile(
        user_id="ana",
        language="en",
        extractor_version="test",
        as_of="2026-11-27",
        contact=Contact(
            name="Ana Ruiz", email="ana.ruiz@example.com", phone="+1 312 555 0101", location="Chicago, IL"
        ),
        summary="ICU nurse with seven years of practice in a 24-bed unit.",
        skills=["vasoactive drips", "sedation", "K8s"],
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
                    "Titrated vasoactive drips and sedation under protocol.",
                    "Coordinated admissions from the emergency department with the bed manager; "
                    "orchestrated K8s bed boards.",
                ],
            )
        ],
        certifications=["CCRN (Adult), AACN, 2021"],
        languages=["English (native)", "Spanish (fluent)"],
        years_experience=7.7,
    )


POSTING = Posting(
    id="p1",
    title="ICU Nurse",
    company="Mercy Heights",
    location="Chicago, IL",
    description="Requirements\n- CCRN\n- Titration of vasoactive drips\n- Kubernetes for the bed-board platform\n",
)


def _screening() -> Screening:
    return Screening(
        posting_id="p1",
        score=80,
        probability="High",
        reasons=["The title matches your experience as ICU Registered Nurse"],
        matched_skills=["vasoactive drips"],
        missing_skills=["Kubernetes for the bed-board platform"],
        deal_breakers=[],
        components={},
        method="test",
    )


def _lying_cv():  # type: ignore[no-untyped-def]
    """An LLM-style tailoring with four inventions: a role, a number, a tool, a certification."""
    cv = tailor_cv(_profile(), POSTING)
    lie = cv.model_copy(deep=True)
    lie.roles.append(
        Role(
            title="Charge Nurse", employer="Mayo Clinic", dates_text="2015 - 2019", bullets=["Ran the unit."]
        )
    )
    i = next(i for i, b in enumerate(lie.roles[0].bullets) if b.startswith("Cared for"))
    lie.roles[0].bullets[i] = "Cared for two to three critically ill patients each shift in a 500-bed ICU."
    j = next(i for i, b in enumerate(lie.roles[0].bullets) if b.startswith("Titrated"))
    lie.roles[0].bullets[j] = "Titrated vasoactive drips and sedation under protocol in Epic."
    lie.certifications.append("Certified Emergency Nurse (CEN)")
    return lie


def test_the_offline_tailoring_is_grounded_item_by_item() -> None:
    claims = cv_claims(tailor_cv(_profile(), POSTING), _profile(), CV_TEXT)
    assert claims and all(c.ok for c in claims)
    kinds = {c.kind for c in claims}
    assert {"contact", "role", "employer", "dates", "bullet", "certification", "language", "skill"} <= kinds


def test_a_lying_llm_cv_is_refused_with_one_issue_per_invention() -> None:
    issues = check_grounding(_lying_cv(), _profile(), CV_TEXT)
    assert len(issues) == 4, issues
    for invention in ("Mayo Clinic", "500", "Epic", "Certified Emergency Nurse (CEN)"):
        assert sum(invention in issue for issue in issues) == 1, (invention, issues)
    assert any(i.startswith("employer not in the CV: Mayo Clinic") for i in issues)
    assert any(i.startswith("number not in the CV: 500") for i in issues)


def test_a_faithful_rewording_passes_and_an_untraceable_bullet_does_not() -> None:
    cv = tailor_cv(_profile(), POSTING).model_copy(deep=True)
    cv.roles[0].bullets = [
        "Titrated vasoactive drips and sedation by protocol for critically ill patients.",
        "Delivered a hospital-wide wellbeing programme.",
    ]
    issues = check_grounding(cv, _profile(), CV_TEXT)
    assert issues == [
        "bullet not traceable to a bullet of ICU Registered Nurse at Lakeside General Hospital on the CV: "
        "Delivered a hospital-wide wellbeing programme. (roles[0].bullets[1])"
    ]


def test_an_alias_never_grounds_a_skill() -> None:
    cv = tailor_cv(_profile(), POSTING).model_copy(deep=True)
    cv.skills.append("Kubernetes")  # the CV says "K8s"
    assert check_grounding(cv, _profile(), CV_TEXT) == ["skill not in the CV: Kubernetes (skills[3])"]
    failed = [c for c in check_document("I run Kubernetes clusters.", CV_TEXT) if not c.ok]
    assert [(c.kind, c.text) for c in failed] == [("name", "Kubernetes")]
    assert all(c.ok for c in check_document("I orchestrated K8s bed boards.", CV_TEXT))


def test_years_of_experience_must_be_the_cvs_own() -> None:
    assert years_stated(CV_TEXT) == {7}
    assert years_stated("Treize ans en cuisine") == {13} and years_stated("八年公司与并购法律实务经验") == {8}
    for ok in ("I have seven years of practice.", "I have 7 years of practice.", "J'ai sept ans de métier."):
        assert all(c.ok for c in check_document(ok, CV_TEXT)), ok
    for bad in (
        "I bring 8 years of experience.",
        "With over ten years in critical care,",
        "我拥有十年经验。",
    ):
        failed = [c for c in check_document(bad, CV_TEXT) if not c.ok]
        assert [c.kind for c in failed] == ["years of experience"], (bad, failed)


def test_proficiency_words_must_be_the_cvs_own_about_the_same_thing() -> None:
    assert all(c.ok for c in check_document("I speak Spanish (fluent).", CV_TEXT))
    assert all(c.ok for c in check_document("I am fluent in Spanish.", CV_TEXT))
    french = [c for c in check_document("I am fluent in French.", CV_TEXT) if not c.ok]
    assert {c.kind for c in french} == {"proficiency", "name"}  # "fluent" is about Spanish; French is absent
    expert = [c for c in check_document("I am an expert in sedation.", CV_TEXT) if not c.ok]
    assert [(c.kind, c.text) for c in expert] == [("proficiency", "expert")]
    assert [c.kind for c in check_document("我精通日语。", CV_TEXT) if not c.ok] == ["proficiency"]


def test_numbers_dates_emails_urls_and_names_need_a_source() -> None:
    text = (
        "Reach me at ana.ruiz@example.com or ana@elsewhere.example, see https://portfolio.example.org. "
        "I worked at St. Jude Children's Hospital from 03/2014, caring for 40 patients, and hold the CCRN."
    )
    failed = {(c.kind, c.text) for c in check_document(text, CV_TEXT) if not c.ok}
    assert failed == {
        ("e-mail", "ana@elsewhere.example"),
        ("URL", "https://portfolio.example.org"),
        ("name", "St. Jude Children's Hospital"),
        ("date", "03/2014"),
        ("number", "40"),
    }
    company = check_document(
        "Mercy Heights opened in 1921.", CV_TEXT, context={"the dossier": "Founded in 1921."}
    )
    assert [c.ok for c in company if c.kind == "year"] == [True]  # a company fact may come from the dossier
    assert not [c for c in check_document("上海澜桥律师事务所", "我在上海浦江律师事务所工作") if c.ok]


def test_the_posting_title_repeated_word_for_word_is_a_quote_not_a_claim() -> None:
    title = "Research Methods - Subject Matter Expert - Onsite in Albania - 2 years"
    letter = f"I am writing to apply for the {title} position."
    assert [c for c in check_document(letter, CV_TEXT) if not c.ok]  # without the name: two false claims
    checked = check_document(letter, CV_TEXT, names={"the posting's title": title})
    assert all(c.ok for c in checked), [c for c in checked if not c.ok]
    # Outside the title the same words are still the person's claims.
    claim = f"I am writing to apply for the {title} position. I am an expert with 2 years of practice."
    failed = [c for c in check_document(claim, CV_TEXT, names={"the posting's title": title}) if not c.ok]
    assert sorted(c.kind for c in failed) == ["proficiency", "years of experience"]


def test_a_number_with_a_thousands_suffix_is_one_number() -> None:
    cv = "Open-source CLI tool with 2.5K GitHub stars."
    assert all(c.ok for c in check_document("A CLI tool with 2.5K GitHub stars.", cv))
    failed = [c for c in check_document("A CLI tool with 3.5K GitHub stars.", cv) if not c.ok]
    assert [(c.kind, c.text) for c in failed] == [("number", "3.5K")]


def test_the_package_carries_a_machine_readable_report() -> None:
    package = build_package(
        _profile(), POSTING, _screening(), None, cv_text=CV_TEXT, today=date(2026, 11, 27), cv=_lying_cv()
    )
    assert not package.ok
    report = json.loads(json.dumps(package.grounding_report))  # JSON-ready as it stands
    assert report["ok"] is False
    docs = report["documents"]
    assert set(docs) == {"tailored_cv", "tailored_cv.md", "cover_letter.md", "cheat_sheet.md"}
    cv_doc = docs["tailored_cv"]
    assert cv_doc["failed"] == 4 and cv_doc["checked"] == cv_doc["passed"] + cv_doc["failed"]
    assert all(f["why"].startswith("not in the CV") for f in cv_doc["failures"])
    assert all({"kind", "text", "ok", "why", "where"} <= set(c) for c in cv_doc["claims"])
    assert docs["cover_letter.md"]["checked"] > 5
    # The letter quotes the tailored CV's most relevant bullets: the invented tool is caught there too.
    assert [(f["kind"], f["claim"]) for f in docs["cover_letter.md"]["failures"]] == [("name", "Epic")]
    assert sum("Mayo Clinic" in issue for issue in package.grounding_issues) == 1

    honest = build_package(_profile(), POSTING, _screening(), None, cv_text=CV_TEXT, today=date(2026, 11, 27))
    assert honest.ok, honest.grounding_issues
    assert honest.grounding_report["ok"] is True and honest.language == "en"


def test_placeholder_text_from_the_cv_itself_is_refused_with_a_fix() -> None:
    """A template's "xxx" left in the CV must not reach an employer; the user is told where to fix it."""
    profile = _profile()
    profile.roles[0].bullets[1] = "Titrated vasoactive drips and sedation at xxx Hospital under protocol."
    text = CV_TEXT.replace("and sedation under protocol", "and sedation at xxx Hospital under protocol")
    package = build_package(profile, POSTING, _screening(), None, cv_text=text, today=date(2026, 11, 27))
    assert not package.ok and not package.grounding_issues
    assert any("xxx" in p and "replace it there" in p for p in package.placeholder_issues), (
        package.placeholder_issues
    )


def test_the_name_and_email_from_the_users_settings_are_their_own() -> None:
    """settings.yaml may give another e-mail or a fuller name than the CV; the user wrote them, so the
    package states them without being refused. An e-mail or name from nowhere is still refused."""
    profile = _profile()
    profile.contact.email = "ana.jobs@example.org"  # what profiles.stage does with settings.email
    profile.contact.name = "Ana M. Ruiz"  # ... and settings.name
    package = build_package(profile, POSTING, _screening(), None, cv_text=CV_TEXT, today=date(2026, 11, 27))
    assert package.ok, package.grounding_issues
    claims = {c["text"]: c["why"] for c in package.grounding_report["documents"]["tailored_cv"]["claims"]}
    assert claims["ana.jobs@example.org"] == claims["Ana M. Ruiz"] == "your contact details"
    assert "Ana M. Ruiz" in str(package.files["tailored_cv.md"])

    stranger = check_document("Write to ana.other@example.org, Ana Q. Ruiz.", CV_TEXT)
    assert {c.text for c in stranger if not c.ok} >= {"ana.other@example.org"}
    # The settings' address grounds itself only: not the employer, year or shorter address inside it.
    contact = Contact(name="Ana M. Ruiz", email="ana1987.ruiz@deloitte.com")
    letter = (
        "I worked at Deloitte since 1987. Write to ruiz@deloitte.com or ana1987.ruiz@deloitte.com. M. Ruiz"
    )
    failed = {c.text for c in check_document(letter, CV_TEXT, contact=contact) if not c.ok}
    assert {"Deloitte", "1987", "ruiz@deloitte.com"} <= failed
    assert not failed & {"ana1987.ruiz@deloitte.com", "M. Ruiz"}

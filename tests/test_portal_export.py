"""CVs exported by a job portal as labelled blocks (``profiles/portal.py``).

The texts are made up here in the layout of the 166 real exports of
``../shared/fixtures/real/labeled/UpdatedResumeDataSet_categories.csv`` (no licence stated, so none is
copied): headings glued to the line before, the designation inside the education block, skills with
an experience note, "company - " / "description - " pairs.
"""

from __future__ import annotations

from datetime import date

from jobland_pipeline.profiles import build_profile, suggest_titles
from jobland_pipeline.profiles.portal import read_export

EXPORT = (
    "TECHNICAL SKILLS * Photoshop * Illustrator * HTML5Education Details \r\n"
    "January 2016 B.Sc. Information Technology Pune, Maharashtra Pune University\r\n"
    "January 2012 HSC  Pune, Maharashtra State Board\r\n"
    "Web and Graphics Designer \r\n"
    "\r\n"
    "Web and Graphics Designer - Lotus Media Works, Pune\r\n"
    "Skill Details \r\n"
    "BOOTSTRAP- Experience - 24 months\r\n"
    "HTML5- Exprience - Less than 1 year months\r\n"
    "Corel Draw, Photoshop- Experience - 12 monthsCompany Details \r\n"
    "company - Lotus Media Works\r\n"
    "description - Designed landing pages and brochures for retail clients.\r\n"
    "Built responsive templates with Bootstrap.\r\n"
    "company - \r\n"
    "description - \r\n"
)


def test_an_export_is_laid_out_with_the_headings_the_parser_reads() -> None:
    export = read_export(EXPORT)
    assert export is not None
    assert export.designation == [
        "Web and Graphics Designer",
        "Web and Graphics Designer - Lotus Media Works, Pune",
    ]
    lines = export.text.split("\n")
    # the list flattened before the blocks, after the designation lines
    assert lines[2:6] == ["Skills", "Photoshop", "Illustrator", "HTML5"]
    education = lines.index("Education")
    skills, experience = lines.index("Skills", education), lines.index("Experience")
    assert lines[education + 1 : skills] == [
        "January 2016 B.Sc. Information Technology Pune, Maharashtra Pune University",
        "January 2012 HSC  Pune, Maharashtra State Board",
    ]
    assert lines[skills + 1 : experience] == ["BOOTSTRAP", "HTML5", "Corel Draw, Photoshop"]
    assert lines[experience + 1 :] == [
        "Lotus Media Works",
        "- Designed landing pages and brochures for retail clients.",
        "- Built responsive templates with Bootstrap.",
    ]  # the empty company pair is dropped


def test_the_profile_of_an_export_has_its_headline_degrees_and_skills_and_no_name() -> None:
    profile = build_profile(EXPORT, user_id="u", as_of=date(2026, 12, 1))
    assert profile.headline == "Web and Graphics Designer"
    assert profile.contact.name is None  # the designation is never read as the person's name
    assert profile.education and "B.Sc. Information Technology" in profile.education[0].degree
    assert not any("Designer" in e.text for e in profile.education)
    assert {"BOOTSTRAP", "HTML5", "Corel Draw", "Photoshop"} <= set(profile.skills_listed)
    titles = [t.title for t in suggest_titles(profile)]
    assert titles and titles[0] == "Web and Graphics Designer"


def test_a_field_alone_as_designation_is_no_headline() -> None:
    """ "HR" names a field, not a job: no title is made up from it."""
    text = EXPORT.replace(
        "Web and Graphics Designer \r\n\r\nWeb and Graphics Designer - Lotus Media Works, Pune", "HR"
    )
    profile = build_profile(text, user_id="u", as_of=date(2026, 12, 1))
    assert profile.headline is None
    assert profile.contact.name is None


def test_job_nouns_of_the_exports_are_headlines() -> None:
    for designation in ("Automation Tester", "Advocate", "Fitness Trainer", "Health Coach"):
        text = EXPORT.replace("Web and Graphics Designer", designation)
        assert build_profile(text, user_id="u", as_of=date(2026, 12, 1)).headline == designation


def test_an_honorific_or_a_surname_outside_an_export_is_still_a_name() -> None:
    """ "Advocate" and "Coach" name the job in an export's designation only: on a CV's first line they
    are part of the person's name."""
    for name in ("Advocate Priya Sharma", "Jane Coach"):
        profile = build_profile(f"{name}\nDelhi, India\nExperience\n", user_id="u", as_of=date(2026, 12, 1))
        assert profile.contact.name == name
        assert profile.headline is None


def test_a_cv_that_is_no_export_is_left_as_it_is() -> None:
    cv = "Jane Doe\nEducation Details\nBSc Physics, 2019\nSkills\nPython\nExperience\nAnalyst, Acme, 2020 - 2024"
    assert read_export(cv) is None  # one block heading of the three is no export
    assert read_export(EXPORT.replace("Company Details", "Company")) is None
    # a CV that uses the three headings itself, its companies not written "company - ...": its headline stays
    headed = (
        "Jane Doe\nSenior Java Developer\nEducation Details\nBSc Computing, Pune University, 2012\n"
        "Skill Details\nJava, Spring\nCompany Details\nAcme Corp, Pune  2015 - 2020\n- Built APIs\n"
    )
    assert read_export(headed) is None
    profile = build_profile(headed, user_id="u", as_of=date(2026, 12, 1))
    assert (profile.contact.name, profile.headline) == ("Jane Doe", "Senior Java Developer")
    # the three phrases inside a sentence are no headings
    sentence = "- Kept employee Education Details, Skill Details and Company Details in the HRMS\n"
    assert read_export("Jane Doe\nHR Trainee, Beta Corp\n" + sentence) is None


def test_no_line_of_an_export_becomes_the_name() -> None:
    """The portal keeps the name apart: with no free text before the blocks, the first lines left are
    degrees and employers, and none of them is read as one."""
    text = EXPORT.replace("TECHNICAL SKILLS * Photoshop * Illustrator * HTML5", "").replace(
        "January 2016 B.Sc. Information Technology Pune, Maharashtra Pune University",
        "BCA   Vinayaka University",
    )
    profile = build_profile(text, user_id="u", as_of=date(2026, 12, 1))
    assert profile.contact.name is None
    assert profile.headline == "Web and Graphics Designer"


def test_a_heading_inside_a_description_holds_only_the_rest_of_that_description() -> None:
    """A company's description often carries the rest of the CV with its own headings ("Technical
    Skills"); the next company is experience again, never a skill."""
    text = EXPORT.replace(
        "Built responsive templates with Bootstrap.\r\n",
        "Technical Skills\r\nSublime Text, Xampp\r\ncompany - Exposys Pvt. Ltd\r\n"
        "description - Pune. January 2017 to December 2018\r\n",
    )
    profile = build_profile(text, user_id="u", as_of=date(2026, 12, 1))
    assert "Sublime Text" in profile.skills_listed
    assert not any("Exposys" in s or "2017" in s for s in profile.skills_listed)


def test_the_blocks_are_cut_at_the_first_heading_of_each_kind_in_one_pass() -> None:
    """Headings repeated thousands of times (a pasted or hostile text) are read in one pass: the first
    line ending in each heading cuts the text, and "Company Details" only counts where a company line
    follows it."""
    text = "Education Details\n" * 2000 + "Skill Details\n" * 2000 + "Company Details\n" * 2000 + "x"
    assert read_export(text) is None  # no company line after any "Company Details"
    export = read_export(text.removesuffix("x") + "company - Acme Ltd\ndescription - Built things\n")
    assert export is not None
    assert "Experience\nAcme Ltd\n- Built things" in export.text


def test_a_skills_list_flattened_before_the_blocks_is_read_as_skills() -> None:
    """Most exports open with the skills list as one line ("TECHNICAL SKILLS • Photoshop • ..."): its
    items are skills, not header text."""
    text = EXPORT.replace(
        "TECHNICAL SKILLS * Photoshop * Illustrator * HTML5",
        "KEY SKILLS: • Corel Draw • Adobe InDesign • Figma",
    )
    profile = build_profile(text, user_id="u", as_of=date(2026, 12, 1))
    assert {"Corel Draw", "Adobe InDesign", "Figma"} <= set(profile.skills_listed)
    other = EXPORT.replace("TECHNICAL SKILLS * Photoshop * Illustrator * HTML5", "Personal traits * Punctual")
    assert "Punctual" not in build_profile(other, user_id="u", as_of=date(2026, 12, 1)).skills_listed

"""Where the posting's text says the work is, relocation it requires, and credentials the role is open only to.

Job boards often list a posting under the city that was searched: the title or text ("Requires
relocation to ...", "On-site in ...", "Location: ...") then says where the job really is. Such a
place outranks the listing's location when it is in another country or state; "relocation required"
is a deal-breaker for someone who will not relocate; "open only to X certified teachers" is a
credential demand. Negated or benign wording changes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from jobland_pipeline.messages import MESSAGES, say
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles import build_profile
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.screening import Preferences, screen_postings
from jobland_pipeline.screening.demands import read_demands

AS_OF = date(2026, 12, 1)

CV = """Jordan Rivera
Secondary Science Teacher

Email: jordan@example.com
Location: Portland, OR

SUMMARY
Chemistry and physics teacher with eight years in public high schools.

EXPERIENCE

Science Teacher | Lincoln High School, Portland, OR
08/2018 - Present
- Teaches chemistry and physics to grades 10-12; designs labs and assessments.
- Coaches the science olympiad team.

EDUCATION
M.Ed. Science Education, Portland State University

CERTIFICATIONS
Oregon Preliminary Teaching License, Chemistry and Physics
{extra}
SKILLS
Lab safety; differentiated instruction; Google Classroom
"""

STAYS = Preferences(willing_to_relocate=False, locations=["Portland, OR"])
MOVES = Preferences(willing_to_relocate=True)

JOB = (
    "Teach chemistry and physics to high school students. Plan labs, assess students and work with "
    "the science department.\n\nRequirements\n- Experience teaching high school science\n"
)


def person(extra: str = "") -> tuple[Profile, str]:
    text = CV.format(extra=extra)
    return build_profile(text, user_id="jordan", as_of=AS_OF), text


def posting(pid: str, description: str, **kw: object) -> Posting:
    base: dict[str, object] = {
        "title": "High School Science Teacher",
        "company": "Example Schools",
        "location": "Portland, OR",  # the searched city, as the listing gives it
        "remote": False,
        "employment_type": "full-time",
        "description": description,
    }
    base.update(kw)
    return Posting(id=pid, **base)  # type: ignore[arg-type]


def breakers(postings: list[Posting], prefs: Preferences, extra: str = "") -> dict[str, list[str]]:
    profile, text = person(extra)
    return {
        s.posting_id: list(s.deal_breakers)
        for s in screen_postings(profile, postings, cv_text=text, prefs=prefs)
    }


RELOCATION = say("relocation", "en", what="x").split("(")[0]  # "Requires relocation "


# Rule 1: a place the title or text states with a strong cue.


def test_a_place_stated_in_another_country_or_state_is_where_the_work_is() -> None:
    found = breakers(
        [
            posting("title", JOB, title="Chemistry Teacher - On-site in Nairobi - 2 year contract"),
            posting("label", "Location: Denver, CO\n\n" + JOB),
            posting("role", "This position is based in Calgary, Alberta.\n\n" + JOB),
            posting("onsite", "This is an onsite role in Lagos.\n\n" + JOB),
        ],
        STAYS,
    )
    assert any("Lagos" in r and "outside the area" in r for r in found["onsite"]), found["onsite"]
    assert any("Nairobi" in r and "Portland" in r for r in found["title"]), found["title"]
    assert any("right to work in KE" in r for r in found["title"]), found["title"]
    assert any("Denver" in r and "outside the area" in r for r in found["label"]), found["label"]
    assert any("Calgary" in r for r in found["role"]), found["role"]


@pytest.mark.parametrize(
    ("listed", "stated"),
    [("Cambridge, MA", "Cambridge"), ("Atlanta, GA", "Georgia"), ("London, ON, Canada", "London")],
)
def test_a_lone_name_is_read_in_the_listings_country(listed: str, stated: str) -> None:
    text = f"Location: {stated}\n\n{JOB}"
    demands = read_demands(posting("p", text, location=listed), text)
    assert demands.stated_places == [] and demands.places[0].name == listed.split(",")[0]


def test_the_stated_place_replaces_the_listing_only_when_it_contradicts_it() -> None:
    text_place = read_demands(posting("x", "Location: Denver, CO\n" + JOB), "Location: Denver, CO\n" + JOB)
    assert [p.name for p in text_place.places][:1] == ["Denver"]
    assert [p.name for p in text_place.stated_places][:1] == ["Denver"]
    same = "Location: Portland, OR\n" + JOB
    listed = read_demands(posting("y", same), same)
    assert [p.name for p in listed.places][:1] == ["Portland"] and listed.stated_places == []


@pytest.mark.parametrize(
    "description",
    [
        "Location: Portland, OR\n\n" + JOB,  # the listing's own place
        "Example Schools, a network based in Seattle, WA, runs twelve campuses.\n\n" + JOB,  # weak cue
        "We partner with science museums in Nairobi and Lima for summer trips.\n\n" + JOB,
        "There is no need to relocate to Denver: the job is at our Portland campus.\n\n" + JOB,
    ],
)
def test_benign_mentions_of_other_places_change_nothing(description: str) -> None:
    found = breakers([posting("p", description)], STAYS)
    assert found["p"] == []


# Rule 2: relocation required, for a person who will not relocate.


def test_required_relocation_is_a_deal_breaker_for_someone_who_stays() -> None:
    found = breakers(
        [
            posting("title", JOB, title="Physics Teacher (Requires Relocation to Doha)"),
            # The listing names no place, or one the person already said is outside their area.
            posting("text", "Relocation is required for this post.\n\n" + JOB, location=""),
            posting("need", "You will need to relocate to Auckland.\n\n" + JOB),
            posting(
                "must",
                JOB + "- Must be willing to relocate within the district network\n",
                location="Boise, ID",
            ),
        ],
        STAYS,
    )
    assert any(r.startswith(RELOCATION) and "Requires Relocation to Doha" in r for r in found["title"])
    assert any("Doha" in r and "outside the area" in r for r in found["title"]), found["title"]
    assert any(r.startswith(RELOCATION) for r in found["text"]), found["text"]
    assert any(r.startswith(RELOCATION) for r in found["must"]), found["must"]
    assert any(r.startswith(RELOCATION) and "Auckland" in r for r in found["need"]), found["need"]


@pytest.mark.parametrize(
    "description",
    [
        "No relocation required: you teach at our Portland campus.\n\n" + JOB,
        "Relocation not required.\n\n" + JOB,
        "Relocation is not required for this role.\n\n" + JOB,
        "Relocation assistance available for teachers moving from out of state.\n\n" + JOB,
        "We do not require relocation.\n\n" + JOB,
        "If relocation is required, a relocation package is provided.\n\n" + JOB,
        "The role may require relocation in later years.\n\n" + JOB,
        "If you need to relocate, we will help with moving costs.\n\n" + JOB,
    ],
)
def test_negated_or_offered_relocation_is_no_deal_breaker(description: str) -> None:
    found = breakers([posting("p", description)], STAYS)
    assert found["p"] == []
    assert read_demands(posting("p", description), description).relocation_required is None


def test_someone_willing_to_relocate_gets_no_relocation_deal_breaker() -> None:
    postings = [
        posting("title", JOB, title="Physics Teacher (Requires Relocation to Doha)"),
        posting("text", "Relocation is required for this post.\n\n" + JOB, location=""),
    ]
    found = breakers(postings, MOVES)
    assert not any(r.startswith(RELOCATION) for reasons in found.values() for r in reasons), found
    assert found["text"] == []


def test_relocation_to_the_persons_own_area_is_no_deal_breaker() -> None:
    found = breakers(
        [
            posting("home", "Relocation to Portland, OR is required.\n\n" + JOB, location=""),
            posting("listed", "Relocation is required for this post.\n\n" + JOB),  # listed in Portland
            posting("gone", "Relocation to Canada is not supported.\n\n" + JOB),
        ],
        STAYS,
    )
    assert found == {"home": [], "listed": [], "gone": []}


def test_the_relocation_reason_exists_in_every_message_language() -> None:
    assert set(MESSAGES["relocation"]) == set(MESSAGES["outside_area"]) == {"en", "zh", "fr", "es"}
    for lang in ("en", "zh", "fr", "es"):
        assert "Relocation required" in say("relocation", lang, what="Relocation required")
    assert say("relocation", "fr", what="x").startswith("Exige un déménagement")


def test_french_and_spanish_required_relocation_is_read() -> None:
    fr = "Déménagement obligatoire à Lyon.\n\n" + JOB
    es = "Mudanza obligatoria a Sevilla.\n\n" + JOB
    assert read_demands(posting("fr", fr), fr).relocation_required == "Déménagement obligatoire à Lyon"
    assert read_demands(posting("es", es), es).relocation_required == "Mudanza obligatoria a Sevilla"


# Rule 3: a credential the role is open only to.


def test_a_role_open_only_to_certified_teachers_demands_the_certification() -> None:
    only = "This position applies only to ABCTE certified teachers (experience with IB a plus).\n\n" + JOB
    licensed = "Open only to Washington licensed teachers.\n\n" + JOB
    hold = JOB + "- Candidates must hold a current Idaho teaching license\n"
    found = breakers([posting("only", only), posting("wa", licensed), posting("hold", hold)], STAYS)
    assert "Requires ABCTE certification, which your CV does not show" in found["only"]
    assert any("Washington license" in r for r in found["wa"]), found["wa"]
    assert any("Idaho" in r and "does not show" in r for r in found["hold"]), found["hold"]
    demands = read_demands(posting("only", only), only)
    assert [(c.text, c.alternatives) for c in demands.credentials] == [
        ("ABCTE certification", ("ABCTE certified",))
    ]


@pytest.mark.parametrize(
    "description",
    [
        "This position applies only to ABCTE certified teachers.\n\n" + JOB,  # the CV holds it
        "Open only to licensed teachers.\n\n" + JOB,  # the CV holds a teaching license
        "Duties include, but are not limited to, certified lab safety checks.\n\n" + JOB,
        "Open to all science teachers; ABCTE certification preferred.\n\n" + JOB,
        "This role is open only to residents of the Portland metro area.\n\n" + JOB,
        "The signing bonus applies only to board certified staff.\n\n" + JOB,  # not the role
    ],
)
def test_held_or_unconditional_credentials_are_no_deal_breaker(description: str) -> None:
    found = breakers([posting("p", description)], STAYS, extra="ABCTE Certification, Science\n")
    assert found["p"] == []


# Review findings: negations inside the match, holders read as credentials, restrictions of something
# else, and places named in a condition, a negation or a story.


@pytest.mark.parametrize(
    "sentence",
    [
        "This role requires no relocation.",
        "The position requires no relocation and no travel.",
        "Umzug nicht erforderlich.",
        "Déménagement non obligatoire.",
        "Reubicación no necesaria.",
        "Traslado no obligatorio.",
    ],
)
def test_a_negation_inside_the_relocation_words_is_no_required_relocation(sentence: str) -> None:
    text = f"{sentence}\n\n{JOB}"
    assert read_demands(posting("p", text, location=""), text).relocation_required is None
    assert breakers([posting("p", text, location="")], STAYS)["p"] == []


@pytest.mark.parametrize(
    ("sentence", "read"),
    [
        ("This role requires relocation.", "This role requires relocation"),
        ("The position requires relocation to Doha.", "The position requires relocation to Doha"),
        ("Umzug erforderlich.", "Umzug erforderlich"),
        ("Déménagement obligatoire.", "Déménagement obligatoire"),
        ("Reubicación necesaria.", "Reubicación necesaria"),
        ("Traslado obligatorio.", "Traslado obligatorio"),
    ],
)
def test_required_relocation_without_a_negation_is_still_read(sentence: str, read: str) -> None:
    text = f"{sentence}\n\n{JOB}"
    assert read_demands(posting("p", text, location=""), text).relocation_required == read


NURSE_CV = """Sam Ortiz
Registered Nurse

Email: sam@example.com
Location: Tulsa, OK

SUMMARY
{line} with six years on medical-surgical and telemetry floors.

EXPERIENCE

Staff Nurse | Saint Francis Hospital, Tulsa, OK
06/2019 - Present
- Cares for 5-6 telemetry patients a shift; charts in Epic; precepts new graduates.

EDUCATION
BSN, University of Tulsa

SKILLS
BLS; ACLS; telemetry; patient education
"""

NURSE_JOB = (
    "Provide bedside care on a 30-bed telemetry unit. Assess patients, give medications and teach "
    "families.\n\nRequirements\n- Two years of acute care nursing\n"
)


def nurse_breakers(line: str, sentence: str) -> list[str]:
    text = NURSE_CV.format(line=line)
    profile = build_profile(text, user_id="sam", as_of=AS_OF)
    job = Posting(
        id="rn",
        title="Registered Nurse - Telemetry",
        company="Example Health",
        location="Houston, TX",
        remote=False,
        employment_type="full-time",
        description=f"{sentence}\n\n{NURSE_JOB}",
    )
    # A nurse moving to Houston: the place is no deal-breaker, only the credential can be.
    (screened,) = screen_postings(profile, [job], cv_text=text, prefs=MOVES)
    return list(screened.deal_breakers)


@pytest.mark.parametrize(
    ("sentence", "text", "alternatives"),
    [
        (
            "This position is open only to RNs licensed in Texas.",
            "Texas license",
            ("Texas license", "licensed in Texas", "Texas-licensed"),
        ),
        (
            "This role is open only to candidates registered with the HCPC.",
            "HCPC registration",
            ("HCPC registration", "registered with HCPC", "HCPC-registered"),
        ),
        (
            "This role is open only to nurses registered with the NMC.",
            "NMC registration",
            ("NMC registration", "registered with NMC", "NMC-registered"),
        ),
        (
            "Reserved for candidates certified by the ABCTE or the NBPTS.",
            "ABCTE or NBPTS certification",
            (
                "ABCTE certification",
                "certified by ABCTE",
                "ABCTE-certified",
                "NBPTS certification",
                "certified by NBPTS",
                "NBPTS-certified",
            ),
        ),
        (
            "This position applies only to ABCTE certified teachers.",
            "ABCTE certification",
            ("ABCTE certified",),
        ),
        (
            "This role (Grade 7) is open only to Washington licensed teachers.",
            "Washington license",
            ("Washington licensed",),
        ),
        # Neither attributive nor issued by someone: the whole phrase, never "engineers license".
        (
            "This position is open only to engineers licensed as PEs.",
            "engineers licensed as PEs",
            ("engineers licensed as PEs",),
        ),
    ],
)
def test_the_credential_is_what_the_holder_is_licensed_by_not_the_holder(
    sentence: str, text: str, alternatives: tuple[str, ...]
) -> None:
    description = f"{sentence}\n\n{JOB}"
    demands = read_demands(posting("p", description), description)
    assert [(c.text, c.alternatives) for c in demands.credentials] == [(text, alternatives)]


@pytest.mark.parametrize("line", ["Texas-licensed RN", "RN, licensed in Texas", "RN with a Texas license"])
def test_a_nurse_licensed_in_texas_meets_a_role_open_only_to_rns_licensed_in_texas(line: str) -> None:
    assert nurse_breakers(line, "This position is open only to RNs licensed in Texas.") == []


def test_a_nurse_without_the_named_license_or_registration_is_still_told() -> None:
    texas = nurse_breakers("Oklahoma-licensed RN", "This position is open only to RNs licensed in Texas.")
    assert texas == ["Requires Texas license, which your CV does not show"], texas
    nmc = nurse_breakers("Texas-licensed RN", "This role is open only to nurses registered with the NMC.")
    assert nmc == ["Requires NMC registration, which your CV does not show"], nmc


@pytest.mark.parametrize(
    "sentence",
    [
        "This program is open not only to certified teachers but also to career changers.",
        "Access to this building is restricted to certified staff after 6pm.",
        "Parking in this lot is reserved for licensed contractors.",
    ],
)
def test_a_restriction_of_something_else_or_not_only_is_no_credential(sentence: str) -> None:
    description = f"{sentence}\n\n{JOB}"
    assert read_demands(posting("p", description), description).credentials == []
    assert breakers([posting("p", description)], STAYS)["p"] == []


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("Applications for this vacancy are open only to ABCTE certified teachers.", "ABCTE certification"),
        ("- This is open only to ABCTE certified teachers.", "ABCTE certification"),
        ("The position is only open to ABCTE certified teachers.", "ABCTE certification"),
        ("Open only to licensed electricians.", "licensed electricians"),
    ],
)
def test_a_restriction_of_the_role_itself_is_still_read(sentence: str, text: str) -> None:
    description = f"{sentence}\n\n{JOB}"
    assert [c.text for c in read_demands(posting("p", description), description).credentials] == [text]


@pytest.mark.parametrize(
    "sentence",
    [
        "If you are located in Canada, please apply through our Canadian careers page.",
        "You are not based in Seattle for this one.",
        "Last year we completed our relocation to Austin, Texas.",
        "We have helped over 200 teachers relocate to Dubai and Abu Dhabi.",
    ],
)
def test_places_in_a_condition_a_negation_or_a_story_are_not_the_jobs_place(sentence: str) -> None:
    description = f"{sentence}\n\n{JOB}"
    demands = read_demands(posting("p", description), description)
    assert demands.stated_places == [] and [p.name for p in demands.places][:1] == ["Portland"]
    assert breakers([posting("p", description)], STAYS)["p"] == []


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("You will need to relocate to Auckland.", "Auckland"),
        ("Candidates must be willing to relocate to Dubai.", "Dubai"),
        ("Relocation to Doha is mandatory.", "Doha"),
        ("When you join, you will be based in Doha.", "Doha"),
        ("You are based in Seattle for this one.", "Seattle"),
    ],
)
def test_a_required_relocation_or_a_plain_statement_still_names_the_jobs_place(
    sentence: str, place: str
) -> None:
    description = f"{sentence}\n\n{JOB}"
    demands = read_demands(posting("p", description), description)
    assert [p.name for p in demands.stated_places][:1] == [place]


def test_relocation_to_a_place_in_the_title_needs_no_requirement_word() -> None:
    demands = read_demands(posting("p", JOB, title="Physics Teacher (Relocation to Doha)"), JOB)
    assert [p.name for p in demands.stated_places] == ["Doha"]

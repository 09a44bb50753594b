"""Stage 1 (screening/stage1.py): the matrix must give the per-pair numbers, and its top k the right postings."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles import Profile, build_profile
from jobland_pipeline.screening import stage1
from jobland_pipeline.screening.analysis import analyse
from jobland_pipeline.screening.relevance import CvIndex, relevance
from jobland_pipeline.screening.score import screen_postings

AS_OF = date(2026, 11, 27)
# Forking a process that has threads warns on Python 3.12+; these tests start no thread of their own.
FORK_OK = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")

CVS = {
    "nurse": """Jane Miller
Registered Nurse
Chicago, IL | jane.miller@example.com | +1 312 555 0101

Summary
Registered nurse with six years in adult intensive care: ventilated patients, sepsis and vasoactive infusions.

Experience
ICU Registered Nurse, Northwind Health, Chicago, IL
March 2020 - Present
- Care for two critically ill adult patients per shift, titrating sedation and vasoactive infusions
- Manage mechanical ventilation, arterial lines and CRRT; precept new graduate nurses
Staff Nurse, Lakeside Hospital, Evanston, IL
June 2018 - February 2020
- Medical-surgical nursing for five patients per shift, wound care and discharge teaching

Education
BSN, University of Illinois Chicago, 2018

Skills
Critical care, ACLS, BLS, CRRT, mechanical ventilation, Epic

Languages
English (native), Spanish (B1)
""",
    "data": """Daniel Okafor
Senior Data Engineer
London, UK | daniel.okafor@example.com

Summary
Data engineer building batch and streaming pipelines on Spark, Kafka and Airflow for payments.

Experience
Senior Data Engineer, Fintrail Payments, London
January 2021 - Present
- Built Kafka and Spark Structured Streaming pipelines processing 40 million card events a day
- Moved 300 Airflow DAGs to dbt models on Snowflake; cut warehouse cost by a third
Data Engineer, Retailytics, Manchester
September 2017 - December 2020
- Wrote Python and SQL ETL jobs and data quality checks for retail analytics

Education
MSc Computer Science, University of Manchester, 2017

Skills
Python, SQL, Spark, Kafka, Airflow, dbt, Snowflake, AWS, Terraform
""",
    "chef": """Camille Martin
Sous-chef
Paris, France | camille.martin@example.com

Profil
Sous-chef en bistronomie, dix ans en cuisine, produits de saison et gestion d'une brigade de six.

Expérience professionnelle
Sous-chef, Le Comptoir du Marché, Paris 11e
Septembre 2019 - Aujourd'hui
- Élaboration de la carte de saison avec le chef, commandes et gestion des stocks
- Encadrement d'une brigade de six cuisiniers, respect des normes HACCP
Chef de partie, Bistrot des Halles, Paris 1er
Mars 2015 - Août 2019
- Poste chaud et sauces, mise en place pour 120 couverts

Formation
CAP Cuisine, Lycée Hôtelier de Paris, 2014

Compétences
Cuisine de saison, HACCP, gestion des stocks, encadrement d'équipe

Langues
Français (langue maternelle), anglais (B1)
""",
    "pharmacist": """Priya Nair
Community Pharmacist
Ottawa, ON | priya.nair@example.com

Experience
Community Pharmacist, Rideau Pharmacy, Ottawa, ON
May 2019 - Present
- Dispense and counsel on 250 prescriptions a day; minor ailments assessments and vaccinations
- Opioid agonist therapy programme and medication reviews

Education
PharmD, University of Toronto, 2019

Skills
Medication reviews, vaccinations, minor ailments, Kroll
""",
}

POSTINGS = [
    Posting(
        id="p-icu",
        title="ICU Registered Nurse",
        company="Cedar Health",
        location="Chicago, IL",
        description=(
            "Cedar Health is hiring an ICU Registered Nurse for its 20-bed medical intensive care unit.\n\n"
            "Responsibilities:\n- Care for critically ill adults on mechanical ventilation\n"
            "- Titrate vasoactive and sedation infusions\n\n"
            "Requirements:\n- Active RN licence\n- Two years of ICU experience\n- ACLS and BLS\n- Epic charting"
        ),
    ),
    Posting(
        id="p-data",
        title="Data Engineer (Kafka, Spark)",
        company="Harbor Analytics",
        location="London, UK",
        remote="hybrid",
        description=(
            "We are looking for a data engineer to build our streaming platform.\n\n"
            "What you'll do:\n- Build Kafka and Spark pipelines\n- Model data with dbt on Snowflake\n\n"
            "Requirements:\n- Python and SQL\n- Kafka or Kinesis\n- Airflow\n- AWS and Terraform"
        ),
    ),
    Posting(
        id="p-teacher",
        title="Math Teacher",
        company="Summit Schools",
        location="Richmond, VA",
        description="Teach algebra and geometry to grades 6-8. Requires a state teaching licence and classroom experience.",
    ),
    Posting(
        id="p-chef",
        title="Chef de partie (H/F) - CDI",
        company="Maison Riviera",
        location="Paris, France",
        description=(
            "Restaurant bistronomique de 80 couverts recherche un chef de partie.\n\n"
            "Missions :\n- Poste chaud et sauces\n- Mise en place et respect des normes HACCP\n\n"
            "Profil :\n- CAP Cuisine\n- Trois ans d'expérience en brigade"
        ),
    ),
    Posting(
        id="p-zh",
        title="高级数据工程师",
        company="华信科技",
        location="上海",
        description="负责数据仓库建设。\n\n任职要求：\n- 熟悉 Spark、Kafka、Airflow\n- 五年以上数据开发经验",
    ),
    Posting(id="p-empty", title="Driver", company="Atlas Logistics", location="Denver, CO", description=""),
    Posting(
        id="p-pharm-fr",
        title="Pharmacien(ne) communautaire",
        company="Pharmacie du Parc",
        location="Gatineau, QC",
        description="Pharmacie communautaire recherche un pharmacien : conseils, vaccination, revues de médication.",
    ),
]


@pytest.fixture(scope="module")
def people() -> dict[str, tuple[Profile, CvIndex, str]]:
    out = {}
    for name, text in CVS.items():
        profile = build_profile(text, user_id=name, as_of=AS_OF)
        person, cv = stage1.cv_index(profile, text)
        out[name] = (person, cv, text)
    return out


@pytest.fixture(scope="module")
def matrix(people: dict[str, tuple[Profile, CvIndex, str]]) -> stage1.ProfileMatrix:
    return stage1.profile_matrix([(person, cv) for person, cv, _ in people.values()])


@pytest.fixture(scope="module")
def feats() -> list[stage1.PostingFeatures]:
    return [stage1.features(p, analyse(p)) for p in POSTINGS]


def test_parts_equal_the_per_pair_relevance(
    people: dict[str, tuple[Profile, CvIndex, str]],
    matrix: stage1.ProfileMatrix,
    feats: list[stage1.PostingFeatures],
) -> None:
    scores = stage1.scores(matrix, feats)
    compared = 0
    for i, (person, cv, _) in enumerate(people.values()):
        for j, posting in enumerate(POSTINGS):
            rel = relevance(person, cv, posting, analyse(posting))
            assert scores.lexical[i, j] == rel.lexical, (person.user_id, posting.id)
            assert scores.requirements[i, j] == rel.requirements, (person.user_id, posting.id)
            assert scores.title[i, j] == pytest.approx(rel.title, abs=1e-4), (person.user_id, posting.id)
            compared += 1
    assert compared == 4 * 7
    # The inline data exercises the parts: shared words, covered requirements and a matching title,
    # across languages ("communautaire" earns prefix credit against "Community", the concept
    # pharmacien = pharmacist full credit).
    nurse, data, pharmacist = 0, 1, 3
    assert scores.title[pharmacist, 6] > 0.8
    assert scores.lexical[nurse, 0] > 0.3 and scores.lexical[nurse, 2] < 0.1
    assert scores.title[nurse, 0] > 0.5 and scores.title[data, 1] > 0.5
    assert scores.requirements[data, 1] > 0.3


def test_features_without_analysis_equal_those_from_it() -> None:
    for posting in POSTINGS:
        light, full = stage1.features(posting), stage1.features(posting, analyse(posting))
        assert light.language == full.language and light.title_terms == full.title_terms
        for name in ("words", "recall", "req_words", "req"):
            assert np.array_equal(getattr(light, name), getattr(full, name)), (posting.id, name)


def test_bound_is_an_upper_bound_of_the_full_score(
    people: dict[str, tuple[Profile, CvIndex, str]],
    matrix: stage1.ProfileMatrix,
    feats: list[stage1.PostingFeatures],
) -> None:
    bound = stage1.scores(matrix, feats).bound
    for i, (person, _, text) in enumerate(people.values()):
        for j, screening in enumerate(screen_postings(person, POSTINGS, cv_text=text)):
            assert screening.score <= bound[i, j] + 0.5  # the full score is rounded
    assert bound.min() >= 25.0 - 1e-9 and bound.max() <= 100.0 + 1e-9  # seniority + location at 1: 25


def test_top_k_orders_by_value_then_index() -> None:
    m = np.array([[0.1, 0.9, 0.5, 0.9, 0.0], [3.0, 2.0, 1.0, 0.0, -1.0], [0.0, 0.0, 0.0, 0.0, 0.0]])
    assert stage1.top_k(m, 3).tolist() == [[1, 3, 2], [0, 1, 2], [0, 1, 2]]
    assert stage1.top_k(m, 1).tolist() == [[1], [0], [0]]
    assert stage1.top_k(m, 10).shape == (3, 5)  # k larger than the row: every column, ordered
    assert stage1.top_k(m, 10)[0].tolist() == [1, 3, 2, 0, 4]
    assert stage1.top_k(m, 0).shape == (3, 0)
    assert stage1.top_k(m, 2).dtype == np.int64


@FORK_OK
def test_shortlist_equals_top_k_of_the_matrix(
    matrix: stage1.ProfileMatrix, feats: list[stage1.PostingFeatures]
) -> None:
    scores = stage1.scores(matrix, feats)
    for part in ("bound", "lexical", "title"):
        expected = stage1.top_k(getattr(scores, part), 4)
        for workers, block in ((1, 4096), (2, 2), (2, 1)):
            values, index = stage1.shortlist(matrix, feats, 4, workers=workers, block=block, part=part)
            assert index.tolist() == expected.tolist(), (part, workers, block)
            assert np.array_equal(values, np.take_along_axis(getattr(scores, part), expected, axis=1))


def test_a_posting_made_of_the_cv_scores_highest_for_that_cv(
    people: dict[str, tuple[Profile, CvIndex, str]], matrix: stage1.ProfileMatrix
) -> None:
    mirrors = [
        Posting(id=f"mirror-{name}", title=person.headline or name, company="Mirror", description=text)
        for name, (person, _, text) in people.items()
    ]
    postings = [*POSTINGS, *mirrors]
    scores = stage1.scores(matrix, [stage1.features(p) for p in postings])
    for i, name in enumerate(people):
        mine = len(POSTINGS) + i
        # Every CV word is in the posting and every posting word in the CV: the F-measure is ~1
        # (below 1 only by the CV's numbers, which count in its norm but are never shared words).
        assert scores.overlap[i, mine] > 0.9 and stage1.top_k(scores.overlap, 1)[i, 0] == mine, name
        assert int(np.argmax(scores.overlap[:, mine])) == i  # and no other CV is as close to it
        # The capped part reaches its maximum there (another strong match may tie it); the title is
        # the person's own headline (below 1 only by the level word the posting's core title drops).
        assert scores.lexical[i, mine] == 1.0 and scores.title[i, mine] >= 0.9
        assert scores.bound[i, mine] >= 90.0


def test_shapes_and_dtypes(matrix: stage1.ProfileMatrix, feats: list[stage1.PostingFeatures]) -> None:
    scores = stage1.scores(matrix, feats)
    for part in (scores.lexical, scores.title, scores.requirements, scores.bound, scores.overlap):
        assert part.shape == (4, len(POSTINGS)) and part.dtype == np.float64
    assert np.all((scores.lexical >= 0) & (scores.lexical <= 1)) and np.all(scores.title >= 0)
    assert matrix.present.shape == matrix.weight.shape == (4, len(matrix.vocabulary))
    values, index = stage1.shortlist(matrix, feats, 2, workers=1)
    assert values.shape == index.shape == (4, 2) and values.dtype == np.float64 and index.dtype == np.int64
    f = feats[0]
    assert f.words.dtype == np.int64 and f.recall.dtype == np.float64 and len(f.words) == len(f.recall)
    assert f.recall.sum() <= 1.0 + 1e-12  # shares of the posting's total


def test_empty_inputs(matrix: stage1.ProfileMatrix, feats: list[stage1.PostingFeatures]) -> None:
    none = stage1.scores(matrix, [])
    assert none.bound.shape == (4, 0) and none.lexical.shape == (4, 0)
    values, index = stage1.shortlist(matrix, [], 5)
    assert values.shape == index.shape == (4, 0)
    nobody = stage1.profile_matrix([])
    assert nobody.people == 0
    scores = stage1.scores(nobody, feats)
    assert scores.bound.shape == (0, len(POSTINGS))
    values, index = stage1.shortlist(nobody, feats, 3, workers=1)
    assert values.shape == index.shape == (0, 3)
    empty = stage1.features(POSTINGS[-1])  # no description: only the title's words
    assert len(empty.req_words) == 0 and len(empty.words) >= 1


@FORK_OK
def test_screen_parallel_gives_the_screenings_of_screen_postings(
    people: dict[str, tuple[Profile, CvIndex, str]],
) -> None:
    person, _, text = people["nurse"]
    serial = screen_postings(person, POSTINGS, cv_text=text)
    forked = stage1.screen_parallel(person, POSTINGS, cv_text=text, workers=2)
    assert [s.model_dump() for s in forked] == [s.model_dump() for s in serial]

import json
from collections import Counter
from pathlib import Path

import pytest

from jobland_pipeline.postings import PostingsFileError, dedupe, load_postings
from jobland_pipeline.postings.geo import parse_place, place_match
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.normalize import canonical_url, clean_description
from tests.conftest import SAMPLE_POSTINGS

GOOD = {
    "id": "p1",
    "title": "ICU Nurse",
    "company": "Acme",
    "location": "Chicago, IL",
    "remote": False,
    "employment_type": "full_time",
    "posted_at": "2026-11-01",
    "salary": None,
    "url": "https://x.example/1",
    "description": "Care for patients.",
}


def _write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "postings.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def test_bundled_sample_postings_are_valid_and_varied() -> None:
    postings = load_postings(SAMPLE_POSTINGS)
    assert len(postings) >= 150
    assert len({p.company for p in postings}) >= 30
    remote = Counter(p.remote_flag for p in postings)
    assert set(remote) == {"true", "false", "hybrid"}
    assert sum(1 for p in postings if any("\u4e00" <= ch <= "\u9fff" for ch in p.title)) >= 15
    assert all("<script" not in p.description.lower() for p in postings)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{not json", ":1: not valid JSON"),
        ({k: v for k, v in GOOD.items() if k != "company"}, ":1: missing field(s) company"),
        ({**GOOD, "salaryy": "1"}, ":1: unknown field(s) salaryy"),
        ({**GOOD, "posted_at": "yesterday"}, ":1: field 'posted_at'"),
        ({**GOOD, "remote": "sometimes"}, ":1: field 'remote"),
        ({**GOOD, "title": ""}, ":1: field 'title'"),
    ],
)
def test_malformed_postings_name_file_line_and_field(tmp_path: Path, row: object, message: str) -> None:
    path = _write(tmp_path, row)
    with pytest.raises(PostingsFileError) as info:
        load_postings(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PostingsFileError, match=r":2: duplicate id 'p1' \(first on line 1\)"):
        load_postings(_write(tmp_path, GOOD, GOOD))


def test_html_in_descriptions_becomes_text(tmp_path: Path) -> None:
    row = {
        **GOOD,
        "description": "<p>Care &amp; compassion</p><script>steal()</script><ul><li>BLS</li></ul><!-- x -->",
    }
    [posting] = load_postings(_write(tmp_path, row))
    assert posting.description == "Care & compassion\n\n- BLS"


def test_double_encoded_greenhouse_html() -> None:
    assert clean_description("&lt;p&gt;Join &amp;amp; grow&lt;/p&gt;") == "Join & grow"


def test_canonical_url_strips_tracking() -> None:
    assert (
        canonical_url("https://Jobs.Example/view/1/?utm_source=x&trk=y&id=7#top")
        == "https://jobs.example/view/1?id=7"
    )


def test_canonical_url_never_raises() -> None:
    """A URL urllib cannot split (an invalid bracketed host) has no canonical form, as no URL has none;
    a search is not failed for it."""
    assert canonical_url("https://[bad/a?utm_source=x") is None
    assert canonical_url("") is None and canonical_url(None) is None
    assert canonical_url("  ") == ""


def test_dedupe_merges_reposts_and_same_url() -> None:
    a = Posting(**{**GOOD, "remote": False})
    repost = Posting(**{**GOOD, "id": "p2", "title": "ICU Nurse (Remote)", "url": "https://x.example/2"})
    copy = Posting(
        **{**GOOD, "id": "p3", "company": "Other", "title": "Chef", "url": "https://x.example/1?utm_source=a"}
    )
    other = Posting(**{**GOOD, "id": "p4", "company": "Other", "title": "Chef", "url": "https://x.example/4"})
    kept, merged = dedupe([a, repost, copy, other])
    assert [p.id for p in kept] == ["p1", "p4"]
    assert merged == {"p2": "p1", "p3": "p1"}


def test_bundled_reposts_are_deduplicated() -> None:
    postings = load_postings(SAMPLE_POSTINGS)
    kept, merged = dedupe(postings)
    assert len(merged) >= 2 and len(kept) == len(postings) - len(merged)


@pytest.mark.parametrize(
    ("user", "posting", "score"),
    [
        ("Chicago, IL", "Chicago, IL, USA", 1.0),
        ("Chicago, IL", "Evanston, IL", 0.7),
        ("Chicago, IL", "Austin, TX", 0.5),
        ("London, UK", "Berlin, Germany", 0.1),
        ("上海", "上海", 1.0),
    ],
)
def test_place_match(user: str, posting: str, score: float) -> None:
    assert place_match(parse_place(user), parse_place(posting)) == score

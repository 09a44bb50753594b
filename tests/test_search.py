"""Full-text search over the postings (issue 16, item 2): a BM25 index rebuilt with each publish."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from jobland_cli.main import main
from jobland_pipeline.postings.engines.local_file import SAMPLE_POSTINGS
from jobland_pipeline.warehouse import Warehouse, duckdb_file, fts

SAMPLES = [json.loads(line) for line in SAMPLE_POSTINGS.read_text(encoding="utf-8").splitlines() if line]


def _record(posting: dict[str, Any], user: str, search: str = "t") -> dict[str, object]:
    return {
        "search_key": f"{user}::{search}",
        "user_id": user,
        "posting_id": posting["id"],
        "title": posting["title"],
        "company": posting["company"],
        "location": posting.get("location"),
        "posted_at": date.fromisoformat(posting["posted_at"]) if posting.get("posted_at") else None,
        "description": posting.get("description"),
        "url": posting.get("url"),
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The bundled sample postings, as found by two users' runs (ann the first 150, bob from the 100th)."""
    home = tmp_path_factory.mktemp("search")
    wh = Warehouse(home / "warehouse", home / "jobland.duckdb")
    wh.write_partition("job_postings", "ann::t", [_record(p, "ann") for p in SAMPLES[:150]])
    wh.write_partition("job_postings", "bob::t", [_record(p, "bob") for p in SAMPLES[100:]])
    assert wh.publish_views()
    return wh


@pytest.mark.parametrize(
    ("query", "posting_id"),
    [
        ("telehealth triage nurse", "smp-health-022"),
        ("executive chef", "smp-hosp-006"),
        ("apprentice electrician", "smp-build-003"),
        ("AP calculus", "smp-edu-025"),
        ("NCLEX tutor Richmond", "li-4197529965"),
        ("Pinnacle Lead Solutions data engineer", "smp-tech-037"),
    ],
)
def test_a_known_posting_comes_back_first(store: Warehouse, query: str, posting_id: str) -> None:
    hits = store.search_postings(query, limit=5)
    assert hits[0].posting_id == posting_id
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


def test_chinese_words_match_inside_unspaced_text(store: Warehouse) -> None:
    # 总账会计 (general-ledger accountant) is the title of exactly three samples; 税务 (tax) stands
    # inside longer unspaced words ("税务专员", "税务经理", descriptions), never alone.
    wanted = {p["id"] for p in SAMPLES if "总账会计" in p["title"] + p["company"] + p["description"]}
    assert wanted == {"smp-fincn-008", "smp-fincn-009", "smp-fincn-010"}
    hits = store.search_postings("总账会计", limit=10)
    assert {h.posting_id for h in hits[:3]} == wanted
    assert hits[0].title == "总账会计"
    tax = [p["id"] for p in SAMPLES if p["title"].startswith("税务")]
    assert set(tax) <= {h.posting_id for h in store.search_postings("税务", limit=20)}


def test_the_plain_fts_tokenizer_does_not_segment_chinese() -> None:
    # What the README states: without the character/bigram terms, a Chinese word is found only where
    # it stands between spaces or punctuation.
    con = duckdb.connect()
    fts.load(con)
    con.execute(
        "CREATE TABLE p AS SELECT * FROM (VALUES (1, '招聘税务专员，上海'), (2, '税务 专员')) t(id, body)"
    )
    con.execute("PRAGMA create_fts_index('p', 'id', 'body')")
    found = con.execute(
        "SELECT id FROM (SELECT id, fts_main_p.match_bm25(id, '税务') AS s FROM p) WHERE s IS NOT NULL"
    ).fetchall()
    assert found == [(2,)]
    con.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Data Engineer", "Data Engineer"),
        ("总账会计", " 总 账 会 计 总账 账会 会计 "),
        ("高级Java工程师", " 高 级 高级 Java 工 程 师 工程 程师 "),
        (None, None),
    ],
)
def test_terms(text: str | None, expected: str | None) -> None:
    assert fts.terms(text) == expected


def test_filters_by_user_and_day(store: Warehouse) -> None:
    # smp-health-022 is among ann's first 150 only; the li- postings (index 195+) are bob's only.
    assert store.search_postings("telehealth triage nurse", user="ann")[0].posting_id == "smp-health-022"
    assert "smp-health-022" not in {h.posting_id for h in store.search_postings("telehealth", user="bob")}
    shared = store.search_postings("AP calculus", limit=1)[0]  # index 139: found by both
    assert (shared.posting_id, shared.users) == ("smp-edu-025", ("ann", "bob"))
    assert store.search_postings("executive chef", limit=1)[0].users == ("bob",)  # index 165
    since = date(2026, 11, 1)
    hits = store.search_postings("nurse", since=since, limit=50)
    assert hits and all(h.posted_at is not None and h.posted_at >= since for h in hits)
    older = store.search_postings("nurse", limit=50)
    assert any(h.posted_at is not None and h.posted_at < since for h in older)
    assert len(store.search_postings("nurse", limit=3)) == 3


def test_the_index_follows_a_new_run(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "wh", tmp_path / "jobland.duckdb")
    wh.write_partition("job_postings", "ann::t", [_record(p, "ann") for p in SAMPLES[:40]])
    assert wh.publish_views()
    assert wh.search_postings("platypus keeper") == []
    new = {
        "id": "new-001",
        "title": "Platypus Keeper",
        "company": "Taronga Zoo",
        "location": "Sydney, Australia",
        "posted_at": "2026-12-06",
        "description": "Care for our platypus colony; night shifts.",
    }
    wh.write_partition("job_postings", "ann::zoo", [_record(new, "ann", "zoo")])
    assert wh.search_postings("platypus keeper") == []  # the index is the last publish's
    assert wh.publish_views()  # what the next run does at its end
    hits = wh.search_postings("platypus keeper")
    assert [(h.posting_id, h.title, h.company, h.posted_at) for h in hits] == [
        ("new-001", "Platypus Keeper", "Taronga Zoo", date(2026, 12, 6))
    ]
    wh.write_partition("job_postings", "ann::zoo", [])  # the posting's search re-ran without it
    assert wh.publish_views()
    assert wh.search_postings("platypus keeper") == []


def test_a_file_without_the_index_gets_one(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "wh", tmp_path / "jobland.duckdb")
    wh.write_partition("job_postings", "ann::t", [_record(p, "ann") for p in SAMPLES[:40]])
    assert wh.publish_views()
    with duckdb.connect(str(wh.duckdb_path)) as con:  # as published before search existed
        con.execute(f"DROP TABLE {fts.SEARCH_TABLE}")
    assert wh.search_postings("telehealth triage nurse")[0].posting_id == "smp-health-022"


def test_jobland_search_prints_rank_score_and_posting(
    store: Warehouse, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JOBLAND_HOME", str(store.duckdb_path.parent))
    monkeypatch.setenv("JOBLAND_WAREHOUSE_DIR", str(store.root))
    monkeypatch.setenv("JOBLAND_DUCKDB_PATH", str(store.duckdb_path))
    assert main(["search", "AP calculus", "--user", "bob", "--since", "2026-10-01", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["rank", "score", "title", "company", "location", "posted", "user"]
    assert len(lines) == 2  # bob's one calculus posting
    first = lines[1]
    assert first.startswith("1 ") and "AP Calculus Teacher" in first and "Commonwealth STEM Academy" in first
    assert "2026-11-26" in first and first.endswith("ann, bob")
    assert main(["search", "math teacher", "--limit", "2"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert main(["search", "zzqxv"]) == 0
    assert capsys.readouterr().out.strip() == "no posting matches 'zzqxv'"
    assert main(["search", "zzqxv", "--user", "bob"]) == 0
    assert capsys.readouterr().out.strip() == "no posting matches 'zzqxv'"  # bob is known
    assert main(["search", "math", "--user", "nobody"]) == 0
    assert capsys.readouterr().out.strip() == "no posting matches 'math': no postings of a user 'nobody'"


def test_a_search_that_meets_a_damaged_index_rebuilds_it(tmp_path: Path) -> None:
    # Garbage over the start of each block in turn (where DuckDB keeps its checksum): whichever block
    # it hits, the search answers (from a rebuilt file when it had to read the block), and the next
    # publish finds damage the search did not read; every damaged file is kept aside.
    wh = Warehouse(tmp_path / "wh", tmp_path / "jobland.duckdb")
    wh.write_partition("job_postings", "ann::t", [_record(p, "ann") for p in SAMPLES])
    assert wh.publish_views()
    header, block = 3 * 4096, 256 * 1024
    blocks = (wh.duckdb_path.stat().st_size - header) // block
    assert blocks >= 4
    damaged = healed_by_reading = 0
    for n in range(blocks):
        with wh.duckdb_path.open("r+b") as f:
            f.seek(header + n * block)
            f.write(bytes(range(256)) * 256)
        damaged += duckdb_file.damage(wh.duckdb_path) is not None  # a block in use, not a free one
        aside = len(list(tmp_path.glob("jobland.duckdb.damaged-*")))
        assert wh.search_postings("executive chef")[0].posting_id == "smp-hosp-006", n
        healed_by_reading += len(list(tmp_path.glob("jobland.duckdb.damaged-*"))) - aside
        assert wh.publish_views()
        assert len(list(tmp_path.glob("jobland.duckdb.damaged-*"))) == damaged, n
    assert damaged >= blocks // 2 and healed_by_reading >= 1


def test_chinese_titles_line_up_in_the_table() -> None:
    import unicodedata

    from jobland_cli.search_command import format_hits

    def hit(rank: int, title: str, company: str) -> fts.Hit:
        return fts.Hit(rank, 1.0, f"p{rank}", title, company, "上海", date(2026, 11, 6), ("wang_fang",), None)

    lines = format_hits(
        [hit(1, "总账会计", "华诚科技有限公司"), hit(2, "Senior Accountant", "Acme")]
    ).splitlines()

    def column_of(line: str, text: str) -> int:  # terminal column where text starts
        before = line[: line.index(text)]
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in before)

    assert (
        column_of(lines[1], "华诚科技有限公司")
        == column_of(lines[2], "Acme")
        == column_of(lines[0], "company")
    )
    assert column_of(lines[1], "2026-11-06") == column_of(lines[0], "posted")

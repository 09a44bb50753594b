"""The warehouse and the packages on S3 (moto's server on loopback): the same answers as on disk.

What workers on different machines share: every warehouse operation, forgetting a user, package
folders (written locally, uploaded, read back for the digest) and the DuckDB views script. The views
themselves need DuckDB's httpfs extension to read ``s3://``, which cannot be installed offline here:
the script is checked against a local copy of the bucket instead.
"""

from __future__ import annotations

import io
import logging
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
import duckdb
import pytest
from moto.server import ThreadedMotoServer

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.delivery import DigestItem, build_digest
from jobland_pipeline.delivery.records import EMAIL_DIGESTS, EmailDigestRow
from jobland_pipeline.generation.package import Package
from jobland_pipeline.generation.records import APPLICATION_PACKAGES
from jobland_pipeline.generation.stage import StagedFolder, package_record, write_package_files
from jobland_pipeline.keys import file_stem
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.postings.records import JOB_POSTINGS
from jobland_pipeline.profiles.records import SUGGESTED_TITLES
from jobland_pipeline.warehouse import TABLES, Warehouse
from jobland_pipeline.warehouse.forget import forget_searches, forget_user
from jobland_pipeline.warehouse.store import VIEWS_SCRIPT
from resources import PackageStoreResource, WarehouseResource
from tests.conftest import SAMPLE_CVS

AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    """A fresh bucket (and the AWS_* variables every client reads), emptied and removed afterwards."""
    for key, value in AWS.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    name = f"jobland-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=name)
    yield client, name
    for key in _keys(client, name):
        client.delete_object(Bucket=name, Key=key)
    client.delete_bucket(Bucket=name)


def _keys(client: Any, bucket: str, prefix: str = "") -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return sorted(o["Key"] for page in pages for o in page.get("Contents", []))


def _store(kind: str, tmp_path: Path, bucket: tuple[Any, str]) -> Warehouse:
    client, name = bucket
    if kind == "local":
        return Warehouse(tmp_path / "wh", tmp_path / "db.duckdb")
    return Warehouse(f"s3://{name}/warehouse", tmp_path / "db.duckdb", s3_client=client)


def _title(user: str, n: int) -> dict[str, object]:
    return {"user_id": user, "rank": n, "title": f"Title {n}", "search_key": f"{user}::t{n}", "score": 1.0}


def _scenario(store: Warehouse) -> dict[str, object]:
    """Every operation of the store's API, and what each read gave."""
    store.write_partition("suggested_titles", "alice", [_title("alice", 1), _title("alice", 2)])
    store.write_partition("suggested_titles", "alice", [_title("alice", 3)])  # replaced
    store.write_partition("suggested_titles", "alice2", [_title("alice2", 1)])  # a prefix of no other
    store.write_partition("suggested_titles", "bob::x", [_title("bob", 1)])
    for status in ("sending", "written"):
        store.append_records(EMAIL_DIGESTS, [EmailDigestRow(user_id="alice", status=status)], group="alice")
    store.append_records(EMAIL_DIGESTS, [EmailDigestRow(user_id="bob", status="written")], group="bob")
    before = len(store.files("email_digests"))
    merged = store.compact("email_digests", "alice")
    [bob_file] = [k for k in store.files("suggested_titles") if "bob" in k]
    store.replace_file(bob_file, store.read_file(bob_file).head(0))  # emptied: the file goes
    rows = store.read("suggested_titles", ["alice", "alice2", "bob::x"])
    result: dict[str, object] = {
        "alice": store.read("suggested_titles", ["alice"])["rank"].to_list(),
        "rows": sorted(zip(rows["user_id"], rows["rank"], strict=True)),
        "digests": sorted(r.status for r in store.read_records(EMAIL_DIGESTS, ["alice", "bob"])),
        "files": [before, merged, len(store.files("email_digests"))],
        "titles": sorted(store.files("suggested_titles")),
        "whole": store.read("suggested_titles").height,
        "schema": store.read("suggested_titles", ["nobody"]).schema == TABLES["suggested_titles"].schema,
    }
    store.write_partition("suggested_titles", "carol", [])  # a step that ran and found nothing
    written = store.written("suggested_titles", ["alice", "alice2", "bob::x", "carol", "dave"])
    return {**result, "written": sorted(written)}


def test_the_s3_warehouse_answers_as_the_local_one(tmp_path: Path, bucket: tuple[Any, str]) -> None:
    local, remote = (_scenario(_store(kind, tmp_path / kind, bucket)) for kind in ("local", "s3"))
    assert remote == local
    assert local["alice"] == [3] and local["files"] == [3, 2, 2] and local["whole"] == 2
    assert local["titles"] == ["suggested_titles/alice.parquet", "suggested_titles/alice2.parquet"]
    assert local["written"] == ["alice", "alice2", "carol"]  # written, rows or none; bob's went, dave never
    client, name = bucket
    keys = _keys(client, name, "warehouse/")
    assert "warehouse/suggested_titles/_schema.parquet" in keys  # views have types before any row
    assert not [k for k in keys if k.endswith(".tmp")]  # a PUT is atomic: no temporary objects


def test_records_round_trip_through_s3(tmp_path: Path, bucket: tuple[Any, str]) -> None:
    store = _store("s3", tmp_path, bucket)
    rows = [
        EmailDigestRow(user_id="ann", status=s, recorded_at=datetime(2026, 12, 1, 8, i, tzinfo=UTC))
        for i, s in enumerate(["sending", "written"])
    ]
    store.write_records(EMAIL_DIGESTS, "ann", rows)
    assert store.read_records(EMAIL_DIGESTS, ["ann"]) == rows
    assert str(store.write_partition("email_digests", "ann", [])).startswith("s3://")


def test_a_warehouse_on_s3_needs_a_client(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs an S3 client"):
        Warehouse("s3://bucket/warehouse", tmp_path / "db.duckdb")
    # A caller wrapping the setting in a Path still reaches S3 (Path("s3://b/p") reads "s3:/b/p").
    with pytest.raises(ValueError, match="s3://bucket/warehouse"):
        Warehouse(Path("s3://bucket/warehouse"), tmp_path / "db.duckdb")


def test_the_views_script_reads_the_s3_layout(tmp_path: Path, bucket: tuple[Any, str]) -> None:
    client, name = bucket
    store = _store("s3", tmp_path, bucket)
    _scenario(store)
    published = store.publish_views()  # False here: httpfs cannot be installed offline
    script = store.views_script_path.read_text(encoding="utf-8")
    assert client.get_object(Bucket=name, Key=f"warehouse/{VIEWS_SCRIPT}")["Body"].read().decode() == script
    assert f"read_parquet('s3://{name}/warehouse/suggested_titles/**/*.parquet'" in script
    assert "PROVIDER credential_chain" in script and "URL_STYLE 'path'" in script
    assert "testing" not in script  # credentials come from the analyst's AWS chain, never the file
    if not published:
        with pytest.raises(duckdb.Error):
            store.query("SELECT count(*) FROM suggested_titles")
    # The same views over a copy of the bucket: the SQL and the globs fit the layout.
    mirror = tmp_path / "mirror"
    for key in _keys(client, name, "warehouse/"):
        (mirror / key).parent.mkdir(parents=True, exist_ok=True)
        client.download_file(name, key, str(mirror / key))
    views = script[script.index("CREATE OR REPLACE VIEW") :].replace(f"s3://{name}/", f"{mirror.as_posix()}/")
    with duckdb.connect() as con:
        con.execute(views)
        assert con.execute("SELECT count(*) FROM suggested_titles").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM email_digests").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM screenings").fetchone() == (0,)  # empty, typed


def _ledger(store: Warehouse, user: str) -> None:
    store.write_partition("suggested_titles", user, [_title(user, 1), _title(user, 2)])
    store.write_partition("job_postings", f"{user}::t1", [{"search_key": f"{user}::t1", "posting_id": "p"}])
    store.append_records(EMAIL_DIGESTS, [EmailDigestRow(user_id=user, status="written")], group="shared")


def test_forgetting_a_user_on_s3(tmp_path: Path, bucket: tuple[Any, str]) -> None:
    client, name = bucket
    store = _store("s3", tmp_path, bucket)
    for user in ("ann", "bob"):
        _ledger(store, user)
        client.put_object(Bucket=name, Key=f"packages/{user}/2026-12-01/acme--nurse/cv.md", Body=b"cv")
    store.compact("email_digests", "shared")
    # sensors/forget.py passes Path(<packages setting>) / user: a mangled s3:// URL is still S3.
    report = forget_user(store, "ann", folders=[Path(f"s3://{name}/packages") / "ann"])
    assert report.rows["suggested_titles"] == 2 and report.rows["email_digests"] == 1
    assert report.files == [f"s3://{name}/packages/ann"]
    assert _keys(client, name, "packages/") == ["packages/bob/2026-12-01/acme--nurse/cv.md"]
    assert store.read("suggested_titles")["user_id"].unique().to_list() == ["bob"]
    assert store.read("email_digests")["user_id"].to_list() == ["bob"]
    assert store.read("job_postings")["search_key"].to_list() == ["bob::t1"]
    gone = forget_searches(store, ["bob::t1"])
    assert gone.rows["job_postings"] == 1 and store.read("job_postings").is_empty()
    local = _store("local", tmp_path / "local", bucket)
    with pytest.raises(ValueError, match="warehouse on S3"):
        forget_user(local, "bob", folders=[f"s3://{name}/packages/bob"])


def _package(body: str = "# Ann\n") -> tuple[Package, Posting]:
    files: dict[str, str | bytes] = {"tailored_cv.md": body, "tailored_cv.pdf": b"%PDF-1.4 x"}
    package = Package(
        posting_id="p1",
        company="Acme",
        title="Nurse",
        files=files,
        ats_coverage_before=0.2,
        ats_coverage_after=0.5,
        grounding_issues=[],
        placeholder_issues=[],
    )
    return package, Posting(id="p1", title="Nurse", company="Acme", url="https://jobs.example/1")


def _record(folder: Path | StagedFolder, files: list[str]) -> Any:
    package, posting = _package()
    return package_record(
        "ann::nurse",
        posting,
        package,
        score=80,
        probability="High",
        reasons=["r"],
        folder=folder,
        files=files,
        review_status="approved",
        revision_note=None,
        now=datetime.now(UTC),
    )


def test_packages_on_s3_are_uploaded_and_read_back(
    tmp_path: Path, bucket: tuple[Any, str], s3_endpoint: str
) -> None:
    client, name = bucket
    store = PackageStoreResource(path=f"s3://{name}/packages", endpoint_url=s3_endpoint)
    folder = store.folder("ann", "2026-12-01", "acme--nurse")
    assert isinstance(folder, StagedFolder) and folder.path.is_dir()
    package, posting = _package()
    files = write_package_files(folder, package, posting, "Shorter, please")
    record = _record(folder, files)
    location = f"s3://{name}/packages/ann/2026-12-01/acme--nurse"
    assert record.package_dir == location
    assert not folder.path.exists()  # the staging copy is gone once uploaded
    prefix = "packages/ann/2026-12-01/acme--nurse/"
    assert _keys(client, name, prefix) == [prefix + f for f in files]
    assert client.head_object(Bucket=name, Key=prefix + "tailored_cv.pdf")["ContentType"] == "application/pdf"
    assert dict(store.read_package(location))["tailored_cv.md"] == b"# Ann\n"
    assert store.missing_files(location, [*files, "cover_letter.md"]) == ["cover_letter.md"]
    # The local mode is unchanged: a folder on disk, and its path in the record.
    local = PackageStoreResource(path=str(tmp_path / "packages"))
    on_disk = local.folder("ann", "2026-12-01", "acme--nurse")
    assert (
        isinstance(on_disk, Path) and on_disk == tmp_path / "packages" / "ann" / "2026-12-01" / "acme--nurse"
    )
    written = write_package_files(on_disk, package, posting, None)
    assert _record(on_disk, written).package_dir == str(on_disk)
    assert local.missing_files(str(on_disk), written) == []


def test_the_digest_attaches_packages_read_back_from_s3(bucket: tuple[Any, str], s3_endpoint: str) -> None:
    _, name = bucket
    store = PackageStoreResource(path=f"s3://{name}/packages", endpoint_url=s3_endpoint)
    folder = store.folder("ann", "2026-12-01", "acme--nurse")
    package, posting = _package()
    files = write_package_files(folder, package, posting, None)
    # delivery/stage.py builds each item with Path(package_dir): the s3:// location survives that.
    item = DigestItem(
        posting_id="p1",
        title="Nurse",
        company="Acme",
        location="",
        score=80,
        probability="High",
        reasons=[],
        url=None,
        package_dir=Path(_record(folder, files).package_dir),
    )
    kwargs: dict[str, Any] = {
        "user_id": "ann",
        "name": "Ann",
        "recipient": "ann@example.com",
        "sender": "jobland@example.org",
        "day": date(2026, 12, 1),
        "items": [item],
    }
    message = message_from_bytes(
        build_digest(**kwargs, package_files=store.read_package).as_bytes(), policy=policy.default
    )
    [attachment] = [p for p in message.walk() if p.get_filename()]
    assert attachment.get_filename() == "Acme--Nurse.zip"  # the job's company and title
    with zipfile.ZipFile(io.BytesIO(attachment.get_payload(decode=True))) as archive:
        assert sorted(archive.namelist()) == [f"Acme--Nurse/{f}" for f in files]
        assert archive.read("Acme--Nurse/tailored_cv.md") == b"# Ann\n"
    with pytest.raises(ValueError, match="package store"):
        build_digest(**kwargs)  # an S3 package is never silently sent without its files


def test_intake_and_search_in_process_with_everything_on_s3(
    tmp_path: Path, bucket: tuple[Any, str], s3_endpoint: str
) -> None:
    """The assets themselves on S3 (no Celery): CV in the S3 inbox, warehouse and packages on S3."""
    client, name = bucket
    user = "emma_clarke"
    client.put_object(Bucket=name, Key=f"cvs/{user}/cv.txt", Body=SAMPLE_CVS[user].read_bytes())
    env = {
        "JOBLAND_HOME": str(tmp_path / "var"),
        "JOBLAND_INBOX_URL": f"s3://{name}/cvs",
        "JOBLAND_WAREHOUSE_DIR": f"s3://{name}/warehouse",
        "JOBLAND_PACKAGES_DIR": f"s3://{name}/packages",
        "JOBLAND_S3_ENDPOINT_URL": s3_endpoint,
        "JOBLAND_S3_REGION": "us-east-1",
    }
    defs = build_definitions(env)
    store = WarehouseResource(
        root=env["JOBLAND_WAREHOUSE_DIR"],
        duckdb_path=str(tmp_path / "db.duckdb"),
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
    ).store
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", [user])
        assert (
            defs.resolve_job_def("intake_job")
            .execute_in_process(instance=instance, partition_key=user)
            .success
        )
        keys = sorted({str(t.search_key) for t in store.read_records(SUGGESTED_TITLES, [user])})
        instance.add_dynamic_partitions("searches", keys)
        tags = {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}
        assert defs.resolve_job_def("search_job").execute_in_process(instance=instance, tags=tags).success
    # Every search of the batch wrote its partition (empty when nothing was found), on S3 only.
    assert {f"job_postings/{file_stem(k)}.parquet" for k in keys} <= set(store.files(JOB_POSTINGS.name))
    packages = store.read(APPLICATION_PACKAGES.name, keys)
    files = PackageStoreResource(path=env["JOBLAND_PACKAGES_DIR"], endpoint_url=s3_endpoint)
    assert packages.height and all(
        d.startswith(f"s3://{name}/packages/{user}/") for d in packages["package_dir"]
    )
    assert all(not files.missing_files(r["package_dir"], r["files"]) for r in packages.iter_rows(named=True))
    assert not (tmp_path / "var" / "warehouse").exists() and not (tmp_path / "var" / "packages").exists()

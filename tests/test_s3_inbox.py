"""The S3 inbox against a real S3-protocol server on loopback (moto's server): listing, cursor, intake."""

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import dagster as dg
import polars as pl
import pytest
from dagster_aws.s3 import S3Resource
from moto.server import ThreadedMotoServer

from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.inbox_cursor import InboxCursor, plan_tick
from jobland_pipeline.s3inbox import ObjectTooLarge, S3Lister, presigned_upload_url, read_object
from resources import S3InboxResource
from sensors.cv_inbox import cv_inbox_sensor
from tests.conftest import SAMPLE_CVS

BUCKET = "jobland-inbox"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield client
    keys = [
        o["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        for o in page.get("Contents", [])
    ]
    for i in range(0, len(keys), 1000):
        client.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": k} for k in keys[i : i + 1000]]})
    client.delete_bucket(Bucket=BUCKET)


def _put(client, key: str, body: bytes = b"Jane Doe CV") -> None:  # type: ignore[no-untyped-def]
    client.put_object(Bucket=BUCKET, Key=key, Body=body)


def test_sweep_over_thousands_of_keys_in_bounded_pages(s3) -> None:  # type: ignore[no-untyped-def]
    for i in range(2100):
        _put(s3, f"cvs/user{i:04d}/cv.txt")
    lister = S3Lister(s3, BUCKET, "cvs")
    cursor = InboxCursor()
    first = plan_tick(lister, cursor, page_size=1000, max_pages=1)
    assert first.pages == 1 and not first.sweep_completed
    # the tick's last user is left to the next (more of its files may follow on the next page)
    assert len(first.changed_users) == 999 and first.cursor.after == "user0998/cv.txt"
    _put(s3, "cvs/user0001/cv.txt", b"a new version")  # behind the cursor: found in the next sweep
    _put(s3, "cvs/user9999/cv.txt")  # ahead of the cursor: found in this sweep
    second = plan_tick(lister, first.cursor, page_size=1000, max_pages=5, max_changed_users=5000)
    assert second.sweep_completed and len(second.changed_users) == 1102 and "user0999" in second.changed_users
    assert "user9999" in second.changed_users and "user0001" not in second.changed_users
    third = plan_tick(lister, second.cursor, page_size=1000, max_pages=5)
    assert third.changed_users == ["user0001"]  # the overwritten older key (ETag changed)
    s3.delete_object(Bucket=BUCKET, Key="cvs/user0002/cv.txt")
    fourth = plan_tick(lister, third.cursor, page_size=1000, max_pages=5)
    assert fourth.deleted == ["user0002/cv.txt"] and fourth.changed_users == ["user0002"]
    quiet = plan_tick(lister, fourth.cursor, page_size=1000, max_pages=5)
    capped = plan_tick(lister, InboxCursor(), page_size=100, max_pages=50, max_changed_users=200)
    assert len(capped.changed_users) == 199 and capped.pages == 2  # bounded work per tick, resumes later
    assert quiet.changed_users == [] and quiet.sweep_completed
    restored = InboxCursor.decode(quiet.cursor.encode())  # the cursor survives a restart
    assert restored.known == quiet.cursor.known and len(quiet.cursor.encode()) < 40_000


def test_hostile_keys_are_rejected_with_reasons(s3) -> None:  # type: ignore[no-untyped-def]
    good = "cvs/jane_doe/cv.pdf"
    hostile = [
        "cvs/../etc/passwd",
        "cvs/jane_doe/sub/cv.pdf",
        "cvs/Bad User/cv.pdf",
        "cvs/ｍaria/cv.pdf",
        f"cvs/{'x' * 70}/cv.pdf",
        "cvs/jane_doe/notes.exe",
        "cvs/jane_doe/" + "a" * 250 + ".pdf",
    ]
    for key in [good, *hostile]:
        _put(s3, key)
    _put(s3, "cvs/jane_doe/$(reboot).pdf")  # a strange but plain name: kept literally, never executed
    plan = plan_tick(S3Lister(s3, BUCKET, "cvs"), InboxCursor())
    assert plan.changed_users == ["jane_doe"]
    assert sorted(plan.cursor.known) == ["jane_doe/$(reboot).pdf", "jane_doe/cv.pdf"]
    assert len(plan.rejected) == len(hostile)
    assert all(reason for _, reason in plan.rejected)


def test_sensor_on_s3_adds_partitions_and_dedupes_runs(s3, s3_endpoint: str) -> None:  # type: ignore[no-untyped-def]
    _put(s3, "cvs/maria_santos/cv.pdf", SAMPLE_CVS["maria_santos"].read_bytes())
    _put(s3, "cvs/emma_clarke/cv.txt", SAMPLE_CVS["emma_clarke"].read_bytes())
    inbox = S3InboxResource(url=f"s3://{BUCKET}/cvs", s3=S3Resource(endpoint_url=s3_endpoint))
    with dg.instance_for_test() as instance:
        with dg.build_sensor_context(instance=instance, resources={"inbox": inbox}) as ctx:
            result = cv_inbox_sensor(ctx)
        assert sorted(r.partition_key for r in result.run_requests or []) == ["emma_clarke", "maria_santos"]
        [add] = result.dynamic_partitions_requests or []
        assert list(add.partition_keys or []) == ["emma_clarke", "maria_santos"]
        with dg.build_sensor_context(
            instance=instance, resources={"inbox": inbox}, cursor=result.cursor
        ) as ctx:
            again = cv_inbox_sensor(ctx)
        assert not again.run_requests


def test_intake_reads_cvs_and_settings_from_s3(
    s3,
    s3_endpoint: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _put(s3, "cvs/maria_santos/maria.pdf", SAMPLE_CVS["maria_santos"].read_bytes())
    _put(
        s3,
        "cvs/maria_santos/settings.yaml",
        b"email: maria.new@example.com\npinned_titles: [Nurse Educator]\n",
    )
    env = {
        "JOBLAND_HOME": str(tmp_path / "var"),
        "JOBLAND_INBOX_URL": f"s3://{BUCKET}/cvs",
        "JOBLAND_S3_ENDPOINT_URL": s3_endpoint,
        "JOBLAND_S3_REGION": "us-east-1",
    }
    defs = build_definitions(env)
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", ["maria_santos"])
        result = defs.resolve_job_def("intake_job").execute_in_process(
            instance=instance, partition_key="maria_santos"
        )
        assert result.success
    wh = tmp_path / "var" / "warehouse"
    docs = pl.read_parquet(wh / "cv_documents" / "maria_santos.parquet")
    assert docs["status"].to_list() == ["ok"] and docs["parser"].to_list() == ["pypdf"]
    profile = pl.read_parquet(wh / "profiles" / "maria_santos.parquet")
    assert profile["email"][0] == "maria.new@example.com" and profile["name"][0] == "Maria Santos"
    titles = pl.read_parquet(wh / "suggested_titles" / "maria_santos.parquet")
    assert titles["title"][0] == "Nurse Educator" and titles["source"][0] == "pinned"


def test_size_cap_before_download(s3) -> None:  # type: ignore[no-untyped-def]
    _put(s3, "cvs/big/cv.pdf", b"%PDF-" + b"0" * 5000)
    with pytest.raises(ObjectTooLarge, match="5,005 bytes"):
        read_object(s3, BUCKET, "cvs/big/cv.pdf", max_bytes=1000)


def test_presigned_upload_url(s3) -> None:  # type: ignore[no-untyped-def]
    url, key = presigned_upload_url(
        s3, BUCKET, "cvs", "jane_doe", "../../Jane Doe CV.pdf", expires_seconds=300
    )
    assert (key == "cvs/jane_doe/Jane_Doe_CV.pdf" and "Expires=" in url) or "X-Amz-Expires=300" in url
    request = urllib.request.Request(
        url, data=b"%PDF-1.4 test", method="PUT", headers={"Content-Type": "application/pdf"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"%PDF-1.4 test"
    with pytest.raises(ValueError, match="expiry"):
        presigned_upload_url(s3, BUCKET, "cvs", "jane_doe", "cv.pdf", expires_seconds=7 * 24 * 3600)
    with pytest.raises(ValueError, match="not a CV file type"):
        presigned_upload_url(s3, BUCKET, "cvs", "jane_doe", "payload.exe")
    with pytest.raises(ValueError, match=r"old \.doc files are not read; save it as DOCX or PDF"):
        presigned_upload_url(s3, BUCKET, "cvs", "jane_doe", "Jane CV.doc")


def test_upload_url_command_says_what_is_wrong_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """No credentials, an expiry out of range: one line on stderr and exit 2, never a traceback."""
    from jobland_cli import main as jobland

    monkeypatch.setenv("JOBLAND_HOME", str(tmp_path))
    monkeypatch.setenv("JOBLAND_INBOX_URL", "s3://my-bucket/cvs")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)  # a fresh process: no credentials cached
    args = ["upload-url", "--user", "jane_doe", "--file", "cv.pdf"]
    assert jobland([*args, "--expires-minutes", "15"]) == 2
    assert "no AWS credentials" in capsys.readouterr().err
    assert jobland([*args, "--expires-minutes", "0"]) == 2
    assert "--expires-minutes must be between 1 and 60 (got 0)" in capsys.readouterr().err

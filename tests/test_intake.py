"""Intake edge cases through Dagster: CVs by URL, settings without a CV, bad settings files."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.definitions import build_definitions
from tests.conftest import SAMPLE_CVS

PDF = SAMPLE_CVS["maria_santos"].read_bytes()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/cv.pdf"):
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF)
        else:
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def _intake(tmp_path: Path, users: dict[str, dict[str, bytes]], **env: str) -> Path:
    home = tmp_path / "var"
    for user, files in users.items():
        for name, data in files.items():
            (home / "inbox" / user).mkdir(parents=True, exist_ok=True)
            (home / "inbox" / user / name).write_bytes(data)
    defs = build_definitions({"JOBLAND_HOME": str(home), **env})
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("users", list(users))
        for user in users:
            defs.resolve_job_def("intake_job").execute_in_process(
                instance=instance, partition_key=user, raise_on_error=False
            )
    return home / "warehouse"


def test_cv_by_url_downloads_safely(tmp_path: Path, server: str) -> None:
    settings = (
        f"cv_urls:\n  - http://{server}/cv.pdf?token=secret123\n  - http://{server}/redirect\n".encode()
    )
    wh = _intake(tmp_path, {"remote_user": {"settings.yaml": settings}}, JOBLAND_CV_URL_ALLOW=server)
    docs = pl.read_parquet(wh / "cv_documents" / "remote_user.parquet").sort("file_name")
    assert docs["status"].to_list() == ["ok", "error"]
    assert docs["file_name"][0] == f"http://{server}/cv.pdf"  # the token never reaches the warehouse
    assert docs["error_code"][1] == "blocked_address"
    assert "secret123" not in docs.write_csv()
    profile = pl.read_parquet(wh / "profiles" / "remote_user.parquet")
    assert profile["name"][0] == "Maria Santos"


def test_settings_without_a_cv_search_pinned_titles(tmp_path: Path) -> None:
    settings = b"email: sam@example.com\npinned_titles: [Data Engineer, Zookeeper]\n"
    wh = _intake(tmp_path, {"sam": {"settings.yaml": settings}})
    titles = pl.read_parquet(wh / "suggested_titles" / "sam.parquet")
    assert titles["title"].to_list() == ["Data Engineer", "Zookeeper"]
    # Without a CV, a pinned title's skills are the tools O*NET lists for its occupation.
    data_tools = titles["skills"][0].to_list()
    assert any(
        t in data_tools for t in ("Apache Spark", "Apache Hadoop", "Amazon Redshift", "Microsoft SQL Server")
    ), data_tools
    assert pl.read_parquet(wh / "profiles" / "sam.parquet")["email"][0] == "sam@example.com"


def test_invalid_settings_fail_only_that_user(tmp_path: Path) -> None:
    users = {
        "bad_settings": {
            "cv.txt": SAMPLE_CVS["emma_clarke"].read_bytes(),
            "settings.yaml": b"preferences:\n  remote: maybe\n",
        },
        "fine": {"cv.txt": SAMPLE_CVS["emma_clarke"].read_bytes()},
    }
    wh = _intake(tmp_path, users)
    assert (wh / "profiles" / "fine.parquet").exists()
    assert not (wh / "profiles" / "bad_settings.parquet").exists()
    docs = pl.read_parquet(wh / "cv_documents" / "bad_settings.parquet")
    assert docs["status"].to_list() == ["ok"]  # the CV itself was read; the settings error is reported

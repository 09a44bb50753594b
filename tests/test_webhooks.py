"""Completion webhooks against a loopback receiver that checks signatures and misbehaves on purpose."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dagster as dg
import polars as pl
import pytest

from jobland_pipeline.batch import RunView, failures, stage_counts
from jobland_pipeline.definitions import build_definitions
from jobland_pipeline.delivery.webhooks import (
    DELIVERED,
    FAILED,
    PARTLY_DELIVERED,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookConfig,
    WebhookLedger,
    WebhookOutcome,
    batch_event,
    send_event,
    sign,
    verify,
)
from jobland_pipeline.net import CircuitBreaker, RetryPolicy
from jobland_pipeline.warehouse import Warehouse
from resources import SETTINGS, WebhookResource
from resources.settings import configure, resolve
from sensors.local_run import run_once
from sensors.webhooks import webhooks_after_delivery
from tests.conftest import SAMPLE_CVS, SAMPLE_INBOX

SECRET = "whsec_test_0123456789abcdef"


class Receiver:
    """A webhook endpoint: drops the first connection unanswered, answers 500 once, then 200.

    Only requests whose signature verifies are accepted; every request is kept to assert on.
    """

    def __init__(self, script: list[str] | None = None) -> None:
        self.script = list(script if script is not None else ["drop", "500"])
        self.requests: list[dict[str, Any]] = []
        self.accepted: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = dict(self.headers.items())
                with receiver.lock:
                    action = receiver.script.pop(0) if receiver.script else "200"
                    receiver.requests.append({"headers": headers, "body": body, "action": action})
                if action == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)  # no answer at all: the client sees a dropped connection
                    return
                if action == "500":
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if not verify(SECRET, headers, body):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with receiver.lock:
                    receiver.accepted.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/jobland"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def fast(urls: tuple[str, ...], ledger: Path, retries: int = 4) -> WebhookConfig:
    return WebhookConfig(
        urls=urls,
        secret=SECRET,
        ledger_dir=ledger,
        timeout=5,
        retry=RetryPolicy(max_retries=retries, backoff_base=0.01, backoff_max=0.05),
    )


def test_signature_is_hmac_over_timestamp_and_body() -> None:
    body = b'{"a":1}'
    signature = sign(SECRET, 1_700_000_000, body)
    import hashlib
    import hmac

    assert signature == "v1=" + hmac.new(SECRET.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    headers = {TIMESTAMP_HEADER: "1700000000", SIGNATURE_HEADER: signature}
    assert verify(SECRET, headers, body, now=1_700_000_100)
    assert not verify(SECRET, headers, body + b" ", now=1_700_000_100)  # body changed
    assert not verify("other-secret", headers, body, now=1_700_000_100)
    assert not verify(SECRET, headers, body, now=1_700_000_000 + 3600)  # replayed an hour later


def test_retried_through_a_dropped_connection_and_a_500_then_sent_once(tmp_path: Path) -> None:
    counts = {"digest": "written", "packages": 2, "digest_packages": 2, "postings": 5}
    event = batch_event("ann", date(2026, 12, 6), counts, [])
    assert event["type"] == DELIVERED
    with Receiver() as receiver:
        config = fast((receiver.url,), tmp_path / "ledger")
        [outcome] = send_event(config, event)
        assert outcome.status == "delivered" and outcome.attempts == 3 and outcome.http_status == 204
        assert [r["action"] for r in receiver.requests] == ["drop", "500", "200"]
        # Every attempt carried the same event id, signed afresh.
        assert {r["headers"]["X-JobLand-Event-Id"] for r in receiver.requests} == {event["id"]}
        # A second sensor tick (or a second process) sends nothing: the ledger holds the claim.
        [again] = send_event(config, event)
        assert again.status == "already_sent"
        assert len(receiver.requests) == 3
    assert receiver.bad_signatures == 0
    assert receiver.accepted == [event]


def test_a_receiver_that_keeps_failing_is_recorded_without_the_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    event = batch_event("ann", date(2026, 12, 6), {"digest": "dead_letter", "digest_error": "550 no"}, [])
    assert event["type"] == FAILED
    lines: list[str] = []
    with Receiver(["500"] * 10) as receiver:
        url = receiver.url + "?token=" + SECRET  # a URL may carry a secret too
        [outcome] = send_event(fast((url,), tmp_path / "ledger", retries=2), event, log=lines.append)
    assert outcome.status == "failed" and outcome.attempts == 3 and outcome.http_status == 500
    assert outcome.error and "500" in outcome.error
    [record] = WebhookLedger(tmp_path / "ledger").records()
    assert record["status"] == "failed" and record["attempts"] == 3
    stored = "".join(p.read_text() for p in (tmp_path / "ledger").rglob("*.json"))
    assert SECRET not in stored and "token" not in stored and "127.0.0.1:" not in stored
    assert len(lines) == 2 and all(SECRET not in line for line in lines)
    assert SECRET not in caplog.text


def test_a_dead_receiver_opens_the_circuit_for_the_rest_of_the_run(tmp_path: Path) -> None:
    breakers: dict[str, CircuitBreaker] = {}
    outcomes = []
    with Receiver(["500"] * 100) as receiver:
        config = fast((receiver.url,), tmp_path / "ledger", retries=1)
        for user in ("ann", "bob", "cy", "di", "ed"):
            event = batch_event(user, date(2026, 12, 6), {"digest": "written"}, [])
            outcomes += send_event(config, event, breakers=breakers)
    assert [o.status for o in outcomes] == ["failed"] * 5
    assert [o.attempts for o in outcomes] == [2, 2, 2, 0, 0]  # three users tried, then the circuit opened
    assert len(receiver.requests) == 6
    assert outcomes[-1].error and "circuit open" in outcomes[-1].error
    assert {r["user"]: r["status"] for r in WebhookLedger(tmp_path / "ledger").records()}["ed"] == "failed"


def test_a_crashed_claim_is_taken_over_after_its_lease(tmp_path: Path) -> None:
    clock = [1000.0]
    ledger = WebhookLedger(tmp_path, lease=60, now=lambda: clock[0])
    outcome = WebhookOutcome("evt_1", DELIVERED, "ann", "2026-12-06", "host-1", "sending")
    assert ledger.claim(outcome) == (True, None)
    claimed, held = ledger.claim(outcome)  # another tick while the first is sending
    assert not claimed and held and held["status"] == "sending"
    clock[0] += 61  # the first process died mid-send
    assert ledger.claim(outcome) == (True, None)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dg.DagsterInstance, Path]]:
    home = tmp_path_factory.mktemp("webhooks") / "var"
    for user in SAMPLE_CVS:
        shutil.copytree(SAMPLE_INBOX / user, home / "inbox" / user)
    (home / "dagster").mkdir(parents=True)
    env = {"JOBLAND_HOME": str(home)}
    with dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        assert (
            run_once(build_definitions(env), resolve(env, SETTINGS), seed_samples=False, instance=instance)
            == 0
        )
        yield instance, home


def _delivery_run(instance: dg.DagsterInstance) -> dg.DagsterRun:
    [record] = instance.get_run_records(filters=dg.RunsFilter(job_name="delivery_job"))
    assert record.dagster_run.status == dg.DagsterRunStatus.SUCCESS
    return record.dagster_run


def _sensor(
    sensor: dg.RunStatusSensorDefinition,
    instance: dg.DagsterInstance,
    run: dg.DagsterRun,
    webhooks: WebhookResource,
) -> dg.RunRequest | dg.SkipReason:
    [record] = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_SUCCESS).records
    event = record.event_log_entry.dagster_event
    assert event is not None
    with dg.build_run_status_sensor_context(
        sensor_name=sensor.name,
        dagster_event=event,
        dagster_instance=instance,
        dagster_run=run,
        resources={"webhooks": webhooks},
    ) as ctx:
        answer = sensor(ctx)
    assert isinstance(answer, (dg.RunRequest, dg.SkipReason))
    return answer


def test_one_signed_event_per_user_and_day_after_the_delivery_run(
    batch: tuple[dg.DagsterInstance, Path],
) -> None:
    instance, home = batch
    run = _delivery_run(instance)
    store = Warehouse(home / "warehouse", home / "jobland.duckdb")
    today = date.today()
    with Receiver() as receiver:
        env = {
            "JOBLAND_HOME": str(home),
            "JOBLAND_WEBHOOK_URLS": receiver.url,
            "JOBLAND_WEBHOOK_SECRET": SECRET,
        }
        request = _sensor(webhooks_after_delivery, instance, run, configure(WebhookResource, env))
        assert isinstance(request, dg.RunRequest) and request.run_key == f"webhooks:{run.run_id}"
        job = build_definitions(env).resolve_job_def("webhooks_job")
        for _ in range(2):  # a second webhooks run for the same delivery run must send nothing new
            result = job.execute_in_process(run_config=dict(request.run_config), instance=instance)
            assert result.success
    assert receiver.bad_signatures == 0
    users = sorted(SAMPLE_CVS)
    assert sorted(e["user"] for e in receiver.accepted) == users  # exactly one per (user, day)
    # the first connection was dropped and one 500 answered, then every user went through
    assert [r["action"] for r in receiver.requests[:2]] == ["drop", "500"]
    assert len(receiver.requests) == len(users) + 2
    packages = store.read("application_packages")
    for e in receiver.accepted:
        user = e["user"]
        assert e["day"] == today.isoformat() and e["run_id"] == run.run_id
        assert e["type"] == DELIVERED, e["failures"]
        assert e["digest"]["status"] == "written"
        assert e["counts"] == {k: v for k, v in stage_counts(store, user, today).items() if k in e["counts"]}
        mine = packages.filter(pl.col("user_id") == user)["application_id"].n_unique()
        assert e["counts"]["packages"] == mine > 0
        assert e["digest"]["packages"] == mine
        assert e["counts"]["postings"] > 0 and e["counts"]["titles"] > 0
    records = WebhookLedger(home / "webhooks").records()
    assert sorted(r["user"] for r in records) == users
    assert {(r["status"], r["event"]) for r in records} == {("delivered", DELIVERED)}
    assert not any(SECRET in p.read_text() for p in (home / "webhooks").rglob("*.json"))


def test_no_urls_no_webhook_runs(batch: tuple[dg.DagsterInstance, Path]) -> None:
    instance, home = batch
    env = {"JOBLAND_HOME": str(home / "other")}
    answer = _sensor(
        webhooks_after_delivery, instance, _delivery_run(instance), configure(WebhookResource, env)
    )
    assert isinstance(answer, dg.SkipReason) and "JOBLAND_WEBHOOK_URLS" in str(answer.skip_message)


def test_partly_delivered_and_failed_batches_say_why() -> None:
    now = datetime.now(UTC)
    search = RunView(
        "s1",
        "search_job",
        "SUCCESS",
        frozenset({"ann"}),
        now,
        steps=dict.fromkeys(
            ["job_postings", "screenings", "company_dossiers", "application_packages"], "SUCCESS"
        ),
        key_failures={"job_postings": {"ann::nurse": "EngineError: every engine failed"}},
    )
    delivery = RunView(
        "d1",
        "delivery_job",
        "FAILURE",
        frozenset({"ann"}),
        now,
        steps={"email_digests": "FAILURE"},
        step_errors={"email_digests": "OSError: [Errno 28] No space left on device\nTraceback..."},
    )
    counts: dict[str, int | str | None] = {"digest": "written", "digest_packages": 2}
    partly = batch_event("ann", now.date(), counts, failures("ann", [search], counts))
    assert partly["type"] == PARTLY_DELIVERED
    assert partly["failures"] == [
        {"stage": "search", "reason": "ann::nurse: EngineError: every engine failed", "run_id": "s1"}
    ]
    failed = batch_event("ann", now.date(), {}, failures("ann", [search, delivery], {}), run_failed=True)
    assert failed["type"] == FAILED and failed["id"] != partly["id"]
    assert {
        "stage": "digest",
        "reason": "OSError: [Errno 28] No space left on device",
        "run_id": "d1",
    } in failed["failures"]


def test_urls_without_a_secret_are_refused() -> None:
    from jobland_pipeline.profiles.user_settings import SettingsError

    with pytest.raises(SettingsError, match="JOBLAND_WEBHOOK_SECRET"):
        WebhookResource(urls="https://hooks.example.com/x").config()
    with pytest.raises(SettingsError, match="URL 2"):
        WebhookResource(urls="https://a.example.com/x, ftp://b", secret="s3cret").config()


def test_a_local_pass_sends_the_events_itself(tmp_path: Path) -> None:
    """`make run` has no daemon: its pass runs the webhooks after delivery, once, as the sensor would."""
    home = tmp_path / "var"
    user = sorted(SAMPLE_CVS)[0]
    shutil.copytree(SAMPLE_INBOX / user, home / "inbox" / user)
    (home / "dagster").mkdir(parents=True)
    with Receiver(script=[]) as receiver, dg.instance_for_test(temp_dir=str(home / "dagster")) as instance:
        env = {
            "JOBLAND_HOME": str(home),
            "JOBLAND_WEBHOOK_URLS": receiver.url,
            "JOBLAND_WEBHOOK_SECRET": SECRET,
        }
        defs, values = build_definitions(env), resolve(env, SETTINGS)
        assert run_once(defs, values, seed_samples=False, instance=instance) == 0
        assert run_once(defs, values, seed_samples=False, instance=instance) == 0  # a second pass: no resend
        deliveries = instance.get_run_records(dg.RunsFilter(job_name="delivery_job"))  # newest first
        hooks = instance.get_run_records(dg.RunsFilter(job_name="webhooks_job"))
    assert receiver.bad_signatures == 0
    first = deliveries[-1].dagster_run.run_id
    assert [(e["user"], e["type"], e["run_id"]) for e in receiver.accepted] == [(user, DELIVERED, first)]
    assert len(receiver.requests) == 1  # the second pass's event was in the ledger already
    assert sorted(r.dagster_run.tags["dagster/run_key"] for r in hooks) == sorted(
        f"webhooks:{d.dagster_run.run_id}" for d in deliveries
    )

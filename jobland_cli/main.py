"""The ``jobland`` command: offline screening and tailoring without a Dagster run, plus local runs."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from datetime import date
from pathlib import Path

from jobland_cli import golden_command, search_command, status_command, why_command
from jobland_cli.screen import fetch_postings, posting_url_allow, run_screen
from jobland_pipeline.documents import DocumentError, extract_file
from jobland_pipeline.generation.stories import (
    MAX_STORIES_BYTES,
    Stories,
    Story,
    read_stories,
    select_stories,
)
from jobland_pipeline.generation.text import PostingText
from jobland_pipeline.jsonlimits import JsonLimitError, load_file
from jobland_pipeline.keys import slugify
from jobland_pipeline.llm import get_engine
from jobland_pipeline.postings import PostingsFileError
from jobland_pipeline.postings.from_url import PostingPageError, posting_from_url
from jobland_pipeline.postings.models import Posting
from jobland_pipeline.profiles.models import Profile
from jobland_pipeline.profiles.user_settings import SettingsError, UserSettings, load_user_settings
from jobland_pipeline.screening.models import Screening
from jobland_pipeline.screening.preferences import with_preferences
from jobland_pipeline.screening.score import Thresholds
from jobland_pipeline.warehouse.forget import Forgotten


class CliError(Exception):
    """Shown as one line on stderr; exit code 2."""


# The project the command belongs to (an editable install: the repository). Relative paths in the
# settings are the project's, whatever the current directory is.
PROJECT = Path(__file__).resolve().parents[1]


def project_environment() -> None:
    """Check the settings and anchor them: an unknown JOBLAND_* variable is an error for every command,
    a relative JOBLAND_HOME is under the project (not the current directory), and DAGSTER_HOME defaults
    to ``<JOBLAND_HOME>/dagster`` holding the project's ``dagster.yaml`` (SQLite)."""
    from resources import SETTINGS
    from resources.settings import check_environment

    check_environment(os.environ, SETTINGS)
    home = Path(os.environ.get("JOBLAND_HOME") or "var")
    if not home.is_absolute():
        base = PROJECT if (PROJECT / "workspace.yaml").is_file() else Path.cwd()
        home = base / home
        os.environ["JOBLAND_HOME"] = str(home)
    if not os.environ.get("DAGSTER_HOME"):
        dagster_home = home / "dagster"
        dagster_home.mkdir(parents=True, exist_ok=True)
        source = PROJECT / "dagster.yaml"
        if source.is_file() and not (dagster_home / "dagster.yaml").exists():
            (dagster_home / "dagster.yaml").write_bytes(source.read_bytes())
        os.environ["DAGSTER_HOME"] = str(dagster_home)
    elif not Path(os.environ["DAGSTER_HOME"]).is_absolute():
        os.environ["DAGSTER_HOME"] = str(Path(os.environ["DAGSTER_HOME"]).resolve())


def _read_cv(path: Path, engine_name: str, as_of: date):  # type: ignore[no-untyped-def]
    if not path.is_file():
        raise CliError(f"{path}: no such file")
    try:
        _scan(path)
        document = extract_file(path)
    except DocumentError as exc:  # a scan that could not run is not retried here: the command just stops
        raise CliError(f"{path}: cannot read CV: {exc.reason.removesuffix('; retried later')}") from exc
    engine = get_engine(engine_name)
    user_id = slugify(path.stem)[:40] or "cli-user"
    return document, engine, engine.profile(document, user_id=user_id, as_of=as_of)


def _scan(path: Path) -> None:
    """With ``JOBLAND_CLAMD`` set, the CV goes to clamd before any parser, as in the pipeline's intake:
    infected or unscannable means not read (a ``DocumentError`` naming the signature or the reason)."""
    from jobland_pipeline.documents.extract import MAX_FILE_BYTES
    from jobland_pipeline.documents.malware import ClamdScanner

    address = os.environ.get("JOBLAND_CLAMD", "").strip()
    if not address or path.stat().st_size > MAX_FILE_BYTES:  # too large: extract_file refuses it unread
        return
    try:
        scanner = ClamdScanner(address)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    scanner.scan(path.read_bytes(), path.name)


def _settings(path: str | None) -> UserSettings:
    """The user's settings.yaml (name, e-mail, preferences that win over the CV), or defaults."""
    if not path:
        return UserSettings()
    file = Path(path)
    if not file.is_file():
        raise CliError(f"{file}: no such settings file")
    return load_user_settings(file)


def _apply_settings(profile: Profile, settings: UserSettings) -> Profile:
    profile.contact.email = settings.email or profile.contact.email
    profile.contact.name = settings.name or profile.contact.name
    profile.seniority = settings.seniority or profile.seniority
    return with_preferences(profile, settings.preferences)


def cmd_screen(args: argparse.Namespace) -> int:
    """Screen a postings file of any size (streamed, see ``jobland_cli.screen``) or posting pages by
    URL; exit 1 when a line or URL was skipped, so a script sees that not every posting was screened."""
    settings = _settings(args.settings)
    problems: list[str] = []
    source: Path | list[Posting] = Path(args.postings or "")
    if args.posting_url:  # downloaded first: a refused URL fails before any CV work
        try:
            source = fetch_postings(
                args.posting_url, allowed_private=posting_url_allow(), strict=args.strict, problems=problems
            )
        except PostingPageError as exc:
            raise CliError(exc.reason) from None
    document, engine, profile = _read_cv(Path(args.cv), args.engine, date.today())
    profile = _apply_settings(profile, settings)
    titles = engine.titles(profile, pinned=settings.pinned_titles, limit=args.titles)
    head: dict[str, object] = {
        "profile": profile.model_dump(mode="json"),
        "titles": [{"title": t.display_title, "reason": t.reason} for t in titles],
    }
    if isinstance(source, list):
        head["postings"] = [p.model_dump(mode="json", exclude={"description"}) for p in source]

    def screen(chunk: list[Posting]) -> list[Screening]:
        return engine.screen(
            profile,
            chunk,
            cv_text=document.text,
            search_title=titles[0].title if titles else None,
            prefs=settings.preferences,
            thresholds=Thresholds(),
        )

    out = Path(args.out)
    try:
        screened, high, skipped = run_screen(source, out, head, screen, strict=args.strict, problems=problems)
    except PostingsFileError as exc:
        raise CliError(str(exc)) from None
    print(
        f"{profile.contact.name or profile.user_id}: {len(titles)} titles, {screened} postings screened, "
        f"{high} High -> {out}"
    )
    if skipped and args.posting_url:
        print(f"{skipped} posting URL(s) refused (see above); --strict refuses them all instead")
        return 1
    if skipped:
        print(f"{skipped} line(s) of {args.postings} skipped (see above); --strict refuses the file instead")
        return 1
    return 0


def _tailor_posting(args: argparse.Namespace) -> Posting:
    """The posting to tailor for: a JSON file (``--posting``) or a posting page (``--posting-url``)."""
    if args.posting_url:
        try:
            return posting_from_url(args.posting_url, allowed_private=posting_url_allow())
        except PostingPageError as exc:
            raise CliError(exc.reason) from None
    path = Path(args.posting)
    try:
        return Posting.model_validate(load_file(path))
    except JsonLimitError as exc:
        raise CliError(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise CliError(f"{path}: not a posting JSON object ({str(exc).splitlines()[0]})") from None


def _stories_file(given: str | None, cv: Path) -> Path | None:
    beside = [cv.with_name(n) for n in ("stories.md", "stories.txt") if cv.with_name(n).is_file()]
    return Path(given) if given else (beside[0] if beside else None)


def _stories_for(given: str | None, cv: Path, posting: Posting) -> list[Story]:
    """The stories of ``--stories`` (default: stories.md or stories.txt beside the CV, as in an inbox)
    that fit the posting; a file that cannot be used is named on stderr and the package goes on."""
    path = _stories_file(given, cv)
    if path is None:
        return []
    if not path.is_file():
        raise CliError(f"{path}: no such stories file")
    if path.stat().st_size > MAX_STORIES_BYTES:  # said as read_stories says it, without reading it
        read = Stories(
            path.name, skipped=f"{path.name}: over the {MAX_STORIES_BYTES:,}-byte limit for stories"
        )
    else:
        read = read_stories(path.read_bytes(), path.name)
    for note in read.notes():
        print(f"jobland: {note}", file=sys.stderr)
    return [s.story for s in select_stories(read.stories, PostingText.of(posting))]


def cmd_tailor(args: argparse.Namespace) -> int:
    settings = _settings(args.settings)
    document, engine, profile = _read_cv(Path(args.cv), args.engine, date.today())
    profile = _apply_settings(profile, settings)
    posting = _tailor_posting(args)
    [screening] = engine.screen(
        profile,
        [posting],
        cv_text=document.text,
        search_title=None,
        prefs=settings.preferences,
        thresholds=Thresholds(),
    )
    dossier = engine.dossier(posting.company, [posting])
    stories = _stories_for(args.stories, Path(args.cv), posting)
    package = engine.package(
        profile,
        posting,
        screening,
        dossier,
        cv_text=document.text,
        today=date.today(),
        theme=settings.cv_theme,
        tone=settings.letter_tone,
        stories=stories,
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in package.files.items():
        if isinstance(content, bytes):
            (out / name).write_bytes(content)
        else:
            (out / name).write_text(content, encoding="utf-8")
    report = out / "grounding_report.json"
    report.write_text(json.dumps(package.grounding_report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(
        f"{posting.title} at {posting.company}: score {screening.score} ({screening.probability}); "
        f"wrote {len(package.files) + 1} files to {out.resolve()} "
        f"({', '.join(sorted([*package.files, report.name]))})"
    )
    if stories or _stories_file(args.stories, Path(args.cv)):
        print(f"stories used: {', '.join(s.label for s in stories) if stories else 'none fits this posting'}")
    if screening.deal_breakers:
        print("deal-breakers: " + "; ".join(screening.deal_breakers))
    if not package.ok:
        print(
            f"warning: not grounded, see {report}: "
            + "; ".join(package.grounding_issues + package.placeholder_issues),
            file=sys.stderr,
        )
        return 1
    print(f"grounding: every claim traced to the CV ({report})")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Run screen and tailor over a labelled set and print its scorer's summary."""
    import subprocess

    from jobland_pipeline.evaluation import EvalSetError, run_set

    if args.golden or args.update_baseline:  # the bundled golden set and its baseline
        return golden_command.run_golden(args)

    set_dir = Path(args.set_dir)
    scorer = Path(args.scorer) if args.scorer else set_dir / "eval.py"
    if not set_dir.is_dir():
        raise CliError(
            f"{set_dir.resolve()}: no such folder; give the labelled set's folder with --set-dir DIR "
            "(make eval EVAL_SET=DIR); `jobland eval --golden` needs no folder"
        )
    try:
        run = run_set(set_dir, get_engine(args.engine))
    except EvalSetError as exc:
        raise CliError(str(exc)) from exc
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(run.results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"results for {len(run.results['screenings'])} personas -> {out}  (seconds: {run.seconds})")
    for problem in run.problems:
        print(f"problem: {problem}", file=sys.stderr)
    if not scorer.is_file():
        print(f"no scorer at {scorer}; pass --scorer PATH to score {out}", file=sys.stderr)
        return 2
    done = subprocess.run(
        [
            sys.executable,
            str(scorer),
            str(out),
            "--set-dir",
            str(set_dir),
            *(["--verbose"] if args.verbose else []),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    print(done.stdout, end="")
    labels = set_dir / "labels.json"
    if labels.is_file():
        from jobland_pipeline.evaluation import label_calibration
        from jobland_pipeline.screening.score import Thresholds

        t = Thresholds()
        print(
            label_calibration(run.results, json.loads(labels.read_text(encoding="utf-8")), t.high, t.medium)
        )
    if done.returncode != 0 or "SUMMARY unavailable" in done.stdout:
        print(done.stderr, file=sys.stderr, end="")
        return 1
    return 1 if run.problems else 0


def cmd_upload_url(args: argparse.Namespace) -> int:
    import boto3
    from botocore.exceptions import BotoCoreError, NoCredentialsError

    from jobland_pipeline.keys import InvalidKeyError
    from jobland_pipeline.s3inbox import presigned_upload_url
    from resources import SETTINGS
    from resources.settings import resolve

    values = resolve(os.environ, SETTINGS)
    url = values["JOBLAND_INBOX_URL"]
    if not url.startswith("s3://"):
        raise CliError("JOBLAND_INBOX_URL must be s3://<bucket>/<prefix> to create upload URLs")
    if not 1 <= args.expires_minutes <= 60:
        raise CliError(f"--expires-minutes must be between 1 and 60 (got {args.expires_minutes})")
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    try:
        client = boto3.client(
            "s3",
            endpoint_url=values["JOBLAND_S3_ENDPOINT_URL"] or None,
            region_name=values["JOBLAND_S3_REGION"] or None,
        )
        upload, key = presigned_upload_url(
            client, bucket, prefix, args.user, args.file, expires_seconds=args.expires_minutes * 60
        )
    except (InvalidKeyError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    except NoCredentialsError as exc:
        raise CliError(
            "no AWS credentials to sign the URL with: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(or AWS_PROFILE)"
        ) from exc
    except BotoCoreError as exc:  # a named profile that does not exist, a bad endpoint...
        raise CliError(f"cannot sign the URL: {exc}") from exc
    print(upload)
    print(
        f"# PUT the file to this URL within {args.expires_minutes} min, e.g.: curl -T {args.file} '<url>'  "
        f"(object: s3://{bucket}/{key})",
        file=sys.stderr,
    )
    return 0


def _warehouse():  # type: ignore[no-untyped-def]
    from jobland_pipeline.warehouse import Warehouse
    from resources import SETTINGS
    from resources.settings import resolve

    values = resolve(os.environ, SETTINGS)
    return Warehouse(Path(values["JOBLAND_WAREHOUSE_DIR"]), Path(values["JOBLAND_DUCKDB_PATH"]))


def cmd_review(args: argparse.Namespace) -> int:
    import polars as pl

    from jobland_pipeline.delivery.records import PACKAGE_REVIEWS
    from jobland_pipeline.delivery.review import decided_since, latest_decisions, record_decision

    store = _warehouse()
    if args.action == "list":
        packages = store.read("application_packages").unique("application_id", keep="last")
        if args.user:
            packages = packages.filter(pl.col("user_id") == args.user)
        waiting = packages.filter(pl.col("review_status") == "ready_for_review").sort(
            ["user_id", "score"], descending=[False, True]
        )
        decisions = latest_decisions(store.read_records(PACKAGE_REVIEWS))
        shown = 0
        for r in waiting.iter_rows(named=True):
            if decided_since(r["application_id"], r["created_at"], r.get("revision_note"), decisions):
                continue  # decided already; the next packages run applies it
            shown += 1
            print(f"{r['application_id']}\t{r['score']}\t{r['title']} — {r['company']}\t{r['package_dir']}")
        print(f"{shown} package(s) waiting for review", file=sys.stderr)
        return 0
    if not args.application_id:
        raise CliError("give the application id (see `jobland review list`)")
    decision = {"approve": "approved", "reject": "rejected", "revise": "revision_requested"}[args.action]
    try:
        record_decision(store, args.application_id, decision, note=args.note, reviewer=args.reviewer)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    print(f"{args.application_id}: {decision} (takes effect at the next packages/delivery run)")
    package = (
        store.read("application_packages")
        .filter(pl.col("application_id") == args.application_id)
        .unique("application_id", keep="last")
    )
    if decision == "approved" and package.height and package["grounded"][0] is False:
        issues = (package["issues"].to_list()[0] or []) if "issues" in package.columns else []
        print(
            f"note: this package failed its check and is never sent, approved or not"
            f"{f' ({issues[0]})' if issues else ''}; fix the CV or settings and it is made again",
            file=sys.stderr,
        )
    return 0


def cmd_track(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from jobland_pipeline.delivery.tracking import USER_STATUSES

    if args.status not in USER_STATUSES:
        raise CliError(f"status must be one of {', '.join(USER_STATUSES)}")
    store = _warehouse()
    known = set(store.read("application_packages")["application_id"].to_list())
    if args.application_id not in known:
        raise CliError(f"no application {args.application_id!r}")
    store.append(
        "application_status_updates",
        [
            {
                "application_id": args.application_id,
                "status": args.status,
                "note": args.note,
                "at": datetime.now(UTC),
            }
        ],
        group=args.application_id.split(":", 1)[0],
    )
    print(f"{args.application_id}: {args.status} (the tracker shows it after its next run)")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    """Remove a user for good: inbox folder, warehouse rows, packages, e-mails, Dagster partitions."""
    from jobland_pipeline.keys import InvalidKeyError, validate_user_id
    from resources import SETTINGS
    from resources.settings import resolve
    from sensors.local_run import forget_in_cursor, run_lock

    try:
        validate_user_id(args.user)
    except InvalidKeyError as exc:
        raise CliError(str(exc)) from exc
    values = resolve(os.environ, SETTINGS)
    if values["JOBLAND_INBOX_URL"]:
        raise CliError(
            "the inbox is on S3: delete s3://…/<user>/ there; the inbox sensor then forgets the user"
        )
    if not args.yes:
        raise CliError(f"this deletes everything of {args.user!r}; add --yes to confirm")
    home = Path(values["JOBLAND_HOME"])
    with run_lock(home):  # not while a pass writes the user's rows
        still = _forget_partitions(args.user, args.wait)  # and not while a daemon's run may
        report = _forget(args.user, values)
        forget_in_cursor(home, args.user)
    print(report.summary())
    if still:
        from sensors.forget import still_running

        print(still_running(args.user, still), file=sys.stderr)
        return 1
    return 0


def _forget_partitions(user: str, wait: float) -> list[str]:
    """The user's Dagster partitions deleted (no new run can target them), then up to ``wait`` seconds
    for the runs in progress that may still write their rows; the ids of those still going."""
    import dagster as dg

    from sensors.forget import delete_user_partitions, partition_keys, wait_for_runs
    from sensors.run_health import mark_dead_runs

    if not (Path(os.environ["DAGSTER_HOME"]) / "dagster.yaml").is_file():
        return []  # no instance of its own: no runs elsewhere
    with dg.DagsterInstance.get() as instance:
        known = partition_keys(instance)  # before the user's go: which ranges held them
        deleted = delete_user_partitions(instance, user, known)
        for line in mark_dead_runs(instance):  # a killed pass's run would be waited for in vain
            print(line)
        return wait_for_runs(
            instance,
            user,
            known=known if deleted else None,  # a second forget: ranges are judged by their names
            timeout=wait,
            on_wait=lambda ids: print(
                f"{user}: waiting up to {wait:.0f} s for {len(ids)} run(s) in progress"
            ),
        )


def _forget(user: str, values: dict[str, str]) -> Forgotten:
    """Everything of one user: inbox, rows, packages, e-mails, delivery claims."""
    import shutil

    from jobland_pipeline.delivery.claims import open_claims
    from jobland_pipeline.warehouse.forget import forget_user

    inbox = Path(values["JOBLAND_INBOX_DIR"]) / user
    if inbox.is_dir():
        shutil.rmtree(inbox)
    folders = [Path(values["JOBLAND_PACKAGES_DIR"]) / user]
    folders += sorted(Path(values["JOBLAND_OUTBOX_DIR"]).glob(f"*/{user}.eml"))
    report = forget_user(_warehouse(), user, folders=folders)
    claims = open_claims(values["JOBLAND_DELIVERY_CLAIMS"], Path(values["JOBLAND_OUTBOX_DIR"]), os.environ)
    try:
        claims.forget(user)  # the delivery claims name the user too
    finally:
        claims.close()
    return report


def cmd_settings(_: argparse.Namespace) -> int:
    from resources import SETTINGS

    print("| variable | default | meaning |\n| --- | --- | --- |")
    for s in SETTINGS:
        print(f"| `{s.env}` | {f'`{s.default}`' if s.default else '(empty)'} | {s.help} |")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from sensors.local_run import run_local  # Dagster is imported only for runs

    return run_local(seed_samples=not args.no_samples, verbose=args.verbose)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jobland", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "screen", help="profile, titles and a screening of every posting (offline, no Dagster)"
    )
    p.add_argument("--cv", required=True)
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument("--postings", help="JSONL postings file")
    given.add_argument(
        "--posting-url",
        action="append",
        metavar="URL",
        help="a posting page to download and read (repeatable; instead of --postings)",
    )
    p.add_argument("--out", required=True, help="results.json")
    p.add_argument("--titles", type=int, default=8)
    p.add_argument("--settings", help="the user's settings.yaml (its preferences win over the CV)")
    p.add_argument("--engine", default=os.environ.get("JOBLAND_ENGINE", "offline"))
    p.add_argument(
        "--strict", action="store_true", help="refuse the file at its first bad line (default: skip it)"
    )
    p.set_defaults(func=cmd_screen)
    p = sub.add_parser("tailor", help="tailored CV, cover letter and cheat sheet for one posting")
    p.add_argument("--cv", required=True)
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument("--posting", help="one posting as a JSON object")
    given.add_argument("--posting-url", metavar="URL", help="a posting page to download and read")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--settings", help="the user's settings.yaml (its preferences win over the CV)")
    p.add_argument(
        "--stories", help="the user's stories.md / .txt (default: the one beside the CV, if there is one)"
    )
    p.add_argument("--engine", default=os.environ.get("JOBLAND_ENGINE", "offline"))
    p.set_defaults(func=cmd_tailor)
    p = sub.add_parser("eval", help="screen and tailor over a labelled set and print its scorer's figures")
    p.add_argument("--set-dir", default=os.environ.get("JOBLAND_EVAL_SET", "../shared/eval"))
    p.add_argument("--out", default="var/eval/results.json")
    p.add_argument("--scorer", help="the scorer script (default: eval.py in the set folder)")
    p.add_argument("--engine", default=os.environ.get("JOBLAND_ENGINE", "offline"))
    p.add_argument("--verbose", action="store_true")
    golden_command.add_arguments(p)
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("run", help="run the whole pipeline once on this machine (what `make run` does)")
    p.add_argument(
        "--no-samples", action="store_true", help="do not copy the bundled sample users into the inbox"
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", help="print Dagster's events and stack traces on the console"
    )
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("upload-url", help="a presigned URL a user can PUT their CV to (S3 inbox)")
    p.add_argument("--user", required=True, help="user id (the inbox folder)")
    p.add_argument("--file", required=True, help="CV file name, e.g. cv.pdf")
    p.add_argument("--expires-minutes", type=int, default=15)
    p.set_defaults(func=cmd_upload_url)
    p = sub.add_parser(
        "review", help="list packages waiting for review; approve, reject or ask for a revision"
    )
    p.add_argument("action", choices=["list", "approve", "reject", "revise"])
    p.add_argument("application_id", nargs="?", help="'<user>:<posting id>' (from `review list`)")
    p.add_argument("--note", help="what to change (required for revise)")
    p.add_argument("--user", help="only this user's packages (list)")
    p.add_argument("--reviewer", default="user", help="who decides (user or an operator's name)")
    p.set_defaults(func=cmd_review)
    p = sub.add_parser(
        "track", help="report what happened after sending: applied, interviewing, offer, rejected"
    )
    p.add_argument("application_id")
    p.add_argument("status")
    p.add_argument("--note")
    p.set_defaults(func=cmd_track)
    p = sub.add_parser("forget", help="remove a user for good: inbox, warehouse rows, packages, e-mails")
    p.add_argument("user")
    p.add_argument("--yes", action="store_true", help="confirm: the deletion cannot be undone")
    p.add_argument(
        "--wait",
        type=float,
        default=600.0,
        help="seconds to wait for runs in progress that may write the user's rows (default 600)",
    )
    p.set_defaults(func=cmd_forget)
    p = sub.add_parser("settings", help="print every setting as a Markdown table")
    p.set_defaults(func=cmd_settings)
    for module in (search_command, status_command, why_command):  # commands kept in their own modules
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    saved = dict(os.environ)  # the command anchors its settings; a caller's environment is left as it was
    try:
        project_environment()
        with warnings.catch_warnings():
            # Dagster flags BackfillPolicy as beta when the assets are imported: not news to an operator.
            warnings.filterwarnings("ignore", message=".*currently in beta.*")
            return int(args.func(args))
    except (CliError, SettingsError) as exc:
        print(f"jobland: {exc}", file=sys.stderr)
        return 2
    finally:
        os.environ.clear()
        os.environ.update(saved)


if __name__ == "__main__":
    raise SystemExit(main())

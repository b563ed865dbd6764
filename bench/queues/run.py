"""Benchmark the task queues on the 2,000-pair publishing case, with one worker serving both.

    .venv/bin/python bench/queues/run.py                 # 10,000 people, 3 rounds
    .venv/bin/python bench/queues/run.py --record        # … and append the figures to RESULTS.md

In a child process with a fresh DATA_DIR (SQLite; PostgreSQL when DATABASE_URL is set — use an
empty database) and email to memory (`EMAIL_URL=memory://`): migrate, build the demo organisation
and the 2,000-mentee / 500-mentor programme (`demo.mentorship.build_large_programme`), start ONE
`impactcircle worker --queue interactive --queue bulk` process, then per round:

1. the worker computes a draft (2,000 pairs), the manager publishes it (`run_publish`), and the
   worker publishes it: 2,000 relationships, 4,000 notifications and their emails queued as
   `send_emails` batches, plus the events' deliveries, all on the bulk queue;
2. once the publication is done (the run reads "published" and its task has queued the
   emails) and the worker is in the middle of sending an email batch, the manager queues the
   next matching run (`run_start`);
   measured: (a) how long that run's task waited before the worker started it (the task's
   `started_at − enqueued_at`), and (b) how long the emails of the publication took, from the
   first email task queued to the last one finished, and how many were sent;
3. the same again with the new run's task at the bulk priority: the baseline, one queue served
   first come, first served as before the queues existed.

Between rounds the relationships are deleted so that the mentees can be matched again. Prints
medians (targets: wait < 2 s, emails < 30 s, the issue's) and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).with_name("RESULTS.md")
WAIT_TARGET_SECONDS = 2.0
EMAILS_TARGET_SECONDS = 30.0
WORKER_COMMAND = ["-m", "impactcircle", "worker", "--queue", "interactive", "--queue", "bulk"]


def _until(what: str, check: Any, timeout: float) -> Any:
    """Poll `check()` every 20 ms until it answers something true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {what}")


def _queue_idle() -> bool:
    from django_tasks_db.models import DBTaskResult

    return not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()


def _round(manager_id: int, programme_id: int, *, baseline: bool, timeout: float) -> dict:
    from django_tasks_db.models import DBTaskResult

    from impactcircle.accounts.models import User
    from impactcircle.core.tasks import BULK_PRIORITY, send_emails
    from impactcircle.mentorship.matching import services
    from impactcircle.mentorship.models import MatchingRun, Programme, Relationship

    manager = User.objects.get(pk=manager_id)
    programme = Programme.objects.get(pk=programme_id)
    Relationship.objects.filter(programme=programme).delete()  # the mentees are free again
    run = services.run_start(actor=manager, programme=programme)
    _until("the draft", lambda: MatchingRun.objects.filter(pk=run.pk, status="draft").exists(),
           timeout)  # fmt: skip
    _until("an idle queue", _queue_idle, timeout)
    publishing_from = datetime.now(UTC)
    compute_task_id = MatchingRun.objects.get(pk=run.pk).task_id
    services.run_publish(actor=manager, run=run)

    def published() -> bool:  # the run reads "published" and its task has queued the emails
        task_id = MatchingRun.objects.get(pk=run.pk).task_id
        return (
            task_id != compute_task_id
            and DBTaskResult.objects.filter(pk=task_id, status="SUCCESSFUL").exists()
        )

    _until("the publication", published, timeout)
    # The worker is now sending the publication's emails: queue the run in the middle of a batch.
    _until("an email batch in progress",
           lambda: DBTaskResult.objects.filter(task_path=send_emails.module_path,
                                               status="RUNNING").exists(),
           timeout)  # fmt: skip
    compute = services.compute_matching_run
    if baseline:  # one queue, first come first served: the run at the bulk priority
        services.compute_matching_run = compute.using(priority=BULK_PRIORITY)
    try:
        waiting = services.run_start(actor=manager, programme=programme)
    finally:
        services.compute_matching_run = compute
    task_id = _until("the run's task id",
                     lambda: MatchingRun.objects.get(pk=waiting.pk).task_id, timeout)  # fmt: skip
    task = _until("the worker to start the run",
                  lambda: DBTaskResult.objects.filter(pk=task_id, started_at__isnull=False).first(),
                  timeout)  # fmt: skip
    _until("an idle queue", _queue_idle, timeout)
    emails = DBTaskResult.objects.filter(
        task_path=send_emails.module_path, enqueued_at__gte=publishing_from
    )
    first_queued = min(email.enqueued_at for email in emails)
    last_sent = max(email.finished_at for email in emails)
    return {
        "baseline": baseline,
        "wait_s": (task.started_at - task.enqueued_at).total_seconds(),
        "emails_s": (last_sent - first_queued).total_seconds(),
        "emails": sum(email.return_value or 0 for email in emails),
        "email_tasks": emails.count(),
        "failed_tasks": DBTaskResult.objects.filter(
            status="FAILED", enqueued_at__gte=publishing_from
        ).count(),
        "bulk_tasks": DBTaskResult.objects.filter(
            queue_name="bulk", enqueued_at__gte=publishing_from
        ).count(),
    }


def measure(options: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # also creates the cache table
    from django.db import connection

    from impactcircle.core.models import WorkerHeartbeat
    from impactcircle.demo.company import build_benchmark_programme

    started = time.perf_counter()
    manager, programme = build_benchmark_programme(
        people=options.people, mentees=options.mentees, mentors=options.mentors, seed=options.seed
    )
    setup_seconds = time.perf_counter() - started
    worker = subprocess.Popen(
        [sys.executable, *WORKER_COMMAND], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _until("the worker's heartbeat", WorkerHeartbeat.objects.exists, options.timeout)
        rounds = [
            _round(manager.pk, programme.pk, baseline=baseline, timeout=options.timeout)
            for _ in range(options.rounds)
            for baseline in (False, True)
        ]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return {
        "database": connection.vendor,
        "people": options.people,
        "mentees": options.mentees,
        "mentors": options.mentors,
        "setup_s": setup_seconds,
        "rounds": rounds,
    }


def run_child(options: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-queues-") as data_dir:
        environment = dict(os.environ) | {
            "DATA_DIR": data_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "impactcircle.config.settings",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SITE_URL": "http://testserver",
            "EMAIL_URL": "memory://",
            "LOG_LEVEL": "WARNING",
        }
        arguments = [
            "--people", str(options.people), "--mentees", str(options.mentees),
            "--mentors", str(options.mentors), "--rounds", str(options.rounds),
            "--seed", str(options.seed), "--timeout", str(options.timeout),
        ]  # fmt: skip
        completed = subprocess.run(
            [sys.executable, __file__, "--child", *arguments],
            env=environment, cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if completed.returncode:
            raise SystemExit(f"the benchmark failed:\n{completed.stdout}\n{completed.stderr}")
        result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
        return result


def report(result: dict[str, Any], seed: int) -> str:
    queues = [entry for entry in result["rounds"] if not entry["baseline"]]
    baseline = [entry for entry in result["rounds"] if entry["baseline"]]

    def median(entries: list[dict], key: str) -> float:
        return statistics.median(entry[key] for entry in entries)

    wait, wait_before = median(queues, "wait_s"), median(baseline, "wait_s")
    emails = median(result["rounds"], "emails_s")
    lines = [
        f"task queues benchmark on {result['database']}: publishing {result['mentees']} pairs "
        f"({result['mentees']} mentees × {result['mentors']} mentors among {result['people']} "
        f"demo people, seed {seed}); one worker serving interactive then bulk; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        f"setup (demo organisation + programme): {result['setup_s']:.1f} s",
        f"{'measure':<44} {'n':>3} {'median s':>9} {'max s':>7} {'target s':>9} {'ratio':>6}",
        f"{'(a) run queued after publishing: wait':<44} {len(queues):>3} {wait:>9.2f} "
        f"{max(e['wait_s'] for e in queues):>7.2f} {WAIT_TARGET_SECONDS:>9.0f} "
        f"{wait / WAIT_TARGET_SECONDS:>6.2f}",
        f"{'    baseline: same priority as bulk (FIFO)':<44} {len(baseline):>3} "
        f"{wait_before:>9.2f} {max(e['wait_s'] for e in baseline):>7.2f}",
        f"{'    wait with queues / baseline':<44} {'':>3} "
        f"{wait / wait_before if wait_before else float('nan'):>9.2f}",
        f"{'(b) the publication emails: first queued → last sent':<44} "
        f"{len(result['rounds']):>3} {emails:>9.2f} "
        f"{max(e['emails_s'] for e in result['rounds']):>7.2f} {EMAILS_TARGET_SECONDS:>9.0f} "
        f"{emails / EMAILS_TARGET_SECONDS:>6.2f}",
    ]
    for number, entry in enumerate(result["rounds"], start=1):
        lines.append(
            f"  round {number} ({'baseline' if entry['baseline'] else 'queues'}): wait "
            f"{entry['wait_s']:.2f} s; {entry['emails']} emails in {entry['email_tasks']} tasks, "
            f"{entry['emails_s']:.2f} s; {entry['bulk_tasks']} bulk tasks; "
            f"{entry['failed_tasks']} failed"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000, help="demo size (default 10000)")
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each kind (default 3)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=600.0, help="per wait, in seconds")
    parser.add_argument("--record", action="store_true", help="append the figures to RESULTS.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options), default=str))
        return
    text = report(run_child(options), options.seed)
    print(text)
    if options.record:
        command = shlex.join([".venv/bin/python", "bench/queues/run.py", *sys.argv[1:]])
        moment = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write(f"\n## {moment}\n\n```\n$ {command}\n{text}\n```\n")


if __name__ == "__main__":
    main()

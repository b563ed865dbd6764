"""Benchmark a large matching run: a 2,000-mentee / 500-mentor programme in the demo data.

    .venv/bin/python bench/mentorship/run.py                  # 10,000 people, 3 runs, 7 renders
    .venv/bin/python bench/mentorship/run.py --people 100000  # the same programme in a bigger org

In a child process with a fresh DATA_DIR (SQLite; PostgreSQL when DATABASE_URL is set — use an
empty database): migrate, build the demo organisation and the large programme
(`demo.mentorship.build_large_programme`), then

1. queue matching runs with `run_start` and compute each with `run_compute` — the code the task
   worker runs for `tasks.compute_matching_run` — timing each (the first one also loads the text
   model); then one more run end to end through a real `impactcircle worker` process, from the
   queue to the draft;
2. render the draft page `/mentoring/runs/<id>/` with Django's test client signed in as the
   manager: one warm-up, then the median of `--renders` renders;
3. publish the last draft: `run_publish`, then `publishing.run_publish_execute` — the code the
   worker runs for `tasks.publish_matching_run` — timed, with its query count (target 10 s).

Prints medians and their ratios to the targets (draft page < 1 s, the issue's; matching run
< 60 s, ours: a manager watching the progress bar).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RENDER_TARGET_SECONDS = 1.0
RUN_TARGET_SECONDS = 60.0
PUBLISH_TARGET_SECONDS = 10.0


def _worker_run(programme_id: int, manager_id: int, timeout: float) -> float:
    """Queue a run, start `impactcircle worker`, and time the queue-to-draft wall clock."""
    from impactcircle.accounts.models import User
    from impactcircle.mentorship.matching.services import run_start
    from impactcircle.mentorship.models import MatchingRun, Programme

    manager = User.objects.get(pk=manager_id)
    worker = subprocess.Popen(
        [sys.executable, "-m", "impactcircle", "worker"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.perf_counter()
        run = run_start(actor=manager, programme=Programme.objects.get(pk=programme_id))
        while time.perf_counter() - started < timeout:
            status = MatchingRun.objects.values_list("status", flat=True).get(pk=run.pk)
            if status in {MatchingRun.Status.DRAFT, MatchingRun.Status.FAILED}:
                if status == MatchingRun.Status.FAILED:
                    raise SystemExit("the worker's run failed")
                return time.perf_counter() - started
            time.sleep(0.2)
        raise SystemExit("the worker did not finish the run in time")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def measure(options: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # also creates the cache table
    from django.test import Client
    from django.test.utils import override_settings

    from impactcircle.demo.company import build_benchmark_programme
    from impactcircle.mentorship.matching.compute import run_compute
    from impactcircle.mentorship.matching.services import run_start

    started = time.perf_counter()
    manager, programme = build_benchmark_programme(
        people=options.people, mentees=options.mentees, mentors=options.mentors, seed=options.seed
    )
    setup_seconds = time.perf_counter() - started

    run_seconds: list[float] = []
    run = None
    for _ in range(options.runs):
        queued = run_start(actor=manager, programme=programme)
        started = time.perf_counter()
        run = run_compute(queued.pk)
        run_seconds.append(time.perf_counter() - started)
        if run.status != "draft":
            raise SystemExit(f"the run failed: {run.error}")
    assert run is not None
    from impactcircle.mentorship.matching.problem import build_pool

    started = time.perf_counter()
    build_pool(programme)  # the part of run_compute before the engine: read the pool, embed
    pool_seconds = time.perf_counter() - started
    worker_seconds = (
        _worker_run(programme.pk, manager.pk, options.worker_timeout) if options.worker else None
    )

    client = Client()
    client.force_login(manager)
    render_seconds: list[float] = []
    # The manifest storage needs collectstatic; the page's HTML is the same without it.
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static):
        warm = client.get(f"/mentoring/runs/{run.pk}/")
        if warm.status_code != 200:
            raise SystemExit(f"the draft page answered {warm.status_code}")
        for _ in range(options.renders):
            started = time.perf_counter()
            response = client.get(f"/mentoring/runs/{run.pk}/")
            render_seconds.append(time.perf_counter() - started)
            assert response.status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from impactcircle.mentorship.matching.publishing import run_publish_execute
    from impactcircle.mentorship.matching.services import run_publish

    run_publish(actor=manager, run=run)  # queues the task; this process plays the worker
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as publish_queries:
        published = run_publish_execute(run.pk, manager.pk)
    publish_seconds = time.perf_counter() - started
    if published.status != "published":
        raise SystemExit(f"publishing failed: {published.status} {published.error}")
    summary = run.summary
    return {
        "publish_s": publish_seconds,
        "publish_queries": len(publish_queries),
        "published": published.relationships.count(),
        "people": options.people,
        "mentees": options.mentees,
        "mentors": options.mentors,
        "setup_s": setup_seconds,
        "run_s": run_seconds,
        "worker_s": worker_seconds,
        "pool_s": pool_seconds,
        "render_s": render_seconds,
        "page_bytes": len(warm.content),
        "matched": summary["matched"],
        "matched_percent": summary["matched_percent"],
        "mean_score": summary["mean_score"],
        "engine_timings": summary.get("timings", {}),
        "database": django.db.connection.vendor,
    }


def run_child(options: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-mentorship-") as data_dir:
        environment = dict(os.environ)
        environment |= {
            "DATA_DIR": data_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "impactcircle.config.settings",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SITE_URL": "http://testserver",
            "LOG_LEVEL": "WARNING",
        }
        arguments = [
            "--people", str(options.people), "--mentees", str(options.mentees),
            "--mentors", str(options.mentors), "--runs", str(options.runs),
            "--renders", str(options.renders), "--seed", str(options.seed),
            "--worker-timeout", str(options.worker_timeout),
        ]  # fmt: skip
        if not options.worker:
            arguments.append("--no-worker")
        completed = subprocess.run(
            [sys.executable, __file__, "--child", *arguments],
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode:
            raise SystemExit(f"the benchmark failed:\n{completed.stdout}\n{completed.stderr}")
        result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000, help="demo size (default 10000)")
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3, help="matching runs (default 3)")
    parser.add_argument("--renders", type=int, default=7, help="draft page renders (default 7)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-worker", dest="worker", action="store_false",
                        help="skip the run through a real worker process")  # fmt: skip
    parser.add_argument("--worker-timeout", type=float, default=600.0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options)))
        return
    result = run_child(options)
    runs, renders = result["run_s"], result["render_s"]
    run_median, render_median = statistics.median(runs), statistics.median(renders)
    load = os.getloadavg()[0]
    print(
        f"mentorship matching benchmark on {result['database']}: {result['mentees']} mentees × "
        f"{result['mentors']} mentors among {result['people']} demo people, seed {options.seed}; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"setup (demo organisation + programme): {result['setup_s']:.1f} s")
    print(
        f"matched {result['matched']} ({result['matched_percent']}%), "
        f"mean score {result['mean_score']}; engine stages: {result['engine_timings']}"
    )
    print(f"{'measure':<34} {'n':>3} {'median s':>9} {'min s':>7} {'target s':>9} {'ratio':>6}")
    print(
        f"{'run_compute (worker code path)':<34} {len(runs):>3} {run_median:>9.2f} "
        f"{min(runs):>7.2f} {RUN_TARGET_SECONDS:>9.0f} {run_median / RUN_TARGET_SECONDS:>6.2f}"
    )
    print(f"{'  each run':<34} " + ", ".join(f"{seconds:.2f}" for seconds in runs))
    print(f"{'  of which build_pool (read, embed)':<34} {1:>3} {result['pool_s']:>9.2f}")
    if result["worker_s"] is not None:
        worker = result["worker_s"]
        print(
            f"{'queue → draft via impactcircle worker':<34} {1:>3} {worker:>9.2f} {worker:>7.2f} "
            f"{RUN_TARGET_SECONDS:>9.0f} {worker / RUN_TARGET_SECONDS:>6.2f}"
        )
    print(
        f"{'draft page /mentoring/runs/<id>/':<34} {len(renders):>3} {render_median:>9.3f} "
        f"{min(renders):>7.3f} {RENDER_TARGET_SECONDS:>9.0f} "
        f"{render_median / RENDER_TARGET_SECONDS:>6.2f}"
    )
    print(f"draft page size: {result['page_bytes'] / 1024:.0f} KiB")
    publish = result["publish_s"]
    print(
        f"{'publish (worker code path)':<34} {1:>3} {publish:>9.2f} {publish:>7.2f} "
        f"{PUBLISH_TARGET_SECONDS:>9.0f} {publish / PUBLISH_TARGET_SECONDS:>6.2f}"
    )
    print(
        f"  {result['published']} relationships and their notifications in "
        f"{result['publish_queries']} queries"
    )


if __name__ == "__main__":
    main()

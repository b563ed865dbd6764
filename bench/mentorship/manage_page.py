"""Benchmark a programme's manage page with 2,500 applications, for one manager at a time.

    .venv/bin/python bench/mentorship/manage_page.py                 # SQLite, 9 renders a view
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/EMPTY_DB .venv/bin/python \\
        bench/mentorship/manage_page.py                              # PostgreSQL (an empty DB)

In a child process with a fresh DATA_DIR: migrate, build a 3,000-person demo organisation and,
with `demo.mentorship.build_large_programme`, a programme of 2,000 mentee and 500 mentor
applications; then a fifth of them wait for a decision, a tenth are waitlisted and a tenth
declined. Django's test client, signed in as the programme's manager, renders each view of the
page once to warm up and then `--renders` times: the first page, the applications waiting for a
decision, page 50, a name search, and the htmx fragment of a page. Prints the median, the
fastest, the size and the queries of each, against the issue's bar (150 ms; it was 534-584 ms
and 3.2 MB with every application on one page).
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
TARGET_SECONDS = 0.150
VIEWS = {
    "first page": ("", False),
    "waiting for a decision": ("status=submitted", False),
    "page 50": ("page=50", False),
    "name search": ("q=a+e", False),
    "htmx fragment, page 2": ("status=accepted&page=2", True),
}


class QueryCounter:
    """A database execute wrapper that counts the statements it lets through."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _mix_statuses(programme_id: int) -> None:
    from impactcircle.mentorship.models import Application

    ids = list(
        Application.objects.filter(programme_id=programme_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Application.objects.filter(pk__in=ids[0::5]).update(status="submitted")
    Application.objects.filter(pk__in=ids[1::10]).update(status="waitlisted")
    Application.objects.filter(pk__in=ids[3::10]).update(
        status="declined", decision_reason="No room in this cohort"
    )


def measure(options: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # also creates the cache table
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from impactcircle.demo.company import build_benchmark_programme

    started = time.perf_counter()
    manager, programme = build_benchmark_programme(
        people=options.people, mentees=options.mentees, mentors=options.mentors, seed=options.seed
    )
    _mix_statuses(programme.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup_seconds = time.perf_counter() - started

    client = Client()
    client.force_login(manager)
    url = f"/mentoring/programmes/{programme.pk}/manage/"
    # The manifest storage needs collectstatic; the page's HTML is the same without it.
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    views: dict[str, dict[str, Any]] = {}
    with override_settings(STORAGES=plain_static):
        for name, (query, is_htmx) in VIEWS.items():
            headers = {"HX-Request": "true"} if is_htmx else {}
            address = f"{url}?{query}" if query else url
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                warm = client.get(address, headers=headers)
            if warm.status_code != 200:
                raise SystemExit(f"{address} answered {warm.status_code}")
            seconds = []
            for _ in range(options.renders):
                started = time.perf_counter()
                response = client.get(address, headers=headers)
                seconds.append(time.perf_counter() - started)
                assert response.status_code == 200
            views[name] = {
                "address": address,
                "seconds": seconds,
                "bytes": len(warm.content),
                "queries": queries.count,
            }
    return {
        "database": connection.vendor,
        "people": options.people,
        "applications": programme.applications.count(),
        "setup_s": setup_seconds,
        "views": views,
    }


def run_child(options: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-manage-") as data_dir:
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
            "--mentors", str(options.mentors), "--renders", str(options.renders),
            "--seed", str(options.seed),
        ]  # fmt: skip
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
    parser.add_argument("--people", type=int, default=3000, help="demo size (default 3000)")
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=500)
    parser.add_argument("--renders", type=int, default=9, help="renders of each view (default 9)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options)))
        return
    result = run_child(options)
    load = os.getloadavg()[0]
    print(
        f"manage page benchmark on {result['database']}: {result['applications']} applications "
        f"among {result['people']} demo people; load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"setup (demo organisation + programme): {result['setup_s']:.1f} s")
    print(
        f"{'view':<24} {'n':>3} {'median ms':>10} {'min ms':>7} {'KiB':>5} {'queries':>8} "
        f"{'target ms':>10} {'ratio':>6}"
    )
    for name, view in result["views"].items():
        median = statistics.median(view["seconds"])
        print(
            f"{name:<24} {len(view['seconds']):>3} {median * 1000:>10.1f} "
            f"{min(view['seconds']) * 1000:>7.1f} {view['bytes'] / 1024:>5.0f} "
            f"{view['queries']:>8} {TARGET_SECONDS * 1000:>10.0f} {median / TARGET_SECONDS:>6.2f}"
        )


if __name__ == "__main__":
    main()

"""Benchmark the directory's search on the 100,000-person demo: words + meaning + access + rows.

    .venv/bin/python bench/search/run.py --data-dir /tmp/bench-search-sqlite          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_search_bench \\
        .venv/bin/python bench/search/run.py                                          # PostgreSQL

Builds the demo organisation first when the database has fewer people than `--people` (that
build is timed and reported apart). Then loads this process's in-memory index (timed: a web
process pays it once), and times `directory_page` — the call the page and `GET /api/v1/people`
make — for several questions and three viewers: a member, an administrator, and a member with
40 programme peers whose programme-only fields they may see. Each timing covers the revision
check, the words and the vector ranking in memory, the access rules, fusion, the other filters and
loading the page's 25 rows with their reasons. Prints median and p95 per viewer and question,
overall, and the ratio to the plain directory page (no text) measured in the same process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = (
    "who knows about reducing emissions in logistics",
    "impact measurement",
    "volunteering with schools",
    "data analysis",
    "someone to help me with public speaking",
    "renewable energy",
    "Garcia",
)
TARGET_MS = 100.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=15, help="timed runs per viewer and question")
    parser.add_argument("--data-dir", help="SQLite: the data folder to use (kept between runs)")
    options = parser.parse_args()
    if options.data_dir:
        os.environ.pop("DATABASE_URL", None)
        Path(options.data_dir).mkdir(parents=True, exist_ok=True)
        os.environ["DATA_DIR"] = options.data_dir
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactcircle.config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from impactcircle.accounts.models import User
    from impactcircle.core.search.live_index import live_index
    from impactcircle.demo.company import build_demo_organisation
    from impactcircle.people.models import Profile
    from impactcircle.people.selectors import DirectoryFilters, directory_page
    from impactcircle.people.visibility import ViewerScope, scope_for

    call_command("migrate", interactive=False, verbosity=0)
    people = Profile.objects.count()
    if people < options.people:
        started = time.perf_counter()
        build_demo_organisation(people=options.people, seed=options.seed)
        print(
            f"built the demo ({options.people} people, indexed) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        people = Profile.objects.count()
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have gathered after a bulk load: without them
        # the planner scans every usable row instead of the full-text index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {people} people, load average {os.getloadavg()[0]:.2f}")

    index = live_index()
    started = time.perf_counter()
    index.refresh()
    load_s = time.perf_counter() - started
    vectors_mb = index._vectors.nbytes / 2**20
    print(
        f"in-memory index: {len(index)} documents loaded in {load_s:.1f} s, "
        f"vectors {vectors_mb:.0f} MB"
    )

    member = User.objects.get(email="demo@example.com")
    admin = User.objects.get(email="admin@example.com")
    with_peers = User.objects.filter(is_active=True).exclude(pk__in=[member.pk, admin.pk]).first()
    assert with_peers is not None
    department = with_peers.profile.department_id
    peers = frozenset(
        Profile.objects.filter(department_id=department)
        .exclude(user_id=with_peers.pk)
        .order_by("pk")
        .values_list("user_id", flat=True)[:40]
    )
    viewers = {
        "member": lambda: scope_for(member),
        "admin": lambda: scope_for(admin),
        "peers": lambda: ViewerScope(viewer_id=with_peers.pk, is_admin=False, peer_ids=peers),
    }

    def timed(scope_of: object, filters: DirectoryFilters) -> tuple[float, int]:
        started = time.perf_counter()
        _page, total = directory_page(scope_of(), filters, 1)  # type: ignore[operator]
        return (time.perf_counter() - started) * 1000, total

    baseline = [timed(viewers["member"], DirectoryFilters())[0] for _ in range(options.runs)]
    print(f"plain directory page (no text, member): median {statistics.median(baseline):.1f} ms")
    print(f"{'viewer':<7} {'question':<48} {'found':>6} {'median ms':>10} {'p95 ms':>8}")
    everything: list[float] = []
    for name, scope_of in viewers.items():
        for question in QUESTIONS:
            filters = DirectoryFilters(text=question)
            timed(scope_of, filters)  # warm: the first call embeds nothing new, but caches plans
            runs = [timed(scope_of, filters) for _ in range(options.runs)]
            times = [ms for ms, _total in runs]
            everything += times
            print(
                f"{name:<7} {question[:48]:<48} {runs[0][1]:>6} "
                f"{statistics.median(times):>10.1f} {_percentile(times, 0.95):>8.1f}"
            )
    # The search alone (no filters, no rows), to show what the page adds around it.
    from impactcircle.core.search import search
    from impactcircle.people.selectors import PROFILE_TYPE, access_of

    alone = []
    for scope_of in viewers.values():
        access = access_of(scope_of())  # type: ignore[operator]
        for question in QUESTIONS:
            for _ in range(options.runs):
                started = time.perf_counter()
                search(PROFILE_TYPE, question, access)
                alone.append((time.perf_counter() - started) * 1000)
    print(
        f"core.search alone (words + meaning + access + fusion): median "
        f"{statistics.median(alone):.1f} ms, p95 {_percentile(alone, 0.95):.1f} ms"
    )
    median = statistics.median(everything)
    print(
        f"overall: median {median:.1f} ms, p95 {_percentile(everything, 0.95):.1f} ms over "
        f"{len(everything)} searches; {median / TARGET_MS:.2f} of the {TARGET_MS:.0f} ms target; "
        f"{median / statistics.median(baseline):.1f}x the plain page; "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()

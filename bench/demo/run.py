"""Benchmark `impactcircle demo`: build the demo organisation into fresh SQLite databases.

    .venv/bin/python bench/demo/run.py --people 100000

Every run gets its own temporary DATA_DIR and its own process: migrate first (not timed), then
time `build_demo_organisation` alone. Prints each size's median, the rows created, the
ratio of the median to the 180 s target and the peak memory of the building process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 180.0
ROOT = Path(__file__).resolve().parents[2]


def measure_once(people: int, seed: int) -> None:
    """In a child process whose DATA_DIR is a fresh directory: migrate, then time the build."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from impactcircle.demo.company import build_demo_organisation

    started = time.perf_counter()
    result = build_demo_organisation(people=people, seed=seed)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"seconds": seconds, "people": people, "rows": result.rows_created, "peak_mb": peak_mb}
    print(json.dumps(report))


def run_in_fresh_database(people: int, seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as data_dir:
        environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        environment |= {
            "DATA_DIR": data_dir,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "impactcircle.config.settings",
            "LOG_LEVEL": "WARNING",
        }
        completed = subprocess.run(
            [sys.executable, __file__, "--child", "--people", str(people), "--seed", str(seed)],
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode:
            raise SystemExit(f"the run for {people} people failed:\n{completed.stderr}")
        result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000, help="largest size (default 100000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=1, help="runs at the largest size (default 1)")
    parser.add_argument("--small-runs", type=int, default=3, help="runs at each smaller size")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        measure_once(options.people, options.seed)
        return
    sizes = [size for size in (300, 10_000) if size < options.people] + [options.people]
    print(f"impactcircle demo on SQLite, seed {options.seed}; target {TARGET_SECONDS:.0f} s")
    print(
        f"{'people':>8} {'runs':>4} {'median s':>9} {'rows':>10} {'rows/s':>9} "
        f"{'vs target':>9} {'peak MB':>8}"
    )
    for size in sizes:
        runs = options.runs if size == options.people else options.small_runs
        results = [run_in_fresh_database(size, options.seed) for _ in range(runs)]
        median = statistics.median(result["seconds"] for result in results)
        rows = int(results[0]["rows"])
        peak = max(result["peak_mb"] for result in results)
        print(
            f"{size:>8} {runs:>4} {median:>9.2f} {rows:>10} {rows / median:>9.0f} "
            f"{median / TARGET_SECONDS:>9.2f} {peak:>8.0f}"
        )


if __name__ == "__main__":
    main()

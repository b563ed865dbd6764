"""Anonymity benchmark: building a `ReportPopulation` (pooling rare values until every cell holds
the threshold) and answering filters and breakdowns over it.

    .venv/bin/python bench/anonymity/run.py                 # 10k and 100k people, 3 attributes
    .venv/bin/python bench/anonymity/run.py --people 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactcircle.config.test_settings")

import django

django.setup()

from impactcircle.core.anonymity import ReportPopulation, ReportRecord  # noqa: E402

ATTRIBUTES = {"department": 20, "location": 30, "level": 10}


def _records(people: int, seed: int) -> list[ReportRecord]:
    """Geometric frequencies per attribute: a few common values and a long tail of rare ones."""
    generator = random.Random(seed)
    weights = {name: [0.7**rank for rank in range(size)] for name, size in ATTRIBUTES.items()}
    columns = {
        name: generator.choices(range(size), weights[name], k=people)
        for name, size in ATTRIBUTES.items()
    }
    return [
        ReportRecord(id=n, values={name: f"{name[:3]}{columns[name][n]}" for name in ATTRIBUTES})
        for n in range(people)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threshold", type=int, default=5)
    options = parser.parse_args()
    for people in options.people:
        records = _records(people, seed=people)
        builds, queries = [], []
        population = None
        for _ in range(options.repeat):
            started = time.perf_counter()
            population = ReportPopulation.build(
                records, attributes=tuple(ATTRIBUTES), threshold=options.threshold
            )
            builds.append(time.perf_counter() - started)
            started = time.perf_counter()
            for level in population.values("level"):
                population.breakdown(by="department", where={"level": level})
                population.count(where={"level": level, "location": population.values("location")})
            queries.append((time.perf_counter() - started) / len(population.values("level")))
        assert population is not None
        raw = {name: len({r.values[name] for r in records}) for name in ATTRIBUTES}
        shown = {name: len(population.values(name)) for name in ATTRIBUTES}
        print(
            f"{people:>7} people  build median {statistics.median(builds):.3f} s "
            f"(max {max(builds):.3f})  breakdown+count median "
            f"{1000 * statistics.median(queries):.2f} ms  values raw {raw} shown {shown}"
        )


if __name__ == "__main__":
    main()

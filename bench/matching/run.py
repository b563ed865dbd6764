"""Matching benchmark: stage times, peak memory, quality against greedy, dense and `matching`.

Each size runs in its own subprocess so that its peak memory (ru_maxrss) is its own.

    .venv/bin/python bench/matching/run.py                       # 2k×500, 10k×2k, 100k×20k
    .venv/bin/python bench/matching/run.py --sizes 2000x500 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DENSE_LIMIT = 25_000_000  # mentees × mentors up to which the dense reference runs
PACKAGE_LIMIT = 25_000_000  # ... and the `matching` package


def dense_optimum(problem) -> tuple[float, float]:
    """scipy linear_sum_assignment on capacity-replicated mentor columns, over ALL pairs."""
    from scipy.optimize import linear_sum_assignment

    from impactcircle.engine.matching.features import INFEASIBLE, build_features
    from impactcircle.engine.matching.rules import RuleSet

    started = time.perf_counter()
    features = build_features(problem)
    rules = RuleSet.build(problem, features)
    rows = np.arange(features.n_mentees, dtype=np.int64)
    scores = features.score_rows(rows)
    rules.mask_rows(scores, rows)
    scores[~(scores > INFEASIBLE)] = 0.0
    capacity = np.array([p.capacity for p in problem.mentors])
    replicated = np.repeat(scores, capacity, axis=1).astype(np.float64)
    r, c = linear_sum_assignment(replicated, maximize=True)
    return float(replicated[r, c].sum()), time.perf_counter() - started


def package_stable(problem, graph, capacity) -> tuple[dict[int, int], float]:
    """The `matching` package's hospitals/residents solver on our candidate preferences."""
    from matching.games import HospitalResident

    from impactcircle.engine.matching.stable import preference_ranks

    mentee_rank, mentor_rank, _ = preference_ranks(graph, {}, {})
    resident_prefs: dict[int, list[int]] = {}
    hospital_prefs: dict[int, list[int]] = {}
    order = np.lexsort((mentee_rank, graph.mentee))
    for i, j in zip(graph.mentee[order].tolist(), graph.mentor[order].tolist(), strict=True):
        resident_prefs.setdefault(i, []).append(j)
    order = np.lexsort((mentor_rank, graph.mentor))
    for i, j in zip(graph.mentee[order].tolist(), graph.mentor[order].tolist(), strict=True):
        hospital_prefs.setdefault(j, []).append(i)
    for j in range(len(capacity)):
        hospital_prefs.setdefault(j, [])
    capacities = {j: int(capacity[j]) for j in hospital_prefs}
    # The package deep-copies its object graph recursively: give it room (recursion limit and
    # a large thread stack); the construction is part of its measured time, as it is of ours.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 30)
    box: dict = {}

    def work() -> None:
        began = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        box["solution"] = game.solve(optimal="resident")
        box["elapsed"] = time.perf_counter() - began

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    solution, elapsed = box["solution"], box["elapsed"]
    mentor_of = {
        int(resident.name): int(hospital.name)
        for hospital, residents in solution.items()
        for resident in residents
    }
    return mentor_of, elapsed


def run_one(mentees: int, mentors: int, repeat: int, seed: int) -> dict:
    from generate import generate

    from impactcircle.engine.matching.solve import solve
    from impactcircle.engine.matching.stable import deferred_acceptance, preference_ranks

    started = time.perf_counter()
    problem = generate(mentees, mentors, seed=seed)
    out: dict = {"size": f"{mentees}x{mentors}", "generate_s": time.perf_counter() - started}
    out["capacity"] = sum(p.capacity for p in problem.mentors)
    for mode in ("optimal", "greedy", "stable"):
        runs = []
        cpu = []
        for _ in range(repeat):
            began = time.process_time()
            runs.append(solve(problem, mode))
            cpu.append(time.process_time() - began)
        timings = {
            stage: statistics.median(r.timings.get(stage, 0.0) for r in runs)
            for stage in ("features", "candidates", "solve", "explain", "total")
        }
        last = runs[-1]
        out[mode] = {
            "timings": timings,
            "cpu_s": statistics.median(cpu),
            "matched": last.matched,
            "total": last.total_score,
            "certificate": {
                k: v for k, v in last.certificate.items() if isinstance(v, int | float | str)
            },
        }
    if mentees * mentors <= DENSE_LIMIT:
        out["dense_total"], out["dense_s"] = dense_optimum(problem)
    if mentees * mentors <= PACKAGE_LIMIT:
        from impactcircle.engine.matching.candidates import profile_candidates
        from impactcircle.engine.matching.features import build_features
        from impactcircle.engine.matching.rules import RuleSet

        features = build_features(problem)
        rules = RuleSet.build(problem, features)
        graph = profile_candidates(problem, features, rules)
        capacity = np.array([p.capacity for p in problem.mentors], dtype=np.int64)
        active = np.ones(graph.n_mentees, dtype=np.bool_)
        theirs, out["package_s"] = package_stable(problem, graph, capacity)
        ours_times = []
        for _ in range(repeat):
            began = time.perf_counter()
            ranks = preference_ranks(graph, {}, {})
            ours = deferred_acceptance(graph, capacity, active, *ranks)
            ours_times.append(time.perf_counter() - began)
        out["stable_solver_s"] = statistics.median(ours_times)
        mine = {i: int(j) for i, j in enumerate(ours.tolist()) if j >= 0}
        out["stable_same_as_package"] = mine == theirs
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def report(results: list[dict]) -> str:
    lines = [
        "| size | mode | features s | candidates s | solve s | explain s | total s | CPU s | "
        "matched | total score | vs greedy | vs dense | certificate |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        greedy = r["greedy"]["total"]
        for mode in ("optimal", "stable", "greedy"):
            row = r[mode]
            t = row["timings"]
            cert = row["certificate"]
            proof = (
                f"≥ {cert['quality_lower_bound']:.5f} of bound ({cert['bound_scope']})"
                if "quality_lower_bound" in cert
                else f"blocking pairs {cert['blocking_pairs']}"
                if "blocking_pairs" in cert
                else "—"
            )
            dense = f"{row['total'] / r['dense_total']:.5f}" if "dense_total" in r else "—"
            lines.append(
                f"| {r['size']} | {mode} | {t['features']:.2f} | {t['candidates']:.2f} | "
                f"{t['solve']:.2f} | {t['explain']:.2f} | **{t['total']:.2f}** | "
                f"{row['cpu_s']:.2f} | "
                f"{row['matched']} | {row['total']:.1f} | {row['total'] / greedy:.4f} | "
                f"{dense} | {proof} |"
            )
    lines += [
        "",
        "| size | capacity | peak RSS MB | dense LSA s | dense total | `matching` HR s | "
        "our DA solver s | speed-up | same matching |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        dense_s = f"{r['dense_s']:.1f}" if "dense_s" in r else "not run"
        dense_total = f"{r['dense_total']:.1f}" if "dense_total" in r else "—"
        package = f"{r['package_s']:.2f}" if "package_s" in r else "not run"
        ours = f"{r['stable_solver_s']:.3f}" if "stable_solver_s" in r else "—"
        ratio = f"{r['package_s'] / r['stable_solver_s']:.0f}×" if "package_s" in r else "—"
        same = str(r.get("stable_same_as_package", "—"))
        lines.append(
            f"| {r['size']} | {r['capacity']} | {r['peak_rss_mb']:.0f} | {dense_s} | "
            f"{dense_total} | {package} | {ours} | {ratio} | {same} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000x500,10000x2000,100000x20000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode (medians)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        mentees, mentors = (int(x) for x in args.one.split("x"))
        print(json.dumps(run_one(mentees, mentors, args.repeat, args.seed)))
        return
    results = []
    load_before = os.getloadavg()
    for size in args.sizes.split(","):
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                size,
                "--repeat",
                str(args.repeat),
                "--seed",
                str(args.seed),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print(f"{size}: done (generation {result['generate_s']:.0f} s)", file=sys.stderr)
    print(report(results))
    print(
        f"\nload average (1/5/15 min) before: {load_before[0]:.2f}/{load_before[1]:.2f}/"
        f"{load_before[2]:.2f}; after: " + "/".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print("\nraw:", json.dumps(results))


if __name__ == "__main__":
    main()

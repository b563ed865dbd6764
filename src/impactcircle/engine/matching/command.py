"""``impactcircle match PROBLEM.json --mode … -o RESULT.json`` (no database, no Django)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, cast, get_args

from impactcircle.engine.matching.diff import diff_assignments
from impactcircle.engine.matching.jsonformat import (
    assignments_from_json,
    problem_from_json,
    result_to_json,
)
from impactcircle.engine.matching.problem import Mode, ProblemError
from impactcircle.engine.matching.solve import solve

PROG = "impactcircle match"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Match mentees to mentors from a JSON problem file (see docs/matching.md).",
    )
    parser.add_argument("problem", help="problem JSON file, or - for standard input")
    parser.add_argument(
        "--mode",
        choices=get_args(Mode),
        default=None,
        help="solver (default: the file's 'mode', else optimal)",
    )
    parser.add_argument("-o", "--output", default="-", help="result JSON file (default: stdout)")
    parser.add_argument(
        "--compare", metavar="RESULT.json", help="earlier result: include a diff against it"
    )
    parser.add_argument("--k", type=int, default=None, help="candidate mentors per mentee")
    parser.add_argument("--no-explain", action="store_true", help="leave out explanations")
    return parser


def _read_json(name: str) -> Any:
    text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    return json.loads(text)


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit code (2 for invalid input)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    try:
        problem = problem_from_json(_read_json(args.problem))
        result = solve(problem, cast(Mode | None, args.mode), k=args.k, explain=not args.no_explain)
        diff = None
        if args.compare:
            before = assignments_from_json(_read_json(args.compare), where=args.compare)
            after = {a.mentee: (a.mentor, a.score) for a in result.assignments}
            diff = diff_assignments(before, after)
        text = json.dumps(result_to_json(result, diff), indent=2, ensure_ascii=False)
    except ProblemError as error:
        print(f"{PROG}: invalid problem: {error}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"{PROG}: cannot read input: {error}", file=sys.stderr)
        return 2
    if args.output == "-":
        sys.stdout.write(text + "\n")
    else:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

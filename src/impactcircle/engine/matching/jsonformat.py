"""The JSON file format: problem files in, result files out (see docs/matching.md)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any, cast

import numpy as np

from impactcircle.engine.matching.diff import ResultDiff
from impactcircle.engine.matching.problem import (
    MODES,
    CircleSettings,
    Mode,
    Person,
    Problem,
    ProblemError,
    Rules,
    Weights,
)
from impactcircle.engine.matching.result import MatchResult
from impactcircle.engine.text.embedder import Embedder

PERSON_KEYS = {
    "id",
    "name",
    "capacity",
    "level",
    "chain",
    "department",
    "languages",
    "hours",
    "values",
    "causes",
    "skills",
    "goal_skills",
    "goal_text",
    "goal_vector",
    "expertise_text",
    "expertise_vector",
    "groups",
}
PROBLEM_KEYS = {
    "mentors",
    "mentees",
    "pair_scores",
    "preferences",
    "locked",
    "forbidden",
    "mode",
    "weights",
    "rules",
    "circles",
    "maximize_matches",
    "candidates_per_mentee",
    "$schema",
    "description",
}


def _fail(where: str, message: str) -> ProblemError:
    return ProblemError(f"{where}: {message}")


def _strings(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, "must be a list of strings")
    return tuple(value)


def _integer(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, "must be an integer")
    return value


def _number(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(where, "must be a finite number")
    return float(value)


def _vector(where: str, value: object) -> np.ndarray[Any, np.dtype[np.float32]]:
    if not isinstance(value, list) or not value:
        raise _fail(where, "must be a non-empty list of numbers")
    return np.array([_number(where, v) for v in value], dtype=np.float32)


def _person(where: str, raw: object, texts: dict[str, list[tuple[int, str]]], row: int) -> Person:
    if not isinstance(raw, dict):
        raise _fail(where, "must be an object")
    if not isinstance(raw.get("id"), str) or not raw["id"]:
        raise _fail(where, "needs a non-empty string 'id'")
    where = f"{where} ({raw['id']!r})"
    if unknown := sorted(set(raw) - PERSON_KEYS):
        raise _fail(where, f"unknown field {unknown[0]!r}")
    hours = None
    if "hours" in raw:
        window = raw["hours"]
        if not isinstance(window, list) or len(window) != 2:
            raise _fail(where, "hours must be [start, end] in UTC hours")
        hours = (_integer(f"{where} hours", window[0]), _integer(f"{where} hours", window[1]))
    skills_raw = raw.get("skills", {})
    if not isinstance(skills_raw, dict):
        raise _fail(where, "skills must map a skill to a proficiency 1..5")
    skills = {str(k): _integer(f"{where} skill {k!r}", v) for k, v in skills_raw.items()}
    groups_raw = raw.get("groups", {})
    if not isinstance(groups_raw, dict) or not all(isinstance(v, str) for v in groups_raw.values()):
        raise _fail(where, "groups must map an attribute to a string")
    for key in ("goal_text", "expertise_text"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise _fail(where, f"{key} must be a string")
            texts[key].append((row, raw[key]))
    name = raw.get("name", "")
    if not isinstance(name, str):
        raise _fail(where, "name must be a string")
    return Person(
        id=raw["id"],
        name=name,
        capacity=_integer(f"{where} capacity", raw.get("capacity", 1)),
        level=_integer(f"{where} level", raw.get("level", 0)),
        chain=_strings(f"{where} chain", raw.get("chain", [])),
        department=str(raw.get("department", "")),
        languages=_strings(f"{where} languages", raw.get("languages", [])),
        hours=hours,
        values=frozenset(_strings(f"{where} values", raw.get("values", []))),
        causes=frozenset(_strings(f"{where} causes", raw.get("causes", []))),
        skills=skills,
        goal_skills=frozenset(_strings(f"{where} goal_skills", raw.get("goal_skills", []))),
        goal_vector=_vector(f"{where} goal_vector", raw["goal_vector"])
        if "goal_vector" in raw
        else None,
        expertise_vector=_vector(f"{where} expertise_vector", raw["expertise_vector"])
        if "expertise_vector" in raw
        else None,
        groups=dict(groups_raw),
    )


def _pairs(where: str, raw: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list):
        raise _fail(where, "must be a list of [mentee, mentor] pairs")
    out = []
    for index, pair in enumerate(raw):
        is_pair = isinstance(pair, list) and len(pair) == 2
        if not (is_pair and all(isinstance(x, str) for x in pair)):
            raise _fail(f"{where}[{index}]", "must be [mentee id, mentor id]")
        out.append((pair[0], pair[1]))
    return tuple(out)


def _settings[T](where: str, raw: object, kind: Callable[..., T]) -> T:
    if raw is None:
        return kind()
    if not isinstance(raw, dict):
        raise _fail(where, "must be an object")
    try:
        return kind(**raw)
    except TypeError as error:
        raise _fail(where, str(error).split(".__init__()")[-1].strip()) from None


def problem_from_json(data: object, embedder: Embedder | None = None) -> Problem:
    """Build a ``Problem`` from parsed JSON; texts are embedded with ``embedder`` if given.

    Raises ``ProblemError`` naming the offending entry.
    """
    if not isinstance(data, dict):
        raise ProblemError("the problem must be a JSON object")
    if unknown := sorted(set(data) - PROBLEM_KEYS):
        raise ProblemError(f"unknown top-level field {unknown[0]!r}")
    for side in ("mentors", "mentees"):
        if not isinstance(data.get(side), list):
            raise ProblemError(f"{side}: a list is required")
    texts: dict[str, dict[str, list[tuple[int, str]]]] = {}
    people: dict[str, list[Person]] = {}
    for side in ("mentors", "mentees"):
        texts[side] = {"goal_text": [], "expertise_text": []}
        people[side] = [
            _person(f"{side}[{row}]", raw, texts[side], row) for row, raw in enumerate(data[side])
        ]
    wanted = [(side, key) for side in texts for key, items in texts[side].items() if items]
    if wanted:
        if embedder is None:
            from impactcircle.engine.text.embedder import default_embedder

            embedder = default_embedder()
        for side, key in wanted:
            rows = texts[side][key]
            vectors = embedder.embed([text for _, text in rows])
            field = "goal_vector" if key == "goal_text" else "expertise_vector"
            for (row, _), vector in zip(rows, vectors, strict=True):
                person = people[side][row]
                if getattr(person, field) is None:
                    people[side][row] = _replace(person, field, vector)
    pair_scores = None
    if "pair_scores" in data:
        raw_scores = data["pair_scores"]
        if not isinstance(raw_scores, list):
            raise ProblemError("pair_scores: must be a list of [mentee, mentor, score]")
        parsed = []
        for index, item in enumerate(raw_scores):
            where = f"pair_scores[{index}]"
            if not (isinstance(item, list) and len(item) == 3):
                raise _fail(where, "must be [mentee id, mentor id, score]")
            if not (isinstance(item[0], str) and isinstance(item[1], str)):
                raise _fail(where, "ids must be strings")
            parsed.append((item[0], item[1], _number(where, item[2])))
        pair_scores = tuple(parsed)
    preferences = None
    if "preferences" in data:
        raw_prefs = data["preferences"]
        if not isinstance(raw_prefs, dict):
            raise ProblemError("preferences: must map a person id to a ranked list of ids")
        preferences = {str(k): _strings(f"preferences of {k!r}", v) for k, v in raw_prefs.items()}
    mode = data.get("mode", "optimal")
    if mode not in MODES:
        raise ProblemError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    maximize = data.get("maximize_matches", False)
    if not isinstance(maximize, bool):
        raise ProblemError("maximize_matches: must be true or false")
    return Problem(
        mentees=tuple(people["mentees"]),
        mentors=tuple(people["mentors"]),
        weights=_settings("weights", data.get("weights"), Weights),
        rules=_settings("rules", data.get("rules"), Rules),
        circles=_settings("circles", data.get("circles"), CircleSettings),
        locked=_pairs("locked", data.get("locked", [])),
        forbidden=_pairs("forbidden", data.get("forbidden", [])),
        mode=cast(Mode, mode),
        pair_scores=pair_scores,
        preferences=preferences,
        maximize_matches=maximize,
        candidates_per_mentee=_integer(
            "candidates_per_mentee", data.get("candidates_per_mentee", 25)
        ),
    )


def _replace(person: Person, field: str, vector: np.ndarray[Any, Any]) -> Person:
    values = {name: getattr(person, name) for name in person.__dataclass_fields__}
    values[field] = vector
    return Person(**values)


def result_to_json(result: MatchResult, diff: ResultDiff | None = None) -> dict[str, Any]:
    """The JSON object written by ``impactcircle match`` (validated by result.schema.json)."""
    out: dict[str, Any] = {
        "mode": result.mode,
        "assignments": [
            {
                "mentee": a.mentee,
                "mentor": a.mentor,
                "score": a.score,
                "locked": a.locked,
                "explanation": [asdict(reason) for reason in a.explanation],
            }
            for a in result.assignments
        ],
        "unmatched": [asdict(u) for u in result.unmatched],
        "total_score": result.total_score,
        "matched": result.matched,
        "mentor_load": dict(result.mentor_load),
        "certificate": dict(result.certificate),
        "audit": asdict(result.audit) if result.audit is not None else None,
        "timings": dict(result.timings),
    }
    if result.mode == "circles":
        out["circles"] = [{"mentor": c.mentor, "members": list(c.members)} for c in result.circles]
    if diff is not None:
        out["diff"] = {
            "changes": [
                {**asdict(change), "score_delta": round(change.score_delta, 4)}
                for change in diff.changes
            ],
            "unchanged": diff.unchanged,
            "matched_before": diff.matched_before,
            "matched_after": diff.matched_after,
            "total_before": round(diff.total_before, 4),
            "total_after": round(diff.total_after, 4),
            "total_delta": round(diff.total_delta, 4),
        }
    return out


def assignments_from_json(data: object, where: str = "result") -> dict[str, tuple[str, float]]:
    """``{mentee: (mentor, score)}`` from a result file, for ``diff_assignments``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("assignments"), list):
        raise ProblemError(f"{where}: not a result file (no 'assignments' list)")
    out: dict[str, tuple[str, float]] = {}
    for index, item in enumerate(data["assignments"]):
        if not isinstance(item, Mapping) or not {"mentee", "mentor", "score"} <= set(item):
            raise ProblemError(f"{where} assignments[{index}]: needs mentee, mentor and score")
        out[str(item["mentee"])] = (
            str(item["mentor"]),
            _number(f"{where} assignments[{index}]", item["score"]),
        )
    return out

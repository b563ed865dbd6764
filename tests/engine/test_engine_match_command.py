"""`impactcircle match` on the documented examples, validated against the documented schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from impactcircle.engine.matching.command import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "docs" / "examples" / "matching").glob("*.json"))
SCHEMAS = ROOT / "src" / "impactcircle" / "engine" / "matching" / "schema"
TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> None:
    """A small JSON Schema validator for the keywords our two schemas use."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        validate(value, target, root, path)
        return
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in {schema['enum']}"
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert any(_is_type(value, n) for n in names), f"{path}: {value!r} is not {names}"
    if _is_type(value, "number"):
        if "minimum" in schema:
            assert value >= schema["minimum"], f"{path}: below minimum"
        if "maximum" in schema:
            assert value <= schema["maximum"], f"{path}: above maximum"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{path}: missing {key!r}"
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                validate(item, properties[key], root, f"{path}.{key}")
            elif extra is False:
                raise AssertionError(f"{path}: unexpected property {key!r}")
            elif isinstance(extra, dict):
                validate(item, extra, root, f"{path}.{key}")
    if isinstance(value, list):
        assert len(value) >= schema.get("minItems", 0), f"{path}: too few items"
        assert len(value) <= schema.get("maxItems", len(value)), f"{path}: too many items"
        prefix = schema.get("prefixItems", [])
        for index, item in enumerate(value):
            item_schema = prefix[index] if index < len(prefix) else schema.get("items")
            if item_schema is not None:
                validate(item, item_schema, root, f"{path}[{index}]")


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def test_examples_cover_every_mode_and_the_minimal_shape() -> None:
    modes = {json.loads(p.read_text()).get("mode", "optimal") for p in EXAMPLES}
    assert modes == {"optimal", "stable", "greedy", "circles"}
    minimal = json.loads((ROOT / "docs/examples/matching/minimal.json").read_text())
    assert set(minimal) == {
        "mentors",
        "mentees",
        "pair_scores",
        "preferences",
        "locked",
        "forbidden",
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_problem_validates_against_problem_schema(example: Path) -> None:
    schema = load_schema("problem.schema.json")
    validate(json.loads(example.read_text(encoding="utf-8")), schema, schema)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_match_command_output_validates_against_result_schema(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "result.json"
    assert main([str(example), "-o", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    schema = load_schema("result.schema.json")
    validate(result, schema, schema)
    assert result["total_score"] == pytest.approx(sum(a["score"] for a in result["assignments"]))


@pytest.mark.parametrize("mode", ["optimal", "stable", "greedy", "circles"])
def test_mode_flag_overrides_the_file_and_prints_to_stdout(
    mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(ROOT / "docs/examples/matching/minimal.json"), "--mode", mode]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["mode"] == mode
    schema = load_schema("result.schema.json")
    validate(result, schema, schema)


def test_minimal_example_gives_the_expected_assignment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([str(ROOT / "docs/examples/matching/minimal.json"), "-o", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    pairs = {(a["mentee"], a["mentor"], a["score"]) for a in result["assignments"]}
    assert pairs == {("e1", "m1", 87.5), ("e2", "m1", 40.0), ("e3", "m2", 12.0)}
    assert result["total_score"] == 139.5


def test_compare_adds_a_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tmp_path / "before.json"
    before.write_text(json.dumps({"assignments": [{"mentee": "e1", "mentor": "m2", "score": 1.0}]}))
    example = str(ROOT / "docs/examples/matching/minimal.json")
    assert main([example, "--compare", str(before)]) == 0
    diff = json.loads(capsys.readouterr().out)["diff"]
    kinds = {c["mentee"]: c["kind"] for c in diff["changes"]}
    assert kinds == {"e1": "moved", "e2": "newly_matched", "e3": "newly_matched"}
    assert diff["total_delta"] == pytest.approx(138.5)


MINIMAL = {
    "mentors": [{"id": "m1", "capacity": 2}, {"id": "m2", "capacity": 1}],
    "mentees": [{"id": "e1"}, {"id": "e2"}, {"id": "e3"}],
    "pair_scores": [["e1", "m1", 87.5], ["e2", "m1", 40.0], ["e3", "m2", 12.0]],
}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"pair_scores": [["e1", "m9", 1.0]]}, "'m9'"),
        ({"pair_scores": [["x1", "m1", 1.0]]}, "'x1'"),
        ({"mentors": [{"id": "m1", "capacity": -1}, {"id": "m2"}]}, "'m1'"),
        ({"locked": [["e2", "m1"]], "forbidden": [["e2", "m1"]]}, "['e2', 'm1']"),
        (
            {
                "locked": [["e3", "m2"], ["e2", "m2"]],
                "pair_scores": [["e3", "m2", 1.0], ["e2", "m2", 1.0]],
            },
            "['e2', 'm2']",
        ),
        ({"locked": [["e1", "m2"]]}, "['e1', 'm2']"),
        ({"forbidden": [["e1", "nobody"]]}, "'nobody'"),
        ({"preferences": {"e1": ["m1", "zz"]}}, "'zz'"),
        ({"mentees": [{"id": "e1"}, {"id": "e1"}]}, "'e1'"),
        ({"mentees": [{"id": "e1", "level": "high"}]}, "'e1'"),
        ({"pair_scores": [["e1", "m1"]]}, "pair_scores[0]"),
        ({"mode": "random"}, "'random'"),
        ({"surprise": 1}, "'surprise'"),
        ({"rules": {"level_rule": "sideways"}}, "'sideways'"),
        ({"rules": {"colour": "red"}}, "colour"),
        ({"weights": {"values": -1}}, "values"),
    ],
)
def test_invalid_input_exits_2_naming_the_entry(
    change: dict[str, Any], named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps({**MINIMAL, **change}))
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert named in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main([str(bad)]) == 2
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_locked_pair_breaking_a_rule_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "problem.json"
    path.write_text(
        json.dumps(
            {
                "mentors": [{"id": "boss", "level": 5, "languages": ["en"]}],
                "mentees": [{"id": "ann", "level": 1, "chain": ["boss"], "languages": ["en"]}],
                "locked": [["ann", "boss"]],
            }
        )
    )
    assert main([str(path)]) == 2
    assert "same_reporting_line" in capsys.readouterr().err


@pytest.mark.parametrize(
    "problem",
    [
        {"mentors": [], "mentees": []},
        {"mentors": [{"id": "m"}], "mentees": []},
        {"mentors": [], "mentees": [{"id": "e"}]},
        {"mentors": [], "mentees": [{"id": "e"}], "pair_scores": []},
        {"mentors": [{"id": "m", "capacity": 0}], "mentees": [{"id": "e", "level": -1}]},
    ],
)
@pytest.mark.parametrize("mode", ["optimal", "stable", "greedy", "circles"])
def test_empty_and_degenerate_pools_give_a_valid_result(
    problem: dict[str, Any], mode: str, tmp_path: Path
) -> None:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(problem))
    out = tmp_path / "result.json"
    assert main([str(path), "--mode", mode, "-o", str(out)]) == 0
    result = json.loads(out.read_text())
    schema = load_schema("result.schema.json")
    validate(result, schema, schema)
    assert result["matched"] == 0
    assert len(result["unmatched"]) == len(problem["mentees"])

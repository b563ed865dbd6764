"""The lines of a person's text: what the profile shows, what search indexes, why a row matched.

Each line is a label and a fact: "Skill: " + "Python (expert)". Only the facts are indexed and
matched; a label stands in every profile, so matching it would make a search for "public
speaking" find everyone who "Speaks" a language. Every builder of a line is here, beside the
labels `split_line` takes off, so that the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence

JOB_TITLE = "Job title: "
DEPARTMENT = "Department: "
LEVEL = "Level: "
PLACE = "Based in "
SPEAKS = "Speaks "
SKILL = "Skill: "
GOAL = "Goal: "
CARES = "Cares about "
LIVES = "Lives the value "
BIO = "Bio: "
LINE_LABELS = (JOB_TITLE, DEPARTMENT, LEVEL, PLACE, SPEAKS, SKILL, GOAL, CARES, LIVES, BIO)
OPEN_TO_MENTOR = "Open to mentor"

# The order in which a person's optional groups appear in their searchable text and reasons.
SEARCHED_GROUPS = (
    "level",
    "location",
    "languages",
    "skills",
    "goals",
    "cause_areas",
    "values",
    "bio",
    "mentoring",
)


def split_line(line: str) -> tuple[str, str]:
    """A line's label (or "") and its fact; only the first label is taken off."""
    for label in LINE_LABELS:
        if line.startswith(label):
            return label, line[len(label) :]
    return "", line


def level_line(name: str) -> str:
    return f"{LEVEL}{name}"


def place_line(city: str, country: str) -> str:
    return PLACE + ", ".join(part for part in (city, country) if part)


def languages_line(names: Sequence[str]) -> str:
    return SPEAKS + ", ".join(names)


def skill_line(name: str, proficiency_label: str) -> str:
    return f"{SKILL}{name} ({proficiency_label.lower()})"


def goal_line(text: str) -> str:
    return f"{GOAL}{text}"


def cause_line(cause: str) -> str:
    return f"{CARES}{cause}"


def value_line(name: str) -> str:
    return f"{LIVES}{name}"


def bio_line(bio: str) -> str:
    return BIO + " ".join(bio.split())


def assemble_lines(
    job_title: str, department: str | None, groups: dict[str, list[str]]
) -> list[str]:
    """The lines of a person's text: organisation first, then each visible group in order."""
    lines = [f"{JOB_TITLE}{job_title}"] if job_title else []
    if department:
        lines.append(f"{DEPARTMENT}{department}")
    for group in SEARCHED_GROUPS:
        lines += groups.get(group, [])
    return lines

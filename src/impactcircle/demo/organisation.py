"""The demo organisation's shared rows: levels, the department tree, the curated skills
taxonomy, company values, and the seeded cause areas and languages. Each is found or created, so
building the demo twice makes no twins."""

from __future__ import annotations

from dataclasses import dataclass

from impactcircle.demo.hierarchy import TOP_LEVEL, CompanyPlan
from impactcircle.demo.reference import FUNCTIONS, GENERAL_SKILLS, SKILL_DESCRIPTIONS, VALUES
from impactcircle.people.models import CauseArea, CompanyValue, Department, Language, Level, Skill


@dataclass(frozen=True)
class ReferenceRows:
    """Primary keys of the shared rows people point at."""

    level_ids: dict[int, int]  # rank -> Level id
    skill_ids: dict[str, int]  # skill name as in reference.py -> Skill id
    value_ids: tuple[int, ...]  # in the order of reference.VALUES
    cause_ids: dict[int, int]  # SDG number -> CauseArea id
    language_codes: frozenset[str]


def curated_skill_names() -> list[str]:
    names: list[str] = []
    for function in FUNCTIONS:
        names.extend(function.skills)
    names.extend(GENERAL_SKILLS)
    return list(dict.fromkeys(names))


def ensure_levels() -> dict[int, int]:
    existing = {level.rank: level.pk for level in Level.objects.all()}
    names = set(Level.objects.values_list("name", flat=True))
    for rank in range(1, TOP_LEVEL + 1):
        if rank not in existing:
            name = f"L{rank}" if f"L{rank}" not in names else f"L{rank} (demo)"
            existing[rank] = Level.objects.create(name=name, rank=rank).pk
    return existing


def ensure_skills() -> dict[str, int]:
    existing = {name.lower(): pk for pk, name in Skill.objects.values_list("pk", "name")}
    missing = [
        Skill(name=name, is_curated=True, description=SKILL_DESCRIPTIONS.get(name, ""))
        for name in curated_skill_names()
        if name.lower() not in existing
    ]
    for skill in Skill.objects.bulk_create(missing):
        existing[skill.name.lower()] = skill.pk
    return {name: existing[name.lower()] for name in curated_skill_names()}


def ensure_values() -> tuple[int, ...]:
    ids = []
    for position, (name, description, _weight) in enumerate(VALUES):
        value, _ = CompanyValue.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )
        ids.append(value.pk)
    return tuple(ids)


def ensure_reference_rows() -> ReferenceRows:
    causes = CauseArea.objects.filter(sdg_number__isnull=False).values_list("sdg_number", "pk")
    return ReferenceRows(
        level_ids=ensure_levels(),
        skill_ids=ensure_skills(),
        value_ids=ensure_values(),
        cause_ids={number: pk for number, pk in causes if number is not None},
        language_codes=frozenset(Language.objects.values_list("code", flat=True)),
    )


def ensure_departments(plan: CompanyPlan) -> list[int]:
    """Find or create the department of each planned unit; returns their ids, unit by unit."""
    existing = {
        (parent, name): pk
        for pk, parent, name in Department.objects.values_list("pk", "parent", "name")
    }
    ids: list[int] = []
    for unit in plan.units:
        parent = ids[unit.parent] if unit.parent is not None else None
        pk = existing.get((parent, unit.name))
        if pk is None:
            pk = Department.objects.create(name=unit.name, parent_id=parent).pk
            existing[(parent, unit.name)] = pk
        ids.append(pk)
    return ids

"""Describe each planned person: name, email, title, place, languages, skills, values, causes,
goals, mentoring and visibility, all fitting their department and level. Pure Python."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from impactcircle.demo.hierarchy import CompanyPlan
from impactcircle.demo.names import NAMES, REGIONS, email_safe
from impactcircle.demo.reference import (
    DEMO_DOMAIN,
    FUNCTIONS,
    GENERAL_SKILLS,
    GOAL_TEMPLATES,
    HEADQUARTERS,
    LEVEL_PREFIXES,
    LOCATIONS,
    MANAGER_TITLES,
    VALUES,
)

# Hire and status dates count back from this day, so a seed always gives the same company.
REFERENCE_DATE = date(2026, 11, 1)
FOUNDED = date(2001, 3, 1)
LEADERSHIP_SKILLS: tuple[str, ...] = (
    "Sustainability strategy", "Stakeholder management", "Public speaking", "Coaching",
    "Project management", "Impact measurement",
)  # fmt: skip
VISIBILITY_GROUPS: tuple[str, ...] = (
    "level", "hire_date", "location", "languages", "bio", "skills", "values", "cause_areas",
    "goals", "mentoring",
)  # fmt: skip
EXTRA_LANGUAGES: tuple[str, ...] = ("fr", "es", "de", "pt", "zh", "ar", "it", "nl")
_BASE_PROFICIENCY = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4, 8: 4}


@dataclass(slots=True)
class Person:
    first_name: str
    last_name: str
    email: str
    job_title: str
    location: int  # index into LOCATIONS
    languages: tuple[str, ...]
    hire_date: date
    status: str  # an EmploymentStatus value
    status_since: date
    skills: tuple[tuple[str, int], ...]  # (skill name, proficiency 1-4)
    values: tuple[int, ...]  # indexes into VALUES
    causes: tuple[int, ...]  # SDG numbers
    goals: tuple[tuple[str, tuple[str, ...]], ...]  # (text, tagged skill names)
    mentoring_hours: int
    open_to_mentor: bool
    open_to_be_mentored: bool
    open_to_reverse_mentor: bool
    visibility: dict[str, str]  # only the groups that differ from "everyone"
    bio: str


def _in_sentence(skill: str) -> str:
    first = skill.split(" ", 1)[0]
    return skill if first.isupper() or first == "Python" else skill[0].lower() + skill[1:]


class _Describer:
    def __init__(self, plan: CompanyPlan, rng: random.Random, taken: set[str]) -> None:
        self.plan = plan
        self.rng = rng
        self.taken = taken
        self.next_suffix: dict[str, int] = {}
        self.location_weights = [location.weight for location in LOCATIONS]
        self.value_weights = [weight for _name, _description, weight in VALUES]

    def email(self, first: str, last: str) -> str:
        base = f"{email_safe(first)}.{email_safe(last)}".strip(".") or "colleague"
        candidate = f"{base}@{DEMO_DOMAIN}"
        suffix = self.next_suffix.get(base, 2)
        while candidate in self.taken:
            candidate = f"{base}{suffix}@{DEMO_DOMAIN}"
            suffix += 1
        self.next_suffix[base] = suffix
        self.taken.add(candidate)
        return candidate

    def location(self, person: int) -> int:
        unit = self.plan.units[self.plan.unit[person]]
        if unit.kind in {"company", "division"}:
            return HEADQUARTERS if self.rng.random() < 0.8 else self._any_location()
        return unit.location if self.rng.random() < 0.7 else self._any_location()

    def _any_location(self) -> int:
        return self.rng.choices(range(len(LOCATIONS)), self.location_weights)[0]

    def name(self, location: int) -> tuple[str, str]:
        region = LOCATIONS[location].name_region
        if self.rng.random() < 0.2:
            region = self.rng.choice(REGIONS)
        given, family = NAMES[region]
        return self.rng.choice(given), self.rng.choice(family)

    def job_title(self, person: int) -> str:
        plan, level = self.plan, self.plan.level[person]
        unit = plan.units[plan.unit[person]]
        if plan.manager[person] < 0:
            return "Chief Executive Officer"
        if unit.kind == "company":
            return self.rng.choice(("Chief of Staff", "Chief Sustainability Officer"))
        if unit.kind == "division":
            if plan.role[person] == "head":
                return f"Executive Vice President, {unit.name}"
            return f"Business Manager, {unit.name}"
        if plan.role[person] in {"head", "manager"}:
            return f"{MANAGER_TITLES.get(level, 'Team Lead')}, {unit.name}"
        function = FUNCTIONS[unit.function if unit.function is not None else 0]
        return f"{LEVEL_PREFIXES[level]}{self.rng.choice(function.roles)}"

    def languages(self, location: int) -> tuple[str, ...]:
        spoken = LOCATIONS[location].languages
        chosen = [spoken[0], *(code for code in spoken[1:] if self.rng.random() < 0.4)]
        if "en" not in chosen and self.rng.random() < 0.85:
            chosen.append("en")
        if self.rng.random() < 0.1:
            chosen.append(self.rng.choice(EXTRA_LANGUAGES))
        return tuple(dict.fromkeys(chosen))

    def skills(self, person: int, level: int) -> tuple[tuple[str, int], ...]:
        function = self.plan.function_of(person)
        core = LEADERSHIP_SKILLS if function is None else FUNCTIONS[function].skills
        count = self.rng.randint(3, 6) + (1 if level >= 5 else 0)
        names = [self.rng.choice(core)]
        while len(names) < count:
            pool = core if self.rng.random() < 0.65 else GENERAL_SKILLS
            name = self.rng.choice(pool)
            if name not in names:
                names.append(name)
        base = _BASE_PROFICIENCY[level]
        return tuple(
            (name, min(4, max(1, base + self.rng.choice((-1, 0, 0, 1))))) for name in names
        )

    def values(self) -> tuple[int, ...]:
        count = self.rng.choice((2, 2, 3, 3, 4))
        chosen: list[int] = []
        while len(chosen) < count:
            value = self.rng.choices(range(len(VALUES)), self.value_weights)[0]
            if value not in chosen:
                chosen.append(value)
        return tuple(chosen)

    def causes(self, person: int) -> tuple[int, ...]:
        function = self.plan.function_of(person)
        leaning = (13, 17, 8, 5) if function is None else FUNCTIONS[function].causes
        weights = list(range(len(leaning), 0, -1))
        chosen: list[int] = []
        for _ in range(self.rng.choice((1, 2, 2, 3))):
            if self.rng.random() < 0.75:
                cause = self.rng.choices(leaning, weights)[0]
            else:
                cause = self.rng.randint(1, 17)
            if cause not in chosen:
                chosen.append(cause)
        return tuple(chosen)

    def goals(
        self, person: int, level: int, skills: tuple[tuple[str, int], ...]
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        chance = 0.55 if level <= 3 else (0.35 if level <= 5 else 0.15)
        if self.rng.random() >= chance:
            return ()
        function = self.plan.function_of(person)
        pool = LEADERSHIP_SKILLS if function is None else FUNCTIONS[function].skills
        have = [name for name, _proficiency in skills]
        new = [name for name in (*pool, *GENERAL_SKILLS) if name not in have]
        goals = []
        for _ in range(self.rng.choice((1, 1, 2))):
            template, wants_new = self.rng.choice(GOAL_TEMPLATES)
            skill = self.rng.choice(new if wants_new and new else have)
            tagged = [skill]
            if self.rng.random() < 0.3:
                tagged.append(self.rng.choice(new or have))
            text = template.format(skill=_in_sentence(skill))
            goals.append((text, tuple(dict.fromkeys(tagged))))
        return tuple(goals)

    def status(self, person: int, hired: date) -> tuple[str, date]:
        if self.plan.role[person] == "member":
            roll = self.rng.random()
            if roll < 0.03:
                return "on_leave", REFERENCE_DATE - timedelta(days=self.rng.randint(7, 180))
            if roll < 0.05:
                left = REFERENCE_DATE - timedelta(days=self.rng.randint(20, 700))
                return "left", max(left, hired + timedelta(days=60))
        return "active", hired

    def visibility(self) -> dict[str, str]:
        if self.rng.random() >= 0.07:
            return {}
        groups = self.rng.sample(VISIBILITY_GROUPS, self.rng.randint(1, 3))
        return {group: "programme" if self.rng.random() < 0.6 else "private" for group in groups}

    def describe(self, person: int) -> Person:
        rng, level = self.rng, self.plan.level[person]
        location = self.location(person)
        first, last = self.name(location)
        title = self.job_title(person)
        tenure_days = int(365 * (rng.uniform(0.1, 2.5) + (level - 1) * rng.uniform(0.6, 1.6)))
        hired = max(FOUNDED, REFERENCE_DATE - timedelta(days=tenure_days))
        status, since = self.status(person, hired)
        skills = self.skills(person, level)
        mentor_chance = {1: 0.12, 2: 0.2, 3: 0.35, 4: 0.45}.get(level, 0.6)
        mentee_chance = 0.6 if level <= 2 else (0.4 if level <= 4 else 0.1)
        open_to_mentor = rng.random() < mentor_chance
        open_to_be_mentored = rng.random() < mentee_chance
        reverse = level <= 3 and rng.random() < 0.12
        is_open = open_to_mentor or open_to_be_mentored or reverse
        city = LOCATIONS[location].city
        bio = ""
        if rng.random() < 0.6:
            bio = f"{title} based in {city}. Ask me about {_in_sentence(skills[0][0])}."
        return Person(
            first_name=first,
            last_name=last,
            email=self.email(first, last),
            job_title=title,
            location=location,
            languages=self.languages(location),
            hire_date=hired,
            status=status,
            status_since=since,
            skills=skills,
            values=self.values(),
            causes=self.causes(person),
            goals=self.goals(person, level, skills),
            mentoring_hours=rng.choice((2, 4, 4, 6, 8, 10)) if is_open else 0,
            open_to_mentor=open_to_mentor,
            open_to_be_mentored=open_to_be_mentored,
            open_to_reverse_mentor=reverse,
            visibility=self.visibility(),
            bio=bio,
        )


def describe_people(plan: CompanyPlan, rng: random.Random, taken: set[str]) -> Iterator[Person]:
    """Each planned person in plan order; `taken` holds emails already in use (it grows)."""
    describer = _Describer(plan, rng, taken)
    for person in range(plan.size):
        yield describer.describe(person)

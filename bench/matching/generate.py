"""Synthetic but realistic mentoring pools for the matching benchmarks.

Skewed (Zipf-like) values, cause areas and skills; five regions with their own UTC offsets and
languages (most people also speak English); a real manager tree (every person has a manager
chain up to the top, levels fall with depth); mentors drawn from the more senior people;
capacities 1–5; goal and expertise embeddings clustered by topic (256 dimensions, like
wordllama); group attributes for the fairness audit.
"""

from __future__ import annotations

import numpy as np

from impactcircle.engine.matching.problem import Person, Problem

VALUES = [f"value-{i:02d}" for i in range(12)]
CAUSES = [f"SDG {i}" for i in range(1, 18)]
SKILLS = [f"skill-{i:03d}" for i in range(120)]
REGIONS = [
    # name, UTC offset, local language, share of people
    ("americas", -5, "es", 0.25),
    ("brazil", -3, "pt", 0.10),
    ("europe", 1, "de", 0.30),
    ("india", 5, "hi", 0.20),
    ("asia", 8, "zh", 0.15),
]
TOPICS = 40
DIM = 256


def _zipf(rng: np.random.Generator, size: int, count: int, exponent: float = 1.1) -> list[str]:
    weights = 1.0 / np.arange(1, size + 1) ** exponent
    return list(rng.choice(size, size=count, replace=False, p=weights / weights.sum()))


def generate(mentees: int, mentors: int, seed: int = 7) -> Problem:
    """A problem with ``mentees`` mentees and ``mentors`` mentors (profile mode)."""
    rng = np.random.default_rng(seed)
    people = mentees + mentors
    branching = 7
    manager = np.r_[-1, (np.arange(1, people) - 1) // branching]
    depth = np.zeros(people, dtype=np.int64)
    for k in range(1, people):
        depth[k] = depth[manager[k]] + 1
    level = np.clip(10 - depth + rng.integers(-1, 2, people), 1, 10)
    seniority = level.astype(float) ** 3
    mentor_rows = rng.choice(people, size=mentors, replace=False, p=seniority / seniority.sum())
    is_mentor = np.zeros(people, dtype=bool)
    is_mentor[mentor_rows] = True
    mentee_rows = np.flatnonzero(~is_mentor)[:mentees]
    region_index = rng.choice(len(REGIONS), size=people, p=[r[3] for r in REGIONS])
    centroids = rng.standard_normal((TOPICS, DIM)).astype(np.float32)
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)

    def vector(topic: int) -> np.ndarray:
        v = centroids[topic] + 0.9 * rng.standard_normal(DIM).astype(np.float32) / np.sqrt(DIM)
        return (v / np.linalg.norm(v)).astype(np.float32)

    def chain(k: int) -> tuple[str, ...]:
        out = []
        while manager[k] >= 0:
            k = int(manager[k])
            out.append(f"p{k}")
        return tuple(out)

    def person(k: int, role: str) -> Person:
        name, offset, local, _ = REGIONS[region_index[k]]
        start = (9 - offset + int(rng.integers(-1, 2))) % 24
        speaks_english = rng.random() < 0.9
        languages = (local, "en") if rng.random() < 0.6 or not speaks_english else ("en", local)
        if not speaks_english:
            languages = (local,)
        skills = _zipf(rng, len(SKILLS), int(rng.integers(3, 9)))
        goals = _zipf(rng, len(SKILLS), int(rng.integers(1, 4)))
        common = {
            "id": f"p{k}",
            "level": int(level[k]),
            "chain": chain(k),
            "department": f"d{k // 50}",
            "languages": languages,
            "hours": (start, (start + 8) % 24),
            "values": frozenset(VALUES[i] for i in _zipf(rng, 12, int(rng.integers(2, 5)))),
            "causes": frozenset(CAUSES[i] for i in _zipf(rng, 17, int(rng.integers(1, 4)))),
            "groups": {
                "region": name,
                "gender": str(rng.choice(["f", "m", "x"], p=[0.48, 0.48, 0.04])),
            },
        }
        if role == "mentor":
            return Person(
                **common,
                capacity=int(rng.choice(5, p=[0.35, 0.3, 0.2, 0.1, 0.05]) + 1),
                skills={SKILLS[i]: int(rng.integers(2, 6)) for i in skills},
                expertise_vector=vector(int(skills[0]) % TOPICS),
            )
        return Person(
            **common,
            goal_skills=frozenset(SKILLS[i] for i in goals),
            goal_vector=vector(int(goals[0]) % TOPICS),
        )

    return Problem(
        mentees=tuple(person(int(k), "mentee") for k in mentee_rows),
        mentors=tuple(person(int(k), "mentor") for k in mentor_rows),
    )

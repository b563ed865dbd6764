"""The demo's mentorship: four programmes managed by the administrator, and a large programme
for the benchmark.

- *Climate leaders mentoring 2026* (one-on-one, running): the demo member is a matched mentee
  with a confirmed session and one waiting for her confirmation.
- *Circular economy circles* (group circles, running).
- *Reverse mentoring: digital and sustainability* (juniors mentor seniors, running).
- *Climate leaders mentoring 2027* (the next cohort, enrolment open): accepted mentors with room
  to spare, accepted mentees, and the demo member's application to mentor, awaiting a decision.
  The browser test enrols her here as a mentee and runs the matching.

Applications, sessions, goals, milestones and check-ins are bulk rows (with dates in the past, as
if the programmes had been running); every matching goes through the real services
(`run_start`, then `run_compute` — the worker's code path — then `run_publish`). Deterministic for
a seed; the default demo adds about a second.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.mentorship.matching.compute import run_compute
from impactcircle.mentorship.matching.publishing import run_publish_execute
from impactcircle.mentorship.matching.services import (
    pair_rule_set,
    run_publish,
    run_start,
)
from impactcircle.mentorship.models import (
    Application,
    CheckIn,
    MatchingRun,
    MentoringSession,
    Milestone,
    Programme,
    Relationship,
    RelationshipGoal,
    RelationshipMember,
    SessionConfirmation,
    Side,
)
from impactcircle.mentorship.programmes.services import ProgrammeSettings, programme_create
from impactcircle.people.models import CauseArea, Profile

MENTEE_GOALS = (
    "Measure the social impact of our volunteering programme",
    "Learn carbon accounting and build our first emissions baseline",
    "Lead a cross-team CSR initiative with confidence",
    "Write a credible ESG report for our business unit",
    "Grow as a leader of community partnerships",
    "Design a circular product take-back scheme",
    "Speak about sustainability to senior leaders",
)
MENTOR_OFFERS = (
    "Impact measurement, theory of change and reporting",
    "Carbon accounting, science-based targets and supplier engagement",
    "Stakeholder engagement and leading change across teams",
    "ESG reporting frameworks (CSRD, GRI) and assurance",
    "Circular design, reuse and repair programmes",
)
REVERSE_TOPICS = (
    "Digital collaboration tools and working in the open",
    "Social media for sustainability storytelling",
    "Data literacy: dashboards and simple analysis",
    "Climate-conscious everyday practices at work",
)
GOAL_TITLES = (
    "Agree a first impact baseline",
    "Present to the leadership team",
    "Publish a lesson learned",
    "Run a pilot with one supplier",
    "Map our stakeholders",
    "Draft the programme's theory of change",
)
SESSION_TOPICS = (
    "Goals and expectations",
    "Reading an ESG report together",
    "Stakeholder map review",
    "Feedback on a presentation",
    "Carbon baseline: scope 1 and 2",
    "Career conversation",
)
DECLINE_REASONS = (
    "This cohort is for colleagues at levels L1–L4; please apply to the next one.",
    "We have more mentees than mentors this round; please apply again in spring.",
)
WAITLIST_REASON = "Waiting for a mentor with the right expertise to become free."


@dataclass(frozen=True)
class DemoMentorship:
    programme_ids: tuple[int, ...]  # one-on-one, circles, reverse, open cohort
    relationships: int
    sessions: int


@dataclass(frozen=True)
class _Person:
    user_id: int
    level: int
    manager_id: int | None
    open_to_mentor: bool
    open_to_be_mentored: bool
    open_to_reverse: bool


def _people(exclude: set[int]) -> list[_Person]:
    rows = (
        Profile.objects.filter(
            department__isnull=False, employment_status="active", user__is_active=True
        )
        .exclude(user_id__in=exclude)
        .order_by("user_id")
        .values_list(
            "user_id",
            "level__rank",
            "manager_id",
            "open_to_mentor",
            "open_to_be_mentored",
            "open_to_reverse_mentor",
        )
    )
    return [_Person(u, level or 0, m, a, b, c) for u, level, m, a, b, c in rows]


def _chain(user_id: int, manager_of: dict[int, int | None]) -> set[int]:
    chain: set[int] = set()
    current = manager_of.get(user_id)
    while current is not None and current not in chain:
        chain.add(current)
        current = manager_of.get(current)
    return chain


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _settings(name: str, purpose: str, **values: Any) -> ProgrammeSettings:
    return ProgrammeSettings(name=name, purpose=purpose, **values)


def _programme(
    administrator: User, settings: ProgrammeSettings, sdgs: tuple[int, ...]
) -> Programme:
    causes = CauseArea.objects.filter(sdg_number__in=sdgs).values_list("pk", flat=True)
    return programme_create(actor=administrator, settings=settings, cause_area_ids=list(causes))


def _apply(
    programme: Programme,
    rng: random.Random,
    people: list[int],
    side: str,
    *,
    texts: tuple[str, ...],
    capacity: tuple[int, ...] = (1,),
    declined: int = 0,
    waitlisted: int = 0,
    submitted: int = 0,
) -> list[Application]:
    """Applications of `people` on one side: the last few declined (with a reason), waitlisted
    or still waiting for a decision, the rest accepted; dated across the enrolment window."""
    count = len(people)
    decided = (
        [Application.Status.DECLINED] * declined
        + [Application.Status.WAITLISTED] * waitlisted
        + [Application.Status.SUBMITTED] * submitted
    )
    # A small company still gets mostly accepted people; one applicant keeps their decision.
    decided = decided[: count // 3] if count >= 3 else decided[:count]
    statuses = [Application.Status.ACCEPTED] * (count - len(decided)) + decided
    applications = Application.objects.bulk_create(
        [
            Application(
                programme=programme,
                user_id=user_id,
                side=side,
                status=status,
                decision_reason=(
                    rng.choice(DECLINE_REASONS)
                    if status == Application.Status.DECLINED
                    else WAITLIST_REASON
                    if status == Application.Status.WAITLISTED
                    else ""
                ),
                goals=rng.choice(texts),
                capacity=rng.choice(capacity) if side == Side.MENTOR else 1,
            )
            for user_id, status in zip(people, statuses, strict=True)
        ]
    )
    window = max((programme.enrolment_closes_on - programme.enrolment_opens_on).days, 0)
    today = timezone.localdate()
    by_day: dict[date, list[int]] = defaultdict(list)
    for application in applications:
        day = min(programme.enrolment_opens_on + timedelta(days=rng.randint(0, window)), today)
        by_day[day].append(application.pk)
    for day, ids in by_day.items():
        Application.objects.filter(pk__in=ids).update(created_at=_at(day), updated_at=_at(day))
    return applications


def _match_and_publish(administrator: User, programme: Programme) -> list[Relationship]:
    run = run_start(actor=administrator, programme=programme)
    run = run_compute(run.pk)  # what the worker does; the queued task later finds it done
    if run.status != MatchingRun.Status.DRAFT:  # e.g. nobody on one side in a tiny company
        return []
    run_publish(actor=administrator, run=run)
    run_publish_execute(run.pk, administrator.pk)  # the worker's part, as for run_compute
    relationships = list(Relationship.objects.filter(source_run=run).order_by("pk"))
    Relationship.objects.filter(programme=programme).update(started_on=programme.starts_on)
    MatchingRun.objects.filter(pk=run.pk).update(
        created_at=_at(programme.starts_on - timedelta(days=3)),
        finished_at=_at(programme.starts_on - timedelta(days=3), 10),
        published_at=_at(programme.starts_on - timedelta(days=1)),
    )
    return relationships


class _Activity:
    """Sessions, confirmations, goals, milestones and check-ins of running relationships."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.sessions: list[tuple[MentoringSession, int | None]] = []  # (session, confirmer)
        self.goals: list[tuple[RelationshipGoal, list[tuple[str, bool]]]] = []
        self.check_ins: list[CheckIn] = []
        self.last_confirmed: dict[int, date] = {}

    def add(
        self,
        relationship: Relationship,
        members: list[tuple[int, str]],
        *,
        sessions: int,
        at_risk: str = "",
        last_unconfirmed: bool = False,
        scores: tuple[int, ...] = (3, 4, 4, 4, 5, 5),
    ) -> None:
        rng, start = self.rng, relationship.started_on or self.today
        mentor = next(user for user, side in members if side == Side.MENTOR)
        mentees = [user for user, side in members if side == Side.MENTEE]
        days = (self.today - start).days
        last_day = self.today - timedelta(days=rng.randint(2, 12))
        if at_risk == "silent":
            sessions = 0
        elif at_risk == "low check-ins":
            last_day = self.today - timedelta(days=rng.randint(4, 10))
        dates = [
            start + timedelta(days=(days * (n + 1)) // (sessions + 1)) for n in range(sessions)
        ]
        if dates:
            dates[-1] = last_day
        if last_unconfirmed and sessions >= 2:  # a recent confirmed one, then one to confirm
            dates[-2] = self.today - timedelta(days=rng.randint(8, 14))
            dates[-1] = self.today - timedelta(days=rng.randint(1, 4))
        for number, held_on in enumerate(dates):
            logged_by = mentor if (sessions - 1 - number) % 2 == 0 else rng.choice(mentees)
            others = [user for user, _side in members if user != logged_by]
            unconfirmed = last_unconfirmed and number == sessions - 1
            confirmer = None if unconfirmed else rng.choice(others)
            session = MentoringSession(
                relationship=relationship,
                held_on=held_on,
                duration_minutes=rng.choice((30, 45, 45, 60, 60, 90)),
                topics=rng.choice(SESSION_TOPICS),
                shared_notes="Agreed next steps; see the goals.",
                logged_by_id=logged_by,
            )
            self.sessions.append((session, confirmer))
            if confirmer is not None:
                self.last_confirmed[relationship.pk] = max(
                    held_on, self.last_confirmed.get(relationship.pk, held_on)
                )
        for title in rng.sample(GOAL_TITLES, rng.randint(1, 2)):
            progress = rng.choice((0, 20, 40, 60, 80, 100)) if days > 14 else 0
            milestones = [
                (f"Step {step}", progress >= 100 or rng.random() < progress / 100)
                for step in range(1, rng.randint(2, 4))
            ]
            goal = RelationshipGoal(
                relationship=relationship,
                title=title,
                progress=progress,
                due_on=start + timedelta(days=120),
            )
            self.goals.append((goal, milestones))
        if days >= 30:
            due_on = start + timedelta(days=30)
            for user, _side in members:
                answered = rng.random() < 0.85 or at_risk == "low check-ins"
                score = rng.choice((1, 2)) if at_risk == "low check-ins" else rng.choice(scores)
                self.check_ins.append(
                    CheckIn(
                        relationship=relationship,
                        user_id=user,
                        due_on=due_on,
                        score=score if answered else None,
                        answered_at=_at(due_on + timedelta(days=1)) if answered else None,
                    )
                )

    def store(self) -> int:
        stored = MentoringSession.objects.bulk_create([session for session, _ in self.sessions])
        SessionConfirmation.objects.bulk_create(
            [
                SessionConfirmation(session=session, user_id=confirmer)
                for session, (_unsaved, confirmer) in zip(stored, self.sessions, strict=True)
                if confirmer is not None
            ]
        )
        for relationship_id, day in self.last_confirmed.items():
            Relationship.objects.filter(pk=relationship_id).update(last_session_on=day)
        goals = RelationshipGoal.objects.bulk_create([goal for goal, _ in self.goals])
        Milestone.objects.bulk_create(
            [
                Milestone(goal=goal, title=title, is_done=is_done)
                for goal, (_unsaved, milestones) in zip(goals, self.goals, strict=True)
                for title, is_done in milestones
            ]
        )
        CheckIn.objects.bulk_create(self.check_ins)
        return len(stored)


def _members(relationships: list[Relationship]) -> dict[int, list[tuple[int, str]]]:
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for relationship_id, user_id, side in RelationshipMember.objects.filter(
        relationship__in=relationships
    ).values_list("relationship_id", "user_id", "side"):
        members[relationship_id].append((user_id, side))
    return members


def _compatible_mentors(
    candidates: list[_Person], mentee: _Person, chain: set[int], languages: dict[int, set[str]]
) -> list[_Person]:
    return [
        person
        for person in candidates
        if person.level > mentee.level
        and person.user_id not in chain
        and mentee.user_id != person.manager_id
        and languages.get(person.user_id, set()) & languages.get(mentee.user_id, set())
    ]


def build_demo_mentorship(
    *, administrator: User, member: User, seed: int, today: date | None = None
) -> DemoMentorship:
    """Four programmes with their people, matchings and activity. Needs the demo organisation
    (its profiles); with too few people the smaller programmes are simply smaller."""
    day = today or timezone.localdate()
    rng = random.Random(seed * 31 + 7)  # noqa: S311  (reproducible demo data, not security)
    everyone = _people({administrator.pk})
    me = next((person for person in everyone if person.user_id == member.pk), None)
    others = [person for person in everyone if person.user_id != member.pk]
    if me is None or len(others) < 40:
        return DemoMentorship((), 0, 0)
    manager_of = {person.user_id: person.manager_id for person in everyone}
    languages: dict[int, set[str]] = defaultdict(set)
    for user_id, code in Profile.languages.through.objects.filter(
        profile__user_id__in=[person.user_id for person in everyone]
    ).values_list("profile__user_id", "language__code"):
        languages[user_id].add(code)
    my_chain = _chain(member.pk, manager_of)
    taken: set[int] = set()

    def pick(pool: list[_Person], count: int) -> list[_Person]:
        free = [person for person in pool if person.user_id not in taken]
        chosen = rng.sample(free, min(count, len(free)))
        taken.update(person.user_id for person in chosen)
        return chosen

    juniors = [p for p in others if 1 <= p.level <= 4]
    seniors = [p for p in others if p.level >= 4]
    wants_mentor = [p for p in juniors if p.open_to_be_mentored] or juniors
    can_mentor = [p for p in seniors if p.open_to_mentor] or seniors
    activity = _Activity(rng, day)
    programme_ids: list[int] = []
    relationships_made = 0

    # 1. One-on-one, running for 75 days; the demo member is a mentee, locked with a mentor.
    one = _programme(
        administrator,
        _settings(
            "Climate leaders mentoring 2026",
            "Pairs an emerging **CSR leader** with an experienced colleague for a year: "
            "impact measurement, carbon accounting and leading change.",
            enrolment_opens_on=day - timedelta(days=120),
            enrolment_closes_on=day - timedelta(days=90),
            starts_on=day - timedelta(days=75),
            ends_on=day + timedelta(days=290),
            max_mentees_per_mentor=2,
        ),
        (13, 12),
    )
    mentors = pick(
        _compatible_mentors(can_mentor, me, my_chain, languages) or can_mentor, 1
    ) + pick(can_mentor, 11)
    mentees = pick(wants_mentor, 26)
    mentor_apps = _apply(one, rng, [p.user_id for p in mentors], Side.MENTOR,
                         texts=MENTOR_OFFERS, capacity=(2, 2, 3))  # fmt: skip
    _apply(one, rng, [member.pk], Side.MENTEE, texts=(MENTEE_GOALS[1],))
    _apply(one, rng, [p.user_id for p in mentees], Side.MENTEE, texts=MENTEE_GOALS,
           declined=2, waitlisted=2)  # fmt: skip
    my_application = Application.objects.get(programme=one, user=member, side=Side.MENTEE)
    if mentor_apps:
        pair_rule_set(actor=administrator, programme=one, mentee=my_application,
                      mentor=mentor_apps[0], kind="lock")  # fmt: skip
    relationships = _match_and_publish(administrator, one)
    members = _members(relationships)
    for index, relationship in enumerate(sorted(relationships, key=lambda r: r.pk)):
        relationship.refresh_from_db()
        mine = any(user == member.pk for user, _side in members[relationship.pk])
        activity.add(
            relationship,
            members[relationship.pk],
            sessions=2 if mine else rng.randint(1, 5),
            at_risk="" if mine else {1: "silent", 4: "low check-ins"}.get(index, ""),
            last_unconfirmed=mine or index % 5 == 2,
        )
    relationships_made += len(relationships)
    programme_ids.append(one.pk)

    # 2. Group circles, running for 60 days.
    circles = _programme(
        administrator,
        _settings(
            "Circular economy circles",
            "Small circles around one mentor: reuse, repair and take-back schemes.",
            format=Programme.Format.GROUP_CIRCLE,
            enrolment_opens_on=day - timedelta(days=100),
            enrolment_closes_on=day - timedelta(days=70),
            starts_on=day - timedelta(days=60),
            ends_on=day + timedelta(days=120),
            meeting_every_days=21,
            circle_min_size=3,
            circle_max_size=6,
            rule_min_level_gap=0,
        ),
        (12,),
    )
    _apply(circles, rng, [p.user_id for p in pick(can_mentor, 4)], Side.MENTOR,
           texts=MENTOR_OFFERS[4:] + MENTOR_OFFERS[:1])  # fmt: skip
    _apply(circles, rng, [p.user_id for p in pick(wants_mentor, 19)], Side.MENTEE,
           texts=MENTEE_GOALS[5:], declined=1)  # fmt: skip
    relationships = _match_and_publish(administrator, circles)
    members = _members(relationships)
    for index, relationship in enumerate(sorted(relationships, key=lambda r: r.pk)):
        relationship.refresh_from_db()
        activity.add(relationship, members[relationship.pk], sessions=rng.randint(2, 4),
                     last_unconfirmed=index == 0)  # fmt: skip
    relationships_made += len(relationships)
    programme_ids.append(circles.pk)

    # 3. Reverse mentoring, running for 45 days: juniors mentor seniors.
    reverse = _programme(
        administrator,
        _settings(
            "Reverse mentoring: digital and sustainability",
            "Junior colleagues mentor senior leaders on digital skills and everyday "
            "sustainability practice.",
            format=Programme.Format.REVERSE,
            enrolment_opens_on=day - timedelta(days=80),
            enrolment_closes_on=day - timedelta(days=55),
            starts_on=day - timedelta(days=45),
            ends_on=day + timedelta(days=135),
        ),
        (4, 13),
    )
    reverse_mentors = [p for p in juniors if p.open_to_reverse] or juniors
    _apply(reverse, rng, [p.user_id for p in pick(reverse_mentors, 9)], Side.MENTOR,
           texts=REVERSE_TOPICS)  # fmt: skip
    _apply(reverse, rng, [p.user_id for p in pick([p for p in others if p.level >= 5], 8)],
           Side.MENTEE, texts=REVERSE_TOPICS, waitlisted=1)  # fmt: skip
    relationships = _match_and_publish(administrator, reverse)
    members = _members(relationships)
    for relationship in sorted(relationships, key=lambda r: r.pk):
        relationship.refresh_from_db()
        activity.add(relationship, members[relationship.pk], sessions=rng.randint(1, 3))
    relationships_made += len(relationships)
    programme_ids.append(reverse.pk)

    # 4. The next cohort of the one-on-one programme, enrolment open.
    cohort = _programme(
        administrator,
        _settings(
            "Climate leaders mentoring 2027",
            "The next cohort of *Climate leaders mentoring*. Apply as a mentee to grow in "
            "impact measurement or carbon accounting, or as a mentor to share what you know.",
            enrolment_opens_on=day - timedelta(days=10),
            enrolment_closes_on=day + timedelta(days=20),
            starts_on=day + timedelta(days=30),
            ends_on=day + timedelta(days=395),
        ),
        (13, 12),
    )
    Programme.objects.filter(pk=cohort.pk).update(previous_cohort=one)
    # Mentors of the past cohorts may come back; each could also take the demo member (the
    # browser test enrols her as a mentee here), and they offer more places than mentees.
    fits_me = _compatible_mentors(seniors, me, my_chain, languages) or seniors
    returning = sorted(fits_me, key=lambda person: (not person.open_to_mentor, person.user_id))
    _apply(cohort, rng, [p.user_id for p in returning[:10]], Side.MENTOR,
           texts=MENTOR_OFFERS, capacity=(3,))  # fmt: skip
    _apply(cohort, rng, [p.user_id for p in pick(wants_mentor, 10)], Side.MENTEE,
           texts=MENTEE_GOALS, submitted=3)  # fmt: skip
    _apply(cohort, rng, [member.pk], Side.MENTOR, texts=(MENTOR_OFFERS[0],), submitted=1)
    programme_ids.append(cohort.pk)

    sessions = activity.store()
    return DemoMentorship(tuple(programme_ids), relationships_made, sessions)


def build_large_programme(
    *, manager: User, mentees: int = 2000, mentors: int = 500, seed: int = 2026
) -> Programme:
    """A one-on-one programme with `mentees` and `mentors` accepted applications among the
    organisation's people (juniors as mentees, seniors as mentors), for the benchmark. Needs an
    organisation of at least `mentees + mentors` active people."""
    rng = random.Random(seed)  # noqa: S311  (reproducible benchmark data, not security)
    people = sorted(_people({manager.pk}), key=lambda person: (person.level, person.user_id))
    if len(people) < mentees + mentors:
        raise ValueError(f"Needs {mentees + mentors} people; the organisation has {len(people)}.")
    day = timezone.localdate()
    programme = _programme(
        manager,
        _settings(
            f"Benchmark programme {mentees}×{mentors}",
            "A large one-on-one programme for the matching benchmark.",
            enrolment_opens_on=day - timedelta(days=30),
            enrolment_closes_on=day,
            starts_on=day + timedelta(days=7),
            ends_on=day + timedelta(days=372),
            max_mentees_per_mentor=5,
        ),
        (13,),
    )
    senior = people[-mentors:]
    junior = people[:mentees]
    _apply(programme, rng, [p.user_id for p in senior], Side.MENTOR, texts=MENTOR_OFFERS,
           capacity=(4, 5))  # fmt: skip
    _apply(programme, rng, [p.user_id for p in junior], Side.MENTEE, texts=MENTEE_GOALS)
    return programme


__all__ = ["DemoMentorship", "build_demo_mentorship", "build_large_programme"]

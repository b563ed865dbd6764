"""Store the demo's people: accounts, profiles and their many-to-many rows, in large bulk inserts.

Bulk inserts fire no signals, so profiles are created here rather than by people.receivers.
Everyone is stored in plan order, so a manager's account always exists before their reports'.
Everyone can sign in: each account gets a verified primary email address and the demo password,
hashed once and shared by every row (hashing it per person would take hours at 100,000).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from impactcircle.accounts.models import User
from impactcircle.demo.accounts import DEMO_PASSWORD
from impactcircle.demo.bulk_insert import RowWriter, insert_rows
from impactcircle.demo.hierarchy import CompanyPlan
from impactcircle.demo.organisation import ReferenceRows
from impactcircle.demo.profiles import VISIBILITY_GROUPS, Person
from impactcircle.demo.reference import LOCATIONS
from impactcircle.people.models import DevelopmentGoal, Profile, ProfileSkill

CHUNK = 5000  # people described and stored at a time; bounds memory at any size
BATCH = 2000  # rows per INSERT statement

ProfileLanguage = Profile.languages.through
ProfileValue = Profile.values.through
ProfileCause = Profile.cause_areas.through
GoalSkill = DevelopmentGoal.skills.through


@dataclass(frozen=True)
class StoredPeople:
    accounts: int  # new accounts
    rows: int  # every row inserted: accounts, profiles, skills, values, causes, goals …


def _chunks(items: Iterator[Person], size: int) -> Iterator[list[Person]]:
    while chunk := list(islice(items, size)):
        yield chunk


def profile_fields(
    plan: CompanyPlan,
    index: int,
    person: Person,
    refs: ReferenceRows,
    department_ids: list[int],
    user_ids: list[int],
) -> dict[str, Any]:
    """Column values of the profile of planned person `index`."""
    location = LOCATIONS[person.location]
    boss = plan.manager[index]
    fields: dict[str, Any] = {
        "job_title": person.job_title,
        "department_id": department_ids[plan.unit[index]],
        "manager_id": user_ids[boss] if boss >= 0 else None,
        "employment_status": person.status,
        "status_since": person.status_since,
        "time_zone": location.time_zone,
        "level_id": refs.level_ids[plan.level[index]],
        "hire_date": person.hire_date,
        "city": location.city,
        "country": location.country,
        "bio": person.bio,
        "mentoring_hours_per_month": person.mentoring_hours,
        "open_to_mentor": person.open_to_mentor,
        "open_to_be_mentored": person.open_to_be_mentored,
        "open_to_reverse_mentor": person.open_to_reverse_mentor,
    }
    for group in VISIBILITY_GROUPS:
        fields[f"{group}_visibility"] = person.visibility.get(group, "everyone")
    return fields


class _Rows:
    """Collects one chunk's many-to-many rows and inserts them together."""

    def __init__(self, refs: ReferenceRows) -> None:
        self.refs = refs
        self.count = 0

    def store(self, profile_ids: Iterable[int], people: Iterable[Person]) -> None:
        refs = self.refs
        languages: list[tuple[int, str]] = []
        values: list[tuple[int, int]] = []
        causes: list[tuple[int, int]] = []
        skills: list[tuple[int, int, int]] = []
        goals: list[DevelopmentGoal] = []
        goal_skill_names: list[tuple[str, ...]] = []
        for profile_id, person in zip(profile_ids, people, strict=True):
            languages.extend(
                (profile_id, code) for code in person.languages if code in refs.language_codes
            )
            values.extend((profile_id, refs.value_ids[value]) for value in person.values)
            causes.extend(
                (profile_id, refs.cause_ids[number])
                for number in person.causes
                if number in refs.cause_ids
            )
            skills.extend(
                (profile_id, refs.skill_ids[name], proficiency)
                for name, proficiency in person.skills
            )
            for text, tagged in person.goals:
                goals.append(DevelopmentGoal(profile_id=profile_id, text=text))
                goal_skill_names.append(tagged)
        self.count += insert_rows(ProfileLanguage, ("profile_id", "language_id"), languages)
        self.count += insert_rows(ProfileValue, ("profile_id", "companyvalue_id"), values)
        self.count += insert_rows(ProfileCause, ("profile_id", "causearea_id"), causes)
        self.count += insert_rows(ProfileSkill, ("profile_id", "skill_id", "proficiency"), skills)
        DevelopmentGoal.objects.bulk_create(goals, batch_size=BATCH)
        goal_skills = [
            (goal.pk, refs.skill_ids[name])
            for goal, names in zip(goals, goal_skill_names, strict=True)
            for name in names
        ]
        self.count += len(goals)
        self.count += insert_rows(GoalSkill, ("developmentgoal_id", "skill_id"), goal_skills)


def store_people(
    plan: CompanyPlan,
    people: Iterator[Person],
    refs: ReferenceRows,
    department_ids: list[int],
    reserved: dict[int, User],
) -> StoredPeople:
    """Insert everyone in the plan except the `reserved` slots, whose existing accounts (the
    demo sign-in accounts) get the slot's profile instead."""
    demo_password = make_password(DEMO_PASSWORD)  # once: every bulk row shares this hash
    user_ids = [0] * plan.size
    for index, account in reserved.items():
        user_ids[index] = account.pk
    rows = _Rows(refs)
    accounts = 0
    reserved_people: dict[int, Person] = {}
    user_writer = RowWriter(User, ("email", "first_name", "last_name", "password", "is_active"))
    email_writer = RowWriter(EmailAddress, ("user_id", "email", "verified", "primary"))
    profile_writer: RowWriter | None = None
    start = 0
    for chunk in _chunks(people, CHUNK):
        indexes = range(start, start + len(chunk))
        start += len(chunk)
        new = [(i, p) for i, p in zip(indexes, chunk, strict=True) if i not in reserved]
        reserved_people.update((i, p) for i, p in zip(indexes, chunk, strict=True) if i in reserved)
        emails = [person.email for _index, person in new]
        user_writer.insert(
            [
                {
                    "email": person.email,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "password": demo_password,
                    "is_active": person.status != "left",
                }
                for _index, person in new
            ]
        )
        id_of_email = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
        for index, person in new:
            user_ids[index] = id_of_email[person.email]
        email_writer.insert(
            [
                {
                    "user_id": user_ids[index],
                    "email": person.email,
                    "verified": True,
                    "primary": True,
                }
                for index, person in new
            ]
        )
        profile_rows = [
            {
                "user_id": user_ids[index],
                **profile_fields(plan, index, person, refs, department_ids, user_ids),
            }
            for index, person in new
        ]
        if profile_writer is None and profile_rows:
            profile_writer = RowWriter(Profile, tuple(profile_rows[0]))
        if profile_writer is not None:
            profile_writer.insert(profile_rows)
        new_user_ids = [user_ids[index] for index, _person in new]
        id_of_user = dict(
            Profile.objects.filter(user_id__in=new_user_ids).values_list("user_id", "pk")
        )
        rows.store((id_of_user[user] for user in new_user_ids), (person for _i, person in new))
        accounts += len(new)
        rows.count += 3 * len(new)  # account, email address, profile
    for index, person in reserved_people.items():
        _dress(reserved[index], plan, index, person, refs, department_ids, user_ids, rows)
    return StoredPeople(accounts=accounts, rows=rows.count)


def _dress(
    account: User,
    plan: CompanyPlan,
    index: int,
    person: Person,
    refs: ReferenceRows,
    department_ids: list[int],
    user_ids: list[int],
    rows: _Rows,
) -> None:
    """Give an existing account (Ada, Dana) the planned person's profile, keeping their name."""
    profile, _ = Profile.objects.get_or_create(user=account)
    for name, value in profile_fields(plan, index, person, refs, department_ids, user_ids).items():
        setattr(profile, name, value)
    profile.save()
    profile.languages.clear()
    profile.values.clear()
    profile.cause_areas.clear()
    profile.skill_levels.all().delete()
    profile.goals.all().delete()
    rows.store([profile.pk], [person])

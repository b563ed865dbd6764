"""Writes a person makes to their own profile (or an administrator makes for them)."""

from __future__ import annotations

import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from PIL import Image, UnidentifiedImageError

from impactcircle.accounts.models import User
from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import Forbidden, InvalidInput, NotFound
from impactcircle.core.search import index_later
from impactcircle.people.models import (
    CauseArea,
    CompanyValue,
    DevelopmentGoal,
    Language,
    Profile,
    ProfileSkill,
    Skill,
    Visibility,
)
from impactcircle.people.organisation_services import require_administrator
from impactcircle.people.roles import is_administrator
from impactcircle.people.selectors import PROFILE_TYPE

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_SIZE = 256


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def require_owner_or_administrator(actor: User, profile: Profile) -> None:
    if actor.pk != profile.user_id and not is_administrator(actor):
        raise Forbidden("You may only change your own profile.")


@dataclass(frozen=True, kw_only=True)
class ProfileChanges:
    """What a person may change about themselves; None leaves a field as it is."""

    bio: str | None = None
    city: str | None = None
    country: str | None = None
    time_zone: str | None = None
    language_codes: list[str] | None = None
    value_ids: list[int] | None = None
    cause_area_ids: list[int] | None = None
    mentoring_hours_per_month: int | None = None
    open_to_mentor: bool | None = None
    open_to_be_mentored: bool | None = None
    open_to_reverse_mentor: bool | None = None
    visibility: dict[str, str] | None = None


def _validate(changes: ProfileChanges) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if changes.bio is not None and len(changes.bio) > 5000:
        problems["bio"] = ["Keep the bio under 5,000 characters."]
    if changes.country and pycountry.countries.get(alpha_2=changes.country.upper()) is None:
        problems["country"] = [f"{changes.country!r} is not an ISO 3166 country code, e.g. DE."]
    if changes.time_zone is not None and changes.time_zone not in _time_zones():
        problems["time_zone"] = [f"{changes.time_zone!r} is not a time zone, e.g. Europe/Berlin."]
    if changes.language_codes is not None:
        known = set(
            Language.objects.filter(code__in=changes.language_codes).values_list("code", flat=True)
        )
        unknown = sorted(set(changes.language_codes) - known)
        if unknown:
            problems["languages"] = [f"Unknown ISO 639-1 codes: {', '.join(unknown)}."]
    hours = changes.mentoring_hours_per_month
    if hours is not None and not 0 <= hours <= 80:
        problems["mentoring_hours_per_month"] = ["Between 0 and 80 hours a month."]
    for group, choice in (changes.visibility or {}).items():
        if group not in Profile.OPTIONAL_GROUPS:
            problems.setdefault("visibility", []).append(f"{group!r} has no visibility setting.")
        elif choice not in Visibility.values:
            problems.setdefault("visibility", []).append(f"{choice!r} is not a visibility choice.")
    for name, model, ids in (
        ("values", CompanyValue, changes.value_ids),
        ("cause_areas", CauseArea, changes.cause_area_ids),
    ):
        if ids is not None and model.objects.filter(pk__in=ids).count() != len(set(ids)):
            problems[name] = ["Choose from the listed options."]
    return problems


@transaction.atomic
def profile_update(
    *, actor: User, profile: Profile, changes: ProfileChanges, request: HttpRequest | None = None
) -> Profile:
    require_owner_or_administrator(actor, profile)
    problems = _validate(changes)
    if problems:
        raise InvalidInput("The profile could not be saved.", fields=problems)
    simple = {
        "bio": changes.bio,
        "city": changes.city.strip() if changes.city is not None else None,
        "country": changes.country.upper() if changes.country is not None else None,
        "time_zone": changes.time_zone,
        "mentoring_hours_per_month": changes.mentoring_hours_per_month,
        "open_to_mentor": changes.open_to_mentor,
        "open_to_be_mentored": changes.open_to_be_mentored,
        "open_to_reverse_mentor": changes.open_to_reverse_mentor,
    }
    for field, value in simple.items():
        if value is not None:
            setattr(profile, field, value)
    visibility_changed = False
    for group, choice in (changes.visibility or {}).items():
        if profile.visibility_of(group) != choice:
            setattr(profile, f"{group}_visibility", choice)
            visibility_changed = True
    profile.save()
    if changes.language_codes is not None:
        profile.languages.set(Language.objects.filter(code__in=changes.language_codes))
    if changes.value_ids is not None:
        profile.values.set(changes.value_ids)
    if changes.cause_area_ids is not None:
        profile.cause_areas.set(changes.cause_area_ids)
    index_later(PROFILE_TYPE, [profile.pk])
    if visibility_changed:
        record_audit_event(
            action="people.visibility_changed", actor=actor, target=profile.user, request=request
        )
    return profile


def skill_for_name(name: str) -> Skill:
    """The taxonomy's skill of this name (any case), added as a free skill when it is new."""
    clean = " ".join(name.split())
    if not clean or len(clean) > 80:
        raise InvalidInput("Name the skill in 1 to 80 characters.", fields={"skill": ["Required."]})
    existing = Skill.objects.filter(name__iexact=clean).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Skill.objects.create(name=clean, is_curated=False)
    except IntegrityError:  # someone added it at the same moment
        return Skill.objects.get(name__iexact=clean)


@transaction.atomic
def profile_skill_set(
    *, actor: User, profile: Profile, skill_name: str, proficiency: int
) -> ProfileSkill:
    require_owner_or_administrator(actor, profile)
    if proficiency not in ProfileSkill.Proficiency.values:
        raise InvalidInput(
            "Proficiency is 1 (learning) to 4 (expert).", fields={"proficiency": ["1 to 4."]}
        )
    skill = skill_for_name(skill_name)
    level, _ = ProfileSkill.objects.update_or_create(
        profile=profile, skill=skill, defaults={"proficiency": proficiency}
    )
    index_later(PROFILE_TYPE, [profile.pk])
    return level


@transaction.atomic
def profile_skill_remove(*, actor: User, profile: Profile, skill_id: int) -> None:
    require_owner_or_administrator(actor, profile)
    deleted, _ = ProfileSkill.objects.filter(profile=profile, skill_id=skill_id).delete()
    if not deleted:
        raise NotFound("That skill is not on this profile.")
    index_later(PROFILE_TYPE, [profile.pk])


@transaction.atomic
def goal_add(
    *, actor: User, profile: Profile, text: str, skill_names: Iterable[str] = ()
) -> DevelopmentGoal:
    require_owner_or_administrator(actor, profile)
    text = " ".join(text.split())
    if not text or len(text) > 300:
        raise InvalidInput(
            "Describe the goal in 1 to 300 characters.", fields={"text": ["Required."]}
        )
    goal = DevelopmentGoal.objects.create(profile=profile, text=text)
    skills = [skill_for_name(name) for name in skill_names if name.strip()]
    goal.skills.set(skills)
    index_later(PROFILE_TYPE, [profile.pk])
    return goal


@transaction.atomic
def goal_remove(*, actor: User, profile: Profile, goal_id: int) -> None:
    require_owner_or_administrator(actor, profile)
    deleted, _ = DevelopmentGoal.objects.filter(profile=profile, pk=goal_id).delete()
    if not deleted:
        raise NotFound("No such goal on this profile.")
    index_later(PROFILE_TYPE, [profile.pk])


@transaction.atomic
def goal_set_achieved(
    *, actor: User, profile: Profile, goal_id: int, achieved: bool
) -> DevelopmentGoal:
    require_owner_or_administrator(actor, profile)
    goal = DevelopmentGoal.objects.filter(profile=profile, pk=goal_id).first()
    if goal is None:
        raise NotFound("No such goal on this profile.")
    goal.is_achieved = achieved
    goal.save(update_fields=["is_achieved", "updated_at"])
    index_later(PROFILE_TYPE, [profile.pk])
    return goal


def profile_photo_set(*, actor: User, profile: Profile, upload: UploadedFile | None) -> Profile:
    """Store a square, re-encoded copy (no metadata survives), or remove the photo."""
    require_owner_or_administrator(actor, profile)
    if upload is None:
        if profile.photo:
            profile.photo.delete(save=False)
        profile.photo = None
        profile.save(update_fields=["photo", "updated_at"])
        return profile
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise InvalidInput("The photo is larger than 5 MB.", fields={"photo": ["At most 5 MB."]})
    try:
        with Image.open(upload) as original:
            original.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            image = original.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise InvalidInput(
            "That file is not a picture we can read (use JPEG, PNG or WebP).",
            fields={"photo": ["Not a readable picture."]},
        ) from error
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side)).resize((PHOTO_SIZE, PHOTO_SIZE))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    if profile.photo:
        profile.photo.delete(save=False)
    profile.photo.save(f"{profile.user_id}.jpg", ContentFile(buffer.getvalue()), save=False)
    profile.save(update_fields=["photo", "updated_at"])
    return profile


@transaction.atomic
def skill_merge(
    *, actor: User, source: Skill, target: Skill, request: HttpRequest | None = None
) -> Skill:
    """Fold a (usually free) skill into another: people keep their higher proficiency."""
    require_administrator(actor)
    if source.pk == target.pk:
        raise InvalidInput("Choose two different skills.", fields={"target": ["Same as source."]})
    affected = set(
        ProfileSkill.objects.filter(skill=source).values_list("profile_id", flat=True)
    ) | set(DevelopmentGoal.objects.filter(skills=source).values_list("profile_id", flat=True))
    for level in ProfileSkill.objects.select_for_update().filter(skill=source):
        existing = ProfileSkill.objects.filter(profile_id=level.profile_id, skill=target).first()
        if existing is None:
            level.skill = target
            level.save(update_fields=["skill"])
        else:
            if level.proficiency > existing.proficiency:
                existing.proficiency = level.proficiency
                existing.save(update_fields=["proficiency"])
            level.delete()
    for goal in DevelopmentGoal.objects.filter(skills=source):
        goal.skills.add(target)
    record_audit_event(
        action="skill.merged",
        actor=actor,
        target=target,
        request=request,
        details={"merged_skill": source.name},
    )
    source.delete()
    index_later(PROFILE_TYPE, affected)
    return target


def skill_make_curated(*, actor: User, skill: Skill) -> Skill:
    require_administrator(actor)
    skill.is_curated = True
    skill.save(update_fields=["is_curated", "updated_at"])
    return skill


def cause_area_create(*, actor: User, name: str, description: str = "") -> CauseArea:
    require_administrator(actor)
    clean = name.strip()
    if not clean:
        raise InvalidInput("Name the cause area.", fields={"name": ["Required."]})
    if CauseArea.objects.filter(name__iexact=clean).exists():
        raise InvalidInput("That cause area exists.", fields={"name": ["Already exists."]})
    return CauseArea.objects.create(name=clean, description=description)


def company_value_create(*, actor: User, name: str, description: str = "") -> CompanyValue:
    require_administrator(actor)
    clean = name.strip()
    if not clean:
        raise InvalidInput("Name the value.", fields={"name": ["Required."]})
    if CompanyValue.objects.filter(name__iexact=clean).exists():
        raise InvalidInput("That value exists.", fields={"name": ["Already exists."]})
    position = (CompanyValue.objects.aggregate(top=Max("position"))["top"] or 0) + 1
    return CompanyValue.objects.create(name=clean, description=description, position=position)

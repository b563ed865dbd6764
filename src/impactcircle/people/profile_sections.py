"""The editable sections of a profile page: their forms, initial values and how each saves.

Views stay doorways: they pick a section here and call the services it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict

from impactcircle.accounts.models import User
from impactcircle.core.errors import InvalidInput
from impactcircle.people import forms as people_forms
from impactcircle.people.middleware import remember_time_zone
from impactcircle.people.models import Profile
from impactcircle.people.organisation_services import profile_set_organisation
from impactcircle.people.services import (
    ProfileChanges,
    goal_add,
    goal_remove,
    goal_set_achieved,
    profile_photo_set,
    profile_skill_remove,
    profile_skill_set,
    profile_update,
)

SECTIONS: dict[str, type[forms.Form]] = {
    "about": people_forms.AboutForm,
    "causes": people_forms.CausesAndValuesForm,
    "mentoring": people_forms.MentoringForm,
    "skills": people_forms.SkillForm,
    "goals": people_forms.GoalForm,
    "visibility": people_forms.VisibilityForm,
    "photo": people_forms.PhotoForm,
    "organisation": people_forms.OrganisationForm,
}


def initial_form(section: str, profile: Profile) -> forms.Form:
    initial: dict[str, Any] = {}
    match section:
        case "about":
            initial = {
                "bio": profile.bio,
                "city": profile.city,
                "country": profile.country,
                "time_zone": profile.time_zone,
                "languages": list(profile.languages.all()),
            }
        case "causes":
            initial = {
                "values": list(profile.values.all()),
                "cause_areas": list(profile.cause_areas.all()),
            }
        case "mentoring":
            initial = {
                "open_to_mentor": profile.open_to_mentor,
                "open_to_be_mentored": profile.open_to_be_mentored,
                "open_to_reverse_mentor": profile.open_to_reverse_mentor,
                "mentoring_hours_per_month": profile.mentoring_hours_per_month,
            }
        case "visibility":
            initial = {group: profile.visibility_of(group) for group in Profile.OPTIONAL_GROUPS}
        case "organisation":
            initial = {
                "job_title": profile.job_title,
                "department": profile.department,
                "manager_email": profile.manager.email if profile.manager else "",
                "level": profile.level,
                "hire_date": profile.hire_date,
                "employment_status": profile.employment_status,
                "status_since": profile.status_since,
            }
    return SECTIONS[section](initial=initial)


def bound_form(section: str, data: Any, files: MultiValueDict[str, Any]) -> forms.Form:
    return SECTIONS[section](data, files)


def save(
    section: str, form: forms.Form, *, actor: User, profile: Profile, request: HttpRequest
) -> bool:
    """Apply a valid section form through the services; AppError propagates with field errors."""
    data = form.cleaned_data
    match section:
        case "about":
            if actor.pk == profile.user_id:
                remember_time_zone(request, data["time_zone"])
            profile_update(
                actor=actor,
                profile=profile,
                request=request,
                changes=ProfileChanges(
                    bio=data["bio"],
                    city=data["city"],
                    country=data["country"],
                    time_zone=data["time_zone"],
                    language_codes=[language.pk for language in data["languages"]],
                ),
            )
        case "causes":
            profile_update(
                actor=actor,
                profile=profile,
                request=request,
                changes=ProfileChanges(
                    value_ids=[value.pk for value in data["values"]],
                    cause_area_ids=[cause.pk for cause in data["cause_areas"]],
                ),
            )
        case "mentoring":
            profile_update(
                actor=actor,
                profile=profile,
                request=request,
                changes=ProfileChanges(
                    open_to_mentor=data["open_to_mentor"],
                    open_to_be_mentored=data["open_to_be_mentored"],
                    open_to_reverse_mentor=data["open_to_reverse_mentor"],
                    mentoring_hours_per_month=data["mentoring_hours_per_month"],
                ),
            )
        case "visibility":
            changes = ProfileChanges(
                visibility={group: data[group] for group in Profile.OPTIONAL_GROUPS}
            )
            profile_update(actor=actor, profile=profile, request=request, changes=changes)
        case "skills":
            if data.get("remove"):
                profile_skill_remove(actor=actor, profile=profile, skill_id=data["remove"])
            else:
                profile_skill_set(
                    actor=actor,
                    profile=profile,
                    skill_name=data["skill_name"],
                    proficiency=data["proficiency"],
                )
        case "goals":
            if data.get("remove"):
                goal_remove(actor=actor, profile=profile, goal_id=data["remove"])
            elif data.get("achieved"):
                goal_set_achieved(
                    actor=actor, profile=profile, goal_id=data["achieved"], achieved=True
                )
            else:
                names = [name.strip() for name in (data.get("skill_names") or "").split(",")]
                goal_add(actor=actor, profile=profile, text=data["text"], skill_names=names)
        case "photo":
            upload = None if data.get("remove") else data.get("photo")
            if upload is None and not data.get("remove"):
                raise InvalidInput(
                    "Choose a picture, or tick “Remove my photo”.", fields={"photo": ["Required."]}
                )
            profile_photo_set(actor=actor, profile=profile, upload=upload)
        case "organisation":
            manager = None
            if data.get("manager_email"):
                manager = User.objects.filter(
                    email__iexact=data["manager_email"], is_active=True
                ).first()
                if manager is None:
                    raise InvalidInput(
                        "No active person has that email.", fields={"manager_email": ["Unknown."]}
                    )
            profile_set_organisation(
                actor=actor,
                profile=profile,
                department=data["department"],
                manager=manager,
                level=data["level"],
                job_title=data["job_title"],
                hire_date=data["hire_date"],
                employment_status=data["employment_status"],
                status_since=data["status_since"],
                request=request,
            )
    return True

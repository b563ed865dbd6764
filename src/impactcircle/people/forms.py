"""Forms for the directory search and the in-place profile sections."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Model

from impactcircle.core.choices import QuickSelect, choices_many, register_choices
from impactcircle.core.search import MAX_QUERY_LENGTH
from impactcircle.people.models import (
    CauseArea,
    CompanyValue,
    Department,
    EmploymentStatus,
    Language,
    Level,
    Profile,
    ProfileSkill,
    Skill,
    Visibility,
)
from impactcircle.people.selectors import DirectoryFilters

# The directory's filter lists, cached and dropped when their rows change (core.choices):
# (form field, cached list, the model it lists, the label of "no filter").
FILTER_LISTS: tuple[tuple[str, str, type[Model], str], ...] = (
    ("skill", "people.skills", Skill, "Any skill"),
    ("cause_area", "people.cause_areas", CauseArea, "Any cause"),
    ("value", "people.values", CompanyValue, "Any value"),
    ("department", "people.departments", Department, "Any department"),
    ("language", "people.languages", Language, "Any language"),
)


def _all_of(model: type[Model]) -> Callable[[], list[tuple[Any, str]]]:
    return lambda: [(item.pk, str(item)) for item in model._default_manager.all()]


def register_filter_choices() -> None:
    for _field, name, model, _any in FILTER_LISTS:
        register_choices(name, _all_of(model), [model])


def _filter(label: str, *, by_id: bool = True) -> forms.TypedChoiceField:
    """A filter over one cached list (filled in by the form): ids are checked against it, no
    query to validate. One that is not in the list is a field error, never "no filter"."""
    return forms.TypedChoiceField(
        coerce=int if by_id else str,
        empty_value=None if by_id else "",
        required=False,
        label=label,
        widget=QuickSelect,
        error_messages={"invalid_choice": f"No such {label.lower()}: pick one from the list."},
    )


class DirectorySearchForm(forms.Form):
    """The directory's filters, for the page and the API alike: a filter that cannot be applied
    (too long, an unknown id) is a field error, so the list is never silently unfiltered. The page
    number is read apart from these (`page_number_from`)."""

    q = forms.CharField(
        label="Name, job title or skill",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Search words can be at most {MAX_QUERY_LENGTH} characters long "
            "(these are %(show_value)d)."
        },
    )
    skill = _filter("Skill")
    cause_area = _filter("Cause area")
    value = _filter("Company value")
    department = _filter("Department")
    location = forms.CharField(required=False, max_length=80, label="City or country code")
    language = _filter("Language", by_id=False)
    open_to_mentor = forms.BooleanField(required=False, label="Open to mentor")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lists = choices_many([name for _field, name, _model, _any in FILTER_LISTS])
        for field_name, name, _model, any_label in FILTER_LISTS:
            field = self.fields[field_name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", any_label), *lists[name]]

    def filters(self) -> DirectoryFilters:
        """The checked filters (after `is_valid()`), for the page and the API alike."""
        data = self.cleaned_data
        return DirectoryFilters(
            text=data.get("q") or "",
            skill_id=data.get("skill"),
            cause_area_id=data.get("cause_area"),
            value_id=data.get("value"),
            department_id=data.get("department"),
            location=data.get("location") or "",
            language=data.get("language") or "",
            open_to_mentor=bool(data.get("open_to_mentor")),
        )


_TIME_ZONE_CHOICES = [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


class AboutForm(forms.Form):
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
        help_text="Markdown: **bold**, *italic*, [links](https://…), lists.",
    )
    city = forms.CharField(required=False, max_length=80)
    country = forms.CharField(
        required=False, max_length=2, help_text="Two-letter code, e.g. DE, KE, BR."
    )
    time_zone = forms.ChoiceField(choices=_TIME_ZONE_CHOICES)
    languages = forms.ModelMultipleChoiceField(
        Language.objects.all(), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )


class CausesAndValuesForm(forms.Form):
    values = forms.ModelMultipleChoiceField(
        CompanyValue.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    cause_areas = forms.ModelMultipleChoiceField(
        CauseArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Cause areas",
    )


class MentoringForm(forms.Form):
    open_to_mentor = forms.BooleanField(required=False, label="I am open to mentor")
    open_to_be_mentored = forms.BooleanField(required=False, label="I would like to be mentored")
    open_to_reverse_mentor = forms.BooleanField(
        required=False, label="I am open to reverse-mentor a senior colleague"
    )
    mentoring_hours_per_month = forms.IntegerField(
        min_value=0, max_value=80, label="Hours a month I can give"
    )


class SkillForm(forms.Form):
    """Add (or re-rate) a skill, or remove one with `remove`."""

    skill_name = forms.CharField(
        max_length=80,
        label="Skill",
        required=False,
        help_text="Pick a listed skill or add your own.",
    )
    proficiency = forms.TypedChoiceField(
        choices=ProfileSkill.Proficiency.choices,
        coerce=int,
        initial=ProfileSkill.Proficiency.PRACTISING,
    )
    remove = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("remove") and not (data.get("skill_name") or "").strip():
            self.add_error("skill_name", "Name a skill to add.")
        return data


class GoalForm(forms.Form):
    """Add a goal, or remove / mark achieved an existing one."""

    text = forms.CharField(
        max_length=300,
        label="Goal",
        required=False,
        help_text="e.g. “Learn to measure social impact”.",
    )
    skill_names = forms.CharField(
        required=False, max_length=300, label="Related skills", help_text="Comma-separated."
    )
    remove = forms.IntegerField(required=False, widget=forms.HiddenInput)
    achieved = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            not data.get("remove")
            and not data.get("achieved")
            and not (data.get("text") or "").strip()
        ):
            self.add_error("text", "Describe the goal.")
        return data


class VisibilityForm(forms.Form):
    """One choice per optional group of the profile."""

    LABELS = {
        "level": "Level",
        "hire_date": "Hire date",
        "location": "City, country and time zone",
        "languages": "Languages",
        "bio": "Bio",
        "photo": "Photo",
        "skills": "Skills",
        "values": "Company values",
        "cause_areas": "Cause areas",
        "goals": "Development goals",
        "mentoring": "Mentoring availability",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in Profile.OPTIONAL_GROUPS:
            self.fields[group] = forms.ChoiceField(
                choices=Visibility.choices, label=self.LABELS[group]
            )


class PhotoForm(forms.Form):
    photo = forms.ImageField(required=False, help_text="JPEG, PNG or WebP, at most 5 MB.")
    remove = forms.BooleanField(required=False, label="Remove my photo")


class OrganisationForm(forms.Form):
    """Administrators place a person in the organisation."""

    job_title = forms.CharField(max_length=120, required=False)
    department = forms.ModelChoiceField(Department.objects.all(), required=False)
    manager_email = forms.EmailField(required=False, label="Manager's email address")
    level = forms.ModelChoiceField(Level.objects.all(), required=False)
    hire_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    employment_status = forms.ChoiceField(choices=EmploymentStatus.choices)
    status_since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

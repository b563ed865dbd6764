"""The one description of a person, and the organisation they work in."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from impactcircle.core.models import TimeStampedModel


class Department(TimeStampedModel):
    """A unit of the organisation; departments form a tree."""

    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="people_unique_department_name")
        ]

    def __str__(self) -> str:
        return self.name


class Level(TimeStampedModel):
    """One step of the organisation's grade scale (e.g. L1…L8); `rank` orders them."""

    name = models.CharField(max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class Skill(TimeStampedModel):
    """A skill in the shared taxonomy: curated by administrators, or added freely by people."""

    name = models.CharField(max_length=80)
    is_curated = models.BooleanField(default=False)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="people_unique_skill_name")]

    def __str__(self) -> str:
        return self.name


class CompanyValue(TimeStampedModel):
    """A value the company stands for, as its administrators word it."""

    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CauseArea(TimeStampedModel):
    """A CSR cause; seeded with the 17 UN Sustainable Development Goals, and extensible."""

    name = models.CharField(max_length=120, unique=True)
    sdg_number = models.PositiveSmallIntegerField(
        null=True, blank=True, unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["sdg_number", "name"]

    def __str__(self) -> str:
        return f"SDG {self.sdg_number}: {self.name}" if self.sdg_number else self.name


class Language(models.Model):
    """An ISO 639-1 language, seeded from pycountry."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    PROGRAMME = "programme", "People in a programme with me"
    PRIVATE = "private", "Only me (and administrators)"


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave"
    LEFT = "left", "Left the company"


def _visibility_field() -> models.CharField[str, str]:
    return models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.EVERYONE)


class Profile(TimeStampedModel):
    """Everything the platform knows about a person. Matching, expert finding, learning
    recommendations and analytics all read it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # Organisation (always visible to colleagues).
    job_title = models.CharField(max_length=120, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_report_profiles",
    )
    employment_status = models.CharField(
        max_length=16, choices=EmploymentStatus.choices, default=EmploymentStatus.ACTIVE
    )
    status_since = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    # Optional fields, each shown according to its visibility.
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.SET_NULL)
    hire_date = models.DateField(null=True, blank=True)
    city = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code")
    languages = models.ManyToManyField(Language, blank=True, related_name="speakers")
    bio = models.TextField(blank=True, help_text="Markdown")
    photo = models.ImageField(upload_to="avatars/", null=True, blank=True)
    values = models.ManyToManyField(CompanyValue, blank=True, related_name="profiles")
    cause_areas = models.ManyToManyField(CauseArea, blank=True, related_name="profiles")
    mentoring_hours_per_month = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(80)]
    )
    open_to_mentor = models.BooleanField(default=False)
    open_to_be_mentored = models.BooleanField(default=False)
    open_to_reverse_mentor = models.BooleanField(default=False)

    level_visibility = _visibility_field()
    hire_date_visibility = _visibility_field()
    location_visibility = _visibility_field()
    languages_visibility = _visibility_field()
    bio_visibility = _visibility_field()
    photo_visibility = _visibility_field()
    skills_visibility = _visibility_field()
    values_visibility = _visibility_field()
    cause_areas_visibility = _visibility_field()
    goals_visibility = _visibility_field()
    mentoring_visibility = _visibility_field()

    OPTIONAL_GROUPS: ClassVar[tuple[str, ...]] = (
        "level",
        "hire_date",
        "location",
        "languages",
        "bio",
        "photo",
        "skills",
        "values",
        "cause_areas",
        "goals",
        "mentoring",
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [
            models.Index(fields=["open_to_mentor"]),
            models.Index(fields=["country", "city"]),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def visibility_of(self, group: str) -> str:
        return str(getattr(self, f"{group}_visibility"))


class ProfileSkill(models.Model):
    class Proficiency(models.IntegerChoices):
        LEARNING = 1, "Learning"
        PRACTISING = 2, "Practising"
        PROFICIENT = 3, "Proficient"
        EXPERT = 4, "Expert"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skill_levels")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="profile_levels")
    proficiency = models.PositiveSmallIntegerField(
        choices=Proficiency.choices, default=Proficiency.PRACTISING
    )

    class Meta:
        ordering = ["-proficiency", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="people_unique_profile_skill")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_proficiency_display()})"


class DevelopmentGoal(TimeStampedModel):
    """Something a person wants to grow in, in their words, tagged with skills."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=300)
    skills = models.ManyToManyField(Skill, blank=True, related_name="goals")
    is_achieved = models.BooleanField(default=False)

    class Meta:
        ordering = ["is_achieved", "-created_at"]

    def __str__(self) -> str:
        return self.text

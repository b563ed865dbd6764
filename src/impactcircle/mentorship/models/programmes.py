"""Mentorship: programmes, applications, matching runs, relationships, sessions, flash slots."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from impactcircle.core.models import TimeStampedModel
from impactcircle.people.models import CauseArea, Skill


class Programme(TimeStampedModel):
    class Format(models.TextChoices):
        ONE_ON_ONE = "one_on_one", "One-on-one"
        GROUP_CIRCLE = "group_circle", "Group circle"
        REVERSE = "reverse", "Reverse mentoring"
        FLASH = "flash", "Flash mentoring"

    class Access(models.TextChoices):
        OPEN = "open", "Open to everyone"
        INVITATION = "invitation", "By invitation"

    class MatchingMode(models.TextChoices):
        OPTIMAL = "optimal", "Best total fit"
        STABLE = "stable", "Stable matching from ranked preferences"
        SELF_SELECTION = "self_selection", "Mentees choose their mentor"

    name = models.CharField(max_length=150)
    purpose = models.TextField(blank=True, help_text="Markdown")
    cause_areas = models.ManyToManyField(CauseArea, blank=True, related_name="programmes")
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.ONE_ON_ONE)
    access = models.CharField(max_length=16, choices=Access.choices, default=Access.OPEN)
    previous_cohort = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cohorts"
    )
    enrolment_opens_on = models.DateField()
    enrolment_closes_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    meeting_every_days = models.PositiveSmallIntegerField(default=14)
    default_mentees_per_mentor = models.PositiveSmallIntegerField(default=1)
    max_mentees_per_mentor = models.PositiveSmallIntegerField(default=3)
    circle_min_size = models.PositiveSmallIntegerField(default=3)
    circle_max_size = models.PositiveSmallIntegerField(default=8)
    matching_mode = models.CharField(
        max_length=16, choices=MatchingMode.choices, default=MatchingMode.OPTIMAL
    )
    weights = models.JSONField(default=dict, blank=True, help_text="Points per matching factor")
    rule_not_same_reporting_line = models.BooleanField(default=True)
    rule_min_level_gap = models.PositiveSmallIntegerField(default=1)
    rule_common_language = models.BooleanField(default=True)
    rule_min_overlap_hours = models.PositiveSmallIntegerField(default=1)
    request_expires_after_days = models.PositiveSmallIntegerField(default=7)
    nudge_after_days = models.PositiveSmallIntegerField(default=21)
    warn_manager_after_days = models.PositiveSmallIntegerField(default=35)
    participants_see_each_other = models.BooleanField(
        default=False,
        help_text=(
            "Accepted participants count as programme peers of one another: each sees what "
            "the others share with the people they are in a programme with."
        ),
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enrolment_opens_on__lte=models.F("enrolment_closes_on")),
                name="mentorship_enrolment_window_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="mentorship_programme_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_reverse(self) -> bool:
        return self.format == self.Format.REVERSE


class ProgrammeInvitation(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"], name="mentorship_unique_invitation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.programme}"


class Side(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class ApplicationQuestion(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    side = models.CharField(max_length=8, choices=Side.choices)
    text = models.CharField(max_length=300)
    is_required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["side", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Application(TimeStampedModel):
    """A person's enrolment in a programme on one side; the manager decides on it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorship_applications"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.CharField(max_length=300, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    goals = models.TextField(blank=True, help_text="What the person wants to grow in, or offers")
    goal_skills = models.ManyToManyField(Skill, blank=True, related_name="+")
    cause_areas = models.ManyToManyField(CauseArea, blank=True, related_name="+")
    capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    work_start_hour_utc = models.PositiveSmallIntegerField(
        default=8, validators=[MaxValueValidator(23)]
    )
    work_end_hour_utc = models.PositiveSmallIntegerField(
        default=17, validators=[MaxValueValidator(24)]
    )

    class Meta:
        ordering = ["programme", "side", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "side"], name="mentorship_unique_application"
            )
        ]
        # The manage page's order (its prefix also serves filters by side and status).
        indexes = [
            models.Index(
                fields=["programme", "side", "status", "created_at", "id"],
                name="mentorship_app_manage_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.side} in {self.programme}"


class MatchingRun(TimeStampedModel):
    """One run of the engine on a programme's pool: a draft until a manager publishes it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DRAFT = "draft", "Draft"
        FAILED = "failed", "Failed"
        PUBLISHING = "publishing", "Publishing"
        PUBLISHED = "published", "Published"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="matching_runs")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    mode = models.CharField(max_length=16)
    weights = models.JSONField(default=dict)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=60, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The id of the last task queued for the run (compute, then publish): its place in the queue.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="mentorship_unique_run_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} run {self.number}"


class ProposedMatch(models.Model):
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="matches")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    circle = models.PositiveIntegerField(null=True, blank=True)
    is_locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "mentee"], name="mentorship_one_match_per_mentee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee.user} ↔ {self.mentor.user} ({self.score:.0f})"


class UnmatchedApplication(models.Model):
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="unmatched")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)

    def __str__(self) -> str:
        return f"{self.application.user}: {self.reason}"


class PairRule(TimeStampedModel):
    """A manager's lock (always pair these two) or ban (never pair them) for future runs."""

    class Kind(models.TextChoices):
        LOCK = "lock", "Locked"
        FORBID = "forbid", "Forbidden"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pair_rules")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"], name="mentorship_unique_pair_rule"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.mentee.user} ↔ {self.mentor.user}"

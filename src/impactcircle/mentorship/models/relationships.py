"""A pair or circle's shared space: agreement, goals, sessions, resources, check-ins."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from impactcircle.core.models import TimeStampedModel
from impactcircle.mentorship.models.programmes import MatchingRun, Programme, Side


class Relationship(TimeStampedModel):
    """A mentoring pair, or a circle of one mentor and several mentees."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="relationships")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    is_circle = models.BooleanField(default=False)
    theme = models.CharField(max_length=150, blank=True)
    source_run = models.ForeignKey(
        MatchingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="relationships"
    )
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    agreement_goals = models.TextField(blank=True)
    agreement_cadence_days = models.PositiveSmallIntegerField(null=True, blank=True)
    agreement_confidential = models.BooleanField(default=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    # Completing is two-sided: one member asks (who and when), another member confirms.
    completion_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completion_requested_at = models.DateTimeField(null=True, blank=True)
    last_session_on = models.DateField(null=True, blank=True)
    nudged_at = models.DateTimeField(null=True, blank=True)
    manager_warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "-created_at"]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{'Circle' if self.is_circle else 'Pair'} {self.pk} in {self.programme}"


class RelationshipMember(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_memberships"
    )
    side = models.CharField(max_length=8, choices=Side.choices)

    class Meta:
        ordering = ["side", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "user"], name="mentorship_unique_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.side})"


class RelationshipGoal(TimeStampedModel):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class Milestone(TimeStampedModel):
    goal = models.ForeignKey(RelationshipGoal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    is_done = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class MentoringSession(TimeStampedModel):
    """A meeting that happened; both sides confirm it. Shared notes are for the relationship."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    topics = models.CharField(max_length=300, blank=True)
    shared_notes = models.TextField(blank=True, help_text="Markdown, seen by the relationship")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"Session on {self.held_on}"


class SessionConfirmation(models.Model):
    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="confirmations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="mentorship_unique_confirmation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} confirmed {self.session}"


class PrivateNote(TimeStampedModel):
    """A note only its author ever sees — not the other side, not the programme's managers."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "author"], name="mentorship_one_private_note"
            )
        ]

    def __str__(self) -> str:
        return f"Private note by {self.author_id}"


class SharedResource(TimeStampedModel):
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="resources"
    )
    title = models.CharField(max_length=200)
    url = models.CharField(
        max_length=500, help_text="A link inside the platform or an https:// link"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CheckIn(TimeStampedModel):
    """The pulse question (1–5) sent at day 30 and every 60 days after."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="check_ins"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "user", "due_on"], name="mentorship_unique_check_in"
            )
        ]

    def __str__(self) -> str:
        return f"Check-in {self.due_on} for {self.user_id}"

"""Self-selection (mentees ask mentors) and flash mentoring (bookable conversations)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from impactcircle.core.models import TimeStampedModel
from impactcircle.mentorship.models.programmes import Programme


class MentorRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="requests")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_mentor_requests"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="received_mentor_requests"
    )
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.CharField(max_length=300, blank=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"],
                condition=models.Q(status="pending"),
                name="mentorship_one_pending_request_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee} asks {self.mentor}"


class MentorShortlist(TimeStampedModel):
    """A mentee's bookmark of a recommended mentor, or their choice to hide one."""

    class Kind(models.TextChoices):
        BOOKMARK = "bookmark", "Bookmarked"
        DISMISS = "dismiss", "Dismissed"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"], name="mentorship_unique_shortlist"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.mentor_id} by {self.mentee_id}"


class FlashSlot(TimeStampedModel):
    """A time a mentor offers for one conversation. Stored in UTC with the mentor's zone."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="flash_slots")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flash_slots"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    topic = models.CharField(max_length=200, blank=True)
    # Where the conversation happens, shown to the mentor and the booker only (and in the .ics).
    meeting_link = models.URLField(max_length=500, blank=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    calendar_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="mentorship_slot_in_order",
            )
        ]
        indexes = [models.Index(fields=["programme", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.mentor} at {self.starts_at:%Y-%m-%d %H:%M} UTC"


class FlashBooking(TimeStampedModel):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    slot = models.ForeignKey(FlashSlot, on_delete=models.CASCADE, related_name="bookings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flash_bookings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)

    class Meta:
        constraints = [
            # No double booking: at most one live booking per slot, whatever the race.
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(status="booked"),
                name="mentorship_one_booking_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} booked {self.slot}"

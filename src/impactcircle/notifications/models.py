"""Notifications: what each person was told, how they want to hear, and which digests went out."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from impactcircle.core.models import TimeStampedModel
from impactcircle.notifications.categories import Delivery


class Notification(TimeStampedModel):
    """One notice to one person: plain text and a site-relative link."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=50)
    message = models.TextField(help_text="Plain text; escaped wherever it is shown.")
    link = models.CharField(max_length=500, help_text="A path on this site, e.g. /people/42/.")
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When an email about it was queued (alone or in a digest)."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_recipient_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} for {self.recipient_id}: {self.message[:60]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(TimeStampedModel):
    """A person's choice of delivery for one category; no row means the category's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(max_length=50)
    delivery = models.CharField(max_length=16, choices=Delivery.choices)

    class Meta:
        ordering = ["user", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notifications_one_preference_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.delivery}"


class DigestDelivery(TimeStampedModel):
    """A digest email sent to one person for one period; the unique key stops a second one."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_digests"
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    period = models.CharField(max_length=16, help_text="2026-11-25 for a day, 2026-W48 for a week.")
    covered_until = models.DateTimeField(help_text="Notices up to this moment were considered.")
    notification_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="notifications_one_digest_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest {self.period} for {self.user_id}"

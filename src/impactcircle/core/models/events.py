"""The event outbox (`core.events`): facts written in the same transaction as the change that
caused them, and one delivery row per (event, subscriber) recording whether it was handled."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class OutboxEvent(models.Model):
    """One published fact: its registered type name, its fields as JSON, and when it happened.

    Rows are written by `core.events.publish` inside the caller's transaction and never changed
    afterwards, except for `dispatched_at`, which the worker sets once it has created the
    deliveries for the event's subscribers.
    """

    name = models.CharField(max_length=100, db_index=True, help_text="The registered type name.")
    payload = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    published_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "outbox event"
        indexes = [
            models.Index(
                fields=["published_at"],
                condition=Q(dispatched_at__isnull=True),
                name="core_event_undispatched",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk}"


class EventDelivery(models.Model):
    """One event for one subscriber: attempts so far, the next attempt, the last error, and
    when it was handled (set in the same transaction as the handler's own writes)."""

    class State(models.TextChoices):
        PENDING = "pending", "pending"
        RETRYING = "retrying", "retrying after an error"
        HANDLED = "handled", "handled"
        GAVE_UP = "gave_up", "gave up"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(max_length=100, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty once handled or given up."
    )
    last_error = models.TextField(blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    replayed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a replay last asked for this event again."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "event deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="core_delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(handled_at__isnull=True, gave_up_at__isnull=True),
                name="core_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} ← event #{self.event_id}"

    @property
    def state(self) -> EventDelivery.State:
        if self.handled_at is not None:
            return self.State.HANDLED
        if self.gave_up_at is not None:
            return self.State.GAVE_UP
        return self.State.RETRYING if self.attempts else self.State.PENDING

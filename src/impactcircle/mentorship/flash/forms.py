"""Forms of the flash-mentoring pages. The start is wall-clock time in the mentor's own zone."""

from __future__ import annotations

from datetime import datetime

from django import forms

from impactcircle.mentorship.flash.services import (
    LINK_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    MAX_MINUTES,
    MIN_MINUTES,
    TOPIC_MAX_LENGTH,
)

LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


class SlotForm(forms.Form):
    starts_at = forms.CharField(
        label="Starts (your time zone)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=30
    )
    topic = forms.CharField(max_length=TOPIC_MAX_LENGTH, required=False)
    meeting_link = forms.CharField(
        max_length=LINK_MAX_LENGTH,
        required=False,
        widget=forms.URLInput,
        help_text="A video-call address, shown to the person who books and in the invitation.",
    )
    location = forms.CharField(
        max_length=LOCATION_MAX_LENGTH, required=False, label="Place", help_text="A room, a café…"
    )

    def clean_starts_at(self) -> datetime:
        text = self.cleaned_data["starts_at"].strip()
        for pattern in LOCAL_FORMATS:
            try:
                return datetime.strptime(text, pattern)  # wall-clock, zone added by the service
            except ValueError:
                continue
        raise forms.ValidationError("Give a date and time, e.g. 2026-12-01 14:30.")


class RescheduleForm(SlotForm):
    # moving a slot keeps its topic and place
    topic = None  # type: ignore[assignment]
    meeting_link = None  # type: ignore[assignment]
    location = None  # type: ignore[assignment]

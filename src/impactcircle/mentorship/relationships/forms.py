"""Forms of the relationship space. They parse; the rules live in relationship_services."""

from __future__ import annotations

from typing import Any

from django import forms

_DATE = forms.DateInput(attrs={"type": "date"})


class _SpaceForm(forms.Form):
    """Several forms share the space page: each gives its fields ids of their own."""

    id_prefix = "space"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class AgreementForm(_SpaceForm):
    id_prefix = "agreement"

    goals = forms.CharField(
        label="What we want from this mentoring",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Markdown.",
    )
    cadence_days = forms.IntegerField(
        label="We meet every … days", min_value=1, max_value=365, required=False
    )
    is_confidential = forms.BooleanField(
        label="Our shared session notes stay between us (managers see only dates and counts)",
        required=False,
    )


class GoalForm(_SpaceForm):
    id_prefix = "goal"

    title = forms.CharField(label="Goal", max_length=200)
    due_on = forms.DateField(label="By (optional)", required=False, widget=_DATE)


class GoalProgressForm(_SpaceForm):
    id_prefix = "progress"

    progress = forms.IntegerField(label="Progress (%)", min_value=0, max_value=100)


class MilestoneForm(_SpaceForm):
    id_prefix = "milestone"

    title = forms.CharField(label="Milestone", max_length=200)


class SessionForm(_SpaceForm):
    id_prefix = "session"

    held_on = forms.DateField(label="Date", widget=_DATE)
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=5, max_value=600, initial=45
    )
    topics = forms.CharField(label="Topics", max_length=300, required=False)
    shared_notes = forms.CharField(
        label="Shared notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Markdown. Seen by everyone in this relationship.",
    )
    private_note = forms.CharField(
        label="Private note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Only you will ever see this — not the other side, not the managers.",
    )


class PrivateNoteForm(_SpaceForm):
    id_prefix = "note"

    body = forms.CharField(
        label="Private note (only you see it)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ResourceForm(_SpaceForm):
    id_prefix = "resource"

    title = forms.CharField(label="Title", max_length=200)
    url = forms.CharField(
        label="Link",
        max_length=500,
        help_text="A page on this site (/…) or an https:// address.",
    )


class EndEarlyForm(_SpaceForm):
    id_prefix = "end"

    reason = forms.CharField(label="Why does it end?", max_length=300)


class CheckInForm(_SpaceForm):
    id_prefix = "checkin"

    score = forms.TypedChoiceField(
        label="How is your mentoring going?",
        choices=[
            (1, "1 — badly"),
            (2, "2"),
            (3, "3 — fine"),
            (4, "4"),
            (5, "5 — very well"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )

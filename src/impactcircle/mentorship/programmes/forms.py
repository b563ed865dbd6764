"""Forms for programmes and applications."""

from __future__ import annotations

from typing import Any

from django import forms

from impactcircle.engine.matching import FACTORS, Weights
from impactcircle.mentorship.matching.labels import FACTOR_LABELS
from impactcircle.mentorship.models import Application, Programme
from impactcircle.mentorship.programmes.enrolment import ApplicationDetails
from impactcircle.mentorship.programmes.selectors import ApplicationFilters
from impactcircle.mentorship.programmes.services import ProgrammeSettings, cross_field_problems
from impactcircle.mentorship.programmes.working_hours import local_to_utc, utc_to_local, zone_label
from impactcircle.people.models import CauseArea, Profile

_DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(forms.Form):
    name = forms.CharField(max_length=150)
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="Markdown."
    )
    format = forms.ChoiceField(choices=Programme.Format.choices)
    access = forms.ChoiceField(choices=Programme.Access.choices)
    cause_areas = forms.ModelMultipleChoiceField(
        CauseArea.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    enrolment_opens_on = forms.DateField(widget=_DATE)
    enrolment_closes_on = forms.DateField(widget=_DATE)
    starts_on = forms.DateField(widget=_DATE)
    ends_on = forms.DateField(widget=_DATE)
    meeting_every_days = forms.IntegerField(
        min_value=1, max_value=180, initial=14, label="Meet every … days"
    )
    default_mentees_per_mentor = forms.IntegerField(min_value=1, max_value=20, initial=1)
    max_mentees_per_mentor = forms.IntegerField(min_value=1, max_value=20, initial=3)
    circle_min_size = forms.IntegerField(
        min_value=3, max_value=8, initial=3, label="Smallest circle"
    )
    circle_max_size = forms.IntegerField(
        min_value=3, max_value=8, initial=8, label="Largest circle"
    )
    matching_mode = forms.ChoiceField(choices=Programme.MatchingMode.choices)
    rule_not_same_reporting_line = forms.BooleanField(
        required=False, initial=True, label="Never pair people in the same reporting line"
    )
    rule_min_level_gap = forms.IntegerField(
        min_value=0,
        max_value=5,
        initial=1,
        label="Mentor at least this many levels above (reversed for reverse mentoring)",
    )
    rule_common_language = forms.BooleanField(
        required=False, initial=True, label="Require a shared language"
    )
    rule_min_overlap_hours = forms.IntegerField(
        min_value=0, max_value=12, initial=1, label="At least this many shared working hours"
    )
    participants_see_each_other = forms.BooleanField(
        required=False,
        initial=False,
        label="Participants see each other as programme peers",
        help_text=(
            "Accepted mentees and mentors see the profile parts the others share with "
            "“people in a programme with me”. Without it, only the members of a pair or "
            "circle do."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = Weights().as_dict()
        for factor in FACTORS:
            self.fields[f"weight_{factor}"] = forms.FloatField(
                min_value=0,
                max_value=100,
                initial=defaults[factor],
                label=f"Weight: {FACTOR_LABELS[factor]}",
            )

    def clean(self) -> dict[str, Any]:
        """The checks between fields run on the fields that are valid, whatever the others'
        errors: a manager sees every problem in one submit."""
        cleaned = super().clean() or {}
        for field, messages in cross_field_problems(cleaned).items():
            for message in messages:
                self.add_error(field, message)
        return cleaned

    def settings(self) -> ProgrammeSettings:
        data = self.cleaned_data
        return ProgrammeSettings(
            name=data["name"],
            purpose=data["purpose"],
            format=data["format"],
            access=data["access"],
            enrolment_opens_on=data["enrolment_opens_on"],
            enrolment_closes_on=data["enrolment_closes_on"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            meeting_every_days=data["meeting_every_days"],
            default_mentees_per_mentor=data["default_mentees_per_mentor"],
            max_mentees_per_mentor=data["max_mentees_per_mentor"],
            circle_min_size=data["circle_min_size"],
            circle_max_size=data["circle_max_size"],
            matching_mode=data["matching_mode"],
            weights={factor: data[f"weight_{factor}"] for factor in FACTORS},
            rule_not_same_reporting_line=data["rule_not_same_reporting_line"],
            rule_min_level_gap=data["rule_min_level_gap"],
            rule_common_language=data["rule_common_language"],
            rule_min_overlap_hours=data["rule_min_overlap_hours"],
            participants_see_each_other=data["participants_see_each_other"],
        )

    def cause_area_ids(self) -> list[int]:
        return [cause.pk for cause in self.cleaned_data["cause_areas"]]


class ApplicationForm(forms.Form):
    """Apply as a mentee or a mentor; the profile pre-fills goals, causes and capacity.

    Working hours are asked in the person's own time zone (their profile's; UTC when it is not
    a valid IANA name) and stored in UTC. The offset is the zone's on the programme's first day
    (`starts_on`): the hours matter once it runs, and one fixed day gives the same answer
    whenever someone applies. A programme that crosses a daylight-saving change keeps the
    first day's offset. A previous application of the same side (withdrawn or declined) pre-fills
    its hours, converted back the same way.
    """

    goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    goal_skills = forms.CharField(
        required=False, max_length=300, help_text="Comma-separated skills."
    )
    cause_areas = forms.ModelMultipleChoiceField(
        CauseArea.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    work_start_hour = forms.IntegerField(min_value=0, max_value=23, initial=8)
    work_end_hour = forms.IntegerField(
        min_value=1,
        max_value=24,
        initial=17,
        help_text="An end before the start runs past midnight.",
    )

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        side: str,
        profile: Profile,
        application: Application | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs["prefix"] = side
        super().__init__(*args, **kwargs)
        self.side = side
        self.time_zone = profile.time_zone
        self.hours_on = programme.starts_on
        zone = zone_label(profile.time_zone)
        self.fields["work_start_hour"].label = f"I work from (hour, {zone})"
        self.fields["work_end_hour"].label = f"until (hour, {zone})"
        if application is not None and not self.is_bound:
            start, end = utc_to_local(
                application.work_start_hour_utc,
                application.work_end_hour_utc,
                zone=self.time_zone,
                on=self.hours_on,
            )
            self.initial.update(work_start_hour=start, work_end_hour=end)
        self.fields["goals"].label = (
            "What do you want to grow in?"
            if side == "mentee"
            else "What can you offer as a mentor?"
        )
        # The same field holds a mentee's goals and a mentor's expertise for this programme.
        self.fields["goal_skills"].label = (
            "Skills you want to develop"
            if side == "mentee"
            else "Skills you can offer in this programme"
        )
        if side == "mentor":
            self.fields["capacity"] = forms.IntegerField(
                min_value=1,
                max_value=programme.max_mentees_per_mentor,
                initial=programme.default_mentees_per_mentor,
                label="How many mentees can you take?",
            )
        for question in programme.questions.filter(side=side):
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=question.text,
                required=question.is_required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if not self.is_bound:
            goals = [goal for goal in profile.goals.all() if not goal.is_achieved]
            offered = profile.skill_levels.select_related("skill")
            self.initial.update(
                goals="; ".join(goal.text for goal in goals)
                if side == "mentee"
                else profile.bio[:500],
                goal_skills=", ".join(
                    sorted({skill.name for goal in goals for skill in goal.skills.all()})
                    if side == "mentee"
                    else sorted(level.skill.name for level in offered)
                ),
                cause_areas=list(profile.cause_areas.all()),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("work_start_hour"), cleaned.get("work_end_hour")
        if start is not None and start == end:
            self.add_error("work_end_hour", "End after you start (or before, past midnight).")
        return cleaned

    def details(self) -> ApplicationDetails:
        data = self.cleaned_data
        answers = {
            name.removeprefix("question_"): value
            for name, value in data.items()
            if name.startswith("question_") and value
        }
        start, end = local_to_utc(
            data["work_start_hour"], data["work_end_hour"], zone=self.time_zone, on=self.hours_on
        )
        return ApplicationDetails(
            side=self.side,
            goals=data["goals"],
            answers=answers,
            goal_skill_names=tuple(
                name.strip() for name in data["goal_skills"].split(",") if name.strip()
            ),
            cause_area_ids=tuple(cause.pk for cause in data["cause_areas"]),
            capacity=data.get("capacity") or 1,
            work_start_hour_utc=start,
            work_end_hour_utc=end,
        )


STATUS_FILTER_LABELS = {
    "submitted": "Waiting for a decision",
    "accepted": "Accepted",
    "waitlisted": "Waitlisted",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}


class ApplicationFilterForm(forms.Form):
    """The manage page's filters (in the query string). The page number is not a field: any
    value is clamped to a page that exists (`applications_page`)."""

    status = forms.ChoiceField(
        choices=[("", "Any status"), *STATUS_FILTER_LABELS.items()], required=False
    )
    side = forms.ChoiceField(
        choices=[("", "Mentees and mentors"), ("mentee", "Mentees"), ("mentor", "Mentors")],
        required=False,
        label="Applying as",
    )
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Name or email",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 100}),
    )

    def filters(self) -> ApplicationFilters:
        """The filters when valid; call after `is_valid()`."""
        data = self.cleaned_data
        return ApplicationFilters(
            status=data.get("status") or "", side=data.get("side") or "", text=data.get("q") or ""
        )

"""Relationship pages: my relationships, and each relationship's space with htmx sections.

Every change is a POST to `<id>/<action>/` (or `<id>/<action>/<item id>/`). With htmx the answer
is the changed section (a `{% partialdef %}` of the space page); without it, a redirect back to
the page. A form error answers 422 with the section (or the page) showing it. What cannot be
undone (completing, ending early) asks first: a POST without `confirm=yes` answers the page with
a confirm block saying what will happen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from impactcircle.accounts.models import User
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.access import require
from impactcircle.core.errors import AppError, Forbidden, NotFound
from impactcircle.core.pagination import first_rows
from impactcircle.mentorship.models import Relationship
from impactcircle.mentorship.policies import relationship_for
from impactcircle.mentorship.relationships import services
from impactcircle.mentorship.relationships.forms import (
    AgreementForm,
    CheckInForm,
    EndEarlyForm,
    GoalForm,
    GoalProgressForm,
    MilestoneForm,
    PrivateNoteForm,
    ResourceForm,
    SessionForm,
)
from impactcircle.mentorship.relationships.keepalive import CHECK_IN_QUESTION
from impactcircle.mentorship.relationships.selectors import (
    RelationshipSpace,
    relationship_space,
    relationship_summaries,
)

_SPACE = "mentorship/relationships/detail.html"
_LIST = "mentorship/relationships/list.html"


RELATIONSHIPS_SHOWN = 50  # active first, then newest


@login_required
def relationship_list(request: AuthenticatedRequest) -> HttpResponse:
    summaries = relationship_summaries(request.user, limit=RELATIONSHIPS_SHOWN + 1)
    return render(request, _LIST, {"summaries": first_rows(summaries, RELATIONSHIPS_SHOWN)})


def _space_context(request: AuthenticatedRequest, relationship_id: int) -> dict[str, Any]:
    space = relationship_space(request.user, relationship_id)
    return {
        "space": space,
        "relationship": space.relationship,
        "health": space.health,
        "check_in_question": CHECK_IN_QUESTION,
        "agreement_form": AgreementForm(
            initial={
                "goals": space.relationship.agreement_goals,
                "cadence_days": space.relationship.agreement_cadence_days,
                "is_confidential": space.relationship.agreement_confidential,
            }
        ),
        "goal_form": GoalForm(),
        "milestone_form": MilestoneForm(),
        "session_form": SessionForm(),
        "resource_form": ResourceForm(),
        "end_early_form": EndEarlyForm(),
        "check_in_form": CheckInForm(),
        "errors": {},
    }


@login_required
def relationship_detail(request: AuthenticatedRequest, relationship_id: int) -> HttpResponse:
    return render(request, _SPACE, _space_context(request, relationship_id))


type Handler = Callable[[User, Relationship, dict[str, Any], int | None], object]


@dataclass(frozen=True)
class Action:
    form: type[forms.Form] | None
    section: str
    handler: Handler
    done: str | Callable[[object], str] = ""  # or from what the handler answered
    context_form: str = ""  # the context name the bound form replaces when it has errors
    # for what cannot be undone: what will happen, asked before it is done
    confirm: str | Callable[[RelationshipSpace], str] = ""

    def done_message(self, result: object) -> str:
        return self.done(result) if callable(self.done) else self.done

    def confirm_message(self, space: RelationshipSpace) -> str:
        return self.confirm(space) if callable(self.confirm) else self.confirm


def _completed_or_asked(result: object) -> str:
    if isinstance(result, Relationship) and result.status == Relationship.Status.COMPLETED:
        return "Relationship completed. Well done!"
    return "You asked to mark this relationship completed; the others were told and can confirm."


def _complete_confirm(space: RelationshipSpace) -> str:
    requester = space.completion_requested_by
    if requester is not None and not space.completion_requested_by_me:
        return (
            f"{requester.name} asked to mark this relationship completed. Confirming completes "
            "it for everyone in it and tells the other members. This cannot be undone."
        )
    return (
        "Marking as completed asks the other members to confirm; the relationship completes "
        "when one of them does. You can withdraw your request until then."
    )


def _agreement(actor: User, rel: Relationship, data: dict[str, Any], _: int | None) -> object:
    return services.relationship_agreement_update(
        actor=actor,
        relationship=rel,
        goals=data["goals"],
        cadence_days=data["cadence_days"],
        is_confidential=data["is_confidential"],
    )


def _item(item_id: int | None) -> int:
    if item_id is None:
        raise NotFound("Not found.")
    return item_id


_ACTIONS: dict[str, Action] = {
    "agreement": Action(
        AgreementForm, "agreement", _agreement, "Agreement saved.", "agreement_form"
    ),
    "goals": Action(
        GoalForm,
        "goals",
        lambda a, r, d, _: services.goal_add(
            actor=a, relationship=r, title=d["title"], due_on=d["due_on"]
        ),
        "Goal added.",
        "goal_form",
    ),
    "goal-progress": Action(
        GoalProgressForm,
        "goals",
        lambda a, r, d, i: services.goal_update(
            actor=a, relationship=r, goal_id=_item(i), progress=d["progress"]
        ),
        "Progress saved.",
    ),
    "goal-delete": Action(
        None,
        "goals",
        lambda a, r, d, i: services.goal_delete(actor=a, relationship=r, goal_id=_item(i)),
        "Goal removed.",
    ),
    "milestones": Action(
        MilestoneForm,
        "goals",
        lambda a, r, d, i: services.milestone_add(
            actor=a, relationship=r, goal_id=_item(i), title=d["title"]
        ),
        "Milestone added.",
    ),
    "milestone-done": Action(
        None,
        "goals",
        lambda a, r, d, i: services.milestone_update(
            actor=a, relationship=r, milestone_id=_item(i), is_done=True
        ),
        "Milestone done.",
    ),
    "milestone-undone": Action(
        None,
        "goals",
        lambda a, r, d, i: services.milestone_update(
            actor=a, relationship=r, milestone_id=_item(i), is_done=False
        ),
        "Milestone reopened.",
    ),
    "milestone-delete": Action(
        None,
        "goals",
        lambda a, r, d, i: services.milestone_delete(
            actor=a, relationship=r, milestone_id=_item(i)
        ),
        "Milestone removed.",
    ),
    "sessions": Action(
        SessionForm,
        "sessions",
        lambda a, r, d, _: services.session_log(
            actor=a,
            relationship=r,
            held_on=d["held_on"],
            duration_minutes=d["duration_minutes"],
            topics=d["topics"],
            shared_notes=d["shared_notes"],
            private_note=d["private_note"],
        ),
        "Session logged; the other side will be asked to confirm it.",
        "session_form",
    ),
    "session-confirm": Action(
        None,
        "sessions",
        lambda a, r, d, i: services.session_confirm(actor=a, relationship=r, session_id=_item(i)),
        "Session confirmed.",
    ),
    "private-note": Action(
        PrivateNoteForm,
        "sessions",
        lambda a, r, d, i: services.private_note_set(
            actor=a, relationship=r, session_id=_item(i), body=d["body"]
        ),
        "Private note saved.",
    ),
    "resources": Action(
        ResourceForm,
        "resources",
        lambda a, r, d, _: services.resource_add(
            actor=a, relationship=r, title=d["title"], url=d["url"]
        ),
        "Resource shared.",
        "resource_form",
    ),
    "resource-delete": Action(
        None,
        "resources",
        lambda a, r, d, i: services.resource_remove(actor=a, relationship=r, resource_id=_item(i)),
        "Resource removed.",
    ),
    "check-in": Action(
        CheckInForm,
        "checkin",
        lambda a, r, d, i: services.check_in_answer(
            actor=a, relationship=r, check_in_id=_item(i), score=d["score"]
        ),
        "Thank you for answering.",
        "check_in_form",
    ),
    "complete": Action(
        None,
        "lifecycle",
        lambda a, r, d, _: services.relationship_finish(actor=a, relationship=r),
        _completed_or_asked,
        confirm=_complete_confirm,
    ),
    "complete-withdraw": Action(
        None,
        "lifecycle",
        lambda a, r, d, _: services.relationship_completion_withdraw(actor=a, relationship=r),
        "Your request to mark this relationship completed was withdrawn.",
    ),
    "end-early": Action(
        EndEarlyForm,
        "lifecycle",
        lambda a, r, d, _: services.relationship_finish(
            actor=a, relationship=r, reason=d["reason"]
        ),
        "Relationship ended. The programme's managers were told and can match you again.",
        "end_early_form",
        confirm="Ending early ends this relationship for everyone in it now; the programme's "
        "managers are told and can match the mentees again. This cannot be undone.",
    ),
}

_WHOLE_PAGE_SECTIONS = {"lifecycle"}


@login_required
@require_POST
def relationship_action(
    request: AuthenticatedRequest, relationship_id: int, action: str, item_id: int | None = None
) -> HttpResponse:
    spec = _ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    actor = request.user
    relationship, _ = relationship_for(actor, relationship_id)
    require(actor, "take_part", relationship)  # managers read; only members change
    form = spec.form(request.POST) if spec.form is not None else None
    problems: list[str] = []
    if (form is None or form.is_valid()) and spec.confirm and request.POST.get("confirm") != "yes":
        # Ask first, without JavaScript too: the whole page with a confirm block that posts the
        # same fields with `confirm=yes`, and a Cancel link.
        context = _space_context(request, relationship_id)
        context["confirming"] = {
            "action": action,
            "message": spec.confirm_message(context["space"]),
            "fields": list(form.cleaned_data.items()) if form is not None else [],
        }
        return render(request, _SPACE, context)
    if form is None or form.is_valid():
        try:
            result = spec.handler(actor, relationship, form.cleaned_data if form else {}, item_id)
        except (Forbidden, NotFound):
            raise  # the error pages are the middleware's
        except AppError as error:
            problems.append(error.message)
            if form is not None:
                for field, field_messages in error.fields.items():
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
        else:
            is_htmx = bool(request.htmx)
            if not is_htmx or spec.section in _WHOLE_PAGE_SECTIONS:
                messages.success(request, spec.done_message(result))
                response: HttpResponse = redirect(
                    "relationship_detail", relationship_id=relationship_id
                )
                if is_htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse("relationship_detail", args=[relationship_id])
                return response
            context = _space_context(request, relationship_id)
            context["done"] = {spec.section: spec.done_message(result)}
            return render(request, f"{_SPACE}#{spec.section}", context)
    elif form is not None:
        if spec.context_form:
            problems.append("Please correct the fields below.")
        else:
            problems.extend(
                str(message) for field_errors in form.errors.values() for message in field_errors
            )
    context = _space_context(request, relationship_id)
    context["errors"] = {spec.section: problems}
    if form is not None and spec.context_form:
        context[spec.context_form] = form
    template = (
        f"{_SPACE}#{spec.section}"
        if request.htmx and spec.section not in _WHOLE_PAGE_SECTIONS
        else _SPACE
    )
    return render(request, template, context, status=422)

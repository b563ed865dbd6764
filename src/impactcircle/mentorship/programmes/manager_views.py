"""Programme managers' pages: decide on applications, run the matching, lock/forbid, publish."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.access import fetch
from impactcircle.core.errors import AppError
from impactcircle.engine.matching import FACTORS
from impactcircle.mentorship.matching.labels import FACTOR_LABELS
from impactcircle.mentorship.matching.problem import engine_weights
from impactcircle.mentorship.matching.selectors import runs_of
from impactcircle.mentorship.models import Application, Programme
from impactcircle.mentorship.programmes.enrolment import application_decide
from impactcircle.mentorship.programmes.selectors import (
    application_counts,
    applications_of,
)
from impactcircle.mentorship.programmes.services import (
    invitations_by_email,
    programme_repeat,
    question_add,
)


def _managed(request: AuthenticatedRequest, programme_id: int) -> Programme:
    """404 when the person cannot see the programme, 403 when they see it but do not manage it."""
    return fetch(request.user, Programme, programme_id, "manage")


@login_required
def manage(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    weights = engine_weights(programme).as_dict()
    context = {
        "programme": programme,
        "applications": applications_of(programme),
        "counts": application_counts(programme),
        "runs": runs_of(programme)[:20],
        "factors": [(factor, FACTOR_LABELS[factor], weights[factor]) for factor in FACTORS],
    }
    return render(request, "mentorship/manage.html", context)


@login_required
@require_POST
def decide(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application = fetch(
        request.user,
        Application,
        application_id,
        "decide",
        queryset=Application.objects.select_related("programme", "user"),
    )
    try:
        application = application_decide(
            actor=request.user,
            application=application,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except AppError as error:
        if request.htmx:
            return render(
                request,
                "mentorship/manage.html#application",
                {"application": application, "error": error.message},
                status=422,
            )
        messages.error(request, error.message)
        return redirect("mentorship_manage", programme_id=application.programme_id)
    if request.htmx:
        return render(request, "mentorship/manage.html#application", {"application": application})
    return redirect("mentorship_manage", programme_id=application.programme_id)


@login_required
@require_POST
def add_question(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    try:
        question_add(
            actor=request.user,
            programme=programme,
            side=request.POST.get("side", ""),
            text=request.POST.get("text", ""),
            is_required=request.POST.get("is_required") == "on",
        )
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The question was added to the application form.")
    return redirect("mentorship_manage", programme_id=programme.pk)


@login_required
@require_POST
def invite(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    try:
        outcome = invitations_by_email(
            actor=request.user, programme=programme, addresses=request.POST.get("emails", "")
        )
    except AppError as error:
        messages.error(request, error.message)
        return redirect("mentorship_manage", programme_id=programme.pk)
    messages.success(
        request,
        ngettext("%(count)d person invited.", "%(count)d people invited.", outcome.invited)
        % {"count": outcome.invited},
    )
    if outcome.unknown:
        messages.warning(request, f"No active account for: {', '.join(outcome.unknown)}.")
    return redirect("mentorship_manage", programme_id=programme.pk)


@login_required
@require_POST
def repeat(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    try:
        opens = date.fromisoformat(request.POST.get("enrolment_opens_on", ""))
        cohort = programme_repeat(
            actor=request.user, programme=programme, enrolment_opens_on=opens, request=request
        )
    except ValueError:
        messages.error(request, "Choose the date the new cohort's enrolment opens.")
        return redirect("mentorship_manage", programme_id=programme.pk)
    except AppError as error:
        messages.error(request, error.message)
        return redirect("mentorship_manage", programme_id=programme.pk)
    messages.success(request, f"A new cohort of {programme.name} is ready.")
    return redirect("mentorship_manage", programme_id=cohort.pk)

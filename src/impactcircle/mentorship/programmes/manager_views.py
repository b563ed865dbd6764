"""Programme managers' pages: decide on applications, run the matching, lock/forbid, publish."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from impactcircle.accounts.models import User
from impactcircle.core.errors import AppError, NotFound
from impactcircle.engine.matching import FACTORS
from impactcircle.mentorship.matching.labels import FACTOR_LABELS
from impactcircle.mentorship.matching.problem import engine_weights
from impactcircle.mentorship.matching.selectors import runs_of
from impactcircle.mentorship.models import Application, Programme
from impactcircle.mentorship.policies import manages, programme_for
from impactcircle.mentorship.programmes.enrolment import application_decide
from impactcircle.mentorship.programmes.selectors import (
    application_counts,
    applications_of,
)
from impactcircle.mentorship.programmes.services import (
    invitation_add,
    programme_repeat,
    question_add,
)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _managed(request: HttpRequest, programme_id: int) -> Programme:
    try:
        programme = programme_for(_actor(request), programme_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if not manages(_actor(request), programme):
        raise Http404("No such page.")
    return programme


@login_required
def manage(request: HttpRequest, programme_id: int) -> HttpResponse:
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
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    application = (
        Application.objects.select_related("programme", "user").filter(pk=application_id).first()
    )
    if application is None:
        raise Http404("No such application.")
    _managed(request, application.programme_id)
    try:
        application = application_decide(
            actor=_actor(request),
            application=application,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except AppError as error:
        if request.htmx:  # type: ignore[attr-defined]  # django_htmx
            return render(
                request,
                "mentorship/manage.html#application",
                {"application": application, "error": error.message},
                status=422,
            )
        messages.error(request, error.message)
        return redirect("mentorship_manage", programme_id=application.programme_id)
    if request.htmx:  # type: ignore[attr-defined]  # django_htmx
        return render(request, "mentorship/manage.html#application", {"application": application})
    return redirect("mentorship_manage", programme_id=application.programme_id)


@login_required
@require_POST
def add_question(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    try:
        question_add(
            actor=_actor(request),
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
def invite(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    emails = {
        line.strip().lower()
        for line in request.POST.get("emails", "").replace(",", "\n").splitlines()
        if line.strip()
    }
    people = list(User.objects.filter(email__in=emails, is_active=True))
    added = invitation_add(actor=_actor(request), programme=programme, people=people)
    unknown = sorted(emails - {person.email for person in people})
    messages.success(request, f"{added} people invited.")
    if unknown:
        messages.warning(request, f"No active account for: {', '.join(unknown)}.")
    return redirect("mentorship_manage", programme_id=programme.pk)


@login_required
@require_POST
def repeat(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    try:
        opens = date.fromisoformat(request.POST.get("enrolment_opens_on", ""))
        cohort = programme_repeat(
            actor=_actor(request), programme=programme, enrolment_opens_on=opens, request=request
        )
    except ValueError:
        messages.error(request, "Choose the date the new cohort's enrolment opens.")
        return redirect("mentorship_manage", programme_id=programme.pk)
    except AppError as error:
        messages.error(request, error.message)
        return redirect("mentorship_manage", programme_id=programme.pk)
    messages.success(request, f"A new cohort of {programme.name} is ready.")
    return redirect("mentorship_manage", programme_id=cohort.pk)

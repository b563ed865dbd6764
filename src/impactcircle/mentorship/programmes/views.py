"""Programme pages: the list, a programme with its enrolment form, and creating one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.access import fetch
from impactcircle.core.errors import AppError
from impactcircle.core.form_errors import add_app_errors
from impactcircle.core.pagination import first_rows
from impactcircle.mentorship.models import Application, Programme
from impactcircle.mentorship.policies import manages, may_create_programmes, programme_for
from impactcircle.mentorship.programmes.enrolment import (
    application_submit,
    application_withdraw,
    enrolment_is_open,
    enrolment_window_sentence,
)
from impactcircle.mentorship.programmes.forms import ApplicationForm, ProgrammeForm
from impactcircle.mentorship.programmes.selectors import programme_rows
from impactcircle.mentorship.programmes.services import programme_create
from impactcircle.people.selectors import profile_of


def _programme(request: AuthenticatedRequest, programme_id: int) -> Programme:
    return programme_for(request.user, programme_id)


PROGRAMMES_SHOWN = 50  # newest first


@login_required
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    return render(
        request,
        "mentorship/programme_list.html",
        {
            "rows": first_rows(programme_rows(actor, limit=PROGRAMMES_SHOWN + 1), PROGRAMMES_SHOWN),
            "may_create": may_create_programmes(actor),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    if not may_create_programmes(actor):
        raise Http404("No such page.")
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_create(
                actor=actor,
                settings=form.settings(),
                cause_area_ids=form.cause_area_ids(),
                request=request,
            )
        except AppError as error:
            add_app_errors(form, error)
        else:
            messages.success(
                request, f"{programme.name} is ready. Invite people or open enrolment."
            )
            return redirect("mentorship_programme", programme_id=programme.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "mentorship/programme_form.html", {"form": form}, status=status)


def _application_form(
    request: AuthenticatedRequest,
    programme: Programme,
    side: str,
    data: object = None,
    previous: Application | None = None,
) -> ApplicationForm:
    profile = profile_of(request.user)
    return ApplicationForm(
        data, programme=programme, side=side, profile=profile, application=previous
    )


@login_required
def programme_detail(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    actor = request.user
    mine = {
        application.side: application for application in programme.applications.filter(user=actor)
    }
    today = timezone.localdate()
    is_open = enrolment_is_open(programme, today)
    forms = {
        side: _application_form(request, programme, side, previous=mine.get(side))
        for side in ("mentee", "mentor")
        if is_open and (side not in mine or mine[side].status in {"withdrawn", "declined"})
    }
    context = {
        "programme": programme,
        "mine": mine,
        "forms": forms,
        "enrolment_window": enrolment_window_sentence(programme, today),
        "is_manager": manages(actor, programme),
    }
    return render(request, "mentorship/programme_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def programme_apply(request: AuthenticatedRequest, programme_id: int, side: str) -> HttpResponse:
    """A refused form is shown here (422), so the address bar ends on this address; opening it
    again (a reload, a bookmark) goes to the programme's page, where the form is."""
    programme = _programme(request, programme_id)
    if side not in {"mentee", "mentor"}:
        raise Http404("No such side.")
    if request.method == "GET":
        return redirect("mentorship_programme", programme_id=programme.pk)
    form = _application_form(request, programme, side, request.POST)
    if form.is_valid():
        try:
            application_submit(actor=request.user, programme=programme, details=form.details())
        except AppError as error:
            add_app_errors(form, error)
        else:
            messages.success(request, f"Thank you: your application as a {side} is in.")
            return redirect("mentorship_programme", programme_id=programme.pk)
    actor = request.user
    context = {
        "programme": programme,
        "mine": {a.side: a for a in programme.applications.filter(user=actor)},
        "forms": {side: form},
        "enrolment_window": enrolment_window_sentence(programme, timezone.localdate()),
        "is_manager": manages(actor, programme),
    }
    return render(request, "mentorship/programme_detail.html", context, status=422)


@login_required
@require_POST
def application_withdraw_view(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application = fetch(request.user, Application, application_id, "withdraw")
    try:
        application_withdraw(actor=request.user, application=application)
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your application was withdrawn.")
    return redirect("mentorship_programme", programme_id=application.programme_id)

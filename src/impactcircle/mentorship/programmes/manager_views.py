"""Programme managers' pages: decide on applications, run the matching, lock/forbid, publish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
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
from impactcircle.mentorship.programmes.forms import STATUS_FILTER_LABELS, ApplicationFilterForm
from impactcircle.mentorship.programmes.selectors import application_counts, applications_page
from impactcircle.mentorship.programmes.services import (
    invitations_by_email,
    programme_repeat,
    question_add,
)


def _managed(request: AuthenticatedRequest, programme_id: int) -> Programme:
    """404 when the person cannot see the programme, 403 when they see it but do not manage it."""
    return fetch(request.user, Programme, programme_id, "manage")


_MANAGE = "mentorship/manage.html"


@dataclass(frozen=True)
class StatusLink:
    label: str
    count: int
    query: str
    is_current: bool


_FILTER_KEYS = ("status", "side", "q")


def _applications_context(programme: Programme, params: QueryDict) -> tuple[dict[str, Any], int]:
    """The applications list for the filters and page in `params` (a query string, or the
    decision form's copy of it): 422 with the field errors when a filter is not one."""
    form = ApplicationFilterForm(params)
    valid = form.is_valid()
    kept = {key: form.cleaned_data[key] for key in _FILTER_KEYS if valid and form.cleaned_data[key]}
    counts = application_counts(programme)
    others = urlencode({key: value for key, value in kept.items() if key != "status"})
    status_links = [
        StatusLink(
            label,
            counts[status],
            f"?{others}&status={status}" if others else f"?status={status}",
            kept.get("status") == status,
        )
        for status, label in STATUS_FILTER_LABELS.items()
    ]
    context: dict[str, Any] = {
        "programme": programme,
        "form": form,
        "counts": counts,
        "all_link": StatusLink("All", counts["total"], f"?{others}", "status" not in kept),
        "status_links": status_links,
        "filters": kept,
        "query": urlencode(kept),
        "page": None,
    }
    if not valid:
        return context, 422
    return context | {
        "page": applications_page(programme, form.filters(), params.get("page"), counts)
    }, 200


def _manage_url(programme_id: int, params: QueryDict) -> str:
    """The manage page showing the list as `params` had it (filters and page, nothing else)."""
    kept = {key: params[key] for key in (*_FILTER_KEYS, "page") if params.get(key)}
    base = reverse("mentorship_manage", kwargs={"programme_id": programme_id})
    return f"{base}?{urlencode(kept)}#applications-heading" if kept else base


@login_required
def manage(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    context, status = _applications_context(programme, request.GET)
    if request.htmx:
        return render(request, f"{_MANAGE}#applications", context, status=status)
    weights = engine_weights(programme).as_dict()
    context |= {
        "runs": runs_of(programme)[:20],
        "factors": [(factor, FACTOR_LABELS[factor], weights[factor]) for factor in FACTORS],
    }
    return render(request, _MANAGE, context, status=status)


@login_required
@require_POST
def decide(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    """Decide on one application, then show the list as it was (same filters and page): an
    application that no longer fits the status filter leaves it."""
    application = fetch(
        request.user,
        Application,
        application_id,
        "decide",
        queryset=Application.objects.select_related("programme", "user"),
    )
    programme = application.programme
    try:
        application = application_decide(
            actor=request.user,
            application=application,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except AppError as error:
        if request.htmx:
            context, _ = _applications_context(programme, request.POST)
            context |= {"error_for": application.pk, "error": error.message}
            return render(request, f"{_MANAGE}#applications", context, status=422)
        messages.error(request, error.message)
        return redirect(_manage_url(programme.pk, request.POST))
    done = f"{application.user.display_name}: {application.get_status_display().lower()}."
    if request.htmx:
        context, status = _applications_context(programme, request.POST)
        return render(request, f"{_MANAGE}#applications", context | {"done": done}, status=status)
    messages.success(request, done)
    return redirect(_manage_url(programme.pk, request.POST))


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

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
from impactcircle.mentorship.access import manages, programme_for
from impactcircle.mentorship.enrolment_services import application_decide
from impactcircle.mentorship.forms import FACTOR_LABELS
from impactcircle.mentorship.matching_problem import engine_weights
from impactcircle.mentorship.matching_services import (
    pair_rule_clear,
    pair_rule_set,
    run_publish,
    run_start,
    runs_compare,
)
from impactcircle.mentorship.models import Application, MatchingRun, PairRule, Programme
from impactcircle.mentorship.programme_services import (
    invitation_add,
    programme_repeat,
    question_add,
)
from impactcircle.mentorship.selectors import (
    application_counts,
    applications_of,
    run_for,
    run_matches_page,
    run_unmatched,
    runs_of,
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


def _run(request: HttpRequest, run_id: int) -> MatchingRun:
    run = run_for(_actor(request), run_id)
    if run is None:
        raise Http404("No such matching run.")
    return run


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
def start_run(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    weights = {}
    for factor in FACTORS:
        raw = request.POST.get(f"weight_{factor}", "")
        try:
            weights[factor] = float(raw)
        except ValueError:
            messages.error(
                request, f"The weight of {FACTOR_LABELS[factor].lower()} must be a number."
            )
            return redirect("mentorship_manage", programme_id=programme.pk)
    try:
        run = run_start(
            actor=_actor(request), programme=programme, weights=weights, request=request
        )
    except AppError as error:
        messages.error(request, error.message)
        return redirect("mentorship_manage", programme_id=programme.pk)
    return redirect("mentorship_run", run_id=run.pk)


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    raw_page = request.GET.get("page", "1")
    page_number = int(raw_page) if raw_page.isdigit() else 1
    rules = {
        (rule.mentee_id, rule.mentor_id): rule.kind
        for rule in PairRule.objects.filter(programme=run.programme)
    }
    context = {
        "run": run,
        "programme": run.programme,
        "page": run_matches_page(run, page_number)
        if run.status in {"draft", "published"}
        else None,
        "unmatched": run_unmatched(run),
        "rules": rules,
        "other_runs": runs_of(run.programme)
        .exclude(pk=run.pk)
        .filter(status__in=["draft", "published"])[:10],
    }
    if request.htmx and request.GET.get("part") == "progress":  # type: ignore[attr-defined]  # django_htmx
        return render(request, "mentorship/run_detail.html#progress", context)
    return render(request, "mentorship/run_detail.html", context)


@login_required
@require_POST
def pair_rule(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    mentee_id, mentor_id = request.POST.get("mentee", ""), request.POST.get("mentor", "")
    if not (mentee_id.isdigit() and mentor_id.isdigit()):
        raise Http404("No such application.")
    mentee = Application.objects.filter(pk=int(mentee_id), programme=run.programme).first()
    mentor = Application.objects.filter(pk=int(mentor_id), programme=run.programme).first()
    if mentee is None or mentor is None:
        raise Http404("No such application.")
    kind = request.POST.get("kind", "")
    try:
        if kind == "clear":
            pair_rule_clear(
                actor=_actor(request), programme=run.programme, mentee=mentee, mentor=mentor
            )
        else:
            pair_rule_set(
                actor=_actor(request),
                programme=run.programme,
                mentee=mentee,
                mentor=mentor,
                kind=kind,
            )
    except AppError as error:
        messages.error(request, error.message)
    else:
        label = {"lock": "locked", "forbid": "forbidden", "clear": "freed"}.get(kind, kind)
        messages.success(
            request,
            f"{mentee.user.display_name} and {mentor.user.display_name}: {label} for the next run.",
        )
    return redirect("mentorship_run", run_id=run.pk)


@login_required
@require_POST
def publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    try:
        relationships = run_publish(actor=_actor(request), run=run, request=request)
    except AppError as error:
        messages.error(request, error.message)
        return redirect("mentorship_run", run_id=run.pk)
    messages.success(
        request, f"Published: {len(relationships)} relationships started and everyone was told."
    )
    return redirect("mentorship_manage", programme_id=run.programme_id)


@login_required
def compare(request: HttpRequest, run_id: int, other_id: int) -> HttpResponse:
    first, second = _run(request, run_id), _run(request, other_id)
    if first.programme_id != second.programme_id:
        raise Http404("Runs of different programmes.")
    diff = runs_compare(first, second)
    ids = {
        int(person)
        for change in diff.changes
        for person in (change.mentee, change.mentor_before, change.mentor_after)
        if person
    }
    full = {pk: user.display_name for pk, user in User.objects.in_bulk(list(ids)).items()}
    rows = [
        {
            "mentee": full.get(int(change.mentee), change.mentee),
            "before": full.get(int(change.mentor_before), "—") if change.mentor_before else "—",
            "after": full.get(int(change.mentor_after), "—") if change.mentor_after else "—",
            "kind": change.kind.replace("_", " "),
            "delta": change.score_delta,
        }
        for change in diff.changes
    ]
    return render(
        request,
        "mentorship/run_compare.html",
        {"first": first, "second": second, "diff": diff, "rows": rows},
    )


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

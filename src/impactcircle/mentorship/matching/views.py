"""Matching-run pages for a programme's managers: start, follow, lock/forbid, compare, publish."""

from __future__ import annotations

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
from impactcircle.mentorship.matching.selectors import (
    run_for,
    run_matches_page,
    run_unmatched,
    runs_of,
)
from impactcircle.mentorship.matching.services import (
    pair_rule_clear,
    pair_rule_set,
    run_publish,
    run_start,
    runs_compare,
)
from impactcircle.mentorship.models import Application, MatchingRun, PairRule, Programme
from impactcircle.mentorship.policies import manages, programme_for


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
        "page": run_matches_page(run, _actor(request), page_number)
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

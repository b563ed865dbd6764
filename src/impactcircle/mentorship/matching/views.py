"""Matching-run pages for a programme's managers: start, follow, lock/forbid, compare, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.access import fetch
from impactcircle.core.errors import AppError
from impactcircle.core.pagination import first_rows
from impactcircle.engine.matching import FACTORS
from impactcircle.mentorship.matching.labels import FACTOR_LABELS
from impactcircle.mentorship.matching.selectors import (
    pair_applications,
    run_comparison,
    run_for,
    run_matches_page,
    run_publish_preview,
    run_superseded_reason,
    run_tasks_ahead,
    run_unmatched,
    runs_of,
)
from impactcircle.mentorship.matching.services import (
    pair_rule_clear,
    pair_rule_set,
    pair_unlock,
    run_publish,
    run_start,
)
from impactcircle.mentorship.models import PairRule, Programme


@login_required
@require_POST
def start_run(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = fetch(request.user, Programme, programme_id, "manage")
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
        run = run_start(actor=request.user, programme=programme, weights=weights, request=request)
    except AppError as error:
        messages.error(request, error.message)
        return redirect("mentorship_manage", programme_id=programme.pk)
    return redirect("mentorship_run", run_id=run.pk)


@login_required
def run_detail(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run = run_for(request.user, run_id)
    raw_page = request.GET.get("page", "1")
    page_number = int(raw_page) if raw_page.isdigit() else 1
    rules = {
        (rule.mentee_id, rule.mentor_id): rule.kind
        for rule in PairRule.objects.filter(programme=run.programme)
    }
    page = (
        run_matches_page(run, request.user, page_number)
        if run.status in {"draft", "publishing", "published"}
        else None
    )
    context = {
        "run": run,
        "tasks_ahead": run_tasks_ahead(run),
        "programme": run.programme,
        "page": page,
        # each pair with the rule the next runs keep for it ("lock", "forbid" or None)
        "pair_rows": [
            (row, rules.get((row.match.mentee_id, row.match.mentor_id)))
            for row in (page.object_list if page is not None else [])
        ],
        "superseded": run_superseded_reason(run) if run.status == "draft" else "",
        "unmatched": run_unmatched(run),
        "rules": rules,
        "other_runs": runs_of(run.programme)
        .exclude(pk=run.pk)
        .filter(status__in=["draft", "published"])[:10],
    }
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "mentorship/run_detail.html#progress", context)
    return render(request, "mentorship/run_detail.html", context)


@login_required
@require_POST
def pair_rule(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    run = run_for(request.user, run_id)
    mentee, mentor = pair_applications(
        run.programme, request.POST.get("mentee", ""), request.POST.get("mentor", "")
    )
    kind = request.POST.get("kind", "")
    try:
        if kind == "unlock":
            pair_unlock(actor=request.user, programme=run.programme, mentee=mentee, mentor=mentor)
        elif kind == "clear":
            pair_rule_clear(
                actor=request.user, programme=run.programme, mentee=mentee, mentor=mentor
            )
        else:
            pair_rule_set(
                actor=request.user,
                programme=run.programme,
                mentee=mentee,
                mentor=mentor,
                kind=kind,
            )
    except AppError as error:
        messages.error(request, error.message)
    else:
        label = {
            "lock": "locked",
            "forbid": "forbidden",
            "clear": "freed",
            "unlock": "unlocked",
        }.get(kind, kind)
        messages.success(
            request,
            f"{mentee.user.display_name} and {mentor.user.display_name}: {label} for the next run.",
        )
    return redirect("mentorship_run", run_id=run.pk)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    """Publishing cannot be undone, so it asks first: a GET, or a POST without `confirm=yes`,
    shows what publishing will do with a Confirm button (a POST with `confirm`) and Cancel."""
    run = run_for(request.user, run_id)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        superseded = run_superseded_reason(run) if run.status == "draft" else ""
        if run.status != "draft" or superseded:
            messages.error(
                request,
                superseded
                or "Only a draft can be published; "
                f"this run is {run.get_status_display().lower()}.",
            )
            return redirect("mentorship_run", run_id=run.pk)
        return render(
            request,
            "mentorship/run_publish_confirm.html",
            {"run": run, "programme": run.programme, "preview": run_publish_preview(run)},
        )
    try:
        run_publish(actor=request.user, run=run, request=request)
    except AppError as error:
        messages.error(request, error.message)
        return redirect("mentorship_run", run_id=run.pk)
    messages.success(
        request, "Publishing: the relationships are being created and everyone will be told."
    )
    return redirect("mentorship_run", run_id=run.pk)


COMPARED_ROWS_SHOWN = 200


@login_required
def compare(request: AuthenticatedRequest, run_id: int, other_id: int) -> HttpResponse:
    comparison = run_comparison(request.user, run_id, other_id)
    rows = [
        {
            "mentee": row.mentee,
            "before": row.mentor_before or "—",
            "after": row.mentor_after or "—",
            "kind": row.kind.replace("_", " "),
            "delta": row.score_delta,
        }
        for row in comparison.rows
    ]
    return render(
        request,
        "mentorship/run_compare.html",
        {
            "first": comparison.first,
            "second": comparison.second,
            "diff": comparison.diff,
            "rows": first_rows(rows, COMPARED_ROWS_SHOWN),
        },
    )

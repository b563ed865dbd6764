"""Self-selection pages: recommended mentors (bookmark, dismiss, restore, ask) and the requests
page (the mentee's sent requests, the mentor's incoming ones: accept, decline, withdraw).

Only the programme's accepted participants see them; anyone else gets 404. With htmx a change
answers the changed list (a `{% partialdef %}`); without it, a redirect back with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from impactcircle.accounts.models import User
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.errors import AppError, Forbidden, NotFound
from impactcircle.core.pagination import first_rows
from impactcircle.mentorship.models import MentorRequest
from impactcircle.mentorship.selection import services
from impactcircle.mentorship.selection.selectors import (
    recommendations_for,
    request_for,
    requests_of,
    require_participant,
    self_selection_programme_for,
)

_MENTORS = "mentorship/selection/mentors.html"
_REQUESTS = "mentorship/selection/requests.html"
_SHORTLIST_ACTIONS = {"bookmark", "dismiss", "restore", "unbookmark"}
_ANSWERS = {"accept", "decline", "withdraw"}


def _is_htmx(request: AuthenticatedRequest) -> bool:
    return bool(request.htmx)


@login_required
def mentor_recommendations(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    found = recommendations_for(request.user, programme_id)
    return render(request, _MENTORS, {"found": found, "programme": found.programme})


REQUESTS_SHOWN = 50  # each way, newest first


def _requests_context(actor: User, programme_id: int) -> dict[str, object]:
    programme = self_selection_programme_for(actor, programme_id)
    sides = require_participant(actor, programme)
    mine = requests_of(actor, programme)
    return {
        "programme": programme,
        "sent": first_rows(mine["sent"], REQUESTS_SHOWN) if "mentee" in sides else (),
        "received": first_rows(mine["received"], REQUESTS_SHOWN) if "mentor" in sides else (),
        "sides": sides,
    }


@login_required
def mentor_requests(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    return render(request, _REQUESTS, _requests_context(request.user, programme_id))


def _after_change(request: AuthenticatedRequest, programme_id: int, done: str) -> HttpResponse:
    if _is_htmx(request):
        found = recommendations_for(request.user, programme_id)
        context = {"found": found, "programme": found.programme, "done": done}
        return render(request, f"{_MENTORS}#recommendations", context)
    messages.success(request, done)
    return redirect("selection_mentors", programme_id)


def _failed(
    request: AuthenticatedRequest, error: AppError, to: str, programme_id: int
) -> HttpResponse:
    if isinstance(error, (NotFound, Forbidden)):
        raise error  # the error pages are the middleware's
    if _is_htmx(request):  # the changed list, showing the problem, with the error's status
        actor = request.user
        if to == "selection_requests":
            context = _requests_context(actor, programme_id) | {"problem": error.message}
            return render(request, f"{_REQUESTS}#requests", context, status=error.status_code)
        found = recommendations_for(actor, programme_id)
        context = {"found": found, "programme": found.programme, "problem": error.message}
        return render(request, f"{_MENTORS}#recommendations", context, status=error.status_code)
    messages.error(request, error.message)
    return redirect(to, programme_id)


@login_required
@require_POST
def shortlist_change(
    request: AuthenticatedRequest, programme_id: int, mentor_id: int, action: str
) -> HttpResponse:
    if action not in _SHORTLIST_ACTIONS:
        raise Http404("No such action.")
    actor = request.user
    try:
        if action in {"bookmark", "dismiss"}:
            services.shortlist_mark(
                actor=actor, programme_id=programme_id, mentor_id=mentor_id, kind=action
            )
        else:
            services.shortlist_clear(actor=actor, programme_id=programme_id, mentor_id=mentor_id)
    except AppError as error:
        return _failed(request, error, "selection_mentors", programme_id)
    done = {
        "bookmark": "Bookmarked.",
        "dismiss": "Hidden from your recommendations.",
        "restore": "Shown again.",
        "unbookmark": "Bookmark removed.",
    }[action]
    return _after_change(request, programme_id, done)


@login_required
@require_POST
def request_new(request: AuthenticatedRequest, programme_id: int, mentor_id: int) -> HttpResponse:
    try:
        sent = services.request_send(
            actor=request.user,
            programme_id=programme_id,
            mentor_id=mentor_id,
            message=request.POST.get("message", ""),
        )
    except AppError as error:
        return _failed(request, error, "selection_mentors", programme_id)
    return _after_change(request, programme_id, f"Request sent to {sent.mentor.display_name}.")


@login_required
@require_POST
def request_answer(
    request: AuthenticatedRequest, programme_id: int, request_id: int, action: str
) -> HttpResponse:
    if action not in _ANSWERS:
        raise Http404("No such action.")
    actor = request.user
    try:
        found: MentorRequest = request_for(actor, request_id)
        if found.programme_id != programme_id:
            raise NotFound("No such request.")
        if action == "accept":
            services.request_accept(actor=actor, request_id=request_id)
            done = f"You now mentor {found.mentee.display_name}."
        elif action == "decline":
            services.request_decline(
                actor=actor, request_id=request_id, reason=request.POST.get("reason", "")
            )
            done = "Request declined."
        else:
            services.request_withdraw(actor=actor, request_id=request_id)
            done = "Request withdrawn."
    except AppError as error:
        return _failed(request, error, "selection_requests", programme_id)
    if _is_htmx(request):
        context = _requests_context(actor, programme_id) | {"done": done}
        return render(request, f"{_REQUESTS}#requests", context)
    messages.success(request, done)
    return redirect("selection_requests", programme_id)

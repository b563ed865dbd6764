"""Flash-mentoring pages: the programme's board (publish, book, reschedule, cancel) and each
slot's .ics download.

Times are stored in UTC and shown in the viewer's zone (activated by the people app's
middleware); a mentor types a start in their own zone. With htmx a change answers the board
(a `{% partialdef %}`); without it, a redirect back with a message. Outsiders get 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from impactcircle.accounts.models import User
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.errors import AppError, Forbidden, NotFound
from impactcircle.core.form_errors import add_app_errors
from impactcircle.mentorship.flash import services
from impactcircle.mentorship.flash.forms import RescheduleForm, SlotForm
from impactcircle.mentorship.flash.selectors import (
    booking_for,
    flash_board,
    slot_for,
    time_zone_of,
)

_BOARD = "mentorship/flash/board.html"


def _is_htmx(request: AuthenticatedRequest) -> bool:
    return bool(request.htmx)


def _context(actor: User, programme_id: int, **extra: Any) -> dict[str, Any]:
    board = flash_board(actor, programme_id)
    return {
        "board": board,
        "programme": board.programme,
        "my_zone": time_zone_of(actor),
        "slot_form": SlotForm(),
        "reschedule_form": RescheduleForm(),
    } | extra


@login_required
@require_GET
def flash_board_page(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    return render(request, _BOARD, _context(request.user, programme_id))


def _answer(
    request: AuthenticatedRequest,
    programme_id: int,
    done: str = "",
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    if _is_htmx(request):
        context = _context(request.user, programme_id, done=done, **extra)
        return render(request, f"{_BOARD}#board", context, status=status)
    if status >= 400:
        return render(request, _BOARD, _context(request.user, programme_id, **extra), status=status)
    messages.success(request, done)
    return redirect("flash_board", programme_id)


def _failure(request: AuthenticatedRequest, error: AppError, programme_id: int) -> HttpResponse:
    if isinstance(error, (NotFound, Forbidden)):
        raise error  # the error pages are the middleware's
    return _answer(request, programme_id, status=error.status_code, problem=error.message)


@login_required
@require_POST
def slot_new(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            services.slot_publish(
                actor=request.user,
                programme_id=programme_id,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                topic=form.cleaned_data["topic"],
                meeting_link=form.cleaned_data["meeting_link"],
                location=form.cleaned_data["location"],
            )
        except AppError as error:
            add_app_errors(form, error)
        else:
            return _answer(request, programme_id, "Slot published.")
    return _answer(request, programme_id, status=422, slot_form=form)


def _slot_programme(request: AuthenticatedRequest, slot_id: int) -> int:
    return slot_for(request.user, slot_id).programme_id


@login_required
@require_POST
def slot_book(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    programme_id = _slot_programme(request, slot_id)
    try:
        services.booking_create(actor=request.user, slot_id=slot_id)
    except AppError as error:
        return _failure(request, error, programme_id)
    return _answer(request, programme_id, "Booked. The calendar invitation is on its way.")


@login_required
@require_POST
def slot_move(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    programme_id = _slot_programme(request, slot_id)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            services.slot_reschedule(
                actor=request.user,
                slot_id=slot_id,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except AppError as error:
            return _failure(request, error, programme_id)
        return _answer(request, programme_id, "Slot moved.")
    problem = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    return _answer(request, programme_id, status=422, problem=problem)


@login_required
@require_POST
def slot_withdraw(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    programme_id = _slot_programme(request, slot_id)
    try:
        services.slot_cancel(actor=request.user, slot_id=slot_id)
    except AppError as error:
        return _failure(request, error, programme_id)
    return _answer(request, programme_id, "Slot cancelled.")


@login_required
@require_POST
def booking_withdraw(request: AuthenticatedRequest, booking_id: int) -> HttpResponse:
    programme_id = booking_for(request.user, booking_id).slot.programme_id
    try:
        services.booking_cancel(actor=request.user, booking_id=booking_id)
    except AppError as error:
        return _failure(request, error, programme_id)
    return _answer(request, programme_id, "Booking cancelled; the slot is open again.")


@login_required
@require_GET
def slot_ics(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    try:
        filename, text = services.slot_calendar_file(actor=request.user, slot_id=slot_id)
    except AppError as error:
        return HttpResponse(error.message, status=error.status_code, content_type="text/plain")
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

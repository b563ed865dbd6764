"""The notification centre, the email settings and the unsubscribe page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impactcircle.accounts.models import User
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.errors import InvalidInput, NotFound
from impactcircle.notifications.categories import is_registered_category
from impactcircle.notifications.forms import DeliveryForm
from impactcircle.notifications.selectors import (
    CategoryDelivery,
    delivery_preferences_for,
    notifications_for,
    unread_count_for,
    unsubscribe_target,
)
from impactcircle.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
    unsubscribe_by_token,
)

_LIST = "notifications/list.html"
_SETTINGS = "notifications/preferences.html"
_UNSUBSCRIBE = "notifications/unsubscribe.html"
PAGE_SIZE = 20


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.htmx)  # type: ignore[attr-defined]  # set by django_htmx's middleware


def _with_header_count(request: HttpRequest, fragment: str, user: User) -> HttpResponse:
    """An htmx fragment plus the header's unread count, swapped out of band."""
    header = render_to_string(
        f"{_LIST}#header_count", {"unread_count": unread_count_for(user)}, request=request
    )
    return HttpResponse(fragment + header)


def _list_context(request: HttpRequest, user: User) -> dict[str, object]:
    unread_only = request.GET.get("show") == "unread"
    paginator = Paginator(notifications_for(user, unread_only=unread_only), PAGE_SIZE)
    return {"page": paginator.get_page(request.GET.get("page")), "unread_only": unread_only}


@login_required
@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(request, _LIST, _list_context(request, user))


@login_required
@require_POST
def notification_read(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    user = request.user
    notification = notification_mark_read(user=user, notification_id=notification_id)
    if _is_htmx(request):
        item = render_to_string(f"{_LIST}#item", {"notification": notification}, request=request)
        return _with_header_count(request, item, user)
    return redirect("notification_list")


@login_required
@require_GET
def notification_open(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link; opening it marks it read."""
    user = request.user
    notification = notification_mark_read(user=user, notification_id=notification_id)
    # The link was checked to be a path on this site when the notification was made.
    return redirect(notification.link)


@login_required
@require_POST
def notification_read_all(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    changed = notifications_mark_all_read(user=user)
    if _is_htmx(request):
        listing = render_to_string(
            f"{_LIST}#listing", _list_context(request, user), request=request
        )
        return _with_header_count(request, listing, user)
    noun = "notification" if changed == 1 else "notifications"
    messages.success(request, f"Marked {changed} {noun} read.")
    return redirect("notification_list")


def _category_forms(
    preferences: list[CategoryDelivery],
) -> list[tuple[CategoryDelivery, DeliveryForm]]:
    return [
        (item, DeliveryForm(initial={"delivery": item.delivery}, prefix=item.category.key))
        for item in preferences
    ]


@login_required
@require_GET
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(
        request, _SETTINGS, {"category_forms": _category_forms(delivery_preferences_for(user))}
    )


@login_required
@require_POST
def preference_save(request: AuthenticatedRequest, category: str) -> HttpResponse:
    user = request.user
    if not is_registered_category(category):
        raise Http404("No such notification category.")
    form = DeliveryForm(request.POST, prefix=category)
    saved = False
    if form.is_valid():
        preference_set(
            user=user, category=category, delivery=form.cleaned_data["delivery"], request=request
        )
        saved = True
    if _is_htmx(request) or not saved:
        current = next(
            item for item in delivery_preferences_for(user) if item.category.key == category
        )
        if saved:
            form = DeliveryForm(initial={"delivery": current.delivery}, prefix=category)
        return render(
            request,
            f"{_SETTINGS}#category",
            {"item": current, "form": form, "saved": saved},
            status=200 if saved else 422,
        )
    messages.success(request, "Your email settings were saved.")
    return redirect("notification_preferences")


@csrf_exempt  # mail clients POST here for RFC 8058 one-click unsubscribe; the token authorises
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners only GET); POST turns the category's email off."""
    try:
        if request.method == "POST":
            result = unsubscribe_by_token(token=token, request=request)
            return render(request, _UNSUBSCRIBE, {"category": result.category, "done": True})
        target = unsubscribe_target(token)
    except InvalidInput as error:
        return render(request, _UNSUBSCRIBE, {"problem": error.message}, status=400)
    except NotFound as error:
        return render(request, _UNSUBSCRIBE, {"problem": error.message}, status=404)
    return render(request, _UNSUBSCRIBE, {"category": target.category, "done": False})

"""The directory, profile pages with in-place editing, and avatars."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.views.decorators.http import require_http_methods

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.errors import AppError
from impactcircle.core.form_errors import add_app_errors
from impactcircle.core.input_bounds import page_number_from
from impactcircle.people import profile_sections
from impactcircle.people.completeness import completeness_of, with_related_counts
from impactcircle.people.forms import DirectorySearchForm
from impactcircle.people.models import Profile
from impactcircle.people.selectors import DirectoryFilters, directory_page, profile_view_for
from impactcircle.people.visibility import scope_for

_DIRECTORY = "people/directory.html"
_PROFILE = "people/profile.html"


@login_required
def directory(request: AuthenticatedRequest) -> HttpResponse:
    """The directory. Filters that cannot be applied (words beyond the limit, an unknown skill)
    answer 422 with the errors beside their fields and in the results, and list no one: a list
    of everyone would look like the answer to the search."""
    form = DirectorySearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        filters = form.filters() if form.is_bound else DirectoryFilters()
        page_number = page_number_from(request.GET.get("page"))
        page, total = directory_page(scope_for(request.user), filters, page_number)
        query = QueryDict(mutable=True)
        for key in request.GET:
            if key != "page" and request.GET[key]:
                query[key] = request.GET[key]
        context.update(page=page, total=total, query=urlencode(query))
    if request.htmx:
        return render(request, f"{_DIRECTORY}#results", context, status=status)
    return render(request, _DIRECTORY, context, status=status)


def _profile_context(request: AuthenticatedRequest, user_id: int) -> dict[str, Any]:
    viewer = request.user
    scope = scope_for(viewer)
    person = profile_view_for(scope, user_id)
    can_edit = person.is_own or scope.is_admin
    context: dict[str, Any] = {"person": person, "can_edit": can_edit, "is_admin": scope.is_admin}
    if person.is_own:
        own = with_related_counts(Profile.objects.filter(pk=person.profile_id)).get()
        context["completeness"] = completeness_of(own)
    return context


@login_required
def profile_detail(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    return render(request, _PROFILE, _profile_context(request, user_id))


@login_required
def my_profile(request: AuthenticatedRequest) -> HttpResponse:
    return redirect("people_profile", user_id=request.user.pk)


@login_required
@require_http_methods(["GET", "POST"])
def profile_section(request: AuthenticatedRequest, user_id: int, section: str) -> HttpResponse:
    """GET: the section's edit form. POST: save it and show the section again."""
    if section not in profile_sections.SECTIONS:
        raise Http404("No such section.")
    context = _profile_context(request, user_id)
    if not context["can_edit"] or (section == "organisation" and not context["is_admin"]):
        raise Http404("No such section.")
    viewer = request.user
    profile = Profile.objects.select_related("user").get(pk=context["person"].profile_id)
    status = 200
    if request.method == "POST":
        form = profile_sections.bound_form(section, request.POST, request.FILES)
        try:
            saved = form.is_valid() and profile_sections.save(
                section, form, actor=viewer, profile=profile, request=request
            )
        except AppError as error:
            add_app_errors(form, error)
            saved = False
        if saved:
            if not request.htmx:
                return redirect("people_profile", user_id=user_id)
            context = _profile_context(request, user_id)
        else:
            context.update(editing=section, section_form=form)
            status = 422
    else:
        context.update(
            editing=section, section_form=profile_sections.initial_form(section, profile)
        )
    template = f"{_PROFILE}#{section}" if request.htmx else _PROFILE
    return render(request, template, context, status=status)


_AVATAR_COLOURS = ("#0b6e4f", "#1d4ed8", "#7c2d92", "#9a3412", "#155e75", "#3f6212", "#9d174d")


@login_required
def avatar(request: AuthenticatedRequest, user_id: int) -> HttpResponse | FileResponse:
    """The person's photo when the viewer may see it, otherwise their initials."""
    scope = scope_for(request.user)
    profile = (
        Profile.objects.select_related("user").filter(user_id=user_id, user__is_active=True).first()
    )
    if profile is None:
        raise Http404("No such person.")
    if profile.photo and scope.can_see(profile, "photo"):
        response: HttpResponse | FileResponse = FileResponse(
            profile.photo.open("rb"), content_type="image/jpeg"
        )
    else:
        name = profile.user.display_name
        initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"
        colour = _AVATAR_COLOURS[
            int(hashlib.sha256(str(user_id).encode()).hexdigest(), 16) % len(_AVATAR_COLOURS)
        ]
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img">'
            f'<rect width="64" height="64" rx="32" fill="{colour}"/>'
            '<text x="32" y="41" font-family="system-ui, sans-serif" font-size="26" '
            f'font-weight="600" text-anchor="middle" fill="#ffffff">{escape(initials)}</text></svg>'
        )
        response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response

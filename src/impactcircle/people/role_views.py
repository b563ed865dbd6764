"""The roles page: administrators grant and revoke roles."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from impactcircle.accounts.models import User
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core.errors import AppError
from impactcircle.people.organisation_services import role_grant, role_revoke
from impactcircle.people.roles import Role, is_administrator, role_holders


class RoleChangeForm(forms.Form):
    email = forms.EmailField(label="Person's email address")
    role = forms.ChoiceField(choices=[(role.value, role.label) for role in Role])
    action = forms.ChoiceField(
        choices=[("grant", "Grant"), ("revoke", "Revoke")], widget=forms.HiddenInput
    )


@login_required
@require_http_methods(["GET", "POST"])
def roles(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.user
    if not is_administrator(actor):
        raise Http404("No such page.")
    form = RoleChangeForm(request.POST or None, initial={"action": "grant"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            person = User.objects.filter(
                email__iexact=form.cleaned_data["email"], is_active=True
            ).first()
            if person is None:
                form.add_error("email", "No active person has that email address.")
            else:
                change = role_grant if form.cleaned_data["action"] == "grant" else role_revoke
                try:
                    change(
                        actor=actor,
                        user=person,
                        role=Role(form.cleaned_data["role"]),
                        request=request,
                    )
                except AppError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, f"Roles of {person.display_name} updated.")
                    return redirect("people_roles")
        status = 422
    rows = role_holders()
    return render(request, "people/roles.html", {"form": form, "rows": rows}, status=status)

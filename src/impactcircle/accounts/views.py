"""The account page: who you are, two-factor status, and your API access tokens."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from impactcircle.accounts.forms import AccessTokenForm
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.accounts.selectors import access_tokens_of
from impactcircle.accounts.services import access_token_create, access_token_revoke
from impactcircle.core.errors import AppError
from impactcircle.core.form_errors import add_app_errors

_PAGE = "accounts/overview.html"


def _render_tokens(
    request: AuthenticatedRequest,
    form: AccessTokenForm,
    new_secret: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or only its tokens section when htmx asks."""
    user = request.user
    context: dict[str, object] = {
        "tokens": access_tokens_of(user),
        "token_form": form,
        "new_secret": new_secret,
    }
    if request.htmx:
        return render(request, f"{_PAGE}#tokens", context, status=status)
    context["has_mfa"] = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
    return render(request, _PAGE, context, status=status)


@login_required
def account_overview(request: AuthenticatedRequest) -> HttpResponse:
    return _render_tokens(request, AccessTokenForm())


@login_required
@require_POST
def access_token_create_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = AccessTokenForm(request.POST)
    new_secret = None
    if form.is_valid():
        try:
            issued = access_token_create(
                user=user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
                request=request,
            )
        except AppError as error:
            add_app_errors(form, error)
        else:
            new_secret = issued.secret
            form = AccessTokenForm()
    return _render_tokens(request, form, new_secret, status=200 if new_secret else 422)


@login_required
@require_POST
def access_token_revoke_view(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    user = request.user
    access_token_revoke(user=user, token_id=token_id, request=request)
    if request.htmx:
        return _render_tokens(request, AccessTokenForm())
    messages.success(request, "The token was revoked.")
    return redirect("account_overview")

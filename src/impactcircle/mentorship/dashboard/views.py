"""The programme dashboard page and its CSV export, for the programme's managers only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.core import anonymity
from impactcircle.core.access import fetch
from impactcircle.mentorship.dashboard.charts import dashboard_figures
from impactcircle.mentorship.dashboard.export import dashboard_csv
from impactcircle.mentorship.dashboard.selectors import programme_dashboard
from impactcircle.mentorship.dashboard.static import PLOTLY_STATIC_PATH
from impactcircle.mentorship.models import Programme


def _managed(request: AuthenticatedRequest, programme_id: int) -> Programme:
    """The programme if the viewer manages it: 404 when they cannot see it, 403 when they can."""
    return fetch(request.user, Programme, programme_id, "manage")


@login_required
def dashboard(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    figures = programme_dashboard(programme)
    context = {
        "programme": programme,
        "dashboard": figures,
        "figures": dashboard_figures(figures),
        "threshold": anonymity.threshold("scores"),
        "plotly_path": PLOTLY_STATIC_PATH,
    }
    return render(request, "mentorship/dashboard.html", context)


@login_required
def dashboard_export(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    body = dashboard_csv(programme_dashboard(programme))
    name = f"{slugify(programme.name) or 'programme'}-dashboard-{timezone.localdate():%Y-%m-%d}"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response

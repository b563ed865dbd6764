"""The programme dashboard page and its CSV export, for the programme's managers only."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from impactcircle.accounts.models import User
from impactcircle.core import anonymity
from impactcircle.mentorship.dashboard.charts import dashboard_figures
from impactcircle.mentorship.dashboard.export import dashboard_csv
from impactcircle.mentorship.dashboard.selectors import programme_dashboard
from impactcircle.mentorship.dashboard.static import PLOTLY_STATIC_PATH
from impactcircle.mentorship.models import Programme
from impactcircle.mentorship.policies import managed_programmes


def _managed(request: HttpRequest, programme_id: int) -> Programme:
    """The programme if the viewer manages it; 404 for everyone else, members included."""
    programme = managed_programmes(cast(User, request.user)).filter(pk=programme_id).first()
    if programme is None:
        raise Http404("No such page.")
    return programme


@login_required
def dashboard(request: HttpRequest, programme_id: int) -> HttpResponse:
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
def dashboard_export(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _managed(request, programme_id)
    body = dashboard_csv(programme_dashboard(programme))
    name = f"{slugify(programme.name) or 'programme'}-dashboard-{timezone.localdate():%Y-%m-%d}"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response

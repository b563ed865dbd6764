"""Plotly figures of the programme dashboard, built on the server as figure JSON.

The page embeds each figure with `json_script` and `static/mentorship/dashboard.js` draws it
with `plotly.min.js` from the installed plotly package (`dashboard_static.PlotlyFinder`). Every
chart repeats a table on the page, so nothing is said by the chart alone.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go

from impactcircle.mentorship.dashboard.selectors import ProgrammeDashboard

COLOURS = ("#1f6f5c", "#c0622f")  # mentees, mentors: the site's green and a warm contrast


def _layout(figure: go.Figure, title: str, *, x_title: str, y_title: str) -> dict[str, Any]:
    figure.update_layout(
        template="none",
        title={"text": title},
        xaxis={"title": {"text": x_title}},
        yaxis={"title": {"text": y_title}, "rangemode": "tozero"},
        margin={"l": 56, "r": 16, "t": 48, "b": 56},
        height=320,
        font={"family": "system-ui, sans-serif", "size": 13},
        legend={"orientation": "h", "y": -0.25},
    )
    result: dict[str, Any] = json.loads(figure.to_json())
    return result


def funnel_figure(dashboard: ProgrammeDashboard) -> dict[str, Any]:
    figure = go.Figure(
        [
            go.Bar(name=row.side_label, x=list(dashboard.stage_labels), y=list(row.counts),
                   marker={"color": colour})
            for row, colour in zip(dashboard.funnel, COLOURS, strict=False)
        ]
    )  # fmt: skip
    figure.update_layout(barmode="group")
    return _layout(figure, "Enrolment funnel", x_title="Stage", y_title="People")


def sessions_figure(dashboard: ProgrammeDashboard) -> dict[str, Any]:
    labels = [label for label, _count in dashboard.session_histogram]
    counts = [count for _label, count in dashboard.session_histogram]
    figure = go.Figure(go.Bar(x=labels, y=counts, marker={"color": COLOURS[0]}))
    figure.update_xaxes(type="category")  # "0" … "5+": labels, not numbers
    return _layout(
        figure,
        "Confirmed sessions per relationship",
        x_title="Confirmed sessions",
        y_title="Relationships",
    )


def goals_figure(dashboard: ProgrammeDashboard) -> dict[str, Any]:
    figure = go.Figure(
        go.Bar(
            x=[label for label, _count in dashboard.goal_bands],
            y=[count for _label, count in dashboard.goal_bands],
            marker={"color": COLOURS[0]},
        )
    )
    return _layout(figure, "Goal progress", x_title="Progress", y_title="Goals")


def check_in_figure(dashboard: ProgrammeDashboard) -> dict[str, Any] | None:
    """None when nothing may be shown; hidden scores are left out of the chart."""
    figures = dashboard.check_ins
    if figures.is_suppressed:
        return None
    shown = [score_bin for score_bin in figures.bins if score_bin.count is not None]
    figure = go.Figure(
        go.Bar(
            x=[score_bin.label for score_bin in shown],
            y=[score_bin.count for score_bin in shown],
            marker={"color": COLOURS[1]},
        )
    )
    figure.update_xaxes(type="category")
    return _layout(figure, "Check-in answers", x_title="Score (1–5)", y_title="Answers")


def dashboard_figures(dashboard: ProgrammeDashboard) -> dict[str, dict[str, Any]]:
    """Figure JSON by element id; a figure that may not be shown is absent."""
    figures = {
        "funnel-figure": funnel_figure(dashboard),
        "sessions-figure": sessions_figure(dashboard),
        "goals-figure": goals_figure(dashboard),
    }
    check_ins = check_in_figure(dashboard)
    if check_ins is not None:
        figures["check-ins-figure"] = check_ins
    return figures

"""The programme dashboard as CSV: the same figures as the page, one per row.

Columns: section, item, side, value. No private notes, no session content, and no names of the
people who answered check-ins (only the suppressed distribution the page shows). Relationships at
risk are listed by id with their reasons, without names.
"""

from __future__ import annotations

import csv
import io

from impactcircle.mentorship.dashboard.selectors import (
    FUNNEL_STAGES,
    STAGE_LABELS,
    ProgrammeDashboard,
)

HEADER = ("section", "item", "side", "value")
HIDDEN = "hidden (too few answers)"
FOLDED = "in Other"
# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _value(number: float | int | None) -> str:
    return "" if number is None else f"{number:g}"


def dashboard_rows(dashboard: ProgrammeDashboard) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    for row in dashboard.funnel:
        for stage, count in zip(FUNNEL_STAGES, row.counts, strict=True):
            rows.append(("funnel", STAGE_LABELS[stage], row.side, str(count)))
    flash = dashboard.flash
    if flash is not None:  # a flash programme matches nobody: its figures are bookings
        rows += [
            ("flash", "Mentees who booked a session", "mentee", str(flash.booked_mentees)),
            ("flash", "Mentees who booked a session (%)", "mentee", _value(flash.booked_percent)),
            ("flash", "Sessions booked", "", str(flash.sessions_booked)),
            ("flash", "Sessions held", "", str(flash.sessions_held)),
            ("flash", "Open slots ahead", "", str(flash.open_slots)),
        ]
    else:
        rows += [
            ("matching", "Matched mentees (%)", "mentee", _value(dashboard.matched_percent)),
            ("matching", "Median days to match", "mentee", _value(dashboard.median_days_to_match)),
        ]
    rows += [
        ("sessions", "Relationships started", "", str(dashboard.relationships)),
        (
            "sessions",
            "Confirmed sessions per relationship (mean)",
            "",
            _value(dashboard.sessions_per_relationship),
        ),
    ]
    rows += [
        ("sessions", f"Relationships with {label} confirmed sessions", "", str(count))
        for label, count in dashboard.session_histogram
    ]
    rows += [
        ("goals", "Goals", "", str(dashboard.goals)),
        ("goals", "Goal progress (mean %)", "", _value(dashboard.goal_progress_mean)),
        ("goals", "Milestones done", "", str(dashboard.milestones_done)),
        ("goals", "Milestones", "", str(dashboard.milestones)),
    ]
    rows += [("goals", f"Goals: {label}", "", str(count)) for label, count in dashboard.goal_bands]
    check_ins = dashboard.check_ins
    rows.append(
        (
            "check-ins",
            "Answers",
            "",
            HIDDEN if check_ins.answers is None else str(check_ins.answers),
        )
    )
    rows.append(("check-ins", "Mean score", "", _value(check_ins.mean)))
    for score_bin in check_ins.bins:
        if score_bin.count is not None:
            value = str(score_bin.count)
        else:
            value = HIDDEN if check_ins.is_suppressed else FOLDED
        rows.append(("check-ins", f"Score {score_bin.label}", "", value))
    rows.append(("at risk", "Relationships at risk", "", str(len(dashboard.at_risk))))
    for risk in dashboard.at_risk:
        rows.append(
            ("at risk", f"Relationship {risk.relationship_id}", "", "; ".join(risk.reasons))
        )
    return rows


def spreadsheet_safe(cell: str) -> str:
    """The cell, with a leading quote when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def dashboard_csv(dashboard: ProgrammeDashboard) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in dashboard_rows(dashboard):
        writer.writerow(tuple(spreadsheet_safe(cell) for cell in row))
    return buffer.getvalue()

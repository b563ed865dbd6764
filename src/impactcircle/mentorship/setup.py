"""What the mentorship module registers at start-up: its notification category and navigation."""

from __future__ import annotations

from impactcircle.core.navigation import NavItem, register_nav_item
from impactcircle.mentorship.selection.tasks import register_selection_parts
from impactcircle.notifications.categories import Delivery, NotificationCategory, register_category

MENTORING = NotificationCategory(
    key="mentoring",
    label="Mentoring",
    description="Applications, matches, sessions, check-ins and reminders from your programmes.",
    default_delivery=Delivery.IMMEDIATE,
)


def register_mentorship() -> None:
    register_category(MENTORING)
    register_nav_item(NavItem(label="Mentoring", url_name="mentorship_programmes", order=20))
    register_selection_parts()
